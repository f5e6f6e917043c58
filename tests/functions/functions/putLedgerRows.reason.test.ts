// Tests the optional per-row `reason` of PUT /api/ledgers/{ledger}: kept in the history entry of the version the
// write makes, shown by GET .../history, never a field of the row; a bad reason makes only its row invalid.
import type { HistoryResponse } from '../../../shared/api';
import { setConfigForTests } from '../../../functions/src/config';
import { getLedgerRowHistoryRoute } from '../../../functions/src/functions/getLedgerRowHistory';
import { ledgerApi, REVIEWER, type LedgerApi } from '../../support/ledgerApi';
import { approveSeededParents, getRow, put, seedParents } from '../../support/ledgerFixtures';
import { approveLedgerRowsRoute } from '../../../functions/src/functions/approveLedgerRows';

let api: LedgerApi;

beforeAll(async () => {
  api = ledgerApi();
  await seedParents(api);
  await approveSeededParents(api);
});
afterAll(() => setConfigForTests(undefined));

const history = async (ledger: string, key: string): Promise<HistoryResponse> =>
  (await api.call(getLedgerRowHistoryRoute, { params: { ledger, key } })).jsonBody as HistoryResponse;

it('stores the reason of a created and of an updated version in their history entries, trimmed', async () => {
  const [c] = await put(api, 'invoices', [
    { invoiceNo: 'R1', contractId: 'K1', issuedOn: '2016-11-20', reason: '  price agreed by phone  ' },
  ]);
  expect(c?.status).toBe('created');
  await api.call(approveLedgerRowsRoute, {
    params: { ledger: 'invoices' },
    body: { rows: [{ key: 'R1', etag: c?.etag }] },
    user: REVIEWER,
  });
  const read = await getRow(api, 'invoices', 'R1');
  expect(read).not.toHaveProperty('reason');
  const [u] = await put(api, 'invoices', [
    { invoiceNo: 'R1', contractId: 'K1', issuedOn: '2016-11-21', etag: read?.etag, reason: 'date moved' },
  ]);
  expect(u?.status).toBe('updated');
  const body = await history('invoices', 'R1');
  expect(body.entries.map((e) => [e.version, e.action, e.by, e.reason])).toEqual([
    [1, 'created', 'clara.clerk', 'price agreed by phone'],
    [2, 'approved', REVIEWER.id, undefined],
    [3, 'updated', 'clara.clerk', 'date moved'],
  ]);
  expect(body.entries[0]?.row).not.toHaveProperty('reason');
  expect(body.entries[2]?.changes).toEqual([
    { field: 'issuedOn', from: '2016-11-20', to: '2016-11-21' },
    // K1's 45 days' payment terms.
    { field: 'dueOn', from: '2017-01-04', to: '2017-01-05' },
  ]);
});

it('an unchanged row with a reason writes no history entry', async () => {
  await put(api, 'invoices', [{ invoiceNo: 'R2', contractId: 'K1', issuedOn: '2016-11-20' }]);
  const [again] = await put(api, 'invoices', [
    { invoiceNo: 'R2', contractId: 'K1', issuedOn: '2016-11-20', reason: 'checked twice' },
  ]);
  expect(again?.status).toBe('unchanged');
  const body = await history('invoices', 'R2');
  expect(body.entries.map((e) => [e.action, e.reason])).toEqual([['created', undefined]]);
});

it('refuses an empty, too long or non-text reason for that row only, storing the others', async () => {
  const results = await put(api, 'invoices', [
    { invoiceNo: 'R3', contractId: 'K1', issuedOn: '2016-11-20', reason: '   ' },
    { invoiceNo: 'R4', contractId: 'K1', issuedOn: '2016-11-20', reason: 'x'.repeat(501) },
    { invoiceNo: 'R5', contractId: 'K1', issuedOn: '2016-11-20', reason: 42 },
    { invoiceNo: 'R6', contractId: 'K1', issuedOn: '2016-11-20', reason: 'x'.repeat(500) },
  ]);
  const message = 'must be a text of 1 to 500 characters, or left out';
  expect(results.map((r) => [r.key, r.status, r.errors])).toEqual([
    ['R3', 'invalid', [{ field: 'reason', message }]],
    ['R4', 'invalid', [{ field: 'reason', message }]],
    ['R5', 'invalid', [{ field: 'reason', message }]],
    ['R6', 'created', undefined],
  ]);
  expect(await getRow(api, 'invoices', 'R3')).toBeUndefined();
  expect((await history('invoices', 'R6')).entries[0]?.reason).toBe('x'.repeat(500));
});
