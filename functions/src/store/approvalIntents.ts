// Approval intents: the outbox that makes the figures' projection at-least-once.
//
// An approval request records the events it is about to make effective (ledger, key, version, before, after) BEFORE
// committing the approvals, and deletes them once the projection has taken the events. A request that dies in between
// (process killed, projection failed) leaves its intents; the figures repair (projection.ts, replayApprovalIntents)
// replays those whose approval did commit and drops the rest. The projection keeps the newest version per record, so
// a replay of an event it already has changes nothing.
//
// Table `approvalIntents`: PartitionKey = the request id, so a request's intents go out in a few transactions. Events
// are PACKED: one entity holds up to PACK_EVENTS consecutive events of one writeIntents call (JSON, chunked, well
// under Azure's 1 MiB per entity), RowKey = a hash of their (ledger, key, version) list. So a 5,000-row approval
// writes ~100 intent entities, not 5,000 (Azurite on disk re-serialises every entity every 5 s). writeIntents returns
// the key of each pack it wrote, which is what the request deletes: a pack only ever holds events of one round of one
// request, deleted together. The table only ever holds the intents of requests in flight or interrupted, so it
// is listed whole. Entities of the former one-event layout are still read.

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

/** Events per intent entity (an event is a row's two versions: ~1 KB of JSON; a pack stays far below 1 MiB). */
const PACK_EVENTS = 50;
/** Characters of JSON per pack at most (Azure counts 2 bytes per character; 1 MiB per entity). */
const PACK_CHARS = 300_000;

function packRowKey(events: readonly EffectiveVersionEvent[]): string {
  const h = createHash('sha256');
  for (const e of events) h.update(`${e.ledger}\n${e.key}\n${e.version}\n`);
  return h.digest('hex');
}

/** The events in packs, deterministically (intentKeys must find the packs writeIntents wrote). */
function packsOf(
  events: readonly EffectiveVersionEvent[],
): { rowKey: string; events: EffectiveVersionEvent[]; json: string[] }[] {
  const packs: { rowKey: string; events: EffectiveVersionEvent[]; json: string[] }[] = [];
  let current: EffectiveVersionEvent[] = [];
  let json: string[] = [];
  let chars = 0;
  const close = (): void => {
    if (current.length > 0) packs.push({ rowKey: packRowKey(current), events: current, json });
    current = [];
    json = [];
    chars = 0;
  };
  for (const e of events) {
    const text = JSON.stringify(e);
    if (current.length >= PACK_EVENTS || (current.length > 0 && chars + text.length > PACK_CHARS)) close();
    current.push(e);
    json.push(text);
    chars += text.length + 1;
  }
  close();
  return packs;
}

/** Records the events an approval request is about to make effective (before its commit). */
export async function writeIntents(
  requestId: string,
  events: readonly EffectiveVersionEvent[],
  now = new Date(),
): Promise<{ requestId: string; rowKey: string }[]> {
  if (events.length === 0) return [];
  const at = now.toISOString();
  const entities = packsOf(events).map((p): Entity => {
    const entity: Entity = { partitionKey: requestId, rowKey: p.rowKey, at, n: p.events.length };
    putChunked(entity, 'ev', `[${p.json.join(',')}]`);
    return entity;
  });
  await bulkWrite(await tableClient(TABLE), entities);
  return entities.map((e) => ({ requestId, rowKey: e.rowKey }));
}

/** The events of one stored intent entity: a pack, or one event of the former layout. */
function eventsOf(e: Entity): EffectiveVersionEvent[] {
  const packed = getChunked(e, 'ev');
  if (packed !== undefined) return JSON.parse(packed) as EffectiveVersionEvent[];
  const before = getChunked(e, 'before');
  return [
    {
      ledger: e.ledger as LedgerName,
      key: String(e.key),
      version: Number(e.version),
      before: before === undefined ? undefined : (JSON.parse(before) as LedgerRecord<LedgerName>),
      after: JSON.parse(getChunked(e, 'after') ?? 'null') as LedgerRecord<LedgerName>,
      approvedBy: String(e.approvedBy),
      approvedAt: String(e.approvedAt),
    },
  ];
}

/** Every intent (one per event) written before `olderThan` (all of them by default), oldest request first. */
export async function listIntents(olderThan?: Date): Promise<ApprovalIntent[]> {
  const client = await tableClient(TABLE);
  const out: ApprovalIntent[] = [];
  const cutoff = olderThan?.toISOString();
  const pages = client
    .listEntities<Record<string, unknown>>(
      cutoff === undefined ? {} : { queryOptions: { filter: odata`at lt ${cutoff}` } },
    )
    .byPage({ maxPageSize: MAX_QUERY_PAGE });
  for await (const page of pages)
    for (const e of page as Entity[])
      for (const event of eventsOf(e))
        out.push({ requestId: e.partitionKey, rowKey: e.rowKey, at: String(e.at), event });
  return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/**
 * Deletes intents (a request's, once the projection has its events; or replayed ones): the packs their keys name.
 * Ones already gone are skipped: a request that was only slow deletes its own intents while the repair replays them.
 * Listed once each: a transaction refuses two operations on one entity (several events share a pack, and a request
 * may list an intent again for a retried row).
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
