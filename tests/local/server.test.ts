// Tests for local/server.ts over real HTTP: routing, request/response fidelity, errors, limits and CORS.
import { Readable } from 'node:stream';
import type { HttpRequest } from '@azure/functions';
import { setConfigForTests } from '../../functions/src/config';
import { startApiHost, type ApiHost } from '../../local/server';
import { ApiError } from '../../functions/src/http/errors';
import type { Route } from '../../functions/src/http/route';
import { routes as appRoutes } from '../../functions/src/routes';
import { useTestConfig } from '../support/azurite';

const ORIGIN = 'https://localhost:3000';
let seen: HttpRequest | undefined;

const testRoutes: Route[] = [
  ...appRoutes,
  {
    name: 'echo',
    methods: ['POST', 'PUT'],
    route: 'echo/{ledger}/{key}',
    handler: async (req, ctx) => {
      seen = req;
      const body = await req.text();
      return {
        status: 201,
        jsonBody: {
          params: req.params,
          query: req.query.getAll('q'),
          body,
          method: req.method,
          fn: ctx.functionName,
          auth: req.headers.get('authorization'),
        },
      };
    },
  },
  {
    name: 'getEcho',
    methods: ['GET'],
    route: 'echo/{ledger}/{key}',
    handler: () => Promise.resolve({ body: 'got it', headers: { 'Content-Type': 'text/plain', ETag: 'W/"1"' } }),
  },
  {
    name: 'bytes',
    methods: ['GET'],
    route: 'bytes',
    handler: () =>
      Promise.resolve({
        body: new Uint8Array([0, 1, 2, 255]),
        headers: { 'Content-Type': 'application/octet-stream' },
      }),
  },
  {
    name: 'stream',
    methods: ['GET'],
    route: 'stream',
    handler: () => Promise.resolve({ body: Readable.from(['a', 'b', 'c']) }),
  },
  { name: 'empty', methods: ['DELETE'], route: 'empty', handler: () => Promise.resolve({ status: 204 }) },
  {
    name: 'jsonHeaders',
    methods: ['GET'],
    route: 'json/{kind}',
    handler: (req) =>
      Promise.resolve(
        req.params.kind === 'typed'
          ? {
              status: 202,
              jsonBody: { name: 'Zoë – 北京', amount: '1.00' },
              headers: { 'Content-Type': 'application/problem+json', ETag: 'W/"7"' },
            }
          : req.params.kind === 'nobody'
            ? { status: 204, jsonBody: { ignored: true } }
            : { jsonBody: [1, 'two', null] },
      ),
  },
  {
    name: 'boom',
    methods: ['GET'],
    route: 'boom',
    handler: () => Promise.reject(new Error('secret database password in message')),
  },
  {
    name: 'teapot',
    methods: ['GET'],
    route: 'teapot',
    handler: () => Promise.reject(new ApiError(418, 'teapot', 'I am a teapot.', [{ field: 'x', message: 'y' }])),
  },
];

