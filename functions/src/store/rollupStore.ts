// The statistics rollups in Table Storage: month and day cells per (dimension, group), applied exactly once per
// request and partition.
//
// Cells are stored grouped: one entity holds the measure vectors of every group of one dimension for one day (or one
// month), as chunked JSON `[[group, [measures…]], …]` (property `cells`). So a request that moves thousands of
// (day, group) cells writes a few entities per day and dimension, not one per group, and Azurite's database, which it
// re-serialises whole every 5 s on disk, holds a few thousand rollup entities instead of one per cell.
// * `rollups`: month cells, PartitionKey `<dim>|<YYYY>`, RowKey `<dim>|<YYYY>|<YYYY-MM>|s<N>` where N is a shard of
//   the groups (fnv1a(group) mod MONTH_SHARDS[dim]): a month accumulates every group that had any fact in it, so the
//   large dimensions spread over a few entities to stay far below Azure's 1 MiB per entity. A statistics request over
//   whole months reads these only (one RowKey range over the years in range); their number is bounded by months ×
//   shards, never by the ledgers' size.
// * `rollupDays`: day cells, PartitionKey `<dim>|<YYYY-MM>`, RowKey `<dim>|<YYYY-MM>|<DD>`, read only for the at most
//   two months that `from`/`to` cut, so those edges are exact. A month's days are one partition (≤ 31 entities), so a
//   request touching four years of days applies them in ~48 transactions per dimension.
// Sizes: a group costs ~100 characters of JSON, so a day entity holds up to ~4,000 active groups of one dimension,
// a month shard as many (×4 shards for region, salesperson, customer); groupsEntity refuses (with the limit named)
// anything over Azure's entity limits rather than letting Azure do it.
// Every RowKey starts with its PartitionKey, so (PartitionKey, RowKey) order is RowKey order: a bulk load in key order
// appends to both of Azurite's key indices (see contractIndex.ts), and one RowKey range spans several partitions.
// Exactly once: a request's summed delta is applied per rollup partition in ONE transaction with a marker
// `<PartitionKey>|~applied|<deltaId>|<chunk>` (ETag-conditioned updates of the cell entities plus the marker's
// insert); a marker already present means that partition has it. Markers carry `at` and no `cells`, which is how
// readers skip them. Measures are numbers in MEASURES order (JSON numbers are exact far beyond any sum of cents here).
// Claims (partition `~claims` of the month table, RowKey = delta id): who applies a delta id's journals, whether it is
// applied, and which journals are left to delete (see projection.ts); they get `at`, and so expire with the markers,
// only once their journals are gone.

import { randomUUID } from 'node:crypto';
import { odata, RestError, type TableClient, type TableEntity, type TransactionAction } from '@azure/data-tables';
import { zeroVec, isZero, type Cell, type Dim, type Vec } from '../figures/cells';
import { getConfig } from '../config';
import { isPreconditionFailure, tableClient, tableName } from './client';
import { bulkDelete, queryAll, type Raw } from './contractIndex';
import { fnv1a } from './ledgerEntities';
import { entityProblem, getChunked, MAX_BATCH_OPERATIONS, putChunked } from './limits';
import { freshReads, mapLimit } from './parallel';

const MONTH_TABLE = 'rollups';
const DAY_TABLE = 'rollupDays';
const MARKER = '~applied';
/** Cell entities per transaction: one operation is kept for the marker (a partition holds ≤ 31 days or 12 × shards). */
const ENTITIES_PER_CHUNK = MAX_BATCH_OPERATIONS - 1;
const MAX_ATTEMPTS = 50;
const CONCURRENCY = 8;
/** Shards of a month's groups per dimension (see the file comment). */
const MONTH_SHARDS: Record<Dim, number> = { none: 1, region: 4, salesperson: 4, customer: 4 };

export type RollupTableName = 'm' | 'd';

/** The month-cell table (`m`) or the day-cell table (`d`). */
export function rollupTable(which: RollupTableName = 'm'): Promise<TableClient> {
  return tableClient(which === 'm' ? MONTH_TABLE : DAY_TABLE);
}

