// Ledger data for the figures, read from the contract index (approved), optionally overlaid with pending versions.
//
// Approved records come from the index: a few units by id (one range query per unit, one per invoice for its lines),
// or all of it with a filtered scan, reused while the figures generation stamp is unchanged (see readAllApproved).
// Provisional figures (`includePending=true`) overlay the latest version of every row that has a pending change that
// was not rejected (a rejected version never counts: the approved one stays in effect). Those rows are found with a
// server-side filter on `metaPendingVersion`, so the provisional path reads pending rows only, never whole ledgers,
// and they are reused per ledger while its write stamp (store/ledgerStamps.ts) is unchanged (see readPendingRows).

import { ledgerData, type LedgerData } from '../../../shared/calc';
import { keyOf, type LedgerName, type LedgerRecord } from '../../../shared/ledgers';
import { readInvoiceLines, readUnit, scanRecords, type UnitKind } from '../store/contractIndex';
import { getConfig } from '../config';
import { tableName } from '../store/client';
import { readRows } from '../store/ledgerStore';
import type { StoredRow } from '../store/ledgerEntities';
import { readLedgerStamps } from '../store/ledgerStamps';
import { mapLimit } from '../store/parallel';
import { listCountingPendingRows } from '../store/pendingRows';
import { readFiguresGeneration } from '../store/rollupStore';
import { GenerationCache } from './generationCache';

type Mutable = { -readonly [L in keyof LedgerData]: LedgerData[L][number][] };

function empty(): Mutable {
  return ledgerData() as unknown as Mutable;
}

function push(data: Mutable, ledger: LedgerName, record: LedgerRecord<LedgerName>): void {
  (data[ledger as keyof Mutable] as LedgerRecord<LedgerName>[]).push(record);
}

/** One unit's approved records (a contract's with its invoices' lines), frozen: shared by every reader of a generation. */
interface UnitRecords {
  readonly records: readonly (readonly [LedgerName, LedgerRecord<LedgerName>])[];
  /** Lines per invoice of the unit (contracts only). */
  readonly lines: ReadonlyMap<string, readonly LedgerRecord<'invoiceLines'>[]>;
}

/** Unit reads done by this process (one range query per unit plus one per invoice); tests check cache hits. */
export const unitReads = { count: 0 };

async function readUnitRecords(kind: UnitKind, id: string): Promise<UnitRecords> {
  unitReads.count++;
  const unit = await readUnit(kind, id);
  const records: (readonly [LedgerName, LedgerRecord<LedgerName>])[] = [];
  const invoiceNos: string[] = [];
  for (const r of unit.records.values()) {
    if (r.record === undefined) continue;
    records.push(Object.freeze([r.ledger, Object.freeze(r.record)] as const));
    if (r.ledger === 'invoices') invoiceNos.push((r.record as { invoiceNo: string }).invoiceNo);
  }
  const lines = new Map<string, readonly LedgerRecord<'invoiceLines'>[]>();
  for (const [invoiceNo, read] of await readInvoiceLines(invoiceNos)) {
    const list: LedgerRecord<'invoiceLines'>[] = [];
    for (const l of read.lines.values())
      if (l.record !== undefined) list.push(Object.freeze(l.record as LedgerRecord<'invoiceLines'>));
    lines.set(invoiceNo, Object.freeze(list));
  }
  return Object.freeze({ records: Object.freeze(records), lines });
}

/** The start of every cache key: the storage account and contract index table read (tests switch both). */
function indexCacheKey(): string {
  return `${getConfig().storageConnection}\n${tableName('contractIndex')}`;
}

/** Most units kept per process (least recently used dropped first): bounds the cache's memory. */
export const UNIT_CACHE_LIMIT = 2000;

/** Per process: each unit's last read, under the generation stamp read before it started. */
const units = new GenerationCache<UnitRecords>(UNIT_CACHE_LIMIT);

