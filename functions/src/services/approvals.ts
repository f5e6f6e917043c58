// Deciding pending versions (API v1.1): POST /api/ledgers/{ledger}/approvals and …/rejections. Four-eyes rule,
// each decision bound to the version the reviewer saw (its etag), and the effective-version hook after approvals.
//
// A reviewer names each row by key and the etag of the version they read. A decision is an etag-conditional replace
// of the row plus a history entry (`approved`, or `rejected` with the reason), in the row's partition transaction
// (ledgerStore.commitWrites: one entity-group transaction per partition, ≤ 50 rows each), so what is approved is
// exactly the version that was read: a row written after that etag answers `changed` with the row as it is now, and
// nothing about it changes. Concurrent approve and edit of one row therefore end in one of two ways only: the
// approval commits first (the edit, conditioned on the etag it read, is then a conflict or a new pending version), or
// the edit commits first (the approval's transaction fails its etag condition, the row is read again and the answer
// is `changed`). Never is a version approved that no reviewer named.
//
// A row is approved only when every row its pending version references (shared/references.ts: contracts → customers
// and salespeople, order lines, deliveries and payments → contracts, a payment's invoice, invoice lines → invoices,
// a credit note's contract and invoice, expenses → salespeople) has an approved version: otherwise an approved child of an unapproved parent would count in
// no figure. Such rows answer `parentNotApproved` naming the parent.

import { randomUUID } from 'node:crypto';
import type { ApprovalResult, ReadRow, RejectionResult } from '../../../shared/api';
import { type LedgerName } from '../../../shared/ledgers';
import { referencedKeys } from '../../../shared/references';
import { ApiError } from '../http/errors';
import {
  actorId,
  actorName,
  approveWrite,
  isRejected,
  rejectWrite,
  type Actor,
  type RowWrite,
  type StoredRow,
} from '../store/ledgerEntities';
import { commitWrites, readRows } from '../store/ledgerStore';
import { deleteIntents, writeIntents } from '../store/approvalIntents';
import { publishEffective, type EffectiveVersionEvent } from './effectiveVersions';
import { readRowOf } from './wire';

/**
 * Rounds of read-decide-commit. A failed etag condition means the row was written after the reviewer's etag, so the
 * next round answers `changed` (or `alreadyApproved`) for it: two rounds settle every row; the rest is a margin.
 */
const MAX_ROUNDS = 4;

export interface SeenVersion {
  key: string;
  /** The etag of the version the reviewer read. */
  etag: string;
}

export interface ApprovalOutcome {
  results: ApprovalResult[];
  events: EffectiveVersionEvent[];
  /** Listener failures (already logged nowhere): the caller logs them. */
  listenerFailures: unknown[];
}

/**
 * Case-insensitive equality of two user names or ids: Entra user names (UPNs) are case-insensitive, so `Ada.Admin`
 * and `ada.admin` are one person; object ids are GUIDs, whose case carries nothing.
 */
export function sameUser(a: string, b: string): boolean {
  return a.localeCompare(b, 'en', { sensitivity: 'accent' }) === 0;
}

/**
 * Four eyes compares identities, not spellings: the maker's stable id (recorded with the version) against the
 * caller's; a row written before ids were recorded compares readable names.
 */
export function isMaker(row: StoredRow, who: Actor): boolean {
  return row.changedById !== undefined
    ? sameUser(row.changedById, actorId(who))
    : sameUser(row.changedBy, actorName(who));
}

/** The first etag named per key (a key named twice is decided once, by its first mention). */
function seenByKey<T extends SeenVersion>(rows: readonly T[]): Map<string, T> {
  const seen = new Map<string, T>();
  for (const r of rows) if (!seen.has(r.key)) seen.set(r.key, r);
  return seen;
}

type Settled = {
  key: string;
  status: 'notFound' | 'changed' | 'alreadyApproved' | 'rejected';
  etag?: string;
  current?: ReadRow;
};

