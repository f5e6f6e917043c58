// Tests the in-memory workbook the flow tests rely on: same contract and Excel entry rules as the Office.js adapter.
import { createMemoryWorkbook, enterValue, EVALUATED_MARKER } from '../../../addin/excel/memoryWorkbook';
import {
  DATE_FORMAT,
  MONEY_FORMAT,
  TEXT_FORMAT,
  WorkbookError,
  type ColumnSpec,
} from '../../../addin/excel/workbookAdapter';

const COLUMNS: ColumnSpec[] = [
  { name: 'expenseId', numberFormat: TEXT_FORMAT },
  { name: 'incurredOn', numberFormat: DATE_FORMAT },
  { name: 'amount', numberFormat: MONEY_FORMAT },
  { name: 'category', list: ['travel', 'meals'] },
  { name: 'etag', numberFormat: TEXT_FORMAT, hidden: true },
];
const SPEC = { sheet: 'Expenses', table: 'Expenses', columns: COLUMNS };

describe('enterValue (Excel entry rules)', () => {
  it.each([
    ['=1+1', 'General', EVALUATED_MARKER],
    ['=1+1', '@', '=1+1'],
    ["'=1+1", 'General', '=1+1'],
    ["''x", '@', "'x"],
    ['00123', 'General', 123],
    ['00123', '@', '00123'],
    ['plain', 'General', 'plain'],
  ] as const)('%j in a %s cell stores %j', (value, format, stored) => {
    expect(enterValue(value, format)).toBe(stored);
  });
  it('leaves numbers and booleans alone', () => {
    expect(enterValue(45000, DATE_FORMAT)).toBe(45000);
    expect(enterValue(false, 'General')).toBe(false);
  });
});

