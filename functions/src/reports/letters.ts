// The reminder letters workbook (issue 13): one print-ready sheet per approved, issued reminder, with the level's
// letter text filled in by shared/calc/dunning.ts fillLetter, the invoice lines, the totals and the pay-by date.
import ExcelJS from 'exceljs';
import { fillLetter, type ProposedLine } from '../../../shared/calc/dunning';
import type { Cents } from '../../../shared/money';
import type { Customer, Reminder, ReminderLevel, ReminderLine } from '../../../shared/ledgers';
import { cell, type Cell } from './workbook';

/** One letter's content: everything the sheet shows, amounts in cents. */
export interface LetterData {
  reminderNo: string;
  customerId: string;
  customerName: string;
  currency: string;
  level: number;
  issuedOn: string;
  payBy: string;
  /** The level's letter text, filled in ("" when the level has none). */
  letter: string;
  lines: {
    invoiceNo: string;
    dueOn: string | undefined;
    daysOverdue: number;
    outstanding: Cents;
    interest: Cents;
    fee: Cents;
  }[];
  outstanding: Cents;
  interest: Cents;
  fees: Cents;
  /** outstanding + interest + fees. */
  total: Cents;
}

export interface LetterSources {
  reminders: readonly Reminder[];
  reminderLines: readonly ReminderLine[];
  customers: readonly Pick<Customer, 'customerId' | 'name' | 'reminderTermsCode'>[];
  levels: readonly Pick<ReminderLevel, 'termsCode' | 'level' | 'letterText'>[];
  /** Due dates by invoice number. */
  dueOn: ReadonlyMap<string, string | undefined>;
}

/**
 * The letters of the given reminders, in the order given, lines by line number. The letter text is the level's of the
 * customer's reminder terms; a stored reminder keeps no unapplied amount, so {unapplied} is 0.00 and {asOf} is the
 * issue date.
 */
export function letterData(src: LetterSources): LetterData[] {
  return src.reminders.map((r) => {
    const customer = src.customers.find((c) => c.customerId === r.customerId);
    const level = src.levels.find((l) => l.termsCode === customer?.reminderTermsCode && l.level === r.level);
    const lines = src.reminderLines
      .filter((l) => l.reminderNo === r.reminderNo)
      .sort((a, b) => a.lineNo - b.lineNo)
      .map((l) => ({
        invoiceNo: l.invoiceNo,
        dueOn: src.dueOn.get(l.invoiceNo),
        daysOverdue: l.daysOverdue,
        outstanding: l.outstanding,
        interest: l.interest,
        fee: l.fee,
      }));
    const sum = (f: (l: (typeof lines)[number]) => Cents): Cents => lines.reduce((a, l) => a + f(l), 0);
    const outstanding = sum((l) => l.outstanding);
    const interest = sum((l) => l.interest);
    const fees = sum((l) => l.fee);
    const total = outstanding + interest + fees;
    const customerName = customer?.name ?? r.customerId;
    const letter = fillLetter(level?.letterText ?? '', {
      currency: r.currency,
      level: r.level,
      payBy: r.payBy,
      // fillLetter reads only the invoice numbers of the lines.
      lines: lines.map((l) => ({ invoiceNo: l.invoiceNo }) as ProposedLine),
      outstanding,
      interest,
      fees,
      unapplied: 0,
      total,
      asOf: r.issuedOn,
      customerName,
    });
    return { ...r, customerName, letter, lines, outstanding, interest, fees, total };
  });
}

const HEADERS = ['Invoice no', 'Due on', 'Days overdue', 'Outstanding', 'Interest', 'Fee'];
const WIDTHS = [16, 12, 13, 16, 14, 12];

function put(ws: ExcelJS.Worksheet, row: number, col: number, c: Cell, bold = false): void {
  const target = ws.getCell(row, col);
  target.value = c.value;
  if (c.numFmt !== undefined) target.numFmt = c.numFmt;
  if (c.center) target.alignment = { horizontal: 'center' };
  if (bold) target.font = { bold: true };
}

/** A sheet name from a reminder number: without the characters Excel forbids, at most 31 characters, unique. */
function sheetName(reminderNo: string, used: Set<string>): string {
  const base = reminderNo.replace(/[[\]:*?/\\]/g, '_').slice(0, 31) || 'Reminder';
  let name = base;
  for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base.slice(0, 31 - String(i).length - 1)}~${i}`;
  used.add(name.toLowerCase());
  return name;
}

/** The letters workbook, one sheet per letter (named after the reminder number), A4 portrait, one page wide. */
export function lettersWorkbook(letters: readonly LetterData[]): ExcelJS.Workbook {
  const book = new ExcelJS.Workbook();
  book.title = 'Ledgerdesk reminder letters';
  const used = new Set<string>();
  for (const l of letters) {
    const ws = book.addWorksheet(sheetName(l.reminderNo, used), {
      pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    });
    ws.columns = WIDTHS.map((width) => ({ width }));
    put(ws, 1, 1, cell.text(`Reminder ${l.reminderNo} (level ${l.level})`), true);
    put(ws, 2, 1, cell.text(`${l.customerName} (${l.customerId})`));
    put(ws, 3, 1, cell.text('Issued on'));
    put(ws, 3, 2, cell.date(l.issuedOn));
    put(ws, 5, 1, cell.text(l.letter));
    ws.mergeCells(5, 1, 5, HEADERS.length);
    ws.getCell(5, 1).alignment = { wrapText: true, vertical: 'top' };
    ws.getRow(5).height = Math.max(
      15,
      15 * Math.ceil((l.letter.length + 1) / 80) + 15 * (l.letter.split('\n').length - 1),
    );
    const header = 7;
    HEADERS.forEach((h, i) => put(ws, header, i + 1, cell.text(i >= 3 ? `${h} (${l.currency})` : h), true));
    let row = header + 1;
    for (const line of l.lines) {
      put(ws, row, 1, cell.text(line.invoiceNo));
      put(ws, row, 2, line.dueOn === undefined ? cell.empty() : cell.date(line.dueOn));
      put(ws, row, 3, cell.int(line.daysOverdue));
      put(ws, row, 4, cell.money(line.outstanding));
      put(ws, row, 5, cell.money(line.interest));
      put(ws, row, 6, cell.money(line.fee));
      row++;
    }
    put(ws, row, 1, cell.text('Total'), true);
    put(ws, row, 4, cell.money(l.outstanding), true);
    put(ws, row, 5, cell.money(l.interest), true);
    put(ws, row, 6, cell.money(l.fees), true);
    row += 2;
    put(ws, row, 1, cell.text(`Amount due (${l.currency})`), true);
    put(ws, row, 4, cell.money(l.total), true);
    put(ws, row + 1, 1, cell.text('Pay by'), true);
    put(ws, row + 1, 4, cell.date(l.payBy), true);
  }
  return book;
}
