// Per-ledger write stamps: "this ledger's pending rows may have changed", for the provisional figures' caches.
//
// The figures generation stamp (rollupStore.ts) moves when approved versions change; writes of pending versions and
// rejections do not move it. A ledger's write stamp moves after every commit of its rows: ledgerStore.commitWrites
// bumps it once per call that committed anything, which covers PUT (created, updated), rejections and approvals.
// (Approvals alone would need no bump, their figures generation bump covers them: see figures/ledgerView.ts
// readPendingRows; one upsert per request does no harm.) Readers read the stamps BEFORE the pending rows they cache;
// a writer bumps AFTER its commit, so a commit that lands while a reader loads leaves a stamp the reader has not
// seen, and the next reader loads again (the protocol of figures/generationCache.ts).
//
// A ledger with no stamp entity is never cached (readers load its pending rows on every request) until its first
// write. A writer that dies between its commit and its bump leaves provisional figures stale until the next bump of
// that ledger, or for at most PENDING_MAX_AGE_MS (figures/ledgerView.ts).
//
// Storage: one small table of its own (one entity per ledger, PartitionKey `stamp`, RowKey the ledger name), read
// with one partition query: in Azurite every query is evaluated on every entity of its table, so the stamps must not
// share a table with anything large.

import { randomUUID } from 'node:crypto';
import { odata } from '@azure/data-tables';
import type { LedgerName } from '../../../shared/ledgers';
import { getConfig } from '../config';
import { tableClient, tableName } from './client';
import { freshReads } from './parallel';

const TABLE = 'ledgerStamps';
const PK = 'stamp';

/** Marks the pending rows of `ledgers` as changed (one plain upsert each: any new value means "changed"). */
export async function bumpLedgerStamps(ledgers: Iterable<LedgerName>): Promise<void> {
  const client = await tableClient(TABLE);
  const at = new Date().toISOString();
  await Promise.all(
    [...new Set(ledgers)].map((ledger) =>
      client.upsertEntity({ partitionKey: PK, rowKey: ledger, stamp: `${randomUUID()}@${at}` }, 'Replace'),
    ),
  );
}

/** Per storage account and table: stamp reads shared by concurrent callers, never older than the call. */
const readers = new Map<string, () => Promise<ReadonlyMap<string, string>>>();

/**
 * Every ledger's write stamp (a ledger never bumped is absent). Read by every provisional figures request, so
 * concurrent requests share reads (freshReads): each still gets a read that began after it asked.
 */
export function readLedgerStamps(): Promise<ReadonlyMap<string, string>> {
  const key = `${getConfig().storageConnection}\n${tableName(TABLE)}`;
  let reader = readers.get(key);
  if (reader === undefined) readers.set(key, (reader = freshReads(readStampsNow)));
  return reader();
}

async function readStampsNow(): Promise<ReadonlyMap<string, string>> {
  const client = await tableClient(TABLE);
  const out = new Map<string, string>();
  const entities = client.listEntities<{ stamp?: unknown }>({
    queryOptions: { filter: odata`PartitionKey eq ${PK}`, select: ['RowKey', 'stamp'] },
  });
  for await (const e of entities) if (typeof e.stamp === 'string') out.set(e.rowKey as string, e.stamp);
  return out;
}
