// Pull's filters (issue #18 part 3): what each ledger's read asks the API for, and the rows a filtered pull takes out
// of the sheet because the server no longer returns them.
import { parsePeriod } from '../../shared/dates';
import { plural } from '../../shared/text';
import type { LedgerName } from '../../shared/ledgers';
import { supportedFilters, type SemanticFilter } from '../../shared/rowFilters';
import type { CellValue, WorkbookAdapter } from '../excel/workbookAdapter';
import { BOOKKEEPING } from './layout';
import { readLedger, type LedgerSheet } from './ledgerSheet';
import { userColumns } from './tableEdits';

export interface PullFilters {
  region?: string;
  salespersonId?: string;
  customerId?: string;
  contractId?: string;
  /** A period label: `2016-11`, `2016-Q4` or `2016`; sent as from/to on each ledger's date. */
  period?: string;
}

/** The Sync status of a row the filter no longer covers that holds edits not yet published: it stays in the sheet. */
export const OUTSIDE_FILTER_STATUS = 'outside the filter, not published yet';

const given = (v: string | undefined): v is string => v !== undefined && v.trim() !== '';

/** The filters as API query parameters, before any ledger: throws on a period that is not one. */
export function filterParams(filters: PullFilters): Partial<Record<SemanticFilter, string>> {
  const out: Partial<Record<SemanticFilter, string>> = {};
  for (const f of ['region', 'salespersonId', 'customerId', 'contractId'] as const) {
    const v = filters[f];
    if (given(v)) out[f] = v.trim();
  }
  if (given(filters.period)) {
    const period = parsePeriod(filters.period.trim());
    out.from = period.from;
    out.to = period.to;
  }
  return out;
}

/**
 * The query for one ledger: the filters it honours (shared/rowFilters.ts). A ledger that honours none of them (the
 * expense policies, say, or customers under a period alone) is read whole, and `filtered` is false.
 */
export function ledgerQuery(
  ledger: LedgerName,
  params: Partial<Record<SemanticFilter, string>>,
): { query: Record<string, string>; filtered: boolean } {
  const supported = supportedFilters(ledger);
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(params) as [SemanticFilter, string][]) if (supported.has(k)) query[k] = v;
  return { query, filtered: Object.keys(query).length > 0 };
}

/**
 * After a filtered read: the sheet's rows the server did not return (their key is not in `returned`) leave the
 * table, unless they hold edits not yet published (their values differ from their Sync hash): those stay, marked
 * with OUTSIDE_FILTER_STATUS. Rows never published (no etag) are the user's new rows and stay as they are. Writes
 * the table once when anything changed and returns it read again, so row positions are current.
 */
export async function dropRowsOutside(
  wb: WorkbookAdapter,
  sheet: LedgerSheet,
  returned: ReadonlySet<string>,
  signal?: AbortSignal,
): Promise<{ sheet: LedgerSheet; removed: number; keptOutside: number }> {
  const drop = new Set<number>();
  const mark = new Set<number>();
  let keptOutside = 0;
  for (const r of sheet.rows) {
    if (r.key === null || r.etag === '' || returned.has(r.key)) continue;
    if (r.hash === r.syncHash) drop.add(r.index);
    else {
      keptOutside++;
      if (r.status !== OUTSIDE_FILTER_STATUS) mark.add(r.index);
    }
  }
  if (drop.size === 0 && mark.size === 0) return { sheet, removed: 0, keptOutside };
  const width = sheet.headers.length;
  const bodyLength = Math.max(0, ...sheet.rows.map((r) => r.index + 1));
  const matrix: CellValue[][] = [];
  for (let i = 0; i < bodyLength; i++) matrix.push(new Array<CellValue>(width).fill(''));
  for (const r of sheet.rows) matrix[r.index] = [...r.cells];
  const status = sheet.col(BOOKKEEPING.status);
  for (const i of mark) if (status >= 0) (matrix[i] as CellValue[])[status] = OUTSIDE_FILTER_STATUS;
  // Taking rows out rewrites the table from values; the user's own columns get their formulas back (R1C1, so each
  // follows its row to its new place).
  const mine = userColumns(sheet);
  const formulas = mine.length > 0 ? await wb.readFormulas(sheet.table, mine) : [];
  const keep = (_: unknown, i: number): boolean => !drop.has(i);
  await wb.writeRows(sheet.table, matrix.filter(keep), 'replace');
  const kept = formulas.filter(keep);
  if (mine.length > 0 && kept.length > 0) await wb.writeFormulas(sheet.table, 0, mine, kept);
  const again = await readLedger(wb, sheet.ledger, undefined, signal, sheet.table);
  if (again === null) throw new Error(`${sheet.table} disappeared while pulling`);
  return { sheet: again, removed: drop.size, keptOutside };
}

/**
 * What a pull did to rows outside its filter, for the pane's message: "2 rows outside the filter removed, 1 row
 * outside the filter kept because it holds unpublished edits"; '' when there were none.
 */
export function outsideFilterText(ledgers: readonly { removed: number; keptOutside: number }[]): string {
  const removed = ledgers.reduce((n, l) => n + l.removed, 0);
  const kept = ledgers.reduce((n, l) => n + l.keptOutside, 0);
  const parts: string[] = [];
  if (removed > 0) parts.push(`${plural(removed, 'row')} outside the filter removed`);
  if (kept > 0)
    parts.push(
      `${plural(kept, 'row')} outside the filter kept because ${kept === 1 ? 'it holds' : 'they hold'} unpublished edits`,
    );
  return parts.join(', ');
}
