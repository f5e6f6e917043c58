// Bad input in the ledger sheets (issue 7): each case gets an error naming the cell, or a tested acceptance; no bad row is published.
import fs from 'node:fs';
import path from 'node:path';
import type { LedgerApiClient } from '../../../addin/flows/apiClient';
import { approveRows, selectedLedgerRows } from '../../../addin/flows/approve';
import { wireToCells } from '../../../addin/flows/convert';
import { publish } from '../../../addin/flows/publish';
import { validateWorkbook } from '../../../addin/flows/validate';
import { createOfficeWorkbook } from '../../../addin/excel/officeWorkbook';
import type { MemoryWorkbook } from '../../../addin/excel/memoryWorkbook';
import type { CellValue } from '../../../addin/excel/workbookAdapter';
import type { PutRowsResponse } from '../../../shared/api';
import { keyOf, type LedgerName } from '../../../shared/ledgers';
import { FakeExcel } from '../support/fakeExcel';
import { SAMPLE, cell, ledgerCells, ledgerWorkbook, setCell } from '../support/ledgerWorkbook';

/** An API client that records what it was sent and answers `created` for every row. */
function recorder(): { client: LedgerApiClient; sent: Map<LedgerName, Record<string, unknown>[]> } {
  const sent = new Map<LedgerName, Record<string, unknown>[]>();
  const unused = () => Promise.reject(new Error('not used'));
  const client: LedgerApiClient = {
    putRows: (ledger, rows) => {
      const list = sent.get(ledger) ?? [];
      list.push(...(rows as Record<string, unknown>[]));
      sent.set(ledger, list);
      const res: PutRowsResponse = {
        results: rows.map((r) => ({
          key: keyOf(ledger, r as Record<string, unknown>),
          status: 'created',
          etag: 'W/"1"',
        })),
      };
      return Promise.resolve(res);
    },
    getRows: unused,
    approve: (_ledger, rows) =>
      Promise.resolve({ results: rows.map((r) => ({ key: r.key, status: 'approved' as const, etag: 'W/"2"' })) }),
    reject: unused,
    pending: unused,
    stats: unused,
    receivables: unused,
  };
  return { client, sent };
}

const keysSent = (sent: Map<LedgerName, Record<string, unknown>[]>, ledger: LedgerName): string[] =>
  (sent.get(ledger) ?? []).map((r) => keyOf(ledger, r));

async function errorsOf(wb: MemoryWorkbook): Promise<[string, string][]> {
  const res = await validateWorkbook(wb);
  return res.errors.map((e) => [e.address, e.message]);
}

function headersOf(wb: MemoryWorkbook, table: string): string[] {
  return wb.tables.get(table)?.columns.map((c) => c.name) ?? [];
}

function renameHeader(wb: MemoryWorkbook, table: string, from: string, to: string): void {
  const col = wb.tables.get(table)?.columns.find((c) => c.name === from);
  if (col === undefined) throw new Error(`no column ${from}`);
  col.name = to;
}

interface CellCase {
  name: string;
  ledger: LedgerName;
  header: string;
  value: CellValue;
  /** The error's address and message, or the accepted wire value of the field. */
  error?: [string, RegExp];
  accepted?: { field: string; wire: unknown };
}

