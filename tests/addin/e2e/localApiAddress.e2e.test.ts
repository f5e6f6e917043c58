// Browser e2e: a pane served beside an API on another port (as `npm start` serves it) proposes that API's address at
// sign-in; served without one, it proposes the default; an address the user saved wins.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEFAULT_API_BASE_URL } from '../../../addin/flows/apiClient';
import { buildAddin } from '../../../addin/scripts/build';
import { startTaskpaneServer, type TaskpaneServer } from '../../../addin/scripts/serve';

const OFFICE_JS = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';
const MOVED_API = 'http://127.0.0.1:7999/api';

describe('the sign-in API address of a pane served by npm start', () => {
  let distDir: string;
  let beside: TaskpaneServer;
  let plain: TaskpaneServer;
  let browser: Browser;

  beforeAll(async () => {
    distDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerdesk-e2e-apiaddress-'));
    await buildAddin({ outDir: distDir, log: () => undefined });
    beside = await startTaskpaneServer({ port: 0, distDir, apiBaseUrl: MOVED_API });
    plain = await startTaskpaneServer({ port: 0, distDir });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await beside?.close();
    await plain?.close();
    fs.rmSync(distDir, { recursive: true, force: true });
  });

  /** The pane at `server`, with the Excel double for office.js and nothing else reachable; its API address field. */
  async function apiAddress(server: TaskpaneServer, saved?: string): Promise<{ page: Page; value: string }> {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 380, height: 900 } });
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (url === OFFICE_JS)
        await route.fulfill({
          contentType: 'text/javascript',
          body: fs.readFileSync(path.join(__dirname, 'excel-double.js'), 'utf8'),
        });
      else if (url.startsWith(server.url)) await route.continue();
      else await route.abort();
    });
    if (saved !== undefined) {
      await context.addInitScript((url) => {
        localStorage.setItem('ledgerdesk.settings', JSON.stringify({ apiBaseUrl: url }));
      }, saved);
    }
    const page = await context.newPage();
    await page.goto(`${server.url}/taskpane.html`);
    await page.getByTestId('api-url').waitFor();
    return { page, value: await page.getByTestId('api-url').inputValue() };
  }

  it("proposes the API the pane was served beside, else the default, and keeps the user's own", async () => {
    const moved = await apiAddress(beside);
    expect(moved.value).toBe(MOVED_API);
    const fallback = await apiAddress(plain);
    expect(fallback.value).toBe(DEFAULT_API_BASE_URL);
    const own = await apiAddress(beside, 'https://api.example.com/api');
    expect(own.value).toBe('https://api.example.com/api');
    for (const { page } of [moved, fallback, own]) await page.context().close();
  });
});
