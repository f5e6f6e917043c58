// GET /api/receivables: receivables aging as of a day, from the contract index (shared/calc aging).
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { receivablesQuery } from '../../../shared/api';
import type { LedgerData } from '../../../shared/calc';
import { computeReceivables } from '../../../shared/calc/aging';
import { receivablesRowToWire } from '../../../shared/wire';
import { requireRead } from '../auth/roles';
import { authenticate } from '../auth/verify';
import { approvedFigure, provisionalFigure } from '../figures/ledgerView';
import { readFigureQuery } from '../figures/params';
import type { Route } from '../http/route';

const LEDGERS = ['contracts', 'invoices', 'invoiceLines', 'payments'] as const;

export async function getReceivables(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  requireRead(await authenticate(req));
  const query = readFigureQuery(req, receivablesQuery);
  const compute = (data: LedgerData) =>
    computeReceivables(data, { asOf: query.asOf, groupBy: query.groupBy }).map(receivablesRowToWire);
  // Approved figures are kept until the next approval; provisional ones also until the next write of these ledgers
  // (ledgerView.provisionalFigure).
  const key = `receivables|${query.asOf}|${query.groupBy}`;
  const rows =
    query.includePending === true
      ? await provisionalFigure(LEDGERS, key, compute)
      : await approvedFigure(LEDGERS, key, compute);
  return { status: 200, jsonBody: { asOf: query.asOf, rows } };
}

export const receivablesRoute: Route = {
  name: 'getReceivables',
  methods: ['GET'],
  route: 'receivables',
  handler: getReceivables,
};
