// The customer file sheet through the Office.js adapter on the Excel double: the form and tables land at their
// places in the grid, re-opening refreshes them in place (a shorter list leaves no old rows behind), and the user's
// own cells outside the tables keep their values.
import type { CustomerFileResponse, ReadRow } from '../../../shared/api';
import type { LedgerApiClient } from '../../../addin/flows/apiClient';
import { openCustomerFile, readForm, TABLES_ROW } from '../../../addin/flows/customerFile';
import { createOfficeWorkbook } from '../../../addin/excel/officeWorkbook';
import { loadExcelDouble } from '../support/excelDouble';

interface Grid {
  grid: unknown[][];
}
interface DoubleTable {
  sheet: string;
  top: number;
  left: number;
  rowCount: number;
}

const approval = {
  status: 'approved' as const,
  changedBy: 'clara',
  changedAt: '2016-11-01T00:00:00Z',
  approvedBy: 'rita',
  approvedAt: '2016-11-02T00:00:00Z',
};
const row = (fields: Record<string, unknown>, etag: string): ReadRow => ({ ...fields, etag, approval });

function file(contacts: number): CustomerFileResponse {
  return {
    asOf: '2016-11-30',
    customer: row({ customerId: 'C1', name: '=Acme', region: 'East', phone: '+44 20 7946 0001' }, 'W/"c1"'),
    contacts: Array.from({ length: contacts }, (_, i) =>
      row({ contactId: `P${i + 1}`, customerId: 'C1', name: `Person ${i + 1}` }, `W/"p${i + 1}"`),
    ),
    contracts: [],
    receivables: null,
    openComplaints: [],
    interactions: [
      row(
        {
          interactionId: 'N1',
          customerId: 'C1',
          kind: 'call',
          direction: 'in',
          date: '2016-11-20',
          subject: 'Hi',
          owner: 'al',
        },
        'W/"n1"',
      ),
    ],
    documents: [],
    samplesOut: [],
  };
}

function apiWith(contacts: number): LedgerApiClient {
  const fail = () => Promise.reject(new Error('not used'));
  return {
    putRows: fail,
    getRows: fail,
    approve: fail,
    reject: fail,
    pending: fail,
    stats: fail,
    receivables: fail,
    customerFile: () => Promise.resolve(file(contacts)),
  };
}

it('lays the file out at stable places, refreshes in place and leaves the user cells alone', async () => {
  const w = loadExcelDouble();
  w.__excelDouble.addSheet('Customer file');
  const state = w.__excelDouble.state as unknown as {
    sheets: Map<string, Grid>;
    tables: Map<string, DoubleTable>;
  };
  const grid = (state.sheets.get('Customer file') as Grid).grid;
  // The user's own cells: right of the form, in the gap column between two tables, and far below.
  (grid[2] ??= [])[5] = 'my note';
  (grid[TABLES_ROW] ??= [])[12] = 'between';
  (grid[60] ??= [])[0] = 'far below';
  const wb = createOfficeWorkbook({ excel: w.Excel, notesSupported: () => true });

  await openCustomerFile(wb, apiWith(3), 'C1');
  const places = Object.fromEntries([...state.tables.entries()].map(([name, t]) => [name, [t.sheet, t.top, t.left]]));
  expect(places).toMatchObject({
    CustomerFileForm: ['Customer file', 0, 0],
    FileContacts: ['Customer file', TABLES_ROW, 0],
    FileInteractions: ['Customer file', TABLES_ROW, 13],
    FileSamples: ['Customer file', TABLES_ROW, 68],
  });
  expect(grid[0]?.slice(0, 2)).toEqual(['Field', 'Value']);
  expect(grid[1]?.slice(0, 2)).toEqual(['Customer ID', 'C1']);
  // Text that looks like a formula or a number with + stays text in the form's Value column.
  expect(grid[2]?.slice(0, 2)).toEqual(['Name', '=Acme']);
  expect(grid[8]?.slice(0, 2)).toEqual(['Phone', '+44 20 7946 0001']);
  expect(grid[TABLES_ROW]?.[0]).toBe('Contact ID');
  expect([1, 2, 3].map((i) => grid[TABLES_ROW + i]?.[0])).toEqual(['P1', 'P2', 'P3']);
  expect(grid[TABLES_ROW]?.[13]).toBe('Interaction ID');
  expect(grid[TABLES_ROW + 1]?.[13]).toBe('N1');
  const form = await readForm(wb);
  expect(form?.wire).toEqual({ customerId: 'C1', name: '=Acme', region: 'East', phone: '+44 20 7946 0001' });
  expect(form?.etag).toBe('W/"c1"');
  expect(form?.hash).toBe(form?.syncHash);

  // Re-opened with one contact fewer: same places, the old third row is gone, nothing is duplicated.
  await openCustomerFile(wb, apiWith(2), 'C1');
  expect(state.tables.size).toBe(8);
  expect([state.tables.get('FileContacts')?.top, state.tables.get('FileContacts')?.rowCount]).toEqual([TABLES_ROW, 3]);
  expect([1, 2, 3].map((i) => grid[TABLES_ROW + i]?.[0] ?? '')).toEqual(['P1', 'P2', '']);
  expect(grid[2]?.[5]).toBe('my note');
  expect(grid[TABLES_ROW]?.[12]).toBe('between');
  expect(grid[60]?.[0]).toBe('far below');
});
