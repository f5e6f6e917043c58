// Tests addin/flows/setup.ts: sheets and tables per ledger, and repairing a damaged layout without losing rows.
import { BASE_COLUMN, BOOKKEEPING, ledgerTableSpec } from '../../../addin/flows/layout';
import { matchColumns, setupLedgerSheets } from '../../../addin/flows/setup';
import { createMemoryWorkbook } from '../../../addin/excel/memoryWorkbook';
import { columns, ledger, LEDGERS } from '../../../shared/ledgers';
import { cell, ledgerWorkbook } from '../support/ledgerWorkbook';

describe('set up ledger sheets', () => {
  it('creates one sheet and table per ledger with formats, lists, hidden bookkeeping and a frozen header', async () => {
    const wb = createMemoryWorkbook();
    const res = await setupLedgerSheets(wb);
    expect(res.map((r) => [r.ledger, r.created])).toEqual(LEDGERS.map((l) => [l.name, true]));
    expect([...wb.sheets.keys()]).toEqual(LEDGERS.map((l) => l.title));
    const t = wb.tables.get('Contracts');
    expect(t?.columns.map((c) => c.name)).toEqual([
      'Contract ID',
      'Customer ID',
      'Salesperson ID',
      'Region',
      'Signed on',
      'Payment terms (days)',
      'Currency',
      'Status',
      'Approval',
      'Approved by',
      'Sync status',
      'ETag',
      'Sync hash',
      'Base version',
    ]);
    const col = (name: string) => t?.columns.find((c) => c.name === name);
    expect(col('Signed on')?.numberFormat).toBe('yyyy-mm-dd');
    expect(col('Contract ID')?.numberFormat).toBe('@');
    expect(col('Status')?.list).toEqual(['active', 'completed', 'cancelled']);
    expect(wb.tables.get('Payments')?.columns.find((c) => c.name === 'Amount')?.numberFormat).toBe('#,##0.00');
    expect(t?.columns.filter((c) => c.hidden).map((c) => c.name)).toEqual([
      BOOKKEEPING.etag,
      BOOKKEEPING.hash,
      BASE_COLUMN.name,
    ]);
    expect(wb.sheets.get('Order lines')?.frozenRows).toBe(1);
    expect(wb.tables.has('OrderLines')).toBe(true);
  });

  it('running it again on an intact workbook changes nothing and keeps the rows', async () => {
    const wb = await ledgerWorkbook();
    const res = await setupLedgerSheets(wb);
    expect(res.every((r) => !r.created && r.repairs.length === 0)).toBe(true);
    expect(res.find((r) => r.ledger === 'orderLines')?.rows).toBe(2);
    expect(cell(wb, 'orderLines', 1, 'Unit price')).toBe(3.3333);
  });

  it('repairs a missing table, a renamed, a deleted and reordered columns, and keeps unknown columns and every row', async () => {
    const wb = await ledgerWorkbook();
    wb.tables.delete('Expenses');
    const t = wb.tables.get('OrderLines');
    if (t === undefined) throw new Error('no table');
    // Damage: "Item code" renamed, "Description" deleted, Quantity and Line swapped, a user's Notes column added.
    const names = t.columns.map((c) => c.name);
    const iItem = names.indexOf('Item code');
    const iDesc = names.indexOf('Description');
    const iLine = names.indexOf('Line');
    const iQty = names.indexOf('Quantity');
    (t.columns[iItem] as { name: string }).name = 'item';
    const swap = <T>(a: T[]) => {
      const x = a[iLine] as T;
      a[iLine] = a[iQty] as T;
      a[iQty] = x;
    };
    swap(t.columns);
    t.rows.forEach(swap);
    t.columns.splice(iDesc, 1);
    t.rows.forEach((r) => r.splice(iDesc, 1));
    t.columns.push({ name: 'Notes', numberFormat: '@', hidden: false });
    t.rows.forEach((r, i) => r.push(`note ${i}`));

    const res = await setupLedgerSheets(wb);
    const ol = res.find((r) => r.ledger === 'orderLines');
    expect(ol?.repairs).toEqual([
      'column "item" renamed back to "Item code"',
      'missing column "Description" restored',
      'unknown column "Notes" kept at the end with their values',
      'columns put back in order',
    ]);
    expect(ol?.rows).toBe(2);
    expect(res.find((r) => r.ledger === 'expenses')?.created).toBe(true);
    const fixed = wb.tables.get('OrderLines');
    expect(fixed?.columns.map((c) => c.name)).toEqual([
      ...ledgerTableSpec(ledger('orderLines')).columns.map((c) => c.name),
      'Notes',
    ]);
    expect(cell(wb, 'orderLines', 0, 'Line')).toBe(1);
    expect(cell(wb, 'orderLines', 1, 'Quantity')).toBe(5);
    expect(cell(wb, 'orderLines', 1, 'Item code')).toBe('B');
    expect(cell(wb, 'orderLines', 1, 'Notes')).toBe('note 1');
    expect(fixed?.columns.find((c) => c.name === 'ETag')?.hidden).toBe(true);
    // A second run finds the layout intact (the user's column stays, it is not damage).
    const again = await setupLedgerSheets(wb, { ledgers: ['orderLines'] });
    expect(again[0]?.repairs).toEqual([]);
    expect(cell(wb, 'orderLines', 1, 'Notes')).toBe('note 1');
  });

  it('adds the Base version column to a table set up before it existed, as no repair, keeping the rows', async () => {
    const wb = await ledgerWorkbook();
    const t = wb.tables.get('Customers');
    if (t === undefined) throw new Error('no table');
    t.columns.pop();
    t.rows.forEach((r) => r.pop());
    expect(t.columns.map((c) => c.name)).not.toContain(BASE_COLUMN.name);
    const res = await setupLedgerSheets(wb, { ledgers: ['customers'] });
    expect(res[0]).toMatchObject({ created: false, repairs: [], rows: 1 });
    expect(t.columns[t.columns.length - 1]).toMatchObject({ name: BASE_COLUMN.name, hidden: true });
    expect(cell(wb, 'customers', 0, 'Name')).toBe('Acme');
  });

  it('matches columns by header, loosely by name or field, then by position', () => {
    // The v1.1 columns of customers (the optional ones added later would take "Extra" by position).
    const expected = columns('customers')
      .slice(0, 5)
      .map((c) => ({ header: c.header, field: c.field }));
    const m = matchColumns(expected, ['customerId', 'NAME', 'Zone', 'Segment', 'Credit limit', 'Extra']);
    expect(m.source).toEqual([0, 1, 2, 3, 4]);
    expect(m.renamed).toEqual([
      ['customerId', 'Customer ID'],
      ['NAME', 'Name'],
      ['Zone', 'Region'],
    ]);
    expect(m.unknown).toEqual([5]);
  });
});
