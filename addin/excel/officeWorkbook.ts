// WorkbookAdapter over Office.js: each operation is one Excel.run with a handful of syncs and size-bounded block transfers.
import {
  assertBodyRows,
  chunkBySize,
  columnLetter,
  isBlankRow,
  jsonBytes,
  needsOverlay,
  textColumnMask,
  textFormatOverlay,
  toWriteRow,
} from './cells';
import {
  GENERAL_FORMAT,
  NOTE_PREFIX,
  TEXT_FORMAT,
  WorkbookError,
  type CellValue,
  type ChartSpec,
  type EnsureTableResult,
  type Matrix,
  type ReadProgress,
  type TableData,
  type TableSpec,
  type WorkbookAdapter,
  type WriteMode,
} from './workbookAdapter';

export type ExcelRun = <T>(batch: (context: Excel.RequestContext) => Promise<T>) => Promise<T>;

/**
 * Excel on the web rejects requests and responses over 5 MB; Microsoft advises staying well below. 3 MB of JSON per
 * sync leaves room for Office.js's own envelope and for our estimate being JSON, not the exact wire format.
 */
export const DEFAULT_MAX_REQUEST_BYTES = 3_000_000;
/** Rows read with the headers in the first sync, to size the following chunks from real data. */
export const SAMPLE_ROWS = 200;
/** Last row of a worksheet (1-based), for whole-column formats and validation below the header. */
const SHEET_LAST_ROW = 1_048_576;
/** Cell marks queued per sync: each is a few small commands, so this bounds the request without many round trips. */
const MARKS_PER_SYNC = 2_000;

export interface OfficeRequest {
  /** Adapter operation that issued the sync. */
  op: string;
  /** JSON size of values/formats queued since the previous sync. */
  bytesOut: number;
  /** JSON size of values loaded by this sync. */
  bytesIn: number;
}

/** Counts every context.sync() the adapter makes and estimates its payload, for tests and benchmarks. */
export class OfficeStats {
  syncs = 0;
  requests: OfficeRequest[] = [];
  reset(): void {
    this.syncs = 0;
    this.requests = [];
  }
  syncsFor(op: string): number {
    return this.requests.filter((r) => r.op === op).length;
  }
  get maxBytes(): number {
    return this.requests.reduce((m, r) => Math.max(m, r.bytesOut, r.bytesIn), 0);
  }
}

export interface OfficeWorkbookOptions {
  /** Excel namespace (or a mock); defaults to the global `Excel` at call time. */
  excel?: { run: ExcelRun };
  maxRequestBytes?: number;
  stats?: OfficeStats;
  /** Whether the host has ExcelApi 1.18 notes; defaults to asking Office.context.requirements. */
  notesSupported?: () => boolean;
}

export interface OfficeWorkbook extends WorkbookAdapter {
  readonly stats: OfficeStats;
}

/** One Excel.run's bookkeeping: the sync wrapper that counts and measures. */
class Batch {
  private pendingOut = 0;
  constructor(
    readonly ctx: Excel.RequestContext,
    private readonly stats: OfficeStats,
    private readonly op: string,
  ) {}
  queued(value: unknown): void {
    this.pendingOut += jsonBytes(value);
  }
  async sync(loaded?: () => unknown): Promise<void> {
    const bytesOut = this.pendingOut;
    this.pendingOut = 0;
    this.stats.syncs++;
    const request: OfficeRequest = { op: this.op, bytesOut, bytesIn: 0 };
    this.stats.requests.push(request);
    await this.ctx.sync();
    if (loaded !== undefined) request.bytesIn = jsonBytes(loaded());
  }
}

interface TableMeta {
  table: Excel.Table;
  sheet: Excel.Worksheet;
  sheetName: string;
  headers: string[];
  /** 0-based sheet row of the header and column of the first table column. */
  top: number;
  left: number;
  bodyRows: number;
  /** Number formats of the first body row, per column (decides which columns are already text). */
  formats: string[];
  /** Values of the first body row: tells Excel's placeholder row of a new table from a real row. */
  firstRow: CellValue[];
}

