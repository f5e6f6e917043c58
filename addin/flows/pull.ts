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
  serverRowCells,
  type Conflict,
} from './conflicts';
import { approvalText } from './bookkeeping';
import { BOOKKEEPING } from './layout';
import { readLedger } from './ledgerSheet';
import { throwIfCancelled, type ProgressFn } from './progress';
import { dropRowsOutside, filterParams, ledgerQuery, type PullFilters } from './pullFilters';

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
        conflicts: 0,
        removed,
        keptOutside,
      };
      const local = new Map(sheet.rows.flatMap((r) => (r.key === null ? [] : [[r.key, r]])));
      // The whole table is rebuilt in memory and written once: one block write however many rows changed.
      const matrix: CellValue[][] = [];
      const width = sheet.headers.length;
      const bodyLength = Math.max(0, ...sheet.rows.map((r) => r.index + 1));
      for (let i = 0; i < bodyLength; i++) matrix.push(new Array<CellValue>(width).fill(''));
      for (const r of sheet.rows) matrix[r.index] = [...r.cells];
      const cols = columns(def.name);
      const put = (rowIndex: number, server: ReadRow): void => {
        const { cells, hash } = serverRowCells(def.name, server);
        const target = matrix[rowIndex] as CellValue[];
        cols.forEach((c, i) => {
          const at = sheet.col(c.header);
          if (at >= 0) target[at] = cells[i] ?? '';
        });
        setBk(target, BOOKKEEPING.etag, server.etag);
        setBk(target, BOOKKEEPING.hash, hash);
        setBk(target, BOOKKEEPING.status, 'pulled');
        setBk(target, BOOKKEEPING.approval, approvalText(server.approval));
        setBk(target, BOOKKEEPING.approvedBy, server.approval.approvedBy ?? '');
      };
      /** Only the approval cells: for rows whose etag (and so the version they show) stays as it is. */
      const setApproval = (target: CellValue[], server: ReadRow): boolean => {
        const text = approvalText(server.approval);
        const by = server.approval.approvedBy ?? '';
        if (target[sheet.col(BOOKKEEPING.approval)] === text && target[sheet.col(BOOKKEEPING.approvedBy)] === by)
          return false;
        setBk(target, BOOKKEEPING.approval, text);
        setBk(target, BOOKKEEPING.approvedBy, by);
        return true;
      };
      const setBk = (target: CellValue[], header: string, value: string): void => {
        const at = sheet.col(header);
        if (at >= 0) target[at] = value;
      };
      const marks: CellMark[] = [];
      let changed = false;
      for (const s of server) {
        const key = keyOf(def.name, s);
        const mine = local.get(key);
        if (mine === undefined) {
          matrix.push(new Array<CellValue>(width).fill(''));
          put(matrix.length - 1, s);
          counts.added++;
          changed = true;
          continue;
        }
        const target = matrix[mine.index] as CellValue[];
        const editedLocally = mine.hash !== mine.syncHash;
        const serverChanged = s.etag !== mine.etag;
        if (!editedLocally) {
          if (serverChanged || differingFields(def.name, mine.wire, s).length > 0) {
            put(mine.index, s);
            counts.updated++;
            changed = true;
          } else if (setApproval(target, s)) {
            changed = true;
          }
          continue;
        }
        if (!serverChanged) {
          counts.keptLocal++; // an unpublished edit on an unchanged server row: publish will send it
          if (setApproval(target, s)) changed = true;
          continue;
        }
        if (serverRowCells(def.name, s).hash === mine.syncHash) {
          // The server's values are still those the row was last in sync with (its Sync hash): only the approval
          // moved on (approved or rejected, which gives a new etag). The new etag names exactly those base values,
          // so the row adopts it with the approval, keeps its unpublished edits, and publish sends them knowingly.
          setBk(target, BOOKKEEPING.etag, s.etag);
          setApproval(target, s);
          counts.keptLocal++;
          changed = true;
          continue;
        }
        if (differingFields(def.name, mine.wire, s).length === 0) {
          // Both sides made the same change: adopt the server's version as the base.
          put(mine.index, s);
          counts.updated++;
          changed = true;
          continue;
        }
        const c = buildConflict(sheet, mine.index, key, mine.wire, s);
        conflicts.push(c);
        marks.push(...conflictMarks(c));
        setBk(target, BOOKKEEPING.status, CONFLICT_STATUS);
        counts.conflicts++;
        changed = true;
      }
      if (changed) await wb.writeRows(sheet.table, matrix, 'replace');
      if (marks.length > 0) await wb.markCells(sheet.table, marks);
      results.push(counts);
    }
  } catch (e) {
    if (e instanceof Error && e.name === 'CancelledError') return { ledgers: results, conflicts, cancelled: true };
    throw e;
  }
  return { ledgers: results, conflicts, cancelled: false };
}
