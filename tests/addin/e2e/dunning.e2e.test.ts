// End to end: one dunning run in the built task pane (headless Chromium, Excel double) against the local API: propose
// as of a day → the Dunning sheet → the clerk removes a line → Issue reminders → a second user approves them in the
// Review tab → a payment clears one reminder → Make letters resolves it and stores the other's letter → downloaded,
// figures checked; then the statements workbook of one customer.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { registerFigureProjection } from '../../../functions/src/figures/projection';
import { readHistory, readRow } from '../../../functions/src/store/ledgerStore';
import { DUNNING_AS_OF, seedDunningCase, writeApproved } from '../support/dunningSeed';
import { openPane, startStage, type Stage } from './harness';

interface Double {
  cell(table: string, row: number, header: string): unknown;
  deleteRow(table: string, row: number): void;
  state: { tables: Map<string, { rowCount: number }> };
}
type DoubleWindow = Window & { __excelDouble: Double };

const artifacts = path.resolve(__dirname, '..', '..', '..', 'test-artifacts');
const K1 = `R-${DUNNING_AS_OF}-K1-EUR`;
const K2 = `R-${DUNNING_AS_OF}-K2-EUR`;

describe('one dunning run in the task pane', () => {
  let stage: Stage;
  let unregister: () => void;

  beforeAll(async () => {
    unregister = registerFigureProjection();
    stage = await startStage('dunning');
    await seedDunningCase(stage.api);
  }, 180_000);
  afterAll(async () => {
    unregister?.();
    await stage?.close();
  });

  async function signIn(page: Page, user: string, roles: ('clerk' | 'reviewer')[]): Promise<void> {
    await page.goto(`${stage.server.url}/taskpane.html`);
    await page.getByTestId('api-url').fill(stage.api.url);
    await page.getByTestId('dev-token').fill(await stage.api.token(user, roles));
    await page.getByTestId('connect').click();
    await page.getByTestId('user').waitFor();
  }

  async function saved(page: Page, click: () => Promise<void>): Promise<{ name: string; file: string }> {
    const [download] = await Promise.all([page.waitForEvent('download'), click()]);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerdesk-e2e-dunning-')), 'saved.xlsx');
    await download.saveAs(file);
    return { name: download.suggestedFilename(), file };
  }

  it('propose, remove a line, issue, approve as a second user, make and download the letters', async () => {
    const clerk = await openPane(stage, { acceptDownloads: true });
    const { page, said } = clerk;
    const cell = (row: number, header: string) =>
      page.evaluate(([r, h]) => (window as unknown as DoubleWindow).__excelDouble.cell('Dunning', r, h), [
        row,
        header,
      ] as const);
    await signIn(page, 'erin.clerk', ['clerk']);
    await page.getByTestId('tab-figures').click();
    await page.getByTestId('collections-as-of').fill(DUNNING_AS_OF);

    // 1. Propose: K1 for I1 and I2, K2 for I3, each level 1 with a 5.00 fee; nothing stored.
    await page.getByTestId('cmd-dunning').click();
    expect(await said()).toContain('2 reminders proposed');
    const sheetRows = async () => {
      const out: unknown[][] = [];
      for (let r = 0; r < 3; r++)
        out.push([
          await cell(r, 'Customer'),
          await cell(r, 'Status'),
          await cell(r, 'Invoice no'),
          await cell(r, 'Outstanding'),
          await cell(r, 'Fee'),
        ]);
      return out;
    };
    expect(await sheetRows()).toEqual([
      ['K1', 'Remind', 'I1', 1000, 5],
      ['K1', 'Remind', 'I2', 250, 5],
      ['K2', 'Remind', 'I3', 400, 5],
    ]);

    // 2. The clerk deletes I2's line from the Dunning table, then issues.
    await page.evaluate(() => (window as unknown as DoubleWindow).__excelDouble.deleteRow('Dunning', 1));
    expect(await cell(1, 'Invoice no')).toBe('I3');
    await page.getByTestId('cmd-issue-reminders').click();
    expect(await said()).toContain('2 reminders with 2 lines issued, pending review');
    const pending = await readRow('reminders', K1);
    expect([pending?.approved, pending?.latest.status, pending?.changedBy]).toEqual([
      undefined,
      'issued',
      'erin.clerk',
    ]);
    expect((await readRow('reminderLines', `${K1}~2`))?.latest).toBeUndefined();

    // Not approved yet: no letter.
    await page.getByTestId('letters-for').fill(DUNNING_AS_OF);
    await page.getByTestId('cmd-make-letters').click();
    expect(await said()).toContain(`No approved, issued reminder was issued on ${DUNNING_AS_OF}.`);

    // 3. A second user, a reviewer, approves the reminders and their lines in the Review tab.
    const reviewer = await openPane(stage);
    await signIn(reviewer.page, 'rita.reviewer', ['reviewer']);
    await reviewer.page.getByTestId('tab-review').click();
    await reviewer.page.getByTestId('review-load').click();
    await reviewer.said();
    const listed = await reviewer.page
      .getByTestId('review-list')
      .locator('li')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect([...listed].sort()).toEqual(
      [`reminders-${K1}`, `reminders-${K2}`, `reminderLines-${K1}~1`, `reminderLines-${K2}~1`]
        .map((id) => `review-item-${id}`)
        .sort(),
    );
    await reviewer.page.getByTestId('review-approve-all').click();
    expect(await reviewer.said()).toContain('4 of 4 approved');
    expect([(await readRow('reminders', K1))?.approved?.status, (await readRow('reminders', K1))?.approvedBy]).toEqual([
      'issued',
      'rita.reviewer',
    ]);

    // 4. K2 pays I3 in full; a finance user's payment, approved.
    await writeApproved(
      stage.api,
      'payments',
      [{ paymentId: 'P1', contractId: 'C2', invoiceNo: 'I3', receivedOn: '2016-05-02', amount: '400.00' }],
      { user: 'fay.finance', roles: ['finance'] },
    );

    // 5. Make letters: K2's reminder resolves itself (history: updated and approved by ledgerdesk), K1's is stored.
    await page.getByTestId('cmd-make-letters').click();
    const message = await said();
    expect(message).toContain(`1 letter stored as ${DUNNING_AS_OF}-v1`);
    expect(message).toContain(`1 reminder paid in full resolved and got no letter: ${K2}.`);
    expect((await readRow('reminders', K2))?.approved?.status).toBe('resolved');
    expect((await readHistory('reminders', K2)).map((h) => [h.action, h.by.split(' ')[0]])).toEqual([
      ['created', 'erin.clerk'],
      ['approved', 'rita.reviewer'],
      ['updated', 'ledgerdesk'],
      ['approved', 'ledgerdesk'],
    ]);
    const row = page.getByTestId(`letters-${DUNNING_AS_OF}-v1`);
    await row.waitFor();
    expect((await row.locator('td').allTextContents()).slice(0, 3)).toEqual([DUNNING_AS_OF, 'v1', 'erin.clerk']);

    await page.getByTestId('cmd-list-letters').click();
    expect(await said()).toContain('1 letters workbook');
    await row.waitFor();

    // 6. Download the stored letters: one sheet, I1 only, 1,000.00 + 5.00 fee = 1,005.00 by 2016-05-14.
    const letters = await saved(page, () =>
      page.getByRole('button', { name: `Download letters ${DUNNING_AS_OF}-v1` }).click(),
    );
    expect(letters.name).toBe(`reminder-letters-${DUNNING_AS_OF}-v1.xlsx`);
    expect(await said()).toContain(`reminder-letters-${DUNNING_AS_OF}-v1.xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(letters.file);
    expect(book.worksheets.map((w) => w.name)).toEqual([K1]);
    const ws = book.getWorksheet(K1)!;
    expect(ws.getCell('A5').text).toBe('Dear One Ltd, please pay EUR 1005.00 for I1 by 2016-05-14.');
    expect([ws.getCell('A8').text, ws.getCell('C8').value, ws.getCell('D8').value, ws.getCell('F8').value]).toEqual([
      'I1',
      90,
      1000,
      5,
    ]);
    expect(ws.getCell('A9').text).toBe('Total');
    expect([ws.getCell('A11').text, ws.getCell('D11').value]).toEqual(['Amount due (EUR)', 1005]);

    // 7. The statements workbook of K1 from 2016-01-01 to As of.
    await page.getByTestId('statements-from').fill('2016-01-01');
    await page.getByTestId('statements-customer').fill('K1');
    const statements = await saved(page, () => page.getByTestId('cmd-statements').click());
    expect(statements.name).toBe(`statements-2016-01-01-${DUNNING_AS_OF}.xlsx`);
    expect(await said()).toContain(`K1, 2016-01-01 to ${DUNNING_AS_OF}`);
    const st = new ExcelJS.Workbook();
    await st.xlsx.readFile(statements.file);
    expect(st.worksheets.map((w) => w.name)).toEqual(['K1']);

    fs.mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: path.join(artifacts, 'e2e-dunning-letters.png'), fullPage: true });
    expect(clerk.errors).toEqual([]);
    expect(reviewer.errors).toEqual([]);
    await clerk.context.close();
    await reviewer.context.close();
  }, 180_000);
});
