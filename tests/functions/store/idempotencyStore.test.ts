// Tests for Idempotency-Key handling: the store's claims and expiry, and replay through PUT /api/ledgers/{ledger}.
import { randomBytes } from 'node:crypto';
import { setConfigForTests } from '../../../functions/src/config';
import { putLedgerRowsRoute } from '../../../functions/src/functions/putLedgerRows';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  IDEMPOTENCY_TTL_MS,
  releaseIdempotencyKey,
  STALE_CLAIM_MS,
} from '../../../functions/src/store/idempotencyStore';
import { tableClient } from '../../../functions/src/store/client';
import { readHistory } from '../../../functions/src/store/ledgerStore';
import { CLERK2, ledgerApi, type LedgerApi } from '../../support/ledgerApi';
import { getRow } from '../../support/ledgerFixtures';

let api: LedgerApi;

beforeAll(() => {
  api = ledgerApi();
});
afterAll(() => setConfigForTests(undefined));

const putWithKey = (key: string, rows: unknown[], user = CLERK2) =>
  api.call(putLedgerRowsRoute, {
    params: { ledger: 'customers' },
    body: { rows },
    headers: { 'idempotency-key': key },
    user,
  });

describe('through PUT', () => {
  it('replays the first response and changes nothing, even when the rows changed meanwhile', async () => {
    const rows = [{ customerId: 'I1', name: 'First', region: 'East' }];
    const first = await putWithKey('key-1', rows);
    expect(first.status).toBe(200);
    expect(first.jsonBody).toMatchObject({ results: [{ key: 'I1', status: 'created' }] });
    const etag = (first.jsonBody as { results: { etag: string }[] }).results[0]?.etag;
    await api.call(putLedgerRowsRoute, {
      params: { ledger: 'customers' },
      body: { rows: [{ ...rows[0], name: 'Edited', etag }] },
    });
    const replay = await putWithKey('key-1', rows);
    expect(replay.status).toBe(200);
    expect(replay.jsonBody).toEqual(first.jsonBody);
    expect(new Headers(replay.headers as Record<string, string>).get('idempotency-replayed')).toBe('true');
    expect((await getRow(api, 'customers', 'I1'))?.name).toBe('Edited');
    expect((await readHistory('customers', 'I1')).map((h) => h.action)).toEqual(['created', 'updated']);
  });

  it('answers 422 for the same key with another body, and stores nothing of it', async () => {
    await putWithKey('key-2', [{ customerId: 'I2', name: 'A', region: 'East' }]);
    const other = await putWithKey('key-2', [{ customerId: 'I2b', name: 'B', region: 'East' }]);
    expect(other.status).toBe(422);
    expect(other.jsonBody).toMatchObject({ error: { code: 'idempotency_mismatch' } });
    expect(await getRow(api, 'customers', 'I2b')).toBeUndefined();
  });

  it('keeps keys apart per user and per ledger', async () => {
    const rows = [{ customerId: 'I3', name: 'A', region: 'East' }];
    expect((await putWithKey('key-3', rows)).status).toBe(200);
    const otherUser = await api.call(putLedgerRowsRoute, {
      params: { ledger: 'customers' },
      body: { rows },
      headers: { 'idempotency-key': 'key-3' },
    });
    expect(otherUser.jsonBody).toMatchObject({ results: [{ status: 'unchanged' }] });
    const otherLedger = await api.call(putLedgerRowsRoute, {
      params: { ledger: 'salespeople' },
      body: { rows: [{ salespersonId: 'I3', name: 'A', region: 'East' }] },
      headers: { 'idempotency-key': 'key-3' },
      user: CLERK2,
    });
    expect(otherLedger.status).toBe(422);
  });

  it('lets only one of two simultaneous identical requests write', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({ customerId: `I4-${i}`, name: 'A', region: 'East' }));
    const [a, b] = await Promise.all([putWithKey('key-4', rows), putWithKey('key-4', rows)]);
    const statuses = [a.status, b.status].sort();
    // The second either waited for nothing (409, still running) or came after the first finished (replay, 200).
    expect(statuses[0]).toBe(200);
    expect([200, 409]).toContain(statuses[1]);
    const created = [a, b]
      .filter((r) => r.status === 200)
      .flatMap((r) => (r.jsonBody as { results: { status: string }[] }).results);
    expect(created.every((r) => r.status === 'created')).toBe(true);
    expect(await readHistory('customers', 'I4-7')).toHaveLength(1);
  });

  it('answers 400 for a key over 255 characters or empty, storing nothing', async () => {
    for (const key of ['k'.repeat(256), '']) {
      const res = await putWithKey(key, [{ customerId: 'I5', name: 'A', region: 'East' }]);
      expect(res.status).toBe(400);
      expect(res.jsonBody).toMatchObject({ error: { details: [{ field: 'headers.Idempotency-Key' }] } });
    }
    expect(await getRow(api, 'customers', 'I5')).toBeUndefined();
    expect((await putWithKey('k'.repeat(255), [{ customerId: 'I5', name: 'A', region: 'East' }])).status).toBe(200);
  });
});

describe('store', () => {
  it('replays large responses that span several entities', async () => {
    const claim = await claimIdempotencyKey('u', 'big', 'h1');
    expect(claim.kind).toBe('claimed');
    // Random text compresses poorly: well over one entity's 640 KiB of pieces, so part entities are needed.
    const body = { blob: randomBytes(1_200_000).toString('base64') };
    await completeIdempotencyKey('u', 'big', claim.kind === 'claimed' ? claim.etag : '', 'h1', 200, body);
    const replay = await claimIdempotencyKey('u', 'big', 'h1');
    expect(replay).toEqual({ kind: 'replay', status: 200, body });
    const raw = await (
      await tableClient('idempotency')
    )
      .listEntities({ queryOptions: { filter: "RowKey ge '0'" } })
      .byPage()
      .next();
    expect((raw.value as { rowKey: string }[]).some((e) => e.rowKey.includes('|p1'))).toBe(true);
  });

  it('reports a running request, and lets a key be reused after a release, expiry or a stale claim', async () => {
    const t0 = new Date('2030-01-01T00:00:00Z');
    const first = await claimIdempotencyKey('u', 'k', 'h', t0);
    expect(first.kind).toBe('claimed');
    expect(await claimIdempotencyKey('u', 'k', 'h', t0)).toEqual({ kind: 'inProgress' });
    expect(await claimIdempotencyKey('u', 'k', 'other', t0)).toEqual({ kind: 'mismatch' });
    // A claim abandoned by a dead process is taken over after STALE_CLAIM_MS.
    const taken = await claimIdempotencyKey('u', 'k', 'other', new Date(t0.getTime() + STALE_CLAIM_MS + 1));
    expect(taken.kind).toBe('claimed');
    await releaseIdempotencyKey('u', 'k', taken.kind === 'claimed' ? taken.etag : '');
    const again = await claimIdempotencyKey('u', 'k', 'h', t0);
    expect(again.kind).toBe('claimed');
    await completeIdempotencyKey('u', 'k', again.kind === 'claimed' ? again.etag : '', 'h', 200, { ok: 1 }, t0);
    expect(await claimIdempotencyKey('u', 'k', 'other', new Date(t0.getTime() + IDEMPOTENCY_TTL_MS - 1000))).toEqual({
      kind: 'mismatch',
    });
    // After 24 h the record is expired: the key is free for a new request.
    const later = await claimIdempotencyKey('u', 'k', 'other', new Date(t0.getTime() + IDEMPOTENCY_TTL_MS + 1));
    expect(later.kind).toBe('claimed');
  });
});
