// PUT /api/ledgers/{ledger}: write rows (per-row verdicts), with optional Idempotency-Key replay.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { MAX_IDEMPOTENCY_KEY_LENGTH, putRowsRequest, type PutRowsResponse } from '../../../shared/api';
import { authenticate } from '../auth/verify';
import { requireWrite } from '../auth/roles';
import { readJsonBody } from '../http/body';
import { ApiError } from '../http/errors';
import { ledgerParam } from '../http/ledgerParams';
import type { Route } from '../http/route';
import { putRows } from '../services/putRows';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  holdIdempotencyClaim,
  releaseIdempotencyKey,
  requestHash,
} from '../store/idempotencyStore';

function idempotencyKey(req: HttpRequest): string | undefined {
  const key = req.headers.get('idempotency-key');
  if (key === null) return undefined;
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw new ApiError(
      400,
      'invalid',
      `The Idempotency-Key header must be 1-${MAX_IDEMPOTENCY_KEY_LENGTH} characters.`,
      [
        {
          field: 'headers.Idempotency-Key',
          message: `must be 1-${MAX_IDEMPOTENCY_KEY_LENGTH} characters (got ${key.length})`,
        },
      ],
    );
  }
  return key;
}

export async function putLedgerRows(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  const principal = await authenticate(req);
  const name = ledgerParam(req);
  requireWrite(principal, name);
  const key = idempotencyKey(req);
  const body = await readJsonBody(req, putRowsRequest);
  if (key === undefined)
    return {
      status: 200,
      jsonBody: { results: await putRows(name, body.rows, principal) } satisfies PutRowsResponse,
    };

  // The parsed body, re-serialised: whitespace and formatting of the same JSON do not make another request.
  const hash = requestHash(name, principal.userId, JSON.stringify(body));
  const claim = await claimIdempotencyKey(principal.userId, key, hash);
  if (claim.kind === 'replay')
    return { status: claim.status, jsonBody: claim.body, headers: { 'Idempotency-Replayed': 'true' } };
  if (claim.kind === 'mismatch')
    throw new ApiError(
      422,
      'idempotency_mismatch',
      'This Idempotency-Key was used with another request body (or ledger); use a new key.',
    );
  if (claim.kind === 'inProgress')
    throw new ApiError(
      409,
      'idempotency_in_progress',
      'A request with this Idempotency-Key is still running; retry shortly to get its response.',
    );
  // Renewed while putRows runs: should this request die (storage gone, process killed) the claim goes stale within
  // seconds and the client's retry runs, instead of hearing "in progress" about a request nobody is running.
  const held = holdIdempotencyClaim(principal.userId, key, claim.etag);
  let response: PutRowsResponse;
  try {
    response = { results: await putRows(name, body.rows, principal) };
  } catch (err) {
    // Nothing to replay: free the key so the client's retry runs (rows already written come back unchanged).
    // When storage itself failed the release fails too; the claim then goes stale. The client sees the first error.
    await releaseIdempotencyKey(principal.userId, key, await held.stop()).catch(() => undefined);
    throw err;
  }
  await completeIdempotencyKey(principal.userId, key, await held.stop(), hash, 200, response);
  return { status: 200, jsonBody: response };
}

export const putLedgerRowsRoute: Route = {
  name: 'putLedgerRows',
  methods: ['PUT'],
  route: 'ledgers/{ledger}',
  handler: putLedgerRows,
};
