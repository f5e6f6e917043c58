// GET /api/me: who the token says the caller is (readable name, stable id, roles); the pane's sign-in check.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { authenticate } from '../auth/verify';
import type { Route } from '../http/route';

/** Any valid token answers 200, also one with none of our roles (roles: []), so the pane can say which is missing. */
export async function me(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  const principal = await authenticate(req);
  return {
    status: 200,
    jsonBody: { userId: principal.userId, oid: principal.oid, roles: principal.roles },
    headers: { 'Cache-Control': 'no-store' },
  };
}

export const meRoute: Route = { name: 'me', methods: ['GET'], route: 'me', handler: me };
