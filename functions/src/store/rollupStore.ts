// The statistics rollups in Table Storage: day and month cells per (dimension, year), applied exactly once per delta.
//
// Table `rollups`. PartitionKey `<dim>|<year>` (dim: region, salesperson, customer, none), so a statistics request
// reads one partition per year in range and never anything that grows with the ledgers. RowKeys:
// * `m|<YYYY-MM>|<group>`: month cells, for the whole months of a range;
// * `d|<YYYY-MM-DD>|<group>`: day cells, for months that `from`/`to` cut, so those edges are exact;
// * `~applied|<deltaId>|<chunk>`: markers of applied delta chunks (exactly-once, see applyDelta).
// Measures are Int64 columns named as in MEASURES; `g` holds the group id as given (RowKeys hold it escaped).

import { odata, RestError, type TableClient, type TableEntity, type TransactionAction } from '@azure/data-tables';
import { MEASURES } from '../../../shared/calc/statistics';
import { zeroVec, isZero, type Cell, type Dim, type Vec } from '../figures/cells';
import { tableClient } from './client';
import { escapeKeyPart } from './contractIndex';
import { MAX_BATCH_OPERATIONS, MAX_FILTER_COMPARISONS, MAX_QUERY_PAGE } from './limits';
import { mapLimit } from './parallel';

const TABLE = 'rollups';
const MARKER_PREFIX = '~applied|';
/** Cells per transaction: one operation is kept for the marker. */
const CELLS_PER_CHUNK = MAX_BATCH_OPERATIONS - 1;
const MAX_ATTEMPTS = 50;
const CONCURRENCY = 8;

export function rollupTable(): Promise<TableClient> {
  return tableClient(TABLE);
}

export function rollupPartition(dim: Dim, year: string): string {
  return `${dim}|${year}`;
}

export function dayRowKey(date: string, group: string): string {
  return `d|${date}|${escapeKeyPart(group)}`;
}

export function monthRowKey(month: string, group: string): string {
  return `m|${month}|${escapeKeyPart(group)}`;
}

/** A stored cell as read back. */
export interface StoredCell {
  partitionKey: string;
  rowKey: string;
  group: string;
  v: Vec;
  etag?: string;
}

/** An entity as queries return it (the SDK types keys and etag as optional; the service always sends them). */
type Raw = Record<string, unknown> & { partitionKey: string; rowKey: string; etag: string };

function decodeCell(e: Raw): StoredCell {
  return {
    partitionKey: e.partitionKey,
    rowKey: e.rowKey,
    group: typeof e.g === 'string' ? e.g : '',
    v: MEASURES.map((m) => Number(e[m] ?? 0)),
    etag: e.etag,
  };
}

function cellEntity(
  partitionKey: string,
  rowKey: string,
  group: string,
  v: Vec,
): Record<string, unknown> & TableEntity {
  const entity: Record<string, unknown> & TableEntity = { partitionKey, rowKey, g: group };
  // Int64 so sums beyond 2^31 cents stay exact and typed.
  MEASURES.forEach((m, i) => (entity[m] = BigInt(v[i] as number)));
  return entity;
}

/** A delta as stored in a unit's state until it is applied: an id and its day cells. */
export interface Delta {
  id: string;
  cells: Cell[];
}

interface Target {
  rowKey: string;
  group: string;
  v: Vec;
}

/** The day and month cells a delta changes, per rollup partition, in a deterministic order (chunks must be stable). */
export function targetsOf(cells: readonly Cell[]): Map<string, Target[]> {
  const byPartition = new Map<string, Map<string, Target>>();
  const add = (pk: string, rowKey: string, group: string, v: Vec): void => {
    let rows = byPartition.get(pk);
    if (rows === undefined) {
      rows = new Map();
      byPartition.set(pk, rows);
    }
    let t = rows.get(rowKey);
    if (t === undefined) {
      t = { rowKey, group, v: zeroVec() };
      rows.set(rowKey, t);
    }
    for (let i = 0; i < v.length; i++) t.v[i] = (t.v[i] as number) + (v[i] as number);
  };
  for (const c of cells) {
    const pk = rollupPartition(c.dim, c.date.slice(0, 4));
    add(pk, dayRowKey(c.date, c.group), c.group, c.v);
    add(pk, monthRowKey(c.date.slice(0, 7), c.group), c.group, c.v);
  }
  const out = new Map<string, Target[]>();
  for (const pk of [...byPartition.keys()].sort()) {
    const rows = byPartition.get(pk) as Map<string, Target>;
    out.set(
      pk,
      [...rows.values()].filter((t) => !isZero(t.v)).sort((a, b) => (a.rowKey < b.rowKey ? -1 : 1)),
    );
  }
  return out;
}

function isConflict(err: unknown): boolean {
  return err instanceof RestError && (err.statusCode === 409 || err.statusCode === 412 || err.statusCode === 404);
}

async function backoff(attempt: number): Promise<void> {
  const ms = Math.min(200, 2 ** Math.min(attempt, 7)) * (0.5 + Math.random());
  await new Promise((r) => setTimeout(r, ms));
}

/** Entities of one partition by RowKey, in OR queries of ≤ 14 keys (one comparison goes to PartitionKey). */
async function readByRowKeys(client: TableClient, pk: string, rowKeys: string[]): Promise<Map<string, Raw>> {
  const per = MAX_FILTER_COMPARISONS - 1;
  const groups: string[][] = [];
  for (let i = 0; i < rowKeys.length; i += per) groups.push(rowKeys.slice(i, i + per));
  const found = new Map<string, Raw>();
  await mapLimit(groups, 4, async (keys) => {
    const ors = keys.map((k) => odata`RowKey eq ${k}`).join(' or ');
    const iter = client.listEntities<Record<string, unknown>>({
      queryOptions: { filter: `${odata`PartitionKey eq ${pk}`} and (${ors})` },
    });
    for await (const e of iter) found.set(e.rowKey as string, e as Raw);
  });
  return found;
}