/** Test hook: a smaller bound for the per-unit cache (undefined: back to UNIT_CACHE_LIMIT). */
export function setUnitCacheLimitForTests(limit: number | undefined): void {
  units.setLimit(limit ?? UNIT_CACHE_LIMIT);
}

/** Units held by the per-unit cache (tests check the bound). */
export function cachedUnitCount(): number {
  return units.size;
}

/**
 * Approved records of some units: contracts (with their invoices' lines) or salespeople (with their expenses).
 * The arrays are fresh, the records are FROZEN (shared with other requests; overlayPending copies).
 *
 * Like readAllApproved: one point read of the figures generation stamp per call, read BEFORE any unit; a unit read
 * under the same stamp is reused (concurrent readers of one unit share one read), so an approval, which bumps the
 * stamp after its index commit, is seen by the next call. No stamp: read every time.
 */
export async function readUnits(
  kind: UnitKind,
  ids: Iterable<string>,
  stamp: Promise<string | undefined> = readFiguresGeneration(),
): Promise<LedgerData> {
  const generation = await stamp;
  const prefix = indexCacheKey();
  const data = empty();
  const read = await mapLimit([...new Set(ids)], 16, (id) =>
    units.get(generation, `${prefix}\n${kind}|${id}`, () => readUnitRecords(kind, id)),
  );
  const seenInvoices = new Set<string>();
  for (const unit of read) {
    for (const [ledger, record] of unit.records) push(data, ledger, record);
    for (const [invoiceNo, lines] of unit.lines) {
      if (seenInvoices.has(invoiceNo)) continue;
      seenInvoices.add(invoiceNo);
      for (const l of lines) push(data, 'invoiceLines', l);
    }
  }
  return data;
}

async function addLines(data: Mutable, invoiceNos: Iterable<string>): Promise<void> {
  for (const read of (await readInvoiceLines(invoiceNos)).values())
    for (const l of read.lines.values()) if (l.record !== undefined) push(data, 'invoiceLines', l.record);
}

/** Scans of the whole index done by this process (tests check that an unchanged index is not scanned again). */
export const indexScans = { count: 0 };

async function scanAll(ledgers: readonly LedgerName[]): Promise<LedgerData> {
  indexScans.count++;
  const data = empty();
  await scanRecords(ledgers, (r) => push(data, r.ledger, r.record));
  // Shared by every reader of this generation: freeze it so a caller that mutates it fails instead of corrupting it.
  for (const list of Object.values(data) as LedgerRecord<LedgerName>[][]) {
    for (const r of list) Object.freeze(r);
    Object.freeze(list);
  }
  return Object.freeze(data);
}

/** Per process: the last full scan of each ledger set, under the generation stamp read before it started. */
const scans = new GenerationCache<LedgerData>(16);

function scanKey(ledgers: readonly LedgerName[]): string {
  return `${indexCacheKey()}\n${[...ledgers].sort().join(',')}`;
}

/**
 * Every approved record of the given ledgers in the index (customers and salespeople's own rows aside). IMMUTABLE:
 * the result may be shared with other requests (overlay with overlayPending, which copies).
 *
 * One point read of the figures generation stamp (generationCache.ts); while it is unchanged, the scan this process
 * made under it is reused, and concurrent readers of one generation share one scan. No stamp (fresh or cleared
 * store): scan every time.
 */
export async function readAllApproved(
  ledgers: readonly LedgerName[],
  stamp: Promise<string | undefined> = readFiguresGeneration(),
): Promise<LedgerData> {
  const generation = await stamp;
  return scans.get(generation, scanKey(ledgers), () => scanAll(ledgers));
}

/** Per process: figures computed from whole-index scans, under the generation stamp of their inputs. */
const computed = new GenerationCache<unknown>(256);

