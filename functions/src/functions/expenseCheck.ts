// POST /api/checks/expenses (issue #14): every expense against the expense policy in effect, its salesperson's trips
// and the other expenses (shared/calc/expenseCheck.ts, the same code the pane runs before publishing).
//
// Reads the approved versions of expenses, trips, expense policies and salespeople, page by page; with
// includePending=true the latest version of each row counts instead, unless it was rejected (then the approved one
// stays in effect, as in the other figures). With expenseIds, findings are reported for those expenses only, while
// day sums, duplicates and per-diem days still count every expense; requested ids with no version in effect are
// listed in `notFound`. `totals` (additive) sums claims, reimbursable amounts and findings per salesperson over the
// expenses whose findings are reported (shared/calc/expenseTotals.ts).
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { expenseCheckRequest } from '../../../shared/api';
import { checkExpenses, expenseFindingToWire, type ExpenseCheckInput } from '../../../shared/calc/expenseCheck';
import { expenseTotalsBySalesperson, expenseTotalsToWire } from '../../../shared/calc/expenseTotals';
import { requireRead } from '../auth/roles';
import { authenticate } from '../auth/verify';
import { readJsonBody } from '../http/body';
import type { Route } from '../http/route';
import { inEffect } from '../figures/inEffect';

export async function postExpenseCheck(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  requireRead(await authenticate(req));
  const body = await readJsonBody(req, expenseCheckRequest);
  const pendingToo = body.includePending === true;
  // Four independent tables: read side by side.
  const [expenses, trips, expensePolicies, salespeople] = await Promise.all([
    inEffect('expenses', pendingToo),
    inEffect('trips', pendingToo),
    inEffect('expensePolicies', pendingToo),
    inEffect('salespeople', pendingToo),
  ]);
  const input: ExpenseCheckInput = { expenses, trips, expensePolicies, salespeople };
  if (body.expenseIds === undefined) {
    const all = checkExpenses(input);
    const totals = expenseTotalsBySalesperson(expenses, all).map(expenseTotalsToWire);
    return { status: 200, jsonBody: { findings: all.map(expenseFindingToWire), totals } };
  }
  const known = new Set(expenses.map((e) => e.expenseId));
  const notFound = [...new Set(body.expenseIds)].filter((id) => !known.has(id));
  const found = checkExpenses(input, { expenseIds: body.expenseIds });
  const requested = new Set(body.expenseIds);
  const totals = expenseTotalsBySalesperson(
    expenses.filter((e) => requested.has(e.expenseId)),
    found,
  ).map(expenseTotalsToWire);
  return { status: 200, jsonBody: { findings: found.map(expenseFindingToWire), notFound, totals } };
}

export const expenseCheckRoute: Route = {
  name: 'postExpenseCheck',
  methods: ['POST'],
  route: 'checks/expenses',
  handler: postExpenseCheck,
};
