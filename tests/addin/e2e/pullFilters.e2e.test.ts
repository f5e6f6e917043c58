// End to end (issue #18): the built task pane in headless Chromium on the Excel double, against the local API. A
// filtered pull downloads only the matching rows (counted in the API's responses as the browser received them) and
// a pull with another filter takes the first region's rows out, saying how many; a user's formula column survives
// two pulls on its row; a row edited here and on the server in different cells merges on pull without a conflict.
import type { Page, Response } from 'playwright-core';
import type { LedgerApiClient } from '../../../addin/flows/apiClient';
import { openPane, startStage, type PanePage, type Stage } from './harness';

interface DoubleTable {
  sheet: string;
  top: number;
  left: number;
  rowCount: number;
}
interface Double {
  state: { tables: Map<string, DoubleTable> };
  addColumn(table: string, header: string): void;
  setFormula(table: string, row: number, header: string, formula: string): void;
  formula(table: string, row: number, header: string): string | null;
  setCell(table: string, row: number, header: string, value: unknown): void;
  cell(table: string, row: number, header: string): unknown;
}
type DoubleWindow = Window & { __excelDouble: Double };

/** The non-empty values of one column of a table in the double, top to bottom. */
const column = (page: Page, table: string, header: string): Promise<string[]> =>
  page.evaluate(
    ([t, h]) => {
      const d = (window as unknown as DoubleWindow).__excelDouble;
      const body = (d.state.tables.get(t)?.rowCount ?? 1) - 1;
      return Array.from({ length: body }, (_, i) => String(d.cell(t, i, h))).filter((v) => v !== '');
    },
    [table, header] as const,
  );

/** The body row of a table whose `header` cell holds `value`, or -1. */
const rowOf = (page: Page, table: string, header: string, value: string): Promise<number> =>
  page.evaluate(
    ([t, h, v]) => {
      const d = (window as unknown as DoubleWindow).__excelDouble;
      const body = (d.state.tables.get(t)?.rowCount ?? 1) - 1;
      return Array.from({ length: body }, (_, i) => String(d.cell(t, i, h))).indexOf(v);
    },
    [table, header, value] as const,
  );

/**
 * Every GET of ledger rows the page receives: the rows per ledger and the query of each read. `settled` waits for
 * the bodies read so far; `reset` forgets them (before the next pull).
 */
function recordReads(page: Page): {
  rows: Map<string, unknown[]>;
  queries: Map<string, string>;
  settled: () => Promise<void>;
  reset: () => void;
} {
  const rows = new Map<string, unknown[]>();
  const queries = new Map<string, string>();
  let pending: Promise<void>[] = [];
  page.on('response', (res: Response) => {
    const url = new URL(res.url());
    const m = /\/api\/ledgers\/([A-Za-z]+)$/.exec(url.pathname);
    if (m === null || res.request().method() !== 'GET') return;
    const ledger = m[1] as string;
    url.searchParams.delete('pageSize');
    url.searchParams.delete('continuationToken');
    queries.set(ledger, url.searchParams.toString());
    pending.push(
      res.json().then((body: { rows: unknown[] }) => {
        rows.set(ledger, [...(rows.get(ledger) ?? []), ...body.rows]);
      }),
    );
  });
  return {
    rows,
    queries,
    settled: async () => {
      await Promise.all(pending);
    },
    reset: () => {
      rows.clear();
      queries.clear();
      pending = [];
    },
  };
}

const total = (rows: Map<string, unknown[]>): number => [...rows.values()].reduce((n, r) => n + r.length, 0);
const keysOf = (rows: Map<string, unknown[]>, ledger: string, field: string): string[] =>
  (rows.get(ledger) ?? []).map((r) => String((r as Record<string, unknown>)[field])).sort();

