// End to end: Publish stops at invoices with findings and asks "publish anyway?" with a reason (Sync tab), in the
// built task pane in headless Chromium on the in-page Excel double against the local API; "Publish without it" sends
// nothing of the invoice, "Publish anyway" sends it with the reason, which the row's history then shows; "Check
// invoices on the server" (Sheets tab) reports the server's findings, and the review queue shows them beside the change.
import type { HistoryResponse } from '../../../shared/api';
import { registerFigureProjection } from '../../../functions/src/figures/projection';
import { writeApproved } from '../support/approvedRows';
import { openPane, startStage, type Stage } from './harness';

interface Double {
  fillRows(table: string, rows: unknown[][]): void;
  cell(table: string, row: number, header: string): unknown;
}
type DoubleWindow = Window & { __excelDouble: Double };

describe('Publish with invoice findings in Chromium', () => {
  let stage: Stage;
  let unregister: () => void;

  beforeAll(async () => {
    stage = await startStage('publish-confirm');
    unregister = registerFigureProjection();
    const clerk = await stage.api.client('seed.clerk', ['clerk']);
    const reviewer = await stage.api.client('rita.reviewer', ['reviewer']);
    await writeApproved(clerk, reviewer, {
      customers: [{ customerId: 'C1', name: 'Acme', region: 'East' }],
      salespeople: [{ salespersonId: 'S1', name: 'Sam', region: 'East' }],
      contracts: [{ contractId: 'K1', customerId: 'C1', salespersonId: 'S1', region: 'East', signedOn: '2016-11-01' }],
      orderLines: [{ contractId: 'K1', lineNo: 1, itemCode: 'A', quantity: 10, unitPrice: '12.50' }],
      deliveries: [{ deliveryId: 'D1', contractId: 'K1', itemCode: 'A', quantity: 6, date: '2016-11-05' }],
    });
  }, 120_000);
  afterAll(async () => {
    unregister?.();
    await stage?.close();
  });

  it('holds the invoice back, then publishes it anyway with the reason kept in its history', async () => {
    const { server, api } = stage;
    const { context, page, errors, said } = await openPane(stage);
    await page.goto(`${server.url}/taskpane.html`);
    await page.getByTestId('host').waitFor();
    await page.getByTestId('cmd-setup').click();
    expect(await said()).toContain('Ledger sheets ready');
    await page.evaluate(() => {
      const d = (window as unknown as DoubleWindow).__excelDouble;
      // 42684 = 2016-11-10. The line's price is 13.00 where the order says 12.50.
      d.fillRows('Invoices', [['I1', 'K1', 42684]]);
      d.fillRows('InvoiceLines', [['I1', 1, 'A', 1, 13]]);
    });
    await page.getByTestId('api-url').fill(api.url);
    await page.getByTestId('dev-token').fill(await api.token('clara.clerk', ['clerk']));
    await page.getByTestId('connect').click();
    await page.getByTestId('user').waitFor();
    await page.getByTestId('tab-sync').click();

    await page.getByTestId('cmd-publish').click();
    expect(await said()).toContain('1 invoice has findings');
    const card = page.getByTestId('publish-confirm');
    expect(await card.getByTestId('confirm-invoice-I1').textContent()).toContain(
      'Line 1: PRICE_MISMATCH: the unit price differs from the ordered unit price (expected 12.50, actual 13.00)',
    );
    // No reason, no "publish anyway".
    expect(await page.getByTestId('publish-anyway').isDisabled()).toBe(true);
    await page.getByTestId('publish-hold-back').click();
    const held = await said();
    expect(held).toContain('Nothing published');
    expect(held).toContain('1 invoice held back. No other row had changes to send.');
    const clerk = await api.client('clara.clerk', ['clerk']);
    await expect(clerk.history?.('invoices', 'I1')).rejects.toMatchObject({ status: 404 });
    const status = () =>
      page.evaluate(() => (window as unknown as DoubleWindow).__excelDouble.cell('InvoiceLines', 0, 'Sync status'));
    expect(await status()).toBe('');

    await page.getByTestId('cmd-publish').click();
    expect(await said()).toContain('1 invoice has findings');
    await page.getByTestId('publish-reason').fill('Price agreed by phone on 9 Nov');
    await page.getByTestId('publish-anyway').click();
    const sent = await said();
    expect(sent).toContain('Published 2 rows');
    expect(sent).toContain('2 created');
    expect(await page.getByTestId('publish-confirm').count()).toBe(0);
    expect(await status()).toBe('created');
    const history = (await clerk.history?.('invoiceLines', 'I1~1')) as HistoryResponse;
    expect(history.entries.map((e) => [e.action, e.by, e.reason])).toEqual([
      ['created', 'clara.clerk', 'Price agreed by phone on 9 Nov'],
    ]);

    // The server's check from the Sheets tab sees the published invoice.
    await page.getByTestId('tab-sheets').click();
    await page.getByTestId('cmd-check-server').click();
    const checked = await said();
    expect(checked).toContain('1 finding');
    expect(checked).toContain('1 invoice checked on the server');
    expect(
      await page.evaluate(() => (window as unknown as DoubleWindow).__excelDouble.cell('InvoiceCheck', 0, 'Finding')),
    ).toBe('PRICE_MISMATCH');

    // A reviewer's queue shows the line's finding beside its change.
    await page.getByTestId('sign-out').click();
    await page.getByTestId('dev-token').fill(await api.token('rita.reviewer', ['reviewer']));
    await page.getByTestId('connect').click();
    await page.getByTestId('user').waitFor();
    await page.getByTestId('tab-review').click();
    await page.getByTestId('review-load').click();
    await said();
    expect(await page.getByTestId('review-findings-invoiceLines-I1~1').textContent()).toBe('1 invoice check finding');
    await page.getByTestId('review-item-invoiceLines-I1~1').getByRole('button').click();
    expect(await page.getByTestId('review-findings').locator('li').allTextContents()).toEqual([
      'Line 1: PRICE_MISMATCH: the unit price differs from the ordered unit price (expected 12.50, actual 13.00)',
    ]);

    // History of the selected row: the line (sheet row 2 of Invoice lines) with who created it and the reason.
    await page.evaluate(() =>
      (window as unknown as Window & { __excelDouble: { select: (...a: unknown[]) => void } }).__excelDouble.select(
        'Invoice lines',
        1,
        2,
        1,
        1,
      ),
    );
    await page.getByTestId('tab-sync').click();
    await page.getByTestId('cmd-row-history').click();
    expect(await said()).toContain('History of I1~1');
    const entry = (await page.getByTestId('history-1').textContent()) ?? '';
    expect(entry).toContain('Created by clara.clerk');
    expect(entry).toContain('Unit price: 13.00');
    expect(entry).toContain('Reason: Price agreed by phone on 9 Nov');
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
