// The "Open complaints" sheet in a stored report (Azurite): approved complaints open at the period's end, read back
// from the downloaded workbook; pending complaints and those resolved by then are not on it.
import ExcelJS from 'exceljs';
import { parsePeriod } from '../../../shared/dates';
import { keyOf, type LedgerName } from '../../../shared/ledgers';
import { setConfigForTests } from '../../../functions/src/config';
import { OPEN_COMPLAINTS_SHEET } from '../../../functions/src/reports/openComplaintsSheet';
import { HEADER_ROW } from '../../../functions/src/reports/workbook';
import { makeReport, openReport } from '../../../functions/src/reports/service';
import { approveRows } from '../../../functions/src/services/approvals';
import { putRows } from '../../../functions/src/services/putRows';
import { useTestConfig } from '../../support/azurite';
import { seenNow } from '../../support/seen';

const c = { customerId: 'C1', kind: 'complaint', direction: 'in', owner: 'olga', subject: 'Scratched desk' };

async function write(name: LedgerName, rows: Record<string, unknown>[], approve: boolean): Promise<void> {
  const results = await putRows(name, rows, 'clerk.kim');
  expect(results.map((r) => r.status)).toEqual(rows.map(() => 'created'));
  if (!approve) return;
  const keys = rows.map((r) => keyOf(name, r));
  const approved = await approveRows(name, await seenNow(name, keys), 'reviewer.rui');
  expect(approved.results.map((r) => r.status)).toEqual(keys.map(() => 'approved'));
}

beforeAll(async () => {
  useTestConfig();
  await write('customers', [{ customerId: 'C1', name: 'Acme', region: 'East' }], true);
  await write(
    'interactions',
    [
      { ...c, interactionId: 'A-OPEN', date: '2016-11-03', status: 'open', dueOn: '2016-11-10' },
      // Resolved in December: still open at the end of November.
      { ...c, interactionId: 'B-LATE', date: '2016-11-20', status: 'resolved', resolvedOn: '2016-12-02' },
      { ...c, interactionId: 'C-DONE', date: '2016-11-01', status: 'resolved', resolvedOn: '2016-11-05' },
      { ...c, interactionId: 'D-DEC', date: '2016-12-01', status: 'open' },
    ],
    true,
  );
  await write('interactions', [{ ...c, interactionId: 'E-PENDING', date: '2016-11-04', status: 'open' }], false);
});
afterAll(() => setConfigForTests(undefined));

it('lists the approved complaints open on the period end, oldest first', async () => {
  const stored = await makeReport(parsePeriod('2016-11'), 'manager.mia', new Date('2016-12-05T02:00:00Z'));
  const opened = await openReport(stored.reportId);
  if (opened === undefined) throw new Error('report not found');
  const chunks: Buffer[] = [];
  for await (const chunk of opened.body) chunks.push(chunk as Buffer);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
  const ws = book.getWorksheet(OPEN_COMPLAINTS_SHEET);
  if (ws === undefined) throw new Error(`no sheet; sheets: ${book.worksheets.map((w) => w.name).join(', ')}`);
  const text = (v: ExcelJS.CellValue): string => {
    if (typeof v === 'object' && v !== null && 'richText' in v) return v.richText.map((t) => t.text).join('');
    return typeof v === 'number' || typeof v === 'string' ? String(v) : JSON.stringify(v);
  };
  const rows: string[][] = [];
  for (let r = HEADER_ROW + 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    if (row.getCell(1).value === null) break; // below the table
    rows.push([1, 3, 7, 10, 11].map((col) => text(row.getCell(col).value)));
  }
  expect(rows).toEqual([
    ['A-OPEN', 'Acme', 'open', '27', '20'],
    ['B-LATE', 'Acme', 'resolved on 2016-12-02', '10', '0'],
  ]);
});
