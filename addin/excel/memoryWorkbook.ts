// In-memory WorkbookAdapter that follows Excel's entry rules (text format, quote prefix, formulas), for flow tests.
import { assertBodyRows, isBlankRow, isFormulaLike, textColumnMask, textFormatOverlay, toWriteRow } from './cells';
import {
  GENERAL_FORMAT,
  NOTE_PREFIX,
  TEXT_FORMAT,
  WorkbookError,
  type CellMark,
  type CellValue,
  type ChartSpec,
  type ColumnLook,
  type ColumnLookChange,
  type ColumnSpec,
  type EnsureTableResult,
  type Matrix,
  type ReadProgress,
  type SelectionInfo,
  type TableData,
  type TableSpec,
  type WorkbookAdapter,
  type WriteMode,
} from './workbookAdapter';

/** What Excel shows for a formula it could not evaluate; a test seeing it knows text was evaluated. */
export const EVALUATED_MARKER = '#NAME?';

export interface MemoryColumn {
  name: string;
  numberFormat: string;
  list?: readonly string[];
  hidden: boolean;
  /** Width in points; undefined is Excel's default width. ensureTable sets it on the columns it creates ("autofit"). */
  width?: number;
}

/** Excel's default column width in points (8.43 characters). */
export const DEFAULT_COLUMN_WIDTH = 48;
/** What autofit gives a header in memory: about 7 points per character, at least the default. */
export const autofitWidth = (header: string): number => Math.max(DEFAULT_COLUMN_WIDTH, header.length * 7);

export interface MemoryTable {
  name: string;
  sheet: string;
  columns: MemoryColumn[];
  rows: CellValue[][];
  /** Per-cell number formats overriding the column's, keyed "row,col". */
  cellFormats: Map<string, string>;
  fills: Map<string, string>;
  notes: Map<string, string>;
  /**
   * Formula cells, keyed "row,col", in R1C1 notation as written with writeFormulas. The memory workbook does not
   * calculate: a formula cell's value reads as "". Writing a value into the cell removes its formula, as in Excel.
   */
  formulas: Map<string, string>;
  /** 0-based sheet row and column of the header's first cell (TableSpec.at; A1 by default). */
  origin?: { row: number; column: number };
}

export interface MemorySheet {
  name: string;
  frozenRows: number;
  /** `columns`: how many of the table's first columns the chart plots (all when absent). */
  charts: { name: string; kind: ChartSpec['kind']; title: string; table: string; columns?: number }[];
  /** What setPrintLayout set; absent until it is called. */
  print?: { orientation: 'landscape'; fitToPagesWide: 1; fitToPagesTall: 0 };
}

export interface MemoryWorkbook extends WorkbookAdapter {
  readonly sheets: Map<string, MemorySheet>;
  readonly tables: Map<string, MemoryTable>;
  /** What selectCell or selectRow selected last; `column` is null when a whole table row is selected. */
  selection: { sheet: string; table: string; row: number; column: string | null } | null;
  /** What getSelection returns; tests set it to stand for the user's selection. */
  selectedRange: SelectionInfo | null;
  /** Reads passed to onProgress per call; chunk size for progress callbacks (no payload limit in memory). */
  readChunkRows: number;
  /** Operations performed, for flows that assert what was done. */
  readonly log: string[];
}

const key = (r: number, c: number): string => `${r},${c}`;

/**
 * Excel's rules for a value entered into a cell with `Range.values`: one leading apostrophe is a quote prefix
 * (dropped, the rest stays text); in a text-formatted cell any string is literal; elsewhere a formula-like string
 * is evaluated and numeric text becomes a number.
 */
