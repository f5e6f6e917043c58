// Approving and rejecting row versions: each row sent names the version seen by its etag (API v1.1); outcomes go back into the sheet.
import {
  MAX_KEYS_PER_APPROVAL,
  MAX_REASON_LENGTH,
  type ApprovalResult,
  type ApprovalStatus,
  type RejectionResult,
  type RejectionStatus,
} from '../../shared/api';
import { LEDGERS, ledger as ledgerOf, type LedgerName } from '../../shared/ledgers';
import type { WorkbookAdapter } from '../excel/workbookAdapter';
import type { LedgerApiClient, SeenRow } from './apiClient';
import { approvalText, writeBookkeeping, type BookkeepingUpdate } from './bookkeeping';
import { ledgerBySheet } from './layout';
import { readLedger, type LedgerSheet, type SheetRow } from './ledgerSheet';
import { throwIfCancelled, type ProgressFn } from './progress';
import { ledgerTitle } from './review';

export interface ApproveTarget {
  ledger: LedgerName;
  /** 0-based body rows; or `keys` of rows in the sheet. Either way the etag sent is the one in the row's ETag cell. */
  rows?: readonly number[];
  keys?: readonly string[];
}

/** Rows the add-in did not send: no etag in the sheet, or local edits so the sheet does not show the etag's version. */
export type NotSentStatus = 'noEtag' | 'edited';
export type DecisionStatus = ApprovalStatus | RejectionStatus | NotSentStatus;
export const DECISION_STATUSES = [
  'approved',
  'rejected',
  'changed',
  'self',
  'notFound',
  'alreadyApproved',
  'parentNotApproved',
  'noEtag',
  'edited',
] as const satisfies readonly DecisionStatus[];

export type Decision = { kind: 'approve' } | { kind: 'reject'; reason: string };

export interface DecisionOutcome {
  ledger: LedgerName;
  key: string;
  /** 0-based body row of the ledger table holding the row, or null when the workbook does not hold it. */
  row: number | null;
  /** A1 address of the row's key cell, when the workbook holds the row. */
  address: string | null;
  /** The key column's header (where `address` points). */
  column: string;
  status: DecisionStatus;
  message: string;
}

export interface DecisionResult {
  counts: Record<DecisionStatus, number>;
  outcomes: DecisionOutcome[];
  /** True when the user cancelled; the outcomes are those of the requests answered before. */
  cancelled: boolean;
}

export interface DecisionOptions {
  onProgress?: ProgressFn;
  signal?: AbortSignal;
}

export const CHANGED_MESSAGE = 'changed since you read it: pull, then review again';

/**
 * Whether the decision took effect (or had already): `approved` or `alreadyApproved` for an approval, `rejected` or
 * `alreadyApproved` for a rejection. An approval answered `rejected` did not (that version was rejected earlier).
 */
export function tookEffect(kind: Decision['kind'], status: DecisionStatus): boolean {
  return status === 'alreadyApproved' || status === (kind === 'approve' ? 'approved' : 'rejected');
}

/** What a status means to the reviewer, in the words the Sync status cell and the pane show. */
export function decisionMessage(
  kind: Decision['kind'],
  status: DecisionStatus,
  parent?: { ledger: string; key: string },
): string {
  const not = kind === 'approve' ? 'not approved' : 'not rejected';
  switch (status) {
    case 'approved':
      return 'approved';
    case 'rejected':
      return kind === 'reject'
        ? 'rejected'
        : 'not approved: this version was rejected; the maker fixes the row and publishes it again';
    case 'changed':
      return CHANGED_MESSAGE;
    case 'self':
      return `${not}: you made this change, another reviewer must decide it (four-eyes rule)`;
    case 'notFound':
      return `${not}: the row is not on the server; publish it first`;
    case 'alreadyApproved':
      return 'was already approved';
    case 'parentNotApproved':
      return parent === undefined
        ? `${not}: a row it references is not approved yet; approve that first`
        : `${not}: ${ledgerTitle(parent.ledger)} ${parent.key}, which it references, is not approved yet; approve that first`;
    case 'noEtag':
      return 'not sent: the row has no etag (no version read from the server); publish or pull first';
    case 'edited':
      return 'not sent: the row has unpublished edits, so the sheet does not show the version on the server; publish them or restore the values first';
  }
}

