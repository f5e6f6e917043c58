// End to end: the built task pane in headless Chromium on the Excel double, against the local API: open a customer
// file, edit a contact on the sheet, publish it from the file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { buildAddin } from '../../../addin/scripts/build';
import { startTaskpaneServer, type TaskpaneServer } from '../../../addin/scripts/serve';
import { startLocalApi, type LocalApi } from '../support/localApi';

const OFFICE_JS = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';

interface Double {
  setCell(table: string, row: number, header: string, value: unknown): void;
  cell(table: string, row: number, header: string): unknown;
}
type DoubleWindow = Window & { __excelDouble: Double };

describe('customer file in the task pane', () => {
  const distDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerdesk-e2e-file-'));
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
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await server?.close();
    fs.rmSync(distDir, { recursive: true, force: true });
  });

  it('opens a customer file, edits a contact and publishes it; opens a contract file set up for print; writes complaint figures', async () => {
    const clerk = await api.client('erin.clerk', ['clerk']);
    await clerk.putRows('customers', [{ customerId: 'C1', name: 'Acme', region: 'East' }], 'e1');
    await clerk.putRows(
      'contacts',
      [{ contactId: 'P1', customerId: 'C1', name: 'Ann', phone: '+44 20 7946 0001', primary: true }],
      'e2',
    );

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
    const cell = (table: string, row: number, header: string) =>
      page.evaluate(([t, r, h]) => (window as unknown as DoubleWindow).__excelDouble.cell(t, r, h), [
        table,
        row,
        header,
      ] as const);

    await page.goto(`${server.url}/taskpane.html`);
    await page.getByTestId('host').waitFor();
    await page.getByTestId('api-url').fill(api.url);
    await page.getByTestId('dev-token').fill(await api.token('erin.clerk', ['clerk']));
    await page.getByTestId('connect').click();
    await page.getByTestId('user').waitFor();

    await page.getByTestId('tab-sheets').click();
    await page.getByTestId('file-customer').fill('C1');
    await page.getByTestId('cmd-file-open').click();
    expect(await said()).toContain('Customer file of C1');
    expect(await cell('FileContacts', 0, 'Contact ID')).toBe('P1');
    expect(await cell('FileContacts', 0, 'Phone')).toBe('+44 20 7946 0001');
    expect(await cell('CustomerFileForm', 1, 'Value')).toBe('Acme');

    // The user edits the contact's phone in the sheet, then publishes the file.
    await page.evaluate(() =>
      (window as unknown as DoubleWindow).__excelDouble.setCell('FileContacts', 0, 'Phone', '+44 20 7946 0999'),
    );
    await page.getByTestId('cmd-file-publish').click();
    const text = await said();
    expect(text).toContain('Customer form: no change.');
    expect(text).toContain('0 created, 1 updated, 0 conflict, 0 invalid, 0 failed');
    expect(await cell('FileContacts', 0, 'Sync status')).toBe('updated');
    expect(await cell('FileContacts', 0, 'Approval')).toBe('pending');
    const stored = await clerk.getRows('contacts', { contactId: 'P1' });
    expect(stored.rows[0]?.['phone']).toBe('+44 20 7946 0999');

    // The contract file: opened from the pane and set up to print landscape, one page wide.
    await clerk.putRows('salespeople', [{ salespersonId: 'S1', name: 'Sam', region: 'East' }], 'e3');
    await clerk.putRows(
      'contracts',
      [{ contractId: 'K1', customerId: 'C1', salespersonId: 'S1', region: 'East', signedOn: '2016-11-01' }],
      'e4',
    );
    await clerk.putRows(
      'orderLines',
      [{ contractId: 'K1', lineNo: 1, itemCode: 'A', quantity: 3, unitPrice: '9.50' }],
      'e5',
    );
    await page.getByTestId('file-contract').fill('K1');
    await page.getByTestId('cmd-contract-open').click();
    expect(await said()).toContain('Contract file of K1');
    expect(await cell('ContractOrderLines', 0, 'Item code')).toBe('A');
    const print = await page.evaluate(() => {
      const s = (
        window as unknown as {
          __excelDouble: { state: { sheets: Map<string, { orientation: string; zoom: unknown }> } };
        }
      ).__excelDouble.state.sheets.get('Contract file');
      return { orientation: s?.orientation, zoom: s?.zoom };
    });
    expect(print).toEqual({
      orientation: 'Landscape',
      zoom: { horizontalFitToPages: 1, verticalFitToPages: 0, scale: null },
    });

    // Complaint figures from approved complaints, written to the Complaints sheet.
    const reviewer = await api.client('rita.reviewer', ['reviewer']);
    const customer = (await clerk.getRows('customers', { customerId: 'C1' })).rows[0];
    await reviewer.approve('customers', [{ key: 'C1', etag: customer?.etag ?? '' }]);
    const complaint = await clerk.putRows(
      'interactions',
      [
        {
          interactionId: 'N1',
          customerId: 'C1',
          kind: 'complaint',
          direction: 'in',
          date: '2016-11-02',
          subject: 'Late',
          owner: 'erin',
          status: 'resolved',
          resolvedOn: '2016-11-06',
        },
      ],
      'e6',
    );
    await reviewer.approve('interactions', [{ key: 'N1', etag: complaint.results[0]?.etag ?? '' }]);
    await page.getByTestId('cmd-complaints').click();
    expect(await said()).toContain('1 rows on the Complaints sheet.');
    expect(await cell('Complaints', 0, 'Median days to resolve')).toBe(4);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
