// End to end (issue 18, parts 2 and 6): the built pane in headless Chromium on the Excel double against the local API.
// Sign-in against a dead API says Offline and why; pull before set-up says what to do; the Figures tab shows the key
// figures and their bars, the same numbers as the API's statistics and receivables.
import net from 'node:net';
import { approveRows } from '../../../addin/flows/approve';
import { publish } from '../../../addin/flows/publish';
import { registerFigureProjection } from '../../../functions/src/figures/projection';
import { parseMoney } from '../../../shared/money';
import { keyOf, LEDGERS } from '../../../shared/ledgers';
import { ledgerWorkbook, SAMPLE } from '../support/ledgerWorkbook';
import { openPane, startStage, type Stage } from './harness';

async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('honest status and key figures in Chromium against the local API', () => {
  let stage: Stage;
  let unregister: () => void;

  beforeAll(async () => {
    stage = await startStage('status');
    // As in `npm start`: approvals keep the rollups the statistics read.
    unregister = registerFigureProjection();
    const clerk = await stage.api.client('fiona.clerk', ['clerk', 'finance']);
    const reviewer = await stage.api.client('rita.reviewer', ['reviewer']);
    const wb = await ledgerWorkbook(SAMPLE);
    expect((await publish(wb, clerk)).counts.created).toBe(10);
    for (const def of LEDGERS) {
      const keys = (SAMPLE[def.name] ?? []).map((r) => keyOf(def.name, r));
      if (keys.length > 0)
        expect((await approveRows(wb, reviewer, { ledger: def.name, keys }, 'rita.reviewer')).counts.approved).toBe(
          keys.length,
        );
    }
  }, 180_000);
  afterAll(async () => {
    unregister?.();
    await stage?.close();
  });

  it('says Offline with the reason against a dead API, then Online; pull before set-up says what to do', async () => {
    const { page, errors, said } = await openPane(stage);
    await page.goto(`${stage.server.url}/taskpane.html`);
    const dead = `http://127.0.0.1:${await deadPort()}/api`;
    await page.getByTestId('api-url').fill(dead);
    await page.getByTestId('dev-token').fill(await stage.api.token('nina.clerk', ['clerk']));
    await page.getByTestId('connect').click();
    const message = page.getByTestId('message');
    await message.waitFor();
    expect(await message.textContent()).toBe(
      `OfflineThe API is not reachable at ${dead}: check the API address and that the API is running.`,
    );
    expect(await page.getByTestId('connection-state').textContent()).toBe('Offline');
    expect(await page.getByTestId('user').count()).toBe(0);

    // A token without any of the roles: the API answers, and the pane says what is missing.
    await page.getByTestId('api-url').fill(stage.api.url);
    await page.getByTestId('dev-token').fill(await stage.api.token('olga.outsider', []));
    await page.getByTestId('connect').click();
    await page.getByText(/holds none of the roles/).waitFor();
    expect(await page.getByTestId('connection-state').textContent()).toBe('Not signed in');

    await page.getByTestId('dev-token').fill(await stage.api.token('nina.clerk', ['clerk']));
    await page.getByTestId('connect').click();
    await page.getByTestId('user').waitFor();
    expect(await page.getByTestId('connection-state').textContent()).toBe('Online');
    expect(await page.getByTestId('user').textContent()).toBe('Signed in as nina.clerk');

    await page.getByTestId('tab-sync').click();
    await page.getByTestId('cmd-pull').click();
    const text = await said();
    expect(text).toBe(
      'Nothing pulledThis workbook has no ledger tables yet: run "Set up ledger sheets" on the Sheets tab, then pull.',
    );
    // Nor a green "Published 0 rows", "No errors" or "0 findings" for commands that had nothing to work on.
    await page.getByTestId('cmd-publish').click();
    expect(await said()).toBe(
      'Nothing to publishNo row is new or changed since it was last published or pulled (without ledger tables, run "Set up ledger sheets" first).',
    );
    await page.getByTestId('tab-sheets').click();
    await page.getByTestId('cmd-validate').click();
    expect(await said()).toBe(
      'Nothing checkedThe ledger tables are missing or empty: run "Set up ledger sheets" and add rows first.',
    );
    await page.getByTestId('cmd-check').click();
    expect(await said()).toBe(
      'No invoices to checkThe Invoices table is missing or empty: run "Set up ledger sheets" and add invoices first.',
    );
    expect(errors).toEqual([]);

    // The API stops answering after sign-in: the next command that needs it turns the badge Offline.
    await page.route('**/api/**', (route) => route.abort());
    await page.getByTestId('tab-figures').click();
    await page.getByTestId('cmd-stats').click();
    await page
      .getByText(/cannot be reached/)
      .first()
      .waitFor();
    expect(await page.getByTestId('connection-state').textContent()).toBe('Offline');
    await page.context().close();
  });

  it('shows the key figures of December beside November, as the API counts them, with bars of the money', async () => {
    const { page, errors, said } = await openPane(stage);
    await page.goto(`${stage.server.url}/taskpane.html`);
    await page.getByTestId('api-url').fill(stage.api.url);
    await page.getByTestId('dev-token').fill(await stage.api.token('mia.manager', ['manager']));
    await page.getByTestId('connect').click();
    await page.getByTestId('user').waitFor();
    await page.getByTestId('tab-figures').click();
    // The tab's defaults: month by region, 2016-01-01 to 2016-12-31, so December beside November.
    await page.getByTestId('cmd-stats').click();
    expect(await said()).toContain('Key figures of 2016-12 beside 2016-11 below.');
    expect(await page.getByTestId('key-current-label').textContent()).toBe('2016-12');
    expect(await page.getByTestId('key-previous-label').textContent()).toBe('2016-11');

    const manager = await stage.api.client('mia.manager', ['manager']);
    const [nov] = await manager.stats({ period: 'month', from: '2016-11-01', to: '2016-11-30', groupBy: 'none' });
    const dec = await manager.stats({ period: 'month', from: '2016-12-01', to: '2016-12-31', groupBy: 'none' });
    expect(dec).toEqual([]); // nothing in December: every current figure is zero
    expect(nov).toMatchObject({ contractsSigned: 1, contractValue: '141.67', invoiced: '62.50', collected: '62.50' });
    const shown = async (id: string) => page.getByTestId(id).textContent();
    expect(await shown('key-contractsSigned-previous')).toBe(String(nov?.contractsSigned));
    expect(await shown('key-contractValue-previous')).toBe(nov?.contractValue);
    expect(await shown('key-invoiced-previous')).toBe(nov?.invoiced);
    expect(await shown('key-collected-previous')).toBe(nov?.collected);
    expect(await shown('key-expenses-previous')).toBe(nov?.expenses);
    expect(await shown('key-contractValue-current')).toBe('0.00');
    // Overdue: the invoice is paid in full, so nothing is overdue at either month's end.
    const aging = await manager.receivables({ asOf: '2016-12-31', groupBy: 'customer' });
    expect(aging.rows).toEqual([]);
    expect(await shown('key-overdue-current')).toBe('0.00');

    // The bars: money only (no contract count), previous then current, valued in cents as the API's figures.
    const bars = await page
      .getByTestId('key-chart')
      .locator('rect[data-testid^="key-chart-"]')
      .evaluateAll((els) => els.map((e) => [e.getAttribute('data-testid'), e.getAttribute('data-value')]));
    expect(bars).toEqual([
      ['key-chart-contractValue-0', String(parseMoney(nov?.contractValue))],
      ['key-chart-contractValue-1', '0'],
      ['key-chart-invoiced-0', String(parseMoney(nov?.invoiced))],
      ['key-chart-invoiced-1', '0'],
      ['key-chart-collected-0', String(parseMoney(nov?.collected))],
      ['key-chart-collected-1', '0'],
      ['key-chart-expenses-0', String(parseMoney(nov?.expenses))],
      ['key-chart-expenses-1', '0'],
      ['key-chart-overdue-0', '0'],
      ['key-chart-overdue-1', '0'],
    ]);

    // Commands that found nothing say so instead of a green success: nothing is overdue, there are no complaints.
    await page.getByTestId('cmd-dunning').click();
    expect(await said()).toMatch(/^No reminder to propose0 invoice lines, /);
    await page.getByTestId('tab-sheets').click();
    await page.getByTestId('cmd-complaints').click();
    expect(await said()).toBe('No complaints in this range0 rows on the Complaints sheet.');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