/** A reason the API accepts (1-500 characters after trimming), or a sentence saying what is wrong. */
export function checkReason(reason: string): { ok: true; reason: string } | { ok: false; message: string } {
  const r = reason.trim();
  if (r === '') return { ok: false, message: 'Give a reason for the rejection; the maker sees it in the sheet.' };
  if (r.length > MAX_REASON_LENGTH)
    return { ok: false, message: `The reason has ${r.length} characters; at most ${MAX_REASON_LENGTH}.` };
  return { ok: true, reason: r };
}

export function emptyCounts(): Record<DecisionStatus, number> {
  return Object.fromEntries(DECISION_STATUSES.map((s) => [s, 0])) as Record<DecisionStatus, number>;
}

/**
 * The ledger table on a worksheet: by the ledger's title first; a sheet the user renamed is found by looking for the
 * ledger tables on it (tables keep their names when a sheet is renamed).
 */
async function ledgerOnSheet(wb: WorkbookAdapter, sheetName: string): Promise<LedgerSheet | null> {
  const def = ledgerBySheet(sheetName);
  if (def !== undefined) {
    const sheet = await readLedger(wb, def.name);
    if (sheet !== null && sheet.sheet === sheetName) return sheet;
  }
  for (const l of LEDGERS) {
    if (l === def) continue; // already read above
    const sheet = await readLedger(wb, l.name);
    if (sheet !== null && sheet.sheet === sheetName) return sheet;
  }
  return null;
}

/** The ledger and body rows of the current Excel selection, or null when it is not on a ledger sheet's rows. */
export async function selectedLedgerRows(wb: WorkbookAdapter): Promise<ApproveTarget | null> {
  const sel = await wb.getSelection();
  if (sel === null) return null;
  const sheet = await ledgerOnSheet(wb, sel.sheet);
  if (sheet === null) return null;
  const first = Math.max(0, sel.rowIndex - sheet.origin.row - 1);
  const last = sel.rowIndex + sel.rowCount - 1 - sheet.origin.row - 1;
  if (last < first) return null;
  const rows = sheet.rows.filter((r) => r.index >= first && r.index <= last).map((r) => r.index);
  return rows.length > 0 ? { ledger: sheet.ledger, rows } : null;
}

/** True when the row's cells are what was last published or pulled, i.e. the version its etag names. */
function inSync(row: SheetRow): boolean {
  return row.hash === row.syncHash;
}

/** The sheet's rows by key; a key in two rows maps to the first (Validate marks the duplicate). */
function rowsByKey(sheet: LedgerSheet | null): Map<string, SheetRow> {
  const byKey = new Map<string, SheetRow>();
  for (const r of sheet?.rows ?? []) if (r.key !== null && !byKey.has(r.key)) byKey.set(r.key, r);
  return byKey;
}

/**
 * The bookkeeping a decision writes into a sheet row that shows the version decided. A new etag is written only
 * after `approved` or `rejected`: neither changes field values, so the new etag names a version with exactly the
 * values in the row's cells (it was in sync with the etag sent). `changed` never touches the etag or the approval.
 */
function sheetUpdate(
  decision: Decision,
  status: DecisionStatus,
  message: string,
  resultEtag: string | undefined,
  reviewer: string,
): BookkeepingUpdate {
  const u: BookkeepingUpdate = { status: message };
  if (status === 'approved') {
    Object.assign(u, { approval: 'approved', approvedBy: reviewer });
    if (resultEtag !== undefined) u.etag = resultEtag;
  } else if (status === 'rejected' && decision.kind === 'reject') {
    u.approval = approvalText({ status: 'rejected', rejectedBy: reviewer, reason: decision.reason });
    if (resultEtag !== undefined) u.etag = resultEtag;
  } else if (status === 'alreadyApproved') {
    u.approval = 'approved';
  } else if (status === 'self') {
    u.approval = 'pending';
  }
  return u;
}

/** Counts an outcome and lists it, pointing at the row's key cell when the workbook holds the row. */
function record(
  result: DecisionResult,
  sheet: LedgerSheet | null,
  ledger: LedgerName,
  key: string,
  row: SheetRow | undefined,
  status: DecisionStatus,
  message: string,
): void {
  const column = sheet?.header(ledgerOf(ledger).key[0] as string) ?? '';
  result.counts[status]++;
  result.outcomes.push({
    ledger,
    key,
    row: row?.index ?? null,
    address: row !== undefined && sheet !== null ? sheet.address(row.index, column) : null,
    column,
    status,
    message,
  });
}

