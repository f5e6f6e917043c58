// Tests for POST /api/ledgers/{ledger}/approvals: four-eyes rule, statuses, effective versions and the hook.
import type { ApprovalsResponse } from '../../../shared/api';
import { setConfigForTests } from '../../../functions/src/config';
import { approveLedgerRowsRoute } from '../../../functions/src/functions/approveLedgerRows';
import { onVersionEffective, type EffectiveVersionEvent } from '../../../functions/src/services/effectiveVersions';
import * as ledgerStore from '../../../functions/src/store/ledgerStore';
import { readHistory, readRow } from '../../../functions/src/store/ledgerStore';
import { ADMIN, CLERK, ledgerApi, REVIEWER, type LedgerApi } from '../../support/ledgerApi';
import { getRow, put, seedParents } from '../../support/ledgerFixtures';

let api: LedgerApi;
const MAKER_REVIEWER = { id: 'mo.both', roles: ['clerk' as const, 'reviewer' as const] };
const REVIEWER2 = { id: 'rob.reviewer', roles: ['reviewer' as const] };

beforeAll(async () => {
  api = ledgerApi();
  await seedParents(api);
});
afterAll(() => setConfigForTests(undefined));

async function approve(ledger: string, keys: unknown, user = REVIEWER) {
  return api.call(approveLedgerRowsRoute, { params: { ledger }, body: { keys }, user });
}
async function approveOk(ledger: string, keys: string[], user = REVIEWER): Promise<ApprovalsResponse['results']> {
  const res = await approve(ledger, keys, user);
  expect(res.status).toBe(200);
  return (res.jsonBody as ApprovalsResponse).results;
}

it('refuses the maker as approver (self) and leaves the row pending; another reviewer approves it', async () => {
  await put(api, 'customers', [{ customerId: 'A1', name: 'Mine', region: 'East' }], { user: MAKER_REVIEWER });
  expect(await approveOk('customers', ['A1'], MAKER_REVIEWER)).toEqual([
    { key: 'A1', status: 'self', etag: expect.any(String) as string },
  ]);
  expect((await getRow(api, 'customers', 'A1'))?.approval.status).toBe('pending');
  expect((await readRow('customers', 'A1'))?.approved).toBeUndefined();

  const [r] = await approveOk('customers', ['A1']);
  expect(r).toMatchObject({ key: 'A1', status: 'approved', version: 1 });
  const row = await getRow(api, 'customers', 'A1');
  expect(row?.etag).toBe(r?.etag);
  expect(row?.approval).toMatchObject({
    status: 'approved',
    changedBy: MAKER_REVIEWER.id,
    approvedBy: REVIEWER.id,
    approvedAt: expect.any(String) as string,
  });
  expect((await readRow('customers', 'A1'))?.approved).toEqual({ customerId: 'A1', name: 'Mine', region: 'East' });
});

it('reports alreadyApproved and notFound, for plain and compound keys, in request order', async () => {
  await put(api, 'customers', [{ customerId: 'A2', name: 'Two', region: 'East' }]);
  await approveOk('customers', ['A2']);
  expect((await approveOk('customers', ['A2', 'NOPE', 'bad/key'])).map((r) => [r.key, r.status])).toEqual([
    ['A2', 'alreadyApproved'],
    ['NOPE', 'notFound'],
    ['bad/key', 'notFound'],
  ]);
  expect((await approveOk('orderLines', ['K1~1', 'K1~77', 'K1'])).map((r) => r.status)).toEqual([
    'approved',
    'notFound',
    'notFound',
  ]);
});