export function enterValue(value: string | number | boolean, format: string): CellValue {
  if (typeof value !== 'string') return value;
  if (value.startsWith("'")) return value.slice(1);
  if (format === TEXT_FORMAT) return value;
  if (isFormulaLike(value) && value.length > 1) return EVALUATED_MARKER;
  if (/^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return value;
}

export function createMemoryWorkbook(): MemoryWorkbook {
  const sheets = new Map<string, MemorySheet>();
  const tables = new Map<string, MemoryTable>();
  const log: string[] = [];

  function table(name: string): MemoryTable {
    const t = tables.get(name);
    if (t === undefined) throw new WorkbookError('NOT_FOUND', `Table ${name} does not exist in this workbook.`);
    return t;
  }

  function columnIndex(t: MemoryTable, column: string): number {
    const i = t.columns.findIndex((c) => c.name === column);
    if (i < 0) throw new WorkbookError('HEADER_MISMATCH', `Table ${t.name} has no column "${column}".`);
    return i;
  }

  function formatOf(t: MemoryTable, r: number, c: number): string {
    return t.cellFormats.get(key(r, c)) ?? t.columns[c]?.numberFormat ?? GENERAL_FORMAT;
  }

  /** Same preparation as the Office.js adapter (cells.ts), then Excel's entry rules per cell. */
  function writeAt(t: MemoryTable, firstRow: number, rows: Matrix, only?: ReadonlySet<number>): void {
    const width = t.columns.length;
    const prepared = rows.map((r) => toWriteRow(r, width));
    const overlay = textFormatOverlay(prepared, textColumnMask(t.columns.map((c) => c.numberFormat)));
    prepared.forEach((row, i) => {
      const r = firstRow + i;
      while (t.rows.length <= r) t.rows.push(new Array<CellValue>(width).fill(''));
      const target = t.rows[r] as CellValue[];
      row.forEach((v, c) => {
        if (only !== undefined && !only.has(c)) return; // cells outside the written columns stay as they are
        const o = overlay?.[i]?.[c];
        if (o !== null && o !== undefined) t.cellFormats.set(key(r, c), o);
        t.formulas.delete(key(r, c));
        target[c] = enterValue(v, formatOf(t, r, c));
      });
    });
  }

  function ensure(spec: TableSpec): EnsureTableResult {
    let sheet = sheets.get(spec.sheet);
    if (sheet === undefined) {
      sheet = { name: spec.sheet, frozenRows: 0, charts: [] };
      sheets.set(spec.sheet, sheet);
    }
    const existing = tables.get(spec.table);
    const apply = (col: MemoryColumn, s: ColumnSpec): void => {
      col.numberFormat = s.numberFormat ?? GENERAL_FORMAT;
      col.list = s.list;
      col.hidden = s.hidden === true;
    };
    if (spec.at === undefined) sheet.frozenRows = 1;
    if (existing === undefined) {
      const columns = spec.columns.map((s) => {
        const c: MemoryColumn = {
          name: s.name,
          numberFormat: GENERAL_FORMAT,
          hidden: false,
          width: autofitWidth(s.name),
        };
        apply(c, s);
        return c;
      });
      // Like Excel, a table made from a header row gets one blank body row.
      tables.set(spec.table, {
        name: spec.table,
        sheet: spec.sheet,
        columns,
        rows: [columns.map(() => '')],
        cellFormats: new Map(),
        fills: new Map(),
        notes: new Map(),
        formulas: new Map(),
        ...(spec.at !== undefined ? { origin: { ...spec.at } } : {}),
      });
      return { created: true, addedColumns: [], headers: columns.map((c) => c.name) };
    }
    const addedColumns: string[] = [];
    for (const s of spec.columns) {
      let col = existing.columns.find((c) => c.name === s.name);
      if (col === undefined) {
        col = { name: s.name, numberFormat: GENERAL_FORMAT, hidden: false, width: autofitWidth(s.name) };
        existing.columns.push(col);
        for (const r of existing.rows) r.push('');
        addedColumns.push(s.name);
      }
      apply(col, s);
    }
    return { created: false, addedColumns, headers: existing.columns.map((c) => c.name) };
  }

  const wb: MemoryWorkbook = {
    sheets,
    tables,
    selection: null,
    selectedRange: null,
    readChunkRows: 10_000,
    log,

    listSheets() {
      log.push('listSheets');
      return Promise.resolve([...sheets.keys()]);
    },

    ensureTable(spec) {
      log.push(`ensureTable ${spec.table}`);
      return Promise.resolve(ensure(spec));
    },

    readTable(name: string, onProgress?: (p: ReadProgress) => void) {
      return new Promise<TableData>((resolve) => {
        log.push(`readTable ${name}`);
        const t = table(name);
        const rows = t.rows.map((r) => [...r]);
        for (let i = 0; i < rows.length; i += wb.readChunkRows)
          onProgress?.({ rowsRead: Math.min(rows.length, i + wb.readChunkRows), totalRows: rows.length });
        if (rows.length === 0) onProgress?.({ rowsRead: 0, totalRows: 0 });
        while (rows.length > 0 && isBlankRow(rows[rows.length - 1] ?? [])) rows.pop();
        resolve({
          sheet: t.sheet,
          headers: t.columns.map((c) => c.name),
          rows,
          origin: t.origin ?? { row: 0, column: 0 },
          bodyRows: t.rows.length,
        });
      });
    },

    writeRows(name: string, rows: Matrix, mode: WriteMode) {
      return new Promise<void>((resolve) => {
        log.push(`writeRows ${name} ${mode} ${rows.length}`);
        const t = table(name);
        const placeholder = t.rows.length === 1 && isBlankRow(t.rows[0] ?? []);
        const start = mode === 'append' && !placeholder ? t.rows.length : 0;
        if (mode === 'replace') {
          t.rows = [];
          t.cellFormats.clear();
          t.formulas.clear();
        }
        if (placeholder) t.rows = [];
        writeAt(t, start, rows);
        if (t.rows.length === 0) t.rows.push(t.columns.map(() => ''));
        resolve();
      });
    },

    updateRows(name: string, firstRow: number, rows: Matrix) {
      return new Promise<void>((resolve) => {
        log.push(`updateRows ${name} ${firstRow} ${rows.length}`);
        const t = table(name);
        assertBodyRows(firstRow, rows.length, t.rows.length);
        writeAt(t, firstRow, rows);
        resolve();
      });
    },

    updateColumns(name: string, firstRow: number, columns: readonly string[], rows: Matrix) {
      return new Promise<void>((resolve) => {
        log.push(`updateColumns ${name} ${firstRow} ${rows.length}`);
        const t = table(name);
        assertBodyRows(firstRow, rows.length, t.rows.length);
        const indexes = columns.map((c) => columnIndex(t, c));
        // Rows made of the current cells with the named columns replaced; only those cells are entered (updateRows rules).
        const full = rows.map((r, i) => {
          const current = [...(t.rows[firstRow + i] as CellValue[])];
          indexes.forEach((c, j) => (current[c] = r[j] ?? null));
          return current;
        });
        writeAt(t, firstRow, full, new Set(indexes));
        resolve();
      });
    },

    readFormulas(name: string, columns: readonly string[]) {
      return new Promise<Matrix>((resolve) => {
        log.push(`readFormulas ${name} ${columns.length}`);
        const t = table(name);
        const indexes = columns.map((c) => columnIndex(t, c));
        resolve(t.rows.map((row, r) => indexes.map((c) => t.formulas.get(key(r, c)) ?? row[c] ?? '')));
      });
    },

    writeFormulas(name: string, firstRow: number, columns: readonly string[], rows: Matrix) {
      return new Promise<void>((resolve) => {
        log.push(`writeFormulas ${name} ${firstRow} ${rows.length}`);
        const t = table(name);
        assertBodyRows(firstRow, rows.length, t.rows.length);
        const indexes = columns.map((c) => columnIndex(t, c));
        rows.forEach((row, i) =>
          indexes.forEach((c, j) => {
            const f = row[j];
            const r = firstRow + i;
            (t.rows[r] as CellValue[])[c] = '';
            if (typeof f === 'string' && f.startsWith('=')) t.formulas.set(key(r, c), f);
            else {
              t.formulas.delete(key(r, c));
              (t.rows[r] as CellValue[])[c] = f ?? '';
            }
          }),
        );
        resolve();
      });
    },

    readColumnLooks(name: string, columns: readonly string[]) {
      return new Promise<ColumnLook[]>((resolve) => {
        log.push(`readColumnLooks ${name}`);
        const t = table(name);
        resolve(
          columns.map((c) => {
            const i = columnIndex(t, c);
            const col = t.columns[i] as MemoryColumn;
            return { name: c, numberFormat: formatOf(t, 0, i), width: col.width ?? DEFAULT_COLUMN_WIDTH };
          }),
        );
      });
    },

    setColumnLooks(name: string, looks: readonly ColumnLookChange[]) {
      return new Promise<void>((resolve) => {
        log.push(`setColumnLooks ${name}`);
        const t = table(name);
        for (const look of looks) {
          const i = columnIndex(t, look.name);
          const col = t.columns[i] as MemoryColumn;
          if (look.width !== undefined) col.width = look.width;
          if (look.numberFormat === undefined) continue;
          col.numberFormat = look.numberFormat;
          for (let r = 0; r < t.rows.length; r++) t.cellFormats.delete(key(r, i));
        }
        resolve();
      });
    },

    getSelection() {
      log.push('getSelection');
      return Promise.resolve(wb.selectedRange);
    },

    markCells(name: string, marks: readonly CellMark[]) {
      return new Promise<void>((resolve) => {
        log.push(`markCells ${name} ${marks.length}`);
        const t = table(name);
        for (const m of marks) {
          const c = columnIndex(t, m.column);
          if (m.row < 0 || m.row >= t.rows.length)
            throw new WorkbookError('BAD_SHAPE', `Row ${m.row + 1} is outside table ${name}.`);
          if (m.fill === null) t.fills.delete(key(m.row, c));
          else if (m.fill !== undefined) t.fills.set(key(m.row, c), m.fill);
          if (m.note === null) t.notes.delete(key(m.row, c));
          else if (m.note !== undefined) t.notes.set(key(m.row, c), NOTE_PREFIX + m.note);
        }
        resolve();
      });
    },

    clearFills(name: string) {
      return new Promise<void>((resolve) => {
        log.push(`clearFills ${name}`);
        table(name).fills.clear();
        resolve();
      });
    },

    clearMarks(name: string) {
      return new Promise<void>((resolve) => {
        log.push(`clearMarks ${name}`);
        const t = table(name);
        t.fills.clear();
        for (const [k, text] of [...t.notes]) if (text.startsWith(NOTE_PREFIX)) t.notes.delete(k);
        resolve();
      });
    },

    selectCell(name: string, row: number, column: string) {
      return new Promise<void>((resolve) => {
        log.push(`selectCell ${name} ${row} ${column}`);
        const t = table(name);
        columnIndex(t, column);
        wb.selection = { sheet: t.sheet, table: name, row, column };
        wb.selectedRange = {
          sheet: t.sheet,
          rowIndex: row + 1,
          rowCount: 1,
          columnIndex: columnIndex(t, column),
          columnCount: 1,
        };
        resolve();
      });
    },

    selectRow(name: string, row: number) {
      return new Promise<void>((resolve) => {
        log.push(`selectRow ${name} ${row}`);
        const t = table(name);
        if (row < 0 || row >= t.rows.length)
          throw new WorkbookError('NOT_FOUND', `Table ${name} has no body row ${row + 1}.`);
        wb.selection = { sheet: t.sheet, table: name, row, column: null };
        wb.selectedRange = {
          sheet: t.sheet,
          rowIndex: row + 1,
          rowCount: 1,
          columnIndex: 0,
          columnCount: t.columns.length,
        };
        resolve();
      });
    },

    writeResultsTable(spec: TableSpec, rows: Matrix) {
      return new Promise<void>((resolve) => {
        log.push(`writeResultsTable ${spec.table} ${rows.length}`);
        tables.delete(spec.table);
        ensure(spec);
        const t = table(spec.table);
        t.rows = [];
        writeAt(t, 0, rows);
        if (t.rows.length === 0) t.rows.push(t.columns.map(() => ''));
        resolve();
      });
    },

    removeTable(name: string) {
      log.push(`removeTable ${name}`);
      tables.delete(name);
      return Promise.resolve();
    },

    setPrintLayout(name: string) {
      log.push(`setPrintLayout ${name}`);
      const sheet = sheets.get(name);
      if (sheet === undefined) return Promise.reject(new WorkbookError('NOT_FOUND', `Sheet ${name} does not exist.`));
      sheet.print = { orientation: 'landscape', fitToPagesWide: 1, fitToPagesTall: 0 };
      return Promise.resolve();
    },

    addChart(spec: ChartSpec) {
      return new Promise<void>((resolve) => {
        log.push(`addChart ${spec.name}`);
        const t = table(spec.table);
        const sheet = sheets.get(t.sheet) as MemorySheet;
        sheet.charts = sheet.charts.filter((c) => c.name !== spec.name);
        sheet.charts.push({
          name: spec.name,
          kind: spec.kind,
          title: spec.title,
          table: spec.table,
          ...(spec.columns !== undefined ? { columns: Math.min(spec.columns, t.columns.length) } : {}),
        });
        resolve();
      });
    },
  };
  return wb;
}
