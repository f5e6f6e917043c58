// The three-way merge of a row, cell by cell: the base version (what the server had when the row was last pulled or
// published), mine (the sheet) and theirs (the server now).
import { columns, parseRow, toWire, type LedgerName } from '../../shared/ledgers';
import type { CellValue } from '../excel/workbookAdapter';
import { rowToWire, wireToCell, type WireRow } from './convert';
import { rowHash } from './hash';

/** Fields the server fills in when a client leaves them empty (configuration and contract terms): not a difference. */
export const SERVER_FILLED: Partial<Record<LedgerName, readonly string[]>> = {
  contracts: ['currency'],
  invoices: ['dueOn'],
};

/** The row in canonical wire form (defaults applied, decimals normalised) when it parses; as given otherwise. */
export function canonical(ledger: LedgerName, wire: Record<string, unknown>): Record<string, unknown> {
  const parsed = parseRow(ledger, wire);
  return parsed.ok ? toWire(ledger, parsed.record) : wire;
}

/** The Base version cell for a row's values: the ledger's fields in canonical form, as JSON. */
export function baseText(ledger: LedgerName, wire: Record<string, unknown>): string {
  const c = canonical(ledger, wire);
  const out: Record<string, unknown> = {};
  for (const col of columns(ledger)) if (c[col.field] !== undefined) out[col.field] = c[col.field];
  return JSON.stringify(out);
}

/** The base values from a Base version cell, or undefined when the cell is empty or not what baseText wrote. */
export function parseBase(text: string): Record<string, unknown> | undefined {
  if (text.trim() === '') return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What happens to one field: `mine` (changed only here: stays), `theirs` (changed only on the server: taken),
 * `conflict` (changed on both sides to different values, or no base to tell).
 */
export type MergeOutcome = 'mine' | 'theirs' | 'conflict';

export interface MergedCell {
  field: string;
  /** The field's header. */
  column: string;
  outcome: MergeOutcome;
  mine: CellValue;
  theirs: CellValue;
}

export interface RowMerge {
  /** Fields that differ between mine and theirs, with what the merge does with each. */
  cells: MergedCell[];
  /** The cells taken from the server. */
  taken: MergedCell[];
  /** The cells both sides changed: the user picks. */
  conflicts: MergedCell[];
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Merges a row three ways per field. Without a base (a row set up before base versions were kept, or a table
 * without the Base version column) every differing field is a conflict, as nothing tells which side changed it.
 */
export function mergeRow(
  ledger: LedgerName,
  base: Record<string, unknown> | undefined,
  mine: WireRow,
  theirs: Record<string, unknown>,
): RowMerge {
  const a = canonical(ledger, mine);
  const t = canonical(ledger, theirs);
  const b = base === undefined ? undefined : canonical(ledger, base);
  const filled = SERVER_FILLED[ledger] ?? [];
  const cells: MergedCell[] = [];
  for (const col of columns(ledger)) {
    const f = col.field;
    if (a[f] === undefined && filled.includes(f)) continue;
    if (same(a[f], t[f])) continue;
    let outcome: MergeOutcome = 'conflict';
    if (b !== undefined && same(a[f], b[f])) outcome = 'theirs';
    else if (b !== undefined && same(t[f], b[f])) outcome = 'mine';
    cells.push({
      field: f,
      column: col.header,
      outcome,
      mine: wireToCell(col, mine[f]),
      theirs: wireToCell(col, theirs[f]),
    });
  }
  return {
    cells,
    taken: cells.filter((c) => c.outcome === 'theirs'),
    conflicts: cells.filter((c) => c.outcome === 'conflict'),
  };
}

/** A row's cells with the merge's taken cells put in, and the wire row and hash they make (as readLedger reads them). */
export function withTaken(
  ledger: LedgerName,
  sheet: { col(header: string): number },
  cells: readonly CellValue[],
  taken: readonly { column: string; theirs: CellValue }[],
): { cells: CellValue[]; wire: WireRow; hash: string } {
  const out = [...cells];
  for (const c of taken) out[sheet.col(c.column)] = c.theirs;
  const { wire } = rowToWire(
    ledger,
    out,
    columns(ledger).map((c) => sheet.col(c.header)),
  );
  return { cells: out, wire, hash: rowHash(wire) };
}