describe('local API host', () => {
  let host: ApiHost;
  let errorSpy: jest.SpyInstance;

  beforeAll(async () => {
    useTestConfig();
    host = await startApiHost({ port: 0, routes: testRoutes, bodyLimit: 1024 });
  });
  afterAll(async () => {
    await host.close();
    setConfigForTests(undefined);
  });
  beforeEach(() => (errorSpy = jest.spyOn(console, 'error').mockImplementation(() => undefined)));
  afterEach(() => errorSpy.mockRestore());

  it('serves the app route table: health is 200 against Azurite', async () => {
    const res = await fetch(`${host.url}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ status: 'ok', storage: 'ok' });
  });

  it('hands handlers a real HttpRequest: method, decoded params, repeated query, headers, body', async () => {
    const res = await fetch(`${host.url}/echo/orderLines/CA-1~3?q=1&q=2`, {
      method: 'PUT',
      headers: { Authorization: 'Bearer abc', 'Content-Type': 'application/json' },
      body: '{"rows":[]}',
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({
      params: { ledger: 'orderLines', key: 'CA-1~3' },
      query: ['1', '2'],
      body: '{"rows":[]}',
      method: 'PUT',
      fn: 'echo',
      auth: 'Bearer abc',
    });
    expect(seen?.url).toBe(`${host.url}/echo/orderLines/CA-1~3?q=1&q=2`);
  });

  it('routes the same path by method and writes headers, text, bytes and streams back', async () => {
    const text = await fetch(`${host.url}/echo/a/b`);
    expect(text.status).toBe(200);
    expect(text.headers.get('etag')).toBe('W/"1"');
    expect(await text.text()).toBe('got it');
    const bytes = await fetch(`${host.url}/bytes`);
    expect([...new Uint8Array(await bytes.arrayBuffer())]).toEqual([0, 1, 2, 255]);
    expect(await (await fetch(`${host.url}/stream`)).text()).toBe('abc');
    const empty = await fetch(`${host.url}/empty`, { method: 'DELETE' });
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe('');
  });

  it('writes JSON answers with an exact Content-Length, the handler headers and UTF-8 text', async () => {
    const typed = await fetch(`${host.url}/json/typed`);
    expect(typed.status).toBe(202);
    expect(typed.headers.get('content-type')).toBe('application/problem+json');
    expect(typed.headers.get('etag')).toBe('W/"7"');
    const raw = Buffer.from(await typed.arrayBuffer());
    expect(typed.headers.get('content-length')).toBe(String(raw.length));
    expect(JSON.parse(raw.toString('utf8'))).toEqual({ name: 'Zoë – 北京', amount: '1.00' });
    const plain = await fetch(`${host.url}/json/plain`);
    expect(plain.headers.get('content-type')).toBe('application/json');
    expect(await plain.json()).toEqual([1, 'two', null]);
    // A null-body status drops the JSON, as Azure's HttpResponse does.
    const none = await fetch(`${host.url}/json/nobody`);
    expect(none.status).toBe(204);
    expect(await none.text()).toBe('');
  });

  it('answers 404 JSON for unknown routes, and 405 with Allow for a known path with another method', async () => {
    const nf = await fetch(`${host.url}/nowhere`);
    expect(nf.status).toBe(404);
    expect(await nf.json()).toEqual({
      error: { code: 'not_found', message: 'No route for GET /api/nowhere.', details: [] },
    });
    const outside = await fetch(host.url.replace('/api', '/health'));
    expect(outside.status).toBe(404);
    expect(((await outside.json()) as { error: { code: string } }).error.code).toBe('not_found');
    const na = await fetch(`${host.url}/echo/a/b`, { method: 'DELETE' });
    expect(na.status).toBe(405);
    expect(na.headers.get('allow')?.split(', ').sort()).toEqual(['GET', 'POST', 'PUT']);
    expect(((await na.json()) as { error: { code: string } }).error.code).toBe('method_not_allowed');
  });

  it('turns a handler throw into a generic 500 and logs the cause', async () => {
    const res = await fetch(`${host.url}/boom`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({
      error: { code: 'internal', message: 'An internal error occurred. It has been logged.', details: [] },
    });
    expect(text).not.toMatch(/secret|at |\.ts/);
    expect(errorSpy).toHaveBeenCalled();
    const logged = (errorSpy.mock.calls as unknown[][]).flat().filter((a): a is Error => a instanceof Error);
    expect(logged.map((e) => e.message)).toContain('secret database password in message');
  });

  it('passes ApiErrors through with their status and details', async () => {
    const res = await fetch(`${host.url}/teapot`);
    expect(res.status).toBe(418);
    expect(await res.json()).toEqual({
      error: { code: 'teapot', message: 'I am a teapot.', details: [{ field: 'x', message: 'y' }] },
    });
  });

  it('refuses bodies over the limit with 413 and never calls the handler', async () => {
    seen = undefined;
    const res = await fetch(`${host.url}/echo/a/b`, { method: 'POST', body: 'x'.repeat(2048) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    expect(seen).toBeUndefined();
    const ok = await fetch(`${host.url}/echo/a/b`, { method: 'POST', body: 'x'.repeat(1024) });
    expect(ok.status).toBe(201);
  });

  it('answers CORS preflight only for the configured origin and the route methods', async () => {
    const pre = (origin: string, method: string, path = '/echo/a/b') =>
      fetch(`${host.url}${path}`, {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': method,
          'Access-Control-Request-Headers': 'authorization',
        },
      });
    const ok = await pre(ORIGIN, 'PUT');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(ok.headers.get('access-control-allow-methods')).toBe('POST, PUT');
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    // Same path, other route: the GET route answers for GET.
    expect((await pre(ORIGIN, 'GET')).headers.get('access-control-allow-methods')).toBe('GET');
    const evil = await pre('https://evil.example', 'PUT');
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    expect(((await evil.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    const wrongMethod = await pre(ORIGIN, 'DELETE');
    expect(wrongMethod.status).toBe(405);
  });

  it('adds CORS headers to answers for the configured origin only, errors included', async () => {
    const mine = await fetch(`${host.url}/boom`, { headers: { Origin: ORIGIN } });
    expect(mine.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(mine.headers.get('vary')).toBe('Origin');
    const theirs = await fetch(`${host.url}/health`, { headers: { Origin: 'https://evil.example' } });
    expect(theirs.status).toBe(200);
    expect(theirs.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses two routes with one name', async () => {
    await expect(
      startApiHost({
        port: 0,
        routes: [testRoutes.find((r) => r.name === 'echo')!, testRoutes.find((r) => r.name === 'echo')!],
      }),
    ).rejects.toThrow(/Two routes are named echo/);
  });
});
