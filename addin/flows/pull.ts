// "Pull": server rows into the tables (paged, filtered by the API), keeping unpublished local edits and surfacing
// conflicts; rows a filtered pull no longer gets leave the sheet unless they hold unpublished edits (pullFilters.ts).
import type { ReadRow } from '../../shared/api';
import { columns, keyOf, LEDGERS, type LedgerName } from '../../shared/ledgers';
import type { CellMark, CellValue, WorkbookAdapter } from '../excel/workbookAdapter';
import type { LedgerApiClient } from './apiClient';
import {
  buildConflict,
  conflictMarks,
  CONFLICT_STATUS,
  differingFields,
  MERGED_STATUS,
  serverRowCells,
  type Conflict,
} from './conflicts';
import { approvalText } from './bookkeeping';
import { BASE_COLUMN, BOOKKEEPING } from './layout';
import { readLedger } from './ledgerSheet';
import { baseText, mergeRow, parseBase } from './merge';
import { throwIfCancelled, type ProgressFn } from './progress';
import { dropRowsOutside, filterParams, ledgerQuery, type PullFilters } from './pullFilters';
import { TableEdits } from './tableEdits';

export type { PullFilters } from './pullFilters';

export interface PullOptions {
  filters?: PullFilters;
  ledgers?: readonly LedgerName[];
  onProgress?: ProgressFn;
  signal?: AbortSignal;
  pageSize?: number;
}

export interface LedgerPullCounts {
  ledger: LedgerName;
  received: number;
  added: number;
  updated: number;
  keptLocal: number;
  /** Rows edited here and on the server in different cells: merged, to be published. */
  merged: number;
  conflicts: number;
  /** Rows taken out of the sheet: the pull's filter no longer covers them (the API did not return them). */
  removed: number;
  /** Rows the filter no longer covers that stay because they hold unpublished edits (marked in Sync status). */
  keptOutside: number;
}

export interface PullResult {
  ledgers: LedgerPullCounts[];
  conflicts: Conflict[];
  cancelled: boolean;
}

async function fetchAll(
  api: LedgerApiClient,
  ledger: LedgerName,
  query: Record<string, string>,
  pageSize: number,
  signal: AbortSignal | undefined,
  onPage: (n: number) => void,
): Promise<ReadRow[]> {
  const rows: ReadRow[] = [];
  let token: string | null = null;
  do {
    throwIfCancelled(signal);
    const page = await api.getRows(ledger, {
      ...query,
      pageSize: String(pageSize),
      ...(token !== null ? { continuationToken: token } : {}),
    });
    rows.push(...page.rows);
    token = page.continuationToken;
    onPage(rows.length);
  } while (token !== null);
  return rows;
}

