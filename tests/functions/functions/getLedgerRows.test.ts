// Tests for GET /api/ledgers/{ledger} and GET /api/ledgers/{ledger}/{key}: paging, filters, errors, roles.
import type { GetRowsResponse } from '../../../shared/api';
import { setConfigForTests } from '../../../functions/src/config';
import { getLedgerRowRoute } from '../../../functions/src/functions/getLedgerRow';
import { getLedgerRowsRoute } from '../../../functions/src/functions/getLedgerRows';
import { ledgerApi, type LedgerApi } from '../../support/ledgerApi';
import { put, seedParents } from '../../support/ledgerFixtures';

let api: LedgerApi;
const MANAGER = { id: 'max.manager', roles: ['manager' as const] };

beforeAll(async () => {
  api = ledgerApi();
  await seedParents(api);
  await put(
    api,
    'expenses',
    Array.from({ length: 25 }, (_, i) => ({
      expenseId: `E${String(i).padStart(2, '0')}`,
      salespersonId: 'SP1',
      category: i % 3 === 0 ? 'travel' : 'meals',
      incurredOn: '2016-11-0' + String((i % 9) + 1),
      amount: i === 7 ? '3000000.25' : `${i + 1}.50`,
      tripDays: i % 4,
      receipt: i % 2 === 0,
    })),
  );
});
afterAll(() => setConfigForTests(undefined));

async function list(query: Record<string, string>, ledger = 'expenses') {
  return api.call(getLedgerRowsRoute, { params: { ledger }, query, user: MANAGER });
}

async function listOk(query: Record<string, string>, ledger = 'expenses'): Promise<GetRowsResponse> {
  const res = await list(query, ledger);
  expect(res.status).toBe(200);
  return res.jsonBody as GetRowsResponse;
}

it('pages through more than one page with continuation tokens, every row exactly once', async () => {
  const seen: string[] = [];
  let token: string | null = null;
  let pages = 0;
  do {
    const page: GetRowsResponse = await listOk({ pageSize: '10', ...(token ? { continuationToken: token } : {}) });
    expect(page.rows.length).toBeLessThanOrEqual(10);
    seen.push(...page.rows.map((r) => String(r.expenseId)));
    token = page.continuationToken;
    pages++;
  } while (token !== null);
  expect(pages).toBeGreaterThanOrEqual(3);
  expect(seen.sort()).toEqual(Array.from({ length: 25 }, (_, i) => `E${String(i).padStart(2, '0')}`));
});

it('returns every row by default with etag, approval and wire-form fields', async () => {
  const page = await listOk({});
  expect(page.rows).toHaveLength(25);
  expect(page.continuationToken).toBeNull();
  const e7 = page.rows.find((r) => r.expenseId === 'E07');
  expect(e7).toMatchObject({ amount: '3000000.25', tripDays: 3, receipt: false, etag: expect.any(String) as string });
  expect(e7?.approval).toMatchObject({ status: 'pending', changedBy: 'clara.clerk', approvedBy: null });
});

it('filters by equality on strings, money (beyond 2^31 cents), integers, booleans and dates', async () => {
  const keys = async (q: Record<string, string>) => (await listOk(q)).rows.map((r) => r.expenseId).sort();
  expect(await keys({ category: 'travel' })).toEqual(['E00', 'E03', 'E06', 'E09', 'E12', 'E15', 'E18', 'E21', 'E24']);
  expect(await keys({ amount: '3000000.25' })).toEqual(['E07']);
  expect(await keys({ amount: '2.5' })).toEqual(['E01']);
  expect(await keys({ tripDays: '3', receipt: 'false' })).toEqual(['E03', 'E07', 'E11', 'E15', 'E19', 'E23']);
  expect(await keys({ incurredOn: '2016-11-01', category: 'travel' })).toEqual(['E00', 'E09', 'E18']);
  expect(await keys({ incurredOn: '2016-11-02' })).toEqual(['E01', 'E10', 'E19']);
  expect(await keys({ category: "o'brien" })).toEqual([]);
});

it('answers 400 naming the parameter for bad paging and filters', async () => {
  const cases: [Record<string, string>, string][] = [
    [{ pageSize: '0' }, 'query.pageSize'],
    [{ pageSize: '5001' }, 'query.pageSize'],
    [{ pageSize: 'ten' }, 'query.pageSize'],
    [{ continuationToken: 'bm90LWEtdG9rZW4' }, 'query.continuationToken'],
    [{ continuationToken: '%%%' }, 'query.continuationToken'],
    [{ colour: 'red' }, 'query.colour'],
    [{ amount: '1.234' }, 'query.amount'],
    [{ tripDays: 'two' }, 'query.tripDays'],
    [{ receipt: 'yes' }, 'query.receipt'],
    [{ incurredOn: '2016-02-30' }, 'query.incurredOn'],
  ];
  for (const [query, field] of cases) {
    const res = await list(query);
    expect(res.status).toBe(400);
    expect(res.jsonBody).toMatchObject({
      error: { code: 'invalid', details: [expect.objectContaining({ field }) as unknown] },
    });
  }
});

it('answers 404 for an unknown ledger and 401 without a token', async () => {
  expect((await list({}, 'widgets')).status).toBe(404);
  expect((await api.call(getLedgerRowsRoute, { params: { ledger: 'expenses' }, user: null })).status).toBe(401);
});

it('answers 403 to a token with none of our roles', async () => {
  const res = await api.call(getLedgerRowsRoute, { params: { ledger: 'expenses' }, user: { id: 'nobody', roles: [] } });
  expect(res.status).toBe(403);
});

it('reads one row by key, compound keys as part1~part2, 404 when absent', async () => {
  const one = await api.call(getLedgerRowRoute, { params: { ledger: 'orderLines', key: 'K1~2' }, user: MANAGER });
  expect(one.status).toBe(200);
  expect(one.jsonBody).toMatchObject({ contractId: 'K1', lineNo: 2, itemCode: 'ITEM-B', unitPrice: '99.00' });
  for (const key of ['K1~9', 'K1', 'nope']) {
    const res = await api.call(getLedgerRowRoute, { params: { ledger: 'orderLines', key }, user: MANAGER });
    expect(res.status).toBe(404);
  }
});

it('fills a page of up to 5,000 rows from several storage pages', async () => {
  await put(
    api,
    'customers',
    Array.from({ length: 1_500 }, (_, i) => ({ customerId: `PG-${i}`, name: 'n', region: 'Paged' })),
  );
  const all = await listOk({ pageSize: '5000', region: 'Paged' }, 'customers');
  expect(all.rows).toHaveLength(1_500);
  expect(all.continuationToken).toBeNull();
  const first = await listOk({ region: 'Paged' }, 'customers');
  expect(first.rows).toHaveLength(1_000);
  expect(first.continuationToken).not.toBeNull();
  const rest = await listOk({ region: 'Paged', continuationToken: first.continuationToken ?? '' }, 'customers');
  expect(rest.rows).toHaveLength(500);
  expect(new Set([...first.rows, ...rest.rows].map((r) => r.customerId)).size).toBe(1_500);
});
