// The route-table contract shared by Azure registration and the local host, and the boundary every handler runs inside.
import type { HttpMethod, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { getConfig } from '../config';
import { ApiError, toErrorResponse } from './errors';

export type RouteHandler = (req: HttpRequest, ctx: InvocationContext) => Promise<HttpResponseInit>;

export interface Route {
  /** Function name in Azure; unique. */
  name: string;
  methods: HttpMethod[];
  /** Azure route template without the `api/` prefix, e.g. `ledgers/{ledger}/{key}/history`. */
  route: string;
  handler: RouteHandler;
}

/** Request headers the add-in sends; anything else fails preflight. */
const ALLOWED_HEADERS = 'Authorization, Content-Type, Idempotency-Key, If-Match, If-None-Match';
/** Headers the add-in may read from responses besides the CORS-safelisted ones. */
const EXPOSED_HEADERS = 'ETag, Location, WWW-Authenticate';

function corsHeaders(origin: string | null): Record<string, string> {
  // Always Vary on Origin so a cache never serves one origin's answer to another.
  const headers: Record<string, string> = { Vary: 'Origin' };
  if (origin !== null && origin === getConfig().corsOrigin) {
    headers['Access-Control-Allow-Origin'] = origin;
    headers['Access-Control-Expose-Headers'] = EXPOSED_HEADERS;
  }
  return headers;
}

function mergeHeaders(res: HttpResponseInit, extra: Record<string, string>): HttpResponseInit {
  // HttpHeadersInit may hold string arrays; Headers joins them as fetch does.
  const headers = new Headers(res.headers);
  for (const [k, v] of Object.entries(extra)) headers.set(k, v);
  return { ...res, headers: Object.fromEntries(headers.entries()) };
}

/** Answers a CORS preflight: only the configured add-in origin, only the route's own methods. */
function preflight(req: HttpRequest, methods: readonly HttpMethod[]): HttpResponseInit {
  const origin = req.headers.get('origin');
  const wanted = req.headers.get('access-control-request-method')?.toUpperCase();
  if (origin === null || wanted === undefined) {
    throw new ApiError(
      400,
      'invalid',
      'OPTIONS is only used for CORS preflight (Origin and Access-Control-Request-Method).',
    );
  }
  if (origin !== getConfig().corsOrigin) {
    throw new ApiError(403, 'forbidden', `Origin ${origin} is not allowed to call this API.`);
  }
  const allowed: HttpMethod[] = methods.filter((m) => m !== 'OPTIONS');
  if (!allowed.includes(wanted as HttpMethod)) {
    throw new ApiError(
      405,
      'method_not_allowed',
      `${wanted} is not allowed on this route; allowed: ${allowed.join(', ')}.`,
    );
  }
  return {
    status: 204,
    headers: {
      'Access-Control-Allow-Methods': allowed.join(', '),
      'Access-Control-Allow-Headers': ALLOWED_HEADERS,
      'Access-Control-Max-Age': '600',
    },
  };
}

/**
 * Wraps a route's handler with the API boundary: CORS preflight, CORS headers on every answer, and any throw
 * turned into the error body. Both Azure registration and the local host call handlers only through this.
 */
export function withApiBoundary(route: Route): RouteHandler {
  return async (req, ctx) => {
    let res: HttpResponseInit;
    try {
      res =
        req.method === 'OPTIONS' && !route.methods.includes('OPTIONS')
          ? preflight(req, route.methods)
          : await route.handler(req, ctx);
    } catch (err) {
      res = toErrorResponse(err, ctx);
    }
    let origin: string | null = null;
    try {
      origin = req.headers.get('origin');
      return mergeHeaders(res, corsHeaders(origin));
    } catch (err) {
      // getConfig() can throw if configuration is broken; the answer is still a proper error body.
      return toErrorResponse(err, ctx);
    }
  };
}

/** Methods to register with Azure: the route's own plus OPTIONS, so preflight reaches withApiBoundary. */
export function registeredMethods(route: Route): HttpMethod[] {
  return route.methods.includes('OPTIONS') ? route.methods : [...route.methods, 'OPTIONS'];
}
