// GET /api/commission/statement?salespersonId=…&month=YYYY-MM (issue #14): a salesperson's monthly commission
// statement (shared/calc/commission.ts): every payment allocation (or invoice, on the invoiced basis) with its
// invoice, contract, amount, rate and commission, and the adjustment carried from settled months.
//
// One currency per statement (`currency`, default the house currency): a salesperson with contracts in several
// currencies gets the house currency's statement with `otherCurrencies` naming the others that have commission in the
// month, as the assessment names them, rather than a 400 mixed_currencies: callers that name no currency got a 200
// before currencies were counted apart, and API v1.1 allows only additive changes.
//
// Contracts, invoices, their lines and payments come from the contract index like the other figures (approved, or
// with includePending=true overlaid with pending versions); salespeople, plans and settlements from their ledgers.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import {
  commissionCurrencyQuery,
  type CommissionCurrencyStatementWire,
  type CommissionStatementWire,
} from '../../../shared/api';
import { ledgerData } from '../../../shared/calc';
import {
  commissionStatement,
  otherCommissionCurrencies,
  type CommissionStatement,
} from '../../../shared/calc/commission';
import { formatMoney, formatRate } from '../../../shared/money';
import { getConfig } from '../config';
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
  const query = readQuery(req, commissionCurrencyQuery);
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
  // Without a currency, the house currency's statement (StatementCurrency's default).
  const currencies = { houseCurrency: getConfig().defaultCurrency, currency: query.currency };
  const statement = commissionStatement(data, query.salespersonId, query.month, undefined, currencies);
  const body: CommissionCurrencyStatementWire = {
    ...commissionStatementToWire(statement),
    currency: statement.currency,
    otherCurrencies: otherCommissionCurrencies(data, query.salespersonId, query.month, currencies),
  };
  return { status: 200, jsonBody: body };
}

export const commissionStatementRoute: Route = {
  name: 'getCommissionStatement',
  methods: ['GET'],
  route: 'commission/statement',
  handler: getCommissionStatement,
};