export function monthPartition(dim: Dim, year: string): string {
  return `${dim}|${year}`;
}

/** The day table's partition: one month of one dimension. */
export function dayPartition(dim: Dim, date: string): string {
  return `${dim}|${date.slice(0, 7)}`;
}

export function dayRowKey(dim: Dim, date: string): string {
  return `${dayPartition(dim, date)}|${date.slice(8, 10)}`;
}

export function monthRowKey(dim: Dim, month: string, group: string): string {
  const shard = fnv1a(group) % MONTH_SHARDS[dim];
  return `${monthPartition(dim, month.slice(0, 4))}|${month}|s${shard}`;
}

type CellEntity = Record<string, unknown> & TableEntity;

/** Group → measure vector, as one stored entity holds them. */
type Groups = Map<string, Vec>;

const isCellEntity = (e: Record<string, unknown>): boolean => typeof e.cellsN === 'number';

function decodeGroups(e: Record<string, unknown>): Groups {
  const json = getChunked(e, 'cells');
  const out: Groups = new Map();
  if (json === undefined) return out;
  for (const [g, v] of JSON.parse(json) as [string, Vec][]) out.set(g, v);
  return out;
}

function groupsEntity(partitionKey: string, rowKey: string, groups: Groups): CellEntity {
  const entity: CellEntity = { partitionKey, rowKey };
  const sorted = [...groups].filter(([, v]) => !isZero(v)).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  putChunked(entity, 'cells', JSON.stringify(sorted));
  const problem = entityProblem(entity);
  if (problem !== null)
    throw new Error(
      `rollup entity ${rowKey} (${sorted.length} groups) ${problem}: too many groups for one ${partitionKey.split('|')[0]} cell entity`,
    );
  return entity;
}

/** A delta as applied to the rollups: an id (the exactly-once key) and its day cells. */
export interface Delta {
  id: string;
  cells: Cell[];
}

/** One cell entity a delta changes: its RowKey and the groups' vectors to add. */
interface Target {
  rowKey: string;
  add: Groups;
}

/** The cell entities of one rollup partition that a delta (or a bulk load) changes. */
export interface PartitionTargets {
  table: RollupTableName;
  pk: string;
  targets: Target[];
}

/** The day and month entities `cells` change, per rollup partition, in a deterministic order (chunks must be stable). */
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
      t = { rowKey, add: new Map() };
      p.rows.set(rowKey, t);
    }
    let sum = t.add.get(group);
    if (sum === undefined) t.add.set(group, (sum = zeroVec()));
    for (let i = 0; i < v.length; i++) sum[i] = (sum[i] as number) + (v[i] as number);
  };
  for (const c of cells) {
    add('d', dayPartition(c.dim, c.date), dayRowKey(c.dim, c.date), c.group, c.v);
    const month = c.date.slice(0, 7);
    add('m', monthPartition(c.dim, month.slice(0, 4)), monthRowKey(c.dim, month, c.group), c.group, c.v);
  }
  return [...byPartition.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([, p]) => ({
      table: p.table,
      pk: p.pk,
      targets: [...p.rows.values()]
        .map((t) => ({ rowKey: t.rowKey, add: new Map([...t.add].filter(([, v]) => !isZero(v))) }))
        .filter((t) => t.add.size > 0)
        .sort((a, b) => (a.rowKey < b.rowKey ? -1 : 1)),
    }))
    .filter((p) => p.targets.length > 0);
}

async function backoff(attempt: number): Promise<void> {
  const ms = Math.min(200, 2 ** Math.min(attempt, 7)) * (0.5 + Math.random());
  await new Promise((r) => setTimeout(r, ms));
}

/** The cell entities of one partition between two RowKeys, and the marker if present: ONE query. */
async function readChunk(
  client: TableClient,
  pk: string,
  marker: string,
  targets: Target[],
): Promise<Map<string, Raw>> {
  const first = (targets[0] as Target).rowKey;
  const last = (targets[targets.length - 1] as Target).rowKey;
  const filter = odata`PartitionKey eq ${pk} and ((RowKey ge ${first} and RowKey le ${last}) or RowKey eq ${marker})`;
  return new Map((await queryAll(client, filter)).map((e) => [e.rowKey, e]));
}

