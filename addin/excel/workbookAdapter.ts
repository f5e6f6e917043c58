// The workbook boundary of the add-in: plain data in and out, implemented by Office.js (officeWorkbook) and in memory (memoryWorkbook).

/** A cell value as Excel's `Range.values` returns it; empty cells read as "". `null` on write means "empty". */
export type CellValue = string | number | boolean | null;
export type Matrix = CellValue[][];

/** Excel number formats the ledgers use. Dates are serial numbers shown with DATE_FORMAT; money is a number. */
export const TEXT_FORMAT = '@';
export const DATE_FORMAT = 'yyyy-mm-dd';
export const MONEY_FORMAT = '#,##0.00';
export const INTEGER_FORMAT = '0';
export const GENERAL_FORMAT = 'General';
/** A currency format showing the ISO code (e.g. `[$EUR] #,##0.00`), for sheets with one currency. */
export function currencyFormat(isoCode: string): string {
  return `[$${isoCode}] ${MONEY_FORMAT}`;
}

export interface ColumnSpec {
  /** Header text; also the table column name. */
  name: string;
  /** Excel number format for the whole column; TEXT_FORMAT keeps every string literal. Default General. */
  numberFormat?: string;
  /** Data-validation list (in-cell drop-down); values must not contain commas. */
  list?: readonly string[];
  /** Hidden column, e.g. etag/status bookkeeping. */
  hidden?: boolean;
}

export interface TableSpec {
  sheet: string;
  table: string;
  columns: readonly ColumnSpec[];
  /**
   * Where a new table's header row goes (0-based sheet row and column); default A1. Several tables can share a sheet
   * this way (the customer file). A table placed with `at` does not freeze the sheet's rows.
   */
  at?: { row: number; column: number };
}

export interface EnsureTableResult {
  /** True when the table did not exist and was created. */
  created: boolean;
  /** Columns appended to an existing table because the spec names them and the table lacked them. */
  addedColumns: string[];
  /** Headers in table order after the call (an existing table keeps its extra columns and its order). */
  headers: string[];
}

export interface ReadProgress {
  rowsRead: number;
  totalRows: number;
}

export interface TableData {
  sheet: string;
  headers: string[];
  /** Body rows, in table order, each as long as `headers`. */
  rows: Matrix;
  /** 0-based sheet row of the header and sheet column of the first table column, for A1 addresses. */
  origin: { row: number; column: number };
  /** Body rows of the table itself, blank ones at the end included (`rows` leaves those out). */
  bodyRows?: number;
}

/** A column's look the user may have set: the number format of its first body cell and its width in points. */
export interface ColumnLook {
  name: string;
  numberFormat: string;
  width: number;
}

export type ColumnLookChange = Pick<ColumnLook, 'name'> & Partial<Pick<ColumnLook, 'numberFormat' | 'width'>>;

/** The user's selected block on a sheet, in 0-based sheet coordinates. */
export interface SelectionInfo {
  sheet: string;
  rowIndex: number;
  rowCount: number;
  columnIndex: number;
  columnCount: number;
}

export type WriteMode = 'replace' | 'append';

/** Every note the add-in writes starts with this, so clearing its marks never removes a note the user wrote. */
export const NOTE_PREFIX = 'Ledgerdesk: ';

export interface CellMark {
  /** 0-based row in the table body. */
  row: number;
  /** Header of the column. */
  column: string;
  /** Fill colour like "#FFC7CE"; null clears the fill. */
  fill?: string | null;
  /** Note text shown on the cell (the adapter adds NOTE_PREFIX); null removes it. */
  note?: string | null;
}

export type ChartKind = 'column' | 'line';

export interface ChartSpec {
  table: string;
  kind: ChartKind;
  title: string;
  /** Chart name, so a repeated call replaces the chart instead of stacking copies. */
  name: string;
  /**
   * Plot only the table's first `columns` columns (its label columns and the series beside them), so a table can
   * hold columns that do not belong on the chart's axis (a count beside money, a total beside its parts) after them.
   * Default: every column.
   */
  columns?: number;
}

