// Tests addin/flows/budgets.ts against the real local API on Azurite: budgets and expenses published and approved
// like any ledger become the Budgets vs expenses sheet, per region and category.
import type { LedgerApiClient } from '../../../addin/flows/apiClient';
import { BUDGETS_SPEC, budgetsMessage, writeBudgetsVsExpenses } from '../../../addin/flows/budgets';
import { createMemoryWorkbook } from '../../../addin/excel/memoryWorkbook';
import type { Rows } from '../support/ledgerWorkbook';
import { startLocalApi, type LocalApi } from '../support/localApi';
import { publishApproved } from '../support/publishApproved';

const ROWS: Rows = {
  salespeople: [
    { salespersonId: 'BS1', name: 'Sam', region: 'East' },
    { salespersonId: 'BS2', name: 'Wes', region: 'West' },
  ],
  budgets: [
    { budgetId: 'BB1', region: 'East', period: '2016-11', category: 'hotel', amount: '100' },
    { budgetId: 'BB2', region: 'East', period: '2016-11', category: 'meals', amount: '80' },
    { budgetId: 'BB3', region: 'West', period: '2016-11', category: 'hotel', amount: '0' },
    { budgetId: 'BB4', region: 'East', period: '2016-Q4', category: 'hotel', amount: '300' },
  ],
  expenses: [
    { expenseId: 'BX1', salespersonId: 'BS1', category: 'hotel', incurredOn: '2016-11-09', amount: '150' },
    { expenseId: 'BX2', salespersonId: 'BS1', category: 'meals', incurredOn: '2016-11-10', amount: '20.40' },
    { expenseId: 'BX3', salespersonId: 'BS2', category: 'hotel', incurredOn: '2016-11-03', amount: '60' },
    { expenseId: 'BX4', salespersonId: 'BS1', category: 'hotel', incurredOn: '2016-12-01', amount: '40' },
  ],
};

describe('Budgets vs expenses against the local API', () => {
  let api: LocalApi;
  let manager: LedgerApiClient;

  beforeAll(async () => {
    api = await startLocalApi();
    manager = await api.client('mia.manager', ['manager']);
    expect(await publishApproved(api, ROWS)).toBe(10);
  });
  afterAll(async () => {
    await api.close();
  });

  it('writes budget, expenses, variance and % of budget per region and category for a month', async () => {
    const wb = createMemoryWorkbook();
    expect(await writeBudgetsVsExpenses(wb, manager, { period: ' 2016-11 ' })).toEqual({
      lines: 3,
      budget: 18000,
      expenses: 23040,
      currency: 'EUR',
      over: 2,
    });
    const table = wb.tables.get('BudgetsVsExpenses');
    expect(table?.sheet).toBe('Budgets vs expenses');
    expect(table?.columns.map((c) => c.name)).toEqual([
      'Region',
      'Category',
      'Budget',
      'Expenses',
      'Variance',
      '% of budget',
    ]);
    expect(table?.columns.map((c) => c.numberFormat)).toEqual(BUDGETS_SPEC.columns.map((c) => c.numberFormat));
    expect(table?.rows).toEqual([
      ['East', 'hotel', 100, 150, 50, 1.5],
      ['East', 'meals', 80, 20.4, -59.6, 0.255],
      // A zero budget: no % of budget.
      ['West', 'hotel', 0, 60, 60, ''],
    ]);
    expect(
      budgetsMessage({ period: ' 2016-11 ' }, { lines: 3, budget: 18000, expenses: 23040, currency: 'EUR', over: 2 }),
    ).toEqual({
      intent: 'success',
      title: 'Budgets vs expenses written',
      text:
        '3 budget lines for 2016-11 on the Budgets vs expenses sheet: 180.00 budgeted, 230.40 spent (EUR); ' +
        '2 lines over budget.',
    });
  });

  it("narrows to one region and takes a quarter's own budgets", async () => {
    const wb = createMemoryWorkbook();
    const w = await writeBudgetsVsExpenses(wb, manager, { period: '2016-Q4', region: 'east' });
    expect(w).toEqual({ lines: 1, budget: 30000, expenses: 19000, currency: 'EUR', over: 0 });
    // 150.00 in November and 40.00 in December against 300.00: 63.3 %.
    expect(wb.tables.get('BudgetsVsExpenses')?.rows).toEqual([['East', 'hotel', 300, 190, -110, 0.633]]);
    // A region without budgets leaves the sheet with an empty row.
    const none = await writeBudgetsVsExpenses(wb, manager, { period: '2016-11', region: 'North' });
    expect(none.lines).toBe(0);
    expect(wb.tables.get('BudgetsVsExpenses')?.rows).toEqual([['', '', '', '', '', '']]);
    expect(budgetsMessage({ period: '2016-11', region: 'North' }, none)).toEqual({
      intent: 'warning',
      title: 'No budgets',
      text: 'There is no approved budget for 2016-11 in region North; the Budgets vs expenses sheet is empty.',
    });
    expect(budgetsMessage({ period: '2016-Q4', region: 'east' }, w).text).toBe(
      '1 budget line for 2016-Q4 in region east on the Budgets vs expenses sheet: 300.00 budgeted, 190.00 spent ' +
        '(EUR); none over budget.',
    );
  });

  it("refuses a period that is not a month, quarter or year with the API's words, and writes nothing", async () => {
    const wb = createMemoryWorkbook();
    await expect(writeBudgetsVsExpenses(wb, manager, { period: '2016-11-01' })).rejects.toThrow(
      /period.*must be a month \(2016-11\), a quarter \(2016-Q4\) or a year \(2016\)/,
    );
    expect(wb.tables.has('BudgetsVsExpenses')).toBe(false);
  });
});
