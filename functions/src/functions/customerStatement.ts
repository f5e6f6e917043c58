// GET /api/customers/{customerId}/statement?from&to: one customer's statement (shared/calc/statement), whose closing
// balance is that customer's receivables as of `to` (total − unapplied), read from the same ledgers as receivables.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { statementQuery, type StatementQuery, type StatementResponse } from '../../../shared/api';
import type { LedgerData } from '../../../shared/calc';
import { customerStatement, type CustomerStatement } from '../../../shared/calc/statement';
import { DomainError } from '../../../shared/errors';
import { formatMoney } from '../../../shared/money';
import { receivablesRowToWire } from '../../../shared/wire';
import { requireRead } from '../auth/roles';
import { authenticate } from '../auth/verify';
import { approvedFigure, provisionalFigure } from '../figures/ledgerView';
import { readFigureQuery } from '../figures/params';
import { ApiError } from '../http/errors';
import type { Route } from '../http/route';
import { getConfig } from '../config';
import { readRow } from '../store/ledgerStore';
import { RECEIVABLES_LEDGERS } from './receivables';

export function statementToWire(s: CustomerStatement): StatementResponse {
  return {
    customerId: s.customerId,
    from: s.from,
    to: s.to,
    currencies: s.currencies,
    openingBalance: formatMoney(s.openingBalance),
    lines: s.lines.map((l) => ({
      ...l,
      debit: formatMoney(l.debit),
      credit: formatMoney(l.credit),
      balance: formatMoney(l.balance),
    })),
    closingBalance: formatMoney(s.closingBalance),
    aging: receivablesRowToWire(s.aging),
  };
}

export async function getCustomerStatement(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  requireRead(await authenticate(req));
  const customerId = req.params.customerId ?? '';
  const query = readFigureQuery(req, statementQuery);
  if ((await readRow('customers', customerId)) === undefined)
    throw new ApiError(404, 'not_found', `Customer ${customerId} does not exist.`);
  return { status: 200, jsonBody: await statementFigure(customerId, query) };
}

/** A customer's statement from the approved ledgers (or with pending rows, like GET /api/receivables). */
export function statementFigure(customerId: string, query: StatementQuery): Promise<StatementResponse> {
  const house = getConfig().defaultCurrency;
  const compute = (data: LedgerData) =>
    statementToWire(customerStatement(data, customerId, query.from, query.to, query.currency, house));
  const key = `statement|${customerId}|${query.from}|${query.to}|${query.currency ?? ''}|${house}`;
  const figure =
    query.includePending === true
      ? provisionalFigure(RECEIVABLES_LEDGERS, key, compute)
      : approvedFigure(RECEIVABLES_LEDGERS, key, compute);
  // A customer with contracts in several currencies has one statement per currency, never one adding them.
  return figure.catch((err: unknown) => {
    if (err instanceof DomainError && err.code === 'mixed_currencies') throw new ApiError(400, err.code, err.message);
    throw err;
  });
}

export const customerStatementRoute: Route = {
  name: 'getCustomerStatement',
  methods: ['GET'],
  route: 'customers/{customerId}/statement',
  handler: getCustomerStatement,
};
