// "Budgets vs expenses" (issue #14 §4): GET /api/budgets/vsExpenses for one period (and optionally one region) written
// as a result table with the report workbook's columns: per region and category, budget, expenses, variance and % of
// budget.
import { formatMoney, parseMoney } from '../../shared/money';
import { plural } from '../../shared/text';
import { MONEY_FORMAT, TEXT_FORMAT, type Matrix, type TableSpec, type WorkbookAdapter } from '../excel/workbookAdapter';
import { moneyCell } from '../excel/cells';
import type { LedgerApiClient } from './apiClient';

export const PERCENT_FORMAT = '0.0%';

/** The report workbook's "Budgets vs expenses" columns, in its order. */
export const BUDGETS_SPEC: TableSpec = {
  sheet: 'Budgets vs expenses',
  table: 'BudgetsVsExpenses',
  columns: [
    { name: 'Region', numberFormat: TEXT_FORMAT },
    { name: 'Category', numberFormat: TEXT_FORMAT },
    { name: 'Budget', numberFormat: MONEY_FORMAT },
    { name: 'Expenses', numberFormat: MONEY_FORMAT },
    { name: 'Variance', numberFormat: MONEY_FORMAT },
    // A fraction shown as a percentage (1.5 reads 150.0%), as in the report workbook; empty when the budget is 0.
    { name: '% of budget', numberFormat: PERCENT_FORMAT },
  ],
};

export interface BudgetsParams {
  /** A month (2016-11), a quarter (2016-Q4) or a year (2016); the API refuses anything else, naming the period. */
  period: string;
  /** One region, or every region when empty. */
  region?: string;
}

export interface BudgetsWritten {
  /** Budget lines (region and category) written. */
  lines: number;
  /** Σ budgets and Σ expenses of those lines, in cents, and their currency (the house currency). */
  budget: number;
  expenses: number;
  currency: string;
  /** Lines whose expenses are above the budget. */
  over: number;
}

/** Writes the Budgets vs expenses sheet for one period (surrounding spaces ignored; an empty region means all). */
export async function writeBudgetsVsExpenses(
  wb: WorkbookAdapter,
  api: LedgerApiClient,
  params: BudgetsParams,
): Promise<BudgetsWritten> {
  if (api.budgetsVsExpenses === undefined) throw new Error('This API client cannot read budgets.');
  const region = params.region?.trim() ?? '';
  const res = await api.budgetsVsExpenses({
    period: params.period.trim(),
    ...(region === '' ? {} : { region }),
  });
  const matrix: Matrix = [];
  let budget = 0;
  let expenses = 0;
  let over = 0;
  for (const l of res.lines) {
    budget += parseMoney(l.budget);
    expenses += parseMoney(l.expenses);
    if (parseMoney(l.variance) > 0) over++;
    matrix.push([
      l.region,
      l.category,
      moneyCell(l.budget),
      moneyCell(l.expenses),
      moneyCell(l.variance),
      // The API gives tenths of a percent (63.3); the cell holds the fraction (0.633) that PERCENT_FORMAT shows.
      l.pctOfBudget === null ? '' : Math.round(l.pctOfBudget * 10) / 1000,
    ]);
  }
  await wb.writeResultsTable(BUDGETS_SPEC, matrix);
  return { lines: res.lines.length, budget, expenses, currency: res.currency, over };
}

/** What the pane says after writing the sheet: a warning when the period (and region) has no budget. */
export function budgetsMessage(
  params: BudgetsParams,
  w: BudgetsWritten,
): { intent: 'success' | 'warning'; title: string; text: string } {
  const period = params.period.trim();
  const region = params.region?.trim() ?? '';
  const where = region === '' ? '' : ` in region ${region}`;
  if (w.lines === 0)
    return {
      intent: 'warning',
      title: 'No budgets',
      text: `There is no approved budget for ${period}${where}; the Budgets vs expenses sheet is empty.`,
    };
  const over = w.over === 0 ? 'none over budget' : `${plural(w.over, 'line')} over budget`;
  return {
    intent: 'success',
    title: 'Budgets vs expenses written',
    text:
      `${plural(w.lines, 'budget line')} for ${period}${where} on the Budgets vs expenses sheet: ` +
      `${formatMoney(w.budget)} budgeted, ${formatMoney(w.expenses)} spent (${w.currency}); ${over}.`,
  };
}
