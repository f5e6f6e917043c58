// Issue #14's claims that no other test pinned down: the customer statement's order on one day ("invoices, then
// credit notes, then payments, then refunds"), the attendance rule "absent plus leave at most the working days", and
// the expense check's "expenseIds limits the findings reported, not the ... duplicate and trip groups counted", a
// credit note "whose invoice is not one of the contract's invoices issued by asOf" being unapplied money, and % of plan
// "half-up to one decimal", and a commission plan's "rate1 from 0 and up to three more tiers fromN/rateN with ascending
// starts", and refunds' "Payments and refunds are taken together in receivedOn order, then paymentId".
import { ageAll } from '../../../shared/calc/aging';
import { commissionStatement, planTiers } from '../../../shared/calc/commission';
import { checkExpenses } from '../../../shared/calc/expenseCheck';
import { ledgerData } from '../../../shared/calc/index';
import { planFigure } from '../../../shared/calc/plan';
import { customerStatement } from '../../../shared/calc/statement';
import { parseRow, type Expense, type ExpensePolicy } from '../../../shared/ledgers';
import { contract, invoice, invoiceLine, money, payment } from './fixtures/records';

describe('customer statement: the lines of one day', () => {
  it('come as invoice, credit note, payment, refund, whatever their numbers', () => {
    // Numbers in the opposite order (refund AR < payment PX < credit note YC < invoice ZI), so only the kind orders.
    const data = ledgerData({
      contracts: [contract('C1')],
      invoices: [invoice('ZI', 'C1', '2016-01-10')],
      invoiceLines: [invoiceLine('ZI', 1, 'A', 1, '100.00')],
      creditNotes: [
        {
          creditNoteNo: 'YC',
          contractId: 'C1',
          invoiceNo: 'ZI',
          issuedOn: '2016-01-10',
          amount: money('40.00'),
          creditReason: 'price reduction',
        },
      ],
      payments: [payment('PX', 'C1', '2016-01-10', '60.00'), payment('AR', 'C1', '2016-01-10', '-10.00', 'ZI')],
    });
    const s = customerStatement(data, 'K1', '2016-01-01', '2016-01-31');
    expect(s.lines.map((l) => [l.kind, l.ref, l.debit, l.credit, l.balance])).toEqual([
      ['invoice', 'ZI', money('100.00'), 0, money('100.00')],
      ['creditNote', 'YC', 0, money('40.00'), money('60.00')],
      ['payment', 'PX', 0, money('60.00'), 0],
      ['refund', 'AR', money('10.00'), 0, money('10.00')],
    ]);
    expect(s.closingBalance).toBe(money('10.00'));
  });
});

describe('attendance', () => {
  it('refuses absent plus leave days above the working days, though each alone is within them', () => {
    const row = { salespersonId: 'S1', month: 201611, workingDays: 20, absentDays: 10, leaveDays: 11 };
    const r = parseRow('attendance', row);
    expect(r.ok ? [] : r.errors).toEqual([
      { field: 'absentDays', message: 'absent and leave days (21) exceed working days (20)' },
    ]);
    expect(parseRow('attendance', { ...row, leaveDays: 10 }).ok).toBe(true);
  });
});

describe('expense check with expenseIds', () => {
  const people = [{ salespersonId: 'S1', name: 'Ann', region: 'East' }];
  const policies: ExpensePolicy[] = [
    { policyId: 'M', category: 'meals', effectiveFrom: '2016-01-01', needsTrip: false, weekendAllowed: true },
    {
      policyId: 'PD',
      category: 'perDiem',
      effectiveFrom: '2016-01-01',
      perDiemPerTripDay: 4000,
      needsTrip: true,
      weekendAllowed: true,
    },
  ];
  const trips = [
    { tripId: 'T1', salespersonId: 'S1', departOn: '2016-11-07', returnOn: '2016-11-08', destination: 'Lyon' },
  ];
  const x = (expenseId: string, e: Partial<Expense>): Expense => ({
    expenseId,
    salespersonId: 'S1',
    category: 'meals',
    incurredOn: '2016-11-08',
    amount: 1000,
    ...e,
  });
  const expenses = [
    x('E1', { merchant: 'Cafe' }),
    x('E2', { merchant: 'Cafe' }), // a copy of E1
    x('E3', { category: 'perDiem', incurredOn: '2016-11-07', tripDays: 2, amount: 8000 }), // T1's two days
    x('E4', { category: 'perDiem', incurredOn: '2016-11-08', amount: 4000 }), // a third day
  ];

  it('still counts the unrequested expenses in the duplicate and per-diem groups', () => {
    const found = checkExpenses(
      { expenses, trips, expensePolicies: policies, salespeople: people },
      { expenseIds: ['E2', 'E4'] },
    );
    expect(found.map((f) => [f.expenseId, f.code, f.refersTo, f.limit, f.actual, f.reimbursable])).toEqual([
      ['E2', 'DUPLICATE', 'E1', null, 1000, 0],
      ['E4', 'PER_DIEM_DAYS_EXCEEDED', 'T1', 2, 3, 0],
    ]);
    // Alone, neither breaks a rule.
    const alone = expenses.filter((e) => e.expenseId === 'E2' || e.expenseId === 'E4');
    expect(checkExpenses({ expenses: alone, trips, expensePolicies: policies, salespeople: people })).toEqual([]);
  });
});

