// GET /api/salespeople/assessment?month=YYYY-MM (issue #14): per salesperson, the month's attendance, trip days,
// contracts, deliveries, invoices, collections, overdue receivables, expenses against policy and commission
// (shared/calc/assessment.ts), over approved versions.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { assessmentQuery } from '../../../shared/api';
import { ledgerData } from '../../../shared/calc';
import { assessMonth, assessmentRowToWire } from '../../../shared/calc/assessment';
import { requireRead } from '../auth/roles';
import { authenticate } from '../auth/verify';
import { inEffect } from '../figures/inEffect';
import { CONTRACT_UNIT_LEDGERS, readAllApproved } from '../figures/ledgerView';
import { readQuery } from '../http/body';
import type { Route } from '../http/route';

export async function getAssessment(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  requireRead(await authenticate(req));
  const { month } = readQuery(req, assessmentQuery);
  const [contractUnits, salespeople, expenses, trips, attendance, expensePolicies, commissionPlans, settlements] =
    await Promise.all([
      readAllApproved(CONTRACT_UNIT_LEDGERS),
      inEffect('salespeople', false),
      inEffect('expenses', false),
      inEffect('trips', false),
      inEffect('attendance', false),
      inEffect('expensePolicies', false),
      inEffect('commissionPlans', false),
      inEffect('commissionSettlements', false),
    ]);
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
  return { status: 200, jsonBody: { month, rows: assessMonth(data, month).map(assessmentRowToWire) } };
}

export const assessmentRoute: Route = {
  name: 'getSalespeopleAssessment',
  methods: ['GET'],
  route: 'salespeople/assessment',
  handler: getAssessment,
};
