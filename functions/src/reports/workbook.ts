// Writes a period's report workbook (.xlsx) row by row with exceljs's streaming writer, from plain report data: one
// function per sheet (SHEET_BUILDERS), each sheet's tables as Excel tables, charts beside the tables they plot, print
// settings and a footer on every sheet.
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { FindingCode, FindingWire, ReceivablesRow, StatsRow } from '../../../shared/api';
import { AGING_BUCKETS, RECEIVABLES_AMOUNT_LABELS, RECEIVABLES_AMOUNTS } from '../../../shared/calc/aging';
import { MEASURE_LABELS, MEASURES, type Measure } from '../../../shared/calc/statistics';
import { toExcelSerial, type IsoDate, type Period } from '../../../shared/dates';
import { columnLetter } from '../../../shared/excel';
import { ASSESSMENT_COLUMNS, ASSESSMENT_SHEET, type AssessmentMonth } from './assessmentSheet';
import { parseMoney, parseRate, parseUnitPrice, scaledToCellNumber, type Cents } from '../../../shared/money';
import { absRange, PackageParts, type ChartSpec, type TableSpec } from './packageParts';
import { OPEN_COMPLAINTS_SHEET, type OpenComplaintRow } from './openComplaintsSheet';
import { BUDGET_SHEET, PLAN_CHART_MEASURE, PLAN_SHEET } from './planSheet';
import type { BudgetLine } from '../../../shared/calc/plan';
import { PLAN_MEASURE_NAMES } from '../../../shared/api';

/** Rows of a section: an array, a generator, or pages read from storage; consumed once, in order. */
export type Rows<T> = Iterable<T> | AsyncIterable<T>;

/** Statistics of one salesperson for the period, with what the Salespeople sheet needs to compute commission. */
export interface SalespersonStatsRow extends StatsRow {
  /** The salesperson's name, or null when the salesperson is unknown. */
  name: string | null;
  /** Fraction as a decimal string with at most 4 decimals ("0.03"), or null when none is set. */
  commissionRate: string | null;
  /**
   * The sum of the period's monthly commission statements in the row's currency (shared/calc/commission.ts), as a
   * money string; null when the salesperson is unknown.
   */
  commission: string | null;
}

/** Receivables aging of one customer as of the period's last day. */
export interface CustomerReceivablesRow extends ReceivablesRow {
  name: string | null;
}

/** A contract with something open at the period's end: undelivered, uninvoiced or unpaid. */
export interface OpenContractRow {
  contractId: string;
  customerId: string;
  /** Names beside the ids, or null when the customer or salesperson is unknown. */
  customerName?: string | null;
  salespersonId: string;
  salespersonName?: string | null;
  region: string;
  signedOn: IsoDate;
  status: string;
  /** Issue #13 §4: the contract's currency, which its amounts are in (absent: the report's `currency`). */
  currency?: string;
  /** Money as wire decimal strings, from the contract's performance totals. */
  orderedAmount: string;
  deliveredAmount: string;
  invoicedAmount: string;
  collected: string;
  receivable: string;
  /** Quantities summed over the contract's items. */
  undeliveredQty: number;
  uninvoicedQty: number;
}

/** An invoice-check finding of an invoice issued in the period. */
export interface ReportFinding extends FindingWire {
  issuedOn: IsoDate;
  contractId: string;
}

/** The statistics measures of one period over all groups (wire money strings). */
export type PeriodFigures = Omit<StatsRow, 'period' | 'group'>;

/** The Summary's comparison: this period, the one before it and the same period a year earlier. */
export interface Comparison {
  current: { label: string; figures: PeriodFigures };
  previous: { label: string; figures: PeriodFigures };
  yearEarlier: { label: string; figures: PeriodFigures };
}

/** Everything a report workbook shows, already calculated; the writer only lays it out. */
export interface ReportData {
  period: Period;
  generatedAt: Date;
  generatedBy: string;
  /** Version of Ledgerdesk that made the report. */
  appVersion: string;
  /** The report's version within its period (1, 2, …), when it is stored. */
  reportVersion?: number;
  /** ISO 4217 code, shown once in each money column's header: the house currency (rows without a currency). */
  currency: string;
  /**
   * Issue #13 §4: every currency the figures are in, sorted (absent or empty: `currency` alone). With more than one,
   * each sheet of money shows one table per currency, its code in the money headers, so no total adds two currencies.
   */
  currencies?: readonly string[];
  /** The Summary's comparison per currency (absent: `comparison`, in `currency`). */
  comparisons?: readonly { currency: string; comparison: Comparison }[];
  regions: Rows<StatsRow>;
  /** Every month of a quarter or year report in order, zeros included (group null); empty for a month report. */
  months: readonly StatsRow[];
  /** Every quarter of a year report in order (group null); empty otherwise. */
  quarters: readonly StatsRow[];
  comparison: Comparison;
  salespeople: Rows<SalespersonStatsRow>;
  /** Rows come sorted as they are shown: most over 90 days overdue first, then most overdue, then largest total. */
  receivables: { asOf: IsoDate; rows: Rows<CustomerReceivablesRow> };
  contracts: Rows<OpenContractRow>;
  findings: Rows<ReportFinding>;
  /** Issue 15: complaints open at the period's end (the "Open complaints" sheet, written when given). */
  openComplaints?: readonly OpenComplaintRow[];
  /** Issue #14: the salesperson's month, for each month of the period (sheet "Salespeople's month"). */
  assessment?: readonly AssessmentMonth[];
  /** Issue #14 §4: the period's statistics by region with their plans (sheet "Plan vs actual", written when given). */
  plan?: readonly StatsRow[];
  /** Issue #14 §4: the period's budgets against expenses by region and category (sheet "Budgets vs expenses"). */
  budgets?: readonly BudgetLine[];
}

export const SHEETS = {
  summary: 'Summary',
  salespeople: 'Salespeople',
  receivables: 'Receivables',
  contracts: 'Contract performance',
  findings: 'Invoice check',
} as const;

/** Rows above the data: a title, a provenance line, a blank row, then the header row (frozen with everything above it). */
export const HEADER_ROW = 4;
export const FIRST_DATA_ROW = HEADER_ROW + 1;

export const CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Money: thousands separators, two decimals, negatives with a minus, zero as a dash; the currency is in the header. */
export const MONEY_FORMAT = '#,##0.00;-#,##0.00;"–"';
const DATE_FORMAT = 'yyyy-mm-dd';
const INT_FORMAT = '#,##0';
const RATE_FORMAT = '0.00##%';
const PERCENT_FORMAT = '0.0%;-0.0%;"–"';
const UNIT_PRICE_FORMAT = '#,##0.00##';
/** Value axis of a money chart: whole units. */
const AXIS_MONEY_FORMAT = '#,##0';

/** Top rows of the Receivables sheet drawn in the overdue chart. */
export const TOP_OVERDUE = 10;

