// Conflicts between a locally edited row and the server's version: the cell-by-cell view and resolving it either way.
import type { ReadRow } from '../../shared/api';
import { columns, type LedgerName } from '../../shared/ledgers';
import type { CellMark, CellValue, WorkbookAdapter } from '../excel/workbookAdapter';
import { approvalText, writeBookkeeping } from './bookkeeping';
import { rowToWire, wireToCells, type WireRow } from './convert';
import { rowHash } from './hash';
import { readLedger, type LedgerSheet } from './ledgerSheet';
import { baseText, mergeRow, withTaken, type MergedCell } from './merge';

export const CONFLICT_FILL = '#F8CBAD';

export interface ConflictCell {
  field: string;
  column: string;
  mine: CellValue;
  theirs: CellValue;
}

export interface Conflict {
  ledger: LedgerName;
  table: string;
  key: string;
  /** 0-based body row when the conflict was found (resolving looks the key up again). */
  row: number;
  address: string;
  /** The cells changed on both sides: the user picks mine or theirs for each. */
  cells: ConflictCell[];
  /** Cells changed only on the server, taken into the row when the conflict was found. */
  taken: ConflictCell[];
  theirs: ReadRow;
}

/** Fields whose values differ between a local wire row and a server row. */
export function differingFields(ledger: LedgerName, mine: WireRow, theirs: Record<string, unknown>): string[] {
  return mergeRow(ledger, undefined, mine, theirs).cells.map((c) => c.field);
}

/**
 * The conflict of a row both sides changed: the cells changed on both sides (to different values) are its cells; with
 * the row's base version, cells changed only on the server are in `taken` (the caller writes them into the row) and
 * cells changed only here are left alone.
 */
export function buildConflict(
  sheet: LedgerSheet,
  rowIndex: number,
  key: string,
  mine: WireRow,
  theirs: ReadRow,
  base?: Record<string, unknown>,
): Conflict {
  const cols = columns(sheet.ledger);
  const merge = mergeRow(sheet.ledger, base, mine, theirs);
  const strip = (c: MergedCell): ConflictCell => ({ field: c.field, column: c.column, mine: c.mine, theirs: c.theirs });
  const cells = merge.conflicts.map(strip);
  const first = cells[0]?.column ?? sheet.header(cols[0]?.field ?? '');
  return {
    ledger: sheet.ledger,
    table: sheet.table,
    key,
    row: rowIndex,
    address: sheet.address(rowIndex, first),
    cells,
    taken: merge.taken.map(strip),
    theirs,
  };
}

export function conflictMarks(c: Conflict): CellMark[] {
  return c.cells.map((cell) => ({
    row: c.row,
    column: cell.column,
    fill: CONFLICT_FILL,
    note: `Conflict. Mine: ${String(cell.mine)} · Theirs (server): ${String(cell.theirs)}`,
  }));
}

export const CONFLICT_STATUS = 'conflict: the server changed this row too; choose mine or theirs';

/** The cells and wire row a server row becomes in the sheet, and the hash that marks it as in sync. */
export function serverRowCells(ledger: LedgerName, row: Record<string, unknown>): { cells: CellValue[]; hash: string } {
  const cells = wireToCells(ledger, row);
  const { wire } = rowToWire(
    ledger,
    cells,
    cells.map((_, i) => i),
  );
  return { cells, hash: rowHash(wire) };
}

function approvalCells(theirs: ReadRow): { approval: string; approvedBy: string } {
  return { approval: approvalText(theirs.approval), approvedBy: theirs.approval.approvedBy ?? '' };
}

/** A choice for the whole conflict, or one per cell (field → mine/theirs) covering every cell of the conflict. */
export type ConflictChoice = 'mine' | 'theirs' | Readonly<Record<string, 'mine' | 'theirs'>>;

export const KEPT_MINE_STATUS = 'edited: keeps mine; publish to overwrite the server';
export const MERGED_STATUS = "edited: merged with the server's version; publish to send";

/**
 * Resolves one conflict, per cell or for all its cells at once. The cells picked as theirs get the server's values;
 * the row then adopts the server's version as its base: its etag, the hash of its values (Sync hash), its Base version
 * and its approval, so the etag never stands beside a base it does not name. When the row now equals the server's
 * version it is in sync ("pulled: took theirs"); otherwise its cells differ from that base, so the next publish sends
 * them with the server's etag (overwriting the server's version of the cells kept as mine, knowingly) and "Approve
 * selected rows" refuses the row until then.
 */
export async function resolveConflict(wb: WorkbookAdapter, conflict: Conflict, choice: ConflictChoice): Promise<void> {
  const pick = (field: string): 'mine' | 'theirs' => {
    const p = typeof choice === 'string' ? choice : choice[field];
    if (p === undefined) throw new Error(`Choose mine or theirs for every cell of ${conflict.key} first.`);
    return p;
  };
  const picks = conflict.cells.map((c) => ({ cell: c, pick: pick(c.field) }));
  const sheet = await readLedger(wb, conflict.ledger);
  const row = sheet?.rows.find((r) => r.key === conflict.key);
  if (sheet === null || row === undefined)
    throw new Error(`Row ${conflict.key} is no longer in ${conflict.table}; pull again.`);
  const clear: CellMark[] = conflict.cells.map((c) => ({ row: row.index, column: c.column, fill: null, note: null }));
  const { hash } = serverRowCells(conflict.ledger, conflict.theirs);
  const theirs = picks.filter((p) => p.pick === 'theirs').map((p) => p.cell);
  // Only the ledger cells taken from the server are written: the user's own columns of the row stay as they are.
  if (theirs.length > 0)
    await wb.updateColumns(
      sheet.table,
      row.index,
      theirs.map((c) => c.column),
      [theirs.map((c) => c.theirs)],
    );
  const inSync = withTaken(conflict.ledger, sheet, row.cells, theirs).hash === hash;
  const status = inSync ? 'pulled: took theirs' : theirs.length === 0 ? KEPT_MINE_STATUS : MERGED_STATUS;
  await writeBookkeeping(
    wb,
    sheet,
    new Map([
      [
        row.index,
        {
          etag: conflict.theirs.etag,
          syncHash: hash,
          base: baseText(conflict.ledger, conflict.theirs),
          status,
          ...approvalCells(conflict.theirs),
        },
      ],
    ]),
  );
  await wb.markCells(sheet.table, clear);
}
