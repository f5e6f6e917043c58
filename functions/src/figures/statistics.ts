// GET /api/stats from the rollups: month cells for whole months, day cells for the months `from`/`to` cut.
//
// A request makes one month-cell range query (across the year partitions in range) plus a day-cell range query for
// each of the at most two cut months, so its cost depends on the range and the number of groups, never on the
// ledgers' size.
// Provisional figures add, per unit with pending rows, the facts of (approved records overlaid with pending
// versions) minus the facts of the approved records: the same shared/calc facts, on pending units only. That delta
// is kept per process while the figures generation and the ledgers' write stamps are unchanged (pendingCells).
// Without includePending nothing here reads the ledgers' pending rows or stamps.

import { compareText, buildIndex, type LedgerData } from '../../../shared/calc';
import { contractFacts, MEASURES, type StatsFigures } from '../../../shared/calc/statistics';
import type { StatsGroupBy, StatsQuery, StatsRow } from '../../../shared/api';
import { addDays, parsePeriod, periodOf, previousMonth, type IsoDate, type PeriodKind } from '../../../shared/dates';
import type { Expense } from '../../../shared/ledgers';
import { statsRowToWire } from '../../../shared/wire';
import { getConfig } from '../config';
import { tableName } from '../store/client';
import { readDayCells, readFiguresGeneration, readMonthCells, type RangeCell } from '../store/rollupStore';
import { GenerationCache } from './generationCache';
import {
  CellSums,
  contributionOf,
  isZero,
  salespersonContribution,
  splitCellGroup,
  zeroVec,
  type Cell,
  type Vec,
} from './cells';
import {
  CONTRACT_UNIT_LEDGERS,
  contractsTouchedByPending,
  overlayPending,
  pendingGeneration,
  readAllApproved,
  readPendingRows,
  readStamps,
  readUnits,
  salespeopleTouchedByPending,
  type Stamps,
} from './ledgerView';

const lastDayOfMonth = (month: string): IsoDate => parsePeriod(month).to;
const nextMonth = (month: string): string => periodOf(addDays(lastDayOfMonth(month), 1), 'month');
const monthBefore = (month: string): string => previousMonth(`${month}-01`);

/** The reads a range needs: one range of whole months (YYYY-MM), and ranges of days for the months it cuts. */
export function rangeQueries(
  from: IsoDate,
  to: IsoDate,
): { months: { from: string; to: string } | undefined; days: { from: IsoDate; to: IsoDate }[] } {
  const fromMonth = from.slice(0, 7);
  const toMonth = to.slice(0, 7);
  // Whole months: the first starts on or after `from`, the last ends on or before `to`.
  const firstWhole = from.endsWith('-01') ? fromMonth : nextMonth(fromMonth);
  const lastWhole = to === lastDayOfMonth(toMonth) ? toMonth : monthBefore(toMonth);
  if (fromMonth === toMonth)
    return firstWhole <= lastWhole
      ? { months: { from: fromMonth, to: toMonth }, days: [] }
      : { months: undefined, days: [{ from, to }] };
  const days: { from: IsoDate; to: IsoDate }[] = [];
  if (!from.endsWith('-01')) days.push({ from, to: lastDayOfMonth(fromMonth) });
  if (to !== lastDayOfMonth(toMonth)) days.push({ from: `${toMonth}-01`, to });
  return { months: firstWhole <= lastWhole ? { from: firstWhole, to: lastWhole } : undefined, days };
}

/** Sums per (period label, group, currency): amounts of two currencies never meet in one sum. */
class PeriodSums {
  readonly rows = new Map<string, { period: string; group: string | null; currency: string; v: Vec }>();
  constructor(readonly kind: PeriodKind) {}

  add(date: IsoDate, group: string | null, currency: string, v: Vec): void {
    const period = periodOf(date, this.kind);
    const key = `${period}\u0000${group ?? ''}\u0000${currency}`;
    let row = this.rows.get(key);
    if (row === undefined) {
      row = { period, group, currency, v: zeroVec() };
      this.rows.set(key, row);
    }
    for (let i = 0; i < v.length; i++) row.v[i] = (row.v[i] as number) + (v[i] as number);
  }
}

