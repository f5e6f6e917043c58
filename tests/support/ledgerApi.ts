// Test support for the ledger endpoints: a test configuration, dev tokens per user, and direct handler calls.
import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { signDevToken } from '../../functions/src/auth/devKey';
import type { Role } from '../../functions/src/auth/roles';
import type { Config } from '../../functions/src/config';
import { withApiBoundary, type Route } from '../../functions/src/http/route';
import { useTestConfig } from './azurite';

export interface CallOptions {
  params?: Record<string, string>;
  query?: Record<string, string>;
  /** A value to send as JSON, or raw text with `rawBody`. */
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  /** Who calls; `null` sends no Authorization header. */
  user?: { id: string; roles: Role[] } | null;
}

export interface LedgerApi {
  config: Config;
  token(user: string, roles: Role[]): Promise<string>;
  call(route: Route, options?: CallOptions): Promise<HttpResponseInit & { jsonBody?: unknown }>;
}

export const CLERK = { id: 'clara.clerk', roles: ['clerk'] as Role[] };
export const CLERK2 = { id: 'carl.clerk', roles: ['clerk'] as Role[] };
export const REVIEWER = { id: 'rita.reviewer', roles: ['reviewer'] as Role[] };
export const ADMIN = { id: 'ada.admin', roles: ['admin'] as Role[] };

/** Installs a fresh test configuration (own table prefix) and returns helpers bound to it. */
export function ledgerApi(env: NodeJS.ProcessEnv = {}): LedgerApi {
  const config = useTestConfig(env);
  if (config.auth.mode !== 'local') throw new Error('tests run in local mode');
  const keyFile = config.auth.signingKeyFile;
  const tokens = new Map<string, Promise<string>>();
  const token = (user: string, roles: Role[]): Promise<string> => {
    const id = `${user}|${roles.join(',')}`;
    let t = tokens.get(id);
    if (t === undefined) {
      t = signDevToken(keyFile, { user, roles });
      tokens.set(id, t);
    }
    return t;
  };
  const call = async (route: Route, options: CallOptions = {}): Promise<HttpResponseInit & { jsonBody?: unknown }> => {
    const user = options.user === undefined ? CLERK : options.user;
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (user !== null) headers.authorization = `Bearer ${await token(user.id, user.roles)}`;
    const path = route.route.replace(/\{(\w+)\}/g, (_m, p: string) => encodeURIComponent(options.params?.[p] ?? ''));
    const qs = new URLSearchParams(options.query ?? {}).toString();
    const method = route.methods[0] as string;
    const text = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (text !== undefined) headers['content-type'] = 'application/json';
    const req = new HttpRequest({
      method,
      url: `http://127.0.0.1:7071/api/${path}${qs ? `?${qs}` : ''}`,
      headers,
      params: options.params ?? {},
      ...(text === undefined ? {} : { body: { string: text } }),
    });
    const ctx = new InvocationContext({
      functionName: route.name,
      logHandler: (_l, ...a: unknown[]) => (process.env.DEBUG_LOG ? console.error(...a) : undefined),
    });
    return withApiBoundary(route)(req, ctx);
  };
  return { config, token, call };
}
