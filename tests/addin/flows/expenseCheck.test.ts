// Tests addin/flows/expenseCheck.ts: the shared expense check on the sheet's rows, marked cells and the result sheet.
import {
  EXPENSE_CHECK_SPEC,
  EXPENSE_TOTALS_SPEC,
  checkWorkbookExpenses,
  findingsByRuleText,
} from '../../../addin/flows/expenseCheck';
import { expenseCheckCommand } from '../../../addin/src/expenseCommands';
import type { PaneMessage } from '../../../addin/src/message';
import type { SalespersonExpenseTotals } from '../../../shared/calc/expenseTotals';
import { FINDING_FILL } from '../../../addin/flows/invoiceCheck';
import { SAMPLE, fillAt, ledgerCells, ledgerWorkbook, noteAt } from '../support/ledgerWorkbook';

const SHEET_ROWS = {
  ...SAMPLE,
  expensePolicies: [
    { policyId: 'HOTEL', category: 'hotel', effectiveFrom: '2016-01-01', limitPerClaim: '120', needsTrip: true },
    {
      policyId: 'PD',
      category: 'perDiem',
      effectiveFrom: '2016-01-01',
      perDiemPerTripDay: '40',
      needsTrip: true,
    },
    { policyId: 'TRAVEL', category: 'travel', effectiveFrom: '2016-01-01', receiptRequiredAbove: '100' },
  ],
  trips: [{ tripId: 'T1', salespersonId: 'S1', departOn: '2016-11-07', returnOn: '2016-11-08', destination: 'Lyon' }],
  expenses: [
    // SAMPLE's E1: travel 120.00 on 2016-11-03 without a receipt.
    ...(SAMPLE.expenses ?? []),
    { expenseId: 'E2', salespersonId: 'S1', category: 'hotel', incurredOn: '2016-11-08', amount: '150.00' },
    { expenseId: 'E3', salespersonId: 'S1', category: 'perDiem', incurredOn: '2016-11-07', amount: '120', tripDays: 3 },
    { expenseId: 'E4', salespersonId: 'S1', category: 'golf', incurredOn: '2016-11-07', amount: '10' },
  ],
};

