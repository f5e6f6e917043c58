// Fault: storage stops in the middle of a 20,000-row publish and comes back; the add-in's retry with the same
// idempotency keys stores every row exactly once, and requests during the outage get clean 5xx answers, not hangs.
import type { PutRowsResponse, RowResult } from '../../../shared/api';
import type { LedgerName } from '../../../shared/ledgers';
import { chunkRows, idempotencyKey } from '../../../addin/flows/publish';
import { setConfigForTests } from '../../../functions/src/config';
import { startApiHost, type ApiHost } from '../../../local/server';
import {
  claimIdempotencyKey,
  CLAIM_RENEW_MS,
  holdIdempotencyClaim,
  STALE_CLAIM_MS,
} from '../../../functions/src/store/idempotencyStore';
import { ledgerApi, CLERK } from '../../support/ledgerApi';
import { uniqueTablePrefix } from '../../support/azurite';
import {
  call,
  expectCleanErrorBody,
  ownAzurite,
  readAllRows,
  sleep,
  storedHistoryActions,
  type Answer,
  type OwnAzurite,
} from './support';

jest.setTimeout(120_000);

const CHUNK_ROWS = 2_500;
/** Every request is bounded: an outage must produce an answer, never a hang. */
const REQUEST_TIMEOUT_MS = 30_000;

/** 20,000 rows over four ledgers, parents first, as a workbook would publish them. */
function dataset(): { ledger: LedgerName; rows: Record<string, unknown>[] }[] {
  // Order lines are partitioned by contract: 25 lines per contract keeps their transactions full, like real orders.
  const customers = Array.from({ length: 3_000 }, (_, i) => ({
    customerId: `CU${i}`,
    name: `Customer ${i}`,
    region: ['East', 'West', 'North', 'South'][i % 4],
  }));
  const salespeople = Array.from({ length: 10 }, (_, i) => ({
    salespersonId: `SP${i}`,
    name: `Seller ${i}`,
    region: 'East',
  }));
  const contracts = Array.from({ length: 4_990 }, (_, i) => ({
    contractId: `K${i}`,
    customerId: `CU${i % 3_000}`,
    salespersonId: `SP${i % 10}`,
    region: 'East',
    signedOn: `2016-${String((i % 12) + 1).padStart(2, '0')}-15`,
  }));
  const orderLines = Array.from({ length: 12_000 }, (_, i) => ({
    contractId: `K${Math.floor(i / 25)}`,
    lineNo: (i % 25) + 1,
    itemCode: `IT${i % 7}`,
    quantity: (i % 9) + 1,
    unitPrice: `${(i % 500) + 1}.25`,
  }));
  return [
    { ledger: 'customers', rows: customers },
    { ledger: 'salespeople', rows: salespeople },
    { ledger: 'contracts', rows: contracts },
    { ledger: 'orderLines', rows: orderLines },
  ];
}

interface Chunk {
  ledger: LedgerName;
  rows: Record<string, unknown>[];
  key: string;
}

const keyField: Record<string, (r: Record<string, unknown>) => string> = {
  customers: (r) => String(r.customerId),
  salespeople: (r) => String(r.salespersonId),
  contracts: (r) => String(r.contractId),
  orderLines: (r) => `${String(r.contractId)}~${String(r.lineNo)}`,
};

