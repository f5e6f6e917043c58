// End to end: "Check expenses" in the built task pane in headless Chromium on the in-page Excel double (no API:
// the check runs on the sheet's own rows before anything is published) with its totals per salesperson, and "Write
// salespeople's month" and "Write budgets vs expenses" against the local API.
import { openPane, startStage, type Stage } from './harness';

interface Double {
  fillRows(table: string, rows: unknown[][]): void;
  cell(table: string, row: number, header: string): unknown;
}
type DoubleWindow = Window & { __excelDouble: Double };

describe('Check expenses in Chromium', () => {
  let stage: Stage;
  let server: Stage['server'];
  let api: Stage['api'];

  beforeAll(async () => {
    stage = await startStage('expenses');
    ({ server, api } = stage);
  }, 120_000);
  afterAll(async () => {
    await stage?.close();
  });

  it('marks an over-limit claim and a claim outside every trip, lists them and writes the Expense check sheet', async () => {
    const { context, page, errors, said } = await openPane(stage);
    await page.goto(`${server.url}/taskpane.html`);
    await page.getByTestId('host').waitFor();
    await page.getByTestId('cmd-setup').click();
    expect(await said()).toContain('Ledger sheets ready');

    await page.evaluate(() => {
      const d = (window as unknown as DoubleWindow).__excelDouble;
      d.fillRows('Salespeople', [['S1', 'Sam', 'East']]);
      // Hotel: at most 120.00 a claim, only on a trip. 42681 = 2016-11-07, 42682 = 2016-11-08, 42690 = 2016-11-16.
      d.fillRows('ExpensePolicies', [['HOTEL', 'hotel', '', 42370, 120, '', '', '', true]]);
      d.fillRows('Trips', [['T1', 'S1', 42681, 42682, 'Lyon']]);
      d.fillRows('Expenses', [
        ['E1', 'S1', 'hotel', 42682, 150],
        ['E2', 'S1', 'hotel', 42690, 80],
      ]);
    });
    await page.getByTestId('cmd-check-expenses').click();
    const text = await said();
    expect(text).toContain('2 findings');
    expect(text).toContain('2 expenses checked: 230.00 claimed, 120.00 reimbursable');
    const findings = await page.getByTestId('errors').locator('li').allTextContents();
    expect(findings).toHaveLength(2);
    expect(findings[0]).toMatch(/^Expenses!E2 OVER_CLAIM_LIMIT: the claim is above the limit per claim/);
    expect(findings[1]).toMatch(/^Expenses!D3 OUTSIDE_TRIP: /);
    const cell = (row: number, header: string) =>
      page.evaluate(([r, h]) => (window as unknown as DoubleWindow).__excelDouble.cell('ExpenseCheck', r, h), [
        row,
        header,
      ] as const);
    expect(await cell(0, 'Finding')).toBe('OVER_CLAIM_LIMIT');
    expect(await cell(0, 'Reimbursable')).toBe(120);
    expect(await cell(1, 'Finding')).toBe('OUTSIDE_TRIP');
    expect(await cell(1, 'Reimbursable')).toBe(0);
    // The totals per salesperson: in the pane under the command, and beside the findings on the sheet.
    expect(text).toContain('the totals of 1 salesperson are below and on the Expense check sheet');
    expect(await page.getByTestId('expense-totals-S1').locator('td').allTextContents()).toEqual([
      'S1',
      '230.00',
      '120.00',
      '110.00',
      'OVER_CLAIM_LIMIT 1, OUTSIDE_TRIP 1',
    ]);
    const totals = await page.evaluate(() => {
      const excel = (window as unknown as DoubleWindow).__excelDouble;
      return ['Salesperson ID', 'Expenses', 'Claimed', 'Reimbursable', 'Difference', 'Findings', 'OUTSIDE_TRIP'].map(
        (h) => excel.cell('ExpenseTotals', 0, h),
      );
    });
    expect(totals).toEqual(['S1', 2, 230, 120, 110, 2, 1]);

    // Figures → Write salespeople's month, as a manager: the salesperson published and approved comes back as a row.
    const clerk = await api.client('erin.clerk', ['clerk']);
    const reviewer = await api.client('rita.reviewer', ['reviewer']);
    await clerk.putRows('salespeople', [{ salespersonId: 'S9', name: 'Nine', region: 'West' }], 'e2e-assessment');
    const read = await reviewer.getRows('salespeople', { salespersonId: 'S9' });
    await reviewer.approve('salespeople', [{ key: 'S9', etag: read.rows[0]?.etag ?? '' }]);
    await page.getByTestId('api-url').fill(api.url);
    await page.getByTestId('dev-token').fill(await api.token('mia.manager', ['manager']));
    await page.getByTestId('connect').click();
    await page.getByTestId('user').waitFor();
    await page.getByTestId('tab-figures').click();
    await page.getByTestId('assessment-month').fill('2016-11');
    await page.getByTestId('cmd-assessment').click();
    expect(await said()).toContain("1 salesperson on the Salespeople's month sheet for 2016-11");
    expect(
      await page.evaluate(() => (window as unknown as DoubleWindow).__excelDouble.cell('SalespeopleMonth', 0, 'Name')),
    ).toBe('Nine');
    // Figures → Write commission statements (everyone): Nine has no payments, so the statement is its total of 0.
    await page.getByTestId('cmd-commission').click();
    expect(await said()).toContain('1 statement with 0 lines on the Commission sheet for 2016-11');
    const total = await page.evaluate(() => {
      const excel = (window as unknown as DoubleWindow).__excelDouble;
      return [excel.cell('CommissionStatements', 0, 'Line'), excel.cell('CommissionStatements', 0, 'Commission')];
    });
    expect(total).toEqual(['Month total', 0]);
    // Figures → Write plan vs actual: nothing signed, invoiced or planned, so the sheet has no rows yet.
    await page.getByTestId('cmd-plan').click();
    expect(await said()).toContain('0 rows (0 with a plan) on the Plan vs actual sheet, with a chart.');
    // Figures → Write budgets vs expenses: West's hotel budget of 100.00 against Nine's approved 125.00.
    await clerk.putRows(
      'budgets',
      [{ budgetId: 'B9', region: 'West', period: '2016-11', category: 'hotel', amount: '100' }],
      'e2e-budget',
    );
    await clerk.putRows(
      'expenses',
      [{ expenseId: 'X9', salespersonId: 'S9', category: 'hotel', incurredOn: '2016-11-03', amount: '125' }],
      'e2e-expense',
    );
    for (const [ledger, key] of [
      ['budgets', 'B9'],
      ['expenses', 'X9'],
    ] as const) {
      const row = await reviewer.getRows(ledger, ledger === 'budgets' ? { budgetId: key } : { expenseId: key });
      const approved = await reviewer.approve(ledger, [{ key, etag: row.rows[0]?.etag ?? '' }]);
      expect(approved.results.map((r) => r.status)).toEqual(['approved']);
    }
    await page.getByTestId('budgets-period').fill('2016-11');
    await page.getByTestId('cmd-budgets').click();
    expect(await said()).toContain(
      '1 budget line for 2016-11 on the Budgets vs expenses sheet: 100.00 budgeted, 125.00 spent (EUR); 1 line over budget.',
    );
    const budget = await page.evaluate(() => {
      const excel = (window as unknown as DoubleWindow).__excelDouble;
      return ['Region', 'Category', 'Budget', 'Expenses', 'Variance', '% of budget'].map((h) =>
        excel.cell('BudgetsVsExpenses', 0, h),
      );
    });
    expect(budget).toEqual(['West', 'hotel', 100, 125, 25, 1.25]);
    await page.getByTestId('budgets-period').fill('2016-11-03');
    await page.getByTestId('cmd-budgets').click();
    expect(await said()).toContain('must be a month (2016-11), a quarter (2016-Q4) or a year (2016)');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
