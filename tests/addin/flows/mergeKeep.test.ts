// Tests the user's work kept through pull and set-up (formula columns, formats, widths) and the per-cell three-way
// merge on pull and publish, against the real local API on Azurite over a memory workbook.
import type { LedgerApiClient } from '../../../addin/flows/apiClient';
import { MERGED_STATUS, resolveConflict } from '../../../addin/flows/conflicts';
import { publish } from '../../../addin/flows/publish';
import { pull } from '../../../addin/flows/pull';
import { setupLedgerSheets } from '../../../addin/flows/setup';
import { createMemoryWorkbook, type MemoryTable, type MemoryWorkbook } from '../../../addin/excel/memoryWorkbook';
import type { CellValue } from '../../../addin/excel/workbookAdapter';
import { cell, ledgerCells, ledgerWorkbook, setCell } from '../support/ledgerWorkbook';
import { startLocalApi, type LocalApi } from '../support/localApi';

/** The user adds a column at the end of the Customers table, as typing a header beside it does in Excel. */
function addUserColumn(wb: MemoryWorkbook, name: string, numberFormat: string, width: number): void {
  const t = wb.tables.get('Customers') as MemoryTable;
  t.columns.push({ name, numberFormat, hidden: false, width });
  for (const r of t.rows) r.push('');
}

/** What a cell holds: its formula if it has one, else its value. */
function content(wb: MemoryWorkbook, row: number, header: string): CellValue | undefined {
  const t = wb.tables.get('Customers') as MemoryTable;
  const c = t.columns.findIndex((x) => x.name === header);
  return t.formulas.get(`${row},${c}`) ?? t.rows[row]?.[c];
}

/** The user sorts two body rows into each other's place: values, formulas and all. */
function swapRows(wb: MemoryWorkbook, a: number, b: number): void {
  const t = wb.tables.get('Customers') as MemoryTable;
  const ra = t.rows[a] as CellValue[];
  t.rows[a] = t.rows[b] as CellValue[];
  t.rows[b] = ra;
  const moved = new Map<string, string>();
  for (const [k, f] of t.formulas) {
    const [r, c] = k.split(',').map(Number) as [number, number];
    moved.set(`${r === a ? b : r === b ? a : r},${c}`, f);
  }
  t.formulas.clear();
  for (const [k, f] of moved) t.formulas.set(k, f);
}

