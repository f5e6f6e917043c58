// End to end: the Reports section (Figures tab) of the built task pane in headless Chromium (Excel double), against the local API.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPane, startStage, type Stage } from './harness';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const artifacts = path.join(repoRoot, 'test-artifacts');
describe('Reports section in Chromium against the local API', () => {
  let stage: Stage;
  let server: Stage['server'];
  let api: Stage['api'];

  beforeAll(async () => {
    stage = await startStage('reports');
    ({ server, api } = stage);
    fs.mkdirSync(artifacts, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await stage?.close();
  });

  it('makes a report now, lists it with period, version, maker and time, downloads and opens it', async () => {
    const { context, page, errors, said } = await openPane(stage, {
      acceptDownloads: true,
      viewport: { width: 380, height: 800 },
    });

    await page.goto(`${server.url}/taskpane.html`);
    await page.getByTestId('api-url').fill(api.url);
    await page.getByTestId('dev-token').fill(await api.token('mia.manager', ['manager']));
    await page.getByTestId('connect').click();
    await page.getByTestId('user').waitFor();
    await page.getByTestId('tab-figures').click();

    // A bad period is caught beside the field; nothing is sent.
    await page.getByTestId('report-period').fill('Q4 2013');
    await page.getByTestId('cmd-make-report').click();
    await page.getByText('Type a month (2016-11), a quarter (2016-Q4) or a year (2016).').waitFor();

    await page.getByTestId('report-period').fill('2013-Q4');
    await page.getByTestId('cmd-make-report').click();
    expect(await said()).toContain('2013-Q4-v1 is stored');
    const row = page.getByTestId('report-2013-Q4-v1');
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    expect(cells.slice(0, 3)).toEqual(['2013-Q4', 'v1', 'mia.manager']);
    expect(cells[3]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    await page.screenshot({ path: path.join(artifacts, 'e2e-reports.png'), fullPage: true });

    // Download: the workbook, with the API's file name.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download 2013-Q4-v1' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('ledgerdesk-report-2013-Q4-v1.xlsx');
    const saved = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerdesk-e2e-download-')), 'downloaded.xlsx');
    await download.saveAs(saved);
    expect(fs.readFileSync(saved).subarray(0, 2).toString()).toBe('PK');
    expect(await said()).toContain('ledgerdesk-report-2013-Q4-v1.xlsx');

    // Open: the Excel double has no Excel.createWorkbook, so the pane downloads it and says so.
    const [opened] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Open 2013-Q4-v1' }).click(),
    ]);
    expect(opened.suggestedFilename()).toBe('ledgerdesk-report-2013-Q4-v1.xlsx');
    expect(await said()).toContain('cannot open a workbook from the pane');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
