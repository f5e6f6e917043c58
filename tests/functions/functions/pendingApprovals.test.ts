// Tests for GET /api/approvals/pending: the review queue — contents, per-field diff, oldest first, paging, filters,
// never the caller's own changes, rejected versions left out.
import type { ApprovalsResponse, PendingResponse } from '../../../shared/api';
import { setConfigForTests } from '../../../functions/src/config';
import { approveLedgerRowsRoute } from '../../../functions/src/functions/approveLedgerRows';
import { pendingApprovalsRoute } from '../../../functions/src/functions/pendingApprovals';
import { rejectLedgerRowsRoute } from '../../../functions/src/functions/rejectLedgerRows';
import { ADMIN, CLERK, CLERK2, ledgerApi, REVIEWER, type LedgerApi } from '../../support/ledgerApi';
import { put } from '../../support/ledgerFixtures';

let api: LedgerApi;
const MAKER_REVIEWER = { id: 'mo.both', roles: ['clerk' as const, 'reviewer' as const] };

async function queue(query: Record<string, string>, user = REVIEWER): Promise<PendingResponse> {
  const res = await api.call(pendingApprovalsRoute, { query, user });
  if (res.status !== 200) throw new Error(`queue answered ${res.status}: ${JSON.stringify(res.jsonBody)}`);
  return res.jsonBody as PendingResponse;
}

/** Every page of the queue for `query`, following continuation tokens. */
async function wholeQueue(query: Record<string, string>, user = REVIEWER): Promise<PendingResponse['rows']> {
  const rows: PendingResponse['rows'] = [];
  let token: string | null = null;
  let pages = 0;
  do {
    const page: PendingResponse = await queue(token === null ? query : { ...query, continuationToken: token }, user);
    rows.push(...page.rows);
    token = page.continuationToken;
    pages++;
  } while (token !== null && pages < 100);
  return rows;
}

beforeAll(async () => {
  api = ledgerApi();
  // Written one request at a time, so changedAt orders them: C1 (clerk), C2 (clerk2), C3 (mo), S1 (clerk).
  await put(api, 'customers', [{ customerId: 'Q-C1', name: 'One', region: 'East' }]);
  await put(api, 'customers', [{ customerId: 'Q-C2', name: 'Two', region: 'West' }], { user: CLERK2 });
  await put(api, 'customers', [{ customerId: 'Q-C3', name: 'Three', region: 'East' }], { user: MAKER_REVIEWER });
  await put(api, 'salespeople', [{ salespersonId: 'Q-S1', name: 'Sam', region: 'East' }]);
});
afterAll(() => setConfigForTests(undefined));

it('lists pending changes oldest first with maker, etag and per-field approved → pending', async () => {
  const rows = await wholeQueue({});
  expect(rows.map((r) => [r.ledger, r.key, r.changedBy])).toEqual([
    ['customers', 'Q-C1', CLERK.id],
    ['customers', 'Q-C2', CLERK2.id],
    ['customers', 'Q-C3', MAKER_REVIEWER.id],
    ['salespeople', 'Q-S1', CLERK.id],
  ]);
  expect(rows[0]?.changes).toEqual([
    { field: 'customerId', approved: null, pending: 'Q-C1' },
    { field: 'name', approved: null, pending: 'One' },
    { field: 'region', approved: null, pending: 'East' },
  ]);
  const times = rows.map((r) => r.changedAt);
  expect([...times].sort()).toEqual(times);
});

it("never lists the caller's own changes, and filters by ledger and maker", async () => {
  expect((await wholeQueue({}, MAKER_REVIEWER)).map((r) => r.key)).toEqual(['Q-C1', 'Q-C2', 'Q-S1']);
  expect((await wholeQueue({ ledger: 'salespeople' })).map((r) => r.key)).toEqual(['Q-S1']);
  expect((await wholeQueue({ changedBy: CLERK2.id })).map((r) => r.key)).toEqual(['Q-C2']);
  // Makers are people, not spellings.
  expect((await wholeQueue({ changedBy: CLERK2.id.toUpperCase() })).map((r) => r.key)).toEqual(['Q-C2']);
  const bad = await api.call(pendingApprovalsRoute, { query: { ledger: 'widgets' }, user: REVIEWER });
  expect(bad.status).toBe(400);
  expect((await api.call(pendingApprovalsRoute, { query: {}, user: CLERK })).status).toBe(403);
});

it('pages without repeats or gaps, and shows a change to an approved row as approved → pending', async () => {
  const many = Array.from({ length: 23 }, (_, i) => ({
    salespersonId: `Q-P${String(i).padStart(2, '0')}`,
    name: 'n',
    region: 'r',
  }));
  await put(api, 'salespeople', many);
  const first = await queue({ ledger: 'salespeople', pageSize: '10' });
  expect(first.rows).toHaveLength(10);
  expect(first.continuationToken).not.toBeNull();
  const all = await wholeQueue({ ledger: 'salespeople', pageSize: '10' });
  expect(all.map((r) => r.key).sort()).toEqual(['Q-S1', ...many.map((m) => m.salespersonId)].sort());
  expect(new Set(all.map((r) => r.key)).size).toBe(all.length);

  // Approve Q-S1 with the etag the queue gave, then change it: the queue shows the diff against the approved version.
  const s1 = all.find((r) => r.key === 'Q-S1');
  const approved = await api.call(approveLedgerRowsRoute, {
    params: { ledger: 'salespeople' },
    body: { rows: [{ key: 'Q-S1', etag: s1?.etag }] },
    user: REVIEWER,
  });
  const etag = (approved.jsonBody as ApprovalsResponse).results[0]?.etag;
  await put(api, 'salespeople', [{ salespersonId: 'Q-S1', name: 'Samuel', region: 'East', etag }]);
  const [changed] = (await wholeQueue({ ledger: 'salespeople' })).filter((r) => r.key === 'Q-S1');
  expect(changed?.changes).toEqual([{ field: 'name', approved: 'Sam', pending: 'Samuel' }]);
  expect((await queue({ continuationToken: 'not-a-token!' }).catch((e: Error) => e.message)) as string).toMatch(/400/);
});

it('leaves rejected changes out; the fixed version comes back', async () => {
  const [c] = await put(api, 'customers', [{ customerId: 'Q-R1', name: 'Bad', region: 'East' }]);
  const rejected = await api.call(rejectLedgerRowsRoute, {
    params: { ledger: 'customers' },
    body: { rows: [{ key: 'Q-R1', etag: c?.etag, reason: 'wrong' }] },
    user: ADMIN,
  });
  const etag = (rejected.jsonBody as { results: { etag: string }[] }).results[0]?.etag;
  expect((await wholeQueue({ ledger: 'customers' })).map((r) => r.key)).not.toContain('Q-R1');
  await put(api, 'customers', [{ customerId: 'Q-R1', name: 'Good', region: 'East', etag }]);
  const back = (await wholeQueue({ ledger: 'customers' })).find((r) => r.key === 'Q-R1');
  expect(back?.changes).toContainEqual({ field: 'name', approved: null, pending: 'Good' });
});