/**
 * Applies one chunk exactly once: ETag-conditioned updates and inserts of its cell entities plus the insert of its
 * marker, in one transaction. A marker already present means an earlier attempt (or a concurrent drain) committed it.
 */
async function applyChunk(client: TableClient, pk: string, marker: string, targets: Target[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const current = await readChunk(client, pk, marker, targets);
    if (current.has(marker)) return;
    const actions: TransactionAction[] = [];
    for (const t of targets) {
      const e = current.get(t.rowKey);
      const groups = e === undefined ? new Map<string, Vec>() : decodeGroups(e);
      for (const [g, v] of t.add) {
        const old = groups.get(g) ?? zeroVec();
        groups.set(
          g,
          old.map((x, i) => x + (v[i] as number)),
        );
      }
      const entity = groupsEntity(pk, t.rowKey, groups);
      // An entity back at no groups stays (empty): readers skip it, and no delete has to race an ETag.
      actions.push(e === undefined ? ['create', entity] : ['update', entity, 'Replace', { etag: e.etag }]);
    }
    actions.push(['create', { partitionKey: pk, rowKey: marker, at: new Date().toISOString() }]);
    try {
      await client.submitTransaction(actions);
      return;
    } catch (err) {
      // Another delta changed one of our entities (412), or created one (409): read again and redo the sums.
      if (!isPreconditionFailure(err) || attempt >= MAX_ATTEMPTS) throw err;
      await backoff(attempt);
    }
  }
}

/** Rollup chunks applied by this process (tests and the approvals bench count them): a read and a transaction each. */
export const rollupPartitionsApplied = { count: 0 };

/**
 * Adds a delta's cells to the rollups, exactly once per (delta id, partition, chunk) even when called again for the
 * same id (crash, drain) — provided it is called with the same cells. The projection sums all the cells of one
 * approval request into one delta, so a request costs one read and one transaction per rollup partition it touches.
 */
export async function applyDelta(delta: Delta): Promise<void> {
  const clients = { m: await rollupTable('m'), d: await rollupTable('d') };
  const chunks: { table: RollupTableName; pk: string; marker: string; targets: Target[] }[] = [];
  for (const { table, pk, targets } of targetsOf(delta.cells)) {
    for (let i = 0, n = 0; i < targets.length; i += ENTITIES_PER_CHUNK, n++)
      chunks.push({
        table,
        pk,
        marker: `${pk}|${MARKER}|${delta.id}|${n}`,
        targets: targets.slice(i, i + ENTITIES_PER_CHUNK),
      });
  }
  await mapLimit(chunks, CONCURRENCY, async (c) => {
    rollupPartitionsApplied.count++;
    await applyChunk(clients[c.table], c.pk, c.marker, c.targets);
  });
}

/** Claims of delta ids, in their own partition of the month table (see claimDelta). */
const CLAIM_PK = '~claims';

/** Who applies a delta id's journals: the request that wrote them (their sum) or a drain (journal by journal). */
export type DeltaOwner = 'request' | 'drain';

/** A claim as stored: its owner, whether the delta is fully applied, and the journals still to delete. */
export interface DeltaClaim {
  deltaId: string;
  owner: DeltaOwner;
  applied: boolean;
  /** Journal keys (contract index) left to delete once applied; [] when none are left. */
  journals: { partitionKey: string; rowKey: string }[];
  etag: string;
}

function decodeClaim(e: Raw): DeltaClaim {
  return {
    deltaId: e.rowKey,
    owner: e.owner === 'drain' ? 'drain' : 'request',
    applied: e.applied === true,
    journals: JSON.parse(getChunked(e, 'jk') ?? '[]') as { partitionKey: string; rowKey: string }[],
    etag: e.etag,
  };
}

/**
 * Claims the application of delta `deltaId` (an insert that only one caller wins). Returns the owner: `owner` when
 * this call won, else whoever claimed it first. See projection.ts for why the request and a drain must agree. A claim
 * carries no `at` (so the marker cleanup keeps it) until its journals are gone (finishClaim).
 */
