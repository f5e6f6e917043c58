// "Publish": new and changed rows to the API, parents first, in size-bounded chunks; outcomes written back per row.
import { MAX_ROWS_PER_REQUEST, type RowResult, type RowStatus } from '../../shared/api';
import { LEDGERS, ledger as ledgerOf, type LedgerName } from '../../shared/ledgers';
import type { CellMark, CellValue, WorkbookAdapter } from '../excel/workbookAdapter';
import { ApiClientError, type LedgerApiClient } from './apiClient';
import { writeBookkeeping, type BookkeepingUpdate } from './bookkeeping';
import { buildConflict, conflictMarks, CONFLICT_STATUS, type Conflict } from './conflicts';
import { fingerprint } from './hash';
import { readLedger, type LedgerSheet, type SheetRow } from './ledgerSheet';
import { throwIfCancelled, type ProgressFn } from './progress';
import { baseText, mergeRow, parseBase, withTaken, type MergedCell } from './merge';
import { parseSheetRow } from './workbookRows';

/** Request bodies stay below this (JSON bytes); far below the host's limit, and a chunk retried is cheap. */
export const DEFAULT_MAX_CHUNK_BYTES = 2_000_000;

export type Outcome = RowStatus | 'error';

export interface PublishOptions {
  /** Only rows whose last outcome was conflict, invalid or error. */
  failedOnly?: boolean;
  onProgress?: ProgressFn;
  signal?: AbortSignal;
  maxRows?: number;
  maxBytes?: number;
  /** Part of every idempotency key; a retry within one run reuses its keys. Default: a fresh id. */
  runId?: string;
  /**
   * Publish these tables (parents first), each holding its ledger's columns, instead of every ledger's own table:
   * the customer file's contacts and interactions.
   */
  tables?: readonly { ledger: LedgerName; table: string }[];
  /** Rows left out of this run and untouched, so they stay unpublished (the invoice gate's declined invoices). */
  hold?: (ledger: LedgerName, row: SheetRow) => boolean;
  /** A reason sent with a row; the API keeps it in the history entry of the version written (invoiceGate.ts). */
  reasonFor?: (ledger: LedgerName, row: SheetRow) => string | undefined;
}

export interface RowOutcome {
  ledger: LedgerName;
  table: string;
  row: number;
  key: string | null;
  /** The column the row is pointed at by (its key's first column). */
  column: string;
  outcome: Outcome;
  message: string;
  address: string;
}

export interface PublishResult {
  counts: Record<Outcome, number>;
  sent: number;
  cancelled: boolean;
  /** Rows that did not go through (conflict, invalid, error), with where they are. */
  failures: RowOutcome[];
  conflicts: Conflict[];
}

export function isFailedStatus(status: string): boolean {
  return /^(conflict|invalid|error)\b/.test(status);
}

