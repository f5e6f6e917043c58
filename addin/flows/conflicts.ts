// Conflicts between a locally edited row and the server's version: the cell-by-cell view and resolving it either way.
import type { ReadRow } from '../../shared/api';
import { columns, parseRow, toWire, type LedgerName } from '../../shared/ledgers';
import type { CellMark, CellValue, WorkbookAdapter } from '../excel/workbookAdapter';
import { approvalText, writeBookkeeping } from './bookkeeping';
import { rowToWire, wireToCell, wireToCells, type WireRow } from './convert';
import { rowHash } from './hash';
import { readLedger, type LedgerSheet } from './ledgerSheet';

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
  cells: ConflictCell[];
  theirs: ReadRow;
}

/** Fields the server fills in when a client leaves them empty (configuration and contract terms): not a difference. */
const SERVER_FILLED: Partial<Record<LedgerName, readonly string[]>> = {
  contracts: ['currency'],
  invoices: ['dueOn'],
};

/** The row in canonical wire form (defaults applied, decimals normalised) when it parses; as given otherwise. */
function canonical(ledger: LedgerName, wire: Record<string, unknown>): Record<string, unknown> {
  const parsed = parseRow(ledger, wire);
  return parsed.ok ? toWire(ledger, parsed.record) : wire;
}

/** Fields whose values differ between a local wire row and a server row. */
export function differingFields(ledger: LedgerName, mine: WireRow, theirs: Record<string, unknown>): string[] {
  const a = canonical(ledger, mine);
  const b = canonical(ledger, theirs);
  const filled = SERVER_FILLED[ledger] ?? [];
  return columns(ledger)
    .map((c) => c.field)
    .filter((f) => {
      if (a[f] === undefined && filled.includes(f)) return false;
      return JSON.stringify(a[f] ?? null) !== JSON.stringify(b[f] ?? null);
    });
}

export function buildConflict(
  sheet: LedgerSheet,
  rowIndex: number,
  key: string,
  mine: WireRow,
  theirs: ReadRow,
): Conflict {
  const cols = columns(sheet.ledger);
  const fields = differingFields(sheet.ledger, mine, theirs);
  const cells = fields.map((field) => {
    const col = cols.find((c) => c.field === field);
    const header = col?.header ?? field;
    return {
      field,
      column: header,
      mine: col !== undefined ? wireToCell(col, mine[field]) : '',
      theirs: col !== undefined ? wireToCell(col, theirs[field]) : '',
    };
  });
  const first = cells[0]?.column ?? sheet.header(cols[0]?.field ?? '');
  return {
    ledger: sheet.ledger,
    table: sheet.table,
    key,
    row: rowIndex,
    address: sheet.address(rowIndex, first),
    cells,
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

/**
 * Resolves one conflict. `mine` keeps the local values and adopts the server's version as the row's base: its etag
 * together with the hash of its values (Sync hash) and its approval, so the etag never stands beside a base it does
 * not name; the cells still differ from that base, so the next publish overwrites the server's version knowingly and
 * "Approve selected rows" refuses the row until then (the sheet does not show the version the etag names).
 * `theirs` writes the server's values, etag and approval into the row.
 */
export async function resolveConflict(
  wb: WorkbookAdapter,
  conflict: Conflict,
  choice: 'mine' | 'theirs',
): Promise<void> {
  const sheet = await readLedger(wb, conflict.ledger);
  const row = sheet?.rows.find((r) => r.key === conflict.key);
  if (sheet === null || row === undefined)
    throw new Error(`Row ${conflict.key} is no longer in ${conflict.table}; pull again.`);
  const clear: CellMark[] = conflict.cells.map((c) => ({ row: row.index, column: c.column, fill: null, note: null }));
  const { cells, hash } = serverRowCells(conflict.ledger, conflict.theirs);
  if (choice === 'mine') {
    await writeBookkeeping(
      wb,
      sheet,
      new Map([
        [
          row.index,
          {
            etag: conflict.theirs.etag,
            syncHash: hash,
            status: 'edited: keeps mine; publish to overwrite the server',
            ...approvalCells(conflict.theirs),
          },
        ],
      ]),
    );
  } else {
    const full = [...row.cells];
    columns(conflict.ledger).forEach((col, i) => {
      const at = sheet.col(col.header);
      if (at >= 0) full[at] = cells[i] ?? '';
    });
    await wb.updateRows(sheet.table, row.index, [full]);
    await writeBookkeeping(
      wb,
      sheet,
      new Map([
        [
          row.index,
          {
            etag: conflict.theirs.etag,
            syncHash: hash,
            status: 'pulled: took theirs',
            ...approvalCells(conflict.theirs),
          },
        ],
      ]),
    );
  }
  await wb.markCells(sheet.table, clear);
}
