// "Figures": statistics and receivables aging from the API, written as result tables with native Excel charts, and the
// key figures of a period beside the previous one for the pane itself.
import { AGING_BUCKETS, RECEIVABLES_AMOUNT_LABELS, RECEIVABLES_AMOUNTS } from '../../shared/calc/aging';
import { MEASURE_LABELS, MEASURES, type Measure } from '../../shared/calc/statistics';
import { addDays, isIsoDate, parsePeriod, periodOf, type Period, type PeriodKind } from '../../shared/dates';
import { DEFAULT_CURRENCY, parseMoney, type Cents } from '../../shared/money';
import {
  INTEGER_FORMAT,
  MONEY_FORMAT,
  TEXT_FORMAT,
  type Matrix,
  type TableSpec,
  type WorkbookAdapter,
} from '../excel/workbookAdapter';
import { moneyCell } from '../excel/cells';
import type { LedgerApiClient, ReceivablesParams, StatsParams } from './apiClient';

/**
 * The money measures first and the count last: the sheet's chart plots the label columns and the money beside them
 * on one axis, never a count of contracts on an axis of euros.
 */
const STATS_ORDER: readonly Measure[] = [...MEASURES.filter((m) => m !== 'contractsSigned'), 'contractsSigned'];

export const STATS_SPEC: TableSpec = {
  sheet: 'Statistics',
  table: 'Statistics',
  columns: [
    { name: 'Period', numberFormat: TEXT_FORMAT },
    { name: 'Group', numberFormat: TEXT_FORMAT },
    // Issue #13 §4: the currency of the row's amounts (a group in two currencies has two rows).
    { name: 'Currency', numberFormat: TEXT_FORMAT },
    ...STATS_ORDER.map((m) => ({
      name: MEASURE_LABELS[m],
      numberFormat: m === 'contractsSigned' ? INTEGER_FORMAT : MONEY_FORMAT,
    })),
  ],
};
/** Period, Group, Currency and the money measures: what the statistics chart plots (Contracts signed is last, off it). */
const STATS_CHART_COLUMNS = STATS_SPEC.columns.length - 1;

export const RECEIVABLES_SPEC: TableSpec = {
  sheet: 'Receivables',
  table: 'Receivables',
  columns: [
    { name: 'Group', numberFormat: TEXT_FORMAT },
    { name: 'Currency', numberFormat: TEXT_FORMAT },
    ...RECEIVABLES_AMOUNTS.map((k) => ({ name: RECEIVABLES_AMOUNT_LABELS[k], numberFormat: MONEY_FORMAT })),
  ],
};

export async function writeStatistics(wb: WorkbookAdapter, api: LedgerApiClient, params: StatsParams): Promise<number> {
  const rows = await api.stats(params);
  // Columns follow the shared measure order, so the sheet can never list a measure the API doesn't have.
  const matrix: Matrix = rows.map((r) => [
    r.period,
    r.group ?? '(all)',
    r.currency ?? '',
    ...STATS_ORDER.map((m) => (m === 'contractsSigned' ? r.contractsSigned : moneyCell(r[m]))),
  ]);
  await wb.writeResultsTable(STATS_SPEC, matrix);
  await wb.addChart({
    table: STATS_SPEC.table,
    kind: 'column',
    title: `Statistics by ${params.period}${params.groupBy !== 'none' ? ` and ${params.groupBy}` : ''}, ${params.from} to ${params.to}`,
    name: 'StatisticsChart',
    columns: STATS_CHART_COLUMNS,
  });
  return rows.length;
}

export async function writeReceivables(
  wb: WorkbookAdapter,
  api: LedgerApiClient,
  params: ReceivablesParams,
): Promise<number> {
  const res = await api.receivables(params);
  const matrix: Matrix = res.rows.map((r) => [
    r.group,
    r.currency ?? '',
    ...RECEIVABLES_AMOUNTS.map((k) => moneyCell(r[k])),
  ]);
  await wb.writeResultsTable(RECEIVABLES_SPEC, matrix);
  await wb.addChart({
    table: RECEIVABLES_SPEC.table,
    kind: 'column',
    title: `Receivables aging by ${params.groupBy} as of ${res.asOf}`,
    name: 'ReceivablesChart',
    // Group, Currency and the aging buckets; the total and unapplied payments stay in the table, off the chart.
    columns: 2 + AGING_BUCKETS.length,
  });
  return res.rows.length;
}

