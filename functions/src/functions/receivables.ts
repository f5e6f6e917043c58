// GET /api/receivables: receivables aging as of a day, from the contract index (shared/calc aging).
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { receivablesQuery, type ReceivablesRow } from '../../../shared/api';
import { computeReceivables } from '../../../shared/calc/aging';
import { formatMoney } from '../../../shared/money';
import { requireRead } from '../auth/roles';
import { authenticate } from '../auth/verify';
import { overlayPending, readAllApproved, readPendingRows } from '../figures/ledgerView';
import { readFigureQuery } from '../figures/params';
import type { Route } from '../http/route';

const LEDGERS = ['contracts', 'invoices', 'invoiceLines', 'payments'] as const;

export async function getReceivables(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  requireRead(await authenticate(req));
  const query = readFigureQuery(req, receivablesQuery);
  let data = await readAllApproved(LEDGERS);
  if (query.includePending === true) data = await overlayPending(data, await readPendingRows(LEDGERS));
  const rows = computeReceivables(data, { asOf: query.asOf, groupBy: query.groupBy }).map((r): ReceivablesRow => ({
    group: r.group,
    current: formatMoney(r.current),
    d1_30: formatMoney(r.d1_30),
    d31_60: formatMoney(r.d31_60),
    d61_90: formatMoney(r.d61_90),
    d91_120: formatMoney(r.d91_120),
    over120: formatMoney(r.over120),
    total: formatMoney(r.total),
    unapplied: formatMoney(r.unapplied),
  }));
  return { status: 200, jsonBody: { asOf: query.asOf, rows } };
}

export const receivablesRoute: Route = {
  name: 'getReceivables',
  methods: ['GET'],
  route: 'receivables',
  handler: getReceivables,
};