/** The ledgers whose pending rows move statistics: those of contract units and of salesperson units. */
const PENDING_LEDGERS = [...CONTRACT_UNIT_LEDGERS, 'salespeople', 'expenses'] as const;

/**
 * Above this many touched contracts, their approved records come from one scan of the contract index (readAllApproved:
 * kept per figures generation) rather than one range query per contract and per invoice (readUnits). Azurite evaluates
 * every query on every entity of the table, so thousands of unit queries cost thousands of passes over the index,
 * where a scan costs one pass per page of 1,000 records.
 */
export const SCAN_ABOVE_CONTRACTS = 256;
let scanAbove = SCAN_ABOVE_CONTRACTS;

/** Test hook: another bound for SCAN_ABOVE_CONTRACTS (undefined: back to it), so small tests take both paths. */
export function setScanAboveForTests(contracts: number | undefined): void {
  scanAbove = contracts ?? SCAN_ABOVE_CONTRACTS;
}

/**
 * The rollup change that pending rows would make, as day cells of every dimension: per unit (contract or salesperson)
 * a pending row touches, the contribution of its approved records overlaid with the pending versions minus that of
 * its approved records. Approved records are read under `stamps.figures`.
 */
async function computePendingCells(stamps: Stamps): Promise<ReadonlyMap<StatsGroupBy, readonly Cell[]>> {
  pendingCellComputations.count++;
  const pending = await readPendingRows(PENDING_LEDGERS, stamps);
  const sums = new CellSums();
  const contracts = await contractsTouchedByPending(pending);
  if (contracts.size > 0) {
    const touched = (id: string): boolean => contracts.has(id);
    let approved: LedgerData;
    let provisional: LedgerData;
    if (contracts.size > scanAbove) {
      // A whole-index scan holds every approved invoice line: the overlay needs no read of its own (`complete`).
      const all = await readAllApproved(CONTRACT_UNIT_LEDGERS, stamps.figures);
      approved = await overlayPending(all, new Map(), touched, true);
      provisional = await overlayPending(all, pending, touched, true);
    } else {
      approved = await readUnits('c', contracts, stamps.figures);
      provisional = await overlayPending(approved, pending, touched);
    }
    const before = buildIndex(approved).bundles;
    const after = buildIndex(provisional).bundles;
    for (const id of contracts) {
      const b = before.get(id);
      const a = after.get(id);
      if (b !== undefined) sums.addContribution(contributionOf([contractFacts(b)]), -1);
      if (a !== undefined) sums.addContribution(contributionOf([contractFacts(a)]), 1);
    }
  }
  const salespeople = salespeopleTouchedByPending(pending);
  if (salespeople.size > 0) {
    const approved = await readUnits('s', salespeople, stamps.figures);
    const provisional = await overlayPending(approved, pending);
    const byId = (data: typeof approved) => {
      const people = new Map(data.salespeople.map((s) => [s.salespersonId, s]));
      const expenses = new Map<string, Expense[]>();
      for (const e of data.expenses) {
        const list = expenses.get(e.salespersonId);
        if (list === undefined) expenses.set(e.salespersonId, [e]);
        else list.push(e);
      }
      return (id: string) => salespersonContribution(id, people.get(id), expenses.get(id) ?? []);
    };
    const before = byId(approved);
    const after = byId(provisional);
    for (const id of salespeople) {
      sums.addContribution(before(id), -1);
      sums.addContribution(after(id), 1);
    }
  }
  const byDim = new Map<StatsGroupBy, Cell[]>();
  for (const c of sums.list()) {
    const list = byDim.get(c.dim);
    if (list === undefined) byDim.set(c.dim, [c]);
    else list.push(c);
  }
  return byDim;
}

/** Provisional deltas computed by this process (tests check that an unchanged pending set is not recomputed). */
export const pendingCellComputations = { count: 0 };

