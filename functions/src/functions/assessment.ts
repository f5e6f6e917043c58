// GET /api/salespeople/assessment?month=YYYY-MM (issue #14): per salesperson, the month's attendance, trip days,
// contracts, deliveries, invoices, collections, overdue receivables, expenses against policy and commission
// (shared/calc/assessment.ts), over approved versions; with includePending=true the pending versions are overlaid as in
// the other figures (a rejected version never counts; a pending settlement locks nothing).
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { assessmentQuery } from '../../../shared/api';
import { ledgerData } from '../../../shared/calc';
import { assessMonth, assessmentRowToWire } from '../../../shared/calc/assessment';
import { getConfig } from '../config';
import { requireRead } from '../auth/roles';
import { authenticate } from '../auth/verify';
import { inEffect } from '../figures/inEffect';
import { CONTRACT_UNIT_LEDGERS, overlayPending, readAllApproved, readPendingRows } from '../figures/ledgerView';
import { readQuery } from '../http/body';
import type { Route } from '../http/route';

export async function getAssessment(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  requireRead(await authenticate(req));
  const { month, includePending } = readQuery(req, assessmentQuery);
  const pendingToo = includePending === true;
  const [approved, pending, salespeople, expenses, trips, attendance, expensePolicies, commissionPlans, settlements] =
    await Promise.all([
      readAllApproved(CONTRACT_UNIT_LEDGERS),
      pendingToo ? readPendingRows(CONTRACT_UNIT_LEDGERS) : undefined,
      inEffect('salespeople', pendingToo),
      inEffect('expenses', pendingToo),
      inEffect('trips', pendingToo),
      inEffect('attendance', pendingToo),
      inEffect('expensePolicies', pendingToo),
      inEffect('commissionPlans', pendingToo),
      // A settlement locks its month once approved (four eyes); a pending one does not, even with includePending.
      inEffect('commissionSettlements', false),
    ]);
  const contractUnits = pending === undefined ? approved : await overlayPending(approved, pending, () => true, true);
  const data = ledgerData({
    ...contractUnits,
    salespeople,
    expenses,
    trips,
    attendance,
    expensePolicies,
    commissionPlans,
    commissionSettlements: settlements,
  });
  return {
    status: 200,
    jsonBody: { month, rows: assessMonth(data, month, getConfig().defaultCurrency).map(assessmentRowToWire) },
  };
}

export const assessmentRoute: Route = {
  name: 'getSalespeopleAssessment',
  methods: ['GET'],
  route: 'salespeople/assessment',
  handler: getAssessment,
};
