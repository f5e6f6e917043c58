// "Check invoices": the shared invoice check over the workbook's own rows, before anything is published.
import type { FindingCode } from '../../shared/api';
import { ledgerData, type LedgerData } from '../../shared/calc/index';
import { checkInvoices, type Finding } from '../../shared/calc/invoiceCheck';
import type { LedgerName } from '../../shared/ledgers';
import {
  TEXT_FORMAT,
  type CellMark,
  type Matrix,
  type TableSpec,
  type WorkbookAdapter,
} from '../excel/workbookAdapter';
import type { LedgerSheet } from './ledgerSheet';
import { remark } from './marks';
import type { ProgressFn } from './progress';
import { completedRecords, readWorkbookRows, recordsOf, type WorkbookRows } from './workbookRows';

export const FINDING_FILL = '#FFEB9C';
export const INVOICE_CHECK_SHEET = 'Invoice check';
export const INVOICE_CHECK_TABLE = 'InvoiceCheck';

export const INVOICE_CHECK_SPEC: TableSpec = {
  sheet: INVOICE_CHECK_SHEET,
  table: INVOICE_CHECK_TABLE,
  columns: [
    { name: 'Invoice no', numberFormat: TEXT_FORMAT },
    { name: 'Line', numberFormat: '0' },
    { name: 'Item code', numberFormat: TEXT_FORMAT },
    { name: 'Finding', numberFormat: TEXT_FORMAT },
    // General: numbers stay numbers; ids are written as text cell by cell (cells.ts needsTextFormat).
    { name: 'Expected', numberFormat: 'General' },
    { name: 'Actual', numberFormat: 'General' },
    { name: 'Cell', numberFormat: TEXT_FORMAT },
  ],
};

const EXPLAIN: Record<FindingCode, string> = {
  UNKNOWN_CONTRACT: 'the invoice names a contract that does not exist',
  ITEM_NOT_ON_ORDER: 'the item is on no order line of the contract',
  PRICE_MISMATCH: 'the unit price differs from the ordered unit price',
  QTY_EXCEEDS_ORDERED: 'the invoiced quantity so far exceeds the ordered quantity',
  QTY_EXCEEDS_DELIVERED: 'the invoiced quantity so far exceeds the net delivered quantity',
};

/** A finding in words: `PRICE_MISMATCH: the unit price differs from the ordered unit price (expected 3.3333, actual 3.50)`. */
export function findingText(f: Pick<Finding, 'code' | 'expected' | 'actual'>): string {
  const expected = f.expected === null ? '' : `expected ${String(f.expected)}, `;
  return `${f.code}: ${EXPLAIN[f.code]} (${expected}actual ${String(f.actual)})`;
}

/** The field of the offending cell per finding code. */
const FIELD: Record<FindingCode, string> = {
  UNKNOWN_CONTRACT: 'contractId',
  ITEM_NOT_ON_ORDER: 'itemCode',
  PRICE_MISMATCH: 'unitPrice',
  QTY_EXCEEDS_ORDERED: 'quantity',
  QTY_EXCEEDS_DELIVERED: 'quantity',
};

export interface LocatedFinding extends Finding {
  table: string;
  row: number;
  column: string;
  address: string;
  message: string;
}

export interface InvoiceCheckResult {
  findings: LocatedFinding[];
  /** Rows left out because they do not parse (run Validate to see why). */
  skippedRows: number;
  invoicesChecked: number;
}

/** The ledgers the invoice check reads: invoices and their lines with the contracts, orders and deliveries behind them. */
export const CHECKED_LEDGERS: readonly LedgerName[] = [
  'contracts',
  'orderLines',
  'deliveries',
  'invoices',
  'invoiceLines',
];

