// End to end: the Reports section (Figures tab) of the built task pane in headless Chromium (Excel double), against the local API.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { buildAddin } from '../../../addin/scripts/build';
import { startTaskpaneServer, type TaskpaneServer } from '../../../addin/scripts/serve';
import { startLocalApi, type LocalApi } from '../support/localApi';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const artifacts = path.join(repoRoot, 'test-artifacts');
const OFFICE_JS = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';

describe('Reports section in Chromium against the local API', () => {
  const distDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerdesk-e2e-reports-'));
  let server: TaskpaneServer;
  let api: LocalApi;
  let browser: Browser;

  beforeAll(async () => {
    await buildAddin({ outDir: distDir, log: () => undefined });
    server = await startTaskpaneServer({ port: 0, distDir });
    api = await startLocalApi({ LEDGERDESK_CORS_ORIGIN: server.url });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    fs.mkdirSync(artifacts, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await server?.close();
    fs.rmSync(distDir, { recursive: true, force: true });
  });

  it('makes a report now, lists it with period, version, maker and time, downloads and opens it', async () => {
    const context = await browser.newContext({
      ignoreHTTPSErrors: true,
      acceptDownloads: true,
      viewport: { width: 380, height: 800 },
    });
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
    const saved = path.join(distDir, 'downloaded.xlsx');
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