describe('memoryWorkbook', () => {
  it('creates a table with a blank placeholder row that reads as no rows', async () => {
    const wb = createMemoryWorkbook();
    expect(await wb.ensureTable(SPEC)).toEqual({
      created: true,
      addedColumns: [],
      headers: COLUMNS.map((c) => c.name),
    });
    expect(wb.tables.get('Expenses')?.rows).toHaveLength(1);
    expect(await wb.readTable('Expenses')).toEqual({
      sheet: 'Expenses',
      headers: COLUMNS.map((c) => c.name),
      rows: [],
      origin: { row: 0, column: 0 },
      bodyRows: 1, // the placeholder row is in the table, not in the rows
    });
    expect(await wb.listSheets()).toEqual(['Expenses']);
    expect(wb.sheets.get('Expenses')?.frozenRows).toBe(1);
    expect(wb.tables.get('Expenses')?.columns.map((c) => c.hidden)).toEqual([false, false, false, false, true]);
    expect(wb.tables.get('Expenses')?.columns[3]?.list).toEqual(['travel', 'meals']);
  });

  it('round-trips risky text exactly and never evaluates it', async () => {
    const wb = createMemoryWorkbook();
    await wb.ensureTable(SPEC);
    const rows = [
      ['=HYPERLINK("x")', 45000, 12.5, '+travel', "'quoted"],
      ['-1', 45001, 0.01, '@meals', '\tx'],
    ];
    await wb.writeRows('Expenses', rows, 'replace');
    expect((await wb.readTable('Expenses')).rows).toEqual(rows);
    // The General column got "@" only on its risky cells.
    expect(wb.tables.get('Expenses')?.cellFormats.get('0,3')).toBe('@');
    expect(wb.tables.get('Expenses')?.cellFormats.has('0,2')).toBe(false);
  });

  it('appends, replaces, updates and reports progress', async () => {
    const wb = createMemoryWorkbook();
    wb.readChunkRows = 2;
    await wb.ensureTable(SPEC);
    await wb.writeRows('Expenses', [['E1', 45000, 1, 'travel', '']], 'append');
    await wb.writeRows(
      'Expenses',
      [
        ['E2', 45000, 2, 'travel', ''],
        ['E3', 45000, 3, 'meals', ''],
      ],
      'append',
    );
    await wb.updateRows('Expenses', 1, [['E2', 45000, 2.5, 'meals', 'W/"1"']]);
    const progress: number[] = [];
    const data = await wb.readTable('Expenses', (p) => progress.push(p.rowsRead));
    expect(data.rows.map((r) => r[0])).toEqual(['E1', 'E2', 'E3']);
    expect(data.rows[1]).toEqual(['E2', 45000, 2.5, 'meals', 'W/"1"']);
    expect(progress).toEqual([2, 3]);
    await wb.writeRows('Expenses', [['E9', null, null, null, null]], 'replace');
    expect((await wb.readTable('Expenses')).rows).toEqual([['E9', '', '', '', '']]);
    await expect(wb.updateRows('Expenses', 1, [['x']])).rejects.toMatchObject({ code: 'BAD_SHAPE' });
  });

  it('adds missing columns to an existing table', async () => {
    const wb = createMemoryWorkbook();
    await wb.ensureTable({ ...SPEC, columns: COLUMNS.slice(0, 2) });
    await wb.writeRows('Expenses', [['E1', 45000]], 'replace');
    const res = await wb.ensureTable(SPEC);
    expect(res).toEqual({
      created: false,
      addedColumns: ['amount', 'category', 'etag'],
      headers: COLUMNS.map((c) => c.name),
    });
    expect((await wb.readTable('Expenses')).rows).toEqual([['E1', 45000, '', '', '']]);
  });

  it('marks, clears, selects, writes results and charts', async () => {
    const wb = createMemoryWorkbook();
    await wb.ensureTable(SPEC);
    await wb.writeRows('Expenses', [['E1', 45000, 1, 'travel', '']], 'replace');
    await wb.markCells('Expenses', [{ row: 0, column: 'amount', fill: '#FFC7CE', note: 'too much' }]);
    const t = wb.tables.get('Expenses');
    expect(t?.fills.get('0,2')).toBe('#FFC7CE');
    expect(t?.notes.get('0,2')).toBe('Ledgerdesk: too much');
    await wb.clearFills('Expenses');
    expect(t?.fills.size).toBe(0);
    expect(t?.notes.size).toBe(1);
    await wb.selectCell('Expenses', 0, 'amount');
    expect(wb.selection).toEqual({ sheet: 'Expenses', table: 'Expenses', row: 0, column: 'amount' });
    await expect(wb.selectCell('Expenses', 0, 'nope')).rejects.toBeInstanceOf(WorkbookError);
    await wb.selectRow('Expenses', 0);
    expect(wb.selection).toEqual({ sheet: 'Expenses', table: 'Expenses', row: 0, column: null });
    expect(await wb.getSelection()).toEqual({
      sheet: 'Expenses',
      rowIndex: 1,
      rowCount: 1,
      columnIndex: 0,
      columnCount: 5,
    });
    await expect(wb.selectRow('Expenses', 1)).rejects.toBeInstanceOf(WorkbookError);
    await wb.selectCell('Expenses', 0, 'amount');
    expect(await wb.getSelection()).toEqual({
      sheet: 'Expenses',
      rowIndex: 1,
      rowCount: 1,
      columnIndex: 2,
      columnCount: 1,
    });
    await wb.updateColumns('Expenses', 0, ['etag', 'category'], [['=W/"1"', 'meals']]);
    expect((await wb.readTable('Expenses')).rows).toEqual([['E1', 45000, 1, 'meals', '=W/"1"']]);
    const stats = {
      sheet: 'Figures',
      table: 'Stats',
      columns: [
        { name: 'period', numberFormat: TEXT_FORMAT },
        { name: 'expenses', numberFormat: MONEY_FORMAT },
      ],
    };
    await wb.writeResultsTable(stats, [['2016-11', 10]]);
    await wb.writeResultsTable(stats, [
      ['2016-12', 20],
      ['2017-01', 5],
    ]);
    expect((await wb.readTable('Stats')).rows).toEqual([
      ['2016-12', 20],
      ['2017-01', 5],
    ]);
    await wb.addChart({ table: 'Stats', kind: 'line', title: 'Expenses', name: 'c' });
    await wb.addChart({ table: 'Stats', kind: 'column', title: 'Expenses', name: 'c' });
    expect(wb.sheets.get('Figures')?.charts).toEqual([
      { name: 'c', kind: 'column', title: 'Expenses', table: 'Stats' },
    ]);
    await expect(wb.readTable('Missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
