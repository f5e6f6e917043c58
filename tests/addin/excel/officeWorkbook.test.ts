// Tests the Office.js workbook adapter against office-addin-mock objects: calls, values, formats, sync and payload budgets.
import { createOfficeWorkbook, OfficeStats, type OfficeWorkbook } from '../../../addin/excel/officeWorkbook';
import {
  DATE_FORMAT,
  MONEY_FORMAT,
  TEXT_FORMAT,
  WorkbookError,
  type CellValue,
  type ColumnSpec,
} from '../../../addin/excel/workbookAdapter';
import { FakeExcel } from '../support/fakeExcel';

const COLUMNS: ColumnSpec[] = [
  { name: 'invoiceNo', numberFormat: TEXT_FORMAT },
  { name: 'contractId', numberFormat: TEXT_FORMAT },
  { name: 'issuedOn', numberFormat: DATE_FORMAT },
  { name: 'amount', numberFormat: MONEY_FORMAT },
  { name: 'status', list: ['active', 'completed', 'cancelled'] },
  { name: 'etag', numberFormat: TEXT_FORMAT, hidden: true },
];
const SPEC = { sheet: 'Invoices', table: 'Invoices', columns: COLUMNS };

function setup(maxRequestBytes?: number): { fake: FakeExcel; wb: OfficeWorkbook } {
  const fake = new FakeExcel();
  fake.addSheet('Sheet1');
  const wb = createOfficeWorkbook({
    excel: fake.excel,
    stats: new OfficeStats(),
    notesSupported: () => true,
    ...(maxRequestBytes !== undefined ? { maxRequestBytes } : {}),
  });
  return { fake, wb };
}

describe('officeWorkbook.ensureTable', () => {
  it('creates sheet, table, headers, formats, lists, hidden columns and a frozen header in 2 syncs', async () => {
    const { fake, wb } = setup();
    const res = await wb.ensureTable(SPEC);
    expect(res).toEqual({ created: true, addedColumns: [], headers: COLUMNS.map((c) => c.name) });
    expect(wb.stats.syncs).toBe(2);
    expect(fake.syncs).toHaveLength(2);
    const sheet = fake.sheets.get('Invoices');
    expect(sheet).toBeDefined();
    expect(sheet?.grid[0]).toEqual(COLUMNS.map((c) => c.name));
    expect(fake.tables.get('Invoices')).toMatchObject({ sheet: 'Invoices', top: 0, left: 0, columnCount: 6 });
    expect(fake.calls).toContain('tables.add Invoices headers=true');
    expect(sheet?.columnFormats.get(0)).toEqual({ fromRow: 1, format: '@' });
    expect(sheet?.columnFormats.get(2)).toEqual({ fromRow: 1, format: DATE_FORMAT });
    expect(sheet?.columnFormats.get(3)).toEqual({ fromRow: 1, format: MONEY_FORMAT });
    expect(sheet?.columnFormats.get(4)).toEqual({ fromRow: 1, format: 'General' });
    expect(JSON.parse(sheet?.validation.get(4) ?? 'null')).toEqual({
      list: { inCellDropDown: true, source: 'active,completed,cancelled' },
    });
    expect([...(sheet?.hiddenColumns ?? [])]).toEqual([5]);
    expect(sheet?.frozenRows).toBe(1);
  });

  it('adds missing columns to an existing table and keeps its own', async () => {
    const { fake, wb } = setup();
    fake.seedTable('Invoices', 'Invoices', ['invoiceNo', 'note', 'contractId'], [['I-1', 'x', 'C-1']]);
    const res = await wb.ensureTable(SPEC);
    expect(res.created).toBe(false);
    expect(res.addedColumns).toEqual(['issuedOn', 'amount', 'status', 'etag']);
    expect(res.headers).toEqual(['invoiceNo', 'note', 'contractId', 'issuedOn', 'amount', 'status', 'etag']);
    expect(fake.sheets.get('Invoices')?.grid[0]).toEqual(res.headers);
    expect(fake.sheets.get('Invoices')?.hiddenColumns.has(6)).toBe(true);
    expect(wb.stats.syncs).toBeLessThanOrEqual(3);
  });
});