/**
 * `compute(every approved record of ledgers)`, kept per (ledgers, key) while the generation stamp is unchanged: a
 * figure asked again before the next approval is not recomputed. One stamp read; the scan is shared as in
 * readAllApproved. The result is shared between requests: callers must not mutate it.
 */
export async function approvedFigure<T>(
  ledgers: readonly LedgerName[],
  key: string,
  compute: (data: LedgerData) => T,
): Promise<T> {
  const generation = await readFiguresGeneration();
  const scanned = scanKey(ledgers);
  return computed.get(generation, `${scanned}\n${key}`, async () =>
    compute(await scans.get(generation, scanned, () => scanAll(ledgers))),
  ) as Promise<T>;
}

/** Figures computed by approvedFigure (tests check that an unchanged one is not computed again). */
export function figureComputations(): number {
  return computed.loads;
}

/** Test hook: forget the cached scans, units, pending rows and figures (the caches are per process, like the store clients). */
export function clearApprovedCacheForTests(): void {
  scans.clear();
  units.clear();
  computed.clear();
  pendingSnapshots.clear();
  provisional.clear();
}

/**
 * The ledgers of a contract unit: the contract, its order lines, deliveries, invoices (with their lines), payments
 * and credit notes.
 */
export const CONTRACT_UNIT_LEDGERS = [
  'contracts',
  'orderLines',
  'deliveries',
  'invoices',
  'invoiceLines',
  'payments',
  'creditNotes',
] as const satisfies readonly LedgerName[];

/** A row whose pending change counts for provisional figures: its latest version and the approved one (if any). */
export interface PendingRow {
  readonly key: string;
  readonly latest: LedgerRecord<LedgerName>;
  readonly approved: LedgerRecord<LedgerName> | undefined;
}

/** Rows with a pending change, per ledger. IMMUTABLE: shared between requests like the approved data. */
export type PendingRows = ReadonlyMap<LedgerName, readonly PendingRow[]>;

/**
 * Longest a value derived from pending rows is reused under unchanged stamps: bounds how long provisional figures
 * can stay stale after a writer died between its commit and its stamp bump (store/ledgerStamps.ts).
 */
export const PENDING_MAX_AGE_MS = 5 * 60_000;
let maxAgeMs = PENDING_MAX_AGE_MS;

/** Test hook: another bound than PENDING_MAX_AGE_MS (undefined: back to it). */
export function setPendingMaxAgeForTests(ms: number | undefined): void {
  maxAgeMs = ms ?? PENDING_MAX_AGE_MS;
}

/** The stamps a provisional figure depends on, each read once per request BEFORE the data it guards. */
export interface Stamps {
  readonly figures: Promise<string | undefined>;
  readonly ledgers: Promise<ReadonlyMap<string, string>>;
  /** The PENDING_MAX_AGE_MS period the request started in: part of every pending cache key. */
  readonly period: number;
}

/** Starts both stamp reads (`figures`: a figures generation read the caller already started). */
export function readStamps(figures: Promise<string | undefined> = readFiguresGeneration()): Stamps {
  const ledgers = readLedgerStamps();
  // Awaited by whoever uses them; a failure before then must not count as an unhandled rejection.
  figures.catch(() => undefined);
  ledgers.catch(() => undefined);
  return { figures, ledgers, period: Math.floor(Date.now() / maxAgeMs) };
}

/**
 * The generation under which a value derived from the pending rows of `ledgers` (and from approved records) is
 * cached: the figures generation, which approvals move (an approved row leaves the pending set), and each ledger's
 * write stamp (store/ledgerStamps.ts), which writes and rejections move; and the request's PENDING_MAX_AGE_MS period.
 * Undefined, so that nothing is cached, while any of the stamps was never written.
 */
export async function pendingGeneration(stamps: Stamps, ledgers: readonly LedgerName[]): Promise<string | undefined> {
  const [figures, written] = await Promise.all([stamps.figures, stamps.ledgers]);
  if (figures === undefined) return undefined;
  const parts = [String(stamps.period), figures];
  for (const name of [...ledgers].sort()) {
    const stamp = written.get(name);
    if (stamp === undefined) return undefined;
    parts.push(`${name}=${stamp}`);
  }
  return parts.join('|');
}

