// The contract index: approved records regrouped by what figures read together (a contract, a salesperson, an invoice).
//
// Ledger tables are partitioned by key hash, so "all rows of contract X" is not one partition there. This projection
// (table `contractIndex`) holds the APPROVED version of every row figures use:
// * contract unit X — PartitionKey `c|bNNN` (hash bucket of X), RowKeys `<X>|<ledger>|<key>` for the contract, its
//   order lines, deliveries, invoices, payments and credit notes, and `<X>|~state` (the unit's contribution, see UnitState);
// * salesperson unit S — `s|bNNN`, RowKeys `<S>|salespeople|<S>`, `<S>|expenses|<key>` and `<S>|~state`;
// * invoice I's lines — `i|bNNN`, RowKeys `<I>|invoiceLines|<key>`, plus `<I>|~invoice`: a pointer to the contract the
//   invoice is filed under. Lines never move: when an invoice's contract changes, only the invoice record and the
//   pointer do (a deviation from "lines in the contract partition" that removes parking and moving of lines);
// * rollup journals — `<pk>|%~delta|<deltaId>|<n>` in a unit partition: the summed rollup cells of the units one
//   projection transaction committed there, written in that same transaction, applied to the rollups by the request
//   (or a drain) and deleted afterwards (projection.ts). `%~` cannot start an escaped unit id, so no unit's RowKey
//   range contains a journal.
// Units share hash-bucket partitions (1,024 per kind) rather than one partition each: a unit is still one RowKey range
// query, the units of one bucket touched by one approval request are read by one query and committed, with their
// states, in one entity-group transaction, and a bulk load or rebuild packs the entities of several units per
// transaction. Reads of many units or invoices go out as PartitionKey range queries over runs of nearby buckets
// (readPartitions): Azurite evaluates every query's filter on every entity of the table, so the number of queries,
// not the entities returned, is what a request must keep small. 1,024 buckets: a 5,000-contract approval touches ~1,000
// partitions, so its commits are ~1,000 transactions of ~10 operations instead of ~3,000 of ~3 (with 4,096), while at
// 200,000 contracts a bucket still holds only ~1,500 entities (Azure serves ≈ 2,000 entities/s per partition, and
// Azurite's insert scans the partition for the key). Changing the bucket count changes every PartitionKey: a store
// written with another count is re-projected by `npm run rollups:rebuild`.
// Every RowKey starts with its PartitionKey (`c|b0042|<X>|…`): (PartitionKey, RowKey) order is then also RowKey order,
// so a bulk load written in key order appends to both of Azurite's key indices instead of splicing into the middle
// of a million-entry array per insert (quadratic). In Azure it only makes the keys a few characters longer.
// Every record entity carries its approved version `v`; a row that moved to another unit leaves a tombstone
// (`gone`) with the version that moved it, so events applied out of order never resurrect an older placement.

import { odata, RestError, type TableClient, type TableEntity, type TransactionAction } from '@azure/data-tables';
import { groupBy } from '../../../shared/calc';
import type { LedgerName, LedgerRecord } from '../../../shared/ledgers';
import type { Cell, Contribution } from '../figures/cells';
import { isPreconditionFailure, tableClient } from './client';
import { getChunked, MAX_QUERY_PAGE, operationPayloadBytes, putChunked, transactionBatches } from './limits';
import { fnv1a } from './ledgerEntities';
import { mapLimit } from './parallel';

const TABLE = 'contractIndex';
export const UNIT_BUCKETS = 1024;
const STATE = '~state';
const POINTER = '~invoice';
const JOURNAL = '%~delta';
const CONCURRENCY = 16;

export type UnitKind = 'c' | 's';
export type Entity = Record<string, unknown> & TableEntity;

export function indexTable(): Promise<TableClient> {
  return tableClient(TABLE);
}

/**
 * Escapes `%`, `|` and the characters Azure refuses in keys, so ids and group names can sit in RowKeys and a unit's
 * prefix `<id>|` never matches another id that merely starts with it.
 */
