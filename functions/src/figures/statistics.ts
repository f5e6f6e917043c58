// GET /api/stats from the rollups: month cells for whole months, day cells for the months `from`/`to` cut.
//
// A request makes one month-cell range query (across the year partitions in range) plus a day-cell range query for
// each of the at most two cut months, so its cost depends on the range and the number of groups, never on the
// ledgers' size.
// Provisional figures add, per unit with pending rows, the facts of (approved records overlaid with pending
// versions) minus the facts of the approved records: the same shared/calc facts, on pending units only.

import { compareText, buildIndex } from '../../../shared/calc';
import { contractFacts, MEASURES, type StatsFigures } from '../../../shared/calc/statistics';
import type { StatsGroupBy, StatsQuery, StatsRow } from '../../../shared/api';
import { addDays, parsePeriod, periodOf, previousMonth, type IsoDate, type PeriodKind } from '../../../shared/dates';
import type { Expense } from '../../../shared/ledgers';
import { statsRowToWire } from '../../../shared/wire';
import { getConfig } from '../config';
import { tableName } from '../store/client';
import { readDayCells, readFiguresGeneration, readMonthCells, type RangeCell } from '../store/rollupStore';
import { GenerationCache } from './generationCache';
import { CellSums, contributionOf, isZero, salespersonContribution, zeroVec, type Cell, type Vec } from './cells';
import {
  contractsTouchedByPending,
  overlayPending,
  readPendingRows,
  readUnits,
  salespeopleTouchedByPending,
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

/** Sums per (period label, group). */
class PeriodSums {
  readonly rows = new Map<string, { period: string; group: string | null; v: Vec }>();
  constructor(readonly kind: PeriodKind) {}

  add(date: IsoDate, group: string | null, v: Vec): void {
    const period = periodOf(date, this.kind);
    const key = `${period}\u0000${group ?? ''}`;
    let row = this.rows.get(key);
    if (row === undefined) {
      row = { period, group, v: zeroVec() };
      this.rows.set(key, row);
    }
    for (let i = 0; i < v.length; i++) row.v[i] = (row.v[i] as number) + (v[i] as number);
  }
}

/**
 * The rollup change that pending rows would make, as day cells of one dimension. `stamp`: the request's figures
 * generation stamp, read before any unit (readUnits).
 */
async function pendingCells(groupBy: StatsGroupBy, stamp: Promise<string | undefined>): Promise<Cell[]> {
  const pending = await readPendingRows([
    'salespeople',
    'contracts',
    'orderLines',
    'deliveries',
    'invoices',
    'invoiceLines',
    'payments',
    'expenses',
  ]);
  const sums = new CellSums();
  const contracts = await contractsTouchedByPending(pending);
  if (contracts.size > 0) {
    const approved = await readUnits('c', contracts, stamp);
    const provisional = await overlayPending(approved, pending, (id) => contracts.has(id));
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
    const approved = await readUnits('s', salespeople, stamp);
    const provisional = await overlayPending(approved, pending);
    const contribution = (data: typeof approved, id: string) =>
      salespersonContribution(
        id,
        data.salespeople.find((s) => s.salespersonId === id),
        data.expenses.filter((e: Expense) => e.salespersonId === id),
      );
    for (const id of salespeople) {
      sums.addContribution(contribution(approved, id), -1);
      sums.addContribution(contribution(provisional, id), 1);
    }
  }
  return sums.list().filter((c) => c.dim === groupBy);
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

/** Test hook: forget the cached cell reads. */
export function clearCellCacheForTests(): void {
  cellReads.clear();
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
  const groupOf = (g: string): string | null => (groupBy === 'none' ? null : g);
  // One stamp read per request, before the cells and any unit: it serves both the rollup cells and pending units.
  const stamp = readFiguresGeneration();
  const [reads, extra] = await Promise.all([
    approvedCells(groupBy, from, to, stamp),
    query.includePending === true ? pendingCells(groupBy, stamp) : Promise.resolve([]),
  ]);
  // Month cells stand for their month's first day: it falls in the same month, quarter and year.
  for (const cells of reads) for (const c of cells) sums.add(c.date, groupOf(c.group), c.v);
  for (const c of extra) if (c.date >= from && c.date <= to) sums.add(c.date, groupOf(c.group), c.v);
  return [...sums.rows.values()]
    .filter((r) => !isZero(r.v))
    .sort((a, b) => compareText(a.period, b.period) || compareText(a.group ?? '', b.group ?? ''))
    .map((r) => {
      const figures = { period: r.period, group: r.group } as StatsFigures;
      MEASURES.forEach((m, i) => (figures[m] = r.v[i] ?? 0));
      return statsRowToWire(figures);
    });
}
