// Plans vs actual (issue #14 §4): targets and budgets set against the statistics of the very period they name.
//
// * A target (region or salesperson, a month, quarter or year, contractValue, invoiced or collected) is the plan of
//   the statistics row of the same group and period label: a quarter's target compares with the quarter's actual, a
//   month without a target of its own has no plan (a quarter's target is never spread over its months).
// * Budgets (region, period, expense category) are the plan of the `expenses` figure: per region, the sum of the
//   region's budgets of the period over every category. budgetsVsExpenses compares them category by category.
// * Rows grouped by region take the region targets; by salesperson, the salesperson targets; ungrouped rows
//   (groupBy none) the sum of every region's targets and budgets of the period; rows by customer have no plan.
// * Two targets of one group, period and measure (or budgets of one region, period and category) add up.
// * Targets and budgets carry no currency: they are in the house currency (like expenses), so they are the plan of the
//   house currency's rows only; a row in another currency has no plan (amounts of two currencies are never compared).
// * variance = actual − plan; % of plan = actual ÷ plan × 100, rounded half-up to one decimal, null when the plan is 0.

import { PLAN_MEASURE_NAMES, type PlanFigureWire, type StatsQuery, type StatsRow } from '../api';
import { periodOf, periodsBetween, type PeriodKind } from '../dates';
import type { Budget, Expense, Salesperson, Target } from '../ledgers';
import { DEFAULT_CURRENCY, formatMoney, parseMoney, roundHalfUpDiv, type Cents } from '../money';
import { compareText } from './index';

export type PlanMeasure = Target['measure'] | 'expenses';
/** The API's list (shared/api.ts PLAN_MEASURE_NAMES): one list, so plan figures come in the order the sheets read. */
export const PLAN_MEASURES: readonly PlanMeasure[] = PLAN_MEASURE_NAMES;

export interface PlanFigure {
  measure: PlanMeasure;
  plan: Cents;
  actual: Cents;
  variance: Cents;
  /** Actual as a percentage of plan with one decimal (104.5), null when the plan is 0. */
  pctOfPlan: number | null;
}

/** The figures of one statistics row that plans are set for, in cents. */
export type PlanActuals = Record<PlanMeasure, Cents>;

export function planFigure(measure: PlanMeasure, plan: Cents, actual: Cents): PlanFigure {
  return {
    measure,
    plan,
    actual,
    variance: actual - plan,
    // Tenths of a percent: actual × 1000 / plan, rounded half-up; the sign follows the actual's.
    pctOfPlan: plan === 0 ? null : roundHalfUpDiv(actual * 1000, plan) / 10,
  };
}

/** The plans per group and period: `${group}\u0000${period}` → measure → cents. */
export interface PlanIndex {
  readonly groupBy: string;
  readonly plans: ReadonlyMap<string, ReadonlyMap<PlanMeasure, Cents>>;
}

/** Indexes the targets and budgets that apply to statistics grouped by `groupBy` (see the file comment). */
export function indexPlans(groupBy: string, targets: readonly Target[], budgets: readonly Budget[]): PlanIndex {
  const plans = new Map<string, Map<PlanMeasure, Cents>>();
  const add = (group: string, period: string, measure: PlanMeasure, amount: Cents): void => {
    const key = `${group}\u0000${period}`;
    let byMeasure = plans.get(key);
    if (byMeasure === undefined) plans.set(key, (byMeasure = new Map<PlanMeasure, Cents>()));
    byMeasure.set(measure, (byMeasure.get(measure) ?? 0) + amount);
  };
  if (groupBy === 'region' || groupBy === 'salesperson') {
    for (const t of targets) if (t.groupBy === groupBy) add(t.group, t.period, t.measure, t.amount);
  } else if (groupBy === 'none') {
    for (const t of targets) if (t.groupBy === 'region') add('', t.period, t.measure, t.amount);
  }
  if (groupBy === 'region') for (const b of budgets) add(b.region, b.period, 'expenses', b.amount);
  else if (groupBy === 'none') for (const b of budgets) add('', b.period, 'expenses', b.amount);
  return { groupBy, plans };
}

/** The plan figures of one statistics row (group null when ungrouped): one per measure with a plan, in PLAN_MEASURES order. */
export function planFigures(
  index: PlanIndex,
  group: string | null,
  period: string,
  actuals: PlanActuals,
): PlanFigure[] {
  const byMeasure = index.plans.get(`${group ?? ''}\u0000${period}`);
  if (byMeasure === undefined) return [];
  const out: PlanFigure[] = [];
  for (const measure of PLAN_MEASURES) {
    const plan = byMeasure.get(measure);
    if (plan !== undefined) out.push(planFigure(measure, plan, actuals[measure]));
  }
  return out;
}

