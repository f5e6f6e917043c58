// Credit notes (issue #14): worked examples of what a credit note does to the aging, the statistics, contract
// performance, the customer statement and commission, and the reference rule that its invoice is its contract's.
import { ageAll, computeReceivables } from '../../../shared/calc/aging';
import { commissionStatement, monthNumber } from '../../../shared/calc/commission';
import { ledgerData, type LedgerData } from '../../../shared/calc/index';
import { checkInvoices } from '../../../shared/calc/invoiceCheck';
import { contractPerformance } from '../../../shared/calc/performance';
import { customerStatement } from '../../../shared/calc/statement';
import { computeStatistics } from '../../../shared/calc/statistics';
import type { IsoDate } from '../../../shared/dates';
import { parseRow, type CommissionPlan, type CreditNote } from '../../../shared/ledgers';
import { checkReferences, type ReferenceLookup } from '../../../shared/references';
import { contract, invoice, invoiceLine, money, orderLine, payment } from './fixtures/records';

const credit = (
  creditNoteNo: string,
  invoiceNo: string,
  issuedOn: IsoDate,
  amount: string,
  contractId = 'C1',
): CreditNote => ({
  creditNoteNo,
  contractId,
  invoiceNo,
  issuedOn,
  amount: money(amount),
  creditReason: 'price reduction',
});

/** C1 of customer K1: I1 1,000.00 issued 2016-01-10 and I2 500.00 issued 2016-01-20, due 30 days later. */
function base(extra: Partial<LedgerData> = {}): LedgerData {
  return ledgerData({
    contracts: [contract('C1')],
    invoices: [invoice('I1', 'C1', '2016-01-10'), invoice('I2', 'C1', '2016-01-20')],
    invoiceLines: [invoiceLine('I1', 1, 'A', 1, '1000.00'), invoiceLine('I2', 1, 'A', 1, '500.00')],
    ...extra,
  });
}

/** Per invoice of C1 as of a day: [invoiceNo, amount owed, outstanding], and the contract's unapplied money. */
function aged(data: LedgerData, asOf: IsoDate) {
  const [c] = ageAll(data, asOf);
  return {
    invoices: c?.invoices.map((i) => [i.invoiceNo, i.amount, i.outstanding]),
    unapplied: c?.unapplied,
  };
}

describe('aging with credit notes', () => {
  it('a credit on an open invoice lowers what it owes from the credit note’s issue date', () => {
    const data = base({ creditNotes: [credit('CN1', 'I1', '2016-03-05', '200.00')] });
    expect(aged(data, '2016-03-04')).toEqual({
      invoices: [
        ['I1', 100_000, 100_000],
        ['I2', 50_000, 50_000],
      ],
      unapplied: 0,
    });
    expect(aged(data, '2016-03-05')).toEqual({
      invoices: [
        ['I1', 80_000, 80_000],
        ['I2', 50_000, 50_000],
      ],
      unapplied: 0,
    });
    const [row] = computeReceivables(data, { asOf: '2016-03-31', groupBy: 'customer' });
    // I1 is due 2016-02-09 (50 days overdue), I2 2016-02-19 (41 days).
    expect(row).toMatchObject({ group: 'K1', d31_60: 130_000, total: 130_000, unapplied: 0 });
  });

  it('a credit on a paid invoice frees the payment’s money for the next open invoice', () => {
    const data = base({
      payments: [payment('P1', 'C1', '2016-02-01', '1000.00', 'I1')],
      creditNotes: [credit('CN1', 'I1', '2016-03-05', '300.00')],
    });
    expect(aged(data, '2016-02-28')).toEqual({
      invoices: [
        ['I1', 100_000, 0],
        ['I2', 50_000, 50_000],
      ],
      unapplied: 0,
    });
    // I1 now asks for 700.00: P1's other 300.00 settles I2 in part.
    expect(aged(data, '2016-03-31')).toEqual({
      invoices: [
        ['I1', 70_000, 0],
        ['I2', 50_000, 20_000],
      ],
      unapplied: 0,
    });
    // Without another open invoice the freed money is unapplied.
    const alone = base({
      invoices: [invoice('I1', 'C1', '2016-01-10')],
      invoiceLines: [invoiceLine('I1', 1, 'A', 1, '1000.00')],
      payments: [payment('P1', 'C1', '2016-02-01', '1000.00', 'I1')],
      creditNotes: [credit('CN1', 'I1', '2016-03-05', '300.00')],
    });
    expect(aged(alone, '2016-03-31')).toEqual({ invoices: [['I1', 70_000, 0]], unapplied: 30_000 });
  });

  it('a credit beyond its invoice’s amount leaves the invoice at 0 and the rest unapplied, not on other invoices', () => {
    const data = base({
      creditNotes: [credit('CN1', 'I1', '2016-03-05', '900.00'), credit('CN2', 'I1', '2016-03-06', '300.00')],
    });
    expect(aged(data, '2016-03-31')).toEqual({
      invoices: [
        ['I1', 0, 0],
        ['I2', 50_000, 50_000],
      ],
      unapplied: 20_000,
    });
    expect(computeReceivables(data, { asOf: '2016-03-31', groupBy: 'contract' })).toEqual([
      {
        group: 'C1',
        currency: 'EUR',
        current: 0,
        d1_30: 0,
        d31_60: 50_000,
        d61_90: 0,
        d91_120: 0,
        over120: 0,
        total: 50_000,
        unapplied: 20_000,
      },
    ]);
  });
});