export function escapeKeyPart(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex
    /[%|/\\#?\u0000-\u001f\u007f-\u009f]/g,
    (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

export function unitPartition(kind: UnitKind | 'i', id: string): string {
  return `${kind}|b${String(fnv1a(id) % UNIT_BUCKETS).padStart(4, '0')}`;
}

export function recordRowKey(pk: string, unitId: string, ledger: LedgerName, key: string): string {
  return `${pk}|${escapeKeyPart(unitId)}|${ledger}|${escapeKeyPart(key)}`;
}

const stateRowKey = (pk: string, unitId: string): string => `${pk}|${escapeKeyPart(unitId)}|${STATE}`;
const pointerRowKey = (invoiceNo: string): string =>
  `${unitPartition('i', invoiceNo)}|${escapeKeyPart(invoiceNo)}|${POINTER}`;

/** One record of a unit (or an invoice's line) as the index holds it. */
export interface IndexedRecord {
  ledger: LedgerName;
  key: string;
  version: number;
  /** Undefined for a tombstone: the row moved to another unit at `version`. */
  record: LedgerRecord<LedgerName> | undefined;
}

/** A unit's contribution to the rollups (what its approved records add to them). */
export interface UnitState {
  contribution: Contribution | undefined;
}

export interface UnitRead {
  records: Map<string, IndexedRecord & { etag: string }>;
  state: UnitState;
  /** Undefined when the unit has no state entity yet. */
  stateEtag: string | undefined;
}

export const recordId = (ledger: string, key: string): string => `${ledger}|${key}`;

export function recordEntity(pk: string, unitId: string, r: IndexedRecord): Entity {
  const e: Entity = {
    partitionKey: pk,
    rowKey: recordRowKey(pk, unitId, r.ledger, r.key),
    U: unitId,
    L: r.ledger,
    K: r.key,
    v: r.version,
  };
  if (r.record === undefined) e.gone = true;
  else putChunked(e, 'rec', JSON.stringify(r.record));
  return e;
}

function decodeRecord(e: Raw): IndexedRecord & { etag: string } {
  const json = getChunked(e, 'rec');
  return {
    ledger: e.L as LedgerName,
    key: String(e.K),
    version: Number(e.v),
    record: e.gone === true || json === undefined ? undefined : (JSON.parse(json) as LedgerRecord<LedgerName>),
    etag: e.etag,
  };
}

/** The pointer from an invoice's line partition to the contract the invoice is filed under. */
export function pointerEntity(invoiceNo: string, contractId: string | undefined, version: number): Entity {
  const e: Entity = { partitionKey: unitPartition('i', invoiceNo), rowKey: pointerRowKey(invoiceNo), v: version };
  if (contractId !== undefined) e.cid = contractId;
  return e;
}

export function stateEntity(pk: string, unitId: string, state: UnitState): Entity {
  const e: Entity = { partitionKey: pk, rowKey: stateRowKey(pk, unitId), U: unitId };
  putChunked(e, 'con', JSON.stringify(state.contribution ?? null));
  return e;
}

function decodeState(e: Record<string, unknown>): UnitState {
  const con = getChunked(e, 'con');
  return { contribution: con === undefined ? undefined : ((JSON.parse(con) as Contribution | null) ?? undefined) };
}

/** An entity as queries return it (the SDK types keys and etag as optional; the service always sends them). */
export type Raw = Record<string, unknown> & { partitionKey: string; rowKey: string; etag: string };

/** Every entity `filter` matches, page by page (also used by rollupStore). */
export async function queryAll(client: TableClient, filter: string): Promise<Raw[]> {
  const out: Raw[] = [];
  const iter = client
    .listEntities<Record<string, unknown>>({ queryOptions: { filter } })
    .byPage({ maxPageSize: MAX_QUERY_PAGE });
  for await (const page of iter) out.push(...(page as Raw[]));
  return out;
}

function prefixFilter(pk: string, id: string): string {
  const prefix = `${pk}|${escapeKeyPart(id)}|`;
  // `}` sorts right after `|`: the range holds exactly the RowKeys that start with the prefix.
  return odata`PartitionKey eq ${pk} and RowKey ge ${prefix} and RowKey lt ${`${pk}|${escapeKeyPart(id)}}`}`;
}

/** All of a unit's entities: one range query, decoded like readUnits' (unitsFrom). */
export async function readUnit(kind: UnitKind, id: string): Promise<UnitRead> {
  const pk = unitPartition(kind, id);
  const entities = await queryAll(await indexTable(), prefixFilter(pk, id));
  return unitsFrom(new Map([[pk, entities]]), [{ kind, id }]).get(unitKey(kind, id)) as UnitRead;
}

/** What the index holds for one invoice: its lines (with versions, tombstones included) and its pointer. */
export interface InvoiceLinesRead {
  lines: Map<string, IndexedRecord & { etag: string }>;
  pointer: { contractId: string | undefined; version: number; etag: string } | undefined;
}

const bucketOf = (pk: string): number => Number(pk.slice(3));

/** Nearby touched buckets closer than this are read by one range query (reading the buckets between is cheaper). */
const RUN_GAP = 16;
/** At most this many buckets per range query, so a query stays a few pages. */
const RUN_SPAN = 256;
/** Queries in flight (Azurite runs each over the whole table on its one thread: more would only queue). */
const READ_CONCURRENCY = 4;

/** Partition reads done by this process (one per range query): tests and the approvals bench count them. */
export const indexQueries = { count: 0 };

/**
 * Every entity of the given index partitions, by partition: sorted runs of nearby buckets of one kind go out as ONE
 * PartitionKey range query each (see the file comment), so reading the units of a 5,000-row request is a handful of
 * queries, not one per unit.
 */
export async function readPartitions(pks: Iterable<string>): Promise<Map<string, Raw[]>> {
  const client = await indexTable();
  const wanted = [...new Set(pks)].sort();
  const runs: string[][] = [];
  for (const pk of wanted) {
    const run = runs[runs.length - 1];
    const first = run?.[0];
    const last = run?.[run.length - 1];
    if (
      run !== undefined &&
      first !== undefined &&
      last !== undefined &&
      first.slice(0, 1) === pk.slice(0, 1) &&
      bucketOf(pk) - bucketOf(last) <= RUN_GAP &&
      bucketOf(pk) - bucketOf(first) < RUN_SPAN
    )
      run.push(pk);
    else runs.push([pk]);
  }
  const out = new Map<string, Raw[]>(wanted.map((pk) => [pk, []]));
  await mapLimit(runs, READ_CONCURRENCY, async (run) => {
    const first = run[0] as string;
    const last = run[run.length - 1] as string;
    indexQueries.count++;
    const filter =
      first === last ? odata`PartitionKey eq ${first}` : odata`PartitionKey ge ${first} and PartitionKey le ${last}`;
    for (const e of await queryAll(client, filter)) out.get(e.partitionKey)?.push(e);
  });
  return out;
}

/** A unit's key in maps of several units. */
export const unitKey = (kind: UnitKind, id: string): string => `${kind}|${id}`;

/** The units' entities from already-read partitions (see readPartitions). */
export function unitsFrom(
  partitions: ReadonlyMap<string, readonly Raw[]>,
  units: readonly { kind: UnitKind; id: string }[],
): Map<string, UnitRead> {
  const out = new Map<string, UnitRead>();
  const byPartition = new Map<string, Map<string, UnitRead>>();
  for (const { kind, id } of units) {
    const pk = unitPartition(kind, id);
    const read: UnitRead = { records: new Map(), state: { contribution: undefined }, stateEtag: undefined };
    out.set(unitKey(kind, id), read);
    let ids = byPartition.get(pk);
    if (ids === undefined) byPartition.set(pk, (ids = new Map<string, UnitRead>()));
    ids.set(id, read);
  }
  for (const [pk, ids] of byPartition) {
    for (const e of partitions.get(pk) ?? []) {
      const read = typeof e.U === 'string' ? ids.get(e.U) : undefined;
      if (read === undefined) continue;
      if (e.rowKey === stateRowKey(pk, e.U as string)) {
        read.state = decodeState(e);
        read.stateEtag = e.etag;
      } else if (typeof e.L === 'string') {
        const r = decodeRecord(e);
        read.records.set(recordId(r.ledger, r.key), r);
      }
    }
  }
  return out;
}

/** Several units at once, by `unitKey`: their partitions read with readPartitions. */
export async function readUnits(units: readonly { kind: UnitKind; id: string }[]): Promise<Map<string, UnitRead>> {
  return unitsFrom(await readPartitions(units.map((u) => unitPartition(u.kind, u.id))), units);
}

function invoiceLinesFrom(entities: readonly Raw[], invoiceNo: string): InvoiceLinesRead {
  const read: InvoiceLinesRead = { lines: new Map(), pointer: undefined };
  const pointerKey = pointerRowKey(invoiceNo);
  for (const e of entities) {
    if (e.rowKey === pointerKey)
      read.pointer = { contractId: typeof e.cid === 'string' ? e.cid : undefined, version: Number(e.v), etag: e.etag };
    else if (e.U === invoiceNo && typeof e.L === 'string') {
      const r = decodeRecord(e);
      read.lines.set(r.key, r);
    }
  }
  return read;
}

/** The lines and pointers of several invoices: their line partitions read with readPartitions. */
export async function readInvoiceLines(invoiceNos: Iterable<string>): Promise<Map<string, InvoiceLinesRead>> {
  const wanted = [...new Set(invoiceNos)];
  const partitions = await readPartitions(wanted.map((n) => unitPartition('i', n)));
  return new Map(wanted.map((n) => [n, invoiceLinesFrom(partitions.get(unitPartition('i', n)) ?? [], n)]));
}

/** One unit's part of a partition commit: its record writes and its new state, conditioned on the state it read. */
export interface UnitCommit {
  kind: UnitKind;
  id: string;
  writes: readonly IndexedRecord[];
  state: UnitState;
  /** Undefined when the unit had no state entity: it is then created (and the commit fails if it exists). */
  stateEtag: string | undefined;
}

/** A rollup journal entry: the summed cells of the units one commit changed, under the delta's id. */
export interface Journal {
  deltaId: string;
  cells: Cell[];
}

export interface JournalKey {
  partitionKey: string;
  rowKey: string;
}

/** Index operations of one unit's commit (its record writes and its state). */
export const commitOperations = (u: UnitCommit): number => u.writes.length + 1;

/**
 * Commits the record writes and new states of several units of ONE partition, plus the journal of their rollup cells,
 * in ONE transaction conditioned on each state's ETag (or on its absence). Returns the journal's key (or null when
 * there were no cells), or false when someone else changed one of the units since they were read: nothing is written
 * then. At most MAX_BATCH_OPERATIONS − 1 operations of units (see commitOperations).
 */
export async function commitPartition(
  pk: string,
  units: readonly UnitCommit[],
  journal: Journal | undefined,
  seq: number,
): Promise<JournalKey | null | false> {
  const client = await indexTable();
  const actions: TransactionAction[] = [];
  for (const u of units) {
    if (unitPartition(u.kind, u.id) !== pk) throw new Error(`unit ${u.kind}|${u.id} is not in partition ${pk}`);
    // Unconditional upserts are safe: every write to a unit's records goes through here, serialised by the state ETag.
    for (const w of u.writes) actions.push(['upsert', recordEntity(pk, u.id, w), 'Replace']);
    const s = stateEntity(pk, u.id, u.state);
    actions.push(u.stateEtag === undefined ? ['create', s] : ['update', s, 'Replace', { etag: u.stateEtag }]);
  }
  let key: JournalKey | null = null;
  if (journal !== undefined && journal.cells.length > 0) {
    const e: Entity = { partitionKey: pk, rowKey: `${pk}|${JOURNAL}|${journal.deltaId}|${seq}`, J: journal.deltaId };
    putChunked(e, 'dl', JSON.stringify(journal.cells));
    actions.push(['create', e]);
    key = { partitionKey: e.partitionKey, rowKey: e.rowKey };
  }
  if (actions.length === 0) return null;
  try {
    await client.submitTransaction(actions);
    return key;
  } catch (err) {
    if (isPreconditionFailure(err)) return false;
    throw err;
  }
}

/** Journal entries left in the index (their rollup application did not finish), with their cells. */
export async function listJournals(): Promise<(JournalKey & Journal)[]> {
  const client = await indexTable();
  const out: (JournalKey & Journal)[] = [];
  // Only journals carry `J`; in Azure as in Azurite this is one server-side filtered scan (the rebuild's drain).
  for (const e of await queryAll(client, "J ne ''"))
    out.push({
      partitionKey: e.partitionKey,
      rowKey: e.rowKey,
      deltaId: String(e.J),
      cells: JSON.parse(getChunked(e, 'dl') ?? '[]') as Cell[],
    });
  return out;
}

/** Deletes journal entries whose cells the rollups have (skipping ones a concurrent drain deleted). */
export async function deleteJournals(keys: readonly JournalKey[]): Promise<void> {
  await bulkDelete(await indexTable(), keys, CONCURRENCY, { ignoreMissing: true });
}

/** A last-writer-wins write in an invoice's line partition: a line (or its tombstone) or the invoice's pointer. */
export type LineWrite =
  | { kind: 'line'; invoiceNo: string; record: IndexedRecord }
  | { kind: 'pointer'; invoiceNo: string; contractId: string | undefined; version: number };

const lineWriteVersion = (w: LineWrite): number => (w.kind === 'pointer' ? w.version : w.record.version);

/**
 * Applies line and pointer writes, each only when its version is newer than the stored one, ETag-conditioned per
 * entity: the line partitions are read together (readPartitions), each partition's writes go out in transactions of
 * ≤ 100, and a partition whose transaction met a change is read again and retried. Returns the writes that took
 * effect.
 */
export async function writeLinePartitions(writes: readonly LineWrite[]): Promise<LineWrite[]> {
  const client = await indexTable();
  // Of several writes to one entity, only the newest counts.
  const newest = new Map<string, LineWrite>();
  for (const w of writes) {
    const id = `${w.invoiceNo}\n${w.kind === 'pointer' ? POINTER : w.record.key}`;
    const prev = newest.get(id);
    if (prev === undefined || lineWriteVersion(prev) < lineWriteVersion(w)) newest.set(id, w);
  }
  const byPartition = groupBy([...newest.values()], (w) => unitPartition('i', w.invoiceNo));
  const applied: LineWrite[] = [];
  let open = [...byPartition.keys()];
  for (let attempt = 1; open.length > 0; attempt++) {
    const read = await readPartitions(open);
    const retry: string[] = [];
    await mapLimit(open, CONCURRENCY, async (pk) => {
      const entities = read.get(pk) ?? [];
      const invoices = new Map<string, InvoiceLinesRead>();
      const current = (invoiceNo: string): InvoiceLinesRead => {
        let r = invoices.get(invoiceNo);
        if (r === undefined) invoices.set(invoiceNo, (r = invoiceLinesFrom(entities, invoiceNo)));
        return r;
      };
      const planned: { action: TransactionAction; write: LineWrite }[] = [];
      for (const w of byPartition.get(pk) ?? []) {
        const cur = current(w.invoiceNo);
        if (w.kind === 'pointer') {
          const p = cur.pointer;
          if (p !== undefined && p.version >= w.version) continue;
          const e = pointerEntity(w.invoiceNo, w.contractId, w.version);
          planned.push({
            write: w,
            action: p === undefined ? ['create', e] : ['update', e, 'Replace', { etag: p.etag }],
          });
        } else {
          const old = cur.lines.get(w.record.key);
          if (old !== undefined && old.version >= w.record.version) continue;
          const e = recordEntity(pk, w.invoiceNo, w.record);
          planned.push({
            write: w,
            action: old === undefined ? ['create', e] : ['update', e, 'Replace', { etag: old.etag }],
          });
        }
      }
      // Transactions of one partition one after the other; one that meets a change sends the partition round again
      // (those already committed are then found at their version and skipped).
      for (const batch of transactionBatches(planned, (p) => operationPayloadBytes(p.action[1]))) {
        try {
          await client.submitTransaction(batch.map((p) => p.action));
          applied.push(...batch.map((p) => p.write));
        } catch (err) {
          if (!isPreconditionFailure(err) || attempt >= 20) throw err;
          retry.push(pk);
          return;
        }
      }
    });
    open = retry;
  }
  return applied;
}

function batchesOf(actions: readonly TransactionAction[]): TransactionAction[][] {
  return transactionBatches(actions, (a) => operationPayloadBytes(a[1]));
}

/** Index entries read by a scan: records with their unit, lines with their invoice. */
export interface ScannedRecord {
  unitId: string;
  ledger: LedgerName;
  record: LedgerRecord<LedgerName>;
}

/**
 * Every live record of the given ledgers across the index, page by page with a server-side filter on the ledger
 * column: the "all contracts" read of receivables and the invoice check.
 */
export async function scanRecords(ledgers: readonly LedgerName[], onRecord: (r: ScannedRecord) => void): Promise<void> {
  const client = await indexTable();
  // Tombstones are skipped here, not in the filter: a comparison with a missing property is false in Azure.
  const filter = ledgers.map((l) => odata`L eq ${l}`).join(' or ');
  const iter = client
    .listEntities<Record<string, unknown>>({ queryOptions: { filter } })
    .byPage({ maxPageSize: MAX_QUERY_PAGE });
  for await (const page of iter)
    for (const e of page as Raw[]) {
      const r = decodeRecord(e);
      if (r.record === undefined) continue;
      onRecord({ unitId: String(e.U), ledger: r.ledger, record: r.record });
    }
}

/**
 * Writes entities in per-partition transactions of ≤ 100 (bulk load and rebuild), several partitions in flight.
 * `fresh` (the table was just emptied or created): plain inserts, no read-modify-write and no ETags; a batch that
 * meets an existing entity (an approval projected meanwhile) is redone as upserts, so reruns still converge.
 * Entities go out in (PartitionKey, RowKey) order: see the file comment on why that matters to Azurite.
 */
export async function bulkWrite(
  client: TableClient,
  entities: readonly Entity[],
  options: { fresh?: boolean; concurrency?: number } = {},
): Promise<void> {
  const sorted = [...entities].sort((a, b) =>
    a.partitionKey === b.partitionKey
      ? a.rowKey < b.rowKey
        ? -1
        : a.rowKey > b.rowKey
          ? 1
          : 0
      : a.partitionKey < b.partitionKey
        ? -1
        : 1,
  );
  const actions = sorted.map((e): TransactionAction =>
    options.fresh === true ? ['create', e] : ['upsert', e, 'Replace'],
  );
  const batches = [...groupBy(actions, (a) => a[1].partitionKey).values()].flatMap(batchesOf);
  await mapLimit(batches, options.concurrency ?? 8, async (b) => {
    try {
      await client.submitTransaction(b);
    } catch (err) {
      if (!(err instanceof RestError && err.statusCode === 409) || b[0]?.[0] !== 'create') throw err;
      await client.submitTransaction(b.map((a): TransactionAction => ['upsert', a[1], 'Replace']));
    }
  });
}

/**
 * Deletes the given entities (unconditionally) in per-partition transactions. With `ignoreMissing`, a transaction
 * that fails because one of its entities is already gone (deleted concurrently) is redone one entity at a time,
 * skipping the missing ones; otherwise that failure throws.
 */
export async function bulkDelete(
  client: TableClient,
  keys: readonly { partitionKey: string; rowKey: string }[],
  concurrency = 8,
  options: { ignoreMissing?: boolean } = {},
): Promise<void> {
  const actions = keys.map((k): TransactionAction => ['delete', { partitionKey: k.partitionKey, rowKey: k.rowKey }]);
  const batches = [...groupBy(actions, (a) => a[1].partitionKey).values()].flatMap(batchesOf);
  await mapLimit(batches, concurrency, async (b) => {
    try {
      await client.submitTransaction(b);
    } catch (err) {
      if (options.ignoreMissing !== true || !isNotFound(err)) throw err;
      for (const [, e] of b) {
        try {
          await client.deleteEntity(e.partitionKey, e.rowKey);
        } catch (one) {
          if (!isNotFound(one)) throw one;
        }
      }
    }
  });
}

const isNotFound = (err: unknown): boolean => err instanceof RestError && err.statusCode === 404;

/** Deletes every entity of a table, in per-partition transactions (the rebuild replaces the projection's contents). */
export async function clearTable(client: TableClient): Promise<number> {
  let deleted = 0;
  for (;;) {
    const keys: Entity[] = [];
    const iter = client
      .listEntities<Record<string, unknown>>({ queryOptions: { select: ['PartitionKey', 'RowKey'] } })
      .byPage({ maxPageSize: MAX_QUERY_PAGE });
    for await (const page of iter) {
      for (const e of page as Raw[]) keys.push({ partitionKey: e.partitionKey, rowKey: e.rowKey });
      if (keys.length >= 20_000) break;
    }
    if (keys.length === 0) return deleted;
    await bulkDelete(client, keys);
    deleted += keys.length;
  }
}