describe('officeWorkbook.ensureTable widths', () => {
  it('fits the widths of a new table and of added columns only: widths the user set on existing columns stay', async () => {
    const fits = (fake: FakeExcel): number => fake.calls.filter((c) => c === 'autofitColumns').length;
    const created = setup();
    await created.wb.ensureTable(SPEC);
    expect(fits(created.fake)).toBe(1);
    const complete = setup();
    complete.fake.seedTable(
      'Invoices',
      'Invoices',
      COLUMNS.map((c) => c.name),
      [['I-1', 'C-1', 45000, 1, 'active', '']],
    );
    await complete.wb.ensureTable(SPEC);
    expect(fits(complete.fake)).toBe(0);
    const partial = setup();
    partial.fake.seedTable('Invoices', 'Invoices', ['invoiceNo', 'note', 'contractId'], [['I-1', 'x', 'C-1']]);
    await partial.wb.ensureTable(SPEC);
    expect(fits(partial.fake)).toBe(4); // issuedOn, amount, status, etag
  });
});

describe('officeWorkbook formulas and column looks', () => {
  it('reads and writes R1C1 formulas, leaves them alone when other columns are updated, and sets formats and widths', async () => {
    const { fake, wb } = setup();
    const headers = [...COLUMNS.map((c) => c.name), 'Mine'];
    const row = (no: string): CellValue[] => [no, 'C-1', 45000, 1, 'active', '', ''];
    fake.seedTable('Invoices', 'Invoices', headers, [row('I-1'), row('I-2')]);
    await wb.writeFormulas('Invoices', 0, ['Mine'], [['=RC[-3]*2'], ['=RC[-3]*3']]);
    await wb.updateColumns('Invoices', 0, ['invoiceNo', 'status'], [['I-9', 'cancelled']]);
    expect(await wb.readFormulas('Invoices', ['Mine', 'invoiceNo'])).toEqual([
      ['=RC[-3]*2', 'I-9'],
      ['=RC[-3]*3', 'I-2'],
    ]);
    expect(fake.sheets.get('Invoices')?.formulas.get('2,6')).toBe('=RC[-3]*3');
    await wb.setColumnLooks('Invoices', [
      { name: 'Mine', numberFormat: '0.0%', width: 90 },
      { name: 'invoiceNo', width: 120 },
    ]);
    expect(await wb.readColumnLooks('Invoices', ['Mine', 'invoiceNo', 'status'])).toEqual([
      { name: 'Mine', numberFormat: '0.0%', width: 90 },
      { name: 'invoiceNo', numberFormat: 'General', width: 120 },
      { name: 'status', numberFormat: 'General', width: 48 },
    ]);
  });
});

