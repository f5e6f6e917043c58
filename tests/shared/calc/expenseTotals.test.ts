// Expense totals per salesperson: a worked example from the real check, and sums that equal the findings' over
// random expenses and findings.
import fc from 'fast-check';
import { EXPENSE_FINDING_CODES, type ExpenseFindingCode } from '../../../shared/api';
import { checkExpenses, reimbursableAmounts, type ExpenseFinding } from '../../../shared/calc/expenseCheck';
import { expenseTotalsBySalesperson, expenseTotalsToWire } from '../../../shared/calc/expenseTotals';
import type { Expense, ExpensePolicy, Salesperson } from '../../../shared/ledgers';

const people: Salesperson[] = [
  { salespersonId: 'S1', name: 'Ann', region: 'East' },
  { salespersonId: 'S2', name: 'Bo', region: 'West' },
  { salespersonId: 'S3', name: 'Cy', region: 'West' },
];
const policies: ExpensePolicy[] = [
  {
    policyId: 'MEALS',
    category: 'meals',
    effectiveFrom: '2016-01-01',
    limitPerClaim: 5000,
    receiptRequiredAbove: 3000,
    needsTrip: false,
    weekendAllowed: false,
  },
];
const e = (expenseId: string, salespersonId: string, amount: number, more: Partial<Expense> = {}): Expense => ({
  expenseId,
  salespersonId,
  category: 'meals',
  incurredOn: '2016-11-08', // a Tuesday
  amount,
  receipt: true,
  ...more,
});

const zero = Object.fromEntries(EXPENSE_FINDING_CODES.map((c) => [c, 0])) as Record<ExpenseFindingCode, number>;

describe('expenseTotalsBySalesperson', () => {
  it('adds up claims, reimbursable amounts, the difference and the findings by rule per salesperson', () => {
    const expenses = [
      // S1: 80.00 over the 50.00 claim limit and without a receipt (reimbursable 30.00, the lower); 20.00 on a Saturday.
      e('E1', 'S1', 8000, { receipt: false }),
      e('E2', 'S1', 2000, { incurredOn: '2016-11-12' }),
      // S2: 40.00 in order, and a taxi with no policy.
      e('E3', 'S2', 4000),
      e('E4', 'S2', 1500, { category: 'taxi' }),
      // S3: nothing wrong.
      e('E5', 'S3', 1000),
    ];
    const findings = checkExpenses({ expenses, trips: [], expensePolicies: policies, salespeople: people });
    expect(findings.map((f) => [f.expenseId, f.code, f.reimbursable])).toEqual([
      ['E1', 'OVER_CLAIM_LIMIT', 5000],
      ['E1', 'RECEIPT_MISSING', 3000],
      ['E2', 'WEEKEND', 0],
      ['E4', 'NO_POLICY', 1500],
    ]);
    const totals = expenseTotalsBySalesperson(expenses, findings);
    expect(totals).toEqual([
      {
        salespersonId: 'S1',
        expenses: 2,
        claimed: 10000,
        reimbursable: 3000,
        difference: 7000,
        findings: { ...zero, OVER_CLAIM_LIMIT: 1, RECEIPT_MISSING: 1, WEEKEND: 1 },
      },
      {
        salespersonId: 'S2',
        expenses: 2,
        claimed: 5500,
        reimbursable: 5500,
        difference: 0,
        findings: { ...zero, NO_POLICY: 1 },
      },
      { salespersonId: 'S3', expenses: 1, claimed: 1000, reimbursable: 1000, difference: 0, findings: zero },
    ]);
    expect(expenseTotalsToWire(totals[0]!)).toEqual({
      salespersonId: 'S1',
      expenses: 2,
      claimed: '100.00',
      reimbursable: '30.00',
      difference: '70.00',
      findings: { ...zero, OVER_CLAIM_LIMIT: 1, RECEIPT_MISSING: 1, WEEKEND: 1 },
    });
  });

  it('has no lines without expenses', () => {
    expect(expenseTotalsBySalesperson([], [])).toEqual([]);
  });

  it('sums equal the findings: claims, reimbursable amounts and counts per code over every salesperson', () => {
    const sp = fc.constantFrom('S1', 'S2', 'S3', 'S4');
    const expensesArb = fc.uniqueArray(
      fc.record({
        expenseId: fc.integer({ min: 1, max: 40 }).map((n) => `E${n}`),
        salespersonId: sp,
        amount: fc.integer({ min: 1, max: 1_000_000 }),
      }),
      { selector: (x) => x.expenseId, maxLength: 30 },
    );
    fc.assert(
      fc.property(
        expensesArb,
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(...EXPENSE_FINDING_CODES), fc.nat(1_000_000)), { maxLength: 40 }),
        (expenses, picks) => {
          // Findings of the listed expenses, each with a reimbursable amount at most the claim (as the check gives).
          const findings: ExpenseFinding[] =
            expenses.length === 0
              ? []
              : picks.map(([i, code, r]) => {
                  const x = expenses[i % expenses.length]!;
                  return {
                    expenseId: x.expenseId,
                    salespersonId: x.salespersonId,
                    incurredOn: '2016-11-08',
                    code,
                    policyId: null,
                    limit: null,
                    actual: null,
                    refersTo: null,
                    claimed: x.amount,
                    reimbursable: r % (x.amount + 1),
                  };
                });
          const totals = expenseTotalsBySalesperson(expenses, findings);
          const sum = (f: (t: (typeof totals)[number]) => number): number => totals.reduce((s, t) => s + f(t), 0);
          expect(sum((t) => t.claimed)).toBe(expenses.reduce((s, x) => s + x.amount, 0));
          const amounts = reimbursableAmounts(
            expenses.map((x) => e(x.expenseId, x.salespersonId, x.amount)),
            findings,
          );
          expect(sum((t) => t.reimbursable)).toBe([...amounts.values()].reduce((s, v) => s + v, 0));
          expect(sum((t) => t.difference)).toBe(sum((t) => t.claimed) - sum((t) => t.reimbursable));
          expect(sum((t) => t.expenses)).toBe(expenses.length);
          for (const code of EXPENSE_FINDING_CODES)
            expect(sum((t) => t.findings[code])).toBe(findings.filter((f) => f.code === code).length);
          expect(totals.map((t) => t.salespersonId)).toEqual([...new Set(expenses.map((x) => x.salespersonId))].sort());
        },
      ),
    );
  });
});
