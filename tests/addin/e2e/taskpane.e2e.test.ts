// End to end: the built task pane served over HTTPS, loaded in headless Chromium with the Excel double instead of office.js.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { buildAddin } from '../../../addin/scripts/build';
import { startTaskpaneServer, type TaskpaneServer } from '../../../addin/scripts/serve';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const artifacts = path.join(repoRoot, 'test-artifacts');
const OFFICE_JS = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';

describe('task pane in Chromium', () => {
  const distDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerdesk-e2e-'));
  let server: TaskpaneServer;
  let browser: Browser;

  beforeAll(async () => {
    await buildAddin({ outDir: distDir, log: () => undefined });
    server = await startTaskpaneServer({ port: 0, distDir });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    fs.rmSync(distDir, { recursive: true, force: true });
  });

  it('boots with Office.onReady, reads the workbook through the adapter, and renders', async () => {
    // The dev CA is deliberately not in any trust store, so this browser context ignores it instead.
    const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 360, height: 640 } });
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
      else if (url.startsWith(server.url)) await route.continue();
      else await route.abort(); // no network beyond the task pane server
    });
    await page.goto(`${server.url}/taskpane.html`);
    await page.evaluate(() => {
      const d = (
        window as unknown as {
          __excelDouble: {
            seedTable(s: string, t: string, h: string[], r: unknown[][]): void;
            addSheet(n: string): void;
          };
        }
      ).__excelDouble;
      d.addSheet('Customers');
      d.seedTable('Invoices', 'Invoices', ['invoiceNo', 'contractId'], [['I-1', 'C-1']]);
    });
    await page.getByTestId('host').waitFor();
    expect(await page.getByTestId('host').textContent()).toBe('Connected to Excel');
    await page.getByTestId('inspect').click();
    await page.getByTestId('sheets').waitFor();
    expect(await page.getByTestId('sheets').locator('li').allTextContents()).toEqual(['Customers', 'Invoices']);
    expect(await page.getByTestId('status').textContent()).toBe('2 worksheet(s) found.');
    fs.mkdirSync(artifacts, { recursive: true });
    const shot = path.join(artifacts, 'taskpane.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(fs.statSync(shot).size).toBeGreaterThan(2000);
    expect(errors).toEqual([]);
    await context.close();
  });
});