/** What a finding code means, in the words of the Invoice check sheet. */
export const FINDING_TEXT: Record<FindingCode, string> = {
  UNKNOWN_CONTRACT: 'Contract does not exist',
  ITEM_NOT_ON_ORDER: 'Item is not on the order',
  PRICE_MISMATCH: 'Unit price differs from the order',
  QTY_EXCEEDS_ORDERED: 'Invoiced more than ordered',
  QTY_EXCEEDS_DELIVERED: 'Invoiced more than delivered',
};

export type Kind = 'text' | 'int' | 'money' | 'date' | 'rate' | 'percent' | 'any';
export interface Col {
  header: string;
  kind: Kind;
  /** Whether the totals row sums this column. */
  total?: boolean;
  hidden?: boolean;
}

type CellValue = ExcelJS.CellValue;

/** A cell to write: its value, its number format, and how many characters it shows (for fitting column widths). */
export interface Cell {
  value: CellValue;
  numFmt?: string;
  /** Dates are centred: right-aligned, they would touch the left-aligned text of the next column. */
  center?: boolean;
  chars: number;
}

/** Width of a column whose content is streamed and so not known when the sheet starts. */
const STREAMED_WIDTH: Record<Kind, number> = {
  text: 18,
  int: 10,
  money: 16,
  date: 11,
  rate: 9,
  percent: 9,
  any: 14,
};
const MIN_WIDTH = 6;
const MAX_WIDTH = 48;
/** Wider than this (in characters at 100 %) a sheet prints in landscape. */
const PORTRAIT_CHARS = 95;
const LINE_HEIGHT = 15;
/** Fill of every second data row of a table. */
const BAND_ARGB = 'FFF0F3F7';

// Characters XML 1.0 cannot carry (exceljs silently drops them) and CR (XML parsers turn it into LF) are written in
// OOXML's own escape _xHHHH_, which Excel and LibreOffice decode; a literal "_xHHHH_" is protected by escaping its
// underscore as _x005F_, as Excel does.
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /_(?=x[0-9A-Fa-f]{4}_)|[\u0000-\u0008\u000B\u000C\u000D\u000E-\u001F\uFFFE\uFFFF]/g;

/** A string as an OOXML string value, losing nothing. */
export function escapeXString(s: string): string {
  return s.replace(NEEDS_ESCAPE, (ch) => `_x${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`);
}

/**
 * Text as an inline string (`t="inlineStr"`). Never a formula, whatever it starts with (`=`, `+`, `-`, `@`): exceljs
 * only writes a formula for `{formula}` values. Plain strings would be written as `t="str"`, the type of a formula's
 * string result, which is not meant for constants; inline strings are standard and keep the writer streaming (no
 * shared-string table held in memory until the end).
 */
export function textValue(s: string | null | undefined): CellValue {
  if (s === null || s === undefined || s === '') return null;
  return { richText: [{ text: escapeXString(s) }] };
}

/** `12,345` for 12345 (digits with thousands separators), as the formats show them. */
function grouped(n: number): string {
  return Math.abs(Math.trunc(n)).toLocaleString('en-US');
}

/** Cells by kind, with the report's number formats. */
export const cell = {
  text: (s: string | null | undefined): Cell => ({ value: textValue(s), chars: s?.length ?? 0 }),
  money: (cents: Cents): Cell => ({
    value: scaledToCellNumber(cents, 2),
    numFmt: MONEY_FORMAT,
    chars: cents === 0 ? 1 : grouped(cents / 100).length + 3 + (cents < 0 ? 1 : 0),
  }),
  int: (n: number): Cell => ({ value: n, numFmt: INT_FORMAT, chars: grouped(n).length + (n < 0 ? 1 : 0) }),
  // 10 digits and dashes, which print wider than the digits a column width counts.
  date: (d: IsoDate): Cell => ({ value: toExcelSerial(d), numFmt: DATE_FORMAT, chars: 11, center: true }),
  rate: (rate4: number | null): Cell =>
    rate4 === null ? cell.empty() : { value: scaledToCellNumber(rate4, 4), numFmt: RATE_FORMAT, chars: 7 },
  percent: (fraction: number | null): Cell =>
    fraction === null ? cell.empty() : { value: fraction, numFmt: PERCENT_FORMAT, chars: 8 },
  empty: (): Cell => ({ value: null, chars: 0 }),
};

function moneyCell(wire: string, what: string): { cents: Cents; cell: Cell } {
  const cents = parseMoney(wire, what);
  return { cents, cell: cell.money(cents) };
}

/** The header of a column: money columns carry the currency once, here. */
function headerText(c: Col, currency: string): string {
  return c.kind === 'money' ? `${c.header} (${currency})` : c.header;
}

/** Lines a header needs at `width` characters, wrapped at spaces. */
function headerLines(text: string, width: number): number {
  let lines = 1;
  let used = 0;
  for (const word of text.split(' ')) {
    const need = used === 0 ? word.length : used + 1 + word.length;
    if (need <= width - 3 || used === 0) used = need;
    else {
      lines++;
      used = word.length;
    }
  }
  return lines;
}

/** Column widths fitted to headers (wrapped on at most two lines) and content, or to the kind when content is streamed. */
function fitWidths(headers: string[], cols: Col[], rows: Cell[][] | undefined): number[] {
  return cols.map((c, i) => {
    const header = headers[i] ?? '';
    const longestWord = Math.max(...header.split(' ').map((w) => w.length));
    // Bold header text is wider than the width's count of digits: a margin of 4 characters keeps headers apart.
    let width = Math.max(longestWord + 4, Math.ceil(header.length / 2) + 4);
    if (rows === undefined) width = Math.max(width, STREAMED_WIDTH[c.kind]);
    else for (const r of rows) width = Math.max(width, (r[i]?.chars ?? 0) + 3);
    // A header that fits on one line would fill it edge to edge and touch its neighbour: two characters more.
    if (header.length <= width) width = Math.max(width, header.length + 2);
    return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, width));
  });
}

/** Escapes text for a header/footer, where `&` starts a code. */
function hfText(s: string): string {
  return s.replace(/&/g, '&&');
}

/** What every sheet builder gets: the workbook being written and the report's data. */
export interface Layout {
  book: ExcelJS.Workbook;
  parts: PackageParts;
  data: ReportData;
  provenance: string;
  out: Writable | undefined;
  /** Table names used so far (unique in the workbook). */
  tableNames: Set<string>;
}

interface SheetOptions {
  name: string;
  title: string;
  provenance: string;
  widths: number[];
  hidden?: boolean[];
  /** Fit on one page (the Summary); otherwise one page wide and as many tall as needed, header repeated. */
  onePage?: boolean;
}

/** Where a table landed: 1-based rows. */
export interface TablePlace {
  headerRow: number;
  firstRow: number;
  /** Last data row; firstRow - 1 when there are none. */
  lastRow: number;
  totalsRow?: number;
}

/** One sheet being streamed, top to bottom: title, provenance, then tables (committed row by row) and charts. */
export class SheetWriter {
  readonly ws: ExcelJS.Worksheet;
  /** Next row to write (1-based). */
  row = HEADER_ROW;
  private readonly tables: TableSpec[] = [];
  private readonly charts: ChartSpec[] = [];

