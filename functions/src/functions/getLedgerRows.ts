// GET /api/ledgers/{ledger}: a page of rows (latest versions) with etag and approval, filters (rowFilters.ts), paging.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { requireRead } from '../auth/roles';
import { authenticate } from '../auth/verify';
import { queryParams } from '../http/body';
import { ledgerParam } from '../http/ledgerParams';
import type { Route } from '../http/route';
import { listFilteredRows } from '../services/rowFilters';

export async function getLedgerRows(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  const principal = await authenticate(req);
  const name = ledgerParam(req);
  requireRead(principal);
  return { status: 200, jsonBody: await listFilteredRows(name, queryParams(req)) };
}

export const getLedgerRowsRoute: Route = {
  name: 'getLedgerRows',
  methods: ['GET'],
  route: 'ledgers/{ledger}',
  handler: getLedgerRows,
};
