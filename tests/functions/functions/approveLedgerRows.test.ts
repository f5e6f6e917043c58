// Tests for API v1.1 decisions: POST …/approvals and …/rejections name the version seen (etag); four-eyes rule,
// statuses, effective versions and the hook, history, the parent-before-child rule, and the approve/edit race.
import type { ApprovalsResponse, ReadRow, RejectionsResponse } from '../../../shared/api';
import { setConfigForTests } from '../../../functions/src/config';
import { approveLedgerRowsRoute } from '../../../functions/src/functions/approveLedgerRows';
import { rejectLedgerRowsRoute } from '../../../functions/src/functions/rejectLedgerRows';
import { getLedgerRowHistoryRoute } from '../../../functions/src/functions/getLedgerRowHistory';
import { onVersionEffective, type EffectiveVersionEvent } from '../../../functions/src/services/effectiveVersions';
import * as ledgerStore from '../../../functions/src/store/ledgerStore';
import { isMaker } from '../../../functions/src/services/approvals';
import type { StoredRow } from '../../../functions/src/store/ledgerEntities';
import { readHistory, readRow } from '../../../functions/src/store/ledgerStore';
import { ADMIN, CLERK, ledgerApi, REVIEWER, type LedgerApi } from '../../support/ledgerApi';
import { approveSeededParents, getRow, put, seedParents } from '../../support/ledgerFixtures';
import { seenNow } from '../../support/seen';
import { localSigner, signToken } from '../../support/tokens';
import { loadDevSigningKey } from '../../../functions/src/auth/devKey';

let api: LedgerApi;
const MAKER_REVIEWER = { id: 'mo.both', roles: ['clerk' as const, 'reviewer' as const] };
const REVIEWER2 = { id: 'rob.reviewer', roles: ['reviewer' as const] };

type Seen = { key: string; etag: string };

beforeAll(async () => {
  api = ledgerApi();
  await seedParents(api);
  // Parents approved, so their children may be approved (the parent-before-child rule has its own tests below).
  await approveSeededParents(api);
});
afterAll(() => setConfigForTests(undefined));

async function approve(ledger: string, body: unknown, user = REVIEWER) {
  return api.call(approveLedgerRowsRoute, { params: { ledger }, body, user });
}
async function approveOk(ledger: string, rows: Seen[], user = REVIEWER): Promise<ApprovalsResponse['results']> {
  const res = await approve(ledger, { rows }, user);
  expect(res.status).toBe(200);
  return (res.jsonBody as ApprovalsResponse).results;
}
async function rejectOk(
  ledger: string,
  rows: (Seen & { reason: string })[],
  user = REVIEWER,
): Promise<RejectionsResponse['results']> {
  const res = await api.call(rejectLedgerRowsRoute, { params: { ledger }, body: { rows }, user });
  expect(res.status).toBe(200);
  return (res.jsonBody as RejectionsResponse).results;
}
const seen = (key: string, etag: string | undefined): Seen => ({ key, etag: etag ?? 'none' });

