// GET /api/ledgers/{ledger}/{key}: one row (latest version) with etag and approval; 404 when absent.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { requireRead } from '../auth/roles';
import { authenticate } from '../auth/verify';
import { keyParam, ledgerParam } from '../http/ledgerParams';
import type { Route } from '../http/route';
import { getRow } from '../services/readRows';

export async function getLedgerRow(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  const principal = await authenticate(req);
  const name = ledgerParam(req);
  requireRead(principal);
  const row = await getRow(name, keyParam(req));
  return { status: 200, jsonBody: row, headers: { ETag: row.etag } };
}

export const getLedgerRowRoute: Route = {
  name: 'getLedgerRow',
  methods: ['GET'],
  route: 'ledgers/{ledger}/{key}',
  handler: getLedgerRow,
};
