// The report workbook's "Open complaints" sheet (issue 15): complaints not resolved at the period's end, oldest
// first, from plain rows; added to either kind of exceljs workbook (streaming writer or in memory).
import type ExcelJS from 'exceljs';
import { openCases } from '../../../shared/calc/customerFile';
import { toExcelSerial, type IsoDate } from '../../../shared/dates';
import type { Customer, Interaction } from '../../../shared/ledgers';

export const OPEN_COMPLAINTS_SHEET = 'Open complaints';
/** Row of the column headers; data starts on the next row. */
export const OPEN_COMPLAINTS_HEADER_ROW = 3;

export interface OpenComplaintRow {
  interactionId: string;
  customerId: string;
  customerName: string | null;
  contractId: string | null;
  date: IsoDate;
  dueOn: IsoDate | null;
  status: string;
  owner: string;
  subject: string;
  ageDays: number;
  daysOverdue: number;
}

/**
 * The complaints open on `asOf` (approved versions: status open or in progress, dated on or before it), oldest
 * first, with their customer's name, age and days past their due date (shared/calc/customerFile openCases).
 */
export function openComplaintRows(
  complaints: readonly Interaction[],
  customers: readonly Pick<Customer, 'customerId' | 'name'>[],
  asOf: IsoDate,
): OpenComplaintRow[] {
  const names = new Map(customers.map((c) => [c.customerId, c.name]));
  return openCases(complaints, asOf).map(({ interaction: i, ageDays, daysOverdue }) => ({
    interactionId: i.interactionId,
    customerId: i.customerId,
    customerName: names.get(i.customerId) ?? null,
    contractId: i.contractId ?? null,
    date: i.date,
    dueOn: i.dueOn ?? null,
    // A complaint resolved after asOf was open on it; its status now says when it was resolved.
    status: i.status === 'resolved' ? `resolved on ${i.resolvedOn ?? ''}` : (i.status ?? 'open'),
    owner: i.owner,
    subject: i.subject,
    ageDays,
    daysOverdue,
  }));
}

// As the report's other sheets do: characters XML cannot carry are written in OOXML's _xHHHH_ escape, and text goes
// in as an inline rich-text string, never as a formula, whatever it starts with.
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /_(?=x[0-9A-Fa-f]{4}_)|[\u0000-\u0008\u000B\u000C\u000D\u000E-\u001F\uFFFE\uFFFF]/g;

function text(s: string | null): ExcelJS.CellValue {
  if (s === null || s === '') return null;
  const escaped = s.replace(NEEDS_ESCAPE, (ch) => `_x${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`);
  return { richText: [{ text: escaped }] };
}

const COLUMNS: { header: string; width: number; numFmt?: string }[] = [
  { header: 'Interaction ID', width: 18 },
  { header: 'Customer ID', width: 14 },
  { header: 'Customer', width: 28 },
  { header: 'Contract ID', width: 16 },
  { header: 'Opened on', width: 12, numFmt: 'yyyy-mm-dd' },
  { header: 'Due on', width: 12, numFmt: 'yyyy-mm-dd' },
  { header: 'Status', width: 12 },
  { header: 'Owner', width: 16 },
  { header: 'Subject', width: 40 },
  { header: 'Age (days)', width: 10, numFmt: '0' },
  { header: 'Days overdue', width: 12, numFmt: '0' },
];

/** Adds the sheet with a title, the as-of line, headers on row 3 and one row per open complaint. */
export function addOpenComplaintsSheet(book: ExcelJS.Workbook, rows: readonly OpenComplaintRow[], asOf: IsoDate): void {
  const ws = book.addWorksheet(OPEN_COMPLAINTS_SHEET, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: OPEN_COMPLAINTS_HEADER_ROW }],
  });
  // Widths and formats before the first row: the streaming writer emits <cols> with it.
  ws.columns = COLUMNS.map((c) => ({ width: c.width, style: { numFmt: c.numFmt ?? 'General' } }));
  const title = ws.getRow(1);
  title.getCell(1).value = text('Open complaints');
  title.getCell(1).font = { bold: true, size: 14 };
  title.commit();
  const sub = ws.getRow(2);
  sub.getCell(1).value = text(
    `Approved complaints open or in progress on ${asOf}, oldest first: ${rows.length}. Age and days overdue as of that day.`,
  );
  sub.getCell(1).font = { italic: true };
  sub.commit();
  const header = ws.getRow(OPEN_COMPLAINTS_HEADER_ROW);
  COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = text(c.header);
    cell.font = { bold: true };
    cell.border = { bottom: { style: 'thin' } };
  });
  header.commit();
  rows.forEach((r, n) => {
    const row = ws.getRow(OPEN_COMPLAINTS_HEADER_ROW + 1 + n);
    const values: ExcelJS.CellValue[] = [
      text(r.interactionId),
      text(r.customerId),
      text(r.customerName),
      text(r.contractId),
      toExcelSerial(r.date),
      r.dueOn === null ? null : toExcelSerial(r.dueOn),
      text(r.status),
      text(r.owner),
      text(r.subject),
      r.ageDays,
      r.daysOverdue,
    ];
    values.forEach((v, i) => {
      if (v !== null) row.getCell(i + 1).value = v;
    });
    row.commit();
  });
  // Only streamed worksheets have commit(); an in-memory one is complete as it is.
  if (typeof ws.commit === 'function') ws.commit();
}
