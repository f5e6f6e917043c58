// Commission statements: worked examples (allocation, marginal tiers, late rate, invoiced basis, settled-month lock
// and adjustments) and properties (a month's commission is the sum of its lines; settled months never change).
import fc from 'fast-check';
import { allocateContract } from '../../../shared/calc/aging';
import { commissionStatement, monthLabel, monthNumber, planTiers } from '../../../shared/calc/commission';
import { buildIndex, ledgerData, type LedgerData } from '../../../shared/calc/index';
import type { CommissionPlan, Contract, Invoice, InvoiceLine, Payment } from '../../../shared/ledgers';

const contract = (contractId: string, salespersonId = 'S1'): Contract => ({
  contractId,
  customerId: 'C1',
  salespersonId,
  region: 'East',
  signedOn: '2016-01-01',
  paymentTermsDays: 30,
  status: 'active',
});
const invoice = (invoiceNo: string, contractId: string, issuedOn: string, dueOn: string): Invoice => ({
  invoiceNo,
  contractId,
  issuedOn,
  dueOn,
});
// One line of quantity 1: the invoice's amount is the unit price (ten-thousandths) / 100 in cents.
const line = (invoiceNo: string, cents: number): InvoiceLine => ({
  invoiceNo,
  lineNo: 1,
  itemCode: 'A',
  quantity: 1,
  unitPrice: cents * 100,
});
const pay = (paymentId: string, contractId: string, receivedOn: string, amount: number, invoiceNo?: string): Payment =>
  invoiceNo === undefined
    ? { paymentId, contractId, receivedOn, amount }
    : { paymentId, contractId, receivedOn, amount, invoiceNo };

const PLAN: CommissionPlan = {
  planId: 'TIERED',
  basis: 'collected',
  rate1: 200, // 2 % up to 1,000.00
  from2: 100_000,
  rate2: 500, // 5 % from 1,000.00
  from3: 300_000,
  rate3: 1000, // 10 % from 3,000.00
  lateAfterDays: 60,
  lateRate: 100, // 1 % for money more than 60 days late
};

function base(extra: Partial<LedgerData> = {}): LedgerData {
  return ledgerData({
    salespeople: [
      { salespersonId: 'S1', name: 'Sam', region: 'East', planId: 'TIERED' },
      { salespersonId: 'S2', name: 'Flat', region: 'East', commissionRate: 300 },
    ],
    commissionPlans: [PLAN],
    contracts: [contract('K1'), contract('K2'), contract('K9', 'S2')],
    invoices: [
      invoice('I1', 'K1', '2016-01-10', '2016-02-09'),
      invoice('I2', 'K1', '2016-01-20', '2016-02-19'),
      invoice('I3', 'K2', '2016-01-05', '2016-02-04'),
      invoice('I9', 'K9', '2016-01-05', '2016-02-04'),
    ],
    invoiceLines: [line('I1', 80_000), line('I2', 150_000), line('I3', 400_000), line('I9', 10_000)],
    ...extra,
  });
}

const brief = (s: ReturnType<typeof commissionStatement>) =>
  s.lines.map((l) => [l.kind, l.paymentId, l.invoiceNo, l.amount, l.daysLate, l.rate, l.commission]);

describe('allocation reuse', () => {
  it('allocateContract lists what the aging allocates: a named invoice first, then oldest due', () => {
    const data = base({ payments: [pay('P1', 'K1', '2016-02-01', 100_000, 'I2')] });
    const bundle = buildIndex(data).bundles.get('K1');
    const allocated = bundle === undefined ? undefined : allocateContract(bundle, '2016-12-31');
    expect(allocated?.allocations.map((a) => [a.payment.paymentId, a.invoice.invoiceNo, a.amount])).toEqual([
      ['P1', 'I2', 100_000],
    ]);
    const two = base({ payments: [pay('P1', 'K1', '2016-02-01', 200_000)] });
    const b2 = buildIndex(two).bundles.get('K1');
    expect(
      (b2 === undefined ? undefined : allocateContract(b2, '2016-12-31'))?.allocations.map((a) => [
        a.invoice.invoiceNo,
        a.amount,
      ]),
    ).toEqual([
      ['I1', 80_000],
      ['I2', 120_000],
    ]);
  });
});

