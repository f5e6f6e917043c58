// End to end: the built task pane in headless Chromium on the in-page Excel double, against the real local API on Azurite.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildAddin } from '../../../addin/scripts/build';
import { startTaskpaneServer, type TaskpaneServer } from '../../../addin/scripts/serve';
import { startLocalApi, type LocalApi } from '../support/localApi';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const artifacts = path.join(repoRoot, 'test-artifacts');
const OFFICE_JS = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';

interface Double {
  state: { tables: Map<string, unknown> };
  fillRows(table: string, rows: unknown[][]): void;
  setCell(table: string, row: number, header: string, value: unknown): void;
  cell(table: string, row: number, header: string): unknown;
  selected(sheet: string): { active: string; cell: [number, number] | null };
  selectedBlock(sheet: string): { active: string; cell: [number, number] | null; size: [number, number] | null };
  select(sheet: string, row: number, column: number, rowCount: number, columnCount: number): void;
}
type DoubleWindow = Window & { __excelDouble: Double };

const cellIn = (page: Page, table: string, row: number, header: string) =>
  page.evaluate(([t, r, h]) => (window as unknown as DoubleWindow).__excelDouble.cell(t, r, h), [
    table,
    row,
    header,
  ] as const);

describe('task pane in Chromium against the local API', () => {
  const distDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerdesk-e2e-'));
  let server: TaskpaneServer;
  let api: LocalApi;
  let browser: Browser;

  beforeAll(async () => {
    await buildAddin({ outDir: distDir, log: () => undefined });
    server = await startTaskpaneServer({ port: 0, distDir });
    // The API answers CORS for the task pane's origin only, as in production.
    api = await startLocalApi({ LEDGERDESK_CORS_ORIGIN: server.url });
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
    fs.mkdirSync(artifacts, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await server?.close();
    fs.rmSync(distDir, { recursive: true, force: true });
  });

  it('sets up, validates, publishes, resolves a pull conflict, checks invoices, approves and reviews as a second user', async () => {
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
      else await route.abort(); // no network beyond the task pane and the local API
    });
    const shot = async (name: string) => {
      const file = path.join(artifacts, `e2e-${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      expect(fs.statSync(file).size).toBeGreaterThan(2000);
    };
    const message = page.getByTestId('message');
    const waitIdle = () => page.getByTestId('progress').waitFor({ state: 'detached' });
    /** Waits for the command to end and returns the message bar's text (so a failure shows what the pane said). */
    const said = async () => {
      await waitIdle();
      await message.waitFor();
      return (await message.textContent()) ?? '';
    };

    await page.goto(`${server.url}/taskpane.html`);
    await page.getByTestId('host').waitFor();
    expect(await page.getByTestId('host').textContent()).toBe('Connected to Excel');

    // Sign in with a development token.
    await page.getByTestId('api-url').fill(api.url);
    await page.getByTestId('dev-token').fill(await api.token('erin.clerk', ['clerk']));
    await page.getByTestId('connect').click();
    await page.getByTestId('user').waitFor();
    expect(await page.getByTestId('user').textContent()).toBe('Signed in as erin.clerk');
    expect(await page.getByTestId('connection-state').textContent()).toBe('Online');

    // 1. Set up the ledger sheets.
    await page.getByTestId('cmd-setup').click();
    expect(await said()).toContain('Ledger sheets ready');
    const tables = await page.evaluate(() => [
      ...(window as unknown as DoubleWindow).__excelDouble.state.tables.keys(),
    ]);
    expect(tables).toEqual([
      'Customers',
      'Salespeople',
      'Contracts',
      'OrderLines',
      'Deliveries',
      'Invoices',
      'InvoiceLines',
      'Payments',
      'CreditNotes',
      'Expenses',
      'Contacts',
      'Interactions',
      'CustomerDocuments',
      'Samples',
      'Trips',
      'Attendance',
      'ExpensePolicies',
      'CommissionPlans',
      'CommissionSettlements',
      'Targets',
      'Budgets',
      'ReminderTerms',
      'ReminderLevels',
      'Reminders',
      'ReminderLines',
    ]);
    await shot('1-setup');

    // 2. Fill rows as a user would, one contract naming a customer that does not exist.
    await page.evaluate(() => {
      const d = (window as unknown as DoubleWindow).__excelDouble;
      d.fillRows('Customers', [
        ['C1', 'Acme', 'East'],
        ['C2', '=1+1', 'West'],
      ]);
      d.fillRows('Salespeople', [['S1', 'Sam', 'East', 0.03]]);
      d.fillRows('Contracts', [
        ['K1', 'C1', 'S1', 'East', 42675],
        ['K2', 'C9', 'S1', 'East', 42676],
      ]);
    });

    // 3. Validate: the error is listed with its address; clicking it selects the cell.
    await page.getByTestId('cmd-validate').click();
    expect(await said()).toContain('1 error in 1 row');
    const list = page.getByTestId('errors');
    expect(await list.locator('li').allTextContents()).toEqual([
      'Contracts!B3 Customer ID C9 does not exist in customers',
    ]);
    await list.getByText('Contracts!B3').click();
    await page.waitForFunction(
      () => (window as unknown as DoubleWindow).__excelDouble.selected('Contracts').cell !== null,
    );
    expect(await page.evaluate(() => (window as unknown as DoubleWindow).__excelDouble.selected('Contracts'))).toEqual({
      active: 'Contracts',
      cell: [2, 1],
    });
    await shot('2-validate');

    // 4. Fix it and publish: outcomes in the status column, etags in the hidden one.
    await page.evaluate(() =>
      (window as unknown as DoubleWindow).__excelDouble.setCell('Contracts', 1, 'Customer ID', 'C1'),
    );
    await page.getByTestId('tab-sync').click();
    await page.getByTestId('cmd-publish').click();
    await waitIdle();
    await message.getByText('Published 5 rows').waitFor();
    expect(await message.textContent()).toContain(
      '5 created, 0 updated, 0 unchanged, 0 conflicts, 0 invalid, 0 failed.',
    );
    expect(await cellIn(page, 'Customers', 0, 'Sync status')).toBe('created');
    expect(await cellIn(page, 'Customers', 1, 'Name')).toBe('=1+1');
    expect(String(await cellIn(page, 'Contracts', 1, 'ETag'))).toMatch(/^W\//);
    await shot('3-publish');

    // 5. Edit locally while a colleague changes the same customer on the server.
    await page.evaluate(() =>
      (window as unknown as DoubleWindow).__excelDouble.setCell('Customers', 0, 'Name', 'Acme (mine)'),
    );
    const colleague = await api.client('carl.clerk', ['clerk']);
    const current = (await colleague.getRows('customers', { region: 'East' })).rows[0];
    const put = await colleague.putRows(
      'customers',
      [{ customerId: 'C1', name: 'Acme (theirs)', region: 'East', etag: current?.etag }],
      'e2e-colleague',
    );
    expect(put.results[0]?.status).toBe('updated');

    // 6. Pull: the conflict is shown cell by cell.
    await page.getByTestId('cmd-pull').click();
    await waitIdle();
    await message.getByText('1 conflict', { exact: false }).waitFor();
    const conflict = page.getByTestId('conflict-C1');
    expect(await conflict.locator('tbody tr').allTextContents()).toEqual(['NameAcme (mine)Acme (theirs)MineTheirs']);
    expect(await cellIn(page, 'Customers', 0, 'Name')).toBe('Acme (mine)');
    expect(String(await cellIn(page, 'Customers', 0, 'Sync status'))).toMatch(/^conflict/);
    await shot('4-conflict');

    // 7. Take theirs: the server's value lands in the cell and the row is in sync (nothing to publish).
    await page.getByTestId('take-theirs-C1').click();
    await message.getByText('Took theirs').waitFor();
    expect(await cellIn(page, 'Customers', 0, 'Name')).toBe('Acme (theirs)');
    expect(await page.getByTestId('conflicts').count()).toBe(0);
    await page.getByTestId('cmd-publish').click();
    await waitIdle();
    await message.getByText('Nothing to publish').waitFor();
    await shot('5-resolved');

    // 8. Check invoices on the sheet's own rows: an invoice line priced above the order is marked and listed.
    await page.evaluate(() => {
      const d = (window as unknown as DoubleWindow).__excelDouble;
      d.fillRows('OrderLines', [['K1', 1, 'A', '', 10, 12.5]]);
      d.fillRows('Deliveries', [['D1', 'K1', 'A', 6, 'delivery', 42679]]);
      d.fillRows('Invoices', [['I1', 'K1', 42684]]);
      d.fillRows('InvoiceLines', [['I1', 1, 'A', 5, 13]]);
    });
    await page.getByTestId('tab-sheets').click();
    await page.getByTestId('cmd-check').click();
    expect(await said()).toContain('1 finding');
    const findings = await page.getByTestId('errors').locator('li').allTextContents();
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatch(/^'Invoice lines'!E2 PRICE_MISMATCH: the unit price differs/);
    expect(await cellIn(page, 'InvoiceCheck', 0, 'Finding')).toBe('PRICE_MISMATCH');
    expect(await cellIn(page, 'InvoiceCheck', 0, 'Actual')).toBe(13);
    await shot('6-check');
    await page.getByTestId('tab-sync').click();
    await page.getByTestId('cmd-publish').click();
    // Publishing an invoice with findings asks first (issue 18): publish anyway, with a reason.
    expect(await said()).toContain('1 invoice has findings');
    await page.getByTestId('publish-reason').fill('Price agreed with the customer');
    await page.getByTestId('publish-anyway').click();
    await waitIdle();
    await message.getByText('Published 4 rows').waitFor();

    // 9. A reviewer signs in on the same pane, selects the two customers and approves them (four eyes).
    await page.getByTestId('sign-out').click();
    expect(await page.getByTestId('connection-state').textContent()).toBe('Not signed in');
    await page.getByTestId('dev-token').fill(await api.token('rita.reviewer', ['reviewer']));
    await page.getByTestId('connect').click();
    await page.getByTestId('user').waitFor();
    expect(await page.getByTestId('user').textContent()).toBe('Signed in as rita.reviewer');
    await page.evaluate(() => (window as unknown as DoubleWindow).__excelDouble.select('Customers', 1, 0, 2, 1));
    await page.getByTestId('tab-review').click();
    await page.getByTestId('cmd-approve').click();
    expect(await said()).toContain('2 approved');
    expect(await cellIn(page, 'Customers', 0, 'Approval')).toBe('approved');
    expect(await cellIn(page, 'Customers', 1, 'Approved by')).toBe('rita.reviewer');
    expect(await cellIn(page, 'Contracts', 0, 'Approval')).toBe('pending'); // not selected, not approved
    await shot('7-approve');

    // 10. The Review tab's queue: what erin.clerk published and nobody has decided yet, oldest first.
    await page.getByTestId('review-load').click();
    expect(await said()).toMatch(/^\d+ changes? on this page/);
    const items = page.getByTestId('review-list').locator('li');
    const listed = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(listed).toEqual(
      expect.arrayContaining([
        'review-item-salespeople-S1',
        'review-item-contracts-K1',
        'review-item-contracts-K2',
        'review-item-orderLines-K1~1',
      ]),
    );
    expect(listed).not.toContain('review-item-customers-C1'); // approved above
    expect(await page.getByTestId('review-item-contracts-K1').textContent()).toMatch(
      /^Contracts K1erin\.clerk · \d{4}-\d\d-\d\d \d\d:\d\d UTC$/,
    );

    // Filter by ledger; click a change: its fields as approved → pending, and its row selected in the sheet.
    await page.getByTestId('review-ledger').selectOption('contracts');
    await page.getByTestId('review-load').click();
    await said();
    expect(await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).toEqual([
      'review-item-contracts-K1',
      'review-item-contracts-K2',
    ]);
    await page.getByTestId('review-item-contracts-K1').getByText('Contracts K1').click();
    const diff = page.getByTestId('review-diff');
    await diff.waitFor();
    const diffRows = await diff.locator('tbody tr').allTextContents();
    expect(diffRows.slice(0, 4)).toEqual(['Contract ID—K1', 'Customer ID—C1', 'Salesperson ID—S1', 'Region—East']);
    await page.getByTestId('review-sheet-note').waitFor();
    expect(await page.getByTestId('review-sheet-note').textContent()).toBe(
      'Its row is selected on the Contracts sheet.',
    );
    const block = await page.evaluate(() =>
      (window as unknown as DoubleWindow).__excelDouble.selectedBlock('Contracts'),
    );
    const contractColumns = await page.evaluate(
      () =>
        ((window as unknown as DoubleWindow).__excelDouble.state.tables.get('Contracts') as { columnCount: number })
          .columnCount,
    );
    expect(block).toEqual({ active: 'Contracts', cell: [1, 0], size: [1, contractColumns] });
    await shot('8-review-diff');

    // Approve K1 alone: its salesperson is still pending, so the server refuses it and the pane names the parent.
    await page.getByTestId('review-check-contracts-K1').check();
    await page.getByTestId('review-approve-checked').click();
    expect(await said()).toContain('0 of 1 approved');
    expect(await page.getByTestId('review-outcome-contracts-K1').textContent()).toBe(
      'not approved: Salespeople S1, which it references, is not approved yet; approve that first',
    );
    expect(await cellIn(page, 'Contracts', 0, 'Approval')).toBe('pending');

    // All ledgers again: tick the salesperson and the contract; the parent goes first and both are approved.
    await page.getByTestId('review-ledger').selectOption('');
    await page.getByTestId('review-load').click();
    await said();
    await page.getByTestId('review-check-salespeople-S1').check();
    await page.getByTestId('review-check-contracts-K1').check();
    await page.getByTestId('review-approve-checked').click();
    expect(await said()).toContain('2 of 2 approved');
    expect(await page.getByTestId('review-item-contracts-K1').count()).toBe(0);
    expect(await cellIn(page, 'Contracts', 0, 'Approval')).toBe('approved');
    expect(await cellIn(page, 'Salespeople', 0, 'Approved by')).toBe('rita.reviewer');
    const reader = await api.client('mia.manager', ['manager']);
    const k1 = (await reader.getRows('contracts', { contractId: 'K1' })).rows[0];
    expect(k1?.approval).toMatchObject({ status: 'approved', approvedBy: 'rita.reviewer' });
    expect(await cellIn(page, 'Contracts', 0, 'ETag')).toBe(k1?.etag);

    // Reject K2: a reason is required; with one, the server records it and the sheet shows it.
    await page.getByTestId('review-check-contracts-K2').check();
    await page.getByTestId('review-reject-checked').click();
    await page.getByText('Give a reason for the rejection; the maker sees it in the sheet.').waitFor();
    const reason = 'K2 duplicates K1; delete it';
    await page.getByTestId('review-reason').fill(reason);
    await page.getByTestId('review-reject-checked').click();
    expect(await said()).toContain('1 of 1 rejected');
    expect(await page.getByTestId('review-item-contracts-K2').count()).toBe(0);
    expect(await page.getByTestId('review-outcomes').textContent()).toContain('Contracts K2: rejected');
    const k2 = (await reader.getRows('contracts', { contractId: 'K2' })).rows[0];
    expect(k2?.approval).toMatchObject({ status: 'rejected', rejectedBy: 'rita.reviewer', reason });
    expect(await cellIn(page, 'Contracts', 1, 'Approval')).toBe(`rejected by rita.reviewer: ${reason}`);
    await shot('9-review-reject');

    // The maker signs in and pulls: the rejection and its reason stay in the Approval column.
    await page.evaluate(() =>
      (window as unknown as DoubleWindow).__excelDouble.setCell('Contracts', 1, 'Approval', ''),
    );
    await page.getByTestId('sign-out').click();
    await page.getByTestId('dev-token').fill(await api.token('erin.clerk', ['clerk']));
    await page.getByTestId('connect').click();
    await page.getByTestId('user').waitFor();
    await page.getByTestId('tab-sync').click();
    await page.getByTestId('cmd-pull').click();
    await waitIdle();
    await message.getByText('Pulled').waitFor();
    expect(await cellIn(page, 'Contracts', 1, 'Approval')).toBe(`rejected by rita.reviewer: ${reason}`);

    // 11. Figures tab: the form is there (the figures themselves are tested against the API).
    await page.getByTestId('tab-figures').click();
    await page.getByTestId('cmd-stats').waitFor();
    await shot('10-figures');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