describe('storage stopped in the middle of a 20,000-row publish', () => {
  let storage: OwnAzurite;
  let host: ApiHost;
  let token: string;

  beforeAll(async () => {
    // The host logs every storage failure of the outage with the SDK's full error; the assertions are on the
    // answers, so keep the run's output readable.
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    storage = await ownAzurite();
    const api = ledgerApi({
      LEDGERDESK_STORAGE_CONNECTION: storage.current.connectionString,
      LEDGERDESK_TABLE_PREFIX: uniqueTablePrefix(),
    });
    token = await api.token(CLERK.id, CLERK.roles);
    host = await startApiHost({ port: 0 });
  });
  afterAll(async () => {
    await host?.close();
    await storage?.dispose();
    setConfigForTests(undefined);
    jest.restoreAllMocks();
  });

  it('ends with every row stored exactly once after the retry with the same keys', async () => {
    const data = dataset();
    expect(data.reduce((n, d) => n + d.rows.length, 0)).toBe(20_000);
    // The add-in's own chunking and key scheme: a key names the ledger, the exact body and the run.
    const runId = 'fault-run-1';
    const chunks: Chunk[] = data.flatMap(({ ledger, rows }) =>
      chunkRows(rows, (r) => JSON.stringify(r).length, CHUNK_ROWS, 2_000_000).map((c) => ({
        ledger,
        rows: c,
        key: idempotencyKey(ledger, JSON.stringify(c), runId),
      })),
    );
    expect(chunks.length).toBe(10);
    const put = (c: Chunk): Promise<Answer<PutRowsResponse>> =>
      call<PutRowsResponse>(`${host.url}/ledgers/${c.ledger}`, {
        method: 'PUT',
        token,
        body: { rows: c.rows },
        headers: { 'Idempotency-Key': c.key },
        timeoutMs: REQUEST_TIMEOUT_MS,
      });

    // The first response that succeeded, per chunk: what every later replay must repeat.
    const first = new Map<number, Answer<PutRowsResponse>>();
    // Pass 1: publish until storage goes away. Chunk 4 (the second contracts chunk) is cut off part-way: storage
    // is stopped once it has run for about half as long as the chunk before it (the same size) took.
    const interrupted = 4;
    for (let i = 0; i < interrupted; i++) {
      const res = await put(chunks[i] as Chunk);
      expect(res.status).toBe(200);
      expect(res.headers.get('idempotency-replayed')).toBeNull();
      first.set(i, res);
    }
    const previousMs = (first.get(interrupted - 1) as Answer).ms;
    const cut = put(chunks[interrupted] as Chunk);
    await sleep(Math.max(50, previousMs * 0.5));
    await storage.stop();
    // During the outage: every kind of request answers within its bound with a clean error body (sent while the
    // interrupted request is still failing, so both outlast the same SDK retries).
    const [cutAnswer, ...during] = await Promise.all([
      cut,
      call(`${host.url}/health`, { timeoutMs: REQUEST_TIMEOUT_MS }),
      put(chunks[interrupted + 1] as Chunk),
      call(`${host.url}/ledgers/customers?region=East`, { token, timeoutMs: REQUEST_TIMEOUT_MS }),
      call(`${host.url}/ledgers/customers/CU1`, { token, timeoutMs: REQUEST_TIMEOUT_MS }),
      call(`${host.url}/stats?period=month&from=2016-01-01&to=2016-12-31&groupBy=region`, {
        token,
        timeoutMs: REQUEST_TIMEOUT_MS,
      }),
    ]);
    // Whatever the interrupted request managed, its client saw a clean failure, not a hang or a success it lost.
    expect(cutAnswer.status).toBeGreaterThanOrEqual(500);
    expectCleanErrorBody(cutAnswer.body);
    expect(during[0]?.status).toBe(503);
    for (const res of during) {
      expect(res.status).toBeGreaterThanOrEqual(500);
      expectCleanErrorBody(res.body);
    }

    await storage.restart();

    // Pass 2: the client publishes again with the same run, so every chunk carries the same key as before. The
    // interrupted request's claim could not be released while storage was down; the API says "retry shortly", so
    // the client does, for a bounded time (the claim goes stale within seconds once nobody renews it).
    const putRetrying = async (c: Chunk): Promise<Answer<PutRowsResponse>> => {
      const deadline = Date.now() + 25_000;
      for (;;) {
        const res = await put(c);
        const code = (res.body as unknown as { error?: { code?: string } }).error?.code;
        if (res.status !== 409 || code !== 'idempotency_in_progress' || Date.now() > deadline) return res;
        await sleep(1_000);
      }
    };
    for (let i = 0; i < chunks.length; i++) {
      const res = await putRetrying(chunks[i] as Chunk);
      expect({ chunk: i, status: res.status, body: res.status === 200 ? 'ok' : res.body }).toEqual({
        chunk: i,
        status: 200,
        body: 'ok',
      });
      const earlier = first.get(i);
      if (earlier === undefined) {
        expect(res.headers.get('idempotency-replayed')).toBeNull();
        first.set(i, res);
      } else {
        // Acknowledged before the outage: replayed verbatim, nothing written again.
        expect(res.headers.get('idempotency-replayed')).toBe('true');
        expect(res.body).toEqual(earlier.body);
      }
    }
    // Pass 3: a further retry of everything replays the first successful answer of each chunk.
    for (let i = 0; i < chunks.length; i++) {
      const res = await put(chunks[i] as Chunk);
      expect(res.status).toBe(200);
      expect(res.headers.get('idempotency-replayed')).toBe('true');
      expect(res.body).toEqual(first.get(i)?.body);
    }

    // Statuses: each row is reported `created` at most once over all first answers; a row reported `unchanged` can
    // only be one the interrupted request had stored before storage went away.
    const createdSeen = new Map<string, number>();
    chunks.forEach((c, i) => {
      const results = (first.get(i)?.body as PutRowsResponse).results;
      expect(results).toHaveLength(c.rows.length);
      results.forEach((r: RowResult, j) => {
        expect(r.key).toBe(keyField[c.ledger]?.(c.rows[j] as Record<string, unknown>));
        if (i === interrupted) expect(['created', 'unchanged']).toContain(r.status);
        else expect(r.status).toBe('created');
        if (r.status === 'created')
          createdSeen.set(`${c.ledger}|${r.key}`, (createdSeen.get(`${c.ledger}|${r.key}`) ?? 0) + 1);
      });
    });
    expect([...createdSeen.values()].every((n) => n === 1)).toBe(true);

    // Storage: every row once, with the published values, and exactly one `created` history entry per row.
    for (const { ledger, rows } of data) {
      const stored = await readAllRows<Record<string, unknown>>(host.url, token, ledger);
      const keyOf = keyField[ledger] as (r: Record<string, unknown>) => string;
      const storedKeys = stored.map(keyOf);
      expect(new Set(storedKeys).size).toBe(storedKeys.length);
      expect(stored.length).toBe(rows.length);
      const byKey = new Map(stored.map((r) => [keyOf(r), r]));
      for (const r of rows) expect(byKey.get(keyOf(r))).toMatchObject({ ...r, approval: { status: 'pending' } });
      const history = await storedHistoryActions(ledger);
      expect(history.size).toBe(rows.length);
      const wrong = [...history].filter(([, actions]) => actions.length !== 1 || actions[0] !== 'created');
      expect(wrong).toEqual([]);
    }
    // And through the API, for rows of the interrupted chunk (the ones at risk).
    for (const r of (chunks[interrupted] as Chunk).rows.filter((_r, j) => j % 250 === 0)) {
      const h = await call<{ entries: { action: string }[] }>(
        `${host.url}/ledgers/contracts/${String(r.contractId)}/history`,
        { token },
      );
      expect(h.status).toBe(200);
      expect(h.body.entries.map((e) => e.action)).toEqual(['created']);
    }
  });

  it('lets a retry take over a claim left by a request that lost storage, but not one still running', async () => {
    // What the interrupted request leaves when storage fails under it: a pending claim nobody releases or renews.
    // Before claims were renewed, such a claim answered "in progress" to every retry for 15 minutes.
    const key = 'left-behind';
    const body = { rows: [{ customerId: 'LEFT1', name: 'Left behind', region: 'East' }] };
    // Twenty seconds old: an outage of that length must not block the retry that follows it.
    expect(STALE_CLAIM_MS).toBeLessThan(20_000);
    const left = await claimIdempotencyKey(CLERK.id, key, 'h', new Date(Date.now() - 20_000));
    expect(left.kind).toBe('claimed');
    const retry = await call<PutRowsResponse>(`${host.url}/ledgers/customers`, {
      method: 'PUT',
      token,
      body,
      headers: { 'Idempotency-Key': key },
    });
    expect(retry.status).toBe(200);
    expect(retry.body.results.map((r) => r.status)).toEqual(['created']);

    // A running request renews its claim, so it is not taken from under it even past the stale age.
    const started = Date.now();
    const running = await claimIdempotencyKey(CLERK.id, 'running', 'h', new Date(started - STALE_CLAIM_MS + 2_000));
    expect(running.kind).toBe('claimed');
    const held = holdIdempotencyClaim(CLERK.id, 'running', running.kind === 'claimed' ? running.etag : '');
    await sleep(CLAIM_RENEW_MS + 1_000);
    const etag = await held.stop();
    expect(etag).not.toBe(running.kind === 'claimed' ? running.etag : '');
    expect(await claimIdempotencyKey(CLERK.id, 'running', 'h', new Date(started + 3_000))).toEqual({
      kind: 'inProgress',
    });
  });
});
