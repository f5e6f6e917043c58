// What the report workbook's "Plan vs actual" sheet (issue #14 §4) shows: per region, each measure's plan, actual,
// variance and % of plan for the report's period, from shared/calc/plan.ts; reports/workbook.ts (planSheet) lays it
// out like every other sheet, with a chart of one measure's plan and actual by region.
import type { StatsRow } from '../../../shared/api';
import type { LedgerData } from '../../../shared/calc';
import { budgetsVsExpenses, withPlans, type BudgetLine } from '../../../shared/calc/plan';
import { computeStatistics } from '../../../shared/calc/statistics';
import type { Period } from '../../../shared/dates';
import { DEFAULT_CURRENCY } from '../../../shared/money';
import type { Budget, Target } from '../../../shared/ledgers';
import { statsRowToWire } from '../../../shared/wire';

export const PLAN_SHEET = 'Plan vs actual';
export const BUDGET_SHEET = 'Budgets vs expenses';
/** The measure the sheet's chart plots. */
export const PLAN_CHART_MEASURE = 'contractValue';

/**
 * The period's statistics by region with their plans (regions with a plan and no figures included, at zero). Plans are
 * in `houseCurrency` (the report's, as GET /api/stats?withPlan=true takes it from the configuration): contracts without
 * a currency count in it, and only its rows carry plans.
 */
export function planRows(
  data: LedgerData,
  period: Period,
  targets: readonly Target[],
  budgets: readonly Budget[],
  houseCurrency: string = DEFAULT_CURRENCY,
): StatsRow[] {
  const query = { period: period.kind, from: period.from, to: period.to, groupBy: 'region' } as const;
  return withPlans(
    computeStatistics(data, { ...query, houseCurrency }).map(statsRowToWire),
    query,
    targets,
    budgets,
    houseCurrency,
  );
}

/** The budgets of the report's own period against the approved expenses of their region, period and category. */
export function budgetLines(data: LedgerData, period: Period, budgets: readonly Budget[]): BudgetLine[] {
  return budgetsVsExpenses(
    budgets.filter((b) => b.period === period.label),
    data.expenses,
    data.salespeople,
  );
}
