// The contract index: approved records regrouped by what figures read together (a contract, a salesperson, an invoice).
//
// Ledger tables are partitioned by key hash, so "all rows of contract X" is not one partition there. This projection
// (table `contractIndex`) holds the APPROVED version of every row figures use:
// * contract unit X — PartitionKey `c|bNNN` (hash bucket of X), RowKeys `<X>|<ledger>|<key>` for the contract, its
//   order lines, deliveries, invoices and payments, and `<X>|~state` (see UnitState);
// * salesperson unit S — `s|bNNN`, RowKeys `<S>|salespeople|<S>`, `<S>|expenses|<key>` and `<S>|~state`;
// * invoice I's lines — `i|bNNN`, RowKeys `<I>|invoiceLines|<key>`, plus `<I>|~invoice`: a pointer to the contract the
//   invoice is filed under. Lines never move: when an invoice's contract changes, only the invoice record and the
//   pointer do (a deviation from "lines in the contract partition" that removes parking and moving of lines).
// Units share hash-bucket partitions (4,096 per kind) rather than one partition each: a unit is still one RowKey range
// query, its rows and state still commit in one entity-group transaction, and a bulk load or rebuild packs the
// entities of several units per transaction instead of one small transaction per contract. 4,096 rather than fewer,
// larger buckets: at 200,000 contracts a bucket holds ~300 entities, and both Azure (≈ 2,000 entities/s per
// partition) and Azurite (whose insert scans the whole partition for the key) slow down with partition size.
// Every RowKey starts with its PartitionKey (`c|b0042|<X>|…`): (PartitionKey, RowKey) order is then also RowKey order,
// so a bulk load written in key order appends to both of Azurite's key indices instead of splicing into the middle
// of a million-entry array per insert (quadratic). In Azure it only makes the keys a few characters longer.
// Every record entity carries its approved version `v`; a row that moved to another unit leaves a tombstone
// (`gone`) with the version that moved it, so events applied out of order never resurrect an older placement.

import { odata, RestError, type TableClient, type TableEntity, type TransactionAction } from '@azure/data-tables';
import type { LedgerName, LedgerRecord } from '../../../shared/ledgers';
import type { Contribution } from '../figures/cells';
import { isPreconditionFailure, tableClient } from './client';
import { getChunked, MAX_QUERY_PAGE, operationPayloadBytes, putChunked, transactionBatches } from './limits';
import { fnv1a } from './ledgerEntities';
import { mapLimit } from './parallel';
import type { Delta } from './rollupStore';

const TABLE = 'contractIndex';
export const UNIT_BUCKETS = 4096;
const STATE = '~state';
const POINTER = '~invoice';
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

/** A unit's contribution to the rollups and the deltas not yet applied to them. */
export interface UnitState {
  contribution: Contribution | undefined;
  deltas: Delta[];
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
  // hasDeltas lets drainUnappliedDeltas find unfinished units with one server-side filtered query.
  const e: Entity = {
    partitionKey: pk,
    rowKey: stateRowKey(pk, unitId),
    U: unitId,
    hasDeltas: state.deltas.length > 0,
  };
  putChunked(e, 'con', JSON.stringify(state.contribution ?? null));
  putChunked(e, 'dl', JSON.stringify(state.deltas));
  return e;
}

function decodeState(e: Record<string, unknown>): UnitState {
  const con = getChunked(e, 'con');
  const dl = getChunked(e, 'dl');
  return {
    contribution: con === undefined ? undefined : ((JSON.parse(con) as Contribution | null) ?? undefined),
    deltas: dl === undefined ? [] : (JSON.parse(dl) as Delta[]),
  };
}

/** An entity as queries return it (the SDK types keys and etag as optional; the service always sends them). */
type Raw = Record<string, unknown> & { partitionKey: string; rowKey: string; etag: string };