  constructor(
    private readonly layout: Layout,
    readonly options: SheetOptions,
  ) {
    const { data } = layout;
    const wide = options.widths.reduce((a, w) => a + w, 0) > PORTRAIT_CHARS;
    const version = data.reportVersion === undefined ? '' : ` v${data.reportVersion}`;
    this.ws = layout.book.addWorksheet(options.name, {
      views: options.onePage ? [] : [{ state: 'frozen', xSplit: 0, ySplit: HEADER_ROW }],
      pageSetup: {
        orientation: wide || options.onePage ? 'landscape' : 'portrait',
        paperSize: 9, // A4
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: options.onePage ? 1 : 0,
        printTitlesRow: options.onePage ? undefined : `${HEADER_ROW}:${HEADER_ROW}`,
        margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.7, header: 0.3, footer: 0.3 },
      },
      headerFooter: {
        oddFooter:
          `&L${hfText(`Ledgerdesk report ${data.period.label}${version}`)}` +
          `&C${hfText(`Generated ${data.generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`)}` +
          `&RPage &P of &N`,
      },
    });
    // Column widths must be set before the first row: the streaming writer emits <cols> with it.
    // exceljs leaves out a column of exactly its default width 9 (as if unset): 9.1 keeps it.
    this.ws.columns = options.widths.map((width, i) => ({
      width: width === 9 ? 9.1 : width,
      hidden: options.hidden?.[i] === true,
    }));
    const titleRow = this.ws.getRow(1);
    titleRow.getCell(1).value = textValue(options.title);
    titleRow.getCell(1).font = { bold: true, size: 14 };
    titleRow.commit();
    // The provenance wraps within the table's width: overflowing to the right, it would widen what prints and
    // shrink the page to fit it.
    const tableWidth = options.widths.reduce((a, w, i) => a + (options.hidden?.[i] === true ? 0 : w), 0);
    const prov = this.ws.getRow(2);
    prov.getCell(1).value = textValue(options.provenance);
    prov.getCell(1).font = { italic: true };
    prov.getCell(1).alignment = { wrapText: true, vertical: 'top' };
    prov.height = Math.ceil(options.provenance.length / Math.max(1, tableWidth - 4)) * LINE_HEIGHT + 2;
    if (options.widths.length > 1) this.ws.mergeCells(2, 1, 2, options.widths.length);
    prov.commit();
  }

  /** A bold line above a table, after a blank row. */
  heading(text: string): void {
    this.row++;
    const r = this.ws.getRow(this.row);
    r.getCell(1).value = textValue(text);
    r.getCell(1).font = { bold: true, size: 12 };
    r.commit();
    this.row++;
  }

  /** A table whose money columns are in `currency` (default the report's), named in their headers. */
  table(name: string, cols: Col[], currency = this.layout.data.currency): TableWriter {
    let unique = name;
    for (let n = 2; this.layout.tableNames.has(unique); n++) unique = `${name}${n}`;
    this.layout.tableNames.add(unique);
    const headers = cols.map((c) => headerText(c, currency));
    const headerRow = this.row;
    const r = this.ws.getRow(headerRow);
    let lines = 1;
    headers.forEach((h, i) => {
      const c = r.getCell(i + 1);
      c.value = textValue(h);
      c.font = { bold: true };
      const kind = cols[i]?.kind;
      const horizontal = kind === 'text' ? 'left' : kind === 'date' ? 'center' : 'right';
      c.alignment = { wrapText: true, vertical: 'bottom', horizontal };
      if (cols[i]?.hidden !== true) lines = Math.max(lines, headerLines(h, this.options.widths[i] ?? MIN_WIDTH));
    });
    // An explicit height for the wrapped header: LibreOffice does not grow rows of an xlsx to fit wrapped text.
    r.height = lines * LINE_HEIGHT + 2;
    r.commit();
    this.row++;
    return new TableWriter(this, unique, cols, headers, headerRow);
  }

  addTable(spec: TableSpec): void {
    this.tables.push(spec);
  }

  addChart(spec: ChartSpec): void {
    this.charts.push(spec);
  }

  /** The 1-based row of the lowest chart's bottom edge (0 without charts): what comes next must start below it. */
  chartsEnd(): number {
    return this.charts.reduce((end, c) => Math.max(end, c.to.row + 1), 0);
  }

  get name(): string {
    return this.options.name;
  }

  finish(): void {
    this.layout.parts.attach(this.ws, this.tables, this.charts);
    // Only streamed worksheets have commit(); an in-memory one is complete as it is.
    if (typeof this.ws.commit === 'function') this.ws.commit();
  }

  /** Lets the zip and the output stream catch up, so a big sheet is never held in memory whole. */
  async breathe(rows: number): Promise<void> {
    const out = this.layout.out;
    if (out === undefined || rows % 500 !== 0) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (out.writableNeedDrain) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
}

/** Rows of one table: committed as they come, with running totals in cents and a SUM row at the end. */
class TableWriter {
  private count = 0;
  private readonly totals: number[];

  constructor(
    private readonly sheet: SheetWriter,
    private readonly name: string,
    private readonly cols: Col[],
    private readonly headers: string[],
    private readonly headerRow: number,
  ) {
    this.totals = cols.map(() => 0);
  }

  /** Adds a data row; `sums[i]` is the exact value (cents for money) added to column i's total. */
  async add(cells: Cell[], sums: (number | null)[] = []): Promise<void> {
    const row = this.sheet.ws.getRow(this.sheet.row);
    cells.forEach((c, i) => {
      if (c.value === null || c.value === undefined) return;
      const target = row.getCell(i + 1);
      target.value = c.value;
      if (c.numFmt !== undefined) target.numFmt = c.numFmt;
      if (c.center === true) target.alignment = { horizontal: 'center' };
    });
    row.commit();
    sums.forEach((s, i) => {
      if (s !== null) this.totals[i] = (this.totals[i] ?? 0) + s;
    });
    this.count++;
    this.sheet.row++;
    await this.sheet.breathe(this.count);
  }