export async function claimDelta(deltaId: string, owner: DeltaOwner): Promise<DeltaOwner> {
  const client = await rollupTable('m');
  try {
    await client.createEntity({ partitionKey: CLAIM_PK, rowKey: deltaId, owner, applied: false });
    return owner;
  } catch (err) {
    if (!(err instanceof RestError && err.statusCode === 409)) throw err;
  }
  const e = await client.getEntity<Record<string, unknown>>(CLAIM_PK, deltaId);
  return e.owner === 'drain' ? 'drain' : 'request';
}

/** Records that the claimed delta is applied in full, and which journals are left to delete (one merge). */
export async function markClaimApplied(
  deltaId: string,
  journals: readonly { partitionKey: string; rowKey: string }[],
): Promise<void> {
  const client = await rollupTable('m');
  const e: Record<string, unknown> & TableEntity = { partitionKey: CLAIM_PK, rowKey: deltaId, applied: true };
  putChunked(e, 'jk', JSON.stringify(journals.map((j) => ({ partitionKey: j.partitionKey, rowKey: j.rowKey }))));
  await client.updateEntity(e, 'Merge');
}

/** Every claim still without `at`: applied ones with journals to delete, or unfinished ones (one partition query). */
export async function openClaims(): Promise<DeltaClaim[]> {
  const claims = await queryAll(await rollupTable('m'), odata`PartitionKey eq ${CLAIM_PK}`);
  return claims.filter((e) => e.at === undefined).map(decodeClaim);
}

/** The claim of one delta id, if any. */
export async function readClaim(deltaId: string): Promise<DeltaClaim | undefined> {
  const client = await rollupTable('m');
  try {
    return decodeClaim((await client.getEntity<Record<string, unknown>>(CLAIM_PK, deltaId)) as Raw);
  } catch (err) {
    if (err instanceof RestError && err.statusCode === 404) return undefined;
    throw err;
  }
}

/**
 * A claim whose delta is applied and whose journals are deleted: it gets `at`, so the marker cleanup deletes it with
 * the markers (until then it still tells a late drain that the delta is applied).
 */
export async function finishClaim(deltaId: string): Promise<void> {
  const client = await rollupTable('m');
  const e: Record<string, unknown> & TableEntity = {
    partitionKey: CLAIM_PK,
    rowKey: deltaId,
    applied: true,
    at: new Date().toISOString(),
  };
  putChunked(e, 'jk', '[]');
  await client.upsertEntity(e, 'Merge');
}

async function queryCellEntities(table: RollupTableName, filter: string): Promise<Raw[]> {
  return (await queryAll(await rollupTable(table), filter)).filter(isCellEntity);
}

/** A cell as statistics read it: the day it stands for (a month cell: the month's first day), group, vector. */
export interface RangeCell {
  date: string;
  group: string;
  v: Vec;
}

function monthOf(e: Raw): string {
  const at = e.partitionKey.length + 1;
  return e.rowKey.slice(at, at + 7);
}

function dayOf(e: Raw): string {
  return `${e.partitionKey.slice(e.partitionKey.indexOf('|') + 1)}-${e.rowKey.slice(e.partitionKey.length + 1)}`;
}

function expand(e: Raw, date: string): RangeCell[] {
  const out: RangeCell[] = [];
  for (const [group, v] of decodeGroups(e)) if (!isZero(v)) out.push({ date, group, v });
  return out;
}

/** Month cells of months [fromMonth, toMonth] (YYYY-MM): one RowKey range across the year partitions. */
export async function readMonthCells(dim: Dim, fromMonth: string, toMonth: string): Promise<RangeCell[]> {
  const fromPk = monthPartition(dim, fromMonth.slice(0, 4));
  const toPk = monthPartition(dim, toMonth.slice(0, 4));
  // `}` sorts right after `|`: `<pk>|<toMonth>}` bounds every shard of the last month.
  const rows = await queryCellEntities(
    'm',
    odata`PartitionKey ge ${fromPk} and PartitionKey le ${toPk} and RowKey ge ${`${fromPk}|${fromMonth}|`} and RowKey lt ${`${toPk}|${toMonth}}`}`,
  );
  return rows.flatMap((e) => expand(e, `${monthOf(e)}-01`));
}