export interface BudgetLine extends PlanFigure {
  region: string;
  period: string;
  category: string;
}

/**
 * Budgets against the expenses of their region (the salesperson's region), period and category: one line per region,
 * period and category with a budget (its budgets summed), in that order; expenses count in the period of their
 * incurredOn. Expenses of a category or period without a budget are not listed, and neither are those of a
 * salesperson who is not in `salespeople`.
 */
export function budgetsVsExpenses(
  budgets: readonly Budget[],
  expenses: readonly Expense[],
  salespeople: readonly Salesperson[],
): BudgetLine[] {
  const regionOf = new Map(salespeople.map((s) => [s.salespersonId, s.region]));
  const planned = new Map<string, { region: string; period: string; category: string; amount: Cents }>();
  const kinds = new Set<PeriodKind>();
  for (const b of budgets) {
    kinds.add(b.period.length === 4 ? 'year' : b.period.includes('Q') ? 'quarter' : 'month');
    const key = `${b.region}\u0000${b.period}\u0000${b.category}`;
    const known = planned.get(key);
    if (known === undefined)
      planned.set(key, { region: b.region, period: b.period, category: b.category, amount: b.amount });
    else known.amount += b.amount;
  }
  const actual = new Map<string, Cents>();
  for (const e of expenses) {
    const region = regionOf.get(e.salespersonId);
    if (region === undefined) continue;
    for (const kind of kinds) {
      const key = `${region}\u0000${periodOf(e.incurredOn, kind)}\u0000${e.category}`;
      actual.set(key, (actual.get(key) ?? 0) + e.amount);
    }
  }
  return [...planned]
    .map(([key, b]) => ({
      region: b.region,
      period: b.period,
      category: b.category,
      ...planFigure('expenses', b.amount, actual.get(key) ?? 0),
    }))
    .sort(
      (a, b) =>
        compareText(a.region, b.region) || compareText(a.period, b.period) || compareText(a.category, b.category),
    );
}

export function planFigureToWire(f: PlanFigure): PlanFigureWire {
  return {
    measure: f.measure,
    plan: formatMoney(f.plan),
    actual: formatMoney(f.actual),
    variance: formatMoney(f.variance),
    pctOfPlan: f.pctOfPlan,
  };
}

const ZERO = '0.00';

/**
 * GET /api/stats with withPlan=true: every row with its `plan` (an empty list when its group and period have none),
 * plus a row of zeros for each group and period of the range that has a plan but no figure, so a plan nobody
 * worked on still shows, at 0 % of plan. Rows stay in period, then group order.
 */
export function withPlans(
  rows: readonly StatsRow[],
  query: Pick<StatsQuery, 'period' | 'from' | 'to' | 'groupBy'>,
  targets: readonly Target[],
  budgets: readonly Budget[],
  houseCurrency: string = DEFAULT_CURRENCY,
): StatsRow[] {
  const index = indexPlans(query.groupBy, targets, budgets);
  const inRange = new Set(periodsBetween(query.from, query.to, query.period));
  const all = [...rows];
  const planned = (r: StatsRow): boolean => (r.currency ?? houseCurrency) === houseCurrency;
  const seen = new Set(rows.filter(planned).map((r) => `${r.group ?? ''}\u0000${r.period}`));
  for (const key of index.plans.keys()) {
    const [group = '', period = ''] = key.split('\u0000');
    if (seen.has(key) || !inRange.has(period)) continue;
    all.push({
      period,
      group: query.groupBy === 'none' ? null : group,
      currency: houseCurrency,
      contractsSigned: 0,
      contractValue: ZERO,
      delivered: ZERO,
      returned: ZERO,
      invoiced: ZERO,
      collected: ZERO,
      expenses: ZERO,
    });
  }
  all.sort((a, b) => compareText(a.period, b.period) || compareText(a.group ?? '', b.group ?? ''));
  return all.map((r) => ({
    ...r,
    plan: !planned(r)
      ? []
      : planFigures(index, r.group, r.period, {
          contractValue: parseMoney(r.contractValue),
          invoiced: parseMoney(r.invoiced),
          collected: parseMoney(r.collected),
          expenses: parseMoney(r.expenses),
        }).map(planFigureToWire),
  }));
}