  /**
   * Ends the table: the Excel table over the header and data rows, then the totals row below it (outside the table,
   * so filtering the table does not move it): a SUM formula with its cached result (so viewers that do not
   * recalculate show the right figure), the result computed exactly from cents. With no data rows the table keeps
   * one blank row (a table needs one) and the totals are plain zeros: there is no range to sum.
   */
  finish(label = 'Total'): TablePlace {
    const firstRow = this.headerRow + 1;
    const lastRow = firstRow + this.count - 1;
    if (this.count === 0) this.sheet.row++;
    this.sheet.addTable({
      name: this.name,
      headers: this.headers,
      headerRow: this.headerRow,
      firstCol: 0,
      lastRow: Math.max(lastRow, firstRow),
    });
    if (this.count > 1) {
      // Banded rows that every reader shows: Excel bands tables by their style, LibreOffice does not draw table
      // styles but does draw conditional formats. Every second data row, light grey.
      this.sheet.ws.addConditionalFormatting({
        ref: `A${firstRow}:${columnLetter(this.cols.length - 1)}${lastRow}`,
        rules: [
          {
            type: 'expression',
            priority: 1,
            formulae: [`MOD(ROW()-${firstRow},2)=1`],
            style: { fill: { type: 'pattern', pattern: 'solid', bgColor: { argb: BAND_ARGB } } },
          },
        ],
      });
    }
    const place: TablePlace = { headerRow: this.headerRow, firstRow, lastRow };
    if (this.cols.some((c) => c.total === true)) {
      const row = this.sheet.ws.getRow(this.sheet.row);
      row.getCell(1).value = textValue(label);
      this.cols.forEach((c, i) => {
        if (c.total !== true) return;
        const target = row.getCell(i + 1);
        const exact = this.totals[i] ?? 0;
        const result = c.kind === 'money' ? scaledToCellNumber(exact, 2) : exact;
        target.numFmt = c.kind === 'money' ? MONEY_FORMAT : INT_FORMAT;
        if (this.count === 0) target.value = result;
        else {
          const letter = columnLetter(i);
          target.value = { formula: `SUM(${letter}${firstRow}:${letter}${lastRow})`, result };
        }
      });
      row.font = { bold: true };
      for (let i = 1; i <= this.cols.length; i++) row.getCell(i).border = { top: { style: 'thin' } };
      row.commit();
      place.totalsRow = this.sheet.row;
      this.sheet.row++;
    }
    return place;
  }
}

function periodText(p: Period): string {
  return `${p.label} (${p.from} to ${p.to})`;
}

/** The report's currencies: `currencies` when given, else the house currency alone. */
export function reportCurrencies(data: Pick<ReportData, 'currency' | 'currencies'>): readonly string[] {
  return data.currencies !== undefined && data.currencies.length > 0 ? data.currencies : [data.currency];
}

/** What the provenance line says of the currencies. */
export function currencyNote(data: Pick<ReportData, 'currency' | 'currencies'>): string {
  const list = reportCurrencies(data);
  if (list.length === 1) return `Amounts in ${list[0]}.`;
  const names = `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
  return `Amounts in ${names}: one table per currency, its code in the money column headers; no total adds two currencies.`;
}

/** Rows split by currency (`fallback` for rows without one), in currency order; never an empty list. */
function splitByCurrency<T>(
  rows: readonly T[],
  currencyOf: (r: T) => string | undefined,
  fallback: string,
): { currency: string; rows: T[] }[] {
  const groups = new Map<string, T[]>();
  for (const r of rows) {
    const c = currencyOf(r) ?? fallback;
    const list = groups.get(c);
    if (list === undefined) groups.set(c, [r]);
    else list.push(r);
  }
  if (groups.size === 0) return [{ currency: fallback, rows: [] }];
  return [...groups.keys()].sort().map((currency) => ({ currency, rows: groups.get(currency) as T[] }));
}

async function collect<T>(rows: Rows<T>): Promise<T[]> {
  if (Array.isArray(rows)) return rows as T[];
  const out: T[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

/** The cells of a section, computed up front when the rows are an array (widths fit them), else one by one. */
async function* cellsOf<T, R>(rows: Rows<T>, fn: (r: T) => R): AsyncGenerator<R> {
  for await (const r of rows) yield fn(r);
}

/** Rows as cells computed now, when the source is an array; undefined for a stream (consumed later, once). */
function cellsNow<T, R>(rows: Rows<T>, fn: (r: T) => R): R[] | undefined {
  return Array.isArray(rows) ? (rows as T[]).map(fn) : undefined;
}

const STATS_COLS: Col[] = MEASURES.map((m) => ({
  header: MEASURE_LABELS[m],
  kind: m === 'contractsSigned' ? 'int' : 'money',
  total: true,
}));
/** The money measures, in the wire order STATS_COLS follows after the contractsSigned count. */
const STATS_MEASURES = MEASURES.filter((m): m is Exclude<Measure, 'contractsSigned'> => m !== 'contractsSigned');

function statsCells(r: PeriodFigures): { cells: Cell[]; sums: number[] } {
  const cells: Cell[] = [cell.int(r.contractsSigned)];
  const sums: number[] = [r.contractsSigned];
  for (const m of STATS_MEASURES) {
    const v = moneyCell(r[m], m);
    cells.push(v.cell);
    sums.push(v.cents);
  }
  return { cells, sums };
}

/** Invoiced and Collected, the two series of the money charts, as 0-based columns of a stats table. */
const INVOICED_COL = 1 + MEASURES.indexOf('invoiced');
const COLLECTED_COL = 1 + MEASURES.indexOf('collected');
/** Charts start two columns right of the widest table of their sheet and are this many columns by rows. */
const CHART_COLS = 9;
const CHART_ROWS = 16;

function invoicedCollectedChart(
  sheet: string,
  title: string,
  place: TablePlace,
  type: ChartSpec['type'],
  at: { col: number; row: number },
): ChartSpec {
  return {
    title,
    type,
    categories: absRange(sheet, 0, place.firstRow, 0, place.lastRow),
    series: [INVOICED_COL, COLLECTED_COL].map((c) => ({
      name: absRange(sheet, c, place.headerRow),
      values: absRange(sheet, c, place.firstRow, c, place.lastRow),
    })),
    valueFormat: AXIS_MONEY_FORMAT,
    from: at,
    to: { col: at.col + CHART_COLS, row: at.row + CHART_ROWS },
  };
}

/** Change and % change of `current` against `base`; % change is blank when the base is zero. */
export function change(current: number, base: number): { change: number; percent: number | null } {
  return { change: current - base, percent: base === 0 ? null : (current - base) / Math.abs(base) };
}

/**
 * Summary: statistics by region; the period compared with the previous period and the same period a year earlier;
 * a quarter by month, a year by quarter and by month; charts of invoiced and collected by region and by month.
 */
async function summarySheet(l: Layout): Promise<void> {
  const { data } = l;
  const regions = await collect(data.regions);
  const currencies = reportCurrencies(data);
  const multi = currencies.length > 1;
  const inCurrency = (r: { currency?: string }, cur: string) => !multi || (r.currency ?? data.currency) === cur;
  const regionCols: Col[] = [{ header: 'Region', kind: 'text' }, ...STATS_COLS];
  const cmp = data.comparison;
  // For a year the previous period is the year before, which is also "a year earlier": one set of columns then
  // (an Excel table's column names must differ).
  const bases = cmp.previous.label === cmp.yearEarlier.label ? [cmp.previous] : [cmp.previous, cmp.yearEarlier];
  const cmpCols: Col[] = [
    { header: 'Measure', kind: 'text' },
    { header: cmp.current.label, kind: 'any' },
    ...bases.flatMap((base): Col[] => [
      { header: base.label, kind: 'any' },
      { header: `Change vs ${base.label}`, kind: 'any' },
      { header: `% vs ${base.label}`, kind: 'percent' },
    ]),
  ];
  const periodCols: Col[] = [{ header: 'Period', kind: 'text' }, ...STATS_COLS];
  // Issue #13 §4: one block per currency (regions, comparison, months, quarters), each with its own totals.
  const blocks = currencies.map((currency) => {
    const comparison =
      data.comparisons?.find((c) => c.currency === currency)?.comparison ??
      (currency === data.currency ? cmp : zeroComparison(cmp));
    const cmpBases = bases.map((b) => (b === cmp.previous ? comparison.previous : comparison.yearEarlier));
    const cmpCells = MEASURES.map((m) => {
      const value = (f: PeriodFigures) => (m === 'contractsSigned' ? f.contractsSigned : parseMoney(f[m], m));
      const asCell = (n: number) => (m === 'contractsSigned' ? cell.int(n) : cell.money(n));
      const cur = value(comparison.current.figures);
      const label = m === 'contractsSigned' ? MEASURE_LABELS[m] : `${MEASURE_LABELS[m]} (${currency})`;
      return [
        cell.text(label),
        asCell(cur),
        ...cmpBases.flatMap((base) => {
          const before = value(base.figures);
          const d = change(cur, before);
          return [asCell(before), asCell(d.change), cell.percent(d.percent)];
        }),
      ];
    });
    return {
      currency,
      regionCells: regions
        .filter((r) => inCurrency(r, currency))
        .map((r) => ({ label: r.group ?? '(none)', ...statsCells(r) })),
      cmpCells,
      monthCells: data.months
        .filter((r) => inCurrency(r, currency))
        .map((r) => ({ label: r.period, ...statsCells(r) })),
      quarterCells: data.quarters
        .filter((r) => inCurrency(r, currency))
        .map((r) => ({ label: r.period, ...statsCells(r) })),
    };
  });
  const all = blocks.flatMap(({ regionCells, monthCells, quarterCells }) => [
    ...regionCells.map((r) => [cell.text(r.label), ...r.cells]),
    ...monthCells.map((r) => [cell.text(r.label), ...r.cells]),
    ...quarterCells.map((r) => [cell.text(r.label), ...r.cells]),
    // The totals rows: as wide as the sums they show.
    ...[regionCells, monthCells, quarterCells].map((rows) => [
      cell.text('Total'),
      ...STATS_COLS.map((c, i) => {
        const t = rows.reduce((acc, r) => acc + (r.sums[i] ?? 0), 0);
        return c.kind === 'money' ? cell.money(t) : cell.int(t);
      }),
    ]),
  ]);
  const headers = regionCols.map((c) => headerText(c, data.currency));
  const widths = fitWidths(headers, regionCols, all);
  // The comparison shares the columns: its widths count too (its headers wrap like the others).
  const cmpWidths = fitWidths(
    cmpCols.map((c) => headerText(c, data.currency)),
    cmpCols,
    blocks.flatMap((b) => b.cmpCells),
  );
  const sheet = new SheetWriter(l, {
    name: SHEETS.summary,
    title: `Statistics by region, ${periodText(data.period)}`,
    provenance: l.provenance,
    widths: widths.map((w, i) => Math.max(w, cmpWidths[i] ?? 0)),
    onePage: true,
  });
  const chartCol = widths.length + 1;

  // Each currency's block has its own charts beside it; the next block starts below them.
  for (const [b, block] of blocks.entries()) {
    const { currency, regionCells, cmpCells, monthCells, quarterCells } = block;
    const inText = multi ? ` in ${currency}` : '';
    if (b > 0) {
      sheet.row = Math.max(sheet.row, sheet.chartsEnd());
      sheet.heading(`Amounts in ${currency}`);
    }
    const regionTable = sheet.table('Regions', regionCols, currency);
    for (const r of regionCells) await regionTable.add([cell.text(r.label), ...r.cells], [null, ...r.sums]);
    const regionPlace = regionTable.finish();
    let nextChartRow = regionPlace.headerRow - 1;
    if (regionCells.length > 0) {
      sheet.addChart(
        invoicedCollectedChart(sheet.name, `Invoiced and collected by region${inText}`, regionPlace, 'column', {
          col: chartCol,
          row: nextChartRow,
        }),
      );
      nextChartRow += CHART_ROWS + 1;
    }

    sheet.heading(
      bases.length === 1
        ? `${cmp.current.label} compared with the year before (${cmp.previous.label})${inText}`
        : `${cmp.current.label} compared with the previous period (${cmp.previous.label}) and a year earlier (${cmp.yearEarlier.label})${inText}`,
    );
    const cmpTable = sheet.table('Comparison', cmpCols, currency);
    for (const r of cmpCells) await cmpTable.add(r);
    cmpTable.finish();

    if (monthCells.length > 0) {
      sheet.heading(`${data.period.label} by month${inText}`);
      const months = sheet.table('ByMonth', periodCols, currency);
      for (const r of monthCells) await months.add([cell.text(r.label), ...r.cells], [null, ...r.sums]);
      const place = months.finish();
      const row = Math.max(nextChartRow, place.headerRow - 1);
      sheet.addChart(
        invoicedCollectedChart(sheet.name, `Invoiced and collected by month${inText}`, place, 'line', {
          col: chartCol,
          row,
        }),
      );
    }
    if (quarterCells.length > 0) {
      sheet.heading(`${data.period.label} by quarter${inText}`);
      const quarters = sheet.table('ByQuarter', periodCols, currency);
      for (const r of quarterCells) await quarters.add([cell.text(r.label), ...r.cells], [null, ...r.sums]);
      quarters.finish();
    }
  }
  sheet.finish();
}

/** A comparison with the same labels and nothing in it (a currency with no figures in any of its periods). */
function zeroComparison(cmp: Comparison): Comparison {
  const zero = (p: Comparison['current']) => ({
    label: p.label,
    figures: { contractsSigned: 0, ...Object.fromEntries(STATS_MEASURES.map((m) => [m, '0.00'])) } as PeriodFigures,
  });
  return { current: zero(cmp.current), previous: zero(cmp.previous), yearEarlier: zero(cmp.yearEarlier) };
}

/** A sheet of one table (and charts beside it): what a new sheet declares; `tableSheet` lays it out. */
export interface TableSheetSpec<T> {
  name: string;
  title: string;
  /** Appended to the report's provenance line. */
  note?: string;
  /** Excel table name: letters, digits, underscores. */
  table: string;
  cols: Col[];
  rows: Rows<T>;
  /** A row's cells and, where a column is totalled, the exact value it adds (cents for money). */
  toCells: (r: T) => { cells: Cell[]; sums?: (number | null)[] };
  /**
   * After the table: charts beside it, from where it landed. Of several currency tables, after each, with its currency
   * (undefined when the sheet has one table); the next currency's table starts below the charts.
   */
  after?: (sheet: SheetWriter, place: TablePlace, widths: number[], currency?: string) => void;
  /**
   * Issue #13 §4: the currency of a row's money (undefined: the report's). When the report has several currencies the
   * rows are written as one table per currency (each with its totals row), never one table adding them.
   */
  currencyOf?: (r: T) => string | undefined;
}

/**
 * Writes a one-table sheet: title, provenance, the header, the rows as they come (cells computed up front when the
 * rows are an array, so widths fit them) and the SUM totals row, then whatever `after` adds.
 */
export async function tableSheet<T>(l: Layout, spec: TableSheetSpec<T>): Promise<void> {
  if (spec.currencyOf !== undefined && reportCurrencies(l.data).length > 1)
    return currencyTablesSheet(l, spec, spec.currencyOf);
  const now = cellsNow(spec.rows, spec.toCells);
  const widths = fitWidths(
    spec.cols.map((c) => headerText(c, l.data.currency)),
    spec.cols,
    now?.map((r) => r.cells),
  );
  const sheet = new SheetWriter(l, {
    name: spec.name,
    title: spec.title,
    provenance: spec.note === undefined ? l.provenance : `${l.provenance} ${spec.note}`,
    widths,
    hidden: spec.cols.map((c) => c.hidden === true),
  });
  const table = sheet.table(spec.table, spec.cols);
  for await (const r of now ?? cellsOf(spec.rows, spec.toCells)) await table.add(r.cells, r.sums);
  const place = table.finish();
  spec.after?.(sheet, place, widths);
  sheet.finish();
}

/**
 * A sheet of one table per currency, in currency order: the first where a one-table sheet has its table, each other
 * under a heading naming its currency. The rows are read whole first (a multi-currency report is not streamed).
 */
async function currencyTablesSheet<T>(
  l: Layout,
  spec: TableSheetSpec<T>,
  currencyOf: (r: T) => string | undefined,
): Promise<void> {
  const blocks = splitByCurrency(await collect(spec.rows), currencyOf, l.data.currency).map((b) => ({
    currency: b.currency,
    cells: b.rows.map(spec.toCells),
  }));
  const widths = fitWidths(
    spec.cols.map((c) => headerText(c, l.data.currency)),
    spec.cols,
    blocks.flatMap((b) => b.cells.map((r) => r.cells)),
  );
  const sheet = new SheetWriter(l, {
    name: spec.name,
    title: spec.title,
    provenance: spec.note === undefined ? l.provenance : `${l.provenance} ${spec.note}`,
    widths,
    hidden: spec.cols.map((c) => c.hidden === true),
  });
  for (const [i, block] of blocks.entries()) {
    if (i > 0) {
      sheet.row = Math.max(sheet.row, sheet.chartsEnd());
      sheet.heading(`Amounts in ${block.currency}`);
    }
    const table = sheet.table(spec.table, spec.cols, block.currency);
    for (const r of block.cells) await table.add(r.cells, r.sums);
    const place = table.finish();
    spec.after?.(sheet, place, widths, block.currency);
  }
  sheet.finish();
}

/** Salespeople: statistics by salesperson and commission on what was collected. */
function salespeopleSheet(l: Layout): Promise<void> {
  const { data } = l;
  return tableSheet(l, {
    name: SHEETS.salespeople,
    title: `Statistics by salesperson, ${periodText(data.period)}`,
    note: "Commission = the sum of the period's monthly commission statements (plan tiers, late rate, refunds, settled months).",
    table: 'SalespeopleStats',
    cols: [
      { header: 'Salesperson ID', kind: 'text' },
      { header: 'Name', kind: 'text' },
      ...STATS_COLS,
      { header: 'Commission rate', kind: 'rate' },
      { header: 'Commission', kind: 'money', total: true },
    ],
    rows: data.salespeople,
    currencyOf: (r) => r.currency,
    toCells: (r) => {
      const { cells, sums } = statsCells(r);
      const rate = r.commissionRate === null ? null : parseRate(r.commissionRate, 'commissionRate');
      const commission = r.commission === null ? null : parseMoney(r.commission, 'commission');
      return {
        cells: [
          cell.text(r.group ?? ''),
          cell.text(r.name),
          ...cells,
          cell.rate(rate),
          commission === null ? cell.empty() : cell.money(commission),
        ],
        sums: [null, null, ...sums, null, commission],
      };
    },
  });
}

/** The order of the Receivables sheet: most over 90 days overdue, then most overdue, then largest total, then id. */
export function compareReceivables(a: ReceivablesRow, b: ReceivablesRow): number {
  const over90 = (r: ReceivablesRow) => parseMoney(r.d91_120) + parseMoney(r.over120);
  const overdue = (r: ReceivablesRow) => parseMoney(r.total) - parseMoney(r.current);
  return (
    over90(b) - over90(a) ||
    overdue(b) - overdue(a) ||
    parseMoney(b.total) - parseMoney(a.total) ||
    (a.group < b.group ? -1 : a.group > b.group ? 1 : 0)
  );
}

/** Receivables: aging by customer, most overdue first; charts of the aging by bucket and of the top overdue customers. */
function receivablesSheet(l: Layout): Promise<void> {
  const { data } = l;
  // Rows come most overdue first, so the customers with anything overdue are the leading rows, of each currency's
  // rows too (a currency's table keeps their order).
  const overdueRows = new Map<string, number>();
  const pastLeading = new Set<string>();
  return tableSheet(l, {
    name: SHEETS.receivables,
    title: `Receivables aging by customer as of ${data.receivables.asOf}`,
    note: 'Days overdue = as-of date − due date; payments beyond what a contract owes are unapplied. Most overdue (over 90 days) first.',
    table: 'ReceivablesAging',
    cols: [
      { header: 'Customer ID', kind: 'text' },
      { header: 'Name', kind: 'text' },
      ...RECEIVABLES_AMOUNTS.map((f): Col => ({ header: RECEIVABLES_AMOUNT_LABELS[f], kind: 'money', total: true })),
    ],
    rows: data.receivables.rows,
    currencyOf: (r) => r.currency,
    toCells: (r) => {
      const money = RECEIVABLES_AMOUNTS.map((f) => moneyCell(r[f], f));
      const currency = r.currency ?? data.currency;
      if (!pastLeading.has(currency) && parseMoney(r.total) - parseMoney(r.current) > 0)
        overdueRows.set(currency, (overdueRows.get(currency) ?? 0) + 1);
      else pastLeading.add(currency);
      return {
        cells: [cell.text(r.group), cell.text(r.name), ...money.map((c) => c.cell)],
        sums: [null, null, ...money.map((c) => c.cents)],
      };
    },
    after: (sheet, place, widths, currency) => {
      const bucketCol = (b: (typeof AGING_BUCKETS)[number]) => 2 + RECEIVABLES_AMOUNTS.indexOf(b);
      const chartCol = widths.length + 1;
      const inText = currency === undefined ? '' : ` in ${currency}`;
      if (place.totalsRow !== undefined && place.lastRow >= place.firstRow) {
        sheet.addChart({
          title: `Receivables aging by bucket${inText}`,
          type: 'stackedColumn',
          categories: absRange(sheet.name, 0, place.totalsRow),
          series: AGING_BUCKETS.map((b) => ({
            name: absRange(sheet.name, bucketCol(b), place.headerRow),
            values: absRange(sheet.name, bucketCol(b), place.totalsRow!),
          })),
          valueFormat: AXIS_MONEY_FORMAT,
          from: { col: chartCol, row: place.headerRow - 1 },
          to: { col: chartCol + 6, row: place.headerRow - 1 + CHART_ROWS },
        });
      }
      // One table: its currency is the only one counted.
      const overdue =
        currency === undefined
          ? [...overdueRows.values()].reduce((a, n) => a + n, 0)
          : (overdueRows.get(currency) ?? 0);
      const top = Math.min(TOP_OVERDUE, overdue, place.lastRow - place.firstRow + 1);
      if (top > 0) {
        const last = place.firstRow + top - 1;
        sheet.addChart({
          title: `Top ${top} overdue customers${inText}`,
          type: 'stackedBar',
          categories: absRange(sheet.name, 1, place.firstRow, 1, last),
          series: AGING_BUCKETS.filter((b) => b !== 'current').map((b) => ({
            name: absRange(sheet.name, bucketCol(b), place.headerRow),
            values: absRange(sheet.name, bucketCol(b), place.firstRow, bucketCol(b), last),
          })),
          valueFormat: AXIS_MONEY_FORMAT,
          from: { col: chartCol, row: place.headerRow + CHART_ROWS },
          to: { col: chartCol + CHART_COLS, row: place.headerRow + 2 * CHART_ROWS + 2 },
        });
      }
    },
  });
}

/** Contract performance: contracts with anything open, with customer and salesperson names beside their ids. */
function contractsSheet(l: Layout): Promise<void> {
  const { data } = l;
  const contractMoney = ['orderedAmount', 'deliveredAmount', 'invoicedAmount', 'collected', 'receivable'] as const;
  const cols: Col[] = [
    { header: 'Contract ID', kind: 'text' },
    { header: 'Customer ID', kind: 'text' },
    { header: 'Customer', kind: 'text' },
    { header: 'Salesperson ID', kind: 'text' },
    { header: 'Salesperson', kind: 'text' },
    { header: 'Region', kind: 'text' },
    { header: 'Signed on', kind: 'date' },
    { header: 'Status', kind: 'text' },
    { header: 'Ordered', kind: 'money', total: true },
    { header: 'Delivered', kind: 'money', total: true },
    { header: 'Invoiced', kind: 'money', total: true },
    { header: 'Collected', kind: 'money', total: true },
    { header: 'Receivable', kind: 'money', total: true },
    { header: 'Undelivered qty', kind: 'int', total: true },
    { header: 'Uninvoiced qty', kind: 'int', total: true },
  ];
  const toCells = (c: OpenContractRow) => {
    const money = contractMoney.map((f) => moneyCell(c[f], f));
    return {
      cells: [
        cell.text(c.contractId),
        cell.text(c.customerId),
        cell.text(c.customerName),
        cell.text(c.salespersonId),
        cell.text(c.salespersonName),
        cell.text(c.region),
        cell.date(c.signedOn),
        cell.text(c.status),
        ...money.map((x) => x.cell),
        cell.int(c.undeliveredQty),
        cell.int(c.uninvoicedQty),
      ],
      sums: [
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        ...money.map((x) => x.cents),
        c.undeliveredQty,
        c.uninvoicedQty,
      ],
    };
  };
  return tableSheet(l, {
    name: SHEETS.contracts,
    title: `Contracts with anything open (undelivered, uninvoiced or unpaid) as of ${data.period.to}`,
    note: 'Delivered is gross of returns; receivable = invoiced − collected.',
    table: 'Contracts',
    cols,
    rows: data.contracts,
    currencyOf: (c) => c.currency,
    toCells,
  });
}

/** Invoice check: findings of invoices issued in the period, in plain words; the code in a hidden last column. */
function findingsSheet(l: Layout): Promise<void> {
  const { data } = l;
  const cols: Col[] = [
    { header: 'Invoice no', kind: 'text' },
    { header: 'Issued on', kind: 'date' },
    { header: 'Contract ID', kind: 'text' },
    { header: 'Line', kind: 'int' },
    { header: 'Item code', kind: 'text' },
    { header: 'Finding', kind: 'text' },
    { header: 'Expected', kind: 'any' },
    { header: 'Actual', kind: 'any' },
    { header: 'Code', kind: 'text', hidden: true },
  ];
  const toCells = (f: ReportFinding) => ({
    cells: [
      cell.text(f.invoiceNo),
      cell.date(f.issuedOn),
      cell.text(f.contractId),
      f.lineNo === null ? cell.empty() : cell.int(f.lineNo),
      cell.text(f.itemCode),
      cell.text(FINDING_TEXT[f.code]),
      findingCell(f.code, f.expected),
      findingCell(f.code, f.actual),
      cell.text(f.code),
    ],
  });
  return tableSheet(l, {
    name: SHEETS.findings,
    title: `Invoice check of invoices issued ${periodText(data.period)}`,
    note: 'Expected/actual: unit prices when the price differs, cumulative quantities when more was invoiced than ordered or delivered, the item or contract otherwise.',
    table: 'Findings',
    cols,
    rows: data.findings,
    toCells,
  });
}

/** Expected/actual of a finding as a number with its format where it is one (price or quantity), else as text. */
function findingCell(code: FindingWire['code'], v: string | number | null): Cell {
  if (v === null) return cell.empty();
  if (code === 'PRICE_MISMATCH') {
    const price = typeof v === 'number' ? v : scaledToCellNumber(parseUnitPrice(v, 'unit price'), 4);
    return { value: price, numFmt: UNIT_PRICE_FORMAT, chars: String(price).length + 2 };
  }
  if (typeof v === 'number') return cell.int(v);
  return cell.text(v);
}

/** Salespeople's month (issue #14): a row per salesperson and month of the period, from shared/calc/assessment.ts. */
function assessmentSheet(l: Layout): Promise<void> {
  const months = l.data.assessment;
  if (months === undefined) return Promise.resolve();
  const rows = months.flatMap((m) => m.rows.map((row) => ({ month: m.month, row })));
  return tableSheet(l, {
    name: ASSESSMENT_SHEET,
    title: `Salespeople's month, ${periodText(l.data.period)}: attendance, trips, sales, expenses and commission`,
    note: 'Days are empty where no attendance was recorded; reimbursable is what the expense policies allow.',
    table: 'SalespeopleMonth',
    cols: ASSESSMENT_COLUMNS.map((c) => ({ header: c.header, kind: c.kind })),
    rows,
    toCells: ({ month, row }) => ({
      cells: ASSESSMENT_COLUMNS.map((c) => {
        const v = c.field === 'month' ? month : row[c.field];
        if (v === null) return cell.empty();
        if (c.kind === 'money') return cell.money(parseMoney(String(v), c.field));
        if (c.kind === 'int') return cell.int(Number(v));
        return cell.text(Array.isArray(v) ? v.join(', ') : String(v));
      }),
    }),
  });
}

