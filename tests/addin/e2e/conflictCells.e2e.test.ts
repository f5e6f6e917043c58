// End to end: the built task pane in headless Chromium on the Excel double, against the local API: a row edited here
// and on the server; pull takes the cell changed only on the server and shows a card for the cells both changed,
// where the user picks mine or theirs per cell, and publish sends the chosen values; the user's formula column stays.
import { openPane, startStage, type Stage } from './harness';

interface Double {
  addColumn(table: string, header: string): void;
  setFormula(table: string, row: number, header: string, formula: string): void;
  formula(table: string, row: number, header: string): string | null;
  setCell(table: string, row: number, header: string, value: unknown): void;
  cell(table: string, row: number, header: string): unknown;
}
type DoubleWindow = Window & { __excelDouble: Double };

describe('per-cell conflict card in the task pane', () => {
  let stage: Stage;

  beforeAll(async () => {
    stage = await startStage('conflict-cells');
  }, 120_000);
  afterAll(async () => {
    await stage?.close();
  });

  it('pull conflicts on the cells both sides changed only; the user picks per cell and publish sends the picks', async () => {
    const { api, server } = stage;
    const colleague = await api.client('carl.clerk', ['clerk']);
    await colleague.putRows(
      'customers',
      [{ customerId: 'C7', name: 'Base name', region: 'East', segment: 'base', email: 'base@x.test' }],
      'cc-1',
    );

    const { context, page, errors, said } = await openPane(stage);
    const cell = (row: number, header: string) =>
      page.evaluate(([r, h]) => (window as unknown as DoubleWindow).__excelDouble.cell('Customers', r, h), [
        row,
        header,
      ] as const);
    const type = (row: number, header: string, value: string) =>
      page.evaluate(([r, h, v]) => (window as unknown as DoubleWindow).__excelDouble.setCell('Customers', r, h, v), [
        row,
        header,
        value,
      ] as const);

    await page.goto(`${server.url}/taskpane.html`);
    await page.getByTestId('host').waitFor();
    await page.getByTestId('api-url').fill(api.url);
    await page.getByTestId('dev-token').fill(await api.token('erin.clerk', ['clerk']));
    await page.getByTestId('connect').click();
    await page.getByTestId('user').waitFor();
    await page.getByTestId('cmd-setup').click();
    expect(await said()).toContain('Ledger sheets ready');
    await page.getByTestId('tab-sync').click();
    await page.getByTestId('cmd-pull').click();
    expect(await said()).toContain('1 added');
    expect(await cell(0, 'Customer ID')).toBe('C7');

    // Erin adds a column of her own with a formula, and edits the name and the segment; Carl changes name, segment
    // and email on the server.
    await page.evaluate(() => {
      const d = (window as unknown as DoubleWindow).__excelDouble;
      d.addColumn('Customers', 'Label');
      d.setFormula('Customers', 0, 'Label', '=[@Name]&"!"');
    });
    const label = () =>
      page.evaluate(() => (window as unknown as DoubleWindow).__excelDouble.formula('Customers', 0, 'Label'));
    await type(0, 'Name', 'Erin name');
    await type(0, 'Segment', 'erin segment');
    const current = (await colleague.getRows('customers', { region: 'East' })).rows[0];
    const put = await colleague.putRows(
      'customers',
      [
        {
          customerId: 'C7',
          name: 'Carl name',
          region: 'East',
          segment: 'carl segment',
          email: 'carl@x.test',
          etag: current?.etag,
        },
      ],
      'cc-2',
    );
    expect(put.results[0]?.status).toBe('updated');

    await page.getByTestId('cmd-pull').click();
    expect(await said()).toContain('0 rows merged, 1 conflict');
    const card = page.getByTestId('conflict-C7');
    expect(await card.locator('tbody tr').allTextContents()).toEqual([
      'NameErin nameCarl nameMineTheirs',
      'Segmenterin segmentcarl segmentMineTheirs',
    ]);
    // The email changed only on the server: it is in the sheet already and named on the card.
    expect(await page.getByTestId('taken-C7').textContent()).toContain('Email');
    expect(await cell(0, 'Email')).toBe('carl@x.test');
    expect(await cell(0, 'Name')).toBe('Erin name');
    expect(await label()).toBe('=[@Name]&"!"'); // the pull wrote the row's ledger cells, not her column

    // Apply waits for a pick on every cell; then mine for the name, theirs for the segment.
    const apply = page.getByTestId('apply-picks-C7');
    expect(await apply.isDisabled()).toBe(true);
    await page.getByTestId('pick-mine-C7-name').click();
    expect(await apply.isDisabled()).toBe(true);
    await page.getByTestId('pick-theirs-C7-segment').click();
    await apply.click();
    await page.getByTestId('message').getByText('Resolved').waitFor();
    expect(await page.getByTestId('message').textContent()).toContain(
      'C7: 1 cell kept as yours, 1 cell taken from the server. Publish to send the row.',
    );
    expect(await page.getByTestId('conflicts').count()).toBe(0);
    expect(await cell(0, 'Name')).toBe('Erin name');
    expect(await cell(0, 'Segment')).toBe('carl segment');

    await page.getByTestId('cmd-publish').click();
    expect(await said()).toContain('Published 1 row');
    const stored = (await colleague.getRows('customers', { region: 'East' })).rows[0];
    expect(stored).toMatchObject({ name: 'Erin name', segment: 'carl segment', email: 'carl@x.test' });
    expect(await label()).toBe('=[@Name]&"!"');
    expect(errors).toEqual([]);
    await context.close();
  });
});
