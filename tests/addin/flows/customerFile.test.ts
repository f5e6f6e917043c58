// The customer file sheet on the memory workbook against the local API: the form read and written by label, the
// tables below it at stable places, re-opening in place, and publishing from the sheet (statuses, etags, conflicts,
// republish of failed rows).
import type { LedgerApiClient } from '../../../addin/flows/apiClient';
import {
  CUSTOMER_FILE_SHEET,
  FORM_TABLE,
  formLabels,
  openCustomerFile,
  publishCustomerFile,
  readForm,
  TABLES_ROW,
} from '../../../addin/flows/customerFile';
import { createMemoryWorkbook, type MemoryWorkbook } from '../../../addin/excel/memoryWorkbook';
import type { CellValue } from '../../../addin/excel/workbookAdapter';
import { startLocalApi, type LocalApi } from '../support/localApi';

function at(wb: MemoryWorkbook, table: string, row: number, header: string): CellValue {
  const t = wb.tables.get(table);
  const c = t?.columns.findIndex((x) => x.name === header) ?? -1;
  if (t === undefined || c < 0) throw new Error(`no ${table}.${header}`);
  return t.rows[row]?.[c] ?? '';
}
function put(wb: MemoryWorkbook, table: string, row: number, header: string, value: CellValue): void {
  const t = wb.tables.get(table);
  const c = t?.columns.findIndex((x) => x.name === header) ?? -1;
  const r = t?.rows[row];
  if (r === undefined || c < 0) throw new Error(`no ${table}[${row}].${header}`);
  r[c] = value;
}
function formValue(wb: MemoryWorkbook, label: string): CellValue {
  const row = wb.tables.get(FORM_TABLE)?.rows.find((r) => r[0] === label);
  return row?.[1] ?? '';
}
function setForm(wb: MemoryWorkbook, label: string, value: CellValue): void {
  const row = wb.tables.get(FORM_TABLE)?.rows.find((r) => r[0] === label);
  if (row === undefined) throw new Error(`no label ${label}`);
  row[1] = value;
}