// One body cell of the sample workbook's first row of a ledger changed to bad (or odd) input.
const CELL_CASES: CellCase[] = [
  {
    name: 'text in a number column',
    ledger: 'orderLines',
    header: 'Quantity',
    value: 'twelve',
    error: ["'Order lines'!E2", /^Quantity holds the text "twelve", not a number: enter it as a number$/],
  },
  {
    name: 'a number stored as text in a number column',
    ledger: 'orderLines',
    header: 'Quantity',
    value: '10',
    error: ["'Order lines'!E2", /^Quantity holds the text "10", not a number/],
  },
  {
    name: 'a number in a text column (read as its digits)',
    ledger: 'customers',
    header: 'Name',
    value: 42,
    accepted: { field: 'name', wire: '42' },
  },
  {
    // Excel already dropped the zeros when 00123 was typed into a General cell; Setup formats id columns as text so
    // that typing 00123 keeps them. What is read is what the cell holds.
    name: '00123 typed as a number in an id column',
    ledger: 'expenses',
    header: 'Expense ID',
    value: 123,
    accepted: { field: 'expenseId', wire: '123' },
  },
  {
    name: 'a number too large to be an exact id',
    ledger: 'expenses',
    header: 'Expense ID',
    value: 1e21,
    error: ['Expenses!A2', /^Expense ID holds the number 1e\+21, which is not an exact id/],
  },
  {
    name: 'an ISO date typed as text',
    ledger: 'payments',
    header: 'Received on',
    value: '2016-11-20',
    accepted: { field: 'receivedOn', wire: '2016-11-20' },
  },
  {
    name: 'a day-first date typed as text',
    ledger: 'payments',
    header: 'Received on',
    value: '08/11/2016',
    error: ['Payments!D2', /^Received on date "08\/11\/2016" must be a date as YYYY-MM-DD$/],
  },
  {
    name: 'a date with a time fraction',
    ledger: 'payments',
    header: 'Received on',
    value: 42694.75,
    error: ['Payments!D2', /^Received on Excel date 42694.75 is not a whole day$/],
  },
  {
    name: 'the 1900-02-29 serial (Lotus leap-year bug)',
    ledger: 'payments',
    header: 'Received on',
    value: 60,
    error: ['Payments!D2', /1900-02-29, a day that does not exist/],
  },
  {
    name: '#N/A in a text column',
    ledger: 'customers',
    header: 'Name',
    value: '#N/A',
    error: ['Customers!B2', /^Name holds the Excel error #N\/A: fix the formula or the value in the cell$/],
  },
  {
    name: '#VALUE! in a number column',
    ledger: 'orderLines',
    header: 'Quantity',
    value: '#VALUE!',
    error: ["'Order lines'!E2", /^Quantity holds the Excel error #VALUE!/],
  },
  {
    name: '#DIV/0! in a money column',
    ledger: 'payments',
    header: 'Amount',
    value: '#DIV/0!',
    error: ['Payments!E2', /^Amount holds the Excel error #DIV\/0!/],
  },
  {
    name: '#REF! in a date column',
    ledger: 'contracts',
    header: 'Signed on',
    value: '#REF!',
    error: ['Contracts!E2', /^Signed on holds the Excel error #REF!/],
  },
  {
    name: '#NAME? in a text column',
    ledger: 'expenses',
    header: 'Category',
    value: '#NAME?',
    error: ['Expenses!C2', /^Category holds the Excel error #NAME\?/],
  },
  {
    name: 'TRUE typed as text in a boolean column',
    ledger: 'deliveries',
    header: 'Redeliver',
    value: 'TRUE',
    accepted: { field: 'redeliver', wire: true },
  },
  {
    name: '"yes" in a boolean column',
    ledger: 'deliveries',
    header: 'Redeliver',
    value: 'yes',
    error: ['Deliveries!H2', /^Redeliver must be true or false$/],
  },
  {
    name: 'money with 3 decimals',
    ledger: 'payments',
    header: 'Amount',
    value: 62.505,
    error: ['Payments!E2', /^Amount value 62.505 has more than 2 decimals$/],
  },
  {
    name: 'money with float noise (0.1 + 0.2)',
    ledger: 'payments',
    header: 'Amount',
    value: 0.1 + 0.2,
    accepted: { field: 'amount', wire: '0.30' },
  },
  {
    name: 'money as text with a thousands separator',
    ledger: 'payments',
    header: 'Amount',
    value: '1,234.50',
    error: ['Payments!E2', /must not contain thousands separators/],
  },
  {
    name: 'a negative quantity',
    ledger: 'orderLines',
    header: 'Quantity',
    value: -3,
    error: ["'Order lines'!E2", /^Quantity must be greater than 0$/],
  },
  {
    name: 'a huge quantity (1e16)',
    ledger: 'orderLines',
    header: 'Quantity',
    value: 1e16,
    error: ["'Order lines'!E2", /^Quantity 10000000000000000 is too large$/],
  },
  {
    name: 'a huge amount (1e16)',
    ledger: 'payments',
    header: 'Amount',
    value: 1e16,
    error: ['Payments!E2', /^Amount value 10000000000000000 is too large$/],
  },
  {
    name: 'leading and trailing spaces in a key',
    ledger: 'expenses',
    header: 'Expense ID',
    value: ' E1 ',
    error: ['Expenses!A2', /^Expense ID " E1 " has leading or trailing spaces$/],
  },
  {
    // Spaces in free text are the user's; only keys and references must match exactly.
    name: 'spaces around free text',
    ledger: 'customers',
    header: 'Name',
    value: '  Acme  ',
    accepted: { field: 'name', wire: '  Acme  ' },
  },
];

describe('sheet reading: one bad cell', () => {
  it.each(CELL_CASES)('$name', async (c) => {
    const wb = await ledgerWorkbook();
    setCell(wb, c.ledger, 0, c.header, c.value);
    const errors = await errorsOf(wb);
    const { client, sent } = recorder();
    const res = await publish(wb, client);
    const rows = sent.get(c.ledger) ?? [];
    if (c.error !== undefined) {
      const [address, message] = c.error;
      expect(errors).toHaveLength(1);
      expect(errors[0]?.[0]).toBe(address);
      expect(errors[0]?.[1]).toMatch(message);
      // The row is not sent; its status names the cell and what is wrong.
      expect(rows).toHaveLength((SAMPLE[c.ledger]?.length ?? 0) - 1);
      const status = String(cell(wb, c.ledger, 0, 'Sync status'));
      expect(status.startsWith(`invalid: ${address} `)).toBe(true);
      expect(res.counts.invalid).toBe(1);
      expect(res.failures[0]).toMatchObject({ ledger: c.ledger, row: 0, outcome: 'invalid' });
    } else {
      expect(errors).toEqual([]);
      expect(res.counts.invalid).toBe(0);
      expect(rows[0]?.[c.accepted?.field ?? '']).toEqual(c.accepted?.wire);
    }
  });
});

describe('sheet reading: table shape', () => {
  it('merged cells: the merge reads as the top-left value and blanks, and the blanks are reported as required', async () => {
    // Excel refuses merges inside a table; a merged block pasted over one reads like this.
    const wb = await ledgerWorkbook();
    setCell(wb, 'customers', 0, 'Name', 'Acme');
    setCell(wb, 'customers', 0, 'Region', '');
    expect(await errorsOf(wb)).toEqual([['Customers!C2', 'Region is required']]);
    const { client, sent } = recorder();
    await publish(wb, client);
    expect(keysSent(sent, 'customers')).toEqual([]);
  });

  it('blank rows inside a table are skipped and the rows after them keep their own addresses', async () => {
    const wb = await ledgerWorkbook({
      customers: [{ customerId: 'C1', name: 'Acme', region: 'East' }, {}, {}, { customerId: 'C2', region: 'West' }],
    });
    const res = await validateWorkbook(wb);
    expect(res.rowsChecked).toBe(2);
    expect(res.errors.map((e) => [e.address, e.message])).toEqual([['Customers!B5', 'Name is required']]);
    const { client, sent } = recorder();
    await publish(wb, client);
    expect(keysSent(sent, 'customers')).toEqual(['C1']);
    expect(cell(wb, 'customers', 1, 'Sync status')).toBe(''); // nothing written into the blank lines
    expect(cell(wb, 'customers', 3, 'Sync status')).toBe('invalid: Customers!B5 Name is required');
  });

  it('entirely blank trailing rows are not data: nothing to check, nothing to send', async () => {
    const wb = await ledgerWorkbook({ customers: [{ customerId: 'C1', name: 'Acme', region: 'East' }, {}, {}, {}] });
    expect((await validateWorkbook(wb)).rowsChecked).toBe(1);
    const { client, sent } = recorder();
    const res = await publish(wb, client);
    expect(res.sent).toBe(1);
    expect(keysSent(sent, 'customers')).toEqual(['C1']);
  });

  it('a table with zero data rows validates and publishes nothing', async () => {
    const wb = await ledgerWorkbook({});
    const res = await validateWorkbook(wb);
    expect(res).toMatchObject({ rowsChecked: 0, errors: [], missingTables: [] });
    const { client, sent } = recorder();
    expect((await publish(wb, client)).sent).toBe(0);
    expect(sent.size).toBe(0);
  });

  it("extra columns are the user's: kept, ignored, never sent", async () => {
    const wb = await ledgerWorkbook({ customers: [{ customerId: 'C1', name: 'Acme', region: 'East' }] });
    const t = wb.tables.get('Customers');
    t?.columns.push({ name: 'My notes', numberFormat: 'General', hidden: false });
    t?.rows.forEach((r) => r.push('call back'));
    expect(await errorsOf(wb)).toEqual([]);
    const { client, sent } = recorder();
    await publish(wb, client);
    expect(sent.get('customers')).toEqual([{ customerId: 'C1', name: 'Acme', region: 'East' }]);
    expect(t?.rows[0]?.[t.columns.length - 1]).toBe('call back');
  });

  it('reordered headers are read by name', async () => {
    const wb = await ledgerWorkbook({ customers: [{ customerId: 'C1', name: 'Acme', region: 'East' }] });
    const t = wb.tables.get('Customers');
    if (t === undefined) throw new Error('no table');
    // Swap Name and Region, column and cells.
    [t.columns[1], t.columns[2]] = [
      t.columns[2] as (typeof t.columns)[number],
      t.columns[1] as (typeof t.columns)[number],
    ];
    for (const r of t.rows) [r[1], r[2]] = [r[2] as CellValue, r[1] as CellValue];
    expect(headersOf(wb, 'Customers').slice(0, 3)).toEqual(['Customer ID', 'Region', 'Name']);
    const { client, sent } = recorder();
    await publish(wb, client);
    expect(sent.get('customers')).toEqual([{ customerId: 'C1', name: 'Acme', region: 'East' }]);
  });

  it('a renamed required header stops every flow, naming the missing column and the renamed header cell', async () => {
    const wb = await ledgerWorkbook();
    renameHeader(wb, 'Customers', 'Region', 'Area');
    await expect(validateWorkbook(wb)).rejects.toThrow(
      'Customers lacks the column Region; it has "Area" (Customers!C1), which is not a ledger column (renamed?)',
    );
    const { client, sent } = recorder();
    await expect(publish(wb, client)).rejects.toMatchObject({ code: 'HEADER_MISMATCH' });
    expect(sent.size).toBe(0); // every table is read before anything is sent
  });

  it('a renamed optional header stops the flows too (its values would otherwise be blanked on the server)', async () => {
    const wb = await ledgerWorkbook();
    renameHeader(wb, 'Customers', 'Segment', 'Segmnt');
    await expect(validateWorkbook(wb)).rejects.toThrow(/lacks the column Segment; it has "Segmnt" \(Customers!D1\)/);
    const { client, sent } = recorder();
    await expect(publish(wb, client)).rejects.toThrow(/rename the header back/);
    expect(sent.size).toBe(0);
  });

  it('a duplicated header is refused with both header cells', async () => {
    const wb = await ledgerWorkbook();
    renameHeader(wb, 'Customers', 'Segment', 'Name');
    await expect(validateWorkbook(wb)).rejects.toThrow(
      'Customers has the column "Name" twice (Customers!B1 and Customers!D1): rename or delete one.',
    );
  });

  it('a deleted required column is refused and Set up is suggested', async () => {
    const wb = await ledgerWorkbook();
    const t = wb.tables.get('Payments');
    if (t === undefined) throw new Error('no table');
    const at = t.columns.findIndex((c) => c.name === 'Amount');
    t.columns.splice(at, 1);
    for (const r of t.rows) r.splice(at, 1);
    await expect(validateWorkbook(wb)).rejects.toThrow(
      'Payments lacks the column Amount: rename the header back, or run "Set up ledger sheets" to add the column.',
    );
  });

  it('a sheet renamed away from its ledger title: addresses name the new sheet, and approving from it works', async () => {
    const wb = await ledgerWorkbook();
    const t = wb.tables.get('Customers');
    const s = wb.sheets.get('Customers');
    if (t === undefined || s === undefined) throw new Error('no table');
    t.sheet = 'My customers';
    s.name = 'My customers';
    wb.sheets.delete('Customers');
    wb.sheets.set('My customers', s);
    setCell(wb, 'customers', 0, 'Region', '#N/A');
    expect(await errorsOf(wb)).toEqual([
      ["'My customers'!C2", 'Region holds the Excel error #N/A: fix the formula or the value in the cell'],
    ]);
    setCell(wb, 'customers', 0, 'Region', 'East');
    await publish(wb, recorder().client); // the row gets the etag its approval names
    wb.selectedRange = { sheet: 'My customers', rowIndex: 1, rowCount: 1, columnIndex: 0, columnCount: 1 };
    const target = await selectedLedgerRows(wb);
    expect(target).toEqual({ ledger: 'customers', rows: [0] });
    if (target === null) throw new Error('no selection');
    const res = await approveRows(wb, recorder().client, target, 'rita.reviewer');
    expect(res.counts.approved).toBe(1);
    expect(cell(wb, 'customers', 0, 'Approved by')).toBe('rita.reviewer');
  });
});

describe('sheet reading: formulas and formula-like text', () => {
  it('a formula cell is read by its value; the formula itself is never read or sent', async () => {
    // Office.js `values` returns what the cell shows; readTable never loads formulas, so a formula cannot reach
    // the server (it would be re-evaluated elsewhere). A formula that fails shows an error value, refused above.
    // Formulas are read only by readFormulas, for the user's own columns, by pull (appending rows, and taking rows
    // outside its filter out) and set-up.
    const source = fs.readFileSync(path.resolve(__dirname, '../../../addin/excel/officeWorkbook.ts'), 'utf8');
    const readTable = source.slice(source.indexOf('readTable: (tableName'), source.indexOf('writeRows: (tableName'));
    expect(readTable.length).toBeGreaterThan(500);
    expect(readTable).not.toMatch(/formulas/);
    const flows = path.resolve(__dirname, '../../../addin/flows');
    const readers = fs
      .readdirSync(flows)
      .filter((f) => fs.readFileSync(path.join(flows, f), 'utf8').includes('readFormulas'));
    expect(readers.sort()).toEqual(['pullFilters.ts', 'setup.ts', 'tableEdits.ts']);
    const fake = new FakeExcel();
    fake.seedTable('Payments', 'Payments', ['Payment ID', 'Amount'], [['P1', 125]]); // =A1*5 showing 125
    const data = await createOfficeWorkbook({ excel: fake.excel }).readTable('Payments');
    expect(data.rows).toEqual([['P1', 125]]);
    const wb = await ledgerWorkbook();
    setCell(wb, 'payments', 0, 'Amount', 125); // the formula's value
    const { client, sent } = recorder();
    await publish(wb, client);
    expect(sent.get('payments')?.[0]?.['amount']).toBe('125.00');
  });

  it('text starting with = + - @ tab or CR stays text both ways: written, read, sent and pulled back', async () => {
    const risky = ['=SUM(A1:A9)', '+49 30 1234', '-5 discount', '@mention', '\tindented', '\rcarriage', "'quoted"];
    const customers = risky.map((name, i) => ({ customerId: `R${i}`, name, region: 'East' }));
    const wb = await ledgerWorkbook({ customers });
    // Into text columns (Name) and into a General column (Redeliver, boolean): both keep the string.
    risky.forEach((v, i) => expect(cell(wb, 'customers', i, 'Name')).toBe(v));
    await wb.writeRows(
      'Deliveries',
      [[...wireToCells('deliveries', { deliveryId: 'D1' }).slice(0, 7), '=1+1', '', '', '', '', '']],
      'replace',
    );
    expect(cell(wb, 'deliveries', 0, 'Redeliver')).toBe('=1+1');
    const { client, sent } = recorder();
    await publish(wb, client, { maxRows: 3 });
    expect(sent.get('customers')?.map((r) => r['name'])).toEqual(risky);
    // Pulled back (what pull writes): the same strings land in the cells again.
    await wb.writeRows(
      'Customers',
      customers.map((c) => ledgerCells('customers', c)),
      'replace',
    );
    risky.forEach((v, i) => expect(cell(wb, 'customers', i, 'Name')).toBe(v));
    // Through the Office adapter too: risky strings in a General column get the text format on their cells.
    const fake = new FakeExcel();
    fake.seedTable('S', 'T', ['Text'], [['x']]);
    const office = createOfficeWorkbook({ excel: fake.excel });
    await office.writeRows(
      'T',
      risky.map((v) => [v]),
      'replace',
    );
    expect((await office.readTable('T')).rows.map((r) => r[0])).toEqual(risky);
  });
});

describe('sheet reading: publish refuses what validation refuses', () => {
  it('sends the good rows only; each bad row keeps its message and address in its status', async () => {
    const wb = await ledgerWorkbook({
      ...SAMPLE,
      expenses: [
        { expenseId: 'E1', salespersonId: 'S1', category: 'travel', incurredOn: '2016-11-03', amount: '120.00' },
        { expenseId: 'E2', salespersonId: 'S1', category: 'meals', incurredOn: '2016-11-04', amount: '5.00' },
        { expenseId: 'E1', salespersonId: 'S1', category: 'taxi', incurredOn: '2016-11-05', amount: '7.00' },
        { expenseId: 'E4', salespersonId: 'S1', category: 'hotel', incurredOn: '2016-11-06', amount: '80.00' },
      ],
    });
    setCell(wb, 'expenses', 1, 'Amount', '#N/A');
    setCell(wb, 'expenses', 3, 'Incurred on', 42680.5);
    const { client, sent } = recorder();
    const res = await publish(wb, client);
    expect(keysSent(sent, 'expenses')).toEqual(['E1']);
    expect(res.counts).toMatchObject({ created: 10, invalid: 3 });
    expect(cell(wb, 'expenses', 1, 'Sync status')).toBe(
      'invalid: Expenses!E3 Amount holds the Excel error #N/A: fix the formula or the value in the cell',
    );
    expect(cell(wb, 'expenses', 2, 'Sync status')).toBe('invalid: Expenses!A4 duplicate key E1: also on row 2');
    expect(cell(wb, 'expenses', 3, 'Sync status')).toBe(
      'invalid: Expenses!D5 Incurred on Excel date 42680.5 is not a whole day',
    );
    expect(res.failures.map((f) => f.address)).toEqual(['Expenses!A3', 'Expenses!A4', 'Expenses!A5']);
    // Fixed, they go with "publish failed rows only".
    setCell(wb, 'expenses', 1, 'Amount', 5);
    setCell(wb, 'expenses', 2, 'Expense ID', 'E3');
    setCell(wb, 'expenses', 3, 'Incurred on', 42680);
    sent.clear();
    await publish(wb, client, { failedOnly: true });
    expect(keysSent(sent, 'expenses')).toEqual(['E2', 'E3', 'E4']);
  });
});