/** A row to decide: its key, the etag of the version seen, and the sheet row showing it (if any). */
interface ToSend extends SeenRow {
  row: SheetRow | undefined;
}

/**
 * Sends decisions for one ledger in requests of at most MAX_KEYS_PER_APPROVAL rows, in order, and writes each
 * request's outcomes into the sheet before the next is sent (a cancel keeps what was answered). Only sheet rows that
 * show the version decided (same etag, no local edits) are written to.
 */
async function sendDecisions(
  wb: WorkbookAdapter,
  api: LedgerApiClient,
  sheet: LedgerSheet | null,
  ledger: LedgerName,
  rows: readonly ToSend[],
  decision: Decision,
  reviewer: string,
  result: DecisionResult,
  advance: (n: number) => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  for (let i = 0; i < rows.length; i += MAX_KEYS_PER_APPROVAL) {
    throwIfCancelled(signal);
    const chunk = rows.slice(i, i + MAX_KEYS_PER_APPROVAL);
    const seen = chunk.map((r) => ({ key: r.key, etag: r.etag }));
    const answers: (ApprovalResult | RejectionResult)[] =
      decision.kind === 'approve'
        ? (await api.approve(ledger, seen)).results
        : (
            await api.reject(
              ledger,
              seen.map((r) => ({ ...r, reason: decision.reason })),
            )
          ).results;
    const updates = new Map<number, BookkeepingUpdate>();
    answers.forEach((a, j) => {
      // Answers come in request order (API.md); the key is checked too, so a reordered answer cannot mislabel a row.
      const sent = chunk[j]?.key === a.key ? chunk[j] : chunk.find((c) => c.key === a.key);
      const message = decisionMessage(decision.kind, a.status, 'parent' in a ? a.parent : undefined);
      const row = sent?.row;
      record(result, sheet, ledger, a.key, row, a.status, message);
      if (row !== undefined && sent !== undefined && row.etag === sent.etag && inSync(row))
        updates.set(row.index, sheetUpdate(decision, a.status, message, a.etag, reviewer));
    });
    if (sheet !== null) await writeBookkeeping(wb, sheet, updates);
    advance(chunk.length);
  }
}

function isCancel(e: unknown): boolean {
  return e instanceof Error && e.name === 'CancelledError';
}

/**
 * Runs `send` with progress reported over `total` rows (`advance` counts rows answered); a cancellation ends it with
 * `result.cancelled` set, keeping the outcomes of the requests answered before.
 */
async function withProgress(
  decision: Decision,
  total: number,
  options: DecisionOptions,
  result: DecisionResult,
  send: (advance: (n: number) => void) => Promise<void>,
): Promise<DecisionResult> {
  const phase = decision.kind === 'approve' ? 'Approving' : 'Rejecting';
  let done = 0;
  options.onProgress?.({ phase, done, total });
  try {
    await send((n) => {
      done += n;
      options.onProgress?.({ phase, done, total });
    });
  } catch (e) {
    if (!isCancel(e)) throw e;
    result.cancelled = true;
  }
  return result;
}

/**
 * "Approve selected rows" (and reject): sends each row's etag as it stands in the sheet, so the server decides exactly
 * the version the sheet shows. A row without an etag, or with unpublished edits, is not sent and says why.
 */
