// Writes a period's report workbook (.xlsx) row by row with exceljs's streaming writer, from plain report data.
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { FindingWire, ReceivablesRow, StatsRow } from '../../../shared/api';
import { RECEIVABLES_AMOUNT_LABELS, RECEIVABLES_AMOUNTS } from '../../../shared/calc/aging';
import { MEASURE_LABELS, MEASURES, type Measure } from '../../../shared/calc/statistics';
import { toExcelSerial, type IsoDate, type Period } from '../../../shared/dates';
import { columnLetter } from '../../../shared/excel';
import { addAssessmentSheet, type AssessmentMonth } from './assessmentSheet';
import {
  parseMoney,
  parseRate,
  parseUnitPrice,
  roundHalfUpDiv,
  scaledToCellNumber,
  type Cents,
} from '../../../shared/money';

/** Rows of a section: an array, a generator, or pages read from storage; consumed once, in order. */
export type Rows<T> = Iterable<T> | AsyncIterable<T>;

/** Statistics of one salesperson for the period, with what the Salespeople sheet needs to compute commission. */
export interface SalespersonStatsRow extends StatsRow {
  /** The salesperson's name, or null when the salesperson is unknown. */
  name: string | null;
  /** Fraction as a decimal string with at most 4 decimals ("0.03"), or null when none is set. */
  commissionRate: string | null;
}

/** Receivables aging of one customer as of the period's last day. */
export interface CustomerReceivablesRow extends ReceivablesRow {
  name: string | null;
}

/** A contract with something open at the period's end: undelivered, uninvoiced or unpaid. */
export interface OpenContractRow {
  contractId: string;
  customerId: string;
  salespersonId: string;
  region: string;
  signedOn: IsoDate;
  status: string;
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

/** Everything a report workbook shows, already calculated; the writer only lays it out. */
export interface ReportData {
  period: Period;
  generatedAt: Date;
  generatedBy: string;
  /** Version of Ledgerdesk that made the report. */
  appVersion: string;
  /** The report's version within its period (1, 2, …), when it is stored. */
  reportVersion?: number;
  /** ISO 4217 code shown in the money format. */
  currency: string;
  regions: Rows<StatsRow>;
  salespeople: Rows<SalespersonStatsRow>;
  receivables: { asOf: IsoDate; rows: Rows<CustomerReceivablesRow> };
  contracts: Rows<OpenContractRow>;
  findings: Rows<ReportFinding>;
  /** Issue #14: the salesperson's month, for each month of the period (sheet "Salespeople's month"). */
  assessment?: readonly AssessmentMonth[];
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

type Kind = 'text' | 'int' | 'money' | 'date' | 'rate' | 'any';
interface Col {
  header: string;
  kind: Kind;
  width: number;
  /** Whether the totals row sums this column. */
  total?: boolean;
}

type CellValue = ExcelJS.CellValue;

const DATE_FORMAT = 'yyyy-mm-dd';
const INT_FORMAT = '#,##0';
const RATE_FORMAT = '0.00##%';
const UNIT_PRICE_FORMAT = '#,##0.00##';

function moneyFormat(currency: string): string {
  // [$EUR] is the currency-symbol token both Excel and LibreOffice understand; the code itself is [A-Z]{3}.
  return `#,##0.00 [$${currency}];-#,##0.00 [$${currency}]`;
}

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

function moneyValue(wire: string, what: string): { cents: Cents; cell: number } {
  const cents = parseMoney(wire, what);
  return { cents, cell: scaledToCellNumber(cents, 2) };
}

/** rate (ten-thousandths) × cents, rounded half-up to cents, exactly (BigInt when the product exceeds 2^53). */
export function commissionCents(rate: number, collected: Cents): Cents {
  const product = rate * collected;
  if (Number.isSafeInteger(product)) return roundHalfUpDiv(product, 10_000);
  const p = BigInt(rate) * BigInt(collected);
  const negative = p < 0n;
  const q = ((negative ? -p : p) + 5_000n) / 10_000n;
  return Number(negative ? -q : q);
}

/** Column widths per measure; headers are the shared labels. */
const MEASURE_WIDTHS: Record<Measure, number> = {
  contractsSigned: 12,
  contractValue: 18,
  delivered: 18,
  returned: 16,
  invoiced: 18,
  collected: 18,
  expenses: 16,
};
const STATS_COLS: Col[] = MEASURES.map((m) => ({
  header: MEASURE_LABELS[m],
  kind: m === 'contractsSigned' ? 'int' : 'money',
  width: MEASURE_WIDTHS[m],
  total: true,
}));

/** The money measures, in the wire order STATS_COLS follows after the contractsSigned count. */
const STATS_MEASURES = MEASURES.filter((m): m is Exclude<Measure, 'contractsSigned'> => m !== 'contractsSigned');

/** One sheet being streamed: header, rows committed as they come, running totals in cents, totals row at the end. */
class SheetWriter {
  private readonly ws: ExcelJS.Worksheet;
  private rowCount = 0;
  private readonly totals: number[];

