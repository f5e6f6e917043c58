// End to end: the built add-in in headless Chromium on the Excel double, which evaluates LEDGERDESK formulas through
// the functions taskpane.js associated; one sign-in in the pane serves them (shared runtime); figures from the real
// local API on Azurite, compared with the single endpoints.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildAddin } from '../../../addin/scripts/build';
import { generateFunctionsMetadata } from '../../../addin/scripts/functionsMetadata';
import { startTaskpaneServer, type TaskpaneServer } from '../../../addin/scripts/serve';
import { registerFigureProjection } from '../../../functions/src/figures/projection';
import { parseMoney } from '../../../shared/money';
import { writeApproved } from '../support/approvedRows';
import { startLocalApi, type LocalApi } from '../support/localApi';

const OFFICE_JS = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';

type Result = { value?: unknown; error?: string; message?: string };
interface Double {
  evaluate(formula: string): number;
  results(index: number): Result[];
  functionIds(): string[];
}
type DoubleWindow = Window & { __excelDouble: Double };

/** Enters a formula in the double and waits for its first result. */
async function evaluate(page: Page, formula: string): Promise<Result> {
  const index = await page.evaluate((f) => (window as unknown as DoubleWindow).__excelDouble.evaluate(f), formula);
  await page.waitForFunction((i) => (window as unknown as DoubleWindow).__excelDouble.results(i).length > 0, index);
  const results = await page.evaluate((i) => (window as unknown as DoubleWindow).__excelDouble.results(i), index);
  return results[0] as Result;
}

