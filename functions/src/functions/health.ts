// GET /api/health: anonymous liveness with a real storage round trip; 503 with the error body when storage is down.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { ApiError } from '../http/errors';
import type { Route } from '../http/route';
import { pingStorage } from '../store/client';

export async function health(_req: HttpRequest, ctx: InvocationContext): Promise<HttpResponseInit> {
  try {
    await pingStorage();
  } catch (err) {
    // The cause (address, SDK message) stays in the log; callers only learn that storage is unavailable.
    ctx.warn('Health check: storage did not answer:', err instanceof Error ? err.message : err);
    throw new ApiError(503, 'storage_unavailable', 'Storage is not answering.');
  }
  return { status: 200, jsonBody: { status: 'ok', storage: 'ok' }, headers: { 'Cache-Control': 'no-store' } };
}

export const healthRoute: Route = { name: 'health', methods: ['GET'], route: 'health', handler: health };
