// Commission per currency: a salesperson with EUR and USD contracts has one statement per currency, each counting
// only its own payments; the plan applies to the house currency only; a settlement locks its own currency's month;
// adjustments run per currency; otherCommissionCurrencies names the currencies a statement leaves out.
import {
  commissionCurrencies,
  commissionStatement,
  monthNumber,
  otherCommissionCurrencies,
} from '../../../shared/calc/commission';
import { ledgerData, type LedgerData } from '../../../shared/calc/index';
import type { CommissionSettlement, Contract, Payment } from '../../../shared/ledgers';

const contract = (contractId: string, currency?: string): Contract => ({
  contractId,
  customerId: 'C1',
  salespersonId: 'S1',
  region: 'East',
  signedOn: '2016-01-01',
  paymentTermsDays: 30,
  status: 'active',
  ...(currency === undefined ? {} : { currency }),
});
const pay = (paymentId: string, contractId: string, receivedOn: string, amount: number): Payment => ({
  paymentId,
  contractId,
  receivedOn,
  amount,
});
const settle = (month: string, commission: number, currency?: string): CommissionSettlement => ({
  salespersonId: 'S1',
  month: monthNumber(month),
  commission,
  settledOn: '2016-04-01',
  ...(currency === undefined ? {} : { currency }),
});

// S1: a tiered plan (2 % up to 1,000.00, 5 % beyond) and a flat commissionRate of 1 %. K1 has no currency (the house
// currency, EUR), K2 is in EUR, KU in USD; each has one invoice of 2,000.00 due 2016-02-09.
function data(payments: Payment[], commissionSettlements: CommissionSettlement[] = []): LedgerData {
  const contracts = [contract('K1'), contract('K2', 'EUR'), contract('KU', 'USD')];
  return ledgerData({
    salespeople: [{ salespersonId: 'S1', name: 'Sam', region: 'East', planId: 'T', commissionRate: 100 }],
    commissionPlans: [{ planId: 'T', basis: 'collected', rate1: 200, from2: 100_000, rate2: 500 }],
    contracts,
    invoices: contracts.map((c) => ({
      invoiceNo: `I-${c.contractId}`,
      contractId: c.contractId,
      issuedOn: '2016-01-10',
      dueOn: '2016-02-09',
    })),
    invoiceLines: contracts.map((c) => ({
      invoiceNo: `I-${c.contractId}`,
      lineNo: 1,
      itemCode: 'A',
      quantity: 1,
      unitPrice: 200_000 * 100,
    })),
    payments,
    commissionSettlements,
  });
}

const brief = (s: ReturnType<typeof commissionStatement>) =>
  s.lines.map((l) => [l.kind, l.paymentId, l.contractId, l.amount, l.rate, l.commission]);