describe('officeWorkbook write and read', () => {
  const tricky: CellValue[][] = [
    ['=1+1', '+44 20 7946', 45000, 1234.5, 'active', 'W/"1"'],
    ['-5', '@home', 45001, -0.01, 'cancelled', "'quoted"],
    ['00123', '\tindented', 45002, 0, null, '\rcr'],
  ];

  it('round-trips formula-like and number-like text exactly, dates and money as numbers', async () => {
    const { fake, wb } = setup();
    await wb.ensureTable(SPEC);
    await wb.writeRows('Invoices', tricky, 'replace');
    // In the text columns the cells are literal; "=1+1" never became a formula.
    expect(fake.cell('Invoices', 1, 0)).toBe('=1+1');
    expect(fake.cell('Invoices', 3, 0)).toBe('00123');
    expect(fake.cell('Invoices', 1, 2)).toBe(45000);
    const data = await wb.readTable('Invoices');
    expect(data.headers).toEqual(COLUMNS.map((c) => c.name));
    expect(data.sheet).toBe('Invoices');
    expect(data.rows).toEqual(tricky.map((r) => r.map((v) => (v === null ? '' : v))));
  });

  it('formats only the risky cells of a non-text column as text, and sends no formats when none are risky', async () => {
    const { fake, wb } = setup();
    await wb.ensureTable(SPEC);
    const before = fake.syncs.length;
    await wb.writeRows('Invoices', [['I-1', 'C-1', 45000, 1, '=cmd|calc', 'e']], 'replace');
    const sheet = fake.sheets.get('Invoices');
    expect(sheet?.formats.get('1,4')).toBe('@');
    expect(fake.cell('Invoices', 1, 4)).toBe('=cmd|calc');
    expect(sheet?.formats.has('1,3')).toBe(false);
    const writeSync = fake.syncs[before + 1];
    expect(writeSync?.bytesOut).toBeGreaterThan(0);
    await wb.writeRows('Invoices', [['I-2', 'C-2', 45000, 1, 'active', 'e']], 'replace');
    const plain = fake.syncs[fake.syncs.length - 1];
    expect(plain?.bytesOut).toBe(JSON.stringify([['I-2', 'C-2', 45000, 1, 'active', 'e']]).length);
  });

  it('appends after the last row, overwriting the placeholder row of a new table', async () => {
    const { fake, wb } = setup();
    await wb.ensureTable(SPEC);
    await wb.writeRows('Invoices', [['I-1', 'C-1', 45000, 1, 'active', '']], 'append');
    await wb.writeRows('Invoices', [['I-2', 'C-1', 45001, 2, 'active', '']], 'append');
    expect(fake.tables.get('Invoices')?.rowCount).toBe(3);
    expect((await wb.readTable('Invoices')).rows.map((r) => r[0])).toEqual(['I-1', 'I-2']);
  });

  it('replace with fewer rows clears the rest and shrinks the table', async () => {
    const { fake, wb } = setup();
    await wb.ensureTable(SPEC);
    await wb.writeRows('Invoices', tricky, 'replace');
    await wb.writeRows('Invoices', [['only', 'C', 1, 1, 'active', '']], 'replace');
    expect(fake.tables.get('Invoices')?.rowCount).toBe(2);
    expect(fake.cell('Invoices', 2, 0)).toBe('');
    expect(fake.calls).toContain('clear Contents Invoices!2,0:2x6');
    expect((await wb.readTable('Invoices')).rows).toEqual([['only', 'C', 1, 1, 'active', '']]);
  });

  it('updateRows overwrites in place and refuses rows outside the table', async () => {
    const { fake, wb } = setup();
    await wb.ensureTable(SPEC);
    await wb.writeRows('Invoices', tricky, 'replace');
    await wb.updateRows('Invoices', 1, [['-5', '@home', 45001, -0.01, 'completed', 'W/"2"']]);
    expect(fake.cell('Invoices', 2, 4)).toBe('completed');
    expect(fake.cell('Invoices', 2, 5)).toBe('W/"2"');
    await expect(wb.updateRows('Invoices', 3, [['x']])).rejects.toMatchObject({ code: 'BAD_SHAPE' });
  });

  it('updateColumns writes only the named columns, one block per adjacent run, leaving data cells alone', async () => {
    const { fake, wb } = setup();
    await wb.ensureTable(SPEC);
    await wb.writeRows('Invoices', tricky, 'replace');
    fake.syncs.length = 0;
    await wb.updateColumns(
      'Invoices',
      1,
      ['status', 'etag'],
      [
        ['completed', '=W/"9"'],
        ['active', 'W/"10"'],
      ],
    );
    expect(fake.cell('Invoices', 2, 4)).toBe('completed');
    expect(fake.cell('Invoices', 2, 5)).toBe('=W/"9"');
    expect(fake.cell('Invoices', 3, 5)).toBe('W/"10"');
    expect(fake.cell('Invoices', 2, 0)).toBe('-5');
    expect(fake.cell('Invoices', 1, 5)).toBe('W/"1"');
    expect(fake.syncs).toHaveLength(2); // meta + one block
    await wb.updateColumns('Invoices', 0, ['etag', 'invoiceNo'], [['e', 'I-0']]);
    expect(fake.cell('Invoices', 1, 0)).toBe('I-0');
    expect(fake.cell('Invoices', 1, 5)).toBe('e');
    await expect(wb.updateColumns('Invoices', 0, ['nope'], [['x']])).rejects.toMatchObject({
      code: 'HEADER_MISMATCH',
    });
    await expect(wb.updateColumns('Invoices', 3, ['etag'], [['x']])).rejects.toMatchObject({ code: 'BAD_SHAPE' });
  });

  it('getSelection reports the selected block and its sheet in one sync', async () => {
    const { fake, wb } = setup();
    await wb.ensureTable(SPEC);
    fake.selection = { sheet: 'Invoices', r: 2, c: 1, nr: 3, nc: 2 };
    fake.syncs.length = 0;
    expect(await wb.getSelection()).toEqual({
      sheet: 'Invoices',
      rowIndex: 2,
      rowCount: 3,
      columnIndex: 1,
      columnCount: 2,
    });
    expect(fake.syncs).toHaveLength(1);
  });

  it('rejects rows wider than the table', async () => {
    const { wb } = setup();
    await wb.ensureTable(SPEC);
    await expect(wb.writeRows('Invoices', [[1, 2, 3, 4, 5, 6, 7]], 'replace')).rejects.toMatchObject({
      code: 'BAD_SHAPE',
    });
  });

  it('reports a missing table as NOT_FOUND', async () => {
    const { wb } = setup();
    const err: unknown = await wb.readTable('Nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkbookError);
    expect(err).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('officeWorkbook budgets: 100,000 × 12', () => {
  const ROWS = 100_000;
  const headers = Array.from({ length: 12 }, (_, i) => `col${i}`);
  const columns: ColumnSpec[] = headers.map((name, i) => ({
    name,
    numberFormat: i < 4 ? TEXT_FORMAT : i < 6 ? DATE_FORMAT : i < 10 ? MONEY_FORMAT : 'General',
  }));
  // Realistic ledger rows: ids, a region, dates as serials, money, an etag-like string.
  const rows: CellValue[][] = Array.from({ length: ROWS }, (_, r) => [
    `INV-${String(r).padStart(7, '0')}`,
    `CA-2016-${100000 + (r % 50000)}`,
    ['East', 'West', 'Central', 'South'][r % 4] as string,
    `Item ${r % 997}`,
    42000 + (r % 1500),
    42030 + (r % 1500),
    Math.round(r * 37.31) / 100,
    (r % 1000) + 0.5,
    r % 13,
    -((r % 7) * 1.25),
    r % 2 === 0,
    `W/"datetime'2026-11-27T10%3A${String(r % 60).padStart(2, '0')}Z'"`,
  ]);

  it('writes in ≤ 25 syncs and reads in ≤ 10, no request over 4 MB, values intact', async () => {
    const { fake, wb } = setup();
    await wb.ensureTable({ sheet: 'Big', table: 'Big', columns });
    wb.stats.reset();
    const writeStart = fake.syncs.length;
    await wb.writeRows('Big', rows, 'replace');
    const writeSyncs = wb.stats.syncs;
    const writeMax = wb.stats.maxBytes;
    const fakeWriteMax = Math.max(...fake.syncs.slice(writeStart).map((s) => s.bytesOut));
    expect(fake.syncs.length - writeStart).toBe(writeSyncs);
    expect(writeSyncs).toBeLessThanOrEqual(25);
    expect(fakeWriteMax).toBeLessThan(4_000_000);
    expect(writeMax).toBeLessThan(4_000_000);

    wb.stats.reset();
    const readStart = fake.syncs.length;
    const progress: number[] = [];
    const data = await wb.readTable('Big', (p) => {
      expect(p.totalRows).toBe(ROWS);
      progress.push(p.rowsRead);
    });
    const readSyncs = wb.stats.syncs;
    const fakeReadMax = Math.max(...fake.syncs.slice(readStart).map((s) => s.bytesIn));
    expect(readSyncs).toBeLessThanOrEqual(10);
    expect(fake.syncs.length - readStart).toBe(readSyncs);
    expect(fakeReadMax).toBeLessThan(4_000_000);
    expect(wb.stats.maxBytes).toBeLessThan(4_000_000);
    expect(progress[progress.length - 1]).toBe(ROWS);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    expect(data.headers).toEqual(headers);
    expect(data.rows).toHaveLength(ROWS);
    expect(data.rows[0]).toEqual(rows[0]);
    expect(data.rows[54_321]).toEqual(rows[54_321]);
    expect(data.rows[ROWS - 1]).toEqual(rows[ROWS - 1]);
    const totalIn = fake.syncs.slice(readStart).reduce((s, r) => s + r.bytesIn, 0);
    // Record the measured figures for the report.
    console.log(
      `100k×12: write ${writeSyncs} syncs (max ${(fakeWriteMax / 1e6).toFixed(2)} MB), read ${readSyncs} syncs (max ${(fakeReadMax / 1e6).toFixed(2)} MB, total ${(totalIn / 1e6).toFixed(1)} MB)`,
    );
  });

  it('smaller request budgets mean more, smaller syncs (the limit is honoured, not luck)', async () => {
    const { fake, wb } = setup(500_000);
    await wb.ensureTable({ sheet: 'Big', table: 'Big', columns });
    const slice = rows.slice(0, 20_000);
    const start = fake.syncs.length;
    await wb.writeRows('Big', slice, 'replace');
    await wb.readTable('Big');
    const used = fake.syncs.slice(start);
    expect(used.length).toBeGreaterThan(8);
    for (const s of used) expect(Math.max(s.bytesIn, s.bytesOut)).toBeLessThanOrEqual(500_000);
  });
});

describe('officeWorkbook marks, selection, results and charts', () => {
  async function seeded(): Promise<{ fake: FakeExcel; wb: OfficeWorkbook }> {
    const s = setup();
    await s.wb.ensureTable(SPEC);
    await s.wb.writeRows(
      'Invoices',
      [
        ['I-1', 'C-1', 45000, 1, 'active', ''],
        ['I-2', 'C-2', 45001, 2, 'active', ''],
      ],
      'replace',
    );
    s.wb.stats.reset();
    return s;
  }

  it('sets fills and notes on single cells, then clears them', async () => {
    const { fake, wb } = await seeded();
    await wb.markCells('Invoices', [
      { row: 1, column: 'amount', fill: '#FFC7CE', note: 'amount: must have at most 2 decimals' },
      { row: 0, column: 'issuedOn', fill: '#FFC7CE' },
    ]);
    const sheet = fake.sheets.get('Invoices');
    expect(sheet?.fills.get('2,3')).toBe('#FFC7CE');
    expect(sheet?.fills.get('1,2')).toBe('#FFC7CE');
    expect(sheet?.notes.get('D3')).toBe('Ledgerdesk: amount: must have at most 2 decimals');
    expect(wb.stats.syncs).toBe(3);
    await wb.markCells('Invoices', [{ row: 1, column: 'amount', fill: null, note: null }]);
    expect(sheet?.fills.has('2,3')).toBe(false);
    expect(sheet?.notes.has('D3')).toBe(false);
    await wb.clearFills('Invoices');
    expect(sheet?.fills.size).toBe(0);
    await expect(wb.markCells('Invoices', [{ row: 0, column: 'nope', fill: 'red' }])).rejects.toMatchObject({
      code: 'HEADER_MISMATCH',
    });
  });

  it("clearMarks removes fills and the add-in's own notes in the body, keeping the user's notes", async () => {
    const { fake, wb } = await seeded();
    await wb.markCells('Invoices', [{ row: 1, column: 'amount', fill: '#FFC7CE', note: 'too many decimals' }]);
    const sheet = fake.sheets.get('Invoices');
    sheet?.notes.set('C2', 'my own reminder');
    sheet?.notes.set('Z40', 'Ledgerdesk: outside the table');
    await wb.clearMarks('Invoices');
    expect(sheet?.fills.size).toBe(0);
    expect([...(sheet?.notes.keys() ?? [])].sort()).toEqual(['C2', 'Z40']);
  });

  it('selects a body cell on the activated sheet', async () => {
    const { fake, wb } = await seeded();
    await wb.selectCell('Invoices', 1, 'amount');
    expect(fake.sheets.get('Invoices')?.active).toBe(true);
    expect(fake.sheets.get('Invoices')?.selected).toEqual([2, 3]);
  });

  it('selects a whole table row (only the table columns) on the activated sheet, in two syncs (where the table is, then the selection)', async () => {
    const { fake, wb } = await seeded();
    await wb.selectRow('Invoices', 1);
    const sheet = fake.sheets.get('Invoices');
    expect(sheet?.active).toBe(true);
    expect(sheet?.selected).toEqual([2, 0]);
    expect(sheet?.selectedSize).toEqual([1, SPEC.columns.length]);
    expect(wb.stats.syncsFor('selectRow')).toBe(2);
    await expect(wb.selectRow('Invoices', 2)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('replaces a results table and adds one named chart', async () => {
    const { fake, wb } = setup();
    const spec = {
      sheet: 'Figures',
      table: 'Stats',
      columns: [
        { name: 'period', numberFormat: TEXT_FORMAT },
        { name: 'invoiced', numberFormat: MONEY_FORMAT },
      ],
    };
    await wb.writeResultsTable(spec, [
      ['2016-11', 10],
      ['2016-12', 20],
      ['2017-01', 5],
    ]);
    await wb.writeResultsTable(spec, [['2016-Q4', 30]]);
    expect(fake.tables.get('Stats')?.rowCount).toBe(2);
    expect(fake.cell('Figures', 1, 0)).toBe('2016-Q4');
    expect(fake.cell('Figures', 2, 0)).toBe('');
    await wb.addChart({ table: 'Stats', kind: 'column', title: 'Invoiced', name: 'StatsChart' });
    await wb.addChart({ table: 'Stats', kind: 'line', title: 'Invoiced by period', name: 'StatsChart' });
    const charts = fake.sheets.get('Figures')?.charts ?? [];
    expect(charts).toHaveLength(1);
    expect(charts[0]).toMatchObject({ name: 'StatsChart', type: 'Line', title: 'Invoiced by period', position: 'D1' });
    // The whole table by default; `columns` keeps the chart to the first ones (labels and comparable series).
    expect(charts[0]?.columns).toBe(2);
    await wb.addChart({ table: 'Stats', kind: 'column', title: 'Periods only', name: 'PartChart', columns: 1 });
    expect(fake.sheets.get('Figures')?.charts.find((c) => c.name === 'PartChart')?.columns).toBe(1);
    expect(await wb.listSheets()).toEqual(['Sheet1', 'Figures']);
  });
});
