// Security over the local host: bad tokens are 401 with WWW-Authenticate, roles are 403, four eyes, history is read-only, CORS, no secrets in logs, formula-like text stays text.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { format } from 'node:util';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import type { HistoryResponse, ReadRow } from '../../../shared/api';
import { LEDGERS } from '../../../shared/ledgers';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, loadDevSigningKey } from '../../../functions/src/auth/devKey';
import { ROLES, type Role } from '../../../functions/src/auth/roles';
import { azuriteConnectionString, setConfigForTests, type Config } from '../../../functions/src/config';
import { startApiHost, type ApiHost } from '../../../local/server';
import { SHEETS, FIRST_DATA_ROW } from '../../../functions/src/reports/workbook';
import { listRows } from '../../../functions/src/services/readRows';
import { useTestConfig } from '../../support/azurite';
import { ledgerApi, type LedgerApi } from '../../support/ledgerApi';
import { openWithLibreOffice, sheet } from '../../support/libreoffice';
import { rawRequest, type RawAnswer } from '../../support/rawHttp';
import { localSigner, signToken, type EditJwt } from '../../support/tokens';

type Answer = RawAnswer;

const now = () => Math.floor(Date.now() / 1000);
const b64 = (v: object): string => Buffer.from(JSON.stringify(v)).toString('base64url');

let api: LedgerApi;
let config: Config;
let host: ApiHost;
/** Every line anything logged during the run (console and InvocationContext, which falls back to console). */
const logs: string[] = [];
/** Every bearer token this file sent. */
const tokensSent = new Set<string>();
const spies: jest.SpyInstance[] = [];

function send(
  method: string,
  urlPath: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string | number> = { ...(opts.headers ?? {}) };
  if (opts.token !== undefined) {
    tokensSent.add(opts.token);
    headers.authorization = `Bearer ${opts.token}`;
  }
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = Buffer.byteLength(body);
  }
  return rawRequest(host.port, { method, path: urlPath, headers, body });
}

const as = (user: string, roles: Role[]): Promise<string> => api.token(user, roles);
const errorOf = (a: Answer) => (a.json as { error?: { code: string; message: string } }).error;

async function ledgerRows(ledger: (typeof LEDGERS)[number]['name']): Promise<ReadRow[]> {
  return (await listRows(ledger, { pageSize: 5000, continuationToken: undefined, filter: '' })).rows;
}

beforeAll(async () => {
  for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const)
    spies.push(jest.spyOn(console, level).mockImplementation((...args: unknown[]) => void logs.push(format(...args))));
  api = ledgerApi();
  config = api.config;
  host = await startApiHost({ port: 0 });
  const clerk = await as('clara.clerk', ['clerk']);
  const put = async (ledger: string, rows: unknown[]) => {
    const res = await send('PUT', `ledgers/${ledger}`, { token: clerk, body: { rows } });
    expect(res.status).toBe(200);
  };
  await put('customers', [{ customerId: 'CU1', name: 'Acme', region: 'East' }]);
  await put('salespeople', [{ salespersonId: 'SP1', name: 'Sam', region: 'East' }]);
  await put('contracts', [
    { contractId: 'K1', customerId: 'CU1', salespersonId: 'SP1', region: 'East', signedOn: '2016-11-08' },
  ]);
}, 60_000);

afterAll(async () => {
  await host.close();
  setConfigForTests(undefined);
  for (const s of spies) s.mockRestore();
});

