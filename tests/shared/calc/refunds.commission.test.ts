// Refunds in commission (issue #14, collected basis): a refund's reversal is a clawback line in the refund's month
// at the rates the reversed money earned (highest tier first, late money at the late rate), outside the month's
// tiers; a refund of unapplied money claws nothing; settled months never change. Worked examples and properties.

import fc from 'fast-check';
import { commissionStatement, monthNumber } from '../../../shared/calc/commission';
import { ledgerData, type LedgerData } from '../../../shared/calc/index';
import { addDays } from '../../../shared/dates';
import type { CommissionPlan, Contract, Invoice, InvoiceLine, Payment } from '../../../shared/ledgers';
import { arbLedger } from './fixtures/random';

const contract = (contractId: string): Contract => ({
  contractId,
  customerId: 'C1',
  salespersonId: 'S1',
  region: 'East',
  signedOn: '2016-01-01',
  paymentTermsDays: 30,
  status: 'active',
});
const invoice = (invoiceNo: string, issuedOn: string, dueOn: string): Invoice => ({
  invoiceNo,
  contractId: 'K1',
  issuedOn,
  dueOn,
});
const line = (invoiceNo: string, cents: number): InvoiceLine => ({
  invoiceNo,
  lineNo: 1,
  itemCode: 'A',
  quantity: 1,
  unitPrice: cents * 100,
});
const pay = (paymentId: string, receivedOn: string, amount: number, invoiceNo?: string): Payment =>
  invoiceNo === undefined
    ? { paymentId, contractId: 'K1', receivedOn, amount }
    : { paymentId, contractId: 'K1', receivedOn, amount, invoiceNo };

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

function data(payments: Payment[], extra: Partial<LedgerData> = {}): LedgerData {
  return ledgerData({
    salespeople: [{ salespersonId: 'S1', name: 'Sam', region: 'East', planId: 'TIERED' }],
    commissionPlans: [PLAN],
    contracts: [contract('K1')],
    invoices: [
      invoice('I1', '2016-01-10', '2016-02-09'), // 2,000.00
      invoice('I2', '2016-02-20', '2016-03-21'), // 1,000.00
      invoice('I3', '2016-01-05', '2016-02-04'), // 100.00
    ],
    invoiceLines: [line('I1', 200_000), line('I2', 100_000), line('I3', 10_000)],
    payments,
    ...extra,
  });
}

const brief = (s: ReturnType<typeof commissionStatement>) =>
  s.lines.map((l) => [l.kind, l.paymentId, l.invoiceNo, l.amount, l.rate, l.commission]);

describe('refund clawback: worked examples', () => {
  // P1 pays I1 in February across two tiers: 1,000.00 at 2 % and 1,000.00 at 5 % = 70.00.
  const P1 = pay('P1', '2016-02-01', 200_000, 'I1');

  it('claws back at the rates the reversed money earned, highest tier first, outside the month’s tiers', () => {
    const d = data([
      P1,
      pay('R1', '2016-03-05', -120_000, 'I1'), // reopens 1,200.00 of I1
      pay('P2', '2016-03-10', 50_000, 'I2'),
      pay('R2', '2016-03-20', -30_000, 'I1'), // goes on where R1 stopped: all at 2 %
    ]);
    const feb = commissionStatement(d, 'S1', '2016-02');
    expect(brief(feb)).toEqual([
      ['allocation', 'P1', 'I1', 100_000, 200, 2000],
      ['allocation', 'P1', 'I1', 100_000, 500, 5000],
    ]);
    const mar = commissionStatement(d, 'S1', '2016-03');
    expect(brief(mar)).toEqual([
      ['refund', 'R1', 'I1', -100_000, 500, -5000],
      ['refund', 'R1', 'I1', -20_000, 200, -400],
      // The refunds do not count toward March's tiers: P2 starts at the first tier.
      ['allocation', 'P2', 'I2', 50_000, 200, 1000],
      ['refund', 'R2', 'I1', -30_000, 200, -600],
    ]);
    expect(mar.commission).toBe(-5000 - 400 + 1000 - 600);
    expect(mar.lines.find((l) => l.kind === 'refund')).toMatchObject({ date: '2016-03-05', daysLate: null });
  });

  it('late money is clawed back at the late rate', () => {
    // I3 due 2016-02-04, paid 2016-05-01: 87 days late, 1 % flat.
    const d = data([pay('P3', '2016-05-01', 10_000, 'I3'), pay('R3', '2016-06-02', -10_000, 'I3')]);
    expect(brief(commissionStatement(d, 'S1', '2016-05'))).toEqual([['allocation', 'P3', 'I3', 10_000, 100, 100]]);
    const jun = commissionStatement(d, 'S1', '2016-06');
    expect(brief(jun)).toEqual([['refund', 'R3', 'I3', -10_000, 100, -100]]);
    expect(jun.commission).toBe(-100);
  });

  it('a refund that only takes back unapplied money claws nothing back', () => {
    // 2,050.00 on I1, the contract's only invoice (2,000.00): 50.00 unapplied, refunded in March.
    const d = data([pay('P1', '2016-02-01', 205_000, 'I1'), pay('R1', '2016-03-05', -5_000)], {
      invoices: [invoice('I1', '2016-01-10', '2016-02-09')],
      invoiceLines: [line('I1', 200_000)],
    });
    const mar = commissionStatement(d, 'S1', '2016-03');
    expect(mar.lines).toEqual([]);
    expect(mar.commission).toBe(0);
    expect(commissionStatement(d, 'S1', '2016-02').commission).toBe(7000);
  });

  it('with the invoiced basis a refund earns and claws back nothing', () => {
    const invoiced: CommissionPlan = { ...PLAN, basis: 'invoiced' };
    const d = data([P1, pay('R1', '2016-03-05', -120_000, 'I1')], { commissionPlans: [invoiced] });
    expect(commissionStatement(d, 'S1', '2016-03').lines).toEqual([]);
    expect(brief(commissionStatement(d, 'S1', '2016-01')).map((l) => l[0])).toEqual(['invoice', 'invoice', 'invoice']);
  });

  it('rounds a clawback half-up (away from zero) like the line it reverses', () => {
    // 0.25 at 2 % = 0.005: 1 cent earned, 1 cent clawed back.
    const d = data([pay('P1', '2016-02-01', 25, 'I3'), pay('R1', '2016-02-02', -25, 'I3')]);
    const feb = commissionStatement(d, 'S1', '2016-02');
    expect(brief(feb)).toEqual([
      ['allocation', 'P1', 'I3', 25, 200, 1],
      ['refund', 'R1', 'I3', -25, 200, -1],
    ]);
    expect(feb.commission).toBe(0);
  });

  it('a refund in an open month after a settled month never changes the settled month', () => {
    const settlement = {
      salespersonId: 'S1',
      month: monthNumber('2016-02'),
      commission: 7000,
      settledOn: '2016-03-01',
    };
    const without = data([P1], { commissionSettlements: [settlement] });
    const withRefund = data([P1, pay('R1', '2016-03-05', -120_000, 'I1')], { commissionSettlements: [settlement] });
    expect(commissionStatement(withRefund, 'S1', '2016-02')).toEqual(commissionStatement(without, 'S1', '2016-02'));
    const mar = commissionStatement(withRefund, 'S1', '2016-03');
    // The clawback is March's own line: no adjustment for February.
    expect(mar.lines.map((l) => l.kind)).toEqual(['refund', 'refund']);
    expect(mar.commission).toBe(-5400);
  });
});