/** Day cells of days [from, to] (YYYY-MM-DD): one RowKey range across the month partitions of the day table. */
export async function readDayCells(dim: Dim, from: string, to: string): Promise<RangeCell[]> {
  const fromPk = dayPartition(dim, from);
  const toPk = dayPartition(dim, to);
  const rows = await queryCellEntities(
    'd',
    odata`PartitionKey ge ${fromPk} and PartitionKey le ${toPk} and RowKey ge ${dayRowKey(dim, from)} and RowKey le ${dayRowKey(dim, to)}`,
  );
  return rows.flatMap((e) => expand(e, dayOf(e)));
}

/** Every day cell (tests and the rebuild's check): dimension, day, group, vector. */
export async function readAllDayCells(): Promise<Cell[]> {
  const out: Cell[] = [];
  for (const e of await queryCellEntities('d', '')) {
    const dim = e.partitionKey.split('|')[0] as Dim;
    for (const c of expand(e, dayOf(e))) out.push({ dim, date: c.date, group: c.group, v: c.v });
  }
  return out;
}

/** Every month cell (tests: month cells must equal the sums of their day cells). */
export async function readAllMonthCells(): Promise<{ dim: Dim; month: string; group: string; v: Vec }[]> {
  const out: { dim: Dim; month: string; group: string; v: Vec }[] = [];
  for (const e of await queryCellEntities('m', '')) {
    const dim = e.partitionKey.split('|')[0] as Dim;
    const month = monthOf(e);
    for (const c of expand(e, month)) out.push({ dim, month, group: c.group, v: c.v });
  }
  return out;
}

/** The entities a rebuild writes for a set of day cells: day entities and their month sums, per table. */
export function rollupEntities(cells: readonly Cell[]): { months: CellEntity[]; days: CellEntity[] } {
  const out = { months: [] as CellEntity[], days: [] as CellEntity[] };
  for (const { table, pk, targets } of targetsOf(cells))
    for (const t of targets) (table === 'm' ? out.months : out.days).push(groupsEntity(pk, t.rowKey, t.add));
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
    // Only markers and finished claims carry `at`.
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
 * Its columns (`gen`, `genAt`) are neither a cell entity's `cells` nor a marker's `at`, so cell readers and the marker
 * cleanup ignore it. Deleted with the table's contents by a rebuild's clear, which writes a fresh one when done.
 */
const GENERATION_PK = '~meta';
const GENERATION_RK = 'generation';

/**
 * The layout of the contract index and rollups this code reads and writes. A store projected by code of another
 * layout is misread until `rollups:rebuild` rewrites it, so the rebuild stamps its layout (an entity beside the
 * generation stamp, column `layout`: neither a cell nor a marker) and `npm start` checks it (figures/layout.ts).
 * Layout 2: grouped day/month cell entities, 1,024 index buckets, request journals (layout 1 had no stamp).
 * Layout 3 (issue #13 §4): cell groups and unit states carry the currency of their amounts (figures/cells.cellGroup).
 */
export const FIGURES_LAYOUT = 3;
const LAYOUT_RK = 'layout';

/** The layout the store's figures were last rebuilt under; undefined when none was recorded. */
export async function readFiguresLayout(): Promise<number | undefined> {
  const client = await rollupTable('m');
  try {
    const e = await client.getEntity<Record<string, unknown>>(GENERATION_PK, LAYOUT_RK);
    return typeof e.layout === 'number' ? e.layout : undefined;
  } catch (err) {
    if (err instanceof RestError && err.statusCode === 404) return undefined;
    throw err;
  }
}

/** Records that the figures are in this code's layout (after a rebuild, or on an empty store). */
export async function writeFiguresLayout(): Promise<void> {
  const client = await rollupTable('m');
  await client.upsertEntity({ partitionKey: GENERATION_PK, rowKey: LAYOUT_RK, layout: FIGURES_LAYOUT }, 'Replace');
}

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