describe('statistics and contract performance with credit notes', () => {
  const data = base({
    payments: [payment('P1', 'C1', '2016-02-01', '400.00')],
    creditNotes: [credit('CN1', 'I1', '2016-03-05', '200.00'), credit('CN2', 'I2', '2016-03-20', '50.00')],
  });

  it('invoiced is net of credit notes in the credit note’s own period', () => {
    const rows = computeStatistics(data, { period: 'month', from: '2016-01-01', to: '2016-12-31', groupBy: 'region' });
    expect(rows.map((r) => [r.period, r.invoiced, r.collected])).toEqual([
      ['2016-01', 150_000, 0],
      ['2016-02', 0, 40_000],
      ['2016-03', -25_000, 0],
    ]);
    const quarter = computeStatistics(data, {
      period: 'quarter',
      from: '2016-01-01',
      to: '2016-12-31',
      groupBy: 'none',
    });
    expect(quarter.map((r) => [r.period, r.invoiced])).toEqual([['2016-Q1', 125_000]]);
  });

  it('contract performance totals invoiced net of credit notes, and receivable after them', () => {
    const perf = contractPerformance({ ...data, orderLines: [orderLine('C1', 1, 'A', 2, '1000.00')] }, 'C1');
    expect(perf?.totals).toMatchObject({ invoicedAmount: 125_000, collected: 40_000, receivable: 85_000 });
    // Credit notes are amounts, not items: the item's line keeps what was billed for it.
    expect(perf?.lines.map((l) => [l.itemCode, l.invoiced, l.invoicedAmount])).toEqual([['A', 2, 150_000]]);
  });
});

