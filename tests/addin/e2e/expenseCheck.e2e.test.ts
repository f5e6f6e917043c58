// End to end: "Check expenses" in the built task pane in headless Chromium on the in-page Excel double (no API:
// the check runs on the sheet's own rows before anything is published), and "Write salespeople's month" against the
// local API.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { buildAddin } from '../../../addin/scripts/build';
import { startTaskpaneServer, type TaskpaneServer } from '../../../addin/scripts/serve';
import { startLocalApi, type LocalApi } from '../support/localApi';

const OFFICE_JS = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';

interface Double {
  fillRows(table: string, rows: unknown[][]): void;
  cell(table: string, row: number, header: string): unknown;
}
type DoubleWindow = Window & { __excelDouble: Double };

describe('Check expenses in Chromium', () => {
  const distDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerdesk-e2e-expenses-'));
  let server: TaskpaneServer;
  let browser: Browser;
  let api: LocalApi;

  beforeAll(async () => {
    await buildAddin({ outDir: distDir, log: () => undefined });
    server = await startTaskpaneServer({ port: 0, distDir });
    api = await startLocalApi({ LEDGERDESK_CORS_ORIGIN: server.url });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await server?.close();
    fs.rmSync(distDir, { recursive: true, force: true });
  });

  it('marks an over-limit claim and a claim outside every trip, lists them and writes the Expense check sheet', async () => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 380, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (url === OFFICE_JS)
        await route.fulfill({
          contentType: 'text/javascript',
          body: fs.readFileSync(path.join(__dirname, 'excel-double.js'), 'utf8'),
        });
      else if (url.startsWith(server.url) || url.startsWith(api.url)) await route.continue();
      else await route.abort();
    });
    const message = page.getByTestId('message');
    const said = async () => {
      await page.getByTestId('progress').waitFor({ state: 'detached' });
      await message.waitFor();
      return (await message.textContent()) ?? '';
    };
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
    expect(text).toContain('2 finding(s)');
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
    expect(await said()).toContain("1 salespeople on the Salespeople's month sheet for 2016-11");
    expect(
      await page.evaluate(() => (window as unknown as DoubleWindow).__excelDouble.cell('SalespeopleMonth', 0, 'Name')),
    ).toBe('Nine');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
