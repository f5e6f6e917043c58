// Tests for functions/src/auth/verify.ts: local and azure-mode token verification, every way a token can be bad.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpRequest } from '@azure/functions';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import { setConfigForTests, type AuthConfig } from '../../../functions/src/config';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, loadDevSigningKey, signDevToken } from '../../../functions/src/auth/devKey';
import { authenticate, signatureChecks, verifyToken } from '../../../functions/src/auth/verify';
import { ApiError } from '../../../functions/src/http/errors';
import { useTestConfig } from '../../support/azurite';
import { localSigner, signToken, type EditJwt } from '../../support/tokens';

const now = () => Math.floor(Date.now() / 1000);

function request(authorization?: string): HttpRequest {
  return new HttpRequest({
    method: 'GET',
    url: 'http://127.0.0.1/api/ledgers/customers',
    headers: authorization === undefined ? {} : { authorization },
  });
}

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return err as ApiError;
  }
  throw new Error('expected the token to be refused');
}

function b64(json: object): string {
  return Buffer.from(JSON.stringify(json)).toString('base64url');
}

describe('local mode', () => {
  let keyFile: string;
  let auth: AuthConfig;
  let key: { kid: string; privateKey: KeyLike };

  beforeAll(async () => {
    const config = useTestConfig();
    auth = config.auth;
    if (auth.mode !== 'local') throw new Error('test config must be local');
    keyFile = auth.signingKeyFile;
    key = await loadDevSigningKey(keyFile);
  });
  afterAll(() => setConfigForTests(undefined));

  function sign(claims: Record<string, unknown>, edit?: EditJwt): Promise<string> {
    return signToken(localSigner(key), { preferred_username: 'alice', roles: ['clerk'], ...claims }, edit);
  }

  it('accepts a valid token and returns the principal', async () => {
    const token = await signDevToken(keyFile, { user: 'alice@example.com', roles: ['clerk', 'reviewer'] });
    await expect(authenticate(request(`Bearer ${token}`))).resolves.toEqual({
      userId: 'alice@example.com',
      oid: 'alice@example.com', // a development token's subject is the user
      roles: ['clerk', 'reviewer'],
    });
    // The scheme is case-insensitive.
    await expect(authenticate(request(`bearer ${token}`))).resolves.toMatchObject({ userId: 'alice@example.com' });
  });

  it('checks a signature once per token, and only the exact token text', async () => {
    const token = await sign({ preferred_username: 'cache.user', roles: ['clerk'] });
    const before = signatureChecks.count;
    const first = await verifyToken(token, auth);
    first.roles.push('admin'); // a caller's change to its principal must not reach the next caller
    await expect(verifyToken(token, auth)).resolves.toEqual({
      userId: 'cache.user',
      oid: 'cache.user',
      roles: ['clerk'],
    });
    expect(signatureChecks.count).toBe(before + 1);
    // One character of the signature changed: not the remembered token, so it is checked, and refused.
    const last = token.at(-2) === 'A' ? 'B' : 'A';
    const forged = `${token.slice(0, -2)}${last}${token.at(-1)}`;
    expect((await rejection(verifyToken(forged, auth))).status).toBe(401);
    expect(signatureChecks.count).toBe(before + 2);
  });

  it('refuses a remembered token once it has expired', async () => {
    const token = await sign({ preferred_username: 'short.lived' }, (j) => j.setExpirationTime(now() + 60));
    await expect(verifyToken(token, auth)).resolves.toMatchObject({ userId: 'short.lived' });
    // Only Date moves: 60 s of life + 30 s tolerance have passed.
    jest.useFakeTimers({
      now: Date.now() + 91_000,
      doNotFake: [
        'nextTick',
        'setImmediate',
        'setTimeout',
        'setInterval',
        'queueMicrotask',
        'clearTimeout',
        'clearInterval',
        'clearImmediate',
        'hrtime',
        'performance',
      ],
    });
    try {
      const err = await rejection(verifyToken(token, auth));
      expect(err.status).toBe(401);
      expect(err.message).toMatch(/expired/);
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps the key across loads (same file, same key)', async () => {
    const again = await loadDevSigningKey(keyFile);
    expect(again.kid).toBe(key.kid);
  });

  it.each<[string, () => Promise<string>, RegExp]>([
    ['expired', () => sign({}, (j) => j.setExpirationTime(now() - 3600)), /expired/],
    ['not yet valid', () => sign({}, (j) => j.setNotBefore(now() + 3600)), /not valid yet/],
    ['issued in the future', () => sign({}, (j) => j.setIssuedAt(now() + 3600)), /issued in the future/],
    ['wrong issuer', () => sign({}, (j) => j.setIssuer('someone-else')), /issuer/],
    ['wrong audience', () => sign({}, (j) => j.setAudience('other-api')), /audience/],
    [
      'without expiry',
      () =>
        new SignJWT({ sub: 'a' })
          .setProtectedHeader({ alg: 'ES256' })
          .setIssuer(LOCAL_ISSUER)
          .setAudience(LOCAL_AUDIENCE)
          .sign(key.privateKey),
      /exp/,
    ],
  ])('refuses a token that is %s', async (_name, make, message) => {
    const err = await rejection(authenticate(request(`Bearer ${await make()}`)));
    expect(err.status).toBe(401);
    expect(err.code).toBe('unauthorized');
    expect(err.message).toMatch(message);
  });

  it('refuses alg:none', async () => {
    const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ preferred_username: 'mallory', roles: ['admin'], iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, exp: now() + 3600 })}.`;
    const err = await rejection(authenticate(request(`Bearer ${token}`)));
    expect(err.status).toBe(401);
    expect(err.message).toMatch(/alg "none"/);
  });

  it('refuses a tampered payload (signature no longer matches)', async () => {
    const [h, , s] = (await sign({})).split('.');
    const forged = `${h}.${b64({ preferred_username: 'mallory', roles: ['admin'], iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, exp: now() + 3600 })}.${s}`;
    const err = await rejection(authenticate(request(`Bearer ${forged}`)));
    expect(err.status).toBe(401);
    expect(err.message).toMatch(/signature/);
  });

  it('refuses a token signed by another key', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const token = await new SignJWT({ preferred_username: 'mallory' })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime('1h')
      .sign(privateKey);
    expect((await rejection(verifyToken(token))).message).toMatch(/signature/);
  });

  it('refuses an HS256 token even if it uses the public key as secret', async () => {
    const token = await new SignJWT({ preferred_username: 'mallory' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('x'.repeat(32)));
    expect((await rejection(verifyToken(token))).message).toMatch(/algorithm/);
  });

  it.each([['not-a-jwt'], ['a.b.c'], [`${b64({ alg: 'ES256' })}.not-json.sig`]])(
    'refuses malformed token %p',
    async (token) => {
      const err = await rejection(authenticate(request(`Bearer ${token}`)));
      expect(err.status).toBe(401);
      expect(err.message).toMatch(/malformed/);
    },
  );

  it.each<[string | undefined, RegExp]>([
    [undefined, /Missing Authorization header/],
    ['', /Missing Authorization header/],
    ['Basic YWxpY2U6cHc=', /Bearer <token>/],
    ['Bearer', /Bearer <token>/],
  ])('refuses Authorization header %p', async (header, message) => {
    const err = await rejection(authenticate(request(header)));
    expect(err.status).toBe(401);
    expect(err.message).toMatch(message);
  });

  it('ignores roles it does not know and refuses a non-list roles claim', async () => {
    await expect(verifyToken(await sign({ roles: ['clerk', 'Other.App.Role'] }))).resolves.toEqual({
      userId: 'alice',
      oid: 'alice',
      roles: ['clerk'],
    });
    expect((await rejection(verifyToken(await sign({ roles: 'admin' })))).message).toMatch(/roles/);
  });
});

describe('azure mode', () => {
  const issuer = 'https://login.microsoftonline.com/tenant/v2.0';
  const audience = 'api://ledgerdesk';
  let server: http.Server;
  let auth: AuthConfig;
  let privateKey: KeyLike;
  let jwksRequests = 0;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    // A tiny local JWKS endpoint: the real createRemoteJWKSet path, no mocks.
    server = http.createServer((_req, res) => {
      jwksRequests++;
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys`;
    const config = useTestConfig({
      LEDGERDESK_MODE: 'azure',
      AUTH_ISSUER: issuer,
      AUTH_AUDIENCE: audience,
      AUTH_JWKS_URL: jwksUrl,
    });
    auth = config.auth;
  });
  afterAll(async () => {
    setConfigForTests(undefined);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function entraToken(claims: Record<string, unknown>, edit?: EditJwt): Promise<string> {
    return signToken({ alg: 'RS256', kid: 'k1', privateKey, issuer, audience }, claims, edit);
  }

  it('accepts an Entra-style token: name from preferred_username, then upn, oid, sub; identity from oid, then sub', async () => {
    await expect(
      verifyToken(
        await entraToken({ preferred_username: 'ann@contoso.com', upn: 'u', oid: 'o', sub: 's', roles: ['reviewer'] }),
        auth,
      ),
    ).resolves.toEqual({
      userId: 'ann@contoso.com',
      oid: 'o',
      roles: ['reviewer'],
    });
    await expect(verifyToken(await entraToken({ upn: 'u@contoso.com', oid: 'o', sub: 's' }), auth)).resolves.toEqual({
      userId: 'u@contoso.com',
      oid: 'o',
      roles: [],
    });
    await expect(verifyToken(await entraToken({ oid: 'oid-1', sub: 's' }), auth)).resolves.toMatchObject({
      userId: 'oid-1',
      oid: 'oid-1',
    });
    await expect(verifyToken(await entraToken({ sub: 'sub-1' }), auth)).resolves.toMatchObject({
      userId: 'sub-1',
      oid: 'sub-1',
    });
    expect(jwksRequests).toBeGreaterThan(0);
  });

  it('refuses wrong issuer, wrong audience, expired and unknown key', async () => {
    expect(
      (await rejection(verifyToken(await entraToken({ sub: 'a' }, (j) => j.setIssuer('https://evil/v2.0')), auth)))
        .message,
    ).toMatch(/issuer/);
    expect(
      (await rejection(verifyToken(await entraToken({ sub: 'a' }, (j) => j.setAudience('api://other')), auth))).message,
    ).toMatch(/audience/);
    expect(
      (await rejection(verifyToken(await entraToken({ sub: 'a' }, (j) => j.setExpirationTime(now() - 600)), auth)))
        .message,
    ).toMatch(/expired/);
    const other = await generateKeyPair('RS256');
    const unknownKid = await new SignJWT({ sub: 'a' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k2' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime('1h')
      .sign(other.privateKey);
    expect((await rejection(verifyToken(unknownKid, auth))).status).toBe(401);
  });

  it('refuses local development tokens', async () => {
    const localAuth = useTestConfig().auth;
    if (localAuth.mode !== 'local') throw new Error('expected local');
    const token = await signDevToken(localAuth.signingKeyFile, { user: 'alice', roles: ['admin'] });
    await expect(verifyToken(token, localAuth)).resolves.toMatchObject({ userId: 'alice' });
    const err = await rejection(verifyToken(token, auth));
    expect(err.status).toBe(401);
    expect(err.message).toMatch(/Local development tokens are not accepted/);
  });
});
