// Keyless storage: with an account's endpoints configured, every client store/client.ts builds sends a Microsoft Entra
// bearer token for Azure Storage, never a shared key. Against a recording HTTPS stand-in for the storage endpoints.
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureDevCertificates, type DevCertificates } from '../../../addin/scripts/serve';
import { setStorageCredentialForTests, storageCredential } from '../../../functions/src/store/client';

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
}

const seen: Seen[] = [];

/** Answers just enough of the Table and Blob REST APIs for table/container creation and the health ping. */
function answer(req: { method?: string; url?: string }): { status: number; type: string; body: string } {
  const url = new URL(req.url ?? '/', 'https://x');
  if (url.pathname.endsWith('/Tables') && req.method === 'POST')
    return { status: 201, type: 'application/json', body: JSON.stringify({ TableName: 'x' }) };
  if (url.pathname.endsWith('/Tables') && req.method === 'GET')
    return { status: 200, type: 'application/json', body: JSON.stringify({ value: [] }) };
  if (url.searchParams.get('restype') === 'container' && req.method === 'PUT')
    return { status: 201, type: 'application/xml', body: '' };
  if (url.searchParams.get('comp') === 'list')
    return {
      status: 200,
      type: 'application/xml',
      body: '<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="x"><Containers /><NextMarker /></EnumerationResults>',
    };
  return { status: 400, type: 'text/plain', body: 'unexpected' };
}

let server: https.Server;
let base: string;
const certDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerdesk-keyless-'));
let certs: DevCertificates;

beforeAll(async () => {
  certs = await ensureDevCertificates(certDir);
  server = https.createServer({ key: certs.key, cert: certs.cert }, (req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
      const a = answer(req);
      res.writeHead(a.status, { 'content-type': a.type, 'x-ms-request-id': 'r1' }).end(a.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  setStorageCredentialForTests(undefined);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  fs.rmSync(certDir, { recursive: true, force: true });
});

/** Runs keylessChild.ts with keyless settings pointing at the stand-in, trusting only the test's CA in addition. */
function runChild(): Promise<{ scopes?: string[][]; error?: string }> {
  const tsx = path.resolve(__dirname, '..', '..', '..', 'node_modules', '.bin', 'tsx');
  const child = spawn(tsx, [path.join(__dirname, 'keylessChild.ts')], {
    env: {
      PATH: process.env['PATH'] ?? '',
      NODE_EXTRA_CA_CERTS: certs.caPath,
      LEDGERDESK_MODE: 'local',
      LEDGERDESK_TABLE_PREFIX: 'kl',
      LEDGERDESK_STORAGE_TABLE_ENDPOINT: `${base}/acct-table`,
      LEDGERDESK_STORAGE_BLOB_ENDPOINT: `${base}/acct-blob`,
    },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) =>
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out) as { scopes?: string[][]; error?: string }) : reject(new Error(err)),
    ),
  );
}

it('tables, containers and the health ping authenticate with a bearer token for Azure Storage, never a key', async () => {
  seen.length = 0;
  const { scopes, error } = await runChild();
  expect(error).toBeUndefined();
  const calls = seen.map((s) => {
    const url = new URL(s.url, base);
    const kind = url.searchParams.get('restype') ?? url.searchParams.get('comp');
    return `${s.method} ${url.pathname}${kind !== null ? ` (${kind})` : ''}`;
  });
  expect(calls.sort()).toEqual(
    [
      'POST /acct-table/Tables', // creates klCustomers
      'PUT /acct-blob/kl-reports (container)',
      'GET /acct-table/Tables', // the ping
      'GET /acct-blob/ (list)', // the ping
    ].sort(),
  );
  for (const s of seen) expect(s.authorization).toBe('Bearer entra-token-1');
  expect(scopes!.length).toBeGreaterThan(0);
  for (const s of scopes!) expect(s).toEqual(['https://storage.azure.com/.default']);
});

it('the credential: the managed identity named by its client ID, else DefaultAzureCredential; one per client ID', () => {
  setStorageCredentialForTests(undefined);
  const clientId = '0f4b8a4e-3c2d-4e5f-9a1b-2c3d4e5f6a7b';
  const identity = { kind: 'identity' as const, tableEndpoint: 'https://a', blobEndpoint: 'https://b' };
  const mi = storageCredential({ ...identity, managedIdentityClientId: clientId });
  expect(mi).toBeInstanceOf(ManagedIdentityCredential);
  expect(storageCredential({ ...identity, managedIdentityClientId: clientId })).toBe(mi);
  const fallback = storageCredential(identity);
  expect(fallback).toBeInstanceOf(DefaultAzureCredential);
  expect(fallback).not.toBe(mi);
});
