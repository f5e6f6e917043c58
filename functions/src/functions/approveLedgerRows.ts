// POST /api/ledgers/{ledger}/approvals: approve the versions the reviewer saw (reviewer or admin; never one's own).
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { approvalsRequest, type ApprovalsResponse } from '../../../shared/api';
import { requireApprove } from '../auth/roles';
import { authenticate } from '../auth/verify';
import { readJsonBody } from '../http/body';
import { ApiError, invalidRequest } from '../http/errors';
import { ledgerParam } from '../http/ledgerParams';
import type { Route } from '../http/route';
import { approveRows } from '../services/approvals';

/**
 * The body as v1.1 wants it. The v1.0 form `{"keys":[…]}` approved whatever was pending when the request ran,
 * including versions nobody had seen: it is refused with 400 `etag_required`, not read as an empty request.
 */
export function decisionBody<S extends z.ZodType>(value: unknown, schema: S, what: string): z.output<S> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'keys' in value && !('rows' in value))
    throw new ApiError(
      400,
      'etag_required',
      `${what} name the version reviewed: send {"rows":[{"key":…,"etag":…}]} with the etag of each row as read; ` +
        'bare keys are no longer accepted (API v1.1).',
      [{ field: 'body.keys', message: 'is the v1.0 form; send rows with key and etag' }],
    );
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidRequest(parsed.error.issues, 'body', value);
  return parsed.data;
}

export async function approveLedgerRows(req: HttpRequest, ctx: InvocationContext): Promise<HttpResponseInit> {
  const principal = await authenticate(req);
  const name = ledgerParam(req);
  requireApprove(principal);
  const body = decisionBody(await readJsonBody(req, z.unknown()), approvalsRequest, 'Approvals');
  const outcome = await approveRows(name, body.rows, principal);
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