/**
 * What a decision on `row`, named by `etag`, comes to before the four-eyes and parent rules: undefined when the row
 * is as the reviewer saw it and its pending version is open. The version seen may have been decided since (by this
 * reviewer's earlier, unanswered request, or by another reviewer who saw the same version): the row keeps the etag
 * its last decision named, so that answers `alreadyApproved` or `rejected` as long as nothing was written after.
 */
function settledBefore(row: StoredRow | undefined, key: string, etag: string): Settled | undefined {
  if (row === undefined) return { key, status: 'notFound' };
  const seenIsLatest = row.etag === etag;
  const changed: Settled = { key, status: 'changed', etag: row.etag, current: readRowOf(row) };
  if (!seenIsLatest && row.decidedEtag !== etag) return changed;
  if (row.pendingVersion === undefined) return { key, status: 'alreadyApproved', etag: row.etag };
  if (isRejected(row)) return { key, status: 'rejected', etag: row.etag };
  // Decided as seen, then written again: a new pending version nobody named.
  return seenIsLatest ? undefined : changed;
}

/**
 * The parent each candidate lacks: the first referenced row with no approved version. One batched read per parent
 * ledger (grouped per partition by readRows). A request decides rows of one ledger and no ledger references itself,
 * so a parent is never approved by the same request: parents are approved by earlier requests.
 */
async function unapprovedParents(
  name: LedgerName,
  candidates: readonly StoredRow[],
): Promise<Map<string, { ledger: LedgerName; key: string }>> {
  const refsOf = new Map(candidates.map((row) => [row.key, referencedKeys(name, row.latest)]));
  const wanted = new Map<LedgerName, Set<string>>();
  for (const refs of refsOf.values())
    for (const ref of refs) {
      let keys = wanted.get(ref.ledger);
      if (keys === undefined) wanted.set(ref.ledger, (keys = new Set()));
      keys.add(ref.key);
    }
  const parents = new Map<string, StoredRow>();
  await Promise.all(
    [...wanted].map(async ([ledger, keys]) => {
      for (const [key, row] of await readRows(ledger, keys)) parents.set(`${ledger}\n${key}`, row);
    }),
  );
  const missing = new Map<string, { ledger: LedgerName; key: string }>();
  for (const [key, refs] of refsOf) {
    const lacking = refs.find((ref) => parents.get(`${ref.ledger}\n${ref.key}`)?.approvedVersion === undefined);
    if (lacking !== undefined) missing.set(key, { ledger: lacking.ledger, key: lacking.key });
  }
  return missing;
}

/**
 * Approves, as `reviewer`, the versions the reviewer saw; one result per requested row, in request order. Events of
 * the approvals are recorded as intents before the commit and announced to the effective-version listeners after.
 */
export async function approveRows(
  name: LedgerName,
  rows: readonly SeenVersion[],
  reviewer: Actor,
  now: Date = new Date(),
): Promise<ApprovalOutcome> {
  const at = now.toISOString();
  const userId = actorName(reviewer);
  const seen = seenByKey(rows);
  const decided = new Map<string, ApprovalResult>();
  const events: EffectiveVersionEvent[] = [];
  // Outbox (approvalIntents.ts): every event is recorded before its commit and forgotten once the projection has it.
  const requestId = randomUUID();
  const intents: { requestId: string; rowKey: string }[] = [];
  let open = [...seen.keys()];
  for (let round = 1; open.length > 0; round++) {
    const stored = await readRows(name, open);
    const candidates: StoredRow[] = [];
    for (const key of open) {
      const row = stored.get(key);
      const early = settledBefore(row, key, (seen.get(key) as SeenVersion).etag);
      if (early !== undefined) decided.set(key, early);
      else if (isMaker(row as StoredRow, reviewer)) decided.set(key, { key, status: 'self', etag: row?.etag });
      else candidates.push(row as StoredRow);
    }
    const lacking = await unapprovedParents(name, candidates);
    const writes: { row: StoredRow; write: RowWrite; event: EffectiveVersionEvent }[] = [];
    for (const row of candidates) {
      const parent = lacking.get(row.key);
      if (parent !== undefined)
        decided.set(row.key, { key: row.key, status: 'parentNotApproved', etag: row.etag, parent });
      else
        writes.push({
          row,
          write: approveWrite(row, userId, at),
          event: {
            ledger: name,
            key: row.key,
            version: row.pendingVersion as number,
            before: row.approved,
            after: row.latest,
            approvedBy: userId,
            approvedAt: at,
          },
        });
    }
    intents.push(
      ...(await writeIntents(
        requestId,
        writes.map((w) => w.event),
        now,
      )),
    );
    if (faults.dieBeforeCommit) throw new Error('test fault: the process died before the approval commit');
    const outcomes = await commitWrites(
      name,
      writes.map((w) => w.write),
    );
    const retry: string[] = [];
    writes.forEach(({ row, event }, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok === true) {
        decided.set(row.key, { key: row.key, status: 'approved', etag: outcome.etag, version: event.version });
        events.push(event);
      } else retry.push(row.key);
    });
    if (round >= MAX_ROUNDS && retry.length > 0) {
      // Unreachable unless the store keeps failing etag conditions of rows whose etag it then reports unchanged.
      await announce(events, intents);
      throw new ApiError(503, 'busy', `Rows kept changing while being approved (${retry.join(', ')}); try again.`);
    }
    open = retry;
  }
  const listenerFailures = await announce(events, intents);
  return { results: rows.map((r) => decided.get(r.key) as ApprovalResult), events, listenerFailures };
}

