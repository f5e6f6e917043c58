// Ledger tables in Table Storage: batched reads by key, paged listing, history, and row+history transactions.
//
// Layout (tables, PartitionKey, RowKey, versions) is described in ledgerEntities.ts. Rules followed here:
// * Reads by key are grouped per partition: up to 4 keys are point reads (side by side); up to 14 keys in one
//   `RowKey eq … or …` query (Azure allows 15 comparisons per filter), more as RowKey range queries over sorted keys,
//   falling back to the small OR queries when a range turns out sparse. So a partition with more than 4 wanted rows
//   costs one query per 14 keys or per range, never one GET per row.
// * Writes are entity-group transactions per partition (≤ 100 operations, ≤ 4 MiB). A row and its history entry go
//   in the same transaction. When a transaction fails (a stale etag or a key created meanwhile fails the whole
//   transaction), its rows are retried one transaction per row so each gets its own verdict; the other
//   transactions are unaffected.

import { odata, RestError, type TableClient, type TransactionAction } from '@azure/data-tables';
import type { LedgerName, LedgerRecord } from '../../../shared/ledgers';
import { isPreconditionFailure, tableClient } from './client';
import {
  addressOf,
  decodeHistory,
  decodeRow,
  HISTORY_PREFIX,
  ROW_PREFIX,
  ROW_PREFIX_END,
  type Entity,
  type HistoryRecord,
  type RowAddress,
  type RowWrite,
  type StoredRow,
} from './ledgerEntities';
import {
  assertStorageKey,
  MAX_FILTER_COMPARISONS,
  MAX_QUERY_PAGE,
  operationPayloadBytes,
  transactionBatches,
} from './limits';
import { bumpLedgerStamps } from './ledgerStamps';
import { mapLimit } from './parallel';

/** Concurrent storage requests per call. */
const CONCURRENCY = 16;
/**
 * Keys per range query, and how many pages a range may read before it counts as sparse. A 5,000-row request has
 * about 300 keys per bucket, so one range query per partition usually covers them.
 */
const RANGE_KEYS = 1_000;
const RANGE_MAX_PAGES = 2;
/** Up to this many keys of one partition are read by point reads rather than a filter query. */
const POINT_READ_KEYS = 4;
/** Keys per OR query: one comparison is spent on PartitionKey. */
const OR_KEYS = MAX_FILTER_COMPARISONS - 1;

export function ledgerTable(name: LedgerName): Promise<TableClient> {
  return tableClient(name);
}

async function queryAll(
  client: TableClient,
  filter: string,
  select?: string[],
  maxPages = Infinity,
): Promise<{ entities: Entity[]; complete: boolean }> {
  const entities: Entity[] = [];
  let pages = 0;
  const iterator = client
    .listEntities<Record<string, unknown>>({ queryOptions: select ? { filter, select } : { filter } })
    .byPage({ maxPageSize: MAX_QUERY_PAGE });
  for await (const page of iterator) {
    entities.push(...(page as Entity[]));
    pages++;
    if (pages >= maxPages && page.continuationToken !== undefined) return { entities, complete: false };
  }
  return { entities, complete: true };
}

async function pointRead(
  client: TableClient,
  partitionKey: string,
  rowKey: string,
  select?: string[],
): Promise<Entity | undefined> {
  try {
    const { odata: _metadata, ...entity } = await client.getEntity<Record<string, unknown>>(partitionKey, rowKey, {
      queryOptions: select ? { select } : {},
    });
    return { ...entity, partitionKey, rowKey };
  } catch (err) {
    if (err instanceof RestError && err.statusCode === 404) return undefined;
    throw err;
  }
}