function isItemNotFound(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'ItemNotFound';
}

function isPayloadTooLarge(e: unknown): boolean {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  return code === 'RequestPayloadSizeLimitExceeded' || code === 'ResponsePayloadSizeLimitExceeded';
}

/** Rows of formulas per sync: a formula is short, so this stays far below the request limit for a few columns. */
const FORMULA_ROWS_PER_SYNC = 5_000;

/** Positions of named columns in a table; a missing one is a HEADER_MISMATCH. */
function columnIndexes(meta: TableMeta, tableName: string, columns: readonly string[]): number[] {
  return columns.map((name) => {
    const i = meta.headers.indexOf(name);
    if (i < 0) throw new WorkbookError('HEADER_MISMATCH', `Table ${tableName} has no column "${name}".`);
    return i;
  });
}

/** Single value applied to every cell of a range: Excel broadcasts a scalar, so a whole column costs one string. */
function broadcast<T>(value: T): T[][] {
  return value as unknown as T[][];
}

/** Splits requested column positions into runs of adjacent table columns (positions in `indexes` order). */
export function columnRuns(indexes: readonly number[]): { from: number; column: number; count: number }[] {
  const runs: { from: number; column: number; count: number }[] = [];
  indexes.forEach((col, i) => {
    const last = runs[runs.length - 1];
    if (last !== undefined && last.column + last.count === col) last.count++;
    else runs.push({ from: i, column: col, count: 1 });
  });
  return runs;
}

