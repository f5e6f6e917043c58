// The browser e2e tests' stage: the task pane built into a temporary folder and served on a free port, the local API
// (Azurite) allowing that origin, headless Chromium, and pane pages whose office.js is the in-page Excel double and
// which may reach nothing but the pane and the API.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { buildAddin } from '../../../addin/scripts/build';
import { startTaskpaneServer, type TaskpaneServer } from '../../../addin/scripts/serve';
import { startLocalApi, type LocalApi } from '../support/localApi';

const OFFICE_JS = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';

export interface Stage {
  server: TaskpaneServer;
  api: LocalApi;
  browser: Browser;
  close: () => Promise<void>;
}

/** Builds and serves the pane, starts the local API and Chromium; `name` labels the temporary build folder. */
export async function startStage(name: string): Promise<Stage> {
  const distDir = fs.mkdtempSync(path.join(os.tmpdir(), `ledgerdesk-e2e-${name}-`));
  await buildAddin({ outDir: distDir, log: () => undefined });
  const server = await startTaskpaneServer({ port: 0, distDir });
  const api = await startLocalApi({ LEDGERDESK_CORS_ORIGIN: server.url });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  return {
    server,
    api,
    browser,
    close: async () => {
      await browser.close();
      await api.close();
      await server.close();
      fs.rmSync(distDir, { recursive: true, force: true });
    },
  };
}

export interface PanePage {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors of the page, to assert there were none. */
  errors: string[];
  /** Waits for the running action to end and returns the pane's message. */
  said: () => Promise<string>;
}

/** A new page (380 px wide, like the pane) with office.js served by the Excel double; not yet navigated. */
export async function openPane(stage: Stage, options: BrowserContextOptions = {}): Promise<PanePage> {
  const context = await stage.browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width: 380, height: 900 },
    ...options,
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
    else if (url.startsWith(stage.server.url) || url.startsWith(stage.api.url)) await route.continue();
    else await route.abort();
  });
  const message = page.getByTestId('message');
  const said = async (): Promise<string> => {
    await page.getByTestId('progress').waitFor({ state: 'detached' });
    await message.waitFor();
    return (await message.textContent()) ?? '';
  };
  return { context, page, errors, said };
}
