// Tests addin/flows/expenseCheck.ts: the shared expense check on the sheet's rows, marked cells and the result sheet.
import { EXPENSE_CHECK_SPEC, checkWorkbookExpenses } from '../../../addin/flows/expenseCheck';
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
  });
});
