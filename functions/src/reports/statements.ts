// Customer statements workbook (issue 13 §2): one sheet per customer statement (the figures of
// GET /api/customers/{id}/statement), then a "Customer's balance" input cell and an empty "Customer's lines" Excel
// table (document reference, date, amount) for the customer to fill in. Fit to one page wide for printing.
import ExcelJS from 'exceljs';
import type { StatementResponse } from '../../../shared/api';
import { RECEIVABLES_AMOUNT_LABELS, RECEIVABLES_AMOUNTS } from '../../../shared/calc/aging';
import { parseMoney } from '../../../shared/money';
import { cell, textValue, type Cell } from './workbook';

export interface StatementSheetInput {
  statement: StatementResponse;
  /** The customer's name, or null when unknown. */
  name: string | null;
}

export const CUSTOMER_BALANCE_LABEL = "Customer's balance";
export const CUSTOMER_LINES_LABEL = "Customer's lines";
export const NO_STATEMENTS = 'No customer has anything in the period.';
export const CUSTOMER_LINES_COLUMNS = ['Document reference', 'Date', 'Amount'] as const;
export const LINE_HEADERS = [
  'Date',
  'Kind',
  'Reference',
  'Contract',
  'Currency',
  'Due on',
  'Debit',
  'Credit',
  'Balance',
];
/** Column (1-based) of the money a label row shows: the Balance column. */
export const AMOUNT_COL = LINE_HEADERS.length;

/** A sheet name Excel accepts: no []:*?/\, at most 31 characters, unique in the workbook. */
export function statementSheetName(customerId: string, taken: Set<string>): string {
  const base =
    customerId
      .replace(/[[\]:*?/\\]/g, '_')
      .replace(/^'+|'+$/g, '')
      .slice(0, 31) || 'Customer';
  let name = base;
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${base.slice(0, 31 - `~${i}`.length)}~${i}`;
  taken.add(name.toLowerCase());
  return name;
}

function put(ws: ExcelJS.Worksheet, row: number, col: number, c: Cell, bold = false): void {
  const target = ws.getCell(row, col);
  target.value = c.value;
  if (c.numFmt !== undefined) target.numFmt = c.numFmt;
  if (bold) target.font = { bold: true };
}

function money(wire: string, what: string): Cell {
  return cell.money(parseMoney(wire, what));
}

function writeSheet(book: ExcelJS.Workbook, input: StatementSheetInput, sheetName: string, index: number): void {
  const s = input.statement;
  const ws = book.addWorksheet(sheetName, {
    pageSetup: { orientation: 'portrait', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  const currencies = s.currencies.filter((c) => c !== '').join(', ');
  put(ws, 1, 1, cell.text('Statement of account'), true);
  put(ws, 2, 1, cell.text('Customer'), true);
  put(ws, 2, 2, cell.text(input.name === null ? s.customerId : `${s.customerId} – ${input.name}`));
  put(ws, 3, 1, cell.text('Period'), true);
  put(ws, 3, 2, cell.date(s.from));
  put(ws, 3, 3, cell.date(s.to));
  put(ws, 4, 1, cell.text('Currency'), true);
  put(ws, 4, 2, cell.text(currencies));
  put(ws, 5, 1, cell.text('Opening balance'), true);
  put(ws, 5, AMOUNT_COL, money(s.openingBalance, 'openingBalance'));

  let row = 7;
  LINE_HEADERS.forEach((h, i) => put(ws, row, i + 1, cell.text(h), true));
  for (const l of s.lines) {
    row++;
    const cells: Cell[] = [
      cell.date(l.date),
      cell.text(l.kind === 'creditNote' ? 'credit note' : l.kind),
      cell.text(l.ref),
      cell.text(l.contractId),
      cell.text(l.currency),
      l.dueOn === undefined ? cell.empty() : cell.date(l.dueOn),
      money(l.debit, 'debit'),
      money(l.credit, 'credit'),
      money(l.balance, 'balance'),
    ];
    cells.forEach((c, i) => put(ws, row, i + 1, c));
  }
  row++;
  put(ws, row, 1, cell.text('Closing balance'), true);
  put(ws, row, AMOUNT_COL, money(s.closingBalance, 'closingBalance'), true);

  row += 2;
  put(ws, row, 1, cell.text('Aging as of'), true);
  put(ws, row, 2, cell.date(s.to));
  row++;
  RECEIVABLES_AMOUNTS.forEach((k, i) => put(ws, row, i + 1, cell.text(RECEIVABLES_AMOUNT_LABELS[k]), true));
  row++;
  RECEIVABLES_AMOUNTS.forEach((k, i) => put(ws, row, i + 1, money(s.aging[k], k)));

  row += 2;
  put(ws, row, 1, cell.text(CUSTOMER_BALANCE_LABEL), true);
  const input2 = ws.getCell(row, 2);
  input2.numFmt = '#,##0.00';
  input2.border = {
    top: { style: 'thin' },
    left: { style: 'thin' },
    bottom: { style: 'thin' },
    right: { style: 'thin' },
  };

  row += 2;
  put(ws, row, 1, cell.text(CUSTOMER_LINES_LABEL), true);
  row++;
  ws.addTable({
    name: `CustomerLines${index + 1}`,
    ref: `A${row}`,
    headerRow: true,
    style: { theme: 'TableStyleLight9', showRowStripes: true },
    columns: CUSTOMER_LINES_COLUMNS.map((name) => ({ name })),
    rows: [[null, null, null]],
  });
  ws.getCell(row + 1, 2).numFmt = 'yyyy-mm-dd';
  ws.getCell(row + 1, 3).numFmt = '#,##0.00';

  const widths = [18, 16, 14, 12, 10, 12, 16, 16, 16];
  widths.forEach((w, i) => (ws.getColumn(i + 1).width = w));
}

/** The statements workbook in memory: one sheet per statement, in the order given. */
export function buildStatementsWorkbook(inputs: readonly StatementSheetInput[]): ExcelJS.Workbook {
  const book = new ExcelJS.Workbook();
  book.creator = 'Ledgerdesk';
  const taken = new Set<string>();
  // Issue #13 §4: a customer with statements in several currencies gets a sheet per currency, named with it.
  const perCustomer = new Map<string, number>();
  for (const input of inputs)
    perCustomer.set(input.statement.customerId, (perCustomer.get(input.statement.customerId) ?? 0) + 1);
  inputs.forEach((input, i) => {
    const { customerId, currencies } = input.statement;
    const base = (perCustomer.get(customerId) ?? 0) > 1 ? `${customerId} ${currencies.join(' ')}` : customerId;
    writeSheet(book, input, statementSheetName(base, taken), i);
  });
  // A workbook needs a sheet: with no statement it says so.
  if (inputs.length === 0) book.addWorksheet('Statements').getCell(1, 1).value = textValue(NO_STATEMENTS);
  return book;
}

/** The statements workbook as .xlsx bytes. */
export async function writeStatementsWorkbook(inputs: readonly StatementSheetInput[]): Promise<Buffer> {
  const bytes = await buildStatementsWorkbook(inputs).xlsx.writeBuffer();
  return Buffer.from(bytes);
}
