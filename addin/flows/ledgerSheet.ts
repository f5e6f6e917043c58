// A ledger table read from the workbook as rows the flows work with: wire values, key, bookkeeping, A1 addresses.
import { columns, keyOf, ledger as ledgerOf, type FieldError, type LedgerName } from '../../shared/ledgers';
import { columnLetter } from '../excel/cells';
import { WorkbookError, type CellValue, type WorkbookAdapter } from '../excel/workbookAdapter';
import { rowToWire, type WireRow } from './convert';
import { rowHash } from './hash';
import { BASE_COLUMN, BOOKKEEPING, BOOKKEEPING_HEADERS, tableName } from './layout';
import { throwIfCancelled, type ProgressFn } from './progress';

export interface SheetRow {
  /** 0-based row in the table body. */
  index: number;
  cells: CellValue[];
  wire: WireRow;
  /** What the cells themselves got wrong (a date with a time, too many decimals). */
  cellErrors: FieldError[];
  /** The key from the wire values, or null when a key field is empty. */
  key: string | null;
  hash: string;
  etag: string;
  syncHash: string;
  status: string;
  approval: string;
  approvedBy: string;
  /** The Base version cell: JSON of the server's values when the row was last pulled or published ("" when none). */
  base: string;
}

export interface LedgerSheet {
  ledger: LedgerName;
  table: string;
  sheet: string;
  headers: string[];
  origin: { row: number; column: number };
  rows: SheetRow[];
  /** Every body row's cells as read, blank lines included (rows[i].index points into it). */
  body: CellValue[][];
  /** Body rows of the table, blank ones at its end included (appended rows start here). */
  bodyRows: number;
  /** Position of a header in the table, or -1. */
  col(header: string): number;
  /** The field's header. */
  header(field: string): string;
  /** `'Order lines'!C5` for a body row and header. */
  address(row: number, header: string): string;
}

export function quoteSheet(sheet: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(sheet) ? sheet : `'${sheet.replace(/'/g, "''")}'`;
}

function text(v: CellValue | undefined): string {
  return v === undefined || v === null ? '' : String(v);
}

/**
 * The table's header row must hold every column of the ledger once (in any order). A missing column, optional or
 * not, stops the flow: a renamed optional header would otherwise publish its rows without that field and blank it on
 * the server. Extra columns are the user's own and are kept and ignored (Excel itself renames a duplicated header
 * to "Name2", which is such an extra column).
 */
export function checkHeaders(
  title: string,
  name: LedgerName,
  headers: readonly string[],
  headerCell: (i: number) => string,
): void {
  const seen = new Map<string, number>();
  headers.forEach((h, i) => {
    const first = seen.get(h.trim());
    if (first !== undefined)
      throw new WorkbookError(
        'HEADER_MISMATCH',
        `${title} has the column "${h}" twice (${headerCell(first)} and ${headerCell(i)}): rename or delete one.`,
      );
    seen.set(h.trim(), i);
  });
  const known = new Set([...columns(name).map((c) => c.header), ...BOOKKEEPING_HEADERS, BASE_COLUMN.name]);
  const missing = columns(name)
    .filter((c) => !headers.includes(c.header))
    .map((c) => c.header);
  if (missing.length === 0) return;
  const unknown = headers.flatMap((h, i) => (known.has(h) ? [] : [`"${h}" (${headerCell(i)})`]));
  throw new WorkbookError(
    'HEADER_MISMATCH',
    `${title} lacks the ${missing.length === 1 ? 'column' : 'columns'} ${missing.join(', ')}` +
      (unknown.length > 0 ? `; it has ${unknown.join(', ')}, which is not a ledger column (renamed?)` : '') +
      ': rename the header back, or run "Set up ledger sheets" to add the column.',
  );
}

/**
 * Reads a ledger's table, or returns null when the workbook has none (set-up not run). `table` names another table
 * with the ledger's columns (the customer file's contacts and interactions); default the ledger's own.
 */
export async function readLedger(
  wb: WorkbookAdapter,
  name: LedgerName,
  onProgress?: ProgressFn,
  signal?: AbortSignal,
  table: string = tableName(ledgerOf(name)),
): Promise<LedgerSheet | null> {
  throwIfCancelled(signal);
  const def = ledgerOf(name);
  let data;
  try {
    data = await wb.readTable(table, (p) =>
      onProgress?.({ phase: `Reading ${def.title}`, done: p.rowsRead, total: p.totalRows }),
    );
  } catch (e) {
    if (e instanceof WorkbookError && e.code === 'NOT_FOUND') return null;
    throw e;
  }
  const headers = data.headers;
  const headerCell = (i: number): string =>
    `${quoteSheet(data.sheet)}!${columnLetter(data.origin.column + i)}${data.origin.row + 1}`;
  checkHeaders(def.title, name, headers, headerCell);
  const at = new Map(headers.map((h, i) => [h, i]));
  const cols = columns(name);
  const indexes = cols.map((c) => at.get(c.header) ?? -1);
  const bk = (h: string): number => at.get(h) ?? -1;
  const [iEtag, iHash, iStatus, iApproval, iBy, iBase] = [
    bk(BOOKKEEPING.etag),
    bk(BOOKKEEPING.hash),
    bk(BOOKKEEPING.status),
    bk(BOOKKEEPING.approval),
    bk(BOOKKEEPING.approvedBy),
    bk(BASE_COLUMN.name),
  ];
  const keyFields = def.key;
  const rows: SheetRow[] = [];
  data.rows.forEach((cells, index) => {
    const { wire, errors } = rowToWire(name, cells, indexes);
    const blank = Object.keys(wire).length === 0 && errors.length === 0;
    if (blank) return; // empty lines between rows are not data
    const hasKey = keyFields.every((f) => wire[f] !== undefined);
    rows.push({
      index,
      cells,
      wire,
      cellErrors: errors,
      key: hasKey ? keyOf(name, wire) : null,
      hash: rowHash(wire),
      etag: text(cells[iEtag]),
      syncHash: text(cells[iHash]),
      status: text(cells[iStatus]),
      approval: text(cells[iApproval]),
      approvedBy: text(cells[iBy]),
      base: text(cells[iBase]),
    });
  });
  const headerOf = new Map(cols.map((c) => [c.field, c.header]));
  return {
    ledger: name,
    table,
    sheet: data.sheet,
    headers,
    origin: data.origin,
    rows,
    body: data.rows,
    bodyRows: data.bodyRows ?? data.rows.length,
    col: (h) => at.get(h) ?? -1,
    header: (field) => headerOf.get(field) ?? field,
    address: (row, header) => {
      const c = at.get(header) ?? 0;
      return `${quoteSheet(data.sheet)}!${columnLetter(data.origin.column + c)}${data.origin.row + 2 + row}`;
    },
  };
}