describe('pull with filters, merge and own columns in the task pane', () => {
  let stage: Stage;
  let carl: LedgerApiClient;

  beforeAll(async () => {
    stage = await startStage('pull-filters');
    carl = await stage.api.client('carl.clerk', ['clerk']);
    const seed = async (ledger: Parameters<LedgerApiClient['putRows']>[0], rows: object[]) => {
      const res = await carl.putRows(ledger, rows, `seed-${ledger}`);
      expect(res.results.map((r) => r.status)).toEqual(rows.map(() => 'created'));
    };
    await seed('customers', [
      { customerId: 'PC1', name: 'Acme', region: 'East', segment: 'base' },
      { customerId: 'PC2', name: 'Bolt', region: 'West', segment: 'base' },
    ]);
    await seed('salespeople', [
      { salespersonId: 'PS1', name: 'Sam', region: 'East' },
      { salespersonId: 'PS2', name: 'Wes', region: 'West' },
    ]);
    await seed('contracts', [
      { contractId: 'PK1', customerId: 'PC1', salespersonId: 'PS1', region: 'East', signedOn: '2016-11-05' },
      { contractId: 'PK2', customerId: 'PC2', salespersonId: 'PS2', region: 'West', signedOn: '2016-11-20' },
    ]);
    await seed('invoices', [
      { invoiceNo: 'PI1', contractId: 'PK1', issuedOn: '2016-11-10' },
      { invoiceNo: 'PI2', contractId: 'PK2', issuedOn: '2016-11-25' },
    ]);
    await seed('invoiceLines', [
      { invoiceNo: 'PI1', lineNo: 1, itemCode: 'A', quantity: 1, unitPrice: '1.00' },
      { invoiceNo: 'PI2', lineNo: 1, itemCode: 'A', quantity: 1, unitPrice: '1.00' },
    ]);
  }, 120_000);
  afterAll(async () => {
    await stage?.close();
  });

  /** A pane signed in as Erin with the ledger sheets set up, on the Sync tab. */
  async function erinsPane(): Promise<PanePage> {
    const { api, server } = stage;
    const pane = await openPane(stage);
    const { page, said } = pane;
    await page.goto(`${server.url}/taskpane.html`);
    await page.getByTestId('host').waitFor();
    await page.getByTestId('api-url').fill(api.url);
    await page.getByTestId('dev-token').fill(await api.token('erin.clerk', ['clerk']));
    await page.getByTestId('connect').click();
    await page.getByTestId('user').waitFor();
    await page.getByTestId('cmd-setup').click();
    expect(await said()).toContain('Ledger sheets ready');
    await page.getByTestId('tab-sync').click();
    return pane;
  }

  it('a filtered pull downloads only the region’s rows; another region takes them out and says how many', async () => {
    const { context, page, errors, said } = await erinsPane();
    const reads = recordReads(page);

    await page.getByTestId('pull-region').fill('east'); // stored as "East"
    await page.getByTestId('cmd-pull').click();
    expect(await said()).toBe('Pulled5 added, 0 updated, 0 local edits kept, 0 rows merged, 0 conflicts.');
    await reads.settled();
    // What the API sent: East's customer, salesperson, contract, invoice and invoice line, nothing of West.
    expect(total(reads.rows)).toBe(5);
    expect(keysOf(reads.rows, 'customers', 'customerId')).toEqual(['PC1']);
    expect(keysOf(reads.rows, 'salespeople', 'salespersonId')).toEqual(['PS1']);
    expect(keysOf(reads.rows, 'contracts', 'contractId')).toEqual(['PK1']);
    expect(keysOf(reads.rows, 'invoices', 'invoiceNo')).toEqual(['PI1']);
    expect(keysOf(reads.rows, 'invoiceLines', 'invoiceNo')).toEqual(['PI1']);
    expect(reads.queries.get('invoices')).toBe('region=east');
    expect(await column(page, 'Customers', 'Customer ID')).toEqual(['PC1']);
    expect(await column(page, 'Salespeople', 'Salesperson ID')).toEqual(['PS1']);
    expect(await column(page, 'Contracts', 'Contract ID')).toEqual(['PK1']);
    expect(await column(page, 'Invoices', 'Invoice no')).toEqual(['PI1']);
    expect(await column(page, 'InvoiceLines', 'Invoice no')).toEqual(['PI1']);

    reads.reset();
    await page.getByTestId('pull-region').fill('West');
    await page.getByTestId('cmd-pull').click();
    expect(await said()).toBe(
      'Pulled5 added, 0 updated, 0 local edits kept, 0 rows merged, 0 conflicts; 5 rows outside the filter removed.',
    );
    await reads.settled();
    expect(total(reads.rows)).toBe(5);
    expect(keysOf(reads.rows, 'contracts', 'contractId')).toEqual(['PK2']);
    expect(await column(page, 'Customers', 'Customer ID')).toEqual(['PC2']);
    expect(await column(page, 'Salespeople', 'Salesperson ID')).toEqual(['PS2']);
    expect(await column(page, 'Contracts', 'Contract ID')).toEqual(['PK2']);
    expect(await column(page, 'Invoices', 'Invoice no')).toEqual(['PI2']);
    expect(await column(page, 'InvoiceLines', 'Invoice no')).toEqual(['PI2']);
    expect(errors).toEqual([]);
    await context.close();
  });
  it('a formula column of the user’s own survives two pulls, each formula on its row', async () => {
    const { context, page, errors, said } = await erinsPane();
    await page.getByTestId('cmd-pull').click();
    expect(await said()).toContain('10 added');
    const k1 = await rowOf(page, 'Contracts', 'Contract ID', 'PK1');
    const k2 = await rowOf(page, 'Contracts', 'Contract ID', 'PK2');
    expect([k1, k2].sort()).toEqual([0, 1]);
    await page.evaluate(
      ([r1, r2]) => {
        const d = (window as unknown as DoubleWindow).__excelDouble;
        d.addColumn('Contracts', 'My note');
        d.setFormula('Contracts', r1, 'My note', '=[@[Contract ID]]&" east"');
        d.setFormula('Contracts', r2, 'My note', '=[@[Contract ID]]&" west"');
      },
      [k1, k2] as const,
    );
    const note = (row: number) =>
      page.evaluate((r) => (window as unknown as DoubleWindow).__excelDouble.formula('Contracts', r, 'My note'), row);

    // Carl changes PK1's payment terms: the first pull writes that row's ledger cells, not the note beside them.
    const current = (await carl.getRows('contracts', { contractId: 'PK1' })).rows[0];
    const put = await carl.putRows(
      'contracts',
      [
        {
          contractId: 'PK1',
          customerId: 'PC1',
          salespersonId: 'PS1',
          region: 'East',
          signedOn: '2016-11-05',
          paymentTermsDays: 45,
          etag: current?.etag,
        },
      ],
      'pf-terms',
    );
    expect(put.results[0]?.status).toBe('updated');
    await page.getByTestId('cmd-pull').click();
    expect(await said()).toContain('0 added, 1 updated');
    expect(await rowOf(page, 'Contracts', 'Contract ID', 'PK1')).toBe(k1);
    expect(
      await page.evaluate(
        (r) => (window as unknown as DoubleWindow).__excelDouble.cell('Contracts', r, 'Payment terms (days)'),
        k1,
      ),
    ).toBe(45);
    expect(await note(k1)).toBe('=[@[Contract ID]]&" east"');
    expect(await note(k2)).toBe('=[@[Contract ID]]&" west"');

    // The second pull, for East, takes PK2 out: PK1's note stays a formula on PK1's row, wherever that row is now.
    await page.getByTestId('pull-region').fill('East');
    await page.getByTestId('cmd-pull').click();
    expect(await said()).toContain('5 rows outside the filter removed');
    expect(await column(page, 'Contracts', 'Contract ID')).toEqual(['PK1']);
    expect(await note(0)).toBe('=[@[Contract ID]]&" east"');
    expect(await note(1)).toBeNull();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a row edited here and on the server in different cells merges on pull, without a conflict card', async () => {
    const { context, page, errors, said } = await erinsPane();
    await page.getByTestId('cmd-pull').click();
    expect(await said()).toContain('10 added');
    const row = await rowOf(page, 'Customers', 'Customer ID', 'PC2');
    expect(row).toBeGreaterThanOrEqual(0);
    const cell = (header: string) =>
      page.evaluate(([r, h]) => (window as unknown as DoubleWindow).__excelDouble.cell('Customers', r, h), [
        row,
        header,
      ] as const);

    // Erin renames Bolt in her sheet; Carl, on the server, changes its segment.
    await page.evaluate(
      (r) => (window as unknown as DoubleWindow).__excelDouble.setCell('Customers', r, 'Name', 'Bolt Ltd'),
      row,
    );
    const current = (await carl.getRows('customers', { customerId: 'PC2' })).rows[0];
    const put = await carl.putRows(
      'customers',
      [{ customerId: 'PC2', name: 'Bolt', region: 'West', segment: 'key account', etag: current?.etag }],
      'pf-segment',
    );
    expect(put.results[0]?.status).toBe('updated');

    await page.getByTestId('cmd-pull').click();
    expect(await said()).toBe('Pulled0 added, 0 updated, 0 local edits kept, 1 row merged, 0 conflicts.');
    expect(await page.getByTestId('conflicts').count()).toBe(0);
    expect(await cell('Name')).toBe('Bolt Ltd');
    expect(await cell('Segment')).toBe('key account');

    // Publishing sends the merged row: both changes are stored, Carl's not overwritten.
    await page.getByTestId('cmd-publish').click();
    expect(await said()).toContain('Published 1 row');
    const stored = (await carl.getRows('customers', { customerId: 'PC2' })).rows[0];
    expect(stored).toMatchObject({ name: 'Bolt Ltd', segment: 'key account', region: 'West' });
    expect(errors).toEqual([]);
    await context.close();
  });
});