/**
 * Plan vs actual (issue #14 §4): a row per region, for each measure its plan (empty without one), actual, variance
 * and % of plan; a column chart of contract value's plan and actual by region beside the table.
 */
function planSheet(l: Layout): Promise<void> {
  const rows = l.data.plan;
  if (rows === undefined) return Promise.resolve();
  const cols: Col[] = [{ header: 'Region', kind: 'text' }];
  for (const m of PLAN_MEASURE_NAMES)
    cols.push(
      { header: `${MEASURE_LABELS[m]} plan`, kind: 'money' },
      { header: `${MEASURE_LABELS[m]} actual`, kind: 'money' },
      { header: `${MEASURE_LABELS[m]} variance`, kind: 'money' },
      { header: `${MEASURE_LABELS[m]} % of plan`, kind: 'percent' },
    );
  const planCol = 1 + 4 * PLAN_MEASURE_NAMES.indexOf(PLAN_CHART_MEASURE);
  return tableSheet(l, {
    name: PLAN_SHEET,
    title: `Plan vs actual by region, ${periodText(l.data.period)}`,
    note: "Targets and budgets of the report's own period; variance = actual − plan.",
    table: 'PlanVsActual',
    cols,
    rows,
    toCells: (r: StatsRow) => ({
      cells: [
        cell.text(r.group ?? '(none)'),
        ...PLAN_MEASURE_NAMES.flatMap((m) => {
          const p = r.plan?.find((f) => f.measure === m);
          return [
            p === undefined ? cell.empty() : cell.money(parseMoney(p.plan)),
            cell.money(parseMoney(r[m])),
            p === undefined ? cell.empty() : cell.money(parseMoney(p.variance)),
            cell.percent(p?.pctOfPlan === null || p === undefined ? null : p.pctOfPlan / 100),
          ];
        }),
      ],
    }),
    after: (sheet, place, widths) => {
      if (place.lastRow < place.firstRow) return;
      const at = { col: widths.length + 1, row: place.headerRow - 1 };
      sheet.addChart({
        title: `${MEASURE_LABELS[PLAN_CHART_MEASURE]}: plan and actual by region`,
        type: 'column',
        categories: absRange(sheet.name, 0, place.firstRow, 0, place.lastRow),
        series: [planCol, planCol + 1].map((c) => ({
          name: absRange(sheet.name, c, place.headerRow),
          values: absRange(sheet.name, c, place.firstRow, c, place.lastRow),
        })),
        valueFormat: AXIS_MONEY_FORMAT,
        from: at,
        to: { col: at.col + CHART_COLS, row: at.row + CHART_ROWS },
      });
    },
  });
}