it('refuses the maker as approver (self) and leaves the row pending; another reviewer approves it', async () => {
  const [w] = await put(api, 'customers', [{ customerId: 'A1', name: 'Mine', region: 'East' }], {
    user: MAKER_REVIEWER,
  });
  expect(await approveOk('customers', [seen('A1', w?.etag)], MAKER_REVIEWER)).toEqual([
    { key: 'A1', status: 'self', etag: w?.etag },
  ]);
  expect((await getRow(api, 'customers', 'A1'))?.approval.status).toBe('pending');
  expect((await readRow('customers', 'A1'))?.approved).toBeUndefined();

  const [r] = await approveOk('customers', [seen('A1', w?.etag)]);
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

it('reports alreadyApproved (also for a repeated request whose answer was lost) and notFound, in request order', async () => {
  const [w] = await put(api, 'customers', [{ customerId: 'A2', name: 'Two', region: 'East' }]);
  const [first] = await approveOk('customers', [seen('A2', w?.etag)]);
  expect(first?.status).toBe('approved');
  // The same request again (the reviewer never saw the first answer): the version named was approved.
  expect(
    (await approveOk('customers', [seen('A2', w?.etag), seen('NOPE', 'x'), seen('bad/key', 'x')])).map((r) => [
      r.key,
      r.status,
    ]),
  ).toEqual([
    ['A2', 'alreadyApproved'],
    ['NOPE', 'notFound'],
    ['bad/key', 'notFound'],
  ]);
  // And with the etag of the approved version.
  expect((await approveOk('customers', [seen('A2', first?.etag)]))[0]?.status).toBe('alreadyApproved');
  expect((await readHistory('customers', 'A2')).map((h) => h.action)).toEqual(['created', 'approved']);
  const lines = await seenNow('orderLines', ['K1~1', 'K1~77']);
  expect((await approveOk('orderLines', [...lines, seen('K1', 'x')])).map((r) => r.status)).toEqual([
    'approved',
    'notFound',
    'notFound',
  ]);
});

it('a stale etag approves nothing: `changed` with the row as it is now; no history, no event', async () => {
  const events: EffectiveVersionEvent[] = [];
  const off = onVersionEffective((batch) => void events.push(...batch));
  try {
    const [c] = await put(api, 'customers', [{ customerId: 'ST1', name: 'Seen', region: 'East' }]);
    // The clerk changes the row after the reviewer read it.
    const [u] = await put(api, 'customers', [{ customerId: 'ST1', name: 'Unseen', region: 'East', etag: c?.etag }]);
    expect(u?.status).toBe('updated');
    const before = await readHistory('customers', 'ST1');
    const [r] = await approveOk('customers', [seen('ST1', c?.etag)]);
    expect(r).toMatchObject({ key: 'ST1', status: 'changed', etag: u?.etag });
    expect(r?.current).toMatchObject({ name: 'Unseen', etag: u?.etag, approval: { status: 'pending' } });
    expect(await readHistory('customers', 'ST1')).toEqual(before);
    expect((await readRow('customers', 'ST1'))?.approved).toBeUndefined();
    expect(events).toEqual([]);
    // The reviewer reads again and approves what they now saw.
    expect((await approveOk('customers', [seen('ST1', u?.etag)]))[0]).toMatchObject({ status: 'approved', version: 2 });
    expect((await readRow('customers', 'ST1'))?.approved).toMatchObject({ name: 'Unseen' });
  } finally {
    off();
  }
});

it('keeps the approved version in effect while a change is pending, then switches and tells the hook', async () => {
  const events: EffectiveVersionEvent[] = [];
  const off = onVersionEffective((batch) => void events.push(...batch));
  try {
    const [c] = await put(api, 'customers', [{ customerId: 'A3', name: 'Before', region: 'East' }]);
    const [a] = await approveOk('customers', [seen('A3', c?.etag)]);
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
    // The etag of the approved version no longer names what is pending.
    expect((await approveOk('customers', [seen('A3', a?.etag)], ADMIN))[0]?.status).toBe('changed');
    const [a2] = await approveOk('customers', [seen('A3', u?.etag)], ADMIN);
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

it('approves once when two reviewers approve the same version at the same time', async () => {
  const [w] = await put(api, 'customers', [{ customerId: 'A4', name: 'Race', region: 'East' }]);
  const [a, b] = await Promise.all([
    approveOk('customers', [seen('A4', w?.etag)]),
    approveOk('customers', [seen('A4', w?.etag)], REVIEWER2),
  ]);
  expect([a[0]?.status, b[0]?.status].sort()).toEqual(['alreadyApproved', 'approved']);
  expect((await readHistory('customers', 'A4')).map((h) => h.action)).toEqual(['created', 'approved']);
});

it('an edit committed between the approval read and its write: `changed`, the edit stays pending', async () => {
  const [c] = await put(api, 'customers', [{ customerId: 'A5', name: 'Seen', region: 'East' }]);
  const realCommit = ledgerStore.commitWrites;
  const spy = jest.spyOn(ledgerStore, 'commitWrites').mockImplementationOnce(async (...args) => {
    await put(api, 'customers', [{ customerId: 'A5', name: 'Unseen', region: 'East', etag: c?.etag }]);
    return realCommit(...args);
  });
  try {
    const [r] = await approveOk('customers', [seen('A5', c?.etag)]);
    expect(r).toMatchObject({ key: 'A5', status: 'changed', current: { name: 'Unseen' } });
    const row = await readRow('customers', 'A5');
    expect(row?.approved).toBeUndefined();
    expect(row?.pendingVersion).toBe(2);
    expect((await readHistory('customers', 'A5')).map((h) => h.action)).toEqual(['created', 'updated']);
  } finally {
    spy.mockRestore();
  }
});

it('the approve/edit race, 40 times: either the seen version is approved or the answer is changed, never the edit', async () => {
  const n = 40;
  const rows = Array.from({ length: n }, (_, i) => ({ customerId: `RACE-${i}`, name: 'v1', region: 'East' }));
  const written = await put(api, 'customers', rows);
  const outcomes = await Promise.all(
    rows.map(async (row, i) => {
      const etag = written[i]?.etag as string;
      // Stagger the two a little differently each time so both orders occur.
      const edit = (async () => {
        await new Promise((r) => setTimeout(r, i % 7));
        return (await put(api, 'customers', [{ ...row, name: 'v2', etag }]))[0];
      })();
      const approval = (async () => {
        await new Promise((r) => setTimeout(r, (i * 3) % 5));
        return (await approveOk('customers', [seen(row.customerId, etag)], i % 2 === 0 ? REVIEWER : REVIEWER2))[0];
      })();
      const [e, a] = await Promise.all([edit, approval]);
      return { key: row.customerId, edit: e?.status, approval: a?.status };
    }),
  );
  const stored = await ledgerStore.readRows(
    'customers',
    rows.map((r) => r.customerId),
  );
  for (const o of outcomes) {
    const row = stored.get(o.key);
    const history = await readHistory('customers', o.key);
    if (o.approval === 'approved') {
      // The seen version (v1) is the approved one; the edit lost its etag race (conflict) or became a new pending version.
      expect(row?.approved).toMatchObject({ name: 'v1' });
      expect(['conflict', 'updated']).toContain(o.edit);
      if (o.edit === 'updated') expect(row?.latest).toMatchObject({ name: 'v2' });
      expect(history.filter((h) => h.action === 'approved').map((h) => h.approvedVersion)).toEqual([1]);
    } else {
      expect(o.approval).toBe('changed');
      expect(o.edit).toBe('updated');
      expect(row?.approved).toBeUndefined();
      expect(row?.latest).toMatchObject({ name: 'v2' });
      expect(history.map((h) => h.action)).toEqual(['created', 'updated']);
    }
  }
  // Both orders happened at least once in 40 tries (if not, the test proves less than it says).
  expect(new Set(outcomes.map((o) => o.approval)).size).toBe(2);
});

it('rejects with a reason: the maker reads `rejected` and why, history records it; a new write is pending again', async () => {
  const [w] = await put(api, 'customers', [{ customerId: 'RJ1', name: 'Typo Corp', region: 'East' }]);
  const [r] = await rejectOk('customers', [{ ...seen('RJ1', w?.etag), reason: 'Name is misspelt' }]);
  expect(r).toMatchObject({ key: 'RJ1', status: 'rejected' });
  expect(r?.etag).not.toBe(w?.etag);
  const read = (await getRow(api, 'customers', 'RJ1')) as ReadRow;
  expect(read.approval).toMatchObject({
    status: 'rejected',
    changedBy: CLERK.id,
    rejectedBy: REVIEWER.id,
    rejectedAt: expect.any(String) as string,
    reason: 'Name is misspelt',
  });
  expect(read.etag).toBe(r?.etag);
  // A rejected version can no longer be approved: named by its etag now, or by the etag it had when it was read
  // before the rejection.
  expect((await approveOk('customers', [seen('RJ1', read.etag)], REVIEWER2))[0]?.status).toBe('rejected');
  expect((await approveOk('customers', [seen('RJ1', w?.etag)], REVIEWER2))[0]?.status).toBe('rejected');
  // Rejecting it again (same etag as seen before) stands; the first reason is kept.
  expect((await rejectOk('customers', [{ ...seen('RJ1', w?.etag), reason: 'again' }]))[0]?.status).toBe('rejected');
  const history = await api.call(getLedgerRowHistoryRoute, { params: { ledger: 'customers', key: 'RJ1' } });
  expect((history.jsonBody as { entries: unknown[] }).entries).toEqual([
    expect.objectContaining({ version: 1, action: 'created', by: CLERK.id }),
    expect.objectContaining({
      version: 2,
      action: 'rejected',
      by: REVIEWER.id,
      rejectedVersion: 1,
      reason: 'Name is misspelt',
    }),
  ]);
  // The maker fixes it: a new pending version, no longer rejected; then approved.
  const [fixed] = await put(api, 'customers', [
    { customerId: 'RJ1', name: 'Tipo Corp', region: 'East', etag: read.etag },
  ]);
  expect(fixed?.status).toBe('updated');
  const again = (await getRow(api, 'customers', 'RJ1')) as ReadRow;
  expect(again.approval.status).toBe('pending');
  expect(again.approval.reason).toBeUndefined();
  expect((await approveOk('customers', [seen('RJ1', fixed?.etag)]))[0]).toMatchObject({
    status: 'approved',
    version: 3,
  });
});

it('rejecting a change to an approved row keeps the approved version in effect', async () => {
  const [c] = await put(api, 'customers', [{ customerId: 'RJ2', name: 'Good', region: 'East' }]);
  const [a] = await approveOk('customers', [seen('RJ2', c?.etag)]);
  const [u] = await put(api, 'customers', [{ customerId: 'RJ2', name: 'Bad', region: 'East', etag: a?.etag }]);
  expect((await rejectOk('customers', [{ ...seen('RJ2', u?.etag), reason: 'no' }], ADMIN))[0]?.status).toBe('rejected');
  const row = await readRow('customers', 'RJ2');
  expect(row?.approved).toMatchObject({ name: 'Good' });
  expect(row?.latest).toMatchObject({ name: 'Bad' });
  expect(row?.approvedVersion).toBe(1);
});

it('rejection statuses: self, changed, notFound, alreadyApproved; a reason is required', async () => {
  const [mine] = await put(api, 'customers', [{ customerId: 'RJ3', name: 'x', region: 'East' }], {
    user: MAKER_REVIEWER,
  });
  const [other] = await put(api, 'customers', [{ customerId: 'RJ4', name: 'x', region: 'East' }]);
  const [edited] = await put(api, 'customers', [{ customerId: 'RJ4', name: 'y', region: 'East', etag: other?.etag }]);
  const [done] = await put(api, 'customers', [{ customerId: 'RJ5', name: 'x', region: 'East' }]);
  await approveOk('customers', [seen('RJ5', done?.etag)]);
  const results = await rejectOk(
    'customers',
    [
      { ...seen('RJ3', mine?.etag), reason: 'r' },
      { ...seen('RJ4', other?.etag), reason: 'r' },
      { ...seen('RJ404', 'x'), reason: 'r' },
      { ...seen('RJ5', done?.etag), reason: 'r' },
    ],
    MAKER_REVIEWER,
  );
  expect(results.map((r) => [r.key, r.status])).toEqual([
    ['RJ3', 'self'],
    ['RJ4', 'changed'],
    ['RJ404', 'notFound'],
    ['RJ5', 'alreadyApproved'],
  ]);
  expect(results[1]?.current).toMatchObject({ name: 'y', etag: edited?.etag });
  const bad = await api.call(rejectLedgerRowsRoute, {
    params: { ledger: 'customers' },
    body: { rows: [{ key: 'RJ4', etag: edited?.etag, reason: '  ' }] },
    user: REVIEWER,
  });
  expect(bad.status).toBe(400);
  const long = await api.call(rejectLedgerRowsRoute, {
    params: { ledger: 'customers' },
    body: { rows: [{ key: 'RJ4', etag: edited?.etag, reason: 'x'.repeat(501) }] },
    user: REVIEWER,
  });
  expect(long.status).toBe(400);
  expect((await readRow('customers', 'RJ4'))?.rejectedVersion).toBeUndefined();
  const clerk = await api.call(rejectLedgerRowsRoute, {
    params: { ledger: 'customers' },
    body: { rows: [{ key: 'RJ4', etag: edited?.etag, reason: 'r' }] },
    user: CLERK,
  });
  expect(clerk.status).toBe(403);
});

it('parent before child: a child of an unapproved parent answers parentNotApproved and stays pending', async () => {
  await put(api, 'customers', [{ customerId: 'PC-CU', name: 'New', region: 'East' }]);
  const [k] = await put(api, 'contracts', [
    { contractId: 'PC-K', customerId: 'PC-CU', salespersonId: 'SP1', region: 'East', signedOn: '2016-11-01' },
  ]);
  const [line] = await put(api, 'orderLines', [
    { contractId: 'PC-K', lineNo: 1, itemCode: 'X', quantity: 1, unitPrice: '1' },
  ]);
  expect((await approveOk('contracts', [seen('PC-K', k?.etag)]))[0]).toMatchObject({
    status: 'parentNotApproved',
    parent: { ledger: 'customers', key: 'PC-CU' },
  });
  expect((await approveOk('orderLines', [seen('PC-K~1', line?.etag)]))[0]).toMatchObject({
    status: 'parentNotApproved',
    parent: { ledger: 'contracts', key: 'PC-K' },
  });
  expect((await readRow('orderLines', 'PC-K~1'))?.approvedVersion).toBeUndefined();
  // Parents first, then the children go through.
  await approveOk('customers', await seenNow('customers', ['PC-CU']));
  expect((await approveOk('contracts', await seenNow('contracts', ['PC-K'])))[0]?.status).toBe('approved');
  expect((await approveOk('orderLines', await seenNow('orderLines', ['PC-K~1'])))[0]?.status).toBe('approved');
});

it('approves many rows across partitions in one request', async () => {
  const rows = Array.from({ length: 300 }, (_, i) => ({ customerId: `MANY-${i}`, name: 'n', region: 'r' }));
  const written = await put(api, 'customers', rows);
  const results = await approveOk(
    'customers',
    rows.map((r, i) => seen(r.customerId, written[i]?.etag)),
  );
  expect(results.every((r) => r.status === 'approved')).toBe(true);
  expect((await readRow('customers', 'MANY-123'))?.approvedVersion).toBe(1);
});

it('answers 400 etag_required to bare keys, 403 to clerks, 401 without a token, 400 for a bad body, 404 for an unknown ledger', async () => {
  const legacy = await approve('customers', { keys: ['A1'] });
  expect(legacy.status).toBe(400);
  expect(legacy.jsonBody).toMatchObject({ error: { code: 'etag_required' } });
  expect((await approve('customers', { rows: [{ key: 'A1' }] })).status).toBe(400);
  expect((await approve('customers', { rows: [seen('A1', 'e')] }, CLERK)).status).toBe(403);
  expect(
    (
      await api.call(approveLedgerRowsRoute, {
        params: { ledger: 'customers' },
        body: { rows: [seen('A1', 'e')] },
        user: null,
      })
    ).status,
  ).toBe(401);
  expect((await approve('customers', { rows: [] })).status).toBe(400);
  expect((await approve('customers', 'A1')).status).toBe(400);
  expect(
    (await approve('customers', { rows: Array.from({ length: 5001 }, (_, i) => seen(`K${i}`, 'e')) })).status,
  ).toBe(400);
  expect((await approve('widgets', { rows: [seen('A1', 'e')] })).status).toBe(404);
});

describe('four eyes compares identities (token oid), not names', () => {
  const tokenFor = async (claims: Record<string, unknown>): Promise<string> => {
    const auth = api.config.auth;
    if (auth.mode !== 'local') throw new Error('tests run in local mode');
    return signToken(localSigner(await loadDevSigningKey(auth.signingKeyFile)), claims);
  };
  const as = async (claims: Record<string, unknown>) => ({
    user: null,
    headers: { authorization: `Bearer ${await tokenFor(claims)}` },
  });

  it('the same oid under a new user name is still the maker; another oid with the maker’s old name is not', async () => {
    const maker = await as({ preferred_username: 'kim@contoso.com', oid: 'oid-kim', roles: ['clerk', 'reviewer'] });
    const [w] = await put(api, 'customers', [{ customerId: 'ID1', name: 'x', region: 'East' }], maker);
    expect((await readRow('customers', 'ID1'))?.changedById).toBe('oid-kim');
    expect((await getRow(api, 'customers', 'ID1'))?.approval.changedBy).toBe('kim@contoso.com');
    // Kim, renamed (a UPN change keeps the object id), tries to approve her own change.
    const renamed = await as({ preferred_username: 'kim.new@contoso.com', oid: 'oid-kim', roles: ['reviewer'] });
    const self = await api.call(approveLedgerRowsRoute, {
      params: { ledger: 'customers' },
      body: { rows: [seen('ID1', w?.etag)] },
      ...renamed,
    });
    expect((self.jsonBody as ApprovalsResponse).results[0]?.status).toBe('self');
    // Someone else who now holds Kim's old user name is another person.
    const other = await as({ preferred_username: 'kim@contoso.com', oid: 'oid-other', roles: ['reviewer'] });
    const approved = await api.call(approveLedgerRowsRoute, {
      params: { ledger: 'customers' },
      body: { rows: [seen('ID1', w?.etag)] },
      ...other,
    });
    expect((approved.jsonBody as ApprovalsResponse).results[0]?.status).toBe('approved');
  });

  it('a version written before ids were recorded compares the maker by name', async () => {
    const [w] = await put(api, 'customers', [{ customerId: 'ID2', name: 'x', region: 'East' }]);
    const row = (await readRow('customers', 'ID2')) as StoredRow;
    const old = { ...row, changedById: undefined };
    expect(isMaker(old, { userId: CLERK.id.toUpperCase(), oid: 'some-oid' })).toBe(true);
    expect(isMaker(old, { userId: 'someone.else', oid: CLERK.id })).toBe(false);
    // With the id recorded, the id decides.
    expect(isMaker(row, { userId: 'someone.else', oid: CLERK.id })).toBe(true);
    expect(w?.status).toBe('created');
  });
});