/** Per process: the provisional delta of every dimension, under the pendingGeneration of PENDING_LEDGERS. */
const pendingDeltas = new GenerationCache<ReadonlyMap<StatsGroupBy, readonly Cell[]>>(16);

/**
 * The rollup change that pending rows would make, as day cells of one dimension. Kept while the figures generation
 * and the pending ledgers' write stamps are unchanged, for at most ledgerView.PENDING_MAX_AGE_MS (pendingGeneration),
 * so a repeated provisional request costs the stamp reads; recomputed (computePendingCells) after any of them moved,
 * and on every request while a stamp was never written.
 */
async function pendingCells(groupBy: StatsGroupBy, stamps: Stamps): Promise<readonly Cell[]> {
  const generation = await pendingGeneration(stamps, PENDING_LEDGERS);
  const key = `${getConfig().storageConnection}\n${tableName('contractIndex')}\n${PENDING_LEDGERS.map(tableName).join(',')}`;
  const all = await pendingDeltas.get(generation, key, () => computePendingCells(stamps));
  return all.get(groupBy) ?? [];
}

/** Per process: the cell reads of a range, under the generation stamp read before them (generationCache.ts). */
const cellReads = new GenerationCache<readonly (readonly RangeCell[])[]>(256);

/**
 * The rollup cells of [from, to] for one dimension: month cells for whole months, day cells for cut ones. Kept until
 * the stamp changes, which the projection replaces after applying rollup deltas, so an approval is seen at once.
 */
async function approvedCells(
  groupBy: StatsGroupBy,
  from: IsoDate,
  to: IsoDate,
  stamp: Promise<string | undefined>,
): Promise<readonly (readonly RangeCell[])[]> {
  const generation = await stamp;
  const q = rangeQueries(from, to);
  const key = `${getConfig().storageConnection}\n${tableName('rollups')}\n${groupBy}|${from}|${to}`;
  return cellReads.get(generation, key, () =>
    Promise.all([
      q.months === undefined ? [] : readMonthCells(groupBy, q.months.from, q.months.to),
      ...q.days.map((d) => readDayCells(groupBy, d.from, d.to)),
    ]),
  );
}

/** Test hook: forget the cached cell reads and provisional deltas. */
export function clearCellCacheForTests(): void {
  cellReads.clear();
  pendingDeltas.clear();
}

/** Cell reads done for statistics (tests check that an unchanged range is not read again). */
export function cellLoads(): number {
  return cellReads.loads;
}

/** The statistics rows of a parsed query. */
export async function statistics(query: StatsQuery): Promise<StatsRow[]> {
  const { from, to, groupBy } = query;
  const kind = query.period;
  const sums = new PeriodSums(kind);
  // Cell groups carry their currency (cells.cellGroup); '' is the configured house currency.
  const house = getConfig().defaultCurrency;
  const add = (date: IsoDate, key: string, v: Vec): void => {
    const { currency, group } = splitCellGroup(key);
    sums.add(date, groupBy === 'none' ? null : group, currency === '' ? house : currency, v);
  };
  // One stamp read per request, before the cells and any unit: it serves both the rollup cells and pending units.
  const stamp = readFiguresGeneration();
  const [reads, extra] = await Promise.all([
    approvedCells(groupBy, from, to, stamp),
    query.includePending === true ? pendingCells(groupBy, readStamps(stamp)) : Promise.resolve([]),
  ]);
  // Month cells stand for their month's first day: it falls in the same month, quarter and year.
  for (const cells of reads) for (const c of cells) add(c.date, c.group, c.v);
  for (const c of extra) if (c.date >= from && c.date <= to) add(c.date, c.group, c.v);
  return [...sums.rows.values()]
    .filter((r) => !isZero(r.v))
    .sort(
      (a, b) =>
        compareText(a.period, b.period) ||
        compareText(a.group ?? '', b.group ?? '') ||
        compareText(a.currency, b.currency),
    )
    .map((r) => {
      const figures = { period: r.period, group: r.group, currency: r.currency } as StatsFigures;
      MEASURES.forEach((m, i) => (figures[m] = r.v[i] ?? 0));
      return statsRowToWire(figures);
    });
}