describe('statements', () => {
  it('splits a line across marginal tiers, in date and payment order; unapplied money earns nothing', () => {
    const data = base({
      payments: [
        pay('P2', 'K2', '2016-02-03', 250_000), // I3, crosses 1,000.00 and reaches 3,400.00 with P1
        pay('P1', 'K1', '2016-02-01', 90_000), // I1 80,000 settled + 10,000 on I2
        pay('P3', 'K2', '2016-02-28', 200_000), // 150,000 left on I3, 50,000 unapplied
      ],
    });
    const s = commissionStatement(data, 'S1', '2016-02');
    expect(brief(s)).toEqual([
      ['allocation', 'P1', 'I1', 80_000, -8, 200, 1600],
      ['allocation', 'P1', 'I2', 10_000, -18, 200, 200],
      ['allocation', 'P2', 'I3', 10_000, -1, 200, 200], // up to 1,000.00 at 2 %
      ['allocation', 'P2', 'I3', 200_000, -1, 500, 10_000], // 1,000.00 – 3,000.00 at 5 %
      ['allocation', 'P2', 'I3', 40_000, -1, 1000, 4000], // beyond 3,000.00 at 10 %
      ['allocation', 'P3', 'I3', 150_000, 24, 1000, 15_000],
    ]);
    expect(s.commission).toBe(31_000);
    expect(s).toMatchObject({ planId: 'TIERED', basis: 'collected', settled: false });
  });

  it('pays the late rate flat for money more than lateAfterDays after the due date (61 days), not 60', () => {
    const data = base({
      payments: [
        pay('P1', 'K1', '2016-04-09', 80_000, 'I1'), // due 02-09: 60 days late, tiers apply
        pay('P2', 'K1', '2016-04-19', 150_000, 'I2'), // due 02-19: 60 days late
        pay('P3', 'K2', '2016-04-05', 100_000, 'I3'), // due 02-04: 61 days late, 1 %, no tier volume
      ],
    });
    expect(brief(commissionStatement(data, 'S1', '2016-04'))).toEqual([
      ['allocation', 'P3', 'I3', 100_000, 61, 100, 1000],
      ['allocation', 'P1', 'I1', 80_000, 60, 200, 1600],
      ['allocation', 'P2', 'I2', 20_000, 60, 200, 400],
      ['allocation', 'P2', 'I2', 130_000, 60, 500, 6500],
    ]);
  });

  it('without a plan uses the flat commissionRate on collections, and 0 without one', () => {
    const data = base({ payments: [pay('P9', 'K9', '2016-02-01', 3333)] });
    const s = commissionStatement(data, 'S2', '2016-02');
    expect(brief(s)).toEqual([['allocation', 'P9', 'I9', 3333, -3, 300, 100]]); // 33.33 × 3 % = 0.9999, 1.00 half-up
    expect(s.planId).toBeNull();
    const none = commissionStatement(
      ledgerData({ ...data, salespeople: [{ salespersonId: 'S2', name: 'Flat', region: 'East' }] }),
      'S2',
      '2016-02',
    );
    expect(none.commission).toBe(0);
    // A planId naming no plan (salespeople are published before plans, so it is not refused) falls back the same way.
    const unknown = ledgerData({
      ...data,
      salespeople: [{ salespersonId: 'S2', name: 'Flat', region: 'East', commissionRate: 300, planId: 'NOPE' }],
    });
    expect(commissionStatement(unknown, 'S2', '2016-02')).toMatchObject({ planId: null, commission: 100 });
  });

  it('on the invoiced basis earns on invoices by issue month', () => {
    const data = base({ commissionPlans: [{ ...PLAN, basis: 'invoiced' }] });
    expect(brief(commissionStatement(data, 'S1', '2016-01'))).toEqual([
      ['invoice', null, 'I3', 100_000, null, 200, 2000],
      ['invoice', null, 'I3', 200_000, null, 500, 10_000],
      ['invoice', null, 'I3', 100_000, null, 1000, 10_000],
      ['invoice', null, 'I1', 80_000, null, 1000, 8000],
      ['invoice', null, 'I2', 150_000, null, 1000, 15_000],
    ]);
  });
});

