// Pure cell rules shared by the Office.js and in-memory workbooks: text that must not be evaluated, payload size, chunking.
import { parseMoney, scaledToCellNumber } from '../../shared/money';
import { TEXT_FORMAT, WorkbookError, type CellValue } from './workbookAdapter';

/**
 * Strings Excel would not store as typed when written through `Range.values`: a leading = + - @ starts a formula,
 * and a leading tab or CR is eaten or trips the same parser. Such strings are written into cells formatted as
 * text ("@"), where Excel stores any string verbatim and `values` returns exactly it.
 * Why "@" and not the apostrophe prefix: both stop evaluation, but "@" also keeps number- and date-like text
 * ("00123", "1-2") as text, stores the cell content byte for byte, and a read returns the same string with nothing
 * to strip. Text columns are formatted "@" as a whole; other columns get "@" on just the risky cells.
 */
export function isFormulaLike(s: string): boolean {
  return /^[=+\-@\t\r]/.test(s);
}

/**
 * Strings Excel would turn into something else when entered into a General cell: formulas (above), numbers and
 * number-like text ("00123", "1e5", "(12)", "$5", "3.50"), dates ("2016-11-08", "8/11") and booleans. Such strings
 * get the text format on their cell so they are stored as the string itself. Word-like text ("Jan 5") can still be
 * read as a date by Excel; it is not guarded here, and the ledger columns that take text are formatted "@" anyway.
 */
export function needsTextFormat(s: string): boolean {
  return isFormulaLike(s) || /^\s*[$€£(]?\s*[\d.]/.test(s) || /^\s*(true|false)\s*$/i.test(s);
}

/** A money string of the API ("1234.50") as the number a money cell holds (1234.5), parsed strictly as money. */
export function moneyCell(wire: string): number {
  return scaledToCellNumber(parseMoney(wire), 2);
}

/**
 * A leading apostrophe is Excel's quote-prefix marker on entry (in text-formatted cells too), so it would be
 * swallowed; doubling it stores the original string. Everything else is written unchanged.
 */
export function toExcelText(s: string): string {
  return s.startsWith("'") ? `'${s}` : s;
}

/** Converts a row of plain values to what goes into `Range.values`: "" for empty (null would mean "leave as is"). */
export function toWriteRow(row: readonly CellValue[], width: number): (string | number | boolean)[] {
  if (row.length > width)
    throw new WorkbookError('BAD_SHAPE', `A row has ${row.length} cells but the table has ${width} columns.`);
  const out: (string | number | boolean)[] = new Array<string | number | boolean>(width);
  for (let c = 0; c < width; c++) {
    const v = row[c];
    if (v === null || v === undefined) out[c] = '';
    else if (typeof v === 'string') out[c] = toExcelText(v);
    else if (typeof v === 'number' && !Number.isFinite(v))
      throw new WorkbookError('BAD_SHAPE', `Cannot write ${v} into a cell.`);
    else out[c] = v;
  }
  return out;
}

/**
 * The per-cell number-format block for a chunk: "@" where a string Excel would convert (needsTextFormat) lands in a column that is not
 * already text, null (= unchanged) elsewhere. Returns null when no cell needs it, so most chunks send no formats.
 */
export function textFormatOverlay(
  rows: readonly (readonly CellValue[])[],
  textColumns: readonly boolean[],
): (string | null)[][] | null {
  let any = false;
  const overlay = rows.map((row) =>
    row.map((v, c) => {
      if (needsOverlay(v, c, textColumns)) {
        any = true;
        return TEXT_FORMAT;
      }
      return null;
    }),
  );
  return any ? overlay : null;
}

/** Whether a cell gets "@" in the overlay: a string Excel would convert, in a column that is not already text. */
export function needsOverlay(v: CellValue | undefined, column: number, textColumns: readonly boolean[]): boolean {
  return typeof v === 'string' && needsTextFormat(v) && textColumns[column] !== true;
}

/** UTF-8 length of a string, counted without Buffer or TextEncoder (the task pane has no Buffer, and no copy is needed). */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** Bytes of a block as JSON: our estimate of what Office.js sends or receives for it. */
export function jsonBytes(value: unknown): number {
  return utf8Length(JSON.stringify(value) ?? '');
}

/** Splits rows into consecutive chunks whose JSON size stays at or below maxBytes (a single huge row is its own chunk). */
export function chunkBySize<T>(
  rows: readonly T[],
  maxBytes: number,
  extraBytes: (row: T) => number = () => 0,
): { start: number; rows: T[]; bytes: number }[] {
  const chunks: { start: number; rows: T[]; bytes: number }[] = [];
  let start = 0;
  let current: T[] = [];
  let bytes = 2;
  rows.forEach((row, i) => {
    const b = jsonBytes(row) + 1 + extraBytes(row);
    if (current.length > 0 && bytes + b > maxBytes) {
      chunks.push({ start, rows: current, bytes });
      start = i;
      current = [];
      bytes = 2;
    }
    current.push(row);
    bytes += b;
  });
  if (current.length > 0) chunks.push({ start, rows: current, bytes });
  return chunks;
}

export { columnLetter } from '../../shared/excel';

/** Which columns are formatted as text, by position. */
export function textColumnMask(formats: readonly (string | undefined)[]): boolean[] {
  return formats.map((f) => f === TEXT_FORMAT);
}

/** A body row with nothing in it: Excel's placeholder row of a new table, or a deleted row left blank. */
export function isBlankRow(row: readonly CellValue[]): boolean {
  return row.every((v) => v === '' || v === null);
}

/** Refuses an update of body rows `firstRow…firstRow + count - 1` that do not all exist. */
export function assertBodyRows(firstRow: number, count: number, bodyRows: number): void {
  if (firstRow < 0 || firstRow + count > bodyRows)
    throw new WorkbookError(
      'BAD_SHAPE',
      `Rows ${firstRow + 1}–${firstRow + count} are outside the table's ${bodyRows} rows.`,
    );
}