export async function pull(wb: WorkbookAdapter, api: LedgerApiClient, options: PullOptions = {}): Promise<PullResult> {
  // A period that is not one is refused here, before anything is read.
  const params = filterParams(options.filters ?? {});
  const pageSize = options.pageSize ?? 5_000;
  const results: LedgerPullCounts[] = [];
  const conflicts: Conflict[] = [];

  try {
    for (const def of LEDGERS) {
      if (options.ledgers !== undefined && !options.ledgers.includes(def.name)) continue;
      let sheet = await readLedger(wb, def.name, undefined, options.signal);
      if (sheet === null) continue;
      // The API filters (children by their contract, dates by each ledger's own): only matching rows come down.
      const { query, filtered } = ledgerQuery(def.name, params);
      const server = await fetchAll(api, def.name, query, pageSize, options.signal, (n) =>
        options.onProgress?.({ phase: `Pulling ${def.title}`, done: n, total: n }),
      );
      // Storage returns rows in partition order; new rows land in key order, line numbers numerically.
      server.sort((a, b) => keyOf(def.name, a).localeCompare(keyOf(def.name, b), 'en', { numeric: true }));
      let removed = 0;
      let keptOutside = 0;
      if (filtered) {
        const returned = new Set(server.map((r) => keyOf(def.name, r)));
        ({ sheet, removed, keptOutside } = await dropRowsOutside(wb, sheet, returned, options.signal));
      }

      const counts: LedgerPullCounts = {
        ledger: def.name,
        received: server.length,
        added: 0,
        updated: 0,
        keptLocal: 0,
        merged: 0,
        conflicts: 0,
        removed,
        keptOutside,
      };
      const local = new Map(sheet.rows.flatMap((r) => (r.key === null ? [] : [[r.key, r]])));
      // Rows change in place and new rows are appended: only the ledger's own cells are written, so the user's
      // columns (formulas, formats, widths) stay as they are (tableEdits.ts).
      const edits = new TableEdits(sheet);
      const cols = columns(def.name);
      const setBk = (target: CellValue[], header: string, value: string): void => {
        const at = sheet.col(header);
        if (at >= 0) target[at] = value;
      };
      /** The approval cells of the server's version. */
      const putApproval = (target: CellValue[], server: ReadRow): void => {
        setBk(target, BOOKKEEPING.approval, approvalText(server.approval));
        setBk(target, BOOKKEEPING.approvedBy, server.approval.approvedBy ?? '');
      };
      const put = (target: CellValue[], server: ReadRow): void => {
        const { cells, hash } = serverRowCells(def.name, server);
        cols.forEach((c, i) => {
          const at = sheet.col(c.header);
          if (at >= 0) target[at] = cells[i] ?? '';
        });
        setBk(target, BOOKKEEPING.etag, server.etag);
        setBk(target, BOOKKEEPING.hash, hash);
        setBk(target, BOOKKEEPING.status, 'pulled');
        putApproval(target, server);
        setBk(target, BASE_COLUMN.name, baseText(def.name, server));
      };
      /** Only the approval cells: for rows whose etag (and so the version they show) stays as it is. */
      const approvalMoved = (current: readonly CellValue[], server: ReadRow): boolean =>
        current[sheet.col(BOOKKEEPING.approval)] !== approvalText(server.approval) ||
        current[sheet.col(BOOKKEEPING.approvedBy)] !== (server.approval.approvedBy ?? '');
      const setApproval = (index: number, server: ReadRow): void => {
        if (!approvalMoved(sheet.body[index] ?? [], server)) return;
        putApproval(edits.row(index), server);
      };
      const marks: CellMark[] = [];
      for (const s of server) {
        const key = keyOf(def.name, s);
        const mine = local.get(key);
        if (mine === undefined) {
          put(edits.append(), s);
          counts.added++;
          continue;
        }
        const editedLocally = mine.hash !== mine.syncHash;
        const serverChanged = s.etag !== mine.etag;
        if (!editedLocally) {
          if (serverChanged || differingFields(def.name, mine.wire, s).length > 0) {
            put(edits.row(mine.index), s);
            counts.updated++;
          } else {
            setApproval(mine.index, s);
            // A row pulled before base versions were kept gets its base now.
            if (sheet.col(BASE_COLUMN.name) >= 0 && mine.base === '')
              setBk(edits.row(mine.index), BASE_COLUMN.name, baseText(def.name, s));
          }
          continue;
        }
        if (!serverChanged) {
          counts.keptLocal++; // an unpublished edit on an unchanged server row: publish will send it
          setApproval(mine.index, s);
          continue;
        }
        const serverHash = serverRowCells(def.name, s).hash;
        if (serverHash === mine.syncHash) {
          // The server's values are still those the row was last in sync with (its Sync hash): only the approval
          // moved on (approved or rejected, which gives a new etag). The new etag names exactly those base values,
          // so the row adopts it with the approval, keeps its unpublished edits, and publish sends them knowingly.
          const target = edits.row(mine.index);
          setBk(target, BOOKKEEPING.etag, s.etag);
          putApproval(target, s);
          counts.keptLocal++;
          continue;
        }
        const merge = mergeRow(def.name, parseBase(mine.base), mine.wire, s);
        if (merge.cells.length === 0 || merge.cells.every((c) => c.outcome === 'theirs')) {
          // Both sides made the same change, or only the server changed what differs: the row becomes the server's.
          put(edits.row(mine.index), s);
          counts.updated++;
          continue;
        }
        // Cells changed only on the server are taken now; cells changed only here stay.
        const target = edits.row(mine.index);
        for (const c of merge.taken) target[sheet.col(c.column)] = c.theirs;
        if (merge.conflicts.length === 0) {
          // A merge: the row now stands on the server's version (etag, hash, base) with my changes on top, and
          // publish sends it with that etag.
          setBk(target, BOOKKEEPING.etag, s.etag);
          setBk(target, BOOKKEEPING.hash, serverHash);
          setBk(target, BASE_COLUMN.name, baseText(def.name, s));
          putApproval(target, s);
          setBk(target, BOOKKEEPING.status, MERGED_STATUS);
          counts.merged++;
          continue;
        }
        const c = buildConflict(sheet, mine.index, key, mine.wire, s, parseBase(mine.base));
        conflicts.push(c);
        marks.push(...conflictMarks(c));
        setBk(target, BOOKKEEPING.status, CONFLICT_STATUS);
        counts.conflicts++;
      }
      if (edits.dirty) await edits.write(wb);
      if (marks.length > 0) await wb.markCells(sheet.table, marks);
      results.push(counts);
    }
  } catch (e) {
    if (e instanceof Error && e.name === 'CancelledError') return { ledgers: results, conflicts, cancelled: true };
    throw e;
  }
  return { ledgers: results, conflicts, cancelled: false };
}
