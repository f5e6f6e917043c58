// GET /api/budgets/vsExpenses (issue #14 §4): the budgets of one period (a month, quarter or year label) against the
// expenses of their region (the salesperson's region) and category, by shared/calc/plan.ts's budgetsVsExpenses, the
// same lines as the report workbook's "Budgets vs expenses" sheet. Approved versions of budgets, expenses and
// salespeople; with includePending=true the latest version of each row unless it was rejected (as in the other figures).
// `region` keeps that region's budgets only, upper and lower case ignored.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { budgetsVsExpensesQuery, type BudgetsVsExpensesResponse } from '../../../shared/api';
import { budgetsVsExpenses } from '../../../shared/calc/plan';
import { formatMoney } from '../../../shared/money';
import { requireRead } from '../auth/roles';
import { authenticate } from '../auth/verify';
import { getConfig } from '../config';
import { inEffect } from '../figures/inEffect';
import { readFigureQuery } from '../figures/params';
import type { Route } from '../http/route';

export async function getBudgetsVsExpenses(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  requireRead(await authenticate(req));
  const query = readFigureQuery(req, budgetsVsExpensesQuery);
  const pendingToo = query.includePending === true;
  const [budgets, expenses, salespeople] = await Promise.all([
    inEffect('budgets', pendingToo),
    inEffect('expenses', pendingToo),
    inEffect('salespeople', pendingToo),
  ]);
  const region = query.region?.toLowerCase();
  const chosen = budgets.filter(
    (b) => b.period === query.period && (region === undefined || b.region.toLowerCase() === region),
  );
  const body: BudgetsVsExpensesResponse = {
    period: query.period,
    region: query.region ?? null,
    currency: getConfig().defaultCurrency,
    lines: budgetsVsExpenses(chosen, expenses, salespeople).map((l) => ({
      region: l.region,
      period: l.period,
      category: l.category,
      budget: formatMoney(l.plan),
      expenses: formatMoney(l.actual),
      variance: formatMoney(l.variance),
      pctOfBudget: l.pctOfPlan,
    })),
  };
  return { status: 200, jsonBody: body };
}

export const budgetsVsExpensesRoute: Route = {
  name: 'getBudgetsVsExpenses',
  methods: ['GET'],
  route: 'budgets/vsExpenses',
  handler: getBudgetsVsExpenses,
};
