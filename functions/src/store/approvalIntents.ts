// Approval intents: the outbox that makes the figures' projection at-least-once.
//
// An approval request writes one intent per row it is about to approve (the event it will announce: ledger, key,
// version, before, after) BEFORE committing the approvals, and deletes its intents once the projection has taken the
// events. A request that dies in between (process killed, projection failed) leaves its intents; the figures repair
// (projection.ts, replayApprovalIntents) replays those whose approval did commit and drops the rest. The projection
// keeps the newest version per record, so a replay of an event it already has changes nothing.
//
// Table `approvalIntents`: PartitionKey = the request id (one transaction per ≤ 100 intents), RowKey = a hash of
// (ledger, key, version). It only ever holds the intents of requests in flight or interrupted, so it is listed whole.

import { createHash } from 'node:crypto';
import { odata } from '@azure/data-tables';
import type { LedgerName, LedgerRecord } from '../../../shared/ledgers';
import type { EffectiveVersionEvent } from '../services/effectiveVersions';
import { tableClient } from './client';
import { bulkDelete, bulkWrite, type Entity } from './contractIndex';
import { getChunked, MAX_QUERY_PAGE, putChunked } from './limits';

const TABLE = 'approvalIntents';

export interface ApprovalIntent {
  requestId: string;
  rowKey: string;
  /** When the intent was written (ISO). */
  at: string;
  event: EffectiveVersionEvent;
}

function intentRowKey(e: EffectiveVersionEvent): string {
  return createHash('sha256').update(`${e.ledger}\n${e.key}\n${e.version}`).digest('hex');
}

/** Records the events an approval request is about to make effective (before its commit). */
export async function writeIntents(
  requestId: string,
  events: readonly EffectiveVersionEvent[],
  now = new Date(),
): Promise<void> {
  if (events.length === 0) return;
  const at = now.toISOString();
  const entities = events.map((e): Entity => {
    const entity: Entity = {
      partitionKey: requestId,
      rowKey: intentRowKey(e),
      at,
      ledger: e.ledger,
      key: e.key,
      version: e.version,
      approvedBy: e.approvedBy,
      approvedAt: e.approvedAt,
    };
    putChunked(entity, 'after', JSON.stringify(e.after));
    if (e.before !== undefined) putChunked(entity, 'before', JSON.stringify(e.before));
    return entity;
  });
  await bulkWrite(await tableClient(TABLE), entities);
}

/** Every intent written before `olderThan` (all of them by default), oldest request first. */
export async function listIntents(olderThan?: Date): Promise<ApprovalIntent[]> {
  const client = await tableClient(TABLE);
  const out: ApprovalIntent[] = [];
  const cutoff = olderThan?.toISOString();
  const pages = client
    .listEntities<Record<string, unknown>>(
      cutoff === undefined ? {} : { queryOptions: { filter: odata`at lt ${cutoff}` } },
    )
    .byPage({ maxPageSize: MAX_QUERY_PAGE });
  for await (const page of pages) {
    for (const e of page as Entity[]) {
      const before = getChunked(e, 'before');
      out.push({
        requestId: e.partitionKey,
        rowKey: e.rowKey,
        at: String(e.at),
        event: {
          ledger: e.ledger as LedgerName,
          key: String(e.key),
          version: Number(e.version),
          before: before === undefined ? undefined : (JSON.parse(before) as LedgerRecord<LedgerName>),
          after: JSON.parse(getChunked(e, 'after') ?? 'null') as LedgerRecord<LedgerName>,
          approvedBy: String(e.approvedBy),
          approvedAt: String(e.approvedAt),
        },
      });
    }
  }
  return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/**
 * Deletes intents (a request's, once the projection has its events; or replayed ones). Ones already gone are skipped:
 * a request that was only slow deletes its own intents while the repair replays them. Listed once each: a
 * transaction refuses two operations on one entity (a request may list an intent again for a retried row).
 */
export async function deleteIntents(intents: readonly { requestId: string; rowKey: string }[]): Promise<void> {
  if (intents.length === 0) return;
  const keys = new Map(intents.map((i) => [`${i.requestId}\n${i.rowKey}`, i]));
  await bulkDelete(
    await tableClient(TABLE),
    [...keys.values()].map((i) => ({ partitionKey: i.requestId, rowKey: i.rowKey })),
    undefined,
    { ignoreMissing: true },
  );
}

/** The (PartitionKey, RowKey) of the intents of `events` written by request `requestId`. */
export function intentKeys(
  requestId: string,
  events: readonly EffectiveVersionEvent[],
): { requestId: string; rowKey: string }[] {
  return events.map((e) => ({ requestId, rowKey: intentRowKey(e) }));
}