export async function decideSheetRows(
  wb: WorkbookAdapter,
  api: LedgerApiClient,
  target: ApproveTarget,
  decision: Decision,
  reviewer: string,
  options: DecisionOptions = {},
): Promise<DecisionResult> {
  const result: DecisionResult = { counts: emptyCounts(), outcomes: [], cancelled: false };
  const sheet = await readLedger(wb, target.ledger);
  if (sheet === null) throw new Error(`There is no ${ledgerOf(target.ledger).title} table in this workbook.`);
  const byKey = rowsByKey(sheet);
  const wanted = new Set(target.rows);
  const chosen: { key: string; row: SheetRow | undefined }[] =
    target.keys !== undefined
      ? [...new Set(target.keys)].map((key) => ({ key, row: byKey.get(key) }))
      : [
          ...new Map(
            sheet.rows
              .filter((r) => wanted.has(r.index) && r.key !== null)
              .map((r) => [r.key as string, { key: r.key as string, row: r }]),
          ).values(),
        ];
  const send: ToSend[] = [];
  const refused = new Map<number, BookkeepingUpdate>();
  for (const { key, row } of chosen) {
    if (row !== undefined && row.etag !== '' && inSync(row)) {
      send.push({ key, etag: row.etag, row });
      continue;
    }
    const status: NotSentStatus = row === undefined || row.etag === '' ? 'noEtag' : 'edited';
    const message = decisionMessage(decision.kind, status);
    record(result, sheet, target.ledger, key, row, status, message);
    // A row with a conflict or a failed publish keeps that status: it says what to do first.
    if (row !== undefined && !/^(conflict|invalid|error)\b/.test(row.status))
      refused.set(row.index, { status: message });
  }
  await writeBookkeeping(wb, sheet, refused);
  return withProgress(decision, send.length, options, result, (advance) =>
    sendDecisions(wb, api, sheet, target.ledger, send, decision, reviewer, result, advance, options.signal),
  );
}

/** Approves the selected (or named) rows of a ledger table: see decideSheetRows. */
export function approveRows(
  wb: WorkbookAdapter,
  api: LedgerApiClient,
  target: ApproveTarget,
  approver: string,
  options: DecisionOptions = {},
): Promise<DecisionResult> {
  return decideSheetRows(wb, api, target, { kind: 'approve' }, approver, options);
}

/** A change from the review queue (or anywhere): the ledger, key and etag of the version the reviewer saw. */
export interface SeenChange extends SeenRow {
  /** A ledger name as the review queue gives it (only the API's ledgers occur there). */
  ledger: string;
}

/**
 * Decides changes the reviewer saw outside the sheet (the Review tab), parents' ledgers first so a contract approved
 * together with its order lines is approved before them. Where the workbook holds a row showing that very version
 * (same etag, no local edits), its Approval and Sync status cells follow.
 */
export async function decideChanges(
  wb: WorkbookAdapter,
  api: LedgerApiClient,
  changes: readonly SeenChange[],
  decision: Decision,
  reviewer: string,
  options: DecisionOptions = {},
): Promise<DecisionResult> {
  const result: DecisionResult = { counts: emptyCounts(), outcomes: [], cancelled: false };
  // One decision per row (the last etag given for it), so progress counts up to the rows sent.
  const unique = [...new Map(changes.map((c) => [`${c.ledger}|${c.key}`, c])).values()];
  return withProgress(decision, unique.length, options, result, async (advance) => {
    for (const def of LEDGERS) {
      const mine = unique.filter((c) => c.ledger === def.name);
      if (mine.length === 0) continue;
      throwIfCancelled(options.signal);
      const sheet = await readLedger(wb, def.name);
      const byKey = rowsByKey(sheet);
      const send = mine.map((c) => ({ key: c.key, etag: c.etag, row: byKey.get(c.key) }));
      await sendDecisions(wb, api, sheet, def.name, send, decision, reviewer, result, advance, options.signal);
    }
  });
}

/** Per status, how the summary names the rows it counts. */
const SUMMARY: Record<DecisionStatus, (kind: Decision['kind'], n: number) => string> = {
  approved: () => 'approved',
  rejected: (kind) => (kind === 'reject' ? 'rejected' : 'rejected earlier (cannot be approved)'),
  changed: () => 'changed since read (nothing decided; read them again)',
  self: (_, n) => `your own ${n === 1 ? 'change' : 'changes'} (four-eyes rule)`,
  notFound: () => 'not on the server',
  alreadyApproved: () => 'already approved',
  parentNotApproved: () => 'waiting for a row they reference to be approved',
  noEtag: () => 'without an etag (publish or pull first; not sent)',
  edited: () => 'with unpublished edits (not sent)',
};

/** One sentence counting the outcomes, e.g. "2 approved, 1 changed since read (…)." */
export function decisionSummary(result: DecisionResult, kind: Decision['kind']): string {
  const parts = DECISION_STATUSES.filter((s) => result.counts[s] > 0).map(
    (s) => `${result.counts[s]} ${SUMMARY[s](kind, result.counts[s])}`,
  );
  return parts.length === 0 ? 'Nothing was decided.' : `${parts.join(', ')}.`;
}
