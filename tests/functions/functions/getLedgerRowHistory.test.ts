// Tests for GET /api/ledgers/{ledger}/{key}/history: every version and approval, ordered, with field-level changes.
import type { HistoryResponse } from '../../../shared/api';
import { setConfigForTests } from '../../../functions/src/config';
import { approveLedgerRowsRoute } from '../../../functions/src/functions/approveLedgerRows';
import { getLedgerRowHistoryRoute } from '../../../functions/src/functions/getLedgerRowHistory';
import { ledgerApi, REVIEWER, type LedgerApi } from '../../support/ledgerApi';
import { approveSeededParents, put, seedParents } from '../../support/ledgerFixtures';

let api: LedgerApi;

beforeAll(async () => {
  api = ledgerApi();
  await seedParents(api);
  await approveSeededParents(api);
});
afterAll(() => setConfigForTests(undefined));

const history = (ledger: string, key: string) => api.call(getLedgerRowHistoryRoute, { params: { ledger, key } });

it('lists created, approved, updated, approved in order with who, when and what changed', async () => {
  const [c] = await put(api, 'orderLines', [
    { contractId: 'K1', lineNo: 5, itemCode: 'ITEM-C', quantity: 2, unitPrice: '7.25' },
  ]);
  await api.call(approveLedgerRowsRoute, {
    params: { ledger: 'orderLines' },
    body: { rows: [{ key: 'K1~5', etag: c?.etag }] },
    user: REVIEWER,
  });
  const row = (await api.call(getLedgerRowHistoryRoute, { params: { ledger: 'orderLines', key: 'K1~5' } }))
    .jsonBody as HistoryResponse;
  expect(row.entries).toHaveLength(2);
  const etagAfterApproval = await put(api, 'orderLines', [
    { contractId: 'K1', lineNo: 5, itemCode: 'ITEM-C', quantity: 2, unitPrice: '7.25' },
  ]);
  expect(etagAfterApproval[0]?.status).toBe('unchanged');
  const [u] = await put(api, 'orderLines', [
    {
      contractId: 'K1',
      lineNo: 5,
      itemCode: 'ITEM-C',
      quantity: 4,
      unitPrice: '7.25',
      description: 'more',
      etag: etagAfterApproval[0]?.etag,
    },
  ]);
  expect(u?.status).toBe('updated');
  expect(c?.status).toBe('created');
  await api.call(approveLedgerRowsRoute, {
    params: { ledger: 'orderLines' },
    body: { rows: [{ key: 'K1~5', etag: u?.etag }] },
    user: REVIEWER,
  });

  const res = await history('orderLines', 'K1~5');
  expect(res.status).toBe(200);
  const body = res.jsonBody as HistoryResponse;
  expect(body).toMatchObject({ ledger: 'orderLines', key: 'K1~5' });
  expect(body.entries.map((e) => [e.version, e.action, e.by])).toEqual([
    [1, 'created', 'clara.clerk'],
    [2, 'approved', REVIEWER.id],
    [3, 'updated', 'clara.clerk'],
    [4, 'approved', REVIEWER.id],
  ]);
  expect(body.entries[1]?.approvedVersion).toBe(1);
  expect(body.entries[3]?.approvedVersion).toBe(3);
  expect(body.entries[0]?.row).toEqual({
    contractId: 'K1',
    lineNo: 5,
    itemCode: 'ITEM-C',
    quantity: 2,
    unitPrice: '7.25',
  });
  expect(body.entries[2]?.changes).toEqual([
    { field: 'description', from: null, to: 'more' },
    { field: 'quantity', from: 2, to: 4 },
  ]);
  const times = body.entries.map((e) => e.at);
  expect([...times].sort()).toEqual(times);
});

it('keeps histories of keys sharing a prefix apart', async () => {
  await put(api, 'customers', [
    { customerId: 'P', name: 'p', region: 'r' },
    { customerId: 'P|0000000001', name: 'q', region: 'r' },
  ]);
  const body = (await history('customers', 'P')).jsonBody as HistoryResponse;
  expect(body.entries).toHaveLength(1);
  expect(body.entries[0]?.row).toMatchObject({ name: 'p' });
});

it('answers 404 for a key without history and for an unknown ledger', async () => {
  expect((await history('customers', 'NEVER')).status).toBe(404);
  expect((await history('widgets', 'X')).status).toBe(404);
});