/** Raw entities of one partition with the given RowKeys (any missing ones are simply absent). */
async function entitiesByRowKeys(
  client: TableClient,
  partitionKey: string,
  rowKeys: string[],
  select?: string[],
): Promise<Entity[]> {
  const sorted = [...new Set(rowKeys)].sort();
  const out: Entity[] = [];
  if (sorted.length <= POINT_READ_KEYS) {
    // A few keys: point reads, side by side. In Azure about the cost of one small filter query each; Azurite looks
    // them up in its key index, where any query evaluates its filter on every entity of the table, so a query per
    // partition (order lines and invoice lines have a partition per contract or invoice) grows with the table.
    const found = await Promise.all(sorted.map((k) => pointRead(client, partitionKey, k, select)));
    return found.filter((e): e is Entity => e !== undefined);
  }
  const orQuery = async (keys: string[]): Promise<void> => {
    for (let i = 0; i < keys.length; i += OR_KEYS) {
      const part = keys.slice(i, i + OR_KEYS);
      const ors = part.map((k) => odata`RowKey eq ${k}`).join(' or ');
      const { entities } = await queryAll(client, `${odata`PartitionKey eq ${partitionKey}`} and (${ors})`, select);
      out.push(...entities);
    }
  };
  if (sorted.length <= OR_KEYS) {
    await orQuery(sorted);
    return out;
  }
  for (let i = 0; i < sorted.length; i += RANGE_KEYS) {
    const group = sorted.slice(i, i + RANGE_KEYS);
    const first = group[0] as string;
    const last = group[group.length - 1] as string;
    const { entities, complete } = await queryAll(
      client,
      odata`PartitionKey eq ${partitionKey} and RowKey ge ${first} and RowKey le ${last}`,
      select,
      RANGE_MAX_PAGES,
    );
    const wanted = new Set(group);
    out.push(...entities.filter((e) => wanted.has(e.rowKey)));
    if (!complete) {
      // Sparse range: many rows between our keys. Ask for the keys beyond what the pages covered, a few at a time.
      const seenUpTo = entities[entities.length - 1]?.rowKey ?? '';
      await orQuery(group.filter((k) => k > seenUpTo));
    }
  }
  return out;
}

function groupByPartition<T>(items: T[], partitionOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const p = partitionOf(item);
    const list = groups.get(p);
    if (list) list.push(item);
    else groups.set(p, [item]);
  }
  return groups;
}

/** Stored rows for the given keys, batched per partition; keys that are not valid for the ledger are absent. */
export async function readRows<L extends LedgerName>(
  name: L,
  keys: Iterable<string>,
): Promise<Map<string, StoredRow<L>>> {
  const client = await ledgerTable(name);
  const addressed: { key: string; address: RowAddress }[] = [];
  for (const key of new Set(keys)) {
    const address = addressOf(name, key);
    if (address) addressed.push({ key, address });
  }
  const groups = [...groupByPartition(addressed, (a) => a.address.partitionKey)];
  const found = new Map<string, StoredRow<L>>();
  await mapLimit(groups, CONCURRENCY, async ([partitionKey, items]) => {
    const entities = await entitiesByRowKeys(
      client,
      partitionKey,
      items.map((i) => i.address.rowKey),
    );
    for (const e of entities) {
      const row = decodeRow(name, e);
      found.set(row.key, row);
    }
  });
  return found;
}

export async function readRow<L extends LedgerName>(name: L, key: string): Promise<StoredRow<L> | undefined> {
  return (await readRows(name, [key])).get(key);
}

/** Every row of one partition, e.g. one contract's order lines (partition = contractId). */
export async function readPartition<L extends LedgerName>(name: L, partitionKey: string): Promise<StoredRow<L>[]> {
  const client = await ledgerTable(name);
  const { entities } = await queryAll(
    client,
    odata`PartitionKey eq ${partitionKey} and RowKey ge ${ROW_PREFIX} and RowKey lt ${ROW_PREFIX_END}`,
  );
  return entities.map((e) => decodeRow(name, e));
}

/**
 * Rows whose latest version has `field` equal to `value`, e.g. one contract's deliveries by contractId: one
 * server-side filtered query per partition for bucketed ledgers, run in parallel.
 */