/** Random ledgers of salespeople on one plan, some payments turned into refunds. */
function arbCommissionLedger(plan: fc.Arbitrary<CommissionPlan>): fc.Arbitrary<LedgerData> {
  return fc.tuple(arbLedger(), fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }), plan).map(([d, flips, p]) => ({
    ...d,
    // Payments and refunds only: a credit note beyond its invoice is unapplied money a refund would take back first.
    creditNotes: [],
    commissionPlans: [p],
    salespeople: d.salespeople.map((s) => ({ ...s, planId: p.planId })),
    payments: d.payments.map((x, i) => (flips[i] === true ? { ...x, amount: -Math.ceil(x.amount / 2) } : x)),
  }));
}

const arbTieredPlan = fc.constant(PLAN);
const arbSingleTier = fc
  .record({ rate1: fc.integer({ min: 0, max: 10_000 }), late: fc.option(fc.integer({ min: 0, max: 10_000 })) })
  .map(({ rate1, late }): CommissionPlan =>
    late === null
      ? { planId: 'ONE', basis: 'collected', rate1 }
      : { planId: 'ONE', basis: 'collected', rate1, lateAfterDays: 30, lateRate: late },
  );
const months = (d: LedgerData) => [...new Set(d.payments.map((p) => p.receivedOn.slice(0, 7)))];

describe('refund clawback: properties', () => {
  it("a month's commission is the sum of its lines, refunds included", () => {
    fc.assert(
      fc.property(arbCommissionLedger(fc.oneof(arbTieredPlan, arbSingleTier)), (d) => {
        for (const sp of ['S1', 'S2', 'S3'])
          for (const m of months(d)) {
            const s = commissionStatement(d, sp, m);
            expect(s.commission).toBe(s.lines.reduce((t, l) => t + l.commission, 0));
            for (const l of s.lines.filter((x) => x.kind === 'refund')) {
              expect(l.amount).toBeLessThan(0);
              expect(l.commission).toBeLessThanOrEqual(0);
              expect(l.date.slice(0, 7)).toBe(m);
            }
          }
      }),
      { numRuns: 150 },
    );
  });

  it('each payment refunded in full right after it, the same day: every month nets to 0 (any plan)', () => {
    fc.assert(
      fc.property(arbCommissionLedger(fc.oneof(arbTieredPlan, arbSingleTier)), (d) => {
        // Every payment followed right by its refund: same day, the next paymentId ("P3a" < "P3b" < "P5a").
        const payments = d.payments
          .filter((p) => p.amount > 0)
          .flatMap((p) => [
            { ...p, paymentId: `${p.paymentId}a` },
            { ...p, paymentId: `${p.paymentId}b`, amount: -p.amount },
          ]);
        const refunded = { ...d, payments };
        for (const sp of ['S1', 'S2', 'S3'])
          for (const m of months(refunded)) expect(commissionStatement(refunded, sp, m).commission).toBe(0);
      }),
      { numRuns: 150 },
    );
  });

  it('a refund never changes the statements of the months before it', () => {
    fc.assert(
      fc.property(
        arbCommissionLedger(fc.oneof(arbTieredPlan, arbSingleTier)),
        fc.constantFrom('C1', 'C2', 'C3', 'C4'),
        fc.integer({ min: 0, max: 700 }),
        fc.integer({ min: 1, max: 5_000_000 }),
        (d, contractId, day, amount) => {
          const receivedOn = addDays('2015-07-01', day);
          const refund: Payment = { paymentId: 'RX', contractId, receivedOn, amount: -amount };
          const withRefund = { ...d, payments: [...d.payments, refund] };
          for (const sp of ['S1', 'S2', 'S3'])
            for (const m of months(d).filter((x) => x < receivedOn.slice(0, 7)))
              expect(commissionStatement(withRefund, sp, m)).toEqual(commissionStatement(d, sp, m));
        },
      ),
      { numRuns: 150 },
    );
  });
});