describe('receivables: a credit note without an invoice of its contract issued by asOf', () => {
  it('is unapplied money of the contract, set against no invoice', () => {
    const cn = (creditNoteNo: string, invoiceNo: string, amount: string) => ({
      creditNoteNo,
      contractId: 'C1',
      invoiceNo,
      issuedOn: '2016-03-20',
      amount: money(amount),
      creditReason: 'price reduction',
    });
    const data = ledgerData({
      contracts: [contract('C1')],
      invoices: [invoice('I1', 'C1', '2016-01-10'), invoice('I3', 'C1', '2016-04-01')],
      invoiceLines: [invoiceLine('I1', 1, 'A', 1, '1000.00'), invoiceLine('I3', 1, 'A', 1, '100.00')],
      // CN3 credits I3, issued after asOf; CNX names no invoice of C1.
      creditNotes: [cn('CN3', 'I3', '50.00'), cn('CNX', 'IX', '20.00')],
    });
    const [c] = ageAll(data, '2016-03-31');
    expect(c?.invoices.map((i) => [i.invoiceNo, i.amount, i.outstanding])).toEqual([['I1', 100_000, 100_000]]);
    expect(c?.unapplied).toBe(money('70.00'));
    // Once I3 is issued, CN3 lowers it; CNX stays unapplied.
    const [later] = ageAll(data, '2016-04-30');
    expect(later?.invoices.map((i) => [i.invoiceNo, i.amount, i.outstanding])).toEqual([
      ['I1', 100_000, 100_000],
      ['I3', 5_000, 5_000],
    ]);
    expect(later?.unapplied).toBe(money('20.00'));
  });
});

describe('% of plan', () => {
  it('rounds a tie half-up (away from zero) to one decimal', () => {
    // 1,001 / 2,000 = 50.05 %: half-up 50.1, where half-to-even or truncation would give 50.0.
    expect(planFigure('collected', 2_000, 1_001).pctOfPlan).toBe(50.1);
    expect(planFigure('collected', 2_000, -1_001).pctOfPlan).toBe(-50.1);
    expect(planFigure('collected', 2_000, 1_000_999).pctOfPlan).toBe(50_050); // 50,049.95 %
  });
});

describe('a commission plan of four tiers', () => {
  const plan = { planId: 'F', rate1: '0.01', from2: '100', rate2: '0.02', from3: '200', rate3: '0.03' };

  it('takes a fourth tier above the third and no fifth', () => {
    const parsed = parseRow('commissionPlans', { ...plan, from4: '300', rate4: '0.04' });
    expect(parsed.ok && planTiers(parsed.record)).toEqual([
      { from: 0, rate: 100 },
      { from: 10_000, rate: 200 },
      { from: 20_000, rate: 300 },
      { from: 30_000, rate: 400 },
    ]);
    const low = parseRow('commissionPlans', { ...plan, from4: '200', rate4: '0.04' });
    expect(low.ok ? [] : low.errors).toEqual([{ field: 'from4', message: "must be above the previous tier's start" }]);
    const fifth = parseRow('commissionPlans', { ...plan, from4: '300', rate4: '0.04', from5: '400', rate5: '0.05' });
    expect(fifth.ok ? [] : fifth.errors.map((e) => e.field).sort()).toEqual(['from5', 'rate5']);
  });

  it('splits a payment across all four tiers, each part at its rate', () => {
    const parsed = parseRow('commissionPlans', { ...plan, from4: '300', rate4: '0.04' });
    if (!parsed.ok) throw new Error('the plan should parse');
    const data = ledgerData({
      salespeople: [{ salespersonId: 'S1', name: 'Sam', region: 'East', planId: 'F' }],
      commissionPlans: [parsed.record],
      contracts: [contract('C1')],
      invoices: [invoice('I1', 'C1', '2016-01-10')],
      invoiceLines: [invoiceLine('I1', 1, 'A', 1, '450.00')],
      payments: [payment('P1', 'C1', '2016-02-01', '450.00')],
    });
    const s = commissionStatement(data, 'S1', '2016-02');
    expect(s.lines.map((l) => [l.amount, l.rate, l.commission])).toEqual([
      [10_000, 100, 100], // 100.00 at 1 %
      [10_000, 200, 200], // 100.00 at 2 %
      [10_000, 300, 300], // 100.00 at 3 %
      [15_000, 400, 600], // 150.00 at 4 %
    ]);
    expect(s.commission).toBe(1_200);
  });
});

