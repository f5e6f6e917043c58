// GET /api/ledgers/{ledger}/{key}/history: the append-only audit trail of one row, oldest first.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { requireRead } from '../auth/roles';
import { authenticate } from '../auth/verify';
import { keyParam, ledgerParam } from '../http/ledgerParams';
import type { Route } from '../http/route';
import { getHistory } from '../services/readRows';

export async function getLedgerRowHistory(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  const principal = await authenticate(req);
  const name = ledgerParam(req);
  requireRead(principal);
  return { status: 200, jsonBody: await getHistory(name, keyParam(req)) };
}

export const getLedgerRowHistoryRoute: Route = {
  name: 'getLedgerRowHistory',
  methods: ['GET'],
  route: 'ledgers/{ledger}/{key}/history',
  handler: getLedgerRowHistory,
};
