// The statistics rollups in Table Storage: month and day cells per (dimension, group), applied exactly once per delta.
//
// Two tables, because they are read differently:
// * `rollups`: month cells, PartitionKey `<dim>|<year>`, RowKey `<dim>|<year>|<YYYY-MM>|<group>`. A statistics request
//   over whole months reads these only (one RowKey range over the years in range); their number is bounded by
//   groups × months, never by the ledgers' size.
// * `rollupDays`: day cells, PartitionKey `<dim>|<YYYY-MM-DD>`, RowKey `<dim>|<YYYY-MM-DD>|<group>`, read only for the
//   at most two months that `from`/`to` cut, so those edges are exact. One partition per day keeps partitions at
//   "number of groups" entities: Azure throttles per partition, and Azurite's insert scans the whole partition.
// Every RowKey starts with its PartitionKey, so (PartitionKey, RowKey) order is RowKey order: a bulk load in key order
// appends to both of Azurite's key indices (see contractIndex.ts), and one RowKey range spans several partitions.
// Markers `<PartitionKey>|~applied|<deltaId>|<chunk>` record applied delta chunks (exactly-once, see applyDelta); they
// have no `g` column, which is how readers skip them. Measures are Int64 columns named as in MEASURES; `g` holds the
// group id as given (RowKeys hold it escaped).

import { randomUUID } from 'node:crypto';
import { odata, RestError, type TableClient, type TableEntity, type TransactionAction } from '@azure/data-tables';
import { MEASURES } from '../../../shared/calc/statistics';
import { zeroVec, isZero, type Cell, type Dim, type Vec } from '../figures/cells';
import { getConfig } from '../config';
import { isPreconditionFailure, tableClient, tableName } from './client';
import { bulkDelete, escapeKeyPart } from './contractIndex';
import { MAX_BATCH_OPERATIONS, MAX_FILTER_COMPARISONS, MAX_QUERY_PAGE } from './limits';
import { freshReads, mapLimit } from './parallel';

const MONTH_TABLE = 'rollups';
const DAY_TABLE = 'rollupDays';
const MARKER = '~applied';
/** Cells per transaction: one operation is kept for the marker. */
const CELLS_PER_CHUNK = MAX_BATCH_OPERATIONS - 1;
const MAX_ATTEMPTS = 50;
const CONCURRENCY = 8;

export type RollupTableName = 'm' | 'd';

/** The month-cell table (`m`) or the day-cell table (`d`). */
export function rollupTable(which: RollupTableName = 'm'): Promise<TableClient> {
  return tableClient(which === 'm' ? MONTH_TABLE : DAY_TABLE);
}

export function monthPartition(dim: Dim, year: string): string {
  return `${dim}|${year}`;
}

export function dayPartition(dim: Dim, date: string): string {
  return `${dim}|${date}`;
}

export function dayRowKey(dim: Dim, date: string, group: string): string {
  return `${dayPartition(dim, date)}|${escapeKeyPart(group)}`;
}

export function monthRowKey(dim: Dim, month: string, group: string): string {
  return `${monthPartition(dim, month.slice(0, 4))}|${month}|${escapeKeyPart(group)}`;
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

const isCell = (e: Raw): boolean => typeof e.g === 'string';

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

/** The cells of one rollup partition that a delta (or a bulk load) changes. */
export interface PartitionTargets {
  table: RollupTableName;
  pk: string;
  targets: Target[];
}

/** The day and month cells `cells` change, per rollup partition, in a deterministic order (chunks must be stable). */
export function targetsOf(cells: readonly Cell[]): PartitionTargets[] {
  const byPartition = new Map<string, { table: RollupTableName; pk: string; rows: Map<string, Target> }>();
  const add = (table: RollupTableName, pk: string, rowKey: string, group: string, v: Vec): void => {
    const id = `${table}\u0000${pk}`;
    let p = byPartition.get(id);
    if (p === undefined) {
      p = { table, pk, rows: new Map() };
      byPartition.set(id, p);
    }
    let t = p.rows.get(rowKey);
    if (t === undefined) {
      t = { rowKey, group, v: zeroVec() };
      p.rows.set(rowKey, t);
    }
    for (let i = 0; i < v.length; i++) t.v[i] = (t.v[i] as number) + (v[i] as number);
  };
  for (const c of cells) {
    add('d', dayPartition(c.dim, c.date), dayRowKey(c.dim, c.date, c.group), c.group, c.v);
    add('m', monthPartition(c.dim, c.date.slice(0, 4)), monthRowKey(c.dim, c.date.slice(0, 7), c.group), c.group, c.v);
  }
  return [...byPartition.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([, p]) => ({
      table: p.table,
      pk: p.pk,
      targets: [...p.rows.values()].filter((t) => !isZero(t.v)).sort((a, b) => (a.rowKey < b.rowKey ? -1 : 1)),
    }))
    .filter((p) => p.targets.length > 0);
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
      if (!isPreconditionFailure(err) || attempt >= MAX_ATTEMPTS) throw err;
      await backoff(attempt);
    }
  }
}