/** The check's input from the workbook's rows: rows that parse, invoices only once complete (see workbookRows.ts). */
export function checkedLedgerData(rows: WorkbookRows): LedgerData {
  return ledgerData({
    contracts: recordsOf(rows, 'contracts'),
    orderLines: recordsOf(rows, 'orderLines'),
    deliveries: recordsOf(rows, 'deliveries'),
    invoices: completedRecords(rows, 'invoices'),
    invoiceLines: recordsOf(rows, 'invoiceLines'),
  });
}

/**
 * Expected/actual as cells: ids (a contract, an item code) stay text — the cell gets the text format, so "00123"
 * stays "00123" — while quantities and prices are numbers Excel can sum and compare.
 */
function cellOf(code: FindingCode, v: string | number | null): string | number {
  if (v === null) return '';
  if (code === 'UNKNOWN_CONTRACT' || code === 'ITEM_NOT_ON_ORDER') return String(v);
  return typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
}

export async function checkWorkbookInvoices(
  wb: WorkbookAdapter,
  options: { onProgress?: ProgressFn; signal?: AbortSignal; priceTolerancePct?: number } = {},
): Promise<InvoiceCheckResult> {
  const rows = await readWorkbookRows(wb, { ledgers: CHECKED_LEDGERS, ...options });
  const data = checkedLedgerData(rows);
  const findings = checkInvoices(
    data,
    options.priceTolerancePct !== undefined ? { priceTolerancePct: options.priceTolerancePct } : {},
  );
  const skippedRows = [...rows.parsed.values()].flat().filter((p) => p.record === undefined).length;
  const located = await reportFindings(wb, rows, findings);
  return { findings: located, skippedRows, invoicesChecked: data.invoices.length };
}

/**
 * Marks the cells of `findings` in the invoice tables read in `rows` (clearing the check's old marks) and writes the
 * Invoice check sheet; shared by the sheet's own check and the server's (serverInvoiceCheck.ts).
 */
export async function reportFindings(
  wb: WorkbookAdapter,
  rows: WorkbookRows,
  findings: readonly Finding[],
): Promise<LocatedFinding[]> {
  // Where each invoice and invoice line sits in its table.
  const rowOf = (ledger: LedgerName): Map<string, number> =>
    new Map((rows.parsed.get(ledger) ?? []).flatMap((p) => (p.row.key === null ? [] : [[p.row.key, p.row.index]])));
  const invoiceRows = rowOf('invoices');
  const lineRows = rowOf('invoiceLines');
  const located: LocatedFinding[] = [];
  for (const f of findings) {
    const ledger: LedgerName = f.lineNo === null ? 'invoices' : 'invoiceLines';
    const sheet: LedgerSheet | undefined = rows.sheets.get(ledger);
    // A line only the server holds (the server's check) has no row here: -1, no address and no mark.
    const at = f.lineNo === null ? invoiceRows.get(f.invoiceNo) : lineRows.get(`${f.invoiceNo}~${f.lineNo}`);
    const row = sheet === undefined ? -1 : (at ?? -1);
    const column = sheet?.header(FIELD[f.code]) ?? FIELD[f.code];
    located.push({
      ...f,
      table: sheet?.table ?? '',
      row,
      column,
      address: sheet === undefined || row < 0 ? '' : sheet.address(row, column),
      message: findingText(f),
    });
  }

  for (const ledger of ['invoices', 'invoiceLines'] as const) {
    const sheet = rows.sheets.get(ledger);
    if (sheet === undefined) continue;
    const marks: CellMark[] = located
      .filter((f) => f.table === sheet.table && f.row >= 0)
      .map((f) => ({ row: f.row, column: f.column, fill: FINDING_FILL, note: f.message }));
    await remark(wb, sheet.table, marks);
  }
  const matrix: Matrix = located.map((f) => [
    f.invoiceNo,
    f.lineNo ?? '',
    f.itemCode ?? '',
    f.code,
    cellOf(f.code, f.expected),
    cellOf(f.code, f.actual),
    f.address,
  ]);
  await wb.writeResultsTable(INVOICE_CHECK_SPEC, matrix);
  return located;
}
