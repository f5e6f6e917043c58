// GET /api/approvals/pending?ledger=…&changedBy=…: the review queue, oldest first, never the caller's own changes.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { pendingQuery } from '../../../shared/api';
import { requireApprove } from '../auth/roles';
import { authenticate } from '../auth/verify';
import { readQuery } from '../http/body';
import type { Route } from '../http/route';
import { pendingChanges } from '../services/reviewQueue';

export async function pendingApprovals(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  const principal = await authenticate(req);
  // The queue lists what the caller may decide: reviewers and admins.
  requireApprove(principal);
  return { status: 200, jsonBody: await pendingChanges(readQuery(req, pendingQuery), principal) };
}

export const pendingApprovalsRoute: Route = {
  name: 'pendingApprovals',
  methods: ['GET'],
  route: 'approvals/pending',
  handler: pendingApprovals,
};