describe('commission per currency', () => {
  const february = data([
    pay('P1', 'K1', '2016-02-01', 80_000),
    pay('PU', 'KU', '2016-02-02', 150_000),
    pay('P2', 'K2', '2016-02-03', 60_000),
  ]);

  it('the house currency statement counts only EUR contracts (with or without a currency), under the plan', () => {
    const eur = commissionStatement(february, 'S1', '2016-02');
    expect(eur).toMatchObject({ currency: 'EUR', planId: 'T', basis: 'collected', settled: false });
    // 800.00 + 600.00 = 1,400.00 in EUR: the tier start of 1,000.00 is crossed by P2; USD 1,500.00 does not count.
    expect(brief(eur)).toEqual([
      ['allocation', 'P1', 'K1', 80_000, 200, 1600],
      ['allocation', 'P2', 'K2', 20_000, 200, 400],
      ['allocation', 'P2', 'K2', 40_000, 500, 2000],
    ]);
    expect(eur.commission).toBe(4000);
    // Named explicitly, the house currency gives the same statement.
    expect(commissionStatement(february, 'S1', '2016-02', undefined, { currency: 'EUR' })).toEqual(eur);
  });

  it('the USD statement counts only USD payments, at the flat commissionRate (the plan is the house currency’s)', () => {
    const usd = commissionStatement(february, 'S1', '2016-02', undefined, { currency: 'USD' });
    expect(usd).toMatchObject({ currency: 'USD', planId: null, basis: 'collected', settled: false });
    // 1,500.00 at 1 %: not 2 % up to 1,000.00 and 5 % beyond, which would read the EUR tier start as dollars.
    expect(brief(usd)).toEqual([['allocation', 'PU', 'KU', 150_000, 100, 1500]]);
    expect(usd.commission).toBe(1500);
    // A currency the salesperson has no contract in: an empty statement.
    expect(commissionStatement(february, 'S1', '2016-02', undefined, { currency: 'CHF' })).toMatchObject({
      currency: 'CHF',
      lines: [],
      commission: 0,
    });
  });

  it('in another currency an invoiced-basis plan does not apply either: collected money, commissionRate or 0', () => {
    const invoiced = ledgerData({
      ...february,
      commissionPlans: [{ planId: 'T', basis: 'invoiced', rate1: 200, from2: 100_000, rate2: 500 }],
    });
    // EUR earns on its two invoices of January under the plan (4,000.00: 1,000.00 at 2 % + 3,000.00 at 5 % = 170.00),
    // without USD's 2,000.00; USD earns on February's collection at the flat 1 %.
    expect(commissionStatement(invoiced, 'S1', '2016-01')).toMatchObject({ basis: 'invoiced', commission: 17_000 });
    const usd = commissionStatement(invoiced, 'S1', '2016-02', undefined, { currency: 'USD' });
    expect([usd.basis, usd.planId, brief(usd)]).toEqual([
      'collected',
      null,
      [['allocation', 'PU', 'KU', 150_000, 100, 1500]],
    ]);
    expect(commissionStatement(invoiced, 'S1', '2016-01', undefined, { currency: 'USD' }).lines).toEqual([]);
    // Without a commissionRate, another currency earns 0 (its lines show the rate 0).
    const noRate = ledgerData({
      ...february,
      salespeople: [{ salespersonId: 'S1', name: 'Sam', region: 'East', planId: 'T' }],
    });
    const zero = commissionStatement(noRate, 'S1', '2016-02', undefined, { currency: 'USD' });
    expect([zero.commission, brief(zero)]).toEqual([0, [['allocation', 'PU', 'KU', 150_000, 0, 0]]]);
    expect(commissionStatement(noRate, 'S1', '2016-02').commission).toBe(4000);
  });

  it('with another house currency, USD is under the plan and EUR (K1 without a currency is then USD) is flat', () => {
    const house = { houseCurrency: 'USD' };
    const usd = commissionStatement(february, 'S1', '2016-02', undefined, house);
    expect(usd).toMatchObject({ currency: 'USD', planId: 'T' });
    expect(brief(usd)).toEqual([
      ['allocation', 'P1', 'K1', 80_000, 200, 1600],
      ['allocation', 'PU', 'KU', 20_000, 200, 400],
      ['allocation', 'PU', 'KU', 130_000, 500, 6500],
    ]);
    const eur = commissionStatement(february, 'S1', '2016-02', undefined, { ...house, currency: 'EUR' });
    expect(brief(eur)).toEqual([['allocation', 'P2', 'K2', 60_000, 100, 600]]);
  });

  it('names the currencies and the other currencies with commission in the month', () => {
    expect(commissionCurrencies(february, 'S1')).toEqual(['EUR', 'USD']);
    expect(otherCommissionCurrencies(february, 'S1', '2016-02')).toEqual(['USD']);
    expect(otherCommissionCurrencies(february, 'S1', '2016-02', { currency: 'USD' })).toEqual(['EUR']);
    // March has no payments in either currency: nothing to name.
    expect(otherCommissionCurrencies(february, 'S1', '2016-03')).toEqual([]);
    const onlyUsd = data([pay('PU', 'KU', '2016-02-02', 150_000)]);
    expect(otherCommissionCurrencies(onlyUsd, 'S1', '2016-02', { currency: 'USD' })).toEqual([]);
    expect(otherCommissionCurrencies(onlyUsd, 'S1', '2016-02')).toEqual(['USD']);
  });

  it('a settlement in USD locks only USD; a correction lands in the next open month of its own currency', () => {
    // February settled in USD at 15.00; then PU turns out to be 1,000.00 and P1 900.00 (corrections approved later).
    const corrected = data(
      [pay('P1', 'K1', '2016-02-01', 90_000), pay('PU', 'KU', '2016-02-02', 100_000)],
      [settle('2016-02', 1500, 'USD')],
    );
    const usdFeb = commissionStatement(corrected, 'S1', '2016-02', undefined, { currency: 'USD' });
    expect(usdFeb).toMatchObject({ currency: 'USD', settled: true, commission: 1500 });
    expect(brief(usdFeb)).toEqual([['allocation', 'PU', 'KU', 100_000, 100, 1000]]);
    // EUR February is open: it earns what its payments earn today, 900.00 at 2 %.
    const eurFeb = commissionStatement(corrected, 'S1', '2016-02');
    expect(eurFeb).toMatchObject({ currency: 'EUR', settled: false, commission: 1800 });
    // USD March carries the USD clawback (10.00 − 15.00); EUR March has no adjustment (EUR February is not settled).
    const usdMarch = commissionStatement(corrected, 'S1', '2016-03', undefined, { currency: 'USD' });
    expect(usdMarch.lines.map((l) => [l.kind, l.months, l.commission])).toEqual([['adjustment', ['2016-02'], -500]]);
    expect(usdMarch.commission).toBe(-500);
    expect(commissionStatement(corrected, 'S1', '2016-03').lines).toEqual([]);
    // The settled USD month is still named beside the EUR statement, and EUR beside the USD one.
    expect(otherCommissionCurrencies(corrected, 'S1', '2016-02')).toEqual(['USD']);
    expect(otherCommissionCurrencies(corrected, 'S1', '2016-03')).toEqual(['USD']);
  });

  it('a settlement without a currency locks the house currency only; adjustments stay in their currency', () => {
    const corrected = data(
      [pay('P1', 'K1', '2016-02-01', 50_000), pay('PU', 'KU', '2016-02-02', 100_000)],
      [settle('2016-02', 1600)], // February's EUR was 800.00 × 2 % when settled; P1 is now 500.00
    );
    expect(commissionStatement(corrected, 'S1', '2016-02')).toMatchObject({ settled: true, commission: 1600 });
    expect(commissionStatement(corrected, 'S1', '2016-02', undefined, { currency: 'USD' })).toMatchObject({
      settled: false,
      commission: 1000,
    });
    const eurMarch = commissionStatement(corrected, 'S1', '2016-03');
    expect(eurMarch.lines.map((l) => [l.kind, l.months, l.commission])).toEqual([['adjustment', ['2016-02'], -600]]);
    expect(commissionStatement(corrected, 'S1', '2016-03', undefined, { currency: 'USD' }).lines).toEqual([]);
    // With USD as the house currency the same settlement (no currency) locks USD February instead.
    const usdHouse = { houseCurrency: 'USD' };
    expect(commissionStatement(corrected, 'S1', '2016-02', undefined, usdHouse)).toMatchObject({
      currency: 'USD',
      settled: true,
      commission: 1600,
    });
    expect(commissionStatement(corrected, 'S1', '2016-02', undefined, { ...usdHouse, currency: 'EUR' }).settled).toBe(
      false,
    );
  });

  it('over months, each currency’s statements add up to what its own records earn (no money crosses over)', () => {
    const payments = [
      pay('P1', 'K1', '2016-02-01', 50_000),
      pay('PU', 'KU', '2016-02-02', 100_000),
      pay('P3', 'K2', '2016-03-05', 30_000),
      pay('PV', 'KU', '2016-03-06', 40_000),
    ];
    const settled = data(payments, [settle('2016-02', 1600), settle('2016-02', 2000, 'USD')]);
    const open = data(payments);
    for (const currency of ['EUR', 'USD']) {
      const total = (d: LedgerData) =>
        ['2016-02', '2016-03', '2016-04']
          .map((m) => commissionStatement(d, 'S1', m, undefined, { currency }).commission)
          .reduce((a, b) => a + b, 0);
      // Settled or not, February and March together earn what the currency's own payments earn.
      expect(total(settled)).toBe(total(open));
    }
    // EUR: 500.00 + 300.00 at 2 % = 16.00; USD: 1,000.00 + 400.00 at 1 % = 14.00.
    expect(commissionStatement(open, 'S1', '2016-03').commission).toBe(600);
    expect(commissionStatement(open, 'S1', '2016-03', undefined, { currency: 'USD' }).commission).toBe(400);
  });
});