describe('customer statement with credit notes', () => {
  it('lists a credit note as a credit on its issue date; the closing balance is receivables total − unapplied', () => {
    const data = base({
      payments: [payment('P1', 'C1', '2016-02-01', '1000.00', 'I1')],
      creditNotes: [credit('CN0', 'I2', '2016-01-25', '20.00'), credit('CN1', 'I1', '2016-03-05', '1200.00')],
    });
    const s = customerStatement(data, 'K1', '2016-02-01', '2016-03-31');
    // Before February: I1 1,000.00 + I2 500.00 − CN0 20.00.
    expect(s.openingBalance).toBe(148_000);
    expect(s.lines.map((l) => [l.date, l.kind, l.ref, l.invoiceNo, l.debit, l.credit, l.balance])).toEqual([
      ['2016-02-01', 'payment', 'P1', 'I1', 0, 100_000, 48_000],
      ['2016-03-05', 'creditNote', 'CN1', 'I1', 0, 120_000, -72_000],
    ]);
    const [row] = computeReceivables(data, { asOf: '2016-03-31', groupBy: 'customer' });
    // I1 owes 0 (credited beyond it: 200.00 unapplied), so P1's 1,000.00 settles I2's 480.00 and 520.00 is left.
    expect(row).toMatchObject({ total: 0, unapplied: 72_000 });
    expect(s.closingBalance).toBe((row?.total ?? 0) - (row?.unapplied ?? 0));
  });

  it('puts a credit note after a same-day invoice and before a same-day payment', () => {
    const data = base({
      invoices: [invoice('I1', 'C1', '2016-01-10')],
      invoiceLines: [invoiceLine('I1', 1, 'A', 1, '100.00')],
      payments: [payment('P1', 'C1', '2016-01-10', '60.00')],
      creditNotes: [credit('CN1', 'I1', '2016-01-10', '40.00')],
    });
    const s = customerStatement(data, 'K1', '2016-01-01', '2016-01-31');
    expect(s.lines.map((l) => [l.kind, l.balance])).toEqual([
      ['invoice', 10_000],
      ['creditNote', 6000],
      ['payment', 0],
    ]);
  });
});

describe('commission with credit notes', () => {
  const PLAN: CommissionPlan = {
    planId: 'TIERED',
    basis: 'invoiced',
    rate1: 200, // 2 % up to 1,000.00
    from2: 100_000,
    rate2: 500, // 5 % from 1,000.00
  };
  const lines = (s: ReturnType<typeof commissionStatement>) =>
    s.lines.map((l) => [l.kind, l.creditNoteNo ?? null, l.invoiceNo, l.amount, l.rate, l.commission]);

  /** I1 800.00 and I2 500.00 in January (I2 crosses the 1,000.00 tier: 200.00 at 2 %, 300.00 at 5 %), I3 in March. */
  function invoiced(extra: Partial<LedgerData> = {}): LedgerData {
    return ledgerData({
      salespeople: [{ salespersonId: 'S1', name: 'Sam', region: 'East', planId: 'TIERED' }],
      commissionPlans: [PLAN],
      contracts: [contract('C1')],
      invoices: [
        invoice('I1', 'C1', '2016-01-10'),
        invoice('I2', 'C1', '2016-01-20'),
        invoice('I3', 'C1', '2016-03-02'),
      ],
      invoiceLines: [
        invoiceLine('I1', 1, 'A', 1, '800.00'),
        invoiceLine('I2', 1, 'A', 1, '500.00'),
        invoiceLine('I3', 1, 'A', 1, '1000.00'),
      ],
      ...extra,
    });
  }

  it('invoiced basis: claws back in the issue month at the rates the invoice earned, highest tier part first', () => {
    const data = invoiced({
      creditNotes: [
        credit('CN1', 'I2', '2016-03-10', '400.00'),
        // The second credit note finds only the 100.00 left at 2 %; the other 100.00 takes back nothing more.
        credit('CN2', 'I2', '2016-04-05', '200.00'),
      ],
    });
    const jan = commissionStatement(data, 'S1', '2016-01');
    expect(lines(jan)).toEqual([
      ['invoice', null, 'I1', 80_000, 200, 1600],
      ['invoice', null, 'I2', 20_000, 200, 400],
      ['invoice', null, 'I2', 30_000, 500, 1500],
    ]);
    const march = commissionStatement(data, 'S1', '2016-03');
    // I3 earns 2 % from 0: the credit does not lower March's running total.
    expect(lines(march)).toEqual([
      ['invoice', null, 'I3', 100_000, 200, 2000],
      ['credit', 'CN1', 'I2', -30_000, 500, -1500],
      ['credit', 'CN1', 'I2', -10_000, 200, -200],
    ]);
    expect(march.commission).toBe(300);
    const april = commissionStatement(data, 'S1', '2016-04');
    expect(lines(april)).toEqual([['credit', 'CN2', 'I2', -10_000, 200, -200]]);
    expect(april.commission).toBe(-200);
  });

  it('collected basis: the allocation decides, and a settled month’s change lands as an adjustment', () => {
    const flat = invoiced({
      salespeople: [{ salespersonId: 'S1', name: 'Sam', region: 'East', commissionRate: 300 }],
      commissionPlans: [],
      invoices: [invoice('I1', 'C1', '2016-01-10')],
      invoiceLines: [invoiceLine('I1', 1, 'A', 1, '1000.00')],
      payments: [payment('P1', 'C1', '2016-02-01', '1000.00')],
      commissionSettlements: [
        { salespersonId: 'S1', month: monthNumber('2016-02'), commission: 3000, settledOn: '2016-03-01' },
      ],
    });
    expect(commissionStatement(flat, 'S1', '2016-03').lines).toEqual([]);
    // A credit of 300.00 in March: P1 now settles 700.00 (300.00 unapplied earns nothing), so February earns 21.00.
    const credited = { ...flat, creditNotes: [credit('CN1', 'I1', '2016-03-05', '300.00')] };
    const march = commissionStatement(credited, 'S1', '2016-03');
    expect(march.lines.map((l) => [l.kind, l.months, l.commission])).toEqual([['adjustment', ['2016-02'], -900]]);
    expect(lines(commissionStatement(credited, 'S1', '2016-02'))).toEqual([
      ['allocation', null, 'I1', 70_000, 300, 2100],
    ]);
  });
});