export async function readByField<L extends LedgerName>(
  name: L,
  field: string,
  value: FilterValue,
): Promise<StoredRow<L>[]> {
  const client = await ledgerTable(name);
  const { entities } = await queryAll(client, `${rowRangeFilter()} and ${fieldEquals(field, value)}`);
  return entities.map((e) => decodeRow(name, e));
}

export type FilterValue = string | bigint | boolean;

/**
 * `field eq value` with a typed literal: strings quoted and escaped by the SDK's odata template, Int64 with the `L`
 * suffix (an untyped number would be an Int32 literal and never equal an Int64 column). `field` must be a
 * column name the caller checked against the ledger's columns.
 */
export function fieldEquals(field: string, value: FilterValue): string {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(field)) throw new Error(`not a column name: ${field}`);
  if (typeof value === 'bigint') return `${field} eq ${value.toString()}L`;
  if (typeof value === 'boolean') return `${field} eq ${value ? 'true' : 'false'}`;
  return `${field} ${odata`eq ${value}`}`;
}

/** The filter that selects row entities (not history) across the table. */
export function rowRangeFilter(): string {
  return odata`RowKey ge ${ROW_PREFIX} and RowKey lt ${ROW_PREFIX_END}`;
}

export interface Page<T> {
  items: T[];
  /** The SDK's continuation token, or undefined on the last page. */
  continuationToken: string | undefined;
}

/**
 * One page of rows matching `filter` (an OData expression over top-level columns, or empty). Azure may return
 * short or empty pages with a token (filters are applied per server range), so this keeps reading until it has
 * `pageSize` rows or no token is left; the token returned resumes exactly after the last row returned.
 */
export async function listRowsPage<L extends LedgerName>(
  name: L,
  filter: string,
  pageSize: number,
  continuationToken: string | undefined,
): Promise<Page<StoredRow<L>>> {
  const client = await ledgerTable(name);
  const fullFilter = filter === '' ? rowRangeFilter() : `${rowRangeFilter()} and ${filter}`;
  const items: StoredRow<L>[] = [];
  let token = continuationToken;
  do {
    const want = Math.min(MAX_QUERY_PAGE, pageSize - items.length);
    const iterator = client
      .listEntities<Record<string, unknown>>({ queryOptions: { filter: fullFilter } })
      .byPage({ maxPageSize: want, continuationToken: token });
    const next = await iterator.next();
    if (next.done === true) {
      token = undefined;
      break;
    }
    const page = next.value;
    for (const e of page as Entity[]) items.push(decodeRow(name, e));
    token = page.continuationToken;
  } while (token !== undefined && items.length < pageSize);
  return { items, continuationToken: token };
}

/**
 * Every row of a ledger whose entity passes `filter` ('' for all), in pages of up to 1,000: `onPage` sees each page
 * before the next is read, so a caller that keeps only part of each row never holds the raw entities of the table.
 */
export async function forEachRowPage<L extends LedgerName>(
  name: L,
  filter: string,
  onPage: (rows: StoredRow<L>[]) => void,
): Promise<void> {
  let token: string | undefined;
  do {
    const page = await listRowsPage(name, filter, MAX_QUERY_PAGE, token);
    onPage(page.items);
    token = page.continuationToken;
  } while (token !== undefined);
}

/**
 * The approved version of every row of a ledger that `keep` accepts (all by default), read page by page so only the
 * kept records stay in memory; rows never approved are left out, a row with a pending change gives the version in
 * effect.
 */
export async function readApprovedRecords<L extends LedgerName>(
  name: L,
  keep: (record: LedgerRecord<L>) => boolean = () => true,
): Promise<LedgerRecord<L>[]> {
  const kept: LedgerRecord<L>[] = [];
  await forEachRowPage(name, '', (rows) => {
    for (const row of rows) if (row.approved !== undefined && keep(row.approved)) kept.push(row.approved);
  });
  return kept;
}

