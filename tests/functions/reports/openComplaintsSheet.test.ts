// The "Open complaints" report sheet: which complaints it lists and in what order, and how LibreOffice reads the
// sheet of a streamed report back (an Excel table; dates as dates, ages as numbers, formula-like text as text).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Interaction } from '../../../shared/ledgers';
import { OPEN_COMPLAINTS_SHEET, openComplaintRows } from '../../../functions/src/reports/openComplaintsSheet';
import { HEADER_ROW } from '../../../functions/src/reports/workbook';
import { emptyReport, writeReportFile } from './support';
import { openWithLibreOffice, sheet, type OpenedWorkbook } from '../../support/libreoffice';

const base = { direction: 'in', owner: 'alice', subject: 'Late delivery' } as const;
const complaints: Interaction[] = [
  {
    ...base,
    interactionId: 'IC1',
    customerId: 'C1',
    kind: 'complaint',
    date: '2016-11-01',
    status: 'open',
    dueOn: '2016-11-15',
    contractId: 'K1',
  },
  {
    ...base,
    interactionId: 'IC2',
    customerId: 'C2',
    kind: 'complaint',
    date: '2016-10-20',
    status: 'in progress',
    subject: '=HYPERLINK("x")',
  },
  {
    ...base,
    interactionId: 'IC3',
    customerId: 'C1',
    kind: 'complaint',
    date: '2016-10-01',
    status: 'resolved',
    resolvedOn: '2016-10-05',
  },
  { ...base, interactionId: 'IC4', customerId: 'C1', kind: 'complaint', date: '2016-12-01', status: 'open' },
  { ...base, interactionId: 'IF1', customerId: 'C1', kind: 'feedback', date: '2016-10-01', status: 'open' },
];
const customers = [
  { customerId: 'C1', name: 'Acme Foods' },
  { customerId: 'C2', name: '+Plus Ltd' },
];

describe('openComplaintRows', () => {
  it('lists complaints open on the day, oldest first, with customer, age and days overdue', () => {
    expect(openComplaintRows(complaints, customers, '2016-11-30')).toEqual([
      {
        interactionId: 'IC2',
        customerId: 'C2',
        customerName: '+Plus Ltd',
        contractId: null,
        date: '2016-10-20',
        dueOn: null,
        status: 'in progress',
        owner: 'alice',
        subject: '=HYPERLINK("x")',
        ageDays: 41,
        daysOverdue: 0,
      },
      {
        interactionId: 'IC1',
        customerId: 'C1',
        customerName: 'Acme Foods',
        contractId: 'K1',
        date: '2016-11-01',
        dueOn: '2016-11-15',
        status: 'open',
        owner: 'alice',
        subject: 'Late delivery',
        ageDays: 29,
        daysOverdue: 15,
      },
    ]);
  });
});

describe('the sheet in LibreOffice', () => {
  let dir: string;
  let listed: OpenedWorkbook;
  let none: OpenedWorkbook;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ledgerdesk-complaints-'));
    const listedFile = path.join(dir, 'listed.xlsx');
    await writeReportFile(
      listedFile,
      emptyReport({ openComplaints: openComplaintRows(complaints, customers, '2016-11-30') }),
    );
    const noneFile = path.join(dir, 'none.xlsx');
    await writeReportFile(noneFile, emptyReport({ openComplaints: [] }));
    const run = await openWithLibreOffice([listedFile, noneFile]);
    listed = run.workbooks.get(listedFile) as OpenedWorkbook;
    none = run.workbooks.get(noneFile) as OpenedWorkbook;
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('shows the headers and one row per open complaint, typed, under a title with the count', () => {
    const s = sheet(listed, OPEN_COMPLAINTS_SHEET);
    expect(s.rows[0]?.[0]).toBe('Open complaints on 2016-11-30: 2');
    expect(s.rows[HEADER_ROW - 1]).toEqual([
      'Interaction ID',
      'Customer ID',
      'Customer',
      'Contract ID',
      'Opened on',
      'Due on',
      'Status',
      'Owner',
      'Subject',
      'Age (days)',
      'Days overdue',
    ]);
    const data = s.rows.slice(HEADER_ROW, HEADER_ROW + 2).map((r) => [...r.slice(0, 9), ...r.slice(9).map(Number)]);
    expect(data).toEqual([
      ['IC2', 'C2', '+Plus Ltd', '', '2016-10-20', '', 'in progress', 'alice', '=HYPERLINK("x")', 41, 0],
      ['IC1', 'C1', 'Acme Foods', 'K1', '2016-11-01', '2016-11-15', 'open', 'alice', 'Late delivery', 29, 15],
    ]);
    // Dates and numbers are not text; the formula-like subject and customer name stay text.
    expect(s.text[HEADER_ROW]?.[4]).toBe(false);
    expect(s.text[HEADER_ROW]?.[9]).toBe(false);
    expect(s.text[HEADER_ROW]?.[8]).toBe(true);
    expect(s.text[HEADER_ROW]?.[2]).toBe(true);
    expect(s.rows.length).toBe(HEADER_ROW + 2);
  });

  it('is there with no rows when nothing is open', () => {
    const s = sheet(none, OPEN_COMPLAINTS_SHEET);
    expect(s.rows[0]?.[0]).toBe('Open complaints on 2016-11-30: 0');
    expect(s.rows.length).toBeLessThanOrEqual(HEADER_ROW + 1);
  });
});