  constructor(
    book: ExcelJS.Workbook,
    name: string,
    private readonly cols: Col[],
    private readonly money: string,
    title: string,
    provenance: string,
  ) {
    this.ws = book.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 0, ySplit: HEADER_ROW }] });
    // Column widths and formats must be set before the first row: the streaming writer emits <cols> with it.
    this.ws.columns = cols.map((c) => ({ width: c.width, style: { numFmt: this.format(c.kind) } }));
    this.totals = cols.map(() => 0);
    const titleRow = this.ws.getRow(1);
    titleRow.getCell(1).value = textValue(title);
    titleRow.getCell(1).font = { bold: true, size: 14 };
    titleRow.commit();
    const prov = this.ws.getRow(2);
    prov.getCell(1).value = textValue(provenance);
    prov.getCell(1).font = { italic: true };
    prov.commit();
    const header = this.ws.getRow(HEADER_ROW);
    cols.forEach((c, i) => {
      const cell = header.getCell(i + 1);
      cell.value = textValue(c.header);
      cell.font = { bold: true };
      cell.alignment = { wrapText: true, vertical: 'top', horizontal: c.kind === 'text' ? 'left' : 'right' };
      cell.border = { bottom: { style: 'thin' } };
    });
    header.commit();
  }

  private format(kind: Kind): string {
    switch (kind) {
      case 'money':
        return this.money;
      case 'date':
        return DATE_FORMAT;
      case 'int':
        return INT_FORMAT;
      case 'rate':
        return RATE_FORMAT;
      default:
        return 'General';
    }
  }

  /** Adds a data row; `sums[i]` is the exact value (cents for money) added to column i's total. */
  add(values: CellValue[], sums: (number | null)[] = []): void {
    const row = this.ws.getRow(FIRST_DATA_ROW + this.rowCount);
    values.forEach((v, i) => {
      if (v !== null && v !== undefined) row.getCell(i + 1).value = v;
    });
    row.commit();
    sums.forEach((s, i) => {
      if (s !== null) this.totals[i] = (this.totals[i] ?? 0) + s;
    });
    this.rowCount++;
  }

  /** Like add, with per-cell number formats for columns that mix kinds (Invoice check's expected/actual). */
  addFormatted(values: { value: CellValue; numFmt?: string }[]): void {
    const row = this.ws.getRow(FIRST_DATA_ROW + this.rowCount);
    values.forEach((v, i) => {
      if (v.value === null || v.value === undefined) return;
      const cell = row.getCell(i + 1);
      cell.value = v.value;
      if (v.numFmt !== undefined) cell.numFmt = v.numFmt;
    });
    row.commit();
    this.rowCount++;
  }

  get rows(): number {
    return this.rowCount;
  }

  /**
   * Writes the totals row: a SUM formula with its cached result (so viewers that do not recalculate show the right
   * figure), the result computed exactly from cents. With no data rows there is no range to sum (an inverted range
   * would reach into the header), so the totals are plain zeros.
   */
  finish(label: string): void {
    if (this.cols.some((c) => c.total === true)) {
      const row = this.ws.getRow(FIRST_DATA_ROW + this.rowCount);
      row.getCell(1).value = textValue(label);
      this.cols.forEach((c, i) => {
        if (c.total !== true) return;
        const cell = row.getCell(i + 1);
        const exact = this.totals[i] ?? 0;
        const result = c.kind === 'money' ? scaledToCellNumber(exact, 2) : exact;
        if (this.rowCount === 0) {
          cell.value = result;
        } else {
          const letter = columnLetter(i);
          cell.value = {
            formula: `SUM(${letter}${FIRST_DATA_ROW}:${letter}${FIRST_DATA_ROW + this.rowCount - 1})`,
            result,
          };
        }
      });
      row.font = { bold: true };
      row.eachCell((cell) => (cell.border = { top: { style: 'thin' } }));
      row.commit();
    }
    // Only streamed worksheets have commit(); an in-memory one is complete as it is.
    if (typeof this.ws.commit === 'function') this.ws.commit();
  }

  /** Lets the zip and the output stream catch up, so a big sheet is never held in memory whole. */
  async breathe(out: Writable | undefined): Promise<void> {
    if (out === undefined || this.rowCount % 500 !== 0) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (out.writableNeedDrain) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
}

