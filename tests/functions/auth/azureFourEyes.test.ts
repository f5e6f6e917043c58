// Four eyes in azure mode, with Entra-style RS256 tokens verified against a JWKS endpoint: a person is the token's
// object id (`oid`), whatever name the token carries; the name is only what rows and history show.
import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, type KeyLike } from 'jose';
import type { ApprovalsResponse, PendingResponse, ReadRow, RowResult } from '../../../shared/api';
import { verifyToken } from '../../../functions/src/auth/verify';
import { setConfigForTests, type AuthConfig } from '../../../functions/src/config';
import { approveLedgerRowsRoute } from '../../../functions/src/functions/approveLedgerRows';
import { getLedgerRowRoute } from '../../../functions/src/functions/getLedgerRow';
import { pendingApprovalsRoute } from '../../../functions/src/functions/pendingApprovals';
import { putLedgerRowsRoute } from '../../../functions/src/functions/putLedgerRows';
import { withApiBoundary, type Route } from '../../../functions/src/http/route';
import { readRow } from '../../../functions/src/store/ledgerStore';
import { useTestConfig } from '../../support/azurite';
import { signToken } from '../../support/tokens';

const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const issuer = `https://login.microsoftonline.com/${tenant}/v2.0`;
const audience = '3c1f4f0e-1b7c-4a4b-9a53-5b0a3c2e9d11';
let server: http.Server;
let privateKey: KeyLike;
let auth: AuthConfig;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'entra-1', alg: 'RS256', use: 'sig' };
  server = http.createServer((_req, res) =>
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // The settings infra/app/api.bicep gives a deployment (v2 and v1 issuers, bare and api:// audiences).
  auth = useTestConfig({
    LEDGERDESK_MODE: 'azure',
    AUTH_ISSUER: `${issuer},https://sts.windows.net/${tenant}/`,
    AUTH_AUDIENCE: `${audience},api://${audience}`,
    AUTH_JWKS_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/discovery/v2.0/keys`,
  }).auth;
});
afterAll(async () => {
  setConfigForTests(undefined);
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const entra = (claims: Record<string, unknown>): Promise<string> =>
  signToken({ alg: 'RS256', kid: 'entra-1', privateKey, issuer, audience }, { tid: tenant, ...claims });

async function call(
  route: Route,
  token: string,
  options: { params?: Record<string, string>; query?: Record<string, string>; body?: unknown } = {},
): Promise<HttpResponseInit & { jsonBody?: unknown }> {
  const path = route.route.replace(/\{(\w+)\}/g, (_m, p: string) => encodeURIComponent(options.params?.[p] ?? ''));
  const qs = new URLSearchParams(options.query ?? {}).toString();
  const req = new HttpRequest({
    method: route.methods[0],
    url: `https://func.example.net/api/${path}${qs ? `?${qs}` : ''}`,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    params: options.params ?? {},
    ...(options.body === undefined ? {} : { body: { string: JSON.stringify(options.body) } }),
  });
  return withApiBoundary(route)(req, new InvocationContext({ functionName: route.name }));
}

const kim = { preferred_username: 'kim@contoso.com', oid: 'b1c4a0e2-0000-4000-8000-00000000000a' };
const other = { preferred_username: 'kim@contoso.com', oid: 'b1c4a0e2-0000-4000-8000-00000000000b' };

it('tokens that differ in name but share oid are one person; the same name with another oid is another', async () => {
  const a = await verifyToken(await entra({ ...kim, roles: ['clerk'] }), auth);
  const renamed = await verifyToken(await entra({ preferred_username: 'kim.new@contoso.com', oid: kim.oid }), auth);
  const namesake = await verifyToken(await entra({ ...other }), auth);
  expect(renamed.oid).toBe(a.oid);
  expect(renamed.userId).not.toBe(a.userId);
  expect(namesake.userId).toBe(a.userId);
  expect(namesake.oid).not.toBe(a.oid);
  // Entra's v1 issuer and the api:// audience are the same tenant and API (both are in the deployed settings).
  const v1 = await signToken(
    {
      alg: 'RS256',
      kid: 'entra-1',
      privateKey,
      issuer: `https://sts.windows.net/${tenant}/`,
      audience: `api://${audience}`,
    },
    { upn: 'kim@contoso.com', oid: kim.oid },
  );
  await expect(verifyToken(v1, auth)).resolves.toMatchObject({ userId: 'kim@contoso.com', oid: kim.oid });
});

it('through the API: the renamed maker is still the maker, the namesake may approve, and rows show names', async () => {
  const maker = await entra({ ...kim, roles: ['clerk', 'reviewer'] });
  const put = await call(putLedgerRowsRoute, maker, {
    params: { ledger: 'customers' },
    body: { rows: [{ customerId: 'AZ1', name: 'Azure customer', region: 'North' }] },
  });
  expect(put.status).toBe(200);
  const [written] = (put.jsonBody as { results: RowResult[] }).results;
  expect(written?.status).toBe('created');
  expect((await readRow('customers', 'AZ1'))?.changedById).toBe(kim.oid);

  // Kim after a rename: her own change is not in her review queue and she cannot approve it.
  const renamed = await entra({ preferred_username: 'kim.new@contoso.com', oid: kim.oid, roles: ['reviewer'] });
  const queue = await call(pendingApprovalsRoute, renamed, { query: { ledger: 'customers' } });
  expect(queue.status).toBe(200);
  expect((queue.jsonBody as PendingResponse).rows.map((r) => r.key)).not.toContain('AZ1');
  const self = await call(approveLedgerRowsRoute, renamed, {
    params: { ledger: 'customers' },
    body: { rows: [{ key: 'AZ1', etag: written!.etag }] },
  });
  expect((self.jsonBody as ApprovalsResponse).results[0]?.status).toBe('self');

  // Another person who now holds Kim's old name sees it and approves it.
  const namesake = await entra({ ...other, roles: ['reviewer'] });
  const theirQueue = await call(pendingApprovalsRoute, namesake, { query: { ledger: 'customers' } });
  expect((theirQueue.jsonBody as PendingResponse).rows.find((r) => r.key === 'AZ1')?.changedBy).toBe('kim@contoso.com');
  const approved = await call(approveLedgerRowsRoute, namesake, {
    params: { ledger: 'customers' },
    body: { rows: [{ key: 'AZ1', etag: written!.etag }] },
  });
  expect((approved.jsonBody as ApprovalsResponse).results[0]?.status).toBe('approved');
  const row = (await call(getLedgerRowRoute, namesake, { params: { ledger: 'customers', key: 'AZ1' } }))
    .jsonBody as ReadRow;
  expect(row.approval).toMatchObject({
    status: 'approved',
    changedBy: 'kim@contoso.com',
    approvedBy: 'kim@contoso.com',
  });
});