describe('settled months', () => {
  const settle = (month: string, commission: number) => ({
    salespersonId: 'S1',
    month: monthNumber(month),
    commission,
    settledOn: '2016-04-01',
  });

  it('a settled month keeps its commission; a later change lands in the next open month as an adjustment', () => {
    const before = base({ payments: [pay('P1', 'K1', '2016-02-01', 80_000)] });
    const feb = commissionStatement(before, 'S1', '2016-02');
    expect(feb.commission).toBe(1600);
    // February is settled at 16.00; then P1 turns out to be 50,000 (a correction approved in March): clawback.
    const after = base({
      payments: [pay('P1', 'K1', '2016-02-01', 50_000), pay('P2', 'K1', '2016-03-10', 10_000)],
      commissionSettlements: [settle('2016-02', 1600)],
    });
    const lockedFeb = commissionStatement(after, 'S1', '2016-02');
    expect(lockedFeb).toMatchObject({ settled: true, commission: 1600 });
    expect(brief(lockedFeb)).toEqual([['allocation', 'P1', 'I1', 50_000, -8, 200, 1000]]);
    const march = commissionStatement(after, 'S1', '2016-03');
    expect(march.lines.map((l) => [l.kind, l.months, l.commission])).toEqual([
      ['allocation', [], 200],
      ['adjustment', ['2016-02'], -600],
    ]);
    expect(march.commission).toBe(-400);
    // March settled with its adjustment: April owes nothing more for February or March.
    const both = base({
      payments: after.payments,
      commissionSettlements: [settle('2016-02', 1600), settle('2016-03', -400)],
    });
    expect(commissionStatement(both, 'S1', '2016-04').lines).toEqual([]);
    expect(commissionStatement(both, 'S1', '2016-03')).toMatchObject({ settled: true, commission: -400 });
  });

  it('a gap month without settlement takes the adjustment; later open months do not repeat it', () => {
    const data = base({
      payments: [pay('P1', 'K1', '2016-02-01', 50_000)],
      commissionSettlements: [settle('2016-02', 1600)],
    });
    expect(commissionStatement(data, 'S1', '2016-03').commission).toBe(-600);
    expect(commissionStatement(data, 'S1', '2016-04').commission).toBe(0);
  });

  it('months as numbers and labels', () => {
    expect([monthNumber('2016-01'), monthLabel(201612)]).toEqual([201601, '2016-12']);
    expect(planTiers(PLAN)).toEqual([
      { from: 0, rate: 200 },
      { from: 100_000, rate: 500 },
      { from: 300_000, rate: 1000 },
    ]);
  });
});

describe('properties', () => {
  const arbitraryData = fc
    .record({
      payments: fc.array(
        fc.record({
          contract: fc.constantFrom('K1', 'K2'),
          day: fc.integer({ min: 0, max: 150 }),
          amount: fc.integer({ min: 1, max: 300_000 }),
          invoiceNo: fc.option(fc.constantFrom('I1', 'I2', 'I3'), { nil: undefined }),
        }),
        { maxLength: 12 },
      ),
      settledMonths: fc.subarray(['2016-01', '2016-02', '2016-03', '2016-04']),
      settledAt: fc.array(fc.integer({ min: -10_000, max: 50_000 }), { minLength: 4, maxLength: 4 }),
    })
    .map((r) => ({
      data: base({
        payments: r.payments.map((p, i) =>
          pay(
            `P${i}`,
            p.contract,
            new Date(Date.UTC(2016, 0, 1 + p.day)).toISOString().slice(0, 10),
            p.amount,
            p.invoiceNo,
          ),
        ),
        commissionSettlements: r.settledMonths.map((m, i) => settle(m, r.settledAt[i] ?? 0)),
      }),
      months: r.settledMonths,
    }));
  const settle = (month: string, commission: number) => ({
    salespersonId: 'S1',
    month: monthNumber(month),
    commission,
    settledOn: '2016-06-01',
  });

  it('an open month’s commission is the sum of its lines; every line’s commission is its amount × rate', () => {
    fc.assert(
      fc.property(arbitraryData, ({ data }) => {
        for (const m of ['2016-01', '2016-02', '2016-03', '2016-04', '2016-05', '2016-06']) {
          const s = commissionStatement(data, 'S1', m);
          if (s.settled) continue;
          expect(s.commission).toBe(s.lines.reduce((t, l) => t + l.commission, 0));
          for (const l of s.lines)
            if (l.rate !== null) expect(l.commission).toBe(Math.floor((l.amount * l.rate) / 10_000 + 0.5));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('settled months never change when their payments do, and the total owed is kept', () => {
    fc.assert(
      fc.property(arbitraryData, fc.integer({ min: 1, max: 100_000 }), ({ data, months }, extra) => {
        const changed = { ...data, payments: data.payments.map((p) => ({ ...p, amount: p.amount + extra })) };
        for (const m of months) {
          expect(commissionStatement(changed, 'S1', m).commission).toBe(commissionStatement(data, 'S1', m).commission);
        }
        // Over January–June, settled plus open months add up to what the records earn today, less what was
        // settled beyond that: Σ statements = Σ own lines of every month (the adjustments carry the differences)
        // whenever June is open, as it is here.
        const all = ['2016-01', '2016-02', '2016-03', '2016-04', '2016-05', '2016-06'];
        const statements = all.map((m) => commissionStatement(changed, 'S1', m));
        const own = statements.map((s) =>
          s.lines.filter((l) => l.kind !== 'adjustment').reduce((t, l) => t + l.commission, 0),
        );
        expect(statements.reduce((t, s) => t + s.commission, 0)).toBe(own.reduce((t, x) => t + x, 0));
      }),
      { numRuns: 200 },
    );
  });
});