it('keeps the approved version in effect while a change is pending, then switches and tells the hook', async () => {
  const events: EffectiveVersionEvent[] = [];
  const off = onVersionEffective((batch) => void events.push(...batch));
  try {
    const [c] = await put(api, 'customers', [{ customerId: 'A3', name: 'Before', region: 'East' }]);
    const [a] = await approveOk('customers', ['A3']);
    expect(events).toEqual([
      expect.objectContaining({
        ledger: 'customers',
        key: 'A3',
        version: 1,
        before: undefined,
        after: { customerId: 'A3', name: 'Before', region: 'East' },
      }),
    ]);
    expect(a?.etag).not.toBe(c?.etag);

    const [u] = await put(api, 'customers', [{ customerId: 'A3', name: 'After', region: 'East', etag: a?.etag }]);
    expect(u?.status).toBe('updated');
    const pending = await readRow('customers', 'A3');
    expect(pending?.approved).toMatchObject({ name: 'Before' });
    expect(pending?.latest).toMatchObject({ name: 'After' });
    expect(await getRow(api, 'customers', 'A3')).toMatchObject({
      name: 'After',
      approval: { status: 'pending', changedBy: CLERK.id, approvedBy: null },
    });

    const [a2] = await approveOk('customers', ['A3'], ADMIN);
    expect(a2).toMatchObject({ status: 'approved', version: 3 });
    expect(events[1]).toMatchObject({
      key: 'A3',
      version: 3,
      before: { name: 'Before' },
      after: { name: 'After' },
      approvedBy: ADMIN.id,
    });
    const effective = await readRow('customers', 'A3');
    expect(effective?.approved).toMatchObject({ name: 'After' });
    expect(effective?.pendingVersion).toBeUndefined();
  } finally {
    off();
  }
});

it('approves once when two reviewers approve at the same time', async () => {
  await put(api, 'customers', [{ customerId: 'A4', name: 'Race', region: 'East' }]);
  const [a, b] = await Promise.all([approveOk('customers', ['A4']), approveOk('customers', ['A4'], REVIEWER2)]);
  expect([a[0]?.status, b[0]?.status].sort()).toEqual(['alreadyApproved', 'approved']);
  expect((await readHistory('customers', 'A4')).map((h) => h.action)).toEqual(['created', 'approved']);
});

it('never approves silently a version written while the approval ran', async () => {
  const [c] = await put(api, 'customers', [{ customerId: 'A5', name: 'Seen', region: 'East' }]);
  const realCommit = ledgerStore.commitWrites;
  // A clerk edits the row between the approval's read and its write.
  const spy = jest.spyOn(ledgerStore, 'commitWrites').mockImplementationOnce(async (...args) => {
    await put(api, 'customers', [{ customerId: 'A5', name: 'Unseen', region: 'East', etag: c?.etag }]);
    return realCommit(...args);
  });
  try {
    const [r] = await approveOk('customers', ['A5']);
    expect(r).toMatchObject({ key: 'A5', status: 'approved', version: 2, concurrentChange: true });
    expect((await readRow('customers', 'A5'))?.approved).toMatchObject({ name: 'Unseen' });
    expect((await readHistory('customers', 'A5')).map((h) => [h.action, h.approvedVersion])).toEqual([
      ['created', undefined],
      ['updated', undefined],
      ['approved', 2],
    ]);
  } finally {
    spy.mockRestore();
  }
});

it('approves many keys across partitions in one request', async () => {
  const rows = Array.from({ length: 300 }, (_, i) => ({ customerId: `MANY-${i}`, name: 'n', region: 'r' }));
  await put(api, 'customers', rows);
  const results = await approveOk(
    'customers',
    rows.map((r) => r.customerId),
  );
  expect(results.every((r) => r.status === 'approved')).toBe(true);
  expect((await readRow('customers', 'MANY-123'))?.approvedVersion).toBe(1);
});

it('answers 403 to clerks, 401 without a token, 400 for a bad body, 404 for an unknown ledger', async () => {
  expect((await approve('customers', ['A1'], CLERK)).status).toBe(403);
  expect(
    (await api.call(approveLedgerRowsRoute, { params: { ledger: 'customers' }, body: { keys: ['A1'] }, user: null }))
      .status,
  ).toBe(401);
  expect((await approve('customers', [])).status).toBe(400);
  expect((await approve('customers', 'A1')).status).toBe(400);
  expect(
    (
      await approve(
        'customers',
        Array.from({ length: 5001 }, (_, i) => `K${i}`),
      )
    ).status,
  ).toBe(400);
  expect((await approve('widgets', ['A1'])).status).toBe(404);
});