/**
 * Applies one chunk exactly once: ETag-conditioned updates and inserts of its cells plus the insert of its marker,
 * in one transaction. A marker already present means an earlier attempt (or a concurrent drain) committed the chunk.
 */
async function applyChunk(client: TableClient, pk: string, marker: string, targets: Target[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const current = await readByRowKeys(client, pk, [marker, ...targets.map((t) => t.rowKey)]);
    if (current.has(marker)) return;
    const actions: TransactionAction[] = [];
    for (const t of targets) {
      const e = current.get(t.rowKey);
      if (e === undefined) {
        actions.push(['create', cellEntity(pk, t.rowKey, t.group, t.v)]);
        continue;
      }
      const old = decodeCell(e);
      const sum = old.v.map((x, i) => x + (t.v[i] as number));
      // A cell back at zero stays (as zeros): a transaction's delete cannot be ETag-conditioned, and readers skip it.
      actions.push(['update', cellEntity(pk, t.rowKey, t.group, sum), 'Replace', { etag: e.etag }]);
    }
    actions.push(['create', { partitionKey: pk, rowKey: marker, at: new Date().toISOString() }]);
    try {
      await client.submitTransaction(actions);
      return;
    } catch (err) {
      // Another delta changed one of our cells (412), or created one (409): read again and redo the sums.
      if (!isConflict(err) || attempt >= MAX_ATTEMPTS) throw err;
      await backoff(attempt);
    }
  }
}

/** Adds a delta's cells to the rollups, exactly once even when called again for the same delta (crash, drain). */
export async function applyDelta(delta: Delta): Promise<void> {
  const client = await rollupTable();
  const chunks: { pk: string; marker: string; targets: Target[] }[] = [];
  for (const [pk, targets] of targetsOf(delta.cells)) {
    for (let i = 0, n = 0; i < targets.length; i += CELLS_PER_CHUNK, n++)
      chunks.push({ pk, marker: `${MARKER_PREFIX}${delta.id}|${n}`, targets: targets.slice(i, i + CELLS_PER_CHUNK) });
  }
  await mapLimit(chunks, CONCURRENCY, (c) => applyChunk(client, c.pk, c.marker, c.targets));
}

/** Cells of one partition with RowKeys in [fromKey, toKey), one range query. */
export async function readCellRange(pk: string, fromKey: string, toKey: string): Promise<StoredCell[]> {
  const client = await rollupTable();
  const out: StoredCell[] = [];
  const iter = client
    .listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey eq ${pk} and RowKey ge ${fromKey} and RowKey lt ${toKey}` },
    })
    .byPage({ maxPageSize: MAX_QUERY_PAGE });
  for await (const page of iter) for (const e of page as Raw[]) out.push(decodeCell(e));
  return out;
}

/** Every day cell of the table (tests and the rebuild's check): dimension, day, group, vector. */
export async function readAllDayCells(): Promise<Cell[]> {
  const client = await rollupTable();
  const out: Cell[] = [];
  const iter = client
    .listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`RowKey ge ${'d|'} and RowKey lt ${'d}'}` } })
    .byPage({ maxPageSize: MAX_QUERY_PAGE });
  for await (const page of iter)
    for (const e of page as Raw[]) {
      const c = decodeCell(e);
      if (isZero(c.v)) continue;
      out.push({ dim: c.partitionKey.split('|')[0] as Dim, date: c.rowKey.slice(2, 12), group: c.group, v: c.v });
    }
  return out;
}

/** Every month cell (tests: month cells must equal the sums of their day cells). */
export async function readAllMonthCells(): Promise<StoredCell[]> {
  const client = await rollupTable();
  const out: StoredCell[] = [];
  const iter = client
    .listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`RowKey ge ${'m|'} and RowKey lt ${'m}'}` } })
    .byPage({ maxPageSize: MAX_QUERY_PAGE });
  for await (const page of iter) for (const e of page as Raw[]) if (!isZero(decodeCell(e).v)) out.push(decodeCell(e));
  return out;
}

/** The entities a rebuild writes for a set of day cells: day cells and their month sums. */
export function rollupEntities(cells: readonly Cell[]): (Record<string, unknown> & TableEntity)[] {
  const out: (Record<string, unknown> & TableEntity)[] = [];
  for (const [pk, targets] of targetsOf(cells))
    for (const t of targets) out.push(cellEntity(pk, t.rowKey, t.group, t.v));
  return out;
}

/**
 * Deletes markers older than `olderThanMs`. Kept that long because a drain that read a delta just before it was
 * cleared may still try to apply it: the marker is what makes that attempt a no-op.
 */
export async function deleteOldMarkers(olderThanMs: number): Promise<number> {
  const client = await rollupTable();
  const cutoff = new Date(Date.now() - olderThanMs).toISOString();
  const old: { partitionKey: string; rowKey: string }[] = [];
  const iter = client.listEntities<Record<string, unknown>>({
    queryOptions: { filter: odata`RowKey ge ${MARKER_PREFIX} and RowKey lt ${'~applied}'} and at lt ${cutoff}` },
  });
  for await (const e of iter) old.push({ partitionKey: e.partitionKey as string, rowKey: e.rowKey as string });
  await mapLimit(old, CONCURRENCY, async (e) => {
    try {
      await client.deleteEntity(e.partitionKey, e.rowKey);
    } catch (err) {
      if (!(err instanceof RestError && err.statusCode === 404)) throw err;
    }
  });
  return old.length;
}