function pendingRow(row: StoredRow): PendingRow {
  return Object.freeze({
    key: row.key,
    latest: Object.freeze(row.latest),
    approved: row.approved === undefined ? undefined : Object.freeze(row.approved),
  });
}

/** Whole-ledger reads of pending rows done by this process (tests check that an unchanged ledger is not read again). */
export const pendingReads = { count: 0 };

/** The counting pending rows of one ledger (store/pendingRows.ts), frozen: shared by every reader of its stamp. */
async function loadPendingLedger(name: LedgerName): Promise<readonly PendingRow[]> {
  pendingReads.count++;
  return Object.freeze((await listCountingPendingRows(name)).map(pendingRow));
}

/** Per process: each ledger's pending rows, under the ledger's write stamp (and the PENDING_MAX_AGE_MS period). */
const pendingSnapshots = new GenerationCache<readonly PendingRow[]>(64);

/**
 * The pending rows of `ledgers`. A ledger's rows are reused while its write stamp is unchanged, for at most
 * PENDING_MAX_AGE_MS (concurrent readers share one read); otherwise, and always while the ledger has no stamp, read
 * with one filtered listing (loadPendingLedger).
 *
 * The figures generation is deliberately not part of this key: an approval leaves a reused list holding rows that
 * are no longer pending, and that changes no provisional figure, because approving makes the approved version equal
 * to the latest one, which the overlay puts in its place anyway (their `approved` field, now old, only widens the
 * sets of units touched). Values derived from these rows together with approved records (provisionalFigure, the
 * statistics delta) are keyed by the figures generation too.
 */
export async function readPendingRows(ledgers: readonly LedgerName[], stamps = readStamps()): Promise<PendingRows> {
  const out = new Map<LedgerName, readonly PendingRow[]>();
  const connection = getConfig().storageConnection;
  await Promise.all(
    ledgers.map(async (name) => {
      const stamp = (await stamps.ledgers).get(name);
      const generation = stamp === undefined ? undefined : `${stamps.period}|${stamp}`;
      const rows = await pendingSnapshots.get(generation, `${connection}\n${tableName(name)}`, () =>
        loadPendingLedger(name),
      );
      out.set(name, rows);
    }),
  );
  return out;
}

/** Per process: figures computed from whole-index scans overlaid with pending rows, under their pendingGeneration. */
const provisional = new GenerationCache<unknown>(64);

/**
 * `compute(every approved record of ledgers, overlaid with their pending rows)`, kept per (ledgers, key) while the
 * figures generation and the ledgers' write stamps are unchanged, for at most PENDING_MAX_AGE_MS (pendingGeneration;
 * never cached while a stamp is missing). The result is shared between requests: callers must not mutate it.
 */
export async function provisionalFigure<T>(
  ledgers: readonly LedgerName[],
  key: string,
  compute: (data: LedgerData) => T,
): Promise<T> {
  const stamps = readStamps();
  const generation = await pendingGeneration(stamps, ledgers);
  return provisional.get(generation, `${scanKey(ledgers)}\n${key}`, async () => {
    const [approved, pending] = await Promise.all([
      readAllApproved(ledgers, stamps.figures),
      readPendingRows(ledgers, stamps),
    ]);
    return compute(await overlayPending(approved, pending, () => true, true));
  }) as Promise<T>;
}

/** Figures computed by provisionalFigure (tests check that an unchanged one is not computed again). */
export function provisionalComputations(): number {
  return provisional.loads;
}

/**
 * `data` with each pending row's latest version in place of (or beside) its approved one, keeping only contract
 * records whose contractId passes `inScope`, and invoice lines of the invoices kept. Lines of invoices that entered the
 * scope through a pending change are read from the index, unless `complete`: `data` is a whole-index scan
 * (readAllApproved), which holds every approved invoice line already.
 */