describe('the user’s work kept and per-cell merge against the local API', () => {
  let api: LocalApi;
  let alice: LedgerApiClient;
  let bob: LedgerApiClient;

  beforeAll(async () => {
    api = await startLocalApi();
    alice = await api.client('alice.clerk', ['clerk']);
    bob = await api.client('bob.clerk', ['clerk']);
  });
  afterAll(async () => {
    await api.close();
  });

  /** Alice's workbook publishes the customers; Bob's workbook is set up and pulls them. */
  async function twoWorkbooks(
    region: string,
    customers: Record<string, unknown>[],
  ): Promise<{ a: MemoryWorkbook; b: MemoryWorkbook }> {
    const a = await ledgerWorkbook({ customers: customers.map((c) => ({ ...c, region })) });
    expect((await publish(a, alice)).counts.created).toBe(customers.length);
    const b = createMemoryWorkbook();
    await setupLedgerSheets(b);
    await pull(b, bob, { ledgers: ['customers'], filters: { region } });
    return { a, b };
  }

  it('a user formula column survives two pulls and a set-up, following its rows; formats and widths stay', async () => {
    const { a, b } = await twoWorkbooks('KeepF', [
      { customerId: 'KF1', name: 'One' },
      { customerId: 'KF2', name: 'Two' },
    ]);
    addUserColumn(b, 'Label', '0.0%', 90);
    addUserColumn(b, 'Row note', '@', 120);
    await b.writeFormulas(
      'Customers',
      0,
      ['Label', 'Row note'],
      [
        ['=[@Name]&"!"', '="first"'],
        ['=[@Name]&"!"', '="second"'],
      ],
    );
    await b.setColumnLooks('Customers', [{ name: 'Name', width: 150 }]);
    swapRows(b, 0, 1); // KF2 first now, its note with it

    // Pull 1: Alice renamed KF1 and added KF3.
    setCell(a, 'customers', 0, 'Name', 'One renamed');
    await a.writeRows(
      'Customers',
      [ledgerCells('customers', { customerId: 'KF3', name: 'Three', region: 'KeepF' })],
      'append',
    );
    expect((await publish(a, alice)).counts).toMatchObject({ created: 1, updated: 1 });
    const p1 = await pull(b, bob, { ledgers: ['customers'], filters: { region: 'KeepF' } });
    expect(p1.ledgers[0]).toMatchObject({ added: 1, updated: 1, conflicts: 0 });
    expect(cell(b, 'customers', 0, 'Customer ID')).toBe('KF2');
    expect(cell(b, 'customers', 1, 'Name')).toBe('One renamed');
    expect(cell(b, 'customers', 2, 'Customer ID')).toBe('KF3');
    // Formulas are still formulas, on their rows; the new row gets the column's shared formula, not the per-row one.
    expect([0, 1, 2].map((r) => content(b, r, 'Label'))).toEqual(['=[@Name]&"!"', '=[@Name]&"!"', '=[@Name]&"!"']);
    expect([0, 1, 2].map((r) => content(b, r, 'Row note'))).toEqual(['="second"', '="first"', '']);

    // Pull 2: another change on the server; then set-up, then one more look at everything.
    setCell(a, 'customers', 1, 'Segment', 'retail');
    await publish(a, alice);
    const p2 = await pull(b, bob, { ledgers: ['customers'], filters: { region: 'KeepF' } });
    expect(p2.ledgers[0]).toMatchObject({ added: 0, updated: 1 });
    expect(cell(b, 'customers', 0, 'Segment')).toBe('retail');
    const setup = await setupLedgerSheets(b, { ledgers: ['customers'] });
    expect(setup[0]).toMatchObject({ created: false, repairs: [], rows: 3 });
    expect([0, 1, 2].map((r) => content(b, r, 'Row note'))).toEqual(['="second"', '="first"', '']);
    expect(content(b, 2, 'Label')).toBe('=[@Name]&"!"');
    expect(await b.readColumnLooks('Customers', ['Label', 'Row note', 'Name'])).toEqual([
      { name: 'Label', numberFormat: '0.0%', width: 90 },
      { name: 'Row note', numberFormat: '@', width: 120 },
      { name: 'Name', numberFormat: '@', width: 150 },
    ]);

    // A set-up that must repair (a ledger header renamed) rebuilds the table and still carries all of it.
    const t = b.tables.get('Customers') as MemoryTable;
    (t.columns.find((c) => c.name === 'Segment') as { name: string }).name = 'segment';
    const repaired = await setupLedgerSheets(b, { ledgers: ['customers'] });
    expect(repaired[0]?.repairs).toContain('column "segment" renamed back to "Segment"');
    expect([0, 1, 2].map((r) => content(b, r, 'Label'))).toEqual(['=[@Name]&"!"', '=[@Name]&"!"', '=[@Name]&"!"']);
    expect([0, 1, 2].map((r) => content(b, r, 'Row note'))).toEqual(['="second"', '="first"', '']);
    expect(await b.readColumnLooks('Customers', ['Label', 'Row note', 'Name'])).toEqual([
      { name: 'Label', numberFormat: '0.0%', width: 90 },
      { name: 'Row note', numberFormat: '@', width: 120 },
      { name: 'Name', numberFormat: '@', width: 150 },
    ]);
    expect(cell(b, 'customers', 0, 'Segment')).toBe('retail');
  });

  it('edits on both sides to different cells of one row merge on pull, and publish sends the merged row', async () => {
    const { a, b } = await twoWorkbooks('MergeP', [{ customerId: 'MP1', name: 'Base name', segment: 'base' }]);
    setCell(b, 'customers', 0, 'Segment', 'bob segment');
    setCell(a, 'customers', 0, 'Name', 'Alice name');
    expect((await publish(a, alice)).counts.updated).toBe(1);
    const serverEtag = (await alice.getRows('customers', { region: 'MergeP' })).rows[0]?.etag;

    const res = await pull(b, bob, { ledgers: ['customers'], filters: { region: 'MergeP' } });
    expect(res.conflicts).toEqual([]);
    expect(res.ledgers[0]).toMatchObject({ merged: 1, conflicts: 0, updated: 0 });
    expect(cell(b, 'customers', 0, 'Name')).toBe('Alice name');
    expect(cell(b, 'customers', 0, 'Segment')).toBe('bob segment');
    expect(cell(b, 'customers', 0, 'Sync status')).toBe(MERGED_STATUS);
    expect(cell(b, 'customers', 0, 'ETag')).toBe(serverEtag);

    const sent: object[] = [];
    const spy: LedgerApiClient = {
      ...bob,
      putRows: (ledger, rows, key) => {
        sent.push(...rows);
        return bob.putRows(ledger, rows, key);
      },
    };
    const pub = await publish(b, spy);
    expect(pub.counts).toMatchObject({ updated: 1, conflict: 0 });
    expect(sent).toEqual([
      expect.objectContaining({ customerId: 'MP1', name: 'Alice name', segment: 'bob segment', etag: serverEtag }),
    ]);
    const server = (await alice.getRows('customers', { region: 'MergeP' })).rows[0];
    expect(server).toMatchObject({ name: 'Alice name', segment: 'bob segment' });
  });

  it('a same-cell edit conflicts on that cell only; resolving per cell puts the chosen values on the server', async () => {
    const { a, b } = await twoWorkbooks('MergeC', [
      { customerId: 'MC1', name: 'Base name', segment: 'base', email: 'base@x.test' },
    ]);
    setCell(b, 'customers', 0, 'Name', 'Bob name');
    setCell(b, 'customers', 0, 'Segment', 'bob segment');
    setCell(a, 'customers', 0, 'Name', 'Alice name');
    setCell(a, 'customers', 0, 'Segment', 'alice segment');
    setCell(a, 'customers', 0, 'Email', 'alice@x.test');
    await publish(a, alice);

    const res = await pull(b, bob, { ledgers: ['customers'], filters: { region: 'MergeC' } });
    expect(res.ledgers[0]).toMatchObject({ conflicts: 1, merged: 0 });
    const c = res.conflicts[0];
    if (c === undefined) throw new Error('no conflict');
    expect(c.cells).toEqual([
      { field: 'name', column: 'Name', mine: 'Bob name', theirs: 'Alice name' },
      { field: 'segment', column: 'Segment', mine: 'bob segment', theirs: 'alice segment' },
    ]);
    // The email changed only on the server: taken at once, not part of the conflict.
    expect(c.taken).toEqual([{ field: 'email', column: 'Email', mine: 'base@x.test', theirs: 'alice@x.test' }]);
    expect(cell(b, 'customers', 0, 'Email')).toBe('alice@x.test');
    expect(cell(b, 'customers', 0, 'Name')).toBe('Bob name');
    const t = b.tables.get('Customers') as MemoryTable;
    expect([...t.fills.keys()].sort()).toEqual(['0,1', '0,3']); // Name and Segment marked, nothing else

    await expect(resolveConflict(b, c, { name: 'mine' })).rejects.toThrow('Choose mine or theirs for every cell');
    await resolveConflict(b, c, { name: 'mine', segment: 'theirs' });
    expect(cell(b, 'customers', 0, 'Segment')).toBe('alice segment');
    expect(t.fills.size).toBe(0);
    const pub = await publish(b, bob);
    expect(pub.counts).toMatchObject({ updated: 1, conflict: 0 });
    const server = (await alice.getRows('customers', { region: 'MergeC' })).rows[0];
    expect(server).toMatchObject({ name: 'Bob name', segment: 'alice segment', email: 'alice@x.test' });
  });

  it('a publish conflict on different cells merges and sends the merged row again, once; on one cell it asks', async () => {
    const { a, b } = await twoWorkbooks('MergeU', [{ customerId: 'MU1', name: 'Base name', segment: 'base' }]);
    setCell(b, 'customers', 0, 'Segment', 'bob segment');
    setCell(a, 'customers', 0, 'Name', 'Alice name');
    await publish(a, alice);
    const calls: number[] = [];
    const spy: LedgerApiClient = {
      ...bob,
      putRows: (ledger, rows, key) => {
        calls.push(rows.length);
        return bob.putRows(ledger, rows, key);
      },
    };
    const pub = await publish(b, spy);
    expect(calls).toEqual([1, 1]); // the first answer is a conflict, the merged row goes again
    expect(pub.counts).toMatchObject({ updated: 1, conflict: 0 });
    expect(pub.conflicts).toEqual([]);
    expect(cell(b, 'customers', 0, 'Name')).toBe('Alice name');
    expect(cell(b, 'customers', 0, 'Sync status')).toBe('updated');
    const server = (await alice.getRows('customers', { region: 'MergeU' })).rows[0];
    expect(server).toMatchObject({ name: 'Alice name', segment: 'bob segment' });
    expect((await publish(b, bob)).sent).toBe(0); // in sync

    // A same-cell edit found by publish: a conflict on that cell; the cell changed only on the server is taken.
    setCell(b, 'customers', 0, 'Name', 'Bob name');
    const fresh = (await alice.getRows('customers', { region: 'MergeU' })).rows[0];
    await alice.putRows(
      'customers',
      [
        {
          customerId: 'MU1',
          region: 'MergeU',
          name: 'Alice again',
          segment: 'bob segment',
          email: 'a@x.test',
          etag: fresh?.etag,
        },
      ],
      'mu-alice-2',
    );
    calls.length = 0;
    const clash = await publish(b, spy);
    expect(calls).toEqual([1]); // not sent again: a cell needs the user's pick
    expect(clash.counts).toMatchObject({ conflict: 1, updated: 0 });
    expect(clash.conflicts[0]?.cells).toEqual([
      { field: 'name', column: 'Name', mine: 'Bob name', theirs: 'Alice again' },
    ]);
    expect(clash.conflicts[0]?.taken.map((c) => c.field)).toEqual(['email']);
    expect(cell(b, 'customers', 0, 'Email')).toBe('a@x.test');
    expect(cell(b, 'customers', 0, 'Name')).toBe('Bob name');
  });
});