/** Adds a delta's cells to the rollups, exactly once even when called again for the same delta (crash, drain). */
export async function applyDelta(delta: Delta): Promise<void> {
  const clients = { m: await rollupTable('m'), d: await rollupTable('d') };
  const chunks: { table: RollupTableName; pk: string; marker: string; targets: Target[] }[] = [];
  for (const { table, pk, targets } of targetsOf(delta.cells)) {
    for (let i = 0, n = 0; i < targets.length; i += CELLS_PER_CHUNK, n++)
      chunks.push({
        table,
        pk,
        marker: `${pk}|${MARKER}|${delta.id}|${n}`,
        targets: targets.slice(i, i + CELLS_PER_CHUNK),
      });
  }
  await mapLimit(chunks, CONCURRENCY, (c) => applyChunk(clients[c.table], c.pk, c.marker, c.targets));
}

async function queryCells(table: RollupTableName, filter: string): Promise<Raw[]> {
  const client = await rollupTable(table);
  const out: Raw[] = [];
  const iter = client
    .listEntities<Record<string, unknown>>({ queryOptions: { filter } })
    .byPage({ maxPageSize: MAX_QUERY_PAGE });
  for await (const page of iter) for (const e of page as Raw[]) if (isCell(e)) out.push(e);
  return out;
}

/** A cell as statistics read it: the day it stands for (a month cell: the month's first day), group, vector. */
export interface RangeCell {
  date: string;
  group: string;
  v: Vec;
}

/** Month cells of months [fromMonth, toMonth] (YYYY-MM): one RowKey range across the year partitions. */
export async function readMonthCells(dim: Dim, fromMonth: string, toMonth: string): Promise<RangeCell[]> {
  const fromPk = monthPartition(dim, fromMonth.slice(0, 4));
  const toPk = monthPartition(dim, toMonth.slice(0, 4));
  // `}` sorts right after `|`: `<pk>|<toMonth>}` bounds every group of the last month.
  const rows = await queryCells(
    'm',
    odata`PartitionKey ge ${fromPk} and PartitionKey le ${toPk} and RowKey ge ${`${fromPk}|${fromMonth}|`} and RowKey lt ${`${toPk}|${toMonth}}`}`,
  );
  return rows.map((e) => {
    const c = decodeCell(e);
    const at = c.partitionKey.length + 1;
    return { date: `${c.rowKey.slice(at, at + 7)}-01`, group: c.group, v: c.v };
  });
}

/** Day cells of days [from, to] (YYYY-MM-DD): one RowKey range across the day partitions. */
export async function readDayCells(dim: Dim, from: string, to: string): Promise<RangeCell[]> {
  const fromPk = dayPartition(dim, from);
  const toPk = dayPartition(dim, to);
  const rows = await queryCells(
    'd',
    odata`PartitionKey ge ${fromPk} and PartitionKey le ${toPk} and RowKey ge ${`${fromPk}|`} and RowKey lt ${`${toPk}}`}`,
  );
  return rows.map((e) => {
    const c = decodeCell(e);
    return { date: c.partitionKey.slice(dim.length + 1), group: c.group, v: c.v };
  });
}

/** Every day cell (tests and the rebuild's check): dimension, day, group, vector. */
export async function readAllDayCells(): Promise<Cell[]> {
  const out: Cell[] = [];
  for (const e of await queryCells('d', '')) {
    const c = decodeCell(e);
    if (isZero(c.v)) continue;
    const [dim, date] = c.partitionKey.split('|') as [Dim, string];
    out.push({ dim, date, group: c.group, v: c.v });
  }
  return out;
}

