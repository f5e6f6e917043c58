// GET /api/receivables: receivables aging as of a day, from the contract index (shared/calc aging).
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { receivablesQuery, type ReceivablesQuery, type ReceivablesRow } from '../../../shared/api';
import type { LedgerData } from '../../../shared/calc';
import { computeReceivables } from '../../../shared/calc/aging';
import { receivablesRowToWire } from '../../../shared/wire';
import { requireRead } from '../auth/roles';
import { authenticate } from '../auth/verify';
import { approvedFigure, provisionalFigure } from '../figures/ledgerView';
import { readFigureQuery } from '../figures/params';
import type { Route } from '../http/route';
import { getConfig } from '../config';

export const RECEIVABLES_LEDGERS = ['contracts', 'invoices', 'invoiceLines', 'payments', 'creditNotes'] as const;
const LEDGERS = RECEIVABLES_LEDGERS;

export async function getReceivables(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  requireRead(await authenticate(req));
  const query = readFigureQuery(req, receivablesQuery);
  return { status: 200, jsonBody: { asOf: query.asOf, rows: await receivablesFigure(query) } };
}

/** The aging rows of a parsed query (also used by POST /api/figures/batch). Shared between requests: do not mutate. */
export function receivablesFigure(query: ReceivablesQuery): Promise<ReceivablesRow[]> {
  const compute = (data: LedgerData) =>
    computeReceivables(data, {
      asOf: query.asOf,
      groupBy: query.groupBy,
      houseCurrency: getConfig().defaultCurrency,
    }).map(receivablesRowToWire);
  // Approved figures are kept until the next approval; provisional ones also until the next write of these ledgers
  // (ledgerView.provisionalFigure).
  const key = `receivables|${query.asOf}|${query.groupBy}|${getConfig().defaultCurrency}`;
  return query.includePending === true
    ? provisionalFigure(LEDGERS, key, compute)
    : approvedFigure(LEDGERS, key, compute);
}

export const receivablesRoute: Route = {
  name: 'getReceivables',
  methods: ['GET'],
  route: 'receivables',
  handler: getReceivables,
};