export interface SeenRejection extends SeenVersion {
  reason: string;
}

/**
 * Rejects, as `reviewer`, the versions the reviewer saw, with their reasons; one result per requested row, in request
 * order. Nothing becomes effective, so there is no event: figures keep using the approved version.
 */
export async function rejectRows(
  name: LedgerName,
  rows: readonly SeenRejection[],
  reviewer: Actor,
  now: Date = new Date(),
): Promise<{ results: RejectionResult[] }> {
  const at = now.toISOString();
  const userId = actorName(reviewer);
  const seen = seenByKey(rows);
  const decided = new Map<string, RejectionResult>();
  let open = [...seen.keys()];
  for (let round = 1; open.length > 0; round++) {
    const stored = await readRows(name, open);
    const writes: RowWrite[] = [];
    const writeKeys: string[] = [];
    for (const key of open) {
      const row = stored.get(key);
      const asked = seen.get(key) as SeenRejection;
      // A version already rejected stands (`rejected`, the first reason kept), as settledBefore says.
      const early = settledBefore(row, key, asked.etag);
      if (early !== undefined) decided.set(key, early);
      else if (isMaker(row as StoredRow, reviewer)) decided.set(key, { key, status: 'self', etag: row?.etag });
      else {
        writes.push(rejectWrite(row as StoredRow, userId, at, asked.reason));
        writeKeys.push(key);
      }
    }
    const outcomes = await commitWrites(name, writes);
    const retry: string[] = [];
    outcomes.forEach((outcome, i) => {
      const key = writeKeys[i] as string;
      if (outcome.ok) decided.set(key, { key, status: 'rejected', etag: outcome.etag });
      else retry.push(key);
    });
    if (round >= MAX_ROUNDS && retry.length > 0)
      throw new ApiError(503, 'busy', `Rows kept changing while being rejected (${retry.join(', ')}); try again.`);
    open = retry;
  }
  return { results: rows.map((r) => decided.get(r.key) as RejectionResult) };
}

/**
 * Publishes the committed events; when every listener took them, deletes the request's intents (those of writes that
 * did not commit too). Otherwise they stay for the figures repair. A failed delete only means a harmless replay.
 */
async function announce(
  events: readonly EffectiveVersionEvent[],
  intents: readonly { requestId: string; rowKey: string }[],
): Promise<unknown[]> {
  if (faults.dieAfterCommit) return [];
  const failures = await publishEffective(events);
  if (failures.length === 0) await deleteIntents(intents).catch(() => undefined);
  return failures;
}

/** Test hooks: the approval request "dies" right before its commit, or right after it (before any announcement). */
export const faults = { dieBeforeCommit: false, dieAfterCommit: false };