describe('LEDGERDESK formulas in Chromium against the local API', () => {
  const distDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerdesk-cf-e2e-'));
  let server: TaskpaneServer;
  let api: LocalApi;
  let browser: Browser;
  let unregister: () => void;

  beforeAll(async () => {
    await buildAddin({ outDir: distDir, log: () => undefined });
    server = await startTaskpaneServer({ port: 0, distDir });
    api = await startLocalApi({ LEDGERDESK_CORS_ORIGIN: server.url });
    unregister = registerFigureProjection();
    await writeApproved(await api.client('fiona.clerk', ['clerk']), await api.client('rita.reviewer', ['reviewer']), {
      customers: [{ customerId: 'EC1', name: 'Acme', region: 'E2eEast' }],
      salespeople: [{ salespersonId: 'ES1', name: 'Sam', region: 'E2eEast' }],
      contracts: [
        { contractId: 'EK1', customerId: 'EC1', salespersonId: 'ES1', region: 'E2eEast', signedOn: '2016-11-01' },
      ],
      orderLines: [{ contractId: 'EK1', lineNo: 1, itemCode: 'A', quantity: 4, unitPrice: '25.25' }],
      deliveries: [{ deliveryId: 'ED1', contractId: 'EK1', itemCode: 'A', quantity: 4, date: '2016-11-03' }],
      invoices: [{ invoiceNo: 'EI1', contractId: 'EK1', issuedOn: '2016-11-04' }],
      invoiceLines: [{ invoiceNo: 'EI1', lineNo: 1, itemCode: 'A', quantity: 4, unitPrice: '25.25' }],
    });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    unregister?.();
    await api?.close();
    await server?.close();
    fs.rmSync(distDir, { recursive: true, force: true });
  });

  it('builds functions.json from the JSDoc beside functions.js', async () => {
    const built = fs.readFileSync(path.join(distDir, 'functions.json'), 'utf8');
    expect(built).toBe((await generateFunctionsMetadata()).json);
    expect(fs.readFileSync(path.join(distDir, 'functions.js'), 'utf8')).toContain('associate');
  });

  it('evaluates formulas through the registered functions once the pane is signed in', async () => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const requests: string[] = [];
    let apiDown = false;
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (url === OFFICE_JS)
        await route.fulfill({
          contentType: 'text/javascript',
          body: fs.readFileSync(path.join(__dirname, 'excel-double.js'), 'utf8'),
        });
      else if (url.startsWith(server.url)) await route.continue();
      else if (url.startsWith(api.url) && apiDown) await route.abort('connectionrefused');
      else if (url.startsWith(api.url)) {
        if (route.request().method() !== 'OPTIONS')
          requests.push(`${route.request().method()} ${url.slice(api.url.length)}`);
        await route.continue();
      } else await route.abort();
    });
    await page.goto(`${server.url}/taskpane.html`);
    await page.getByTestId('host').waitFor();
    expect(await page.evaluate(() => (window as unknown as DoubleWindow).__excelDouble.functionIds())).toEqual([
      'STAT',
      'RECEIVABLE',
      'CONTRACT',
      'INVOICEFINDINGS',
      'STATS',
    ]);

    // Before sign-in: #N/A that says so.
    expect(await evaluate(page, '=LEDGERDESK.CONTRACT("EK1","invoicedAmount")')).toEqual({
      error: '#N/A',
      message: 'Not signed in: sign in in the Ledgerdesk pane.',
    });

    await page.getByTestId('api-url').fill(api.url);
    await page.getByTestId('dev-token').fill(await api.token('mia.manager', ['manager']));
    await page.getByTestId('connect').click();
    await page.getByTestId('user').waitFor();

    // The formula asked before sign-in is asked again once the pane signed in.
    await page.waitForFunction(() => (window as unknown as DoubleWindow).__excelDouble.results(0).length === 2);
    expect(await page.evaluate(() => (window as unknown as DoubleWindow).__excelDouble.results(0))).toEqual([
      { error: '#N/A', message: 'Not signed in: sign in in the Ledgerdesk pane.' },
      { value: 101 },
    ]);
    requests.length = 0;

    const manager = await api.client('mia.manager', ['manager']);
    const quarter = await manager.stats({ period: 'quarter', from: '2016-10-01', to: '2016-12-31', groupBy: 'region' });
    const aging = await manager.receivables({ asOf: '2016-12-31', groupBy: 'customer' });
    const [stat, rec, perf, findings, table, bad] = await Promise.all([
      evaluate(page, '=LEDGERDESK.STAT("invoiced","2016-Q4","E2eEast","region")'),
      evaluate(page, '=LEDGERDESK.RECEIVABLE("EC1","2016-12-31")'),
      evaluate(page, '=LEDGERDESK.CONTRACT("EK1","fulfilledPct")'),
      evaluate(page, '=LEDGERDESK.INVOICEFINDINGS("EI1")'),
      evaluate(page, '=LEDGERDESK.STATS("quarter","region","2016-10-01","2016-12-31")'),
      evaluate(page, '=LEDGERDESK.STAT("invoiced","Q4")'),
    ]);
    expect(Math.round((stat.value as number) * 100)).toBe(parseMoney(quarter[0]?.invoiced));
    expect(stat.value).toBe(101);
    expect(Math.round((rec.value as number) * 100)).toBe(parseMoney(aging.rows[0]?.total));
    expect(rec.value).toBe(101);
    expect(perf.value).toBe(100);
    expect(findings.value).toBe(0);
    expect((table.value as unknown[][])[0]?.slice(0, 4)).toEqual(['Period', 'Group', 'Currency', 'Contracts signed']);
    expect((table.value as unknown[][])[1]?.slice(0, 5)).toEqual(['2016-Q4', 'E2eEast', 'EUR', 1, 101]);
    expect(bad.error).toBe('#VALUE!');
    expect(bad.message).toMatch(/^period must be a month/);
    // The five figures came in one batch request (the bad one never left the page).
    expect(requests).toEqual(['POST /figures/batch']);
    expect(await page.getByTestId('figures-stale').count()).toBe(0);

    // The stamp check as the browser sends it across origins: the 304 and the ETag reach the page.
    const token = await api.token('mia.manager', ['manager']);
    const stamp = await page.evaluate(
      async ([url, auth]) => {
        const first = await fetch(`${url}/figures/stamp`, { headers: { Authorization: auth } });
        const etag = first.headers.get('ETag') ?? '';
        const again = await fetch(`${url}/figures/stamp`, { headers: { Authorization: auth, 'If-None-Match': etag } });
        return { first: first.status, etag, again: again.status };
      },
      [api.url, `Bearer ${token}`] as const,
    );
    expect(stamp.etag).toMatch(/^"[^"]+"$/);
    expect([stamp.first, stamp.again]).toEqual([200, 304]);

    // The API goes away: a formula asked before keeps its last good value, the pane says since when figures are
    // stale, and a formula never answered is #N/A with the reason.
    apiDown = true;
    expect(await evaluate(page, '=LEDGERDESK.RECEIVABLE("EC1","2016-12-31")')).toEqual({ value: 101 });
    await page.getByTestId('figures-stale').waitFor();
    expect(await page.getByTestId('figures-stale').textContent()).toMatch(
      /^Figures stale since \d{4}-\d\d-\d\d \d\d:\d\d: the API cannot be reached, so LEDGERDESK formulas show their last values\.$/,
    );
    const never = await evaluate(page, '=LEDGERDESK.CONTRACT("EK1","collected")');
    expect(never.error).toBe('#N/A');
    expect(never.message).toMatch(/cannot be reached.*No earlier value of this formula is kept\.$/);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
