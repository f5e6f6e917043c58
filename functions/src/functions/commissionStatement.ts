// GET /api/commission/statement?salespersonId=…&month=YYYY-MM (issue #14): a salesperson's monthly commission
// statement (shared/calc/commission.ts): every payment allocation (or invoice, on the invoiced basis) with its
// invoice, contract, amount, rate and commission, and the adjustment carried from settled months.
//
// Contracts, invoices, their lines and payments come from the contract index like the other figures (approved, or
// with includePending=true overlaid with pending versions); salespeople, plans and settlements from their ledgers.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { commissionQuery, type CommissionStatementWire } from '../../../shared/api';
import { ledgerData } from '../../../shared/calc';
import { commissionStatement, type CommissionStatement } from '../../../shared/calc/commission';
import { formatMoney, formatRate } from '../../../shared/money';
import { requireRead } from '../auth/roles';
import { authenticate } from '../auth/verify';
import { inEffect } from '../figures/inEffect';
import { overlayPending, readAllApproved, readPendingRows } from '../figures/ledgerView';
import { readQuery } from '../http/body';
import { ApiError } from '../http/errors';
import type { Route } from '../http/route';

const LEDGERS = ['contracts', 'invoices', 'invoiceLines', 'payments', 'creditNotes'] as const;

export function commissionStatementToWire(s: CommissionStatement): CommissionStatementWire {
  return {
    ...s,
    lines: s.lines.map((l) => ({
      ...l,
      amount: formatMoney(l.amount),
      rate: l.rate === null ? null : formatRate(l.rate),
      commission: formatMoney(l.commission),
    })),
    commission: formatMoney(s.commission),
  };
}

export async function getCommissionStatement(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  requireRead(await authenticate(req));
  const query = readQuery(req, commissionQuery);
  const pendingToo = query.includePending === true;
  const [approved, pending, salespeople, commissionPlans, commissionSettlements] = await Promise.all([
    readAllApproved(LEDGERS),
    pendingToo ? readPendingRows(LEDGERS) : undefined,
    inEffect('salespeople', pendingToo),
    inEffect('commissionPlans', pendingToo),
    // A settlement locks its month once approved (four eyes); a pending one does not, even with includePending.
    inEffect('commissionSettlements', false),
  ]);
  if (!salespeople.some((s) => s.salespersonId === query.salespersonId))
    throw new ApiError(404, 'not_found', `Salesperson ${query.salespersonId} does not exist.`);
  const figures = pending === undefined ? approved : await overlayPending(approved, pending, () => true, true);
  const data = ledgerData({ ...figures, salespeople, commissionPlans, commissionSettlements });
  const statement = commissionStatement(data, query.salespersonId, query.month);
  return { status: 200, jsonBody: commissionStatementToWire(statement) };
}

export const commissionStatementRoute: Route = {
  name: 'getCommissionStatement',
  methods: ['GET'],
  route: 'commission/statement',
  handler: getCommissionStatement,
};