/** Chunks of at most maxRows rows and maxBytes of JSON, in order. */
export function chunkRows<T>(items: readonly T[], size: (t: T) => number, maxRows: number, maxBytes: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const b = size(item) + 1;
    if (current.length > 0 && (current.length >= maxRows || bytes + b > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += b;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * The idempotency key of a chunk: its content (ledger and exact body) plus the run. A chunk retried within a run —
 * after a timeout, say — replays the first answer and changes nothing; publishing the same rows again later (after
 * fixing a parent) is a new run and gets fresh answers instead of a stored "invalid".
 */
export function idempotencyKey(ledger: LedgerName, body: string, runId: string): string {
  return `ld1-${ledger}-${fingerprint(body)}-${runId}`;
}

function statusText(r: RowResult): string {
  switch (r.status) {
    case 'invalid':
      return `invalid: ${(r.errors ?? []).map((e) => `${e.field} ${e.message}`).join('; ')}`;
    case 'conflict':
      return CONFLICT_STATUS;
    default:
      return r.status;
  }
}

/**
 * Splits the rows to publish into those to send and those refused locally, with a message naming the cells:
 * cell and schema errors (an Excel error value, a date with a time, text in a number column...) and a key already
 * used higher up in the sheet. References are left to the server: a parent may exist there and not in the workbook.
 */
export function screenRows(
  sheet: LedgerSheet,
  rows: readonly SheetRow[],
): { send: SheetRow[]; refused: Map<number, string> } {
  const firstRowOf = new Map<string, number>();
  for (const r of sheet.rows) if (r.key !== null && !firstRowOf.has(r.key)) firstRowOf.set(r.key, r.index);
  const send: SheetRow[] = [];
  const refused = new Map<number, string>();
  for (const row of rows) {
    const parsed = parseSheetRow(sheet.ledger, row);
    const problems = parsed.errors.map(
      (e) => `${sheet.address(row.index, sheet.header(e.field))} ${sheet.header(e.field)} ${e.message}`,
    );
    const first = row.key === null ? undefined : firstRowOf.get(row.key);
    if (first !== undefined && first !== row.index) {
      const keyHeader = sheet.header(ledgerOf(sheet.ledger).key[0] as string);
      problems.push(
        `${sheet.address(row.index, keyHeader)} duplicate key ${String(row.key)}: also on row ${sheet.origin.row + 2 + first}`,
      );
    }
    if (problems.length > 0) refused.set(row.index, problems.join('; '));
    else send.push(row);
  }
  return { send, refused };
}

/** A row's outcome, pointed at the cell of its key's first column. */
function outcomeOf(sheet: LedgerSheet, row: SheetRow, outcome: Outcome, message: string): RowOutcome {
  const column = sheet.header(ledgerOf(sheet.ledger).key[0] as string);
  return {
    ledger: sheet.ledger,
    table: sheet.table,
    row: row.index,
    key: row.key,
    column,
    outcome,
    message,
    address: sheet.address(row.index, column),
  };
}

function newRunId(): string {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 6).toString(36)}`;
}

export async function publish(
  wb: WorkbookAdapter,
  api: LedgerApiClient,
  options: PublishOptions = {},
): Promise<PublishResult> {
  const maxRows = Math.min(options.maxRows ?? MAX_ROWS_PER_REQUEST, MAX_ROWS_PER_REQUEST);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_CHUNK_BYTES;
  const runId = options.runId ?? newRunId();
  const counts: Record<Outcome, number> = { created: 0, updated: 0, unchanged: 0, conflict: 0, invalid: 0, error: 0 };
  const failures: RowOutcome[] = [];
  const conflicts: Conflict[] = [];
  let sent = 0;

  // Read everything first, so the progress bar knows the total and nothing is sent from a table that cannot be read.
  const sheets: { sheet: LedgerSheet; rows: SheetRow[] }[] = [];
  const targets = options.tables ?? LEDGERS.map((def) => ({ ledger: def.name, table: undefined }));
  for (const target of targets) {
    const sheet = await readLedger(wb, target.ledger, options.onProgress, options.signal, target.table);
    if (sheet === null) continue;
    const rows = sheet.rows.filter(
      (r) =>
        (options.failedOnly === true ? isFailedStatus(r.status) : r.hash !== r.syncHash || isFailedStatus(r.status)) &&
        options.hold?.(target.ledger, r) !== true,
    );
    if (rows.length > 0) sheets.push({ sheet, rows });
  }
  const total = sheets.reduce((n, s) => n + s.rows.length, 0);
  const progress = (): void => options.onProgress?.({ phase: 'Publishing', done: sent, total });
  progress();

  try {
    for (const { sheet, rows: candidates } of sheets) {
      // Rows the sheet itself shows to be wrong are never sent: each keeps its message in the status column.
      const { send: rows, refused } = screenRows(sheet, candidates);
      if (refused.size > 0) {
        const updates = new Map<number, BookkeepingUpdate>();
        for (const row of candidates) {
          const message = refused.get(row.index);
          if (message === undefined) continue;
          updates.set(row.index, { status: `invalid: ${message}` });
          counts.invalid++;
          failures.push(outcomeOf(sheet, row, 'invalid', message));
        }
        await writeBookkeeping(wb, sheet, updates);
        sent += refused.size;
        progress();
      }
      const bodies = rows.map((r) => {
        const reason = options.reasonFor?.(sheet.ledger, r);
        const body = r.etag !== '' ? { ...r.wire, etag: r.etag } : r.wire;
        return { row: r, body: reason === undefined ? body : { ...body, reason } };
      });
      const chunks = chunkRows(bodies, (b) => JSON.stringify(b.body).length, maxRows, maxBytes);
      for (const chunk of chunks) {
        throwIfCancelled(options.signal);
        const payload = chunk.map((c) => c.body);
        const updates = new Map<number, BookkeepingUpdate>();
        const marks: CellMark[] = [];
        const note = (row: SheetRow, outcome: Outcome, message: string): void => {
          counts[outcome]++;
          if (outcome === 'conflict' || outcome === 'invalid' || outcome === 'error') {
            failures.push(outcomeOf(sheet, row, outcome, message));
          }
        };
        try {
          const res = await api.putRows(
            sheet.ledger,
            payload,
            idempotencyKey(sheet.ledger, JSON.stringify(payload), runId),
          );
          /** Cells taken from the server into a row of the sheet (a merge, or the server-only cells of a conflict). */
          const takenWrites: { index: number; taken: readonly { column: string; theirs: CellValue }[] }[] = [];
          const record = (row: SheetRow, r: RowResult): void => {
            const text = statusText(r);
            const u: BookkeepingUpdate = { status: text };
            if (r.status === 'created' || r.status === 'updated' || r.status === 'unchanged') {
              u.syncHash = row.hash;
              u.base = baseText(sheet.ledger, row.wire);
              if (r.etag !== undefined) u.etag = r.etag;
              // A new or changed version waits for a reviewer.
              if (r.status !== 'unchanged') Object.assign(u, { approval: 'pending', approvedBy: '' });
            }
            if (r.status === 'conflict' && r.current !== undefined && row.key !== null) {
              const c = buildConflict(sheet, row.index, row.key, row.wire, r.current, parseBase(row.base));
              conflicts.push(c);
              marks.push(...conflictMarks(c));
              if (c.taken.length > 0) takenWrites.push({ index: row.index, taken: c.taken });
            }
            updates.set(row.index, u);
            note(row, r.status, text);
          };
          const merged: { row: SheetRow; etag: string; taken: MergedCell[] }[] = [];
          res.results.forEach((r, i) => {
            const row = (chunk[i] as { row: SheetRow }).row;
            const base = parseBase(row.base);
            if (r.status === 'conflict' && r.current !== undefined && base !== undefined) {
              const m = mergeRow(sheet.ledger, base, row.wire, r.current);
              if (m.conflicts.length === 0) {
                // Changed here and on the server in different cells: the server's cells are taken into the row
                // and the merged row is sent again, once, with the server's etag.
                const t = withTaken(sheet.ledger, sheet, row.cells, m.taken);
                merged.push({
                  row: { ...row, cells: t.cells, wire: t.wire, hash: t.hash },
                  etag: r.current.etag,
                  taken: m.taken,
                });
                return;
              }
            }
            record(row, r);
          });
          if (merged.length > 0) {
            for (const m of merged) if (m.taken.length > 0) takenWrites.push({ index: m.row.index, taken: m.taken });
            const again = merged.map((m) => ({ ...m.row.wire, etag: m.etag }));
            const res2 = await api.putRows(
              sheet.ledger,
              again,
              idempotencyKey(sheet.ledger, JSON.stringify(again), runId),
            );
            res2.results.forEach((r, i) => record((merged[i] as { row: SheetRow }).row, r));
          }
          for (const w of takenWrites)
            await wb.updateColumns(
              sheet.table,
              w.index,
              w.taken.map((c) => c.column),
              [w.taken.map((c) => c.theirs)],
            );
        } catch (e) {
          if (!(e instanceof ApiClientError)) throw e;
          // The chunk as a whole failed (network, auth): every row says so, and the next publish sends it again.
          for (const { row } of chunk) {
            updates.set(row.index, { status: `error: ${e.message}` });
            note(row, 'error', e.message);
          }
          if (e.status === 401 || e.status === 403) {
            await writeBookkeeping(wb, sheet, updates);
            throw e;
          }
        }
        await writeBookkeeping(wb, sheet, updates);
        if (marks.length > 0) await wb.markCells(sheet.table, marks);
        sent += chunk.length;
        progress();
      }
    }
  } catch (e) {
    if (e instanceof Error && e.name === 'CancelledError')
      return { counts, sent, cancelled: true, failures, conflicts };
    throw e;
  }
  return { counts, sent, cancelled: false, failures, conflicts };
}