/** Budgets vs expenses (issue #14 §4): each budget of the period against its region's expenses of that category. */
function budgetSheet(l: Layout): Promise<void> {
  const rows = l.data.budgets;
  if (rows === undefined) return Promise.resolve();
  return tableSheet(l, {
    name: BUDGET_SHEET,
    title: `Budgets vs expenses by region and category, ${periodText(l.data.period)}`,
    note: "Expenses count in their salesperson's region; variance = expenses − budget.",
    table: 'BudgetsVsExpenses',
    cols: [
      { header: 'Region', kind: 'text' },
      { header: 'Category', kind: 'text' },
      { header: 'Budget', kind: 'money' },
      { header: 'Expenses', kind: 'money' },
      { header: 'Variance', kind: 'money' },
      { header: '% of budget', kind: 'percent' },
    ],
    rows,
    toCells: (b: BudgetLine) => ({
      cells: [
        cell.text(b.region),
        cell.text(b.category),
        cell.money(b.plan),
        cell.money(b.actual),
        cell.money(b.variance),
        cell.percent(b.pctOfPlan === null ? null : b.pctOfPlan / 100),
      ],
    }),
  });
}

/** Open complaints: approved complaints open or in progress on the period's last day, oldest first (when loaded). */
function openComplaintsSheet(l: Layout): Promise<void> {
  const rows = l.data.openComplaints;
  if (rows === undefined) return Promise.resolve();
  return tableSheet(l, {
    name: OPEN_COMPLAINTS_SHEET,
    title: `Open complaints on ${l.data.period.to}: ${rows.length}`,
    note: 'Approved complaints open or in progress on that day, oldest first; age and days overdue as of that day.',
    table: 'OpenComplaints',
    cols: [
      { header: 'Interaction ID', kind: 'text' },
      { header: 'Customer ID', kind: 'text' },
      { header: 'Customer', kind: 'text' },
      { header: 'Contract ID', kind: 'text' },
      { header: 'Opened on', kind: 'date' },
      { header: 'Due on', kind: 'date' },
      { header: 'Status', kind: 'text' },
      { header: 'Owner', kind: 'text' },
      { header: 'Subject', kind: 'text' },
      { header: 'Age (days)', kind: 'int' },
      { header: 'Days overdue', kind: 'int' },
    ],
    rows,
    toCells: (r: OpenComplaintRow) => ({
      cells: [
        cell.text(r.interactionId),
        cell.text(r.customerId),
        cell.text(r.customerName),
        cell.text(r.contractId),
        cell.date(r.date),
        r.dueOn === null ? cell.empty() : cell.date(r.dueOn),
        cell.text(r.status),
        cell.text(r.owner),
        cell.text(r.subject),
        cell.int(r.ageDays),
        cell.int(r.daysOverdue),
      ],
    }),
  });
}

