// "Plan vs actual" (issue #14 §4): GET /api/stats?withPlan=true written as a result table, one row per period, group
// and measure (plan empty where the period has no plan of its own), and beside it the plan and actual of one measure
// per period and group with a native column chart.
import { PLAN_MEASURE_NAMES, type StatsRow } from '../../shared/api';
import { MEASURE_LABELS } from '../../shared/calc/statistics';
import {
  GENERAL_FORMAT,
  MONEY_FORMAT,
  TEXT_FORMAT,
  type Matrix,
  type TableSpec,
  type WorkbookAdapter,
} from '../excel/workbookAdapter';
import { moneyCell } from '../excel/cells';
import type { LedgerApiClient, StatsParams } from './apiClient';

export type PlanMeasureName = (typeof PLAN_MEASURE_NAMES)[number];

export const PLAN_SPEC: TableSpec = {
  sheet: 'Plan vs actual',
  table: 'PlanVsActual',
  columns: [
    { name: 'Period', numberFormat: TEXT_FORMAT },
    { name: 'Group', numberFormat: TEXT_FORMAT },
    { name: 'Measure', numberFormat: TEXT_FORMAT },
    { name: 'Plan', numberFormat: MONEY_FORMAT },
    { name: 'Actual', numberFormat: MONEY_FORMAT },
    { name: 'Variance', numberFormat: MONEY_FORMAT },
    { name: '% of plan', numberFormat: GENERAL_FORMAT },
  ],
};

/** The chart's table: one measure's plan and actual per period and group, two columns right of the main table. */
export const PLAN_CHART_SPEC: TableSpec = {
  sheet: 'Plan vs actual',
  table: 'PlanVsActualChart',
  columns: [
    { name: 'Period and group', numberFormat: TEXT_FORMAT },
    { name: 'Plan', numberFormat: MONEY_FORMAT },
    { name: 'Actual', numberFormat: MONEY_FORMAT },
  ],
  at: { row: 0, column: PLAN_SPEC.columns.length + 1 },
};

export interface PlanWritten {
  /** Statistics rows (period and group) written. */
  rows: number;
  /** Of those, rows with at least one plan. */
  planned: number;
}

const label = (r: StatsRow): string => (r.group === null ? r.period : `${r.period} ${r.group}`);

/**
 * Writes the Plan vs actual sheet for `params` and charts `measure` (default contract value): its plan (empty when
 * none) and actual for every period and group.
 */
export async function writePlanVsActual(
  wb: WorkbookAdapter,
  api: LedgerApiClient,
  params: StatsParams,
  measure: PlanMeasureName = 'contractValue',
): Promise<PlanWritten> {
  if (api.statsWithPlan === undefined) throw new Error('This API client cannot read plans.');
  const rows = await api.statsWithPlan(params);
  const matrix: Matrix = [];
  const chart: Matrix = [];
  let planned = 0;
  for (const r of rows) {
    const plans = r.plan ?? [];
    if (plans.length > 0) planned++;
    for (const m of PLAN_MEASURE_NAMES) {
      const p = plans.find((f) => f.measure === m);
      matrix.push([
        r.period,
        r.group ?? '(all)',
        MEASURE_LABELS[m],
        p === undefined ? '' : moneyCell(p.plan),
        moneyCell(r[m]),
        p === undefined ? '' : moneyCell(p.variance),
        p?.pctOfPlan ?? '',
      ]);
      if (m === measure) chart.push([label(r), p === undefined ? '' : moneyCell(p.plan), moneyCell(r[m])]);
    }
  }
  await wb.writeResultsTable(PLAN_SPEC, matrix);
  await wb.writeResultsTable(PLAN_CHART_SPEC, chart);
  await wb.addChart({
    table: PLAN_CHART_SPEC.table,
    kind: 'column',
    title: `${MEASURE_LABELS[measure]}: plan vs actual by ${params.period}, ${params.from} to ${params.to}`,
    name: 'PlanVsActualChart',
  });
  return { rows: rows.length, planned };
}