/** 1 → A, 27 → AA. */
function dateValue(date: IsoDate): number {
  return toExcelSerial(date);
}

function periodText(p: Period): string {
  return `${p.label} (${p.from} to ${p.to})`;
}

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
 * The same workbook built in memory (exceljs `Workbook`), for the benchmark that compares it with streaming.
 * Production code streams; this holds every cell until written.
 */
export async function buildReportWorkbookInMemory(data: ReportData): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await layoutReport(book, data, undefined);
  return book;
}

/** Document properties and the five sheets, laid out into either kind of exceljs workbook. */
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

  const money = moneyFormat(data.currency);
  const provenance = `Approved figures only. Generated ${data.generatedAt.toISOString()} by ${data.generatedBy}, Ledgerdesk ${data.appVersion}${version}. Amounts in ${data.currency}.`;
  const statsCells = (r: StatsRow): { values: CellValue[]; sums: number[] } => {
    const values: CellValue[] = [r.contractsSigned];
    const sums: number[] = [r.contractsSigned];
    for (const m of STATS_MEASURES) {
      const v = moneyValue(r[m], m);
      values.push(v.cell);
      sums.push(v.cents);
    }
    return { values, sums };
  };

  // Summary: statistics by region.
  const summary = new SheetWriter(
    book,
    SHEETS.summary,
    [{ header: 'Region', kind: 'text', width: 24 }, ...STATS_COLS],
    money,
    `Statistics by region, ${periodText(data.period)}`,
    provenance,
  );
  for await (const r of data.regions) {
    const { values, sums } = statsCells(r);
    summary.add([textValue(r.group ?? '(none)'), ...values], [null, ...sums]);
    await summary.breathe(out);
  }
  summary.finish('Total');

  // Salespeople: statistics by salesperson and commission on what was collected.
  const people = new SheetWriter(
    book,
    SHEETS.salespeople,
    [
      { header: 'Salesperson ID', kind: 'text', width: 16 },
      { header: 'Name', kind: 'text', width: 26 },
      ...STATS_COLS,
      { header: 'Commission rate', kind: 'rate', width: 12 },
      { header: 'Commission', kind: 'money', width: 16, total: true },
    ],
    money,
    `Statistics by salesperson, ${periodText(data.period)}`,
    `${provenance} Commission = commission rate × collected, rounded half-up to cents.`,
  );
  for await (const r of data.salespeople) {
    const { values, sums } = statsCells(r);
    const rate = r.commissionRate === null ? null : parseRate(r.commissionRate, 'commissionRate');
    const collected = parseMoney(r.collected, 'collected');
    const commission = rate === null ? null : commissionCents(rate, collected);
    people.add(
      [
        textValue(r.group ?? ''),
        textValue(r.name),
        ...values,
        rate === null ? null : scaledToCellNumber(rate, 4),
        commission === null ? null : scaledToCellNumber(commission, 2),
      ],
      [null, null, ...sums, null, commission],
    );
    await people.breathe(out);
  }
  people.finish('Total');

  // Receivables: aging by customer.
  const receivables = new SheetWriter(
    book,
    SHEETS.receivables,
    [
      { header: 'Customer ID', kind: 'text', width: 16 },
      { header: 'Name', kind: 'text', width: 26 },
      ...RECEIVABLES_AMOUNTS.map((f): Col => ({
        header: RECEIVABLES_AMOUNT_LABELS[f],
        kind: 'money',
        width: 16,
        total: true,
      })),
    ],
    money,
    `Receivables aging by customer as of ${data.receivables.asOf}`,
    `${provenance} Days overdue = as-of date − due date; payments beyond what a contract owes are unapplied.`,
  );
  for await (const r of data.receivables.rows) {
    const cells = RECEIVABLES_AMOUNTS.map((f) => moneyValue(r[f], f));
    receivables.add(
      [textValue(r.group), textValue(r.name), ...cells.map((c) => c.cell)],
      [null, null, ...cells.map((c) => c.cents)],
    );
    await receivables.breathe(out);
  }
  receivables.finish('Total');

  // Contract performance: contracts with anything open.
  const contractMoney = ['orderedAmount', 'deliveredAmount', 'invoicedAmount', 'collected', 'receivable'] as const;
  const contracts = new SheetWriter(
    book,
    SHEETS.contracts,
    [
      { header: 'Contract ID', kind: 'text', width: 18 },
      { header: 'Customer ID', kind: 'text', width: 16 },
      { header: 'Salesperson ID', kind: 'text', width: 16 },
      { header: 'Region', kind: 'text', width: 16 },
      { header: 'Signed on', kind: 'date', width: 12 },
      { header: 'Status', kind: 'text', width: 11 },
      { header: 'Ordered', kind: 'money', width: 16, total: true },
      { header: 'Delivered', kind: 'money', width: 16, total: true },
      { header: 'Invoiced', kind: 'money', width: 16, total: true },
      { header: 'Collected', kind: 'money', width: 16, total: true },
      { header: 'Receivable', kind: 'money', width: 16, total: true },
      { header: 'Undelivered qty', kind: 'int', width: 12, total: true },
      { header: 'Uninvoiced qty', kind: 'int', width: 12, total: true },
    ],
    money,
    `Contracts with anything open (undelivered, uninvoiced or unpaid) as of ${data.period.to}`,
    `${provenance} Delivered is gross of returns; receivable = invoiced − collected.`,
  );
  for await (const c of data.contracts) {
    const cells = contractMoney.map((f) => moneyValue(c[f], f));
    contracts.add(
      [
        textValue(c.contractId),
        textValue(c.customerId),
        textValue(c.salespersonId),
        textValue(c.region),
        dateValue(c.signedOn),
        textValue(c.status),
        ...cells.map((x) => x.cell),
        c.undeliveredQty,
        c.uninvoicedQty,
      ],
      [null, null, null, null, null, null, ...cells.map((x) => x.cents), c.undeliveredQty, c.uninvoicedQty],
    );
    await contracts.breathe(out);
  }
  contracts.finish('Total');

  // Invoice check: findings of invoices issued in the period.
  const findings = new SheetWriter(
    book,
    SHEETS.findings,
    [
      { header: 'Invoice no', kind: 'text', width: 18 },
      { header: 'Issued on', kind: 'date', width: 12 },
      { header: 'Contract ID', kind: 'text', width: 18 },
      { header: 'Line', kind: 'int', width: 7 },
      { header: 'Item code', kind: 'text', width: 16 },
      { header: 'Finding', kind: 'text', width: 24 },
      { header: 'Expected', kind: 'any', width: 14 },
      { header: 'Actual', kind: 'any', width: 16 },
    ],
    money,
    `Invoice check of invoices issued ${periodText(data.period)}`,
    `${provenance} Expected/actual: unit prices for PRICE_MISMATCH, cumulative quantities for QTY_*, the item or contract otherwise.`,
  );
  for await (const f of data.findings) {
    findings.addFormatted([
      { value: textValue(f.invoiceNo) },
      { value: dateValue(f.issuedOn) },
      { value: textValue(f.contractId) },
      { value: f.lineNo },
      { value: textValue(f.itemCode) },
      { value: textValue(f.code) },
      findingValue(f.code, f.expected),
      findingValue(f.code, f.actual),
    ]);
    await findings.breathe(out);
  }
  findings.finish('Total');
  if (data.assessment !== undefined)
    addAssessmentSheet(book, data.assessment, { moneyFormat: money, provenance, text: textValue });
}

/** Expected/actual of a finding as a number with its format where it is one (price or quantity), else as text. */
function findingValue(code: FindingWire['code'], v: string | number | null): { value: CellValue; numFmt?: string } {
  if (v === null) return { value: null };
  if (code === 'PRICE_MISMATCH') {
    const price = typeof v === 'number' ? v : scaledToCellNumber(parseUnitPrice(v, 'unit price'), 4);
    return { value: price, numFmt: UNIT_PRICE_FORMAT };
  }
  if (typeof v === 'number') return { value: v, numFmt: INT_FORMAT };
  return { value: textValue(v) };
}