/** Lays out one sheet (most with tableSheet). */
export type SheetBuilder = (l: Layout) => Promise<void>;

/** The sheets in workbook order, one function each: a new sheet is one more entry. */
export const SHEET_BUILDERS: readonly SheetBuilder[] = [
  summarySheet,
  salespeopleSheet,
  receivablesSheet,
  contractsSheet,
  findingsSheet,
  assessmentSheet,
  openComplaintsSheet,
  planSheet,
  budgetSheet,
];

/**
 * Streams the report workbook into `out` and resolves when the last byte was handed to it. Rows are committed as
 * they are read, so memory stays flat however many contracts a year has.
 */
export async function writeReportWorkbook(data: ReportData, out: Writable): Promise<void> {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  await layoutReport(book, data, out);
  await book.commit();
}

/**
 * The same sheets built in memory (exceljs `Workbook`), for the benchmark that compares it with streaming.
 * Production code streams; this holds every cell until written, and has no tables or charts (those are added to
 * the streamed package only).
 */
export async function buildReportWorkbookInMemory(data: ReportData): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await layoutReport(book, data, undefined);
  return book;
}

/** Document properties and the sheets, laid out into either kind of exceljs workbook. */
async function layoutReport(book: ExcelJS.Workbook, data: ReportData, out: Writable | undefined): Promise<void> {
  const version = data.reportVersion === undefined ? '' : ` v${data.reportVersion}`;
  book.created = data.generatedAt;
  book.modified = data.generatedAt;
  book.creator = data.generatedBy;
  book.lastModifiedBy = data.generatedBy;
  book.title = `Ledgerdesk report ${data.period.label}${version}`;
  book.subject = data.period.label;
  book.keywords = `ledgerdesk report ${data.period.label} app ${data.appVersion}`;
  book.description = `Approved figures for ${periodText(data.period)}, generated ${data.generatedAt.toISOString()} by ${data.generatedBy} with Ledgerdesk ${data.appVersion}.`;
  book.category = 'Ledgerdesk report';
  const layout: Layout = {
    book,
    parts: new PackageParts(book),
    data,
    provenance: `Approved figures only. Generated ${data.generatedAt.toISOString()} by ${data.generatedBy}, Ledgerdesk ${data.appVersion}${version}. ${currencyNote(data)}`,
    out,
    tableNames: new Set(),
  };
  for (const build of SHEET_BUILDERS) await build(layout);
}
