// Exact conversion between Excel cells and wire rows: dates from serials, money from cell numbers, text stays text.
import { fromExcelSerial, isIsoDate, toExcelSerial } from '../../shared/dates';
import { DomainError } from '../../shared/errors';
import type { Column, FieldError, LedgerName } from '../../shared/ledgers';
import { columns } from '../../shared/ledgers';
import {
  formatMoney,
  formatRate,
  formatUnitPrice,
  parseMoney,
  parseScaled,
  scaledFromCellNumber,
  scaledToCellNumber,
} from '../../shared/money';
import type { CellValue } from '../excel/workbookAdapter';

export type WireValue = string | number | boolean;
export type WireRow = Record<string, WireValue>;

const SCALE: Partial<Record<Column['kind'], number>> = { money: 2, unitPrice: 4, rate: 4 };
const FORMAT: Partial<Record<Column['kind'], (scaled: number) => string>> = {
  money: formatMoney,
  unitPrice: formatUnitPrice,
  rate: formatRate,
};

function isEmpty(v: CellValue | undefined): boolean {
  return v === undefined || v === null || v === '';
}

/**
 * Excel's error values as `Range.values` returns them. A cell showing one holds a failed formula (or a pasted error);
 * its text is never data. A cell that holds this exact text typed as text is refused too: it cannot be told apart.
 */
export const EXCEL_ERRORS: readonly string[] = [
  '#NULL!',
  '#DIV/0!',
  '#VALUE!',
  '#REF!',
  '#NAME?',
  '#NUM!',
  '#N/A',
  '#GETTING_DATA',
  '#SPILL!',
  '#CALC!',
  '#FIELD!',
  '#BLOCKED!',
  '#CONNECT!',
  '#BUSY!',
  '#UNKNOWN!',
];

export function isExcelError(v: CellValue | undefined): boolean {
  return typeof v === 'string' && EXCEL_ERRORS.includes(v.trim().toUpperCase());
}

/** Cell rules that the shared schemas cannot see, because they are about how Excel stores what was typed. */
function cellProblem(col: Column, v: WireValue): string | undefined {
  if (isExcelError(v)) return `holds the Excel error ${String(v).trim()}: fix the formula or the value in the cell`;
  if (col.kind === 'int' && typeof v === 'string')
    return `holds the text ${JSON.stringify(v)}, not a number: enter it as a number`;
  if (col.kind === 'int' && typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v))
    return `${v} is too large`;
  if (col.kind === 'id' && typeof v === 'number' && !(Number.isSafeInteger(v) && v >= 0))
    return `holds the number ${v}, which is not an exact id: format the column as text and type the id again`;
  if (col.kind === 'id' && typeof v === 'string' && v !== v.trim())
    return `${JSON.stringify(v)} has leading or trailing spaces`;
  return undefined;
}

/**
 * One cell to its wire value, or an error. A value of the wrong type is passed through unchanged so that parseRow,
 * the one place the field rules live, words the message; only what Excel alone can get wrong is refused here
 * (a date serial with a time, a number with more decimals than the field allows).
 */
export function cellToWire(col: Column, cell: CellValue): { value?: WireValue; error?: string } {
  if (isEmpty(cell)) return {};
  const v = cell as WireValue;
  const problem = cellProblem(col, v);
  if (problem !== undefined) return { error: problem };
  try {
    switch (col.kind) {
      case 'money':
      case 'unitPrice':
      case 'rate': {
        if (typeof v !== 'number') return { value: v };
        const scale = SCALE[col.kind] as number;
        return { value: (FORMAT[col.kind] as (n: number) => string)(scaledFromCellNumber(v, scale, 'value')) };
      }
      case 'date':
        return { value: typeof v === 'number' ? fromExcelSerial(v) : v };
      case 'bool':
        // A text-formatted cell keeps TRUE/FALSE as text; that is still unambiguous. "yes", 1 and the like are not.
        return {
          value: typeof v === 'string' && /^\s*(true|false)\s*$/i.test(v) ? v.trim().toUpperCase() === 'TRUE' : v,
        };
      case 'id':
      case 'text':
      case 'currency':
      case 'enum':
        // A number typed into a text column is meant as its digits ("00123" survives only as text, see cells.ts).
        return { value: typeof v === 'number' ? String(v) : v };
      default:
        return { value: v };
    }
  } catch (e) {
    if (e instanceof DomainError) return { error: e.message };
    throw e;
  }
}

/** A wire value to the cell Excel should hold: money and prices as numbers, dates as serials, the rest unchanged. */
export function wireToCell(col: Column, value: unknown): CellValue {
  if (value === undefined || value === null || value === '') return '';
  if ((col.kind === 'money' || col.kind === 'unitPrice' || col.kind === 'rate') && typeof value !== 'boolean') {
    const scale = SCALE[col.kind] as number;
    const scaled = col.kind === 'money' ? parseMoney(value) : parseScaled(value, scale);
    return scaledToCellNumber(scaled, scale);
  }
  if (col.kind === 'date' && isIsoDate(value)) return toExcelSerial(value);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

export interface ConvertedRow {
  wire: WireRow;
  errors: FieldError[];
}

/** A table row to a wire row, by header; `indexes[i]` is the position of columns(ledger)[i] in the row, or -1. */
export function rowToWire(ledger: LedgerName, row: readonly CellValue[], indexes: readonly number[]): ConvertedRow {
  const wire: WireRow = {};
  const errors: FieldError[] = [];
  columns(ledger).forEach((col, i) => {
    const at = indexes[i] ?? -1;
    if (at < 0) return;
    const { value, error } = cellToWire(col, row[at] ?? '');
    if (error !== undefined) errors.push({ field: col.field, message: error });
    if (value !== undefined) wire[col.field] = value;
  });
  return { wire, errors };
}

/** The cells of a wire row in columns(ledger) order. */
export function wireToCells(ledger: LedgerName, wire: Record<string, unknown>): CellValue[] {
  return columns(ledger).map((col) => wireToCell(col, wire[col.field]));
}
