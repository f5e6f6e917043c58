// Tests addin/flows/connection.ts against the real local API on Azurite and a dead port: Online only when /health and
// /me both answer, otherwise the state and the reason in words; and the API's errors shown once (errorSentence).
import net from 'node:net';
import { createHttpApiClient, devTokenProvider, errorSentence } from '../../../addin/flows/apiClient';
import { checkConnection, connectionAfterFailure } from '../../../addin/flows/connection';
import { signDevToken } from '../../../functions/src/auth/devKey';
import { getConfig, setConfigForTests } from '../../../functions/src/config';
import { startLocalApi, type LocalApi } from '../support/localApi';

/** A port nothing listens on: bound, read, released. */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('sign-in check', () => {
  let api: LocalApi;
  beforeAll(async () => {
    api = await startLocalApi();
  });
  afterAll(async () => {
    await api.close();
    setConfigForTests(undefined);
  });

  it('is online with the caller and roles when health and /me answer', async () => {
    const check = await checkConnection(api.url, devTokenProvider(await api.token('nina.clerk', ['clerk', 'finance'])));
    expect(check).toEqual({
      state: 'online',
      me: { userId: 'nina.clerk', oid: 'nina.clerk', roles: ['clerk', 'finance'] },
    });
  });

  it('is offline, naming the address, when nothing answers there', async () => {
    const url = `http://127.0.0.1:${await deadPort()}/api`;
    const check = await checkConnection(url, devTokenProvider(await api.token('nina.clerk', ['clerk'])));
    expect(check).toEqual({
      state: 'offline',
      reason: `The API is not reachable at ${url}: check the API address and that the API is running.`,
    });
  });

  it('turns Offline when a command finds the API gone, signed out when the token is refused, else stays', async () => {
    const token = await api.token('nina.clerk', ['clerk']);
    const url = `http://127.0.0.1:${await deadPort()}/api`;
    const gone = await createHttpApiClient({ baseUrl: url, tokens: devTokenProvider(token) })
      .stats({ period: 'month', from: '2016-11-01', to: '2016-11-30', groupBy: 'none' })
      .catch((e: unknown) => e);
    const offline = connectionAfterFailure(gone);
    expect(offline?.state).toBe('offline');
    expect(offline?.reason).toMatch(
      new RegExp(`^The API at ${url} cannot be reached \\(.*\\)\\. Sign in again once it is back\\.$`),
    );
    const refused = await createHttpApiClient({ baseUrl: api.url, tokens: devTokenProvider('not-a-token') })
      .stats({ period: 'month', from: '2016-11-01', to: '2016-11-30', groupBy: 'none' })
      .catch((e: unknown) => e);
    expect(connectionAfterFailure(refused)?.state).toBe('signed-out');
    // A bad request says nothing about the connection.
    const bad = await createHttpApiClient({ baseUrl: api.url, tokens: devTokenProvider(token) })
      .stats({ period: 'month', from: '2016-12-01', to: '2016-11-30', groupBy: 'none' })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(Error);
    expect(connectionAfterFailure(bad)).toBeNull();
    expect(connectionAfterFailure(new Error('a sheet is missing'))).toBeNull();
  });

  it('is not signed in when the API refuses the token, with the API’s reason', async () => {
    const expired = await checkConnection(api.url, devTokenProvider('not-a-token'));
    expect(expired.state).toBe('signed-out');
    expect(expired.reason).toMatch(/^The API rejected the token \(rejected or expired\): ./);
    const auth = getConfig().auth;
    if (auth.mode !== 'local') throw new Error('tests run the API in local mode');
    const stale = await signDevToken(auth.signingKeyFile, {
      user: 'nina.clerk',
      roles: ['clerk'],
      expiresIn: '2 hours ago',
    });
    expect(await checkConnection(api.url, devTokenProvider(stale))).toEqual({
      state: 'signed-out',
      reason: 'The API rejected the token (rejected or expired): The token has expired; get a new one.',
    });
  });

  it('is not signed in when the token holds none of the roles', async () => {
    const check = await checkConnection(api.url, devTokenProvider(await api.token('olga.outsider', [])));
    expect(check).toEqual({
      state: 'signed-out',
      reason:
        'The API accepted the token of olga.outsider, but it holds none of the roles clerk, reviewer, finance, manager, admin: ask an administrator for one.',
    });
  });

  it('is offline when the API answers but is not well', async () => {
    const sick = (input: string | URL | Request): Promise<Response> =>
      Promise.resolve(
        (input instanceof Request ? input.url : input.toString()).endsWith('/health')
          ? new Response(
              JSON.stringify({ error: { code: 'storage_unavailable', message: 'Storage is not answering.' } }),
              {
                status: 503,
              },
            )
          : new Response('{}'),
      );
    const check = await checkConnection('http://api.test/api', devTokenProvider('t'), sick);
    expect(check).toEqual({
      state: 'offline',
      reason: 'The API at http://api.test/api is not working: Storage is not answering.',
    });
  });
});

describe('the API error as the pane shows it', () => {
  it('states a problem the message already names once', () => {
    expect(
      errorSentence({
        message: 'from is required; to is required.',
        details: [
          { field: 'from', message: 'is required' },
          { field: 'to', message: 'is required' },
        ],
      }),
    ).toBe('from is required; to is required.');
  });

  it('adds, with its field, a detail the message does not name', () => {
    expect(
      errorSentence({
        message: 'The request body is invalid.',
        details: [{ field: 'body.period', message: 'period 2099-01 has not started yet' }],
      }),
    ).toBe('The request body is invalid. period 2099-01 has not started yet');
  });
});