/** Every month cell (tests: month cells must equal the sums of their day cells). */
export async function readAllMonthCells(): Promise<{ dim: Dim; month: string; group: string; v: Vec }[]> {
  const out: { dim: Dim; month: string; group: string; v: Vec }[] = [];
  for (const e of await queryCells('m', '')) {
    const c = decodeCell(e);
    if (isZero(c.v)) continue;
    const at = c.partitionKey.length + 1;
    out.push({ dim: c.partitionKey.split('|')[0] as Dim, month: c.rowKey.slice(at, at + 7), group: c.group, v: c.v });
  }
  return out;
}

type CellEntity = Record<string, unknown> & TableEntity;

/** The entities a rebuild writes for a set of day cells: day cells and their month sums, per table. */
export function rollupEntities(cells: readonly Cell[]): { months: CellEntity[]; days: CellEntity[] } {
  const out = { months: [] as CellEntity[], days: [] as CellEntity[] };
  for (const { table, pk, targets } of targetsOf(cells))
    for (const t of targets) (table === 'm' ? out.months : out.days).push(cellEntity(pk, t.rowKey, t.group, t.v));
  return out;
}

/**
 * Deletes markers older than `olderThanMs`. Kept that long because a drain that read a delta just before it was
 * cleared may still try to apply it: the marker is what makes that attempt a no-op.
 */
export async function deleteOldMarkers(olderThanMs: number): Promise<number> {
  const cutoff = new Date(Date.now() - olderThanMs).toISOString();
  let deleted = 0;
  for (const table of ['m', 'd'] as const) {
    const client = await rollupTable(table);
    const old: { partitionKey: string; rowKey: string }[] = [];
    // Only markers carry `at`.
    const iter = client.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`at lt ${cutoff}`, select: ['PartitionKey', 'RowKey'] },
    });
    for await (const e of iter) old.push({ partitionKey: e.partitionKey as string, rowKey: e.rowKey as string });
    // Per-partition transactions; a marker deleted meanwhile (a concurrent cleanup) is skipped, not an error.
    await bulkDelete(client, old, CONCURRENCY, { ignoreMissing: true });
    deleted += old.length;
  }
  return deleted;
}

/**
 * The figures generation stamp: one entity in the month table whose value changes (a fresh random id and a time)
 * every time the contract index's approved contents may have changed. The projection and the rebuild upsert it AFTER
 * committing index writes; readers of the whole index compare it with the stamp their cached scan was read under.
 * Its columns (`gen`, `genAt`) are neither a cell's `g` nor a marker's `at`, so cell readers and the marker cleanup
 * ignore it. Deleted with the table's contents by a rebuild's clear, which writes a fresh one when done.
 */
const GENERATION_PK = '~meta';
const GENERATION_RK = 'generation';

/** Marks the figures' inputs as changed (plain upsert: any new value means "changed"). */
export async function bumpFiguresGeneration(): Promise<void> {
  const client = await rollupTable('m');
  const now = new Date().toISOString();
  await client.upsertEntity(
    { partitionKey: GENERATION_PK, rowKey: GENERATION_RK, gen: `${randomUUID()}@${now}`, genAt: now },
    'Replace',
  );
}

/** Per storage account and table: stamp reads shared by concurrent callers, never older than the call. */
const generationReaders = new Map<string, () => Promise<string | undefined>>();

/**
 * The current generation stamp, or undefined when none has been written (readers must not cache then). Read by every
 * figures request, so concurrent requests share reads (freshReads): each still gets a read that began after it asked.
 */
export function readFiguresGeneration(): Promise<string | undefined> {
  const key = `${getConfig().storageConnection}\n${tableName(MONTH_TABLE)}`;
  let reader = generationReaders.get(key);
  if (reader === undefined) generationReaders.set(key, (reader = freshReads(readGenerationNow)));
  return reader();
}

async function readGenerationNow(): Promise<string | undefined> {
  const client = await rollupTable('m');
  try {
    const e = await client.getEntity<Record<string, unknown>>(GENERATION_PK, GENERATION_RK, {
      queryOptions: { select: ['gen'] },
    });
    return typeof e.gen === 'string' ? e.gen : undefined;
  } catch (err) {
    if (err instanceof RestError && err.statusCode === 404) return undefined;
    throw err;
  }
}