export interface WorkbookAdapter {
  listSheets(): Promise<string[]>;
  /** Creates sheet and table when missing; applies formats, validation lists, hidden columns and freezes the header row. */
  ensureTable(spec: TableSpec): Promise<EnsureTableResult>;
  /** Reads headers and body values in payload-sized chunks; throws WorkbookError NOT_FOUND when the table is missing. */
  readTable(table: string, onProgress?: (p: ReadProgress) => void): Promise<TableData>;
  /**
   * Writes rows whose cells follow the table's header order. `replace` makes them the whole body, `append` adds them
   * after the last row. Strings are stored as text, never evaluated as formulas.
   */
  writeRows(table: string, rows: Matrix, mode: WriteMode): Promise<void>;
  /** Overwrites existing body rows starting at `firstRow` (0-based), e.g. writing back etags and statuses. */
  updateRows(table: string, firstRow: number, rows: Matrix): Promise<void>;
  /**
   * Overwrites only the named columns of body rows `firstRow…`; `rows[i]` holds the cells of `columns` in that order.
   * Bookkeeping (etag, status) is written this way so the user's data cells are never rewritten.
   */
  updateColumns(table: string, firstRow: number, columns: readonly string[], rows: Matrix): Promise<void>;
  /**
   * Body cells of the named columns as formulas in R1C1 notation (Excel's `Range.formulasR1C1`): a formula cell reads
   * as its formula ("=RC[-2]*2", "=[@Amount]*2"), a constant as its value, an empty cell as "". `rows[i][j]` is body
   * row i of `columns[j]`.
   */
  readFormulas(table: string, columns: readonly string[]): Promise<Matrix>;
  /** Writes formulas (R1C1 notation, as readFormulas returns them) into body rows `firstRow…` of the named columns. */
  writeFormulas(table: string, firstRow: number, columns: readonly string[], rows: Matrix): Promise<void>;
  /** Number format (of the first body cell) and width of the named columns. */
  readColumnLooks(table: string, columns: readonly string[]): Promise<ColumnLook[]>;
  /** Sets the number format of the whole body of each named column (when given) and its width (when given). */
  setColumnLooks(table: string, looks: readonly ColumnLookChange[]): Promise<void>;
  /** The current selection, or null when there is none (e.g. a chart is selected). */
  getSelection(): Promise<SelectionInfo | null>;
  /** Sets or clears fills and notes of single cells (invalid-cell highlighting). */
  markCells(table: string, marks: readonly CellMark[]): Promise<void>;
  /** Removes every fill in the table body. */
  clearFills(table: string): Promise<void>;
  /**
   * Removes every fill in the table body and the notes the add-in wrote there (those starting with NOTE_PREFIX),
   * before a new validation or check run; the user's own notes stay.
   */
  clearMarks(table: string): Promise<void>;
  /** Activates the sheet and selects one body cell. */
  selectCell(table: string, row: number, column: string): Promise<void>;
  /** Activates the sheet and selects one whole body row of the table (every column of the table, no more). */
  selectRow(table: string, row: number): Promise<void>;
  /** Replaces (or creates) a results table on a sheet with these columns and rows. */
  writeResultsTable(spec: TableSpec, rows: Matrix): Promise<void>;
  /** Adds (or replaces) a native chart over a table: first column as categories, the others as series. */
  addChart(spec: ChartSpec): Promise<void>;
  /** Deletes a table and clears its cells (values and formats); does nothing when there is no such table. */
  removeTable(table: string): Promise<void>;
  /** Sets a sheet up for printing: landscape, all columns on one page wide, as many pages tall as it takes. */
  setPrintLayout(sheet: string): Promise<void>;
}

export type WorkbookErrorCode = 'NOT_FOUND' | 'BAD_SHAPE' | 'HEADER_MISMATCH' | 'EXCEL';

/** A failure users can act on: a code and a sentence. */
export class WorkbookError extends Error {
  constructor(
    readonly code: WorkbookErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'WorkbookError';
  }
}
