// POST /api/ledgers/{ledger}/rejections: reject the versions the reviewer saw, with a reason (reviewer or admin).
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { rejectionsRequest, type RejectionsResponse } from '../../../shared/api';
import { requireApprove } from '../auth/roles';
import { authenticate } from '../auth/verify';
import { readJsonBody } from '../http/body';
import { ledgerParam } from '../http/ledgerParams';
import type { Route } from '../http/route';
import { rejectRows } from '../services/approvals';
import { decisionBody } from './approveLedgerRows';

export async function rejectLedgerRows(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  const principal = await authenticate(req);
  const name = ledgerParam(req);
  requireApprove(principal);
  const body = decisionBody(await readJsonBody(req, z.unknown()), rejectionsRequest, 'Rejections');
  const outcome = await rejectRows(name, body.rows, principal);
  return { status: 200, jsonBody: outcome satisfies RejectionsResponse };
}

export const rejectLedgerRowsRoute: Route = {
  name: 'rejectLedgerRows',
  methods: ['POST'],
  route: 'ledgers/{ledger}/rejections',
  handler: rejectLedgerRows,
};
