// Approving pending versions (POST /api/ledgers/{ledger}/approvals): four-eyes rule, etag-checked, hook on success.
//
// Each approval is an etag-conditional replace of the row (pending version becomes approved) plus an `approved`
// history entry, in the row's partition transaction, so a version is approved exactly as it was read. When the row
// changed between our read and our write, the transaction fails and the key is re-read and decided again (a bounded
// number of times): if it was approved meanwhile it is `alreadyApproved`; if someone edited it, the newer version
// is approved only if the four-eyes rule still holds, and the result says so (`concurrentChange: true`, `version`).

import { randomUUID } from 'node:crypto';
import type { ApprovalsResponse } from '../../../shared/api';
import type { LedgerName } from '../../../shared/ledgers';
import { ApiError } from '../http/errors';
import { approveWrite, type RowWrite, type StoredRow } from '../store/ledgerEntities';
import { commitWrites, readRows } from '../store/ledgerStore';
import { deleteIntents, intentKeys, writeIntents } from '../store/approvalIntents';
import { publishEffective, type EffectiveVersionEvent } from './effectiveVersions';

const MAX_ATTEMPTS = 10;

type Result = ApprovalsResponse['results'][number];

export interface ApprovalOutcome {
  results: Result[];
  events: EffectiveVersionEvent[];
  /** Listener failures (already logged nowhere): the caller logs them. */
  listenerFailures: unknown[];
}

/**
 * Four eyes compares people, not spellings: Entra user names (UPNs) are case-insensitive, so `Ada.Admin` and
 * `ada.admin` are one person and may not approve each other's changes.
 */
function sameUser(a: string, b: string): boolean {
  return a.localeCompare(b, 'en', { sensitivity: 'accent' }) === 0;
}

/** Approves the pending versions of `keys` as `userId`; one result per requested key, in request order. */
export async function approveRows(
  name: LedgerName,
  keys: readonly string[],
  userId: string,
  now: Date = new Date(),
): Promise<ApprovalOutcome> {
  const at = now.toISOString();
  const decided = new Map<string, Result>();
  const events: EffectiveVersionEvent[] = [];
  const firstSeen = new Map<string, number | undefined>();
  let open = [...new Set(keys)];
  // Outbox (approvalIntents.ts): every event is recorded before its commit and forgotten once the projection has it.
  const requestId = randomUUID();
  const intents: { requestId: string; rowKey: string }[] = [];
  const eventOf = (row: StoredRow): EffectiveVersionEvent => ({
    ledger: name,
    key: row.key,
    version: row.pendingVersion as number,
    before: row.approved,
    after: row.latest,
    approvedBy: userId,
    approvedAt: at,
  });

  for (let attempt = 1; open.length > 0; attempt++) {
    const rows = await readRows(name, open);
    const writes: { row: StoredRow; write: RowWrite }[] = [];
    for (const key of open) {
      const row = rows.get(key);
      if (!firstSeen.has(key)) firstSeen.set(key, row?.pendingVersion);
      if (row === undefined) decided.set(key, { key, status: 'notFound' });
      else if (row.pendingVersion === undefined) decided.set(key, { key, status: 'alreadyApproved', etag: row.etag });
      else if (sameUser(row.changedBy, userId)) decided.set(key, { key, status: 'self', etag: row.etag });
      else writes.push({ row, write: approveWrite(row, userId, at) });
    }
    const planned = writes.map((w) => eventOf(w.row));
    await writeIntents(requestId, planned, now);
    intents.push(...intentKeys(requestId, planned));
    if (faults.dieBeforeCommit) throw new Error('test fault: the process died before the approval commit');
    const outcomes = await commitWrites(
      name,
      writes.map((w) => w.write),
    );
    const retry: string[] = [];
    writes.forEach(({ row }, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok === true) {
        const version = row.pendingVersion as number;
        const result: Result = { key: row.key, status: 'approved', etag: outcome.etag, version };
        if (firstSeen.get(row.key) !== version) result.concurrentChange = true;
        decided.set(row.key, result);
        events.push(planned[i] as EffectiveVersionEvent);
      } else retry.push(row.key);
    });
    if (attempt >= MAX_ATTEMPTS && retry.length > 0) {
      // Rows edited again in every round: each failed round means someone else changed them, so give up rather
      // than loop; what was approved stays approved and is announced.
      await announce(events, intents);
      throw new ApiError(
        503,
        'busy',
        `Rows kept changing while being approved (${retry.join(', ')}); read them and approve again.`,
      );
    }
    open = retry;
  }
  const listenerFailures = await announce(events, intents);
  return { results: keys.map((k) => decided.get(k) as Result), events, listenerFailures };
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
