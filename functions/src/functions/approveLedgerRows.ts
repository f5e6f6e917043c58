// POST /api/ledgers/{ledger}/approvals: approve pending versions (reviewer or admin; never one's own change).
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { approvalsRequest, type ApprovalsResponse } from '../../../shared/api';
import { requireApprove } from '../auth/roles';
import { authenticate } from '../auth/verify';
import { readJsonBody } from '../http/body';
import { ledgerParam } from '../http/ledgerParams';
import type { Route } from '../http/route';
import { approveRows } from '../services/approvals';

export async function approveLedgerRows(req: HttpRequest, ctx: InvocationContext): Promise<HttpResponseInit> {
  const principal = await authenticate(req);
  const name = ledgerParam(req);
  requireApprove(principal);
  const body = await readJsonBody(req, approvalsRequest);
  const outcome = await approveRows(name, body.keys, principal.userId);
  for (const failure of outcome.listenerFailures)
    ctx.error(
      'An effective-version listener failed (approvals are committed; the figuresRepair timer replays them):',
      failure,
    );
  return { status: 200, jsonBody: { results: outcome.results } satisfies ApprovalsResponse };
}

export const approveLedgerRowsRoute: Route = {
  name: 'approveLedgerRows',
  methods: ['POST'],
  route: 'ledgers/{ledger}/approvals',
  handler: approveLedgerRows,
};
