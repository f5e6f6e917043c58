// Tests for addin/flows/apiClient.ts retries: which failures are retried, with the same idempotency key, and the
// wait for a request that is still running (409 idempotency_in_progress) until its answer is replayed.
import { ApiClientError, createHttpApiClient, devTokenProvider } from '../../../addin/flows/apiClient';

const OK = { results: [{ key: 'E1', status: 'created', etag: 'W/"1"' }] };

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

const inProgress = () =>
  json(409, {
    error: { code: 'idempotency_in_progress', message: 'A request with this Idempotency-Key is still running.' },
  });

/** A fetch that answers from a script, recording the idempotency key of every call. */
function scripted(answers: (() => Response | Promise<Response>)[]) {
  const keys: (string | undefined)[] = [];
  const fetch = (async (_url: string, init?: RequestInit) => {
    keys.push((init?.headers as Record<string, string>)['Idempotency-Key']);
    const next = answers.shift();
    if (next === undefined) throw new Error('no more scripted answers');
    return next();
  }) as typeof globalThis.fetch;
  return { fetch, keys };
}

function client(fetch: typeof globalThis.fetch, extra: { inProgressWaitMs?: number; attempts?: number } = {}) {
  return createHttpApiClient({
    baseUrl: 'http://api.test/api',
    tokens: devTokenProvider('t.e.st'),
    fetch,
    retryDelayMs: 1,
    ...extra,
  });
}

async function failure(p: Promise<unknown>): Promise<ApiClientError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiClientError);
    return e as ApiClientError;
  }
  throw new Error('expected the call to fail');
}

const row = [{ expenseId: 'E1' }];

it('waits while the same request is still running and returns its replayed answer', async () => {
  const s = scripted([inProgress, inProgress, inProgress, () => json(200, OK)]);
  await expect(client(s.fetch).putRows('expenses', row, 'key-1')).resolves.toEqual(OK);
  expect(s.keys).toEqual(['key-1', 'key-1', 'key-1', 'key-1']);
});

it('gives up on a request still running after the wait, saying so', async () => {
  const s = scripted(Array.from({ length: 1000 }, () => inProgress));
  const err = await failure(client(s.fetch, { inProgressWaitMs: 40 }).putRows('expenses', row, 'key-2'));
  expect(err.status).toBe(409);
  expect(err.code).toBe('idempotency_in_progress');
  expect(s.keys.length).toBeGreaterThan(2);
  expect(s.keys.length).toBeLessThan(1000);
});

it('retries network failures and 5xx with the same key, at most `attempts` times', async () => {
  const down = scripted([
    () => Promise.reject(new TypeError('fetch failed')),
    () => json(503, { error: { code: 'storage_unavailable', message: 'Storage is not answering.' } }),
    () => json(200, OK),
  ]);
  await expect(client(down.fetch).putRows('expenses', row, 'key-3')).resolves.toEqual(OK);
  expect(down.keys).toEqual(['key-3', 'key-3', 'key-3']);

  const stays = scripted(
    Array.from({ length: 5 }, () => () => json(500, { error: { code: 'internal', message: 'x' } })),
  );
  const err = await failure(client(stays.fetch).putRows('expenses', row, 'key-4'));
  expect(err.code).toBe('internal');
  expect(stays.keys).toHaveLength(3);
});

it('does not retry the request’s own mistakes', async () => {
  for (const [status, code] of [
    [400, 'validation_failed'],
    [403, 'forbidden'],
    [422, 'idempotency_mismatch'],
  ] as const) {
    const s = scripted([() => json(status, { error: { code, message: `no: ${code}` } }), () => json(200, OK)]);
    const err = await failure(client(s.fetch).putRows('expenses', row, 'key-5'));
    expect([err.status, err.code]).toEqual([status, code]);
    expect(s.keys).toHaveLength(1);
  }
});

describe('v1.1 decisions and the review queue', () => {
  /** A fetch that records method, URL and body and answers with `body`. */
  function recording(body: unknown) {
    const calls: { method: string; url: string; body: unknown }[] = [];
    const fetch = ((url: string, init?: RequestInit) => {
      calls.push({
        method: init?.method ?? 'GET',
        url,
        body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      });
      return Promise.resolve(json(200, body));
    }) as typeof globalThis.fetch;
    return { fetch, calls };
  }

  it('approve sends each key with the etag seen, and nothing else', async () => {
    const r = recording({ results: [{ key: 'K1', status: 'changed', etag: 'W/"2"' }] });
    const res = await client(r.fetch).approve('contracts', [{ key: 'K1', etag: 'W/"1"' }]);
    expect(r.calls).toEqual([
      {
        method: 'POST',
        url: 'http://api.test/api/ledgers/contracts/approvals',
        body: { rows: [{ key: 'K1', etag: 'W/"1"' }] },
      },
    ]);
    expect(res.results[0]?.status).toBe('changed');
  });

  it('reject sends key, etag and reason', async () => {
    const r = recording({ results: [{ key: 'K1', status: 'rejected', etag: 'W/"3"' }] });
    await client(r.fetch).reject('contracts', [{ key: 'K1', etag: 'W/"1"', reason: 'wrong customer' }]);
    expect(r.calls[0]).toEqual({
      method: 'POST',
      url: 'http://api.test/api/ledgers/contracts/rejections',
      body: { rows: [{ key: 'K1', etag: 'W/"1"', reason: 'wrong customer' }] },
    });
  });

  it('pending asks with the filters given and leaves the others out', async () => {
    const r = recording({ rows: [], continuationToken: null });
    await client(r.fetch).pending({ ledger: 'orderLines', changedBy: 'erin', pageSize: 100, continuationToken: 'a b' });
    await client(r.fetch).pending({ changedBy: '' });
    expect(r.calls.map((c) => [c.method, c.url])).toEqual([
      [
        'GET',
        'http://api.test/api/approvals/pending?ledger=orderLines&changedBy=erin&pageSize=100&continuationToken=a+b',
      ],
      ['GET', 'http://api.test/api/approvals/pending'],
    ]);
  });

  it('an answer that is not the v1.1 shape is a bad_response, not a silent success', async () => {
    const r = recording({ results: [{ key: 'K1', status: 'maybe' }] });
    const err = await failure(client(r.fetch).approve('contracts', [{ key: 'K1', etag: 'W/"1"' }]));
    expect(err.code).toBe('bad_response');
  });
});
