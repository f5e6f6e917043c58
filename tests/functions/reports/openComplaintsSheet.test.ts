// The "Open complaints" report sheet: which complaints it lists and in what order, and how LibreOffice reads the
// sheet back (dates as dates, ages as numbers, formula-like text as text), streamed and in memory.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import type { Interaction } from '../../../shared/ledgers';
import {
  addOpenComplaintsSheet,
  OPEN_COMPLAINTS_SHEET,
  openComplaintRows,
} from '../../../functions/src/reports/openComplaintsSheet';
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
  let streamed: OpenedWorkbook;
  let inMemory: OpenedWorkbook;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ledgerdesk-complaints-'));
    const rows = openComplaintRows(complaints, customers, '2016-11-30');
    const streamFile = path.join(dir, 'streamed.xlsx');
    const pass = new PassThrough();
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: pass, useStyles: true, useSharedStrings: false });
    const done = pipeline(pass, createWriteStream(streamFile));
    addOpenComplaintsSheet(writer, rows, '2016-11-30');
    await writer.commit();
    await done;
    const memoryFile = path.join(dir, 'memory.xlsx');
    const book = new ExcelJS.Workbook();
    addOpenComplaintsSheet(book, [], '2016-11-30');
    await book.xlsx.writeFile(memoryFile);
    const run = await openWithLibreOffice([streamFile, memoryFile]);
    streamed = run.workbooks.get(streamFile) as OpenedWorkbook;
    inMemory = run.workbooks.get(memoryFile) as OpenedWorkbook;
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('shows headers on row 3 and one row per open complaint, typed', () => {
    const s = sheet(streamed, OPEN_COMPLAINTS_SHEET);
    expect(s.rows[0]?.[0]).toBe('Open complaints');
    expect(s.rows[1]?.[0]).toBe(
      'Approved complaints open or in progress on 2016-11-30, oldest first: 2. Age and days overdue as of that day.',
    );
    expect(s.rows[2]).toEqual([
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
    expect(s.rows.slice(3, 5)).toEqual([
      ['IC2', 'C2', '+Plus Ltd', '', '2016-10-20', '', 'in progress', 'alice', '=HYPERLINK("x")', '41', '0'],
      ['IC1', 'C1', 'Acme Foods', 'K1', '2016-11-01', '2016-11-15', 'open', 'alice', 'Late delivery', '29', '15'],
    ]);
    // Dates and numbers are not text; the formula-like subject and customer name stay text.
    expect(s.text[3]?.[4]).toBe(false);
    expect(s.text[3]?.[9]).toBe(false);
    expect(s.text[3]?.[8]).toBe(true);
    expect(s.text[3]?.[2]).toBe(true);
    expect(s.rows.length).toBe(5);
  });

  it('writes an empty sheet into an in-memory workbook too', () => {
    const s = sheet(inMemory, OPEN_COMPLAINTS_SHEET);
    expect(s.rows[1]?.[0]).toContain('oldest first: 0.');
    expect(s.rows.length).toBe(3);
  });
});