describe('tokens → 401 with WWW-Authenticate (local mode)', () => {
  let key: { kid: string; privateKey: KeyLike; publicKey: KeyLike };

  beforeAll(async () => {
    if (config.auth.mode !== 'local') throw new Error('local mode expected');
    key = await loadDevSigningKey(config.auth.signingKeyFile);
  });

  function sign(claims: Record<string, unknown>, edit?: EditJwt): Promise<string> {
    return signToken(localSigner(key), { preferred_username: 'mallory', roles: ['admin'], ...claims }, edit);
  }
  const claims = () => ({
    preferred_username: 'mallory',
    roles: ['admin'],
    iss: LOCAL_ISSUER,
    aud: LOCAL_AUDIENCE,
    exp: now() + 3600,
  });

  const cases: [string, () => Promise<string>, RegExp][] = [
    ['expired', () => sign({}, (j) => j.setExpirationTime(now() - 3600)), /expired/],
    ['not yet valid (nbf in the future)', () => sign({}, (j) => j.setNotBefore(now() + 3600)), /not valid yet/],
    ['wrong issuer', () => sign({}, (j) => j.setIssuer('https://evil.example')), /issuer/],
    ['wrong audience', () => sign({}, (j) => j.setAudience('another-api')), /audience/],
    [
      'alg none (unsigned)',
      () => Promise.resolve(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`),
      /alg "none"/,
    ],
    [
      'tampered payload (signature of another payload)',
      async () => {
        const [h, , s] = (await sign({ roles: ['clerk'] })).split('.');
        return `${h}.${b64(claims())}.${s}`;
      },
      /signature/,
    ],
    ['signature stripped', async () => `${(await sign({})).split('.').slice(0, 2).join('.')}.`, /signature|malformed/],
    [
      'signed with another key',
      async () => {
        const other = await generateKeyPair('ES256');
        return new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', kid: key.kid }).sign(other.privateKey);
      },
      /signature/,
    ],
    [
      'HS256 signed with the public key (algorithm confusion, PEM)',
      async () =>
        new SignJWT(claims())
          .setProtectedHeader({ alg: 'HS256', kid: key.kid })
          .sign(new TextEncoder().encode(await exportSPKI(key.publicKey))),
      /algorithm/,
    ],
    [
      'HS256 signed with the public key (algorithm confusion, JWK)',
      async () =>
        new SignJWT(claims())
          .setProtectedHeader({ alg: 'HS256' })
          .sign(new TextEncoder().encode(JSON.stringify(await exportJWK(key.publicKey)))),
      /algorithm/,
    ],
    ['malformed: two segments', () => Promise.resolve(`${b64({ alg: 'ES256' })}.${b64(claims())}`), /malformed/],
    ['malformed: garbage base64', () => Promise.resolve('@@@.!!!.###'), /malformed/],
    ['malformed: not a JWT at all', () => Promise.resolve('hunter2'), /malformed/],
    ['missing user claim (no sub or username)', () => sign({ preferred_username: undefined }), /names no user/],
    ['roles claim not an array', () => sign({ roles: 'admin' }), /roles/],
    ['roles claim a list of objects', () => sign({ roles: [{ name: 'admin' }] }), /roles/],
    [
      'no expiry',
      () => {
        const { exp: _exp, ...rest } = claims();
        return new SignJWT(rest).setProtectedHeader({ alg: 'ES256', kid: key.kid }).sign(key.privateKey);
      },
      /exp/,
    ],
  ];

  it.each(cases)('%s: a write is refused with 401 and nothing is stored', async (_name, make, message) => {
    const res = await send('PUT', 'ledgers/customers', {
      token: await make(),
      body: { rows: [{ customerId: 'TOKEN-X', name: 'Forged', region: 'East' }] },
    });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(errorOf(res)).toEqual({
      code: 'unauthorized',
      message: expect.stringMatching(message) as unknown,
      details: [],
    });
    expect((await ledgerRows('customers')).map((r) => r.customerId)).not.toContain('TOKEN-X');
  });

  it('no Authorization at all: 401 with WWW-Authenticate on every protected route', async () => {
    for (const [method, p] of [
      ['GET', 'ledgers/customers'],
      ['GET', 'ledgers/customers/CU1'],
      ['GET', 'ledgers/customers/CU1/history'],
      ['PUT', 'ledgers/customers'],
      ['POST', 'ledgers/customers/approvals'],
      ['GET', 'stats?period=month&from=2016-01-01&to=2016-12-31'],
      ['GET', 'receivables?asOf=2016-11-30'],
      ['GET', 'contracts/K1/performance'],
      ['POST', 'checks/invoices'],
      ['POST', 'reports'],
      ['GET', 'reports'],
      ['GET', 'reports/2016-11-v1'],
    ] as const) {
      const res = await send(method, p, method === 'GET' ? {} : { body: {} });
      expect([p, res.status, res.headers['www-authenticate']]).toEqual([p, 401, 'Bearer']);
    }
    expect((await send('GET', 'health')).status).toBe(200);
  });
});

describe('tokens in azure mode (JWKS served on 127.0.0.1)', () => {
  const issuer = 'https://login.microsoftonline.com/tenant/v2.0';
  const audience = 'api://ledgerdesk';
  let jwks: http.Server;
  let rsa: { privateKey: KeyLike; publicKey: KeyLike };

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256');
    const jwk: JWK = { ...(await exportJWK(rsa.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwks = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    useTestConfig({
      LEDGERDESK_MODE: 'azure',
      AUTH_ISSUER: issuer,
      AUTH_AUDIENCE: audience,
      AUTH_JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/keys`,
      LEDGERDESK_STORAGE_CONNECTION: config.storageConnection,
      LEDGERDESK_TABLE_PREFIX: config.tablePrefix,
    });
  });
  afterAll(async () => {
    setConfigForTests(config);
    await new Promise<void>((resolve) => jwks.close(() => resolve()));
  });

  const entra = (edit: (j: SignJWT) => SignJWT = (j) => j, key?: KeyLike | Uint8Array, alg = 'RS256') =>
    edit(
      new SignJWT({ preferred_username: 'ann@contoso.com', roles: ['admin'] })
        .setProtectedHeader({ alg, kid: 'k1' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime('1h'),
    ).sign(key ?? rsa.privateKey);

  it('accepts a valid Entra token (the JWKS path is live)', async () => {
    const res = await send('GET', 'ledgers/customers', { token: await entra() });
    expect(res.status).toBe(200);
  });

  it.each<[string, () => Promise<string>, RegExp]>([
    ['a local development token', () => as('mallory', ['admin']), /Local development tokens are not accepted/],
    ['expired', () => entra((j) => j.setExpirationTime(now() - 600)), /expired/],
    ['wrong issuer', () => entra((j) => j.setIssuer('https://login.microsoftonline.com/other/v2.0')), /issuer/],
    ['wrong audience', () => entra((j) => j.setAudience('api://other')), /audience/],
    [
      'signed with another RSA key under the same kid',
      async () => entra(undefined, (await generateKeyPair('RS256')).privateKey),
      /signature/,
    ],
    [
      'HS256 signed with the JWKS public key (algorithm confusion)',
      async () => entra(undefined, new TextEncoder().encode(await exportSPKI(rsa.publicKey)), 'HS256'),
      /algorithm/,
    ],
    [
      'ES256 instead of RS256',
      async () => entra(undefined, (await generateKeyPair('ES256')).privateKey, 'ES256'),
      /algorithm/,
    ],
  ])('refuses %s with 401', async (_name, make, message) => {
    const res = await send('PUT', 'ledgers/customers', {
      token: await make(),
      body: { rows: [{ customerId: 'TOKEN-Y', name: 'Forged', region: 'East' }] },
    });
    expect([res.status, res.headers['www-authenticate']]).toEqual([401, 'Bearer']);
    expect(errorOf(res)?.message).toMatch(message);
    expect((await ledgerRows('customers')).map((r) => r.customerId)).not.toContain('TOKEN-Y');
  });
});

describe('roles', () => {
  const WRITES: { what: string; method: string; path: string; body: unknown; allowed: Role[] }[] = [
    {
      what: 'write customers',
      method: 'PUT',
      path: 'ledgers/customers',
      body: { rows: [{ customerId: 'ROLE-X', name: 'Role', region: 'East' }] },
      allowed: ['clerk', 'admin'],
    },
    {
      what: 'write contracts',
      method: 'PUT',
      path: 'ledgers/contracts',
      body: {
        rows: [
          { contractId: 'ROLE-K', customerId: 'CU1', salespersonId: 'SP1', region: 'East', signedOn: '2016-11-09' },
        ],
      },
      allowed: ['clerk', 'admin'],
    },
    {
      what: 'write payments',
      method: 'PUT',
      path: 'ledgers/payments',
      body: { rows: [{ paymentId: 'ROLE-P', contractId: 'K1', receivedOn: '2016-11-20', amount: '1.00' }] },
      allowed: ['clerk', 'finance', 'admin'],
    },
    {
      what: 'approve',
      method: 'POST',
      path: 'ledgers/customers/approvals',
      body: { rows: [{ key: 'CU1', etag: 'seen' }] },
      allowed: ['reviewer', 'admin'],
    },
    {
      what: 'make a report',
      method: 'POST',
      path: 'reports',
      body: { period: '2016-11' },
      allowed: ['manager', 'finance', 'admin'],
    },
  ];
  const forbidden = WRITES.flatMap((w) =>
    ROLES.filter((r) => !w.allowed.includes(r)).map((r) => [w.what, r, w] as const),
  );

  it.each(forbidden)('%s as %s → 403, nothing changed', async (_what, role, w) => {
    const before = JSON.stringify(await Promise.all(LEDGERS.map((l) => ledgerRows(l.name))));
    const res = await send(w.method, w.path, { token: await as(`only.${role}`, [role]), body: w.body });
    expect(res.status).toBe(403);
    expect(errorOf(res)?.code).toBe('forbidden');
    expect(errorOf(res)?.message).toMatch(/needs the .* role/);
    expect(JSON.stringify(await Promise.all(LEDGERS.map((l) => ledgerRows(l.name))))).toBe(before);
    if (w.path === 'reports')
      expect((await send('GET', 'reports', { token: await as('x', ['clerk']) })).json).toEqual({ reports: [] });
  });

  it('a token with none of our roles may not even read', async () => {
    const token = await as('nobody', []);
    for (const p of ['ledgers/customers', 'stats?period=month&from=2016-01-01&to=2016-12-31', 'reports'])
      expect((await send('GET', p, { token })).status).toBe(403);
  });

  it.each(ROLES)('every read is allowed for %s', async (role) => {
    const token = await as(`reader.${role}`, [role]);
    const reads: [string, string, unknown?][] = [
      ['GET', 'ledgers/customers'],
      ['GET', 'ledgers/customers/CU1'],
      ['GET', 'ledgers/customers/CU1/history'],
      ['GET', 'stats?period=month&from=2016-01-01&to=2016-12-31&groupBy=region'],
      ['GET', 'receivables?asOf=2016-11-30'],
      ['POST', 'checks/invoices', {}],
      ['GET', 'reports'],
    ];
    for (const [method, p, body] of reads) {
      const res = await send(method, p, { token, body });
      expect([p, res.status]).toEqual([p, 200]);
    }
    // K1 is not approved, so there is no performance to show: 404, not 403.
    expect((await send('GET', 'contracts/K1/performance', { token })).status).toBe(404);
  });
});

describe('four eyes', () => {
  it('refuses self-approval, also for admin and for a clerk+reviewer, and lets someone else approve', async () => {
    const both = await as('bo.both', ['clerk', 'reviewer']);
    const admin = await as('ada.admin', ['admin']);
    const written = async (token: string, row: Record<string, unknown>): Promise<{ key: string; etag: string }> => {
      const res = await send('PUT', 'ledgers/customers', { token, body: { rows: [row] } });
      expect(res.status).toBe(200);
      const [r] = (res.json as { results: { key: string; etag: string }[] }).results;
      return { key: r?.key as string, etag: r?.etag as string };
    };
    const self1 = await written(both, { customerId: 'SELF-1', name: 'S', region: 'East' });
    const self2 = await written(admin, { customerId: 'SELF-2', name: 'S', region: 'East' });
    const selfBoth = await send('POST', 'ledgers/customers/approvals', { token: both, body: { rows: [self1] } });
    const selfAdmin = await send('POST', 'ledgers/customers/approvals', { token: admin, body: { rows: [self2] } });
    expect(selfBoth.json).toMatchObject({ results: [{ key: 'SELF-1', status: 'self' }] });
    expect(selfAdmin.json).toMatchObject({ results: [{ key: 'SELF-2', status: 'self' }] });
    const rows = await ledgerRows('customers');
    for (const key of ['SELF-1', 'SELF-2'])
      expect(rows.find((r) => r.customerId === key)?.approval).toMatchObject({ status: 'pending', approvedBy: null });

    // A change by the admin to a row someone else approved is again the admin's own pending change.
    const other = await send('POST', 'ledgers/customers/approvals', {
      token: await as('rita.reviewer', ['reviewer']),
      body: { rows: [self2] },
    });
    expect(other.json).toMatchObject({ results: [{ key: 'SELF-2', status: 'approved' }] });
    const etag = (await send('GET', 'ledgers/customers/SELF-2', { token: admin })).headers.etag;
    const changed = await written(admin, { customerId: 'SELF-2', name: 'S2', region: 'East', etag });
    expect(
      (await send('POST', 'ledgers/customers/approvals', { token: admin, body: { rows: [changed] } })).json,
    ).toMatchObject({
      results: [{ key: 'SELF-2', status: 'self' }],
    });
    // The same person with another spelling of their user name is still the maker.
    const shouting = await as('ADA.ADMIN', ['admin']);
    expect(
      (await send('POST', 'ledgers/customers/approvals', { token: shouting, body: { rows: [changed] } })).json,
    ).toMatchObject({ results: [{ key: 'SELF-2', status: 'self' }] });
  });
});

describe('history is append-only', () => {
  it('no method edits or deletes history or rows, and a forged approval in a row is ignored', async () => {
    const clerk = await as('clara.clerk', ['clerk']);
    const admin = await as('ada.admin', ['admin']);
    const history = async () =>
      (await send('GET', 'ledgers/customers/CU1/history', { token: clerk })).json as HistoryResponse;
    const before = await history();
    expect(before.entries.length).toBeGreaterThan(0);
    const row = { customerId: 'CU1', name: 'Rewritten', region: 'East' };
    for (const method of ['PUT', 'POST', 'PATCH', 'DELETE']) {
      for (const p of ['ledgers/customers/CU1/history', 'ledgers/customers/CU1']) {
        const res = await send(method, p, { token: admin, body: { entries: [], rows: [row], ...row } });
        expect([method, p, res.status]).toEqual([method, p, 405]);
        expect(res.headers.allow).toBe('GET');
        expect(errorOf(res)?.code).toBe('method_not_allowed');
      }
    }
    for (const method of ['DELETE', 'PATCH', 'POST'])
      expect((await send(method, 'ledgers/customers', { token: admin, body: { rows: [] } })).status).toBe(405);
    expect((await send('DELETE', 'ledgers/customers/approvals', { token: admin })).status).toBe(405);

    // Fields a client cannot set: `approval` is read-only (ignored), `history` is no field at all.
    const forged = await send('PUT', 'ledgers/customers', {
      token: clerk,
      body: {
        rows: [
          {
            customerId: 'CU1',
            name: 'Acme',
            region: 'East',
            approval: { status: 'approved', approvedBy: 'mallory', approvedAt: '2016-01-01T00:00:00Z' },
          },
          { customerId: 'HIST-1', name: 'H', region: 'East', history: [{ action: 'approved', by: 'mallory' }] },
        ],
      },
    });
    expect((forged.json as { results: { status: string; errors?: { field: string }[] }[] }).results).toMatchObject([
      { status: 'unchanged' },
      { status: 'invalid', errors: [{ field: 'history' }] },
    ]);
    const cu1 = (await send('GET', 'ledgers/customers/CU1', { token: clerk })).json as ReadRow;
    expect(cu1.approval).toMatchObject({ status: 'pending', approvedBy: null });
    // A preflight for DELETE on history is refused too.
    const preflight = await send('OPTIONS', 'ledgers/customers/CU1/history', {
      headers: { origin: 'https://localhost:3000', 'access-control-request-method': 'DELETE' },
    });
    expect(preflight.status).toBe(405);
    expect(await history()).toEqual(before);
  });
});

describe('CORS', () => {
  const allowed = 'https://localhost:3000';
  const preflight = (origin: string, method = 'PUT') =>
    send('OPTIONS', 'ledgers/customers', {
      headers: {
        origin,
        'access-control-request-method': method,
        'access-control-request-headers': 'authorization, content-type',
      },
    });

  it('answers the add-in origin', async () => {
    expect(config.corsOrigin).toBe(allowed);
    const ok = await preflight(allowed);
    expect(ok.status).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe(allowed);
    expect(ok.headers['access-control-allow-methods']).toBe('PUT');
    expect(ok.headers['access-control-allow-headers']).toMatch(/Authorization/);
    const get = await send('GET', 'ledgers/customers', {
      token: await as('clara.clerk', ['clerk']),
      headers: { origin: allowed },
    });
    expect(get.headers['access-control-allow-origin']).toBe(allowed);
    expect(get.headers.vary).toMatch(/Origin/);
  });

  it.each([
    'https://evil.example',
    'http://localhost:3000',
    'https://localhost:3000.evil.example',
    'https://localhost:30000',
    'null',
  ])('refuses %s: preflight 403, no Access-Control-Allow-Origin anywhere', async (origin) => {
    const pre = await preflight(origin);
    expect(pre.status).toBe(403);
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    expect(pre.headers['access-control-allow-methods']).toBeUndefined();
    const get = await send('GET', 'ledgers/customers', {
      token: await as('clara.clerk', ['clerk']),
      headers: { origin },
    });
    expect(get.status).toBe(200);
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
    const err = await send('GET', 'ledgers/customers', { headers: { origin } });
    expect(err.status).toBe(401);
    expect(err.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('follows LEDGERDESK_CORS_ORIGIN', async () => {
    useTestConfig({
      LEDGERDESK_CORS_ORIGIN: 'https://addin.contoso.com',
      LEDGERDESK_STORAGE_CONNECTION: config.storageConnection,
      LEDGERDESK_TABLE_PREFIX: config.tablePrefix,
    });
    try {
      expect((await preflight('https://addin.contoso.com')).headers['access-control-allow-origin']).toBe(
        'https://addin.contoso.com',
      );
      expect((await preflight(allowed)).status).toBe(403);
    } finally {
      setConfigForTests(config);
    }
  });
});

describe('text starting with = + - @ stays text', () => {
  const TEXTS = {
    customerName: '=1+2',
    salespersonName: '+41 SUM(A1:A9)',
    region: '@SUM(1,2)',
    description: '=HYPERLINK("http://evil.example","click")',
    returnReason: '-2+3',
    category: "=cmd|'/C calc'!A0",
  };
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ld-sec-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('stores and reads them back byte-identical, and the report workbook holds them as text in LibreOffice', async () => {
    const clerk = await as('clara.clerk', ['clerk']);
    const reviewer = await as('rita.reviewer', ['reviewer']);
    const data: [string, Record<string, unknown>[]][] = [
      ['customers', [{ customerId: 'FX1', name: TEXTS.customerName, region: TEXTS.region }]],
      [
        'salespeople',
        [{ salespersonId: 'FS1', name: TEXTS.salespersonName, region: TEXTS.region, commissionRate: '0.03' }],
      ],
      [
        'contracts',
        [{ contractId: 'FK1', customerId: 'FX1', salespersonId: 'FS1', region: TEXTS.region, signedOn: '2016-11-08' }],
      ],
      [
        'orderLines',
        [
          {
            contractId: 'FK1',
            lineNo: 1,
            itemCode: 'IT',
            description: TEXTS.description,
            quantity: 5,
            unitPrice: '10.00',
          },
        ],
      ],
      [
        'deliveries',
        [
          { deliveryId: 'FD1', contractId: 'FK1', itemCode: 'IT', quantity: 2, date: '2016-11-09' },
          {
            deliveryId: 'FD2',
            contractId: 'FK1',
            itemCode: 'IT',
            quantity: 1,
            date: '2016-11-10',
            kind: 'return',
            returnReason: TEXTS.returnReason,
          },
        ],
      ],
      ['invoices', [{ invoiceNo: 'FI1', contractId: 'FK1', issuedOn: '2016-11-10' }]],
      ['invoiceLines', [{ invoiceNo: 'FI1', lineNo: 1, itemCode: 'IT', quantity: 1, unitPrice: '10.00' }]],
      [
        'expenses',
        [
          {
            expenseId: 'FE1',
            salespersonId: 'FS1',
            category: TEXTS.category,
            incurredOn: '2016-11-11',
            amount: '5.00',
            description: TEXTS.description,
          },
        ],
      ],
    ];
    for (const [ledger, rows] of data) {
      const put = await send('PUT', `ledgers/${ledger}`, { token: clerk, body: { rows } });
      expect((put.json as { results: { status: string }[] }).results.map((r) => r.status)).toEqual(
        rows.map(() => 'created'),
      );
      const seen = (put.json as { results: { key: string; etag: string }[] }).results.map(({ key, etag }) => ({
        key,
        etag,
      }));
      const approved = await send('POST', `ledgers/${ledger}/approvals`, { token: reviewer, body: { rows: seen } });
      expect((approved.json as { results: { status: string }[] }).results.map((r) => r.status)).toEqual(
        rows.map(() => 'approved'),
      );
    }
    // Read back over the wire: exactly the text sent.
    const read = async (ledger: string, key: string) =>
      (await send('GET', `ledgers/${ledger}/${encodeURIComponent(key)}`, { token: clerk })).json as Record<
        string,
        unknown
      >;
    expect(await read('customers', 'FX1')).toMatchObject({ name: TEXTS.customerName, region: TEXTS.region });
    expect(await read('salespeople', 'FS1')).toMatchObject({ name: TEXTS.salespersonName });
    expect(await read('orderLines', 'FK1~1')).toMatchObject({ description: TEXTS.description });
    expect(await read('deliveries', 'FD2')).toMatchObject({ returnReason: TEXTS.returnReason });
    expect(await read('expenses', 'FE1')).toMatchObject({ category: TEXTS.category, description: TEXTS.description });

    const made = await send('POST', 'reports', {
      token: await as('mia.manager', ['manager']),
      body: { period: '2016-11' },
    });
    expect(made.status).toBe(201);
    const { reportId } = made.json as { reportId: string };
    const file = path.join(dir, 'formulas.xlsx');
    const report = await rawRequest(host.port, {
      method: 'GET',
      path: `reports/${encodeURIComponent(reportId)}`,
      headers: { authorization: `Bearer ${clerk}` },
    });
    await writeFile(file, report.bytes);
    expect((await readFile(file)).subarray(0, 2).toString()).toBe('PK');

    const wb = (await openWithLibreOffice([file])).workbooks.get(file)!;
    /** Every cell showing exactly `value`, with whether LibreOffice holds it as text. */
    const cells = (sheetName: string, value: string) => {
      const s = sheet(wb, sheetName);
      const found: boolean[] = [];
      s.rows.forEach((r, i) =>
        r.forEach((v, j) => v === value && i >= FIRST_DATA_ROW - 1 && found.push(s.text[i]?.[j] === true)),
      );
      return found;
    };
    expect(cells(SHEETS.summary, TEXTS.region)).toEqual([true]);
    expect(cells(SHEETS.salespeople, TEXTS.salespersonName)).toEqual([true]);
    expect(cells(SHEETS.receivables, TEXTS.customerName)).toEqual([true]);
    expect(cells(SHEETS.contracts, TEXTS.region)).toEqual([true]);
    // Had any been read as a formula, LibreOffice would show its result or an error value instead of the text.
    for (const name of wb.sheetNames)
      for (const row of sheet(wb, name).rows)
        for (const v of row) expect(v).not.toMatch(/^(#NAME\?|#VALUE!|#REF!|Err:\d+)$/);
  }, 120_000);
});

describe('no secrets in logs', () => {
  it('logs failures, but no bearer token, connection string, account key or signing key', async () => {
    // A storage account whose key is wrong: every storage call fails and is logged as an internal error.
    const fakeKey = randomBytes(64).toString('base64');
    const badConnection = azuriteConnectionString().replace(/AccountKey=[^;]+/, `AccountKey=${fakeKey}`);
    const endpoint = new URL(config.storageConnection.match(/TableEndpoint=([^;]+)/)![1]!);
    const broken = badConnection
      .replace(/TableEndpoint=[^;]+/, `TableEndpoint=${endpoint.href}`)
      .replace(/BlobEndpoint=[^;]+/, `BlobEndpoint=${config.storageConnection.match(/BlobEndpoint=([^;]+)/)![1]!}`);
    if (config.auth.mode !== 'local') throw new Error('local mode expected');
    useTestConfig({
      LEDGERDESK_STORAGE_CONNECTION: broken,
      LEDGERDESK_DEV_SIGNING_KEY_FILE: config.auth.signingKeyFile,
    });
    let token: string;
    try {
      token = await as('clara.clerk', ['clerk']);
      const failures = [
        await send('GET', 'ledgers/customers', { token }),
        await send('PUT', 'ledgers/customers', {
          token,
          body: { rows: [{ customerId: 'LOG-1', name: 'L', region: 'East' }] },
        }),
        await send('GET', 'health'),
        await send('GET', 'ledgers/customers', { token: `${token}x` }),
      ];
      expect(failures.map((f) => f.status)).toEqual([500, 500, 503, 401]);
      for (const f of failures) {
        expect(f.text).not.toContain(fakeKey);
        expect(f.text).not.toMatch(/AccountKey|SharedKey|devstoreaccount1/);
      }
    } finally {
      setConfigForTests(config);
    }

    const all = logs.join('\n');
    expect(all).toMatch(/Unhandled error in handler/);
    expect(all).toMatch(/storage did not answer/);
    expect(tokensSent.size).toBeGreaterThan(20);
    for (const t of tokensSent) {
      expect(all).not.toContain(t);
      // Not even the signature part of one.
      const sig = t.split('.')[2];
      if (sig !== undefined && sig.length > 20) expect(all).not.toContain(sig);
    }
    expect(all).not.toContain(fakeKey);
    expect(all).not.toMatch(/AccountKey=|SharedKey [^\s*]|SharedAccessSignature=|sig=[A-Za-z0-9%]{10}/);
    expect(all).not.toContain(config.storageConnection);
    if (config.auth.mode === 'local') {
      const keyFile = JSON.parse(await readFile(config.auth.signingKeyFile, 'utf8')) as { privateJwk: { d: string } };
      expect(all).not.toContain(keyFile.privateJwk.d);
    }
    expect(all).not.toMatch(/PRIVATE KEY/);
  });
});