describe('check expenses', () => {
  it('marks the offending cells and writes the Expense check sheet with the exact findings', async () => {
    const wb = await ledgerWorkbook(SHEET_ROWS);
    const res = await checkWorkbookExpenses(wb);
    expect(res.expensesChecked).toBe(4);
    expect(res.skippedRows).toBe(0);
    expect(res.findings.map((f) => [f.expenseId, f.code, f.limit, f.actual, f.reimbursable, f.address])).toEqual([
      ['E1', 'RECEIPT_MISSING', 10000, 12000, 10000, 'Expenses!G2'],
      ['E3', 'PER_DIEM_DAYS_EXCEEDED', 2, 3, 8000, 'Expenses!F4'],
      ['E4', 'NO_POLICY', null, null, 1000, 'Expenses!C5'],
      ['E2', 'OVER_CLAIM_LIMIT', 12000, 15000, 12000, 'Expenses!E3'],
    ]);
    // Claimed 120 + 150 + 120 + 10; reimbursable 100 + 120 + 80 + 10.
    expect([res.claimed, res.reimbursable]).toEqual([40000, 31000]);
    expect(fillAt(wb, 'expenses', 2, 'Trip days')).toBe(FINDING_FILL);
    expect(noteAt(wb, 'expenses', 2, 'Trip days')).toBe(
      "Ledgerdesk: PER_DIEM_DAYS_EXCEEDED: the per-diem days claimed go beyond the trip's days " +
        '(limit 2 days, actual 3 days, trip T1, claimed 120.00, reimbursable 80.00)',
    );
    expect(noteAt(wb, 'expenses', 0, 'Receipt')).toBe(
      'Ledgerdesk: RECEIPT_MISSING: a receipt is required above this amount ' +
        '(limit 100.00, actual 120.00, claimed 120.00, reimbursable 100.00)',
    );
    expect(fillAt(wb, 'expenses', 1, 'Incurred on')).toBeUndefined();
    const sheet = wb.tables.get('ExpenseCheck');
    expect(sheet?.sheet).toBe('Expense check');
    expect(sheet?.columns.map((c) => c.name)).toEqual(EXPENSE_CHECK_SPEC.columns.map((c) => c.name));
    expect(sheet?.rows).toEqual([
      ['E1', 'S1', '2016-11-03', 'RECEIPT_MISSING', 'TRAVEL', 100, 120, '', 120, 100, 'Expenses!G2'],
      ['E3', 'S1', '2016-11-07', 'PER_DIEM_DAYS_EXCEEDED', 'PD', 2, 3, 'T1', 120, 80, 'Expenses!F4'],
      ['E4', 'S1', '2016-11-07', 'NO_POLICY', '', '', '', '', 10, 10, 'Expenses!C5'],
      ['E2', 'S1', '2016-11-08', 'OVER_CLAIM_LIMIT', 'HOTEL', 120, 150, '', 150, 120, 'Expenses!E3'],
    ]);
  });

  it('clears old marks when the findings are fixed, and leaves invalid rows out', async () => {
    const wb = await ledgerWorkbook(SHEET_ROWS);
    await checkWorkbookExpenses(wb);
    expect(fillAt(wb, 'expenses', 3, 'Category')).toBe(FINDING_FILL);
    await wb.writeRows(
      'Expenses',
      [
        { expenseId: 'E1', salespersonId: 'S1', category: 'travel', incurredOn: '2016-11-03', amount: '99' },
        { expenseId: 'E9', salespersonId: 'S1', category: 'travel', incurredOn: 'not a date', amount: '1' },
      ].map((r) => ledgerCells('expenses', r)),
      'replace',
    );
    const res = await checkWorkbookExpenses(wb);
    expect(res.findings).toEqual([]);
    expect(res.skippedRows).toBe(1);
    expect(fillAt(wb, 'expenses', 3, 'Category')).toBeUndefined();
    expect(noteAt(wb, 'expenses', 0, 'Receipt')).toBeUndefined();
    expect(wb.tables.get('ExpenseCheck')?.rows).toEqual([['', '', '', '', '', '', '', '', '', '', '']]);
    // The totals follow: E1 alone (99.00, nothing cut), no findings.
    expect(wb.tables.get('ExpenseTotals')?.rows).toEqual([['S1', 1, 99, 99, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]);
  });

  it('writes the totals per salesperson beside the findings: claimed, reimbursable, difference, findings by rule', async () => {
    const wb = await ledgerWorkbook({
      ...SHEET_ROWS,
      salespeople: [...(SHEET_ROWS.salespeople ?? []), { salespersonId: 'S2', name: 'Ann', region: 'West' }],
      expenses: [
        ...SHEET_ROWS.expenses,
        // S2: a hotel night outside every trip (reimbursable 0), and a taxi no policy covers.
        { expenseId: 'E5', salespersonId: 'S2', category: 'hotel', incurredOn: '2016-11-09', amount: '90' },
        { expenseId: 'E6', salespersonId: 'S2', category: 'taxi', incurredOn: '2016-11-09', amount: '12.40' },
      ],
    });
    const res = await checkWorkbookExpenses(wb);
    expect(res.totals.map((t) => [t.salespersonId, t.expenses, t.claimed, t.reimbursable, t.difference])).toEqual([
      ['S1', 4, 40000, 31000, 9000],
      ['S2', 2, 10240, 1240, 9000],
    ]);
    // The pane's totals are the sums of the lines.
    expect([res.claimed, res.reimbursable]).toEqual([50240, 32240]);
    const table = wb.tables.get('ExpenseTotals');
    expect(table?.sheet).toBe('Expense check');
    // One empty column right of the findings (A:K), so from M1.
    expect(table?.origin).toEqual({ row: 0, column: 12 });
    expect(table?.columns.map((c) => c.name)).toEqual([
      'Salesperson ID',
      'Expenses',
      'Claimed',
      'Reimbursable',
      'Difference',
      'Findings',
      'NO_POLICY',
      'DUPLICATE',
      'OVER_CLAIM_LIMIT',
      'OVER_DAILY_LIMIT',
      'RECEIPT_MISSING',
      'OUTSIDE_TRIP',
      'PER_DIEM_DAYS_EXCEEDED',
      'WEEKEND',
    ]);
    expect(table?.columns.map((c) => c.name)).toEqual(EXPENSE_TOTALS_SPEC.columns.map((c) => c.name));
    expect(table?.rows).toEqual([
      // S1: receipt missing (E1), per-diem days (E3), no policy (E4), over the claim limit (E2).
      ['S1', 4, 400, 310, 90, 4, 1, 0, 1, 0, 1, 0, 1, 0],
      // S2: outside trip (E5), no policy (E6).
      ['S2', 2, 102.4, 12.4, 90, 2, 1, 0, 0, 0, 0, 1, 0, 0],
    ]);
    // Both tables on one sheet, the findings left as they were.
    expect(wb.tables.get('ExpenseCheck')?.rows).toHaveLength(6);
    expect(res.totals.map(findingsByRuleText)).toEqual([
      'NO_POLICY 1, OVER_CLAIM_LIMIT 1, RECEIPT_MISSING 1, PER_DIEM_DAYS_EXCEEDED 1',
      'NO_POLICY 1, OUTSIDE_TRIP 1',
    ]);

    // The pane's command hands the same lines to the Sheets tab's table and counts the salespeople in its message.
    let said: PaneMessage | undefined;
    let shown: SalespersonExpenseTotals[] = [];
    await expenseCheckCommand({
      workbook: wb,
      run: async (_what, body) => {
        said = await body(new AbortController().signal);
      },
      setProgress: () => undefined,
      setPlaces: () => undefined,
      setTotals: (t) => {
        shown = t;
      },
    }).act();
    expect(shown).toEqual(res.totals);
    expect(said).toEqual({
      intent: 'warning',
      title: '6 findings',
      text:
        '6 expenses checked: 502.40 claimed, 322.40 reimbursable; the totals of 2 salespeople are below and on the ' +
        'Expense check sheet.',
    });
  });
});