async function queryAll(client: TableClient, filter: string): Promise<Raw[]> {
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

/** All of a unit's entities: one range query. */
export async function readUnit(kind: UnitKind, id: string): Promise<UnitRead> {
  const client = await indexTable();
  const entities = await queryAll(client, prefixFilter(unitPartition(kind, id), id));
  const records = new Map<string, IndexedRecord & { etag: string }>();
  let state: UnitState = { contribution: undefined, deltas: [] };
  let stateEtag: string | undefined;
  for (const e of entities) {
    if (e.rowKey.endsWith(`|${STATE}`) && e.U === id) {
      state = decodeState(e);
      stateEtag = e.etag;
    } else if (typeof e.L === 'string') {
      const r = decodeRecord(e);
      records.set(recordId(r.ledger, r.key), r);
    }
  }
  return { records, state, stateEtag };
}

/** What the index holds for one invoice: its lines (with versions, tombstones included) and its pointer. */
export interface InvoiceLinesRead {
  lines: Map<string, IndexedRecord & { etag: string }>;
  pointer: { contractId: string | undefined; version: number; etag: string } | undefined;
}

/** The lines and pointers of several invoices, one range query each, in parallel. */
export async function readInvoiceLines(invoiceNos: Iterable<string>): Promise<Map<string, InvoiceLinesRead>> {
  const client = await indexTable();
  const out = new Map<string, InvoiceLinesRead>();
  await mapLimit([...new Set(invoiceNos)], CONCURRENCY, async (invoiceNo) => {
    const entities = await queryAll(client, prefixFilter(unitPartition('i', invoiceNo), invoiceNo));
    const read: InvoiceLinesRead = { lines: new Map(), pointer: undefined };
    for (const e of entities) {
      if (e.rowKey === pointerRowKey(invoiceNo))
        read.pointer = {
          contractId: typeof e.cid === 'string' ? e.cid : undefined,
          version: Number(e.v),
          etag: e.etag,
        };
      else if (typeof e.L === 'string') {
        const r = decodeRecord(e);
        read.lines.set(r.key, r);
      }
    }
    out.set(invoiceNo, read);
  });
  return out;
}

/**
 * Commits a unit's record writes and its new state in ONE transaction, conditioned on the state's ETag (or on its
 * absence). Returns false when someone else changed the unit since it was read.
 */
export async function commitUnit(
  kind: UnitKind,
  id: string,
  writes: readonly IndexedRecord[],
  state: UnitState,
  stateEtag: string | undefined,
): Promise<boolean> {
  const client = await indexTable();
  const pk = unitPartition(kind, id);
  // Unconditional upserts are safe: every write to a unit's records goes through here, serialised by the state ETag.
  const actions: TransactionAction[] = writes.map((w) => ['upsert', recordEntity(pk, id, w), 'Replace']);
  const s = stateEntity(pk, id, state);
  actions.push(stateEtag === undefined ? ['create', s] : ['update', s, 'Replace', { etag: stateEtag }]);
  try {
    await client.submitTransaction(actions);
    return true;
  } catch (err) {
    if (isPreconditionFailure(err)) return false;
    throw err;
  }
}

/** A unit's state entity alone (a point read), with its ETag. */
export async function readState(kind: UnitKind, id: string): Promise<{ state: UnitState; etag: string } | undefined> {
  const client = await indexTable();
  try {
    const pk = unitPartition(kind, id);
    const e = await client.getEntity<Record<string, unknown>>(pk, stateRowKey(pk, id));
    return { state: decodeState(e), etag: e.etag };
  } catch (err) {
    if (err instanceof RestError && err.statusCode === 404) return undefined;
    throw err;
  }
}

/** Replaces a unit's state alone (clearing applied deltas), ETag-conditioned. */
export async function replaceState(kind: UnitKind, id: string, state: UnitState, etag: string): Promise<boolean> {
  const client = await indexTable();
  try {
    await client.updateEntity(stateEntity(unitPartition(kind, id), id, state), 'Replace', { etag });
    return true;
  } catch (err) {
    if (isPreconditionFailure(err)) return false;
    throw err;
  }
}

/** A last-writer-wins write in an invoice's line partition: a line (or its tombstone) or the invoice's pointer. */
export type LineWrite =
  | { kind: 'line'; invoiceNo: string; record: IndexedRecord }
  | { kind: 'pointer'; invoiceNo: string; contractId: string | undefined; version: number };

/**
 * Applies line and pointer writes, each only when its version is newer than the stored one, ETag-conditioned per
 * entity and retried on conflict. Returns the writes that took effect.
 */
export async function writeLinePartitions(writes: readonly LineWrite[]): Promise<LineWrite[]> {
  const client = await indexTable();
  const byInvoice = new Map<string, LineWrite[]>();
  for (const w of writes) {
    const list = byInvoice.get(w.invoiceNo);
    if (list === undefined) byInvoice.set(w.invoiceNo, [w]);
    else list.push(w);
  }
  const applied: LineWrite[] = [];
  await mapLimit([...byInvoice], CONCURRENCY, async ([invoiceNo, list]) => {
    const pk = unitPartition('i', invoiceNo);
    for (let attempt = 1; ; attempt++) {
      const current = (await readInvoiceLines([invoiceNo])).get(invoiceNo) as InvoiceLinesRead;
      // Of several writes to one entity, only the newest counts.
      const newest = new Map<string, LineWrite>();
      for (const w of list) {
        const id = w.kind === 'pointer' ? POINTER : w.record.key;
        const v = w.kind === 'pointer' ? w.version : w.record.version;
        const prev = newest.get(id);
        const prevV = prev === undefined ? -1 : prev.kind === 'pointer' ? prev.version : prev.record.version;
        if (v > prevV) newest.set(id, w);
      }
      const actions: TransactionAction[] = [];
      const effective: LineWrite[] = [];
      for (const w of newest.values()) {
        if (w.kind === 'pointer') {
          const p = current.pointer;
          if (p !== undefined && p.version >= w.version) continue;
          const e = pointerEntity(invoiceNo, w.contractId, w.version);
          actions.push(p === undefined ? ['create', e] : ['update', e, 'Replace', { etag: p.etag }]);
        } else {
          const old = current.lines.get(w.record.key);
          if (old !== undefined && old.version >= w.record.version) continue;
          const e = recordEntity(pk, invoiceNo, w.record);
          actions.push(old === undefined ? ['create', e] : ['update', e, 'Replace', { etag: old.etag }]);
        }
        effective.push(w);
      }
      if (actions.length === 0) return;
      try {
        for (const batch of batchesOf(actions)) await client.submitTransaction(batch);
        applied.push(...effective);
        return;
      } catch (err) {
        if (!isPreconditionFailure(err) || attempt >= 20) throw err;
      }
    }
  });
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

/** Units whose state still lists deltas not applied to the rollups (server-side filtered on the delta list). */
export async function unitsWithDeltas(): Promise<{ kind: UnitKind; id: string }[]> {
  const client = await indexTable();
  const out: { kind: UnitKind; id: string }[] = [];
  const iter = client.listEntities<Record<string, unknown>>({
    queryOptions: { filter: 'hasDeltas eq true', select: ['PartitionKey', 'U'] },
  });
  for await (const e of iter)
    if (typeof e.U === 'string') out.push({ kind: String(e.partitionKey).slice(0, 1) as UnitKind, id: e.U });
  return out;
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
  const byPartition = new Map<string, TransactionAction[]>();
  for (const e of sorted) {
    const list = byPartition.get(e.partitionKey);
    const action: TransactionAction = options.fresh === true ? ['create', e] : ['upsert', e, 'Replace'];
    if (list === undefined) byPartition.set(e.partitionKey, [action]);
    else list.push(action);
  }
  const batches = [...byPartition.values()].flatMap(batchesOf);
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
  const byPartition = new Map<string, TransactionAction[]>();
  for (const k of keys) {
    const list = byPartition.get(k.partitionKey) ?? [];
    list.push(['delete', { partitionKey: k.partitionKey, rowKey: k.rowKey }]);
    byPartition.set(k.partitionKey, list);
  }
  await mapLimit([...byPartition.values()].flatMap(batchesOf), concurrency, async (b) => {
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