/** The numbers the Figures tab shows for a period beside the previous one. */
export const KEY_MEASURES = [
  'contractsSigned',
  'contractValue',
  'invoiced',
  'collected',
  'expenses',
  'overdue',
] as const;
export type KeyMeasure = (typeof KEY_MEASURES)[number];

export const KEY_MEASURE_LABELS: Record<KeyMeasure, string> = {
  contractsSigned: MEASURE_LABELS.contractsSigned,
  contractValue: MEASURE_LABELS.contractValue,
  invoiced: MEASURE_LABELS.invoiced,
  collected: MEASURE_LABELS.collected,
  expenses: MEASURE_LABELS.expenses,
  overdue: 'Overdue receivables',
};

export interface KeyFigure {
  measure: KeyMeasure;
  label: string;
  /** `count`: a number of contracts; `money`: cents. */
  unit: 'count' | 'money';
  current: number;
  previous: number;
}

export interface KeyFigures {
  current: Period;
  previous: Period;
  /** The currency of the money figures (and of the contracts counted): figures of two currencies are never added. */
  currency: string;
  /** Every currency the two periods' figures hold, sorted; the others are on the Statistics sheet. */
  currencies: string[];
  figures: KeyFigure[];
}

/** The period of `kind` before `period`: 2016-Q1 before 2016-Q2, 2015-12 before 2016-01. */
export function previousPeriod(period: Period): Period {
  return parsePeriod(periodOf(addDays(period.from, -1), period.kind));
}

/** Overdue on `asOf`: every bucket past due (all but `current`), summed over the groups, in cents. */
function overdueCents(rows: readonly { [k in (typeof AGING_BUCKETS)[number]]: string }[]): Cents {
  return rows.reduce(
    (n, r) => n + AGING_BUCKETS.filter((b) => b !== 'current').reduce((m, b) => m + parseMoney(r[b]), 0),
    0,
  );
}

/**
 * The key figures of the period of `kind` that holds `date`, beside the period before it, from the same endpoints the
 * sheets use: statistics without grouping for both periods in one call (periods without data count as zero), and
 * receivables aging as of each period's last day for what is overdue then.
 */
export async function keyFigures(
  api: LedgerApiClient,
  params: { period: PeriodKind; date: string; currency?: string },
): Promise<KeyFigures> {
  const date: unknown = params.date;
  if (!isIsoDate(date)) throw new Error(`${params.date} is not a date: give the day as YYYY-MM-DD.`);
  const current = parsePeriod(periodOf(date, params.period));
  const previous = previousPeriod(current);
  const [stats, agingNow, agingBefore] = await Promise.all([
    api.stats({ period: params.period, from: previous.from, to: current.to, groupBy: 'none' }),
    api.receivables({ asOf: current.to, groupBy: 'customer' }),
    api.receivables({ asOf: previous.to, groupBy: 'customer' }),
  ]);
  // One currency's figures: the one asked for, else the only one, else the first in order (the tab names the others).
  const currencies = [
    ...new Set([...stats, ...agingNow.rows, ...agingBefore.rows].map((r) => r.currency ?? DEFAULT_CURRENCY)),
  ].sort();
  const currency = params.currency ?? currencies[0] ?? DEFAULT_CURRENCY;
  const inCurrency = <T extends { currency?: string }>(rows: readonly T[]): T[] =>
    rows.filter((r) => (r.currency ?? DEFAULT_CURRENCY) === currency);
  const of = (label: string) => inCurrency(stats).find((r) => r.period === label);
  const figures = KEY_MEASURES.map((measure): KeyFigure => {
    const label = KEY_MEASURE_LABELS[measure];
    if (measure === 'overdue')
      return {
        measure,
        label,
        unit: 'money',
        current: overdueCents(inCurrency(agingNow.rows)),
        previous: overdueCents(inCurrency(agingBefore.rows)),
      };
    const value = (row: ReturnType<typeof of>): number => {
      if (row === undefined) return 0;
      return measure === 'contractsSigned' ? row.contractsSigned : parseMoney(row[measure]);
    };
    return {
      measure,
      label,
      unit: measure === 'contractsSigned' ? 'count' : 'money',
      current: value(of(current.label)),
      previous: value(of(previous.label)),
    };
  });
  return { current, previous, currency, currencies, figures };
}