describe('customer file sheet', () => {
  let api: LocalApi;
  let clerk: LedgerApiClient;
  let other: LedgerApiClient;
  let reviewer: LedgerApiClient;
  let wb: MemoryWorkbook;
  const touch = { customerId: 'C1', direction: 'in', subject: 'Hello', owner: 'alice' };

  beforeAll(async () => {
    api = await startLocalApi();
    clerk = await api.client('clara.clerk', ['clerk']);
    other = await api.client('carl.clerk', ['clerk']);
    reviewer = await api.client('rita.reviewer', ['reviewer']);
    const c = await clerk.putRows(
      'customers',
      [{ customerId: 'C1', name: 'Acme', region: 'East', creditLimit: '5000.00', email: 'ap@acme.example' }],
      'k1',
    );
    await reviewer.approve('customers', [{ key: 'C1', etag: c.results[0]?.etag ?? '' }]);
    await clerk.putRows(
      'contacts',
      [
        { contactId: 'P2', customerId: 'C1', name: 'Bea', phone: '+44 20 7946 0002' },
        { contactId: 'P1', customerId: 'C1', name: 'Zoe', primary: true },
      ],
      'k2',
    );
    await clerk.putRows(
      'interactions',
      [
        { ...touch, interactionId: 'N1', kind: 'complaint', status: 'open', date: '2016-11-01', dueOn: '2016-11-10' },
        { ...touch, interactionId: 'N2', kind: 'call', date: '2016-11-20' },
      ],
      'k3',
    );
    await clerk.putRows(
      'customerDocuments',
      [{ documentId: 'DOC1', customerId: 'C1', kind: 'licence', validTo: '2016-12-10' }],
      'k4',
    );
    wb = createMemoryWorkbook();
  });
  afterAll(async () => {
    await api.close();
  });

  it('writes the form by label at A1 and the tables side by side below it', async () => {
    const res = await openCustomerFile(wb, clerk, 'C1', { asOf: '2016-11-30' });
    expect(res.asOf).toBe('2016-11-30');
    const form = wb.tables.get(FORM_TABLE);
    expect(form?.sheet).toBe(CUSTOMER_FILE_SHEET);
    expect(form?.origin).toEqual({ row: 0, column: 0 });
    expect(form?.rows.map((r) => r[0])).toEqual(formLabels());
    expect(formValue(wb, 'Name')).toBe('Acme');
    expect(formValue(wb, 'Credit limit')).toBe(5000);
    expect(formValue(wb, 'Email')).toBe('ap@acme.example');
    expect(formValue(wb, 'Approval')).toBe('approved');
    expect(formValue(wb, 'Sync status')).toBe('pulled');
    expect(String(formValue(wb, 'ETag'))).toMatch(/^W\//);
    // The form (header on row 1, a row per customer field, three bookkeeping rows) ends above the tables, whatever their size.
    expect((form?.rows.length ?? 99) + 1).toBeLessThan(TABLES_ROW);
    const origins = Object.fromEntries(
      [...wb.tables.values()].filter((t) => t.sheet === CUSTOMER_FILE_SHEET).map((t) => [t.name, t.origin]),
    );
    expect(origins).toEqual({
      CustomerFileForm: { row: 0, column: 0 },
      FileContacts: { row: TABLES_ROW, column: 0 },
      FileInteractions: { row: TABLES_ROW, column: 13 },
      FileContracts: { row: TABLES_ROW, column: 32 },
      FileReceivables: { row: TABLES_ROW, column: 42 },
      FileComplaints: { row: TABLES_ROW, column: 52 },
      FileDocuments: { row: TABLES_ROW, column: 61 },
      FileSamples: { row: TABLES_ROW, column: 68 },
    });
    // Contacts primary first; interactions newest first; open complaints and expiring documents flagged.
    expect([at(wb, 'FileContacts', 0, 'Contact ID'), at(wb, 'FileContacts', 1, 'Contact ID')]).toEqual(['P1', 'P2']);
    expect(at(wb, 'FileContacts', 1, 'Phone')).toBe('+44 20 7946 0002');
    expect(at(wb, 'FileContacts', 0, 'Approval')).toBe('pending');
    expect(at(wb, 'FileInteractions', 0, 'Interaction ID')).toBe('N2');
    expect([at(wb, 'FileComplaints', 0, 'Open complaint'), at(wb, 'FileComplaints', 0, 'Days overdue')]).toEqual([
      'N1',
      20,
    ]);
    expect([at(wb, 'FileDocuments', 0, 'Expiry'), at(wb, 'FileDocuments', 0, 'Days left')]).toEqual(['expiring', 10]);
    // The sheet's rows are not frozen by the file's tables (they sit below the form).
    expect(wb.sheets.get(CUSTOMER_FILE_SHEET)?.frozenRows).toBe(0);
  });

  it('re-opening the same customer refreshes in place without duplicating anything', async () => {
    const before = [...wb.tables.values()].map((t) => [t.name, t.rows.length]);
    await openCustomerFile(wb, clerk, 'C1', { asOf: '2016-11-30' });
    expect([...wb.tables.values()].map((t) => [t.name, t.rows.length])).toEqual(before);
    expect(wb.tables.size).toBe(8);
  });

  it('publishes the form and an edited contact, refusing to re-open while they are unpublished', async () => {
    setForm(wb, 'Name', 'Acme Holdings');
    put(wb, 'FileContacts', 1, 'Phone', '+44 20 7946 0999');
    await expect(openCustomerFile(wb, clerk, 'C1')).rejects.toThrow(
      'The customer file has changes that are not published (the customer form, 1 contacts row)',
    );
    expect(formValue(wb, 'Name')).toBe('Acme Holdings');
    const etagBefore = at(wb, 'FileContacts', 1, 'ETag');
    const res = await publishCustomerFile(wb, clerk);
    expect(res.form).toBe('updated');
    expect(res.tables.counts).toMatchObject({ updated: 1, created: 0 });
    expect(formValue(wb, 'Sync status')).toBe('updated');
    expect(formValue(wb, 'Approval')).toBe('pending');
    expect(at(wb, 'FileContacts', 1, 'Sync status')).toBe('updated');
    expect(at(wb, 'FileContacts', 1, 'ETag')).not.toBe(etagBefore);
    const server = await clerk.getRows('contacts', { contactId: 'P2' });
    expect(server.rows[0]?.['phone']).toBe('+44 20 7946 0999');
    expect(server.rows[0]?.etag).toBe(at(wb, 'FileContacts', 1, 'ETag'));
    expect((await clerk.getRows('customers', { customerId: 'C1' })).rows[0]?.['name']).toBe('Acme Holdings');
    // Nothing unpublished now: the file opens again, with the server's values.
    await openCustomerFile(wb, clerk, 'C1', { asOf: '2016-11-30' });
    expect(formValue(wb, 'Name')).toBe('Acme Holdings');
    expect((await readForm(wb))?.status).toBe('pulled');
  });

  it('reads the form by label wherever its rows are, and writes the outcome next to the label', async () => {
    const rows = wb.tables.get(FORM_TABLE)?.rows ?? [];
    // The user moves the Region row to the top and the Sync status row up by one.
    const region = rows.findIndex((r) => r[0] === 'Region');
    rows.unshift(...rows.splice(region, 1));
    const status = rows.findIndex((r) => r[0] === 'Sync status');
    rows.splice(status - 1, 0, ...rows.splice(status, 1));
    expect((await readForm(wb))?.wire).toMatchObject({ customerId: 'C1', name: 'Acme Holdings', region: 'East' });
    setForm(wb, 'Region', 'North');
    const res = await publishCustomerFile(wb, clerk);
    expect(res.form).toBe('updated');
    expect(formValue(wb, 'Sync status')).toBe('updated');
    expect(rows[0]).toEqual(['Region', 'North']);
    expect((await clerk.getRows('customers', { customerId: 'C1' })).rows[0]?.['region']).toBe('North');
  });

  it('adds a contact from the sheet, marks conflicts and invalid rows, and republishes the failed ones', async () => {
    const t = wb.tables.get('FileContacts');
    const width = t?.columns.length ?? 0;
    const row: CellValue[] = new Array<CellValue>(width).fill('');
    t?.rows.push(row);
    put(wb, 'FileContacts', 2, 'Contact ID', 'P3');
    put(wb, 'FileContacts', 2, 'Customer ID', 'C1');
    put(wb, 'FileContacts', 2, 'Name', 'New');
    put(wb, 'FileContacts', 2, 'Email', 'new@acme');
    // Someone else changes P1 on the server while it is edited here.
    const p1 = (await other.getRows('contacts', { contactId: 'P1' })).rows[0];
    await other.putRows(
      'contacts',
      [{ contactId: 'P1', customerId: 'C1', name: 'Zoe B', primary: true, etag: p1?.etag }],
      'k5',
    );
    put(wb, 'FileContacts', 0, 'Role', 'Buyer');
    const res = await publishCustomerFile(wb, clerk);
    expect(res.form).toBeNull();
    expect(res.tables.counts).toMatchObject({ conflict: 1, invalid: 1 });
    expect(at(wb, 'FileContacts', 0, 'Sync status')).toBe(
      'conflict: the server changed this row too; choose mine or theirs',
    );
    expect(at(wb, 'FileContacts', 2, 'Sync status')).toBe(
      `invalid: 'Customer file'!E${TABLES_ROW + 4} Email must be an email address such as name@example.com`,
    );
    put(wb, 'FileContacts', 2, 'Email', 'new@acme.example');
    const again = await publishCustomerFile(wb, clerk, { failedOnly: true });
    expect(again.tables.counts).toMatchObject({ created: 1, conflict: 1 });
    expect(at(wb, 'FileContacts', 2, 'Sync status')).toBe('created');
  });
});
