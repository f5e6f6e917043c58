// Ledger data for the figures, read from the contract index (approved), optionally overlaid with pending versions.
//
// Approved records come from the index: a few units by id (one range query per unit, one per invoice for its lines),
// or all of it with a filtered scan, reused while the figures generation stamp is unchanged (see readAllApproved). Provisional figures (`includePending=true`) overlay the latest version of every
// row that has a pending change; those rows are found with a server-side filter on `metaPendingVersion`, so the
// provisional path reads pending rows only, never whole ledgers.

import { ledgerData, type LedgerData } from '../../../shared/calc';
import { keyOf, type LedgerName, type LedgerRecord } from '../../../shared/ledgers';
import { readInvoiceLines, readUnit, scanRecords, type UnitKind } from '../store/contractIndex';
import { getConfig } from '../config';
import { tableName } from '../store/client';
import { forEachRowPage, readRows } from '../store/ledgerStore';
import type { StoredRow } from '../store/ledgerEntities';
import { mapLimit } from '../store/parallel';
import { readFiguresGeneration } from '../store/rollupStore';
import { GenerationCache } from './generationCache';

type Mutable = { -readonly [L in keyof LedgerData]: LedgerData[L][number][] };

function empty(): Mutable {
  return ledgerData() as unknown as Mutable;
}

function push(data: Mutable, ledger: LedgerName, record: LedgerRecord<LedgerName>): void {
  (data[ledger] as LedgerRecord<LedgerName>[]).push(record);
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
export async function readAllApproved(ledgers: readonly LedgerName[]): Promise<LedgerData> {
  const generation = await readFiguresGeneration();
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

/** Test hook: forget the cached scans, units and figures (the caches are per process, like the store clients). */
export function clearApprovedCacheForTests(): void {
  scans.clear();
  units.clear();
  computed.clear();
}

/** Rows with a pending change, per ledger (latest and approved versions). */
export type PendingRows = Map<LedgerName, StoredRow[]>;

/** Finds pending rows with one server-side filtered listing per ledger. */
export async function readPendingRows(ledgers: readonly LedgerName[]): Promise<PendingRows> {
  const out: PendingRows = new Map();
  await Promise.all(
    ledgers.map(async (name) => {
      const rows: StoredRow[] = [];
      await forEachRowPage(name, 'metaPendingVersion ge 0', (page) => rows.push(...page));
      out.set(name, rows);
    }),
  );
  return out;
}

/**
 * `data` with each pending row's latest version in place of (or beside) its approved one, keeping only contract
 * records whose contractId passes `inScope`, and invoice lines of the invoices kept. Lines of invoices that entered the
 * scope through a pending change are read from the index.
 */
export async function overlayPending(
  data: LedgerData,
  pending: PendingRows,
  inScope: (contractId: string) => boolean = () => true,
): Promise<LedgerData> {
  const out = empty();
  const ledgers = Object.keys(data) as LedgerName[];
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
  const invoiceNos = new Set(out.invoices.map((i) => i.invoiceNo));
  const loaded = new Set(data.invoices.map((i) => i.invoiceNo));
  const missing = [...invoiceNos].filter((n) => !loaded.has(n));
  if (missing.length > 0) {
    const extra = empty();
    await addLines(extra, missing);
    const pendingLines = new Set((pending.get('invoiceLines') ?? []).map((r) => r.key));
    for (const l of extra.invoiceLines) if (!pendingLines.has(keyOf('invoiceLines', l))) out.invoiceLines.push(l);
  }
  out.invoiceLines = out.invoiceLines.filter((l) => invoiceNos.has(l.invoiceNo));
  return out;
}

/** The contracts a pending row touches (its old and new contract; for lines, their invoice's old and new contract). */
export async function contractsTouchedByPending(pending: PendingRows): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const ledger of ['contracts', 'orderLines', 'deliveries', 'invoices', 'payments'] as const)
    for (const r of pending.get(ledger) ?? []) {
      ids.add((r.latest as { contractId: string }).contractId);
      if (r.approved !== undefined) ids.add((r.approved as { contractId: string }).contractId);
    }
  const lineInvoices = new Set(
    (pending.get('invoiceLines') ?? []).map((r) => (r.latest as { invoiceNo: string }).invoiceNo),
  );
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
