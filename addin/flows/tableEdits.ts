// Changes to a ledger table written back in place: only the ledger's own cells of the rows that changed, and new rows
// appended, so the user's own columns (formulas, formats, widths) are never rewritten from their values.
import { columns } from '../../shared/ledgers';
import type { CellValue, WorkbookAdapter } from '../excel/workbookAdapter';
import { BASE_COLUMN, BOOKKEEPING_HEADERS } from './layout';
import type { LedgerSheet } from './ledgerSheet';

/** Headers of the ledger's fields and bookkeeping (Base version included): the columns the add-in writes. */
export function ledgerHeaders(sheet: LedgerSheet): string[] {
  return [...columns(sheet.ledger).map((c) => c.header), ...BOOKKEEPING_HEADERS, BASE_COLUMN.name];
}

/** The table's other columns: the user's own, in table order. */
export function userColumns(sheet: LedgerSheet): string[] {
  const ours = new Set(ledgerHeaders(sheet));
  return sheet.headers.filter((h) => !ours.has(h));
}

/**
 * The formula a user column gives a new row: the R1C1 formula every existing row of the column shares (Excel's
 * calculated column), or null when the column holds constants or differing formulas (then new rows leave it empty).
 */
export function sharedFormula(column: readonly CellValue[]): string | null {
  const first = column[0];
  if (typeof first !== 'string' || !first.startsWith('=')) return null;
  return column.every((f) => f === first) ? first : null;
}

export class TableEdits {
  private readonly current: CellValue[][];
  private readonly changed = new Set<number>();
  readonly added: CellValue[][] = [];

  constructor(private readonly sheet: LedgerSheet) {
    this.current = sheet.body.map((r) => [...r]);
  }

  /** A body row to change in place; what is set on it is written by `write`. */
  row(index: number): CellValue[] {
    this.changed.add(index);
    return this.current[index] as CellValue[];
  }

  /** A new row (as wide as the table, empty) appended after the last body row by `write`. */
  append(): CellValue[] {
    const r = new Array<CellValue>(this.sheet.headers.length).fill('');
    this.added.push(r);
    return r;
  }

  get dirty(): boolean {
    return this.changed.size > 0 || this.added.length > 0;
  }

  /**
   * Writes the ledger's columns of the span of changed rows in one call (rows in between with their current cells),
   * then appends the new rows; a user column whose rows share one formula gets it in the new rows too.
   */
  async write(wb: WorkbookAdapter): Promise<void> {
    const { sheet } = this;
    const headers = ledgerHeaders(sheet)
      .filter((h) => sheet.col(h) >= 0)
      .sort((a, b) => sheet.col(a) - sheet.col(b));
    if (this.changed.size > 0) {
      const first = Math.min(...this.changed);
      const last = Math.max(...this.changed);
      const block = this.current.slice(first, last + 1).map((r) => headers.map((h) => r[sheet.col(h)] ?? ''));
      await wb.updateColumns(sheet.table, first, headers, block);
    }
    if (this.added.length === 0) return;
    const mine = userColumns(sheet);
    const dataRows = sheet.rows.map((r) => r.index);
    let formulas: (string | null)[] = mine.map((): string | null => null);
    if (mine.length > 0 && dataRows.length > 0) {
      const read = await wb.readFormulas(sheet.table, mine);
      formulas = mine.map((_, j) => sharedFormula(dataRows.map((i) => read[i]?.[j] ?? '')));
    }
    await wb.writeRows(sheet.table, this.added, 'append');
    // Where writeRows appends: after every body row, or over the single blank row of an empty table.
    const start = sheet.body.length === 0 && sheet.bodyRows <= 1 ? 0 : sheet.bodyRows;
    const withFormula = mine.flatMap((name, j) => {
      const formula = formulas[j];
      return formula !== null && formula !== undefined ? [{ name, formula }] : [];
    });
    if (withFormula.length > 0)
      await wb.writeFormulas(
        sheet.table,
        start,
        withFormula.map((c) => c.name),
        this.added.map(() => withFormula.map((c) => c.formula)),
      );
  }
}
