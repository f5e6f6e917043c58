// The sign-in check: the API's /health (anonymous) and /me (needs the token) must both answer before the pane says
// Online; otherwise the state and the reason in words a clerk can act on.
import { errorBody, meResponse, type MeResponse } from '../../shared/api';
import { ApiClientError, type TokenProvider } from './apiClient';

/** `online`: both answered; `offline`: the API cannot be reached or is not well; `signed-out`: the token is refused. */
export type ConnectionState = 'online' | 'offline' | 'signed-out';

export type ConnectionCheck =
  | { state: 'online'; me: MeResponse; reason?: undefined }
  | { state: 'offline' | 'signed-out'; reason: string; me?: undefined };

/** The roles that let a caller read anything (API.md, Auth); a token with none of them is refused by every command. */
const ROLES = ['clerk', 'reviewer', 'finance', 'manager', 'admin'];

async function errorMessage(res: Response): Promise<string | undefined> {
  try {
    const body = errorBody.safeParse(await res.json());
    return body.success ? body.data.error.message : undefined;
  } catch {
    return undefined;
  }
}

/** Asks the API at `baseUrl` whether it is up and whether it accepts the token; never throws. */
export async function checkConnection(
  baseUrl: string,
  tokens: TokenProvider,
  doFetch: typeof fetch = (input, init) => globalThis.fetch(input, init),
): Promise<ConnectionCheck> {
  const base = baseUrl.replace(/\/+$/, '');
  let health: Response;
  try {
    health = await doFetch(`${base}/health`, { method: 'GET' });
  } catch {
    return {
      state: 'offline',
      reason: `The API is not reachable at ${base}: check the API address and that the API is running.`,
    };
  }
  if (!health.ok) {
    const why = (await errorMessage(health)) ?? `it answered ${health.status}`;
    return { state: 'offline', reason: `The API at ${base} is not working: ${why}` };
  }
  let token: string;
  try {
    token = await tokens.getToken();
  } catch (e) {
    return { state: 'signed-out', reason: `No token: ${e instanceof Error ? e.message : String(e)}` };
  }
  let res: Response;
  try {
    res = await doFetch(`${base}/me`, { method: 'GET', headers: { Authorization: `Bearer ${token}` } });
  } catch {
    return { state: 'offline', reason: `The API at ${base} stopped answering while checking the token.` };
  }
  if (res.status === 401) {
    const why = (await errorMessage(res)) ?? 'the token is not valid';
    return { state: 'signed-out', reason: `The API rejected the token (rejected or expired): ${why}` };
  }
  if (!res.ok) {
    const why = (await errorMessage(res)) ?? `it answered ${res.status}`;
    return { state: 'offline', reason: `The API at ${base} could not check the token: ${why}` };
  }
  let me: MeResponse;
  try {
    me = meResponse.parse(await res.json());
  } catch {
    return { state: 'offline', reason: `The API at ${base} gave an unexpected answer to the sign-in check.` };
  }
  if (me.roles.length === 0)
    return {
      state: 'signed-out',
      reason: `The API accepted the token of ${me.userId}, but it holds none of the roles ${ROLES.join(', ')}: ask an administrator for one.`,
    };
  return { state: 'online', me };
}

/**
 * What a failed command says about the connection: the API not answering at all turns the pane Offline, a token the
 * API no longer accepts turns it to signed out, each with the reason; any other failure (a bad request, a conflict, a
 * server error) says nothing about the connection (null). The pane keeps the state until the next sign-in checks again.
 */
export function connectionAfterFailure(e: unknown): { state: 'offline' | 'signed-out'; reason: string } | null {
  if (!(e instanceof ApiClientError)) return null;
  if (e.status === 0) return { state: 'offline', reason: `${e.message} Sign in again once it is back.` };
  if (e.status === 401)
    return { state: 'signed-out', reason: `The API no longer accepts your sign-in (${e.message}). Sign in again.` };
  return null;
}