/** The history of one row, oldest first. */
export async function readHistory(name: LedgerName, key: string): Promise<HistoryRecord[]> {
  const address = addressOf(name, key);
  if (!address) return [];
  const client = await ledgerTable(name);
  const from = `${HISTORY_PREFIX}${address.rowId}|`;
  // `:` sorts after the digits of the sequence number; metaKey drops keys that merely share the prefix.
  const { entities } = await queryAll(
    client,
    odata`PartitionKey eq ${address.partitionKey} and RowKey gt ${from} and RowKey lt ${`${from}:`} and metaKey eq ${key}`,
  );
  return entities.map(decodeHistory).sort((a, b) => a.seq - b.seq);
}

export type WriteOutcome = { ok: true; etag: string } | { ok: false; reason: 'precondition' };

function actionsOf(write: RowWrite): TransactionAction[] {
  assertStorageKey(write.row.partitionKey, 'PartitionKey');
  assertStorageKey(write.row.rowKey, 'RowKey');
  assertStorageKey(write.history.rowKey, 'RowKey');
  const rowAction: TransactionAction =
    write.kind === 'create' ? ['create', write.row] : ['update', write.row, 'Replace', { etag: write.etag as string }];
  return [rowAction, ['create', write.history]];
}

async function submit(client: TableClient, writes: RowWrite[]): Promise<string[]> {
  const response = await client.submitTransaction(writes.flatMap(actionsOf));
  // Sub-responses come in operation order (row, history, row, history, …). Their rowKey is parsed from the
  // URL-encoded Location header, so position is the reliable link.
  return writes.map((w, i) => {
    const etag = response.subResponses[2 * i]?.etag?.trim();
    if (etag === undefined || etag === '') throw new Error(`the transaction response has no etag for ${w.row.rowKey}`);
    return etag;
  });
}

/**
 * Commits row writes, each with its history entry, in per-partition transactions. Returns one outcome per write,
 * in input order: the row's new etag, or `precondition` when the row changed (or was created) since it was read.
 * A failed transaction is retried one row per transaction so each row gets its own verdict, unless
 * `retryRowsAlone` is false: then all its rows report `precondition` (for optimistic inserts, where the caller
 * reads those rows in one batch and decides again). Other storage failures throw.
 */
export async function commitWrites(
  name: LedgerName,
  writes: RowWrite[],
  options: { retryRowsAlone?: boolean } = {},
): Promise<WriteOutcome[]> {
  const retryRowsAlone = options.retryRowsAlone ?? true;
  const client = await ledgerTable(name);
  const outcomes = new Array<WriteOutcome>(writes.length);
  const indexed = writes.map((write, index) => ({ write, index }));
  // Two operations per write: the row and its history entry.
  const batches = [...groupByPartition(indexed, (w) => w.write.row.partitionKey).values()].flatMap((group) =>
    transactionBatches(group, (w) => operationPayloadBytes(w.write.row) + operationPayloadBytes(w.write.history), 2),
  );
  await mapLimit(batches, CONCURRENCY, async (batch) => {
    try {
      const etags = await submit(
        client,
        batch.map((b) => b.write),
      );
      batch.forEach((b, i) => (outcomes[b.index] = { ok: true, etag: etags[i] as string }));
    } catch (err) {
      if (!isPreconditionFailure(err)) throw err;
      if (!retryRowsAlone || batch.length === 1) {
        for (const b of batch) outcomes[b.index] = { ok: false, reason: 'precondition' };
        return;
      }
      // One stale row fails the whole transaction; give every row its own verdict.
      for (const b of batch) {
        try {
          const [etag] = await submit(client, [b.write]);
          outcomes[b.index] = { ok: true, etag: etag as string };
        } catch (e) {
          if (!isPreconditionFailure(e)) throw e;
          outcomes[b.index] = { ok: false, reason: 'precondition' };
        }
      }
    }
  });
  // The ledger's latest versions (or rejections) changed: provisional figures cached under its write stamp are stale.
  // After the commit, so a reader that loaded before it sees a stamp it has not read (ledgerStamps.ts).
  if (outcomes.some((o) => o.ok)) await bumpLedgerStamps([name]);
  return outcomes;
}