export async function overlayPending(
  data: LedgerData,
  pending: PendingRows,
  inScope: (contractId: string) => boolean = () => true,
  complete = false,
): Promise<LedgerData> {
  const out = empty();
  const ledgers = Object.keys(data) as (keyof LedgerData)[];
  for (const ledger of ledgers) {
    const rows = pending.get(ledger) ?? [];
    const replaced = new Map<string, LedgerRecord<LedgerName>>();
    for (const r of rows) replaced.set(r.key, r.latest);
    for (const rec of data[ledger] as readonly LedgerRecord<LedgerName>[]) {
      const key = keyOf(ledger, rec);
      if (!replaced.has(key)) push(out, ledger, rec);
    }
    for (const rec of replaced.values()) push(out, ledger, rec);
  }
  const scoped = (r: { contractId: string }): boolean => inScope(r.contractId);
  out.contracts = out.contracts.filter(scoped);
  out.orderLines = out.orderLines.filter(scoped);
  out.deliveries = out.deliveries.filter(scoped);
  out.invoices = out.invoices.filter(scoped);
  out.payments = out.payments.filter(scoped);
  out.creditNotes = out.creditNotes.filter(scoped);
  const invoiceNos = new Set(out.invoices.map((i) => i.invoiceNo));
  const loaded = new Set(data.invoices.map((i) => i.invoiceNo));
  const missing = complete ? [] : [...invoiceNos].filter((n) => !loaded.has(n));
  if (missing.length > 0) {
    const extra = empty();
    await addLines(extra, missing);
    const pendingLines = new Set((pending.get('invoiceLines') ?? []).map((r) => r.key));
    for (const l of extra.invoiceLines) if (!pendingLines.has(keyOf('invoiceLines', l))) out.invoiceLines.push(l);
  }
  out.invoiceLines = out.invoiceLines.filter((l) => invoiceNos.has(l.invoiceNo));
  return out;
}

/**
 * The contracts a pending row touches (its old and new contract; for lines, their invoice's old and new contract).
 * A line's invoice is looked up among the pending invoices first; only invoices with no pending change are read.
 */
export async function contractsTouchedByPending(pending: PendingRows): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const ledger of ['contracts', 'orderLines', 'deliveries', 'invoices', 'payments', 'creditNotes'] as const)
    for (const r of pending.get(ledger) ?? []) {
      ids.add((r.latest as { contractId: string }).contractId);
      if (r.approved !== undefined) ids.add((r.approved as { contractId: string }).contractId);
    }
  const pendingInvoices = new Set((pending.get('invoices') ?? []).map((r) => r.key));
  const lineInvoices = new Set<string>();
  for (const r of pending.get('invoiceLines') ?? []) {
    const invoiceNo = (r.latest as { invoiceNo: string }).invoiceNo;
    // A pending invoice's old and new contracts were added above.
    if (!pendingInvoices.has(invoiceNo)) lineInvoices.add(invoiceNo);
  }
  if (lineInvoices.size > 0) {
    for (const inv of (await readRows('invoices', lineInvoices)).values()) {
      ids.add(inv.latest.contractId);
      if (inv.approved !== undefined) ids.add(inv.approved.contractId);
    }
  }
  return ids;
}

/** The salespeople a pending salesperson or expense row touches. */
export function salespeopleTouchedByPending(pending: PendingRows): Set<string> {
  const ids = new Set<string>();
  for (const ledger of ['salespeople', 'expenses'] as const)
    for (const r of pending.get(ledger) ?? []) {
      ids.add((r.latest as { salespersonId: string }).salespersonId);
      if (r.approved !== undefined) ids.add((r.approved as { salespersonId: string }).salespersonId);
    }
  return ids;
}