export function createOfficeWorkbook(options: OfficeWorkbookOptions = {}): OfficeWorkbook {
  const stats = options.stats ?? new OfficeStats();
  const maxBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  const excel = (): { run: ExcelRun } => options.excel ?? (globalThis as unknown as { Excel: { run: ExcelRun } }).Excel;
  const notesSupported =
    options.notesSupported ??
    ((): boolean => {
      const office = (globalThis as { Office?: typeof Office }).Office;
      return office?.context?.requirements?.isSetSupported('ExcelApi', '1.18') ?? false;
    });

  async function run<T>(op: string, body: (b: Batch) => Promise<T>): Promise<T> {
    try {
      return await excel().run((ctx) => body(new Batch(ctx, stats, op)));
    } catch (e) {
      if (e instanceof WorkbookError) throw e;
      if (isItemNotFound(e))
        throw new WorkbookError('NOT_FOUND', `${op}: the table or sheet does not exist in this workbook.`);
      const message = e instanceof Error ? e.message : String(e);
      throw new WorkbookError('EXCEL', `${op}: Excel refused the request (${message}).`);
    }
  }

  /** Queues the loads of a table's sheet, position and size; the caller syncs, then asks bodyRows(). */
  function queueTable(b: Batch, tableName: string) {
    const table = b.ctx.workbook.tables.getItem(tableName);
    table.load('name,showTotals');
    const sheet = table.worksheet;
    sheet.load('name');
    const whole = table.getRange();
    whole.load('rowIndex,columnIndex,rowCount,columnCount');
    const bodyRows = (): number => whole.rowCount - 1 - (table.showTotals ? 1 : 0);
    return { table, sheet, whole, bodyRows };
  }

  /** Queues the loads that describe a table; the caller syncs. */
  function queueMeta(b: Batch, tableName: string, withFirstRow: boolean) {
    const { table, sheet, whole, bodyRows } = queueTable(b, tableName);
    const header = table.getHeaderRowRange();
    header.load('values');
    const first = withFirstRow ? header.getOffsetRange(1, 0) : undefined;
    first?.load('values,numberFormat');
    return (): TableMeta => {
      const headers = (header.values[0] ?? []).map((h) => String(h));
      return {
        table,
        sheet,
        sheetName: sheet.name,
        headers,
        top: whole.rowIndex,
        left: whole.columnIndex,
        bodyRows: bodyRows(),
        formats: first !== undefined ? (first.numberFormat[0] ?? []).map((f) => String(f)) : [],
        firstRow: first !== undefined ? ((first.values[0] ?? []) as CellValue[]) : [],
      };
    };
  }

  async function loadMeta(b: Batch, tableName: string, withFirstRow = true): Promise<TableMeta> {
    const meta = queueMeta(b, tableName, withFirstRow);
    await b.sync();
    return meta();
  }

  /**
   * Writes rows at body offset `firstRow`, one size-bounded block per sync. `finish` queues the last commands
   * (resize, clear) so they ride on the final block's sync instead of costing one more.
   */
  async function writeBlocks(
    b: Batch,
    meta: TableMeta,
    firstRow: number,
    rows: Matrix,
    finish?: () => void,
    firstColumn = 0,
    columnCount = meta.headers.length,
  ): Promise<void> {
    const width = columnCount;
    const textCols = textColumnMask(meta.formats.slice(firstColumn, firstColumn + columnCount));
    const prepared = rows.map((r) => toWriteRow(r, width));
    // Budget the formats overlay too: a row with a cell the overlay formats costs about 5 bytes per cell more.
    const chunks = chunkBySize(prepared, maxBytes, (row) =>
      row.some((v, c) => needsOverlay(v, c, textCols)) ? row.length * 5 : 0,
    );
    if (chunks.length === 0) {
      finish?.();
      if (finish !== undefined) await b.sync();
      return;
    }
    for (const [i, chunk] of chunks.entries()) {
      const range = meta.sheet.getRangeByIndexes(
        meta.top + 1 + firstRow + chunk.start,
        meta.left + firstColumn,
        chunk.rows.length,
        width,
      );
      // Formats before values: a cell must already be text when the formula-like string arrives.
      const overlay = textFormatOverlay(chunk.rows, textCols);
      if (overlay !== null) {
        range.numberFormat = overlay as string[][]; // null entries leave those cells' formats unchanged
        b.queued(overlay);
      }
      range.values = chunk.rows;
      b.queued(chunk.rows);
      if (i === chunks.length - 1) finish?.();
      await b.sync();
    }
  }

  async function ensureTableIn(b: Batch, spec: TableSpec): Promise<EnsureTableResult> {
    const wb = b.ctx.workbook;
    const existing = wb.tables.getItemOrNullObject(spec.table);
    existing.load('name');
    const sheetOrNull = wb.worksheets.getItemOrNullObject(spec.sheet);
    sheetOrNull.load('name');
    await b.sync();

    let created = false;
    let addedColumns: string[] = [];
    let headers: string[];
    let top = 0;
    let left = 0;
    let sheet: Excel.Worksheet;
    if (existing.isNullObject) {
      sheet = sheetOrNull.isNullObject ? wb.worksheets.add(spec.sheet) : sheetOrNull;
      headers = spec.columns.map((c) => c.name);
      top = spec.at?.row ?? 0;
      left = spec.at?.column ?? 0;
      const headerRange = sheet.getRangeByIndexes(top, left, 1, headers.length);
      // Headers are text: "@" first so a header such as "-Δ" or "=total" is never a formula.
      headerRange.numberFormat = broadcast(TEXT_FORMAT);
      headerRange.values = [headers];
      b.queued([headers]);
      const table = sheet.tables.add(headerRange, true);
      table.name = spec.table;
      created = true;
    } else {
      const meta = await loadMeta(b, spec.table, false);
      sheet = meta.sheet;
      top = meta.top;
      left = meta.left;
      addedColumns = spec.columns.map((c) => c.name).filter((n) => !meta.headers.includes(n));
      for (const name of addedColumns) meta.table.columns.add(undefined, undefined, name);
      headers = [...meta.headers, ...addedColumns];
    }

    for (const col of spec.columns) {
      const idx = headers.indexOf(col.name);
      const letter = columnLetter(left + idx);
      // From the first body row to the sheet's end: rows added later inherit format and validation.
      const below = sheet.getRange(`${letter}${top + 2}:${letter}${SHEET_LAST_ROW}`);
      below.numberFormat = broadcast(col.numberFormat ?? GENERAL_FORMAT);
      below.dataValidation.clear();
      if (col.list !== undefined && col.list.length > 0) {
        below.dataValidation.rule = { list: { inCellDropDown: true, source: col.list.join(',') } };
      }
      sheet.getRange(`${letter}:${letter}`).columnHidden = col.hidden === true;
    }
    if (spec.at === undefined) sheet.freezePanes.freezeRows(top + 1);
    // Widths fit the headers of the columns made here; a width the user set on an existing column stays.
    if (created) sheet.getRangeByIndexes(top, left, 1, headers.length).format.autofitColumns();
    for (const name of addedColumns)
      sheet.getRangeByIndexes(top, left + headers.indexOf(name), 1, 1).format.autofitColumns();
    await b.sync();
    return { created, addedColumns, headers };
  }

  const adapter: OfficeWorkbook = {
    stats,

    listSheets: () =>
      run('listSheets', async (b) => {
        const sheets = b.ctx.workbook.worksheets;
        sheets.load('items/name');
        await b.sync();
        return sheets.items.map((s) => s.name);
      }),

    ensureTable: (spec) => run('ensureTable', (b) => ensureTableIn(b, spec)),

    readTable: (tableName, onProgress) =>
      run('readTable', async (b) => {
        const { table, sheet, whole, bodyRows } = queueTable(b, tableName);
        // Headers plus the first rows in the same request: the sample sizes the chunks that follow.
        const sample = table.getHeaderRowRange().getResizedRange(SAMPLE_ROWS, 0);
        sample.load('values');
        await b.sync(() => sample.values);

        const totalRows = bodyRows();
        const width = whole.columnCount;
        const headers = (sample.values[0] ?? []).map((h) => String(h));
        const rows: Matrix = sample.values.slice(1, 1 + Math.min(SAMPLE_ROWS, totalRows)) as Matrix;
        let bytesPerRow = Math.max(1, jsonBytes(rows) / Math.max(1, rows.length), width * 3);
        onProgress?.({ rowsRead: rows.length, totalRows });

        while (rows.length < totalRows) {
          // 25% headroom over the densest chunk seen so far; the data can get denser further down.
          let count = Math.min(totalRows - rows.length, Math.max(1, Math.floor(maxBytes / (bytesPerRow * 1.25))));
          for (;;) {
            const range = sheet.getRangeByIndexes(whole.rowIndex + 1 + rows.length, whole.columnIndex, count, width);
            range.load('values');
            try {
              await b.sync(() => range.values);
            } catch (e) {
              if (isPayloadTooLarge(e) && count > 1) {
                count = Math.ceil(count / 2);
                continue;
              }
              throw e;
            }
            const block = range.values as Matrix;
            bytesPerRow = Math.max(bytesPerRow, jsonBytes(block) / Math.max(1, block.length));
            for (const r of block) rows.push(r);
            break;
          }
          onProgress?.({ rowsRead: rows.length, totalRows } satisfies ReadProgress);
        }
        // A new table carries one blank placeholder row, and deleted rows leave blanks at the end: not data.
        while (rows.length > 0 && isBlankRow(rows[rows.length - 1] ?? [])) rows.pop();
        return {
          sheet: sheet.name,
          headers,
          rows,
          origin: { row: whole.rowIndex, column: whole.columnIndex },
          bodyRows: totalRows,
        } satisfies TableData;
      }),

    writeRows: (tableName, rows, mode: WriteMode) =>
      run('writeRows', async (b) => {
        const meta = await loadMeta(b, tableName);
        const placeholder = meta.bodyRows === 1 && isBlankRow(meta.firstRow);
        const existing = placeholder ? 0 : meta.bodyRows;
        const start = mode === 'append' ? existing : 0;
        const newBody = start + rows.length;
        await writeBlocks(b, meta, start, rows, () => {
          if (mode === 'replace' && meta.bodyRows > newBody) {
            // Keep formats and validation, drop the old contents below the new last row.
            meta.sheet
              .getRangeByIndexes(meta.top + 1 + newBody, meta.left, meta.bodyRows - newBody, meta.headers.length)
              .clear('Contents');
          }
          // An Excel table keeps at least one body row; resize once instead of rows.add per row.
          meta.table.resize(
            meta.sheet.getRangeByIndexes(meta.top, meta.left, 1 + Math.max(1, newBody), meta.headers.length),
          );
        });
      }),

    updateRows: (tableName, firstRow, rows) =>
      run('updateRows', async (b) => {
        const meta = await loadMeta(b, tableName);
        assertBodyRows(firstRow, rows.length, meta.bodyRows);
        await writeBlocks(b, meta, firstRow, rows);
      }),

    updateColumns: (tableName, firstRow, columns, rows) =>
      run('updateColumns', async (b) => {
        const meta = await loadMeta(b, tableName);
        assertBodyRows(firstRow, rows.length, meta.bodyRows);
        const indexes = columnIndexes(meta, tableName, columns);
        // Adjacent columns go in one block; the ledger layout keeps bookkeeping columns together, so usually one run.
        for (const run of columnRuns(indexes)) {
          const block = rows.map((r) => r.slice(run.from, run.from + run.count));
          await writeBlocks(b, meta, firstRow, block, undefined, run.column, run.count);
        }
      }),

    readFormulas: (tableName, columns) =>
      run('readFormulas', async (b) => {
        const meta = await loadMeta(b, tableName, false);
        const indexes = columnIndexes(meta, tableName, columns);
        const out: Matrix = Array.from({ length: meta.bodyRows }, () => new Array<CellValue>(columns.length).fill(''));
        for (let first = 0; first < meta.bodyRows; first += FORMULA_ROWS_PER_SYNC) {
          const count = Math.min(FORMULA_ROWS_PER_SYNC, meta.bodyRows - first);
          const ranges = indexes.map((c) => {
            const r = meta.sheet.getRangeByIndexes(meta.top + 1 + first, meta.left + c, count, 1);
            r.load('formulasR1C1');
            return r;
          });
          await b.sync(() => ranges.map((r) => r.formulasR1C1));
          ranges.forEach((r, j) =>
            (r.formulasR1C1 as CellValue[][]).forEach((row, i) => ((out[first + i] as CellValue[])[j] = row[0] ?? '')),
          );
        }
        return out;
      }),

    writeFormulas: (tableName, firstRow, columns, rows) =>
      run('writeFormulas', async (b) => {
        const meta = await loadMeta(b, tableName, false);
        assertBodyRows(firstRow, rows.length, meta.bodyRows);
        const indexes = columnIndexes(meta, tableName, columns);
        for (let first = 0; first < rows.length; first += FORMULA_ROWS_PER_SYNC) {
          const chunk = rows.slice(first, first + FORMULA_ROWS_PER_SYNC);
          for (const run of columnRuns(indexes)) {
            const block = chunk.map((r) => r.slice(run.from, run.from + run.count).map((v) => v ?? ''));
            const range = meta.sheet.getRangeByIndexes(
              meta.top + 1 + firstRow + first,
              meta.left + run.column,
              chunk.length,
              run.count,
            );
            range.formulasR1C1 = block;
            b.queued(block);
          }
          await b.sync();
        }
      }),

    readColumnLooks: (tableName, columns) =>
      run('readColumnLooks', async (b) => {
        const meta = await loadMeta(b, tableName, false);
        const cells = columnIndexes(meta, tableName, columns).map((c) => {
          const cell = meta.sheet.getCell(meta.top + 1, meta.left + c);
          cell.load('numberFormat');
          cell.format.load('columnWidth');
          return cell;
        });
        await b.sync();
        return cells.map((cell, j) => ({
          name: columns[j] as string,
          numberFormat: String(cell.numberFormat[0]?.[0] ?? GENERAL_FORMAT),
          width: cell.format.columnWidth,
        }));
      }),

    setColumnLooks: (tableName, looks) =>
      run('setColumnLooks', async (b) => {
        const meta = await loadMeta(b, tableName, false);
        const indexes = columnIndexes(
          meta,
          tableName,
          looks.map((l) => l.name),
        );
        looks.forEach((look, j) => {
          const body = meta.sheet.getRangeByIndexes(
            meta.top + 1,
            meta.left + (indexes[j] as number),
            Math.max(1, meta.bodyRows),
            1,
          );
          if (look.numberFormat !== undefined) body.numberFormat = broadcast(look.numberFormat);
          if (look.width !== undefined) body.format.columnWidth = look.width;
        });
        await b.sync();
      }),

    getSelection: () =>
      run('getSelection', async (b) => {
        const range = b.ctx.workbook.getSelectedRange();
        range.load('rowIndex,rowCount,columnIndex,columnCount');
        const sheet = range.worksheet;
        sheet.load('name');
        await b.sync();
        return {
          sheet: sheet.name,
          rowIndex: range.rowIndex,
          rowCount: range.rowCount,
          columnIndex: range.columnIndex,
          columnCount: range.columnCount,
        };
      }),

    markCells: (tableName, marks) =>
      run('markCells', async (b) => {
        const meta = await loadMeta(b, tableName, false);
        const withNotes = marks.some((m) => m.note !== undefined) && notesSupported();
        const removals: Excel.Note[] = [];
        const pendingNotes: { address: string; text: string }[] = [];
        for (let i = 0; i < marks.length; i += MARKS_PER_SYNC) {
          for (const m of marks.slice(i, i + MARKS_PER_SYNC)) {
            const col = meta.headers.indexOf(m.column);
            if (col < 0) throw new WorkbookError('HEADER_MISMATCH', `Table ${tableName} has no column "${m.column}".`);
            if (m.row < 0 || m.row >= meta.bodyRows)
              throw new WorkbookError('BAD_SHAPE', `Row ${m.row + 1} is outside table ${tableName}.`);
            const cell = meta.sheet.getCell(meta.top + 1 + m.row, meta.left + col);
            if (m.fill === null) cell.format.fill.clear();
            else if (m.fill !== undefined) cell.format.fill.color = m.fill;
            if (withNotes && m.note !== undefined) {
              const address = `${columnLetter(meta.left + col)}${meta.top + 2 + m.row}`;
              const old = meta.sheet.notes.getItemOrNullObject(address);
              old.load('content');
              if (m.note === null) removals.push(old);
              else {
                // Replace rather than add twice: Excel refuses a second note on a cell.
                removals.push(old);
                pendingNotes.push({ address, text: NOTE_PREFIX + m.note });
              }
            }
            b.queued([m.fill ?? null, m.note ?? null]);
          }
          await b.sync();
        }
        if (withNotes) {
          for (const old of removals) if (!old.isNullObject) old.delete();
          for (const n of pendingNotes) meta.sheet.notes.add(n.address, n.text);
          await b.sync();
        }
      }),

    clearFills: (tableName) =>
      run('clearFills', async (b) => {
        b.ctx.workbook.tables.getItem(tableName).getDataBodyRange().format.fill.clear();
        await b.sync();
      }),

    clearMarks: (tableName) =>
      run('clearMarks', async (b) => {
        const meta = await loadMeta(b, tableName, false);
        meta.table.getDataBodyRange().format.fill.clear();
        if (!notesSupported()) {
          await b.sync();
          return;
        }
        const notes = meta.sheet.notes;
        notes.load('items/content');
        await b.sync();
        const ours = notes.items
          .filter((n) => n.content.startsWith(NOTE_PREFIX))
          .map((n) => {
            const at = n.getLocation();
            at.load('rowIndex,columnIndex');
            return { n, at };
          });
        if (ours.length === 0) return;
        await b.sync();
        for (const { n, at } of ours)
          if (
            at.rowIndex > meta.top &&
            at.rowIndex <= meta.top + meta.bodyRows &&
            at.columnIndex >= meta.left &&
            at.columnIndex < meta.left + meta.headers.length
          )
            n.delete();
        await b.sync();
      }),

    selectCell: (tableName, row, column) =>
      run('selectCell', async (b) => {
        const meta = await loadMeta(b, tableName, false);
        const col = meta.headers.indexOf(column);
        if (col < 0) throw new WorkbookError('HEADER_MISMATCH', `Table ${tableName} has no column "${column}".`);
        meta.sheet.activate();
        meta.sheet.getCell(meta.top + 1 + row, meta.left + col).select();
        await b.sync();
      }),

    selectRow: (tableName, row) =>
      run('selectRow', async (b) => {
        const meta = await loadMeta(b, tableName, false);
        if (row < 0 || row >= meta.bodyRows)
          throw new WorkbookError('NOT_FOUND', `Table ${tableName} has no body row ${row + 1}.`);
        meta.sheet.activate();
        meta.sheet.getRangeByIndexes(meta.top + 1 + row, meta.left, 1, meta.headers.length).select();
        await b.sync();
      }),

    writeResultsTable: (spec, rows) =>
      run('writeResultsTable', async (b) => {
        const old = b.ctx.workbook.tables.getItemOrNullObject(spec.table);
        old.load('name');
        await b.sync();
        if (!old.isNullObject) {
          // Results are regenerated, never edited: drop the old table (its columns may differ) with its cells.
          const area = old.getRange();
          old.convertToRange();
          area.clear('All');
        }
        await ensureTableIn(b, spec);
        const meta = await loadMeta(b, spec.table);
        await writeBlocks(b, meta, 0, rows, () => {
          meta.table.resize(
            meta.sheet.getRangeByIndexes(meta.top, meta.left, 1 + Math.max(1, rows.length), meta.headers.length),
          );
        });
      }),

    removeTable: (tableName) =>
      run('removeTable', async (b) => {
        const old = b.ctx.workbook.tables.getItemOrNullObject(tableName);
        old.load('name');
        await b.sync();
        if (old.isNullObject) return;
        const area = old.getRange();
        old.convertToRange();
        area.clear('All');
        await b.sync();
      }),

    setPrintLayout: (sheetName) =>
      run('setPrintLayout', async (b) => {
        const layout = b.ctx.workbook.worksheets.getItem(sheetName).pageLayout;
        layout.orientation = 'Landscape';
        // One page wide, as many tall as needed (0 = automatic), as Excel's "Fit All Columns on One Page" records it.
        layout.zoom = { horizontalFitToPages: 1, verticalFitToPages: 0, scale: null as unknown as number };
        await b.sync();
      }),

    addChart: (spec: ChartSpec) =>
      run('addChart', async (b) => {
        const table = b.ctx.workbook.tables.getItem(spec.table);
        const sheet = table.worksheet;
        const old = sheet.charts.getItemOrNullObject(spec.name);
        old.load('name');
        const whole = table.getRange();
        whole.load('columnIndex,columnCount,rowIndex');
        await b.sync();
        if (!old.isNullObject) old.delete();
        const drop = spec.columns === undefined ? 0 : Math.max(0, whole.columnCount - spec.columns);
        const chart = sheet.charts.add(
          spec.kind === 'column' ? 'ColumnClustered' : 'Line',
          drop === 0 ? table.getRange() : table.getRange().getResizedRange(0, -drop),
          'Columns',
        );
        chart.name = spec.name;
        chart.title.text = spec.title;
        // Beside the table, not over it.
        chart.setPosition(`${columnLetter(whole.columnIndex + whole.columnCount + 1)}${whole.rowIndex + 1}`);
        await b.sync();
      }),
  };
  return adapter;
}