describe('payments and refunds of one day', () => {
  it('are taken in paymentId order, not in the order they were written', () => {
    // I1 100.00, paid by P0 in January. On 2016-02-10 B1 pays 100.00 and A1 pays 30.00 of I1 back; A1 < B1, so A1
    // comes first: it reverses 30.00 of P0's money, and B1 settles I1 again with 30.00 (70.00 unapplied). Taken in
    // the written order, B1 would find I1 settled and A1 would only take back unapplied money: no commission lines.
    const data = ledgerData({
      salespeople: [{ salespersonId: 'S1', name: 'Sam', region: 'East', commissionRate: 1000 }],
      contracts: [contract('C1')],
      invoices: [invoice('I1', 'C1', '2016-01-10')],
      invoiceLines: [invoiceLine('I1', 1, 'A', 1, '100.00')],
      payments: [
        payment('P0', 'C1', '2016-01-20', '100.00', 'I1'),
        payment('B1', 'C1', '2016-02-10', '100.00'),
        payment('A1', 'C1', '2016-02-10', '-30.00', 'I1'),
      ],
    });
    const feb = commissionStatement(data, 'S1', '2016-02');
    expect(feb.lines.map((l) => [l.kind, l.paymentId, l.invoiceNo, l.amount, l.commission])).toEqual([
      ['refund', 'A1', 'I1', -3_000, -300],
      ['allocation', 'B1', 'I1', 3_000, 300],
    ]);
    const [c] = ageAll(data, '2016-02-28');
    expect([c?.invoices.map((i) => i.outstanding), c?.unapplied]).toEqual([[0], money('70.00')]);
  });
});

describe('per-diem days of a trip the expense names', () => {
  it('count against the named trip, not another trip covering the date', () => {
    const policies: ExpensePolicy[] = [
      {
        policyId: 'PD',
        category: 'perDiem',
        effectiveFrom: '2016-01-01',
        perDiemPerTripDay: 4000,
        needsTrip: true,
        weekendAllowed: true,
      },
    ];
    // T1 covers 7–9 November (3 days); T2 is the 8th alone (1 day).
    const trips = [
      { tripId: 'T1', salespersonId: 'S1', departOn: '2016-11-07', returnOn: '2016-11-09', destination: 'Lyon' },
      { tripId: 'T2', salespersonId: 'S1', departOn: '2016-11-08', returnOn: '2016-11-08', destination: 'Dijon' },
    ];
    const pd = (expenseId: string, tripId?: string): Expense => ({
      expenseId,
      salespersonId: 'S1',
      category: 'perDiem',
      incurredOn: '2016-11-08',
      amount: 4000,
      ...(tripId === undefined ? {} : { tripId }),
    });
    const people = [{ salespersonId: 'S1', name: 'Ann', region: 'East' }];
    const named = checkExpenses({
      expenses: [pd('E1', 'T2'), pd('E2', 'T2')],
      trips,
      expensePolicies: policies,
      salespeople: people,
    });
    expect(named.map((f) => [f.expenseId, f.code, f.refersTo, f.limit, f.actual, f.reimbursable])).toEqual([
      ['E2', 'PER_DIEM_DAYS_EXCEEDED', 'T2', 1, 2, 0],
    ]);
    // The same two days on T1 (named) fit its three days.
    const onT1 = checkExpenses({
      expenses: [pd('E1', 'T1'), pd('E2', 'T1')],
      trips,
      expensePolicies: policies,
      salespeople: people,
    });
    expect(onT1).toEqual([]);
  });
});