describe('the invoice check', () => {
  it('does not look at credit notes: they are amounts, not checked against orders, deliveries or returns', () => {
    const data = base({ orderLines: [orderLine('C1', 1, 'A', 1, '1000.00')] });
    const findings = checkInvoices(data);
    // Nothing was delivered; I2 bills a second A, at 500.00 against the order's 1,000.00. A credit note of 500.00 on
    // I2 changes none of that.
    expect(findings.map((f) => [f.invoiceNo, f.code])).toEqual([
      ['I1', 'QTY_EXCEEDS_DELIVERED'],
      ['I2', 'PRICE_MISMATCH'],
      ['I2', 'QTY_EXCEEDS_DELIVERED'],
      ['I2', 'QTY_EXCEEDS_ORDERED'],
    ]);
    expect(checkInvoices({ ...data, creditNotes: [credit('CN1', 'I2', '2016-01-25', '500.00')] })).toEqual(findings);
  });
});

describe('the credit notes ledger', () => {
  const row = {
    creditNoteNo: 'CN1',
    contractId: 'C1',
    invoiceNo: 'I1',
    issuedOn: '2016-03-05',
    amount: '200.00',
    creditReason: 'price reduction',
  };
  const lookup: ReferenceLookup = {
    exists: (ledger, key) => (ledger === 'contracts' ? ['C1', 'C2'] : ['I1', 'I2']).includes(key),
    contractHasItem: () => false,
    invoiceContract: (invoiceNo) => ({ I1: 'C1', I2: 'C2' })[invoiceNo],
  };
  const errors = (input: Record<string, unknown>) => {
    const parsed = parseRow('creditNotes', input);
    return parsed.ok ? checkReferences('creditNotes', parsed.record, lookup) : parsed.errors;
  };

  it('needs a positive amount and a reason', () => {
    expect(errors(row)).toEqual([]);
    expect(errors({ ...row, amount: '0.00' })).toEqual([{ field: 'amount', message: 'must be greater than 0' }]);
    expect(errors({ ...row, amount: '-5.00' })).toEqual([{ field: 'amount', message: 'must be greater than 0' }]);
    expect(errors({ ...row, creditReason: '' })).toEqual([{ field: 'creditReason', message: 'is required' }]);
  });

  it('refuses an invoice of another contract, or one that does not exist', () => {
    expect(errors({ ...row, invoiceNo: 'I2' })).toEqual([
      { field: 'invoiceNo', message: 'I2 is an invoice of contract C2, not of C1' },
    ]);
    expect(errors({ ...row, invoiceNo: 'I9' })).toEqual([
      { field: 'invoiceNo', message: 'I9 does not exist in invoices' },
    ]);
  });
});
