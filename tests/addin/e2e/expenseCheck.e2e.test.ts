// End to end: "Check expenses" in the built task pane in headless Chromium on the in-page Excel double (no API:
// the check runs on the sheet's own rows before anything is published), and "Write salespeople's month" against the
// local API.
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
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
