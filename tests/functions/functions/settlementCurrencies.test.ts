// One salesperson's month settled in two currencies, on Azurite: SP1's November 2016 in the house currency (EUR, key
// SP1~201611) and in USD (key SP1~201611~USD) are two rows, each approved by a second person and each locking its own
// currency's statement. The row of the USD one is read, reviewed, rejected and traced by its three-part key; a
// settlement naming EUR, the house currency, is refused.
import type {
  ApprovalsResponse,
  CommissionCurrencyStatementWire,
  PendingResponse,
  ReadRow,
  RejectionsResponse,
} from '../../../shared/api';
import { setConfigForTests } from '../../../functions/src/config';
import { approveLedgerRowsRoute } from '../../../functions/src/functions/approveLedgerRows';
import { commissionStatementRoute } from '../../../functions/src/functions/commissionStatement';
import { getLedgerRowHistoryRoute } from '../../../functions/src/functions/getLedgerRowHistory';
import { getLedgerRowsRoute } from '../../../functions/src/functions/getLedgerRows';
import { pendingApprovalsRoute } from '../../../functions/src/functions/pendingApprovals';
import { rejectLedgerRowsRoute } from '../../../functions/src/functions/rejectLedgerRows';
import { registerFigureProjection } from '../../../functions/src/figures/projection';
import { readRows } from '../../../functions/src/store/ledgerStore';
import { ledgerApi, REVIEWER, type LedgerApi } from '../../support/ledgerApi';
import { approveSeededParents, getRow, put, seedParents } from '../../support/ledgerFixtures';
import { seenNow } from '../../support/seen';

let api: LedgerApi;
let unregister: () => void;

async function approve(ledger: string, keys: string[]): Promise<string[]> {
  const res = await api.call(approveLedgerRowsRoute, {
    params: { ledger },
    body: { rows: await seenNow(ledger as 'commissionSettlements', keys) },
    user: REVIEWER,
  });
  return (res.jsonBody as ApprovalsResponse).results.map((r) => r.status);
}

async function statement(query: Record<string, string>): Promise<CommissionCurrencyStatementWire> {
  const res = await api.call(commissionStatementRoute, { query });
  if (res.status !== 200) throw new Error(`statement answered ${res.status}: ${JSON.stringify(res.jsonBody)}`);
  return res.jsonBody as CommissionCurrencyStatementWire;
}

const statuses = async (p: Promise<{ status: string }[]>) => (await p).map((r) => r.status);
const fields = (r: ReadRow | undefined) =>
  r && [r.salespersonId, r.month, r.commission, r.currency ?? null, r.approval.status, r.approval.approvedBy];

beforeAll(async () => {
  api = ledgerApi();
  unregister = registerFigureProjection();
  await seedParents(api); // SP1 with contract K1 (EUR, the house currency by default)
  await approveSeededParents(api);
  const sp = await getRow(api, 'salespeople', 'SP1');
  const salesperson = { salespersonId: 'SP1', name: 'Sam', region: 'East', commissionRate: '0.01' };
  expect(await statuses(put(api, 'salespeople', [{ ...salesperson, etag: sp?.etag }]))).toEqual(['updated']);
  expect(await approve('salespeople', ['SP1'])).toEqual(['approved']);
  const usd = { contractId: 'KU', customerId: 'CU2', salespersonId: 'SP1', region: 'West', signedOn: '2016-11-01' };
  expect(await statuses(put(api, 'contracts', [{ ...usd, currency: 'USD' }]))).toEqual(['created']);
  expect(await approve('contracts', ['KU'])).toEqual(['approved']);
  expect(
    await statuses(
      put(api, 'invoices', [
        { invoiceNo: 'INV1', contractId: 'K1', issuedOn: '2016-11-10' },
        { invoiceNo: 'IU1', contractId: 'KU', issuedOn: '2016-11-10' },
      ]),
    ),
  ).toEqual(['created', 'created']);
  expect(
    await statuses(
      put(api, 'invoiceLines', [
        { invoiceNo: 'INV1', lineNo: 1, itemCode: 'ITEM-B', quantity: 3, unitPrice: '99' },
        { invoiceNo: 'IU1', lineNo: 1, itemCode: 'ITEM-U', quantity: 1, unitPrice: '200' },
      ]),
    ),
  ).toEqual(['created', 'created']);
  expect(
    await statuses(
      put(api, 'payments', [
        { paymentId: 'PAY1', contractId: 'K1', invoiceNo: 'INV1', receivedOn: '2016-11-20', amount: '150' },
        { paymentId: 'PU1', contractId: 'KU', invoiceNo: 'IU1', receivedOn: '2016-11-21', amount: '200' },
      ]),
    ),
  ).toEqual(['created', 'created']);
  expect(await approve('invoices', ['INV1', 'IU1'])).toEqual(['approved', 'approved']);
  expect(await approve('invoiceLines', ['INV1~1', 'IU1~1'])).toEqual(['approved', 'approved']);
  expect(await approve('payments', ['PAY1', 'PU1'])).toEqual(['approved', 'approved']);
});
afterAll(() => {
  unregister();
  setConfigForTests(undefined);
});

const november = { salespersonId: 'SP1', month: 201611, settledOn: '2016-12-01' };

describe('settling one month in two currencies', () => {
  it('refuses a settlement naming EUR, the house currency, and stores nothing for it', async () => {
    const [eur] = await put(api, 'commissionSettlements', [{ ...november, commission: '1.50', currency: 'EUR' }]);
    expect(eur).toEqual({
      key: 'SP1~201611~EUR',
      status: 'invalid',
      errors: [
        {
          field: 'currency',
          message: "must be left empty for EUR, the house currency (the row's key is then SP1~201611)",
        },
      ],
    });
    expect([...(await readRows('commissionSettlements', ['SP1~201611~EUR', 'SP1~201611'])).keys()]).toEqual([]);
    expect(await getRow(api, 'commissionSettlements', 'SP1~201611~EUR')).toBeUndefined();
  });

  it('stores the house-currency and the USD settlement of November as two rows, both pending review', async () => {
    const written = await put(api, 'commissionSettlements', [
      { ...november, commission: '1.50' },
      { ...november, commission: '2.00', currency: 'USD' },
    ]);
    expect(written.map((r) => [r.key, r.status])).toEqual([
      ['SP1~201611', 'created'],
      ['SP1~201611~USD', 'created'],
    ]);
    const queue = await api.call(pendingApprovalsRoute, {
      query: { ledger: 'commissionSettlements' },
      user: REVIEWER,
    });
    const pending = (queue.jsonBody as PendingResponse).rows;
    expect(pending.map((p) => [p.key, p.changes.find((c) => c.field === 'currency')?.pending ?? null]).sort()).toEqual([
      ['SP1~201611', null],
      ['SP1~201611~USD', 'USD'],
    ]);
    // Not settled until a second person approves: both statements are still open.
    expect((await statement({ salespersonId: 'SP1', month: '2016-11' })).settled).toBe(false);
    expect((await statement({ salespersonId: 'SP1', month: '2016-11', currency: 'USD' })).settled).toBe(false);
  });

  it('approved by a reviewer, each locks its own currency at its own amount', async () => {
    expect(await approve('commissionSettlements', ['SP1~201611', 'SP1~201611~USD'])).toEqual(['approved', 'approved']);
    const eur = await statement({ salespersonId: 'SP1', month: '2016-11' });
    const usd = await statement({ salespersonId: 'SP1', month: '2016-11', currency: 'USD' });
    expect([eur.currency, eur.settled, eur.commission]).toEqual(['EUR', true, '1.50']);
    expect([usd.currency, usd.settled, usd.commission]).toEqual(['USD', true, '2.00']);
  });

  it('reads each row by its own key, and both by the salesperson filter', async () => {
    expect(fields(await getRow(api, 'commissionSettlements', 'SP1~201611~USD'))).toEqual([
      'SP1',
      201611,
      '2.00',
      'USD',
      'approved',
      REVIEWER.id,
    ]);
    expect(fields(await getRow(api, 'commissionSettlements', 'SP1~201611'))).toEqual([
      'SP1',
      201611,
      '1.50',
      null,
      'approved',
      REVIEWER.id,
    ]);
    const list = await api.call(getLedgerRowsRoute, {
      params: { ledger: 'commissionSettlements' },
      query: { salespersonId: 'SP1' },
    });
    const rows = (list.jsonBody as { rows: ReadRow[] }).rows;
    expect(rows.map((r) => [r.commission, r.currency ?? null]).sort()).toEqual([
      ['1.50', null],
      ['2.00', 'USD'],
    ]);
  });

  it('a change to the USD row is reviewed, rejected and traced by its key; the EUR row is untouched', async () => {
    const current = await getRow(api, 'commissionSettlements', 'SP1~201611~USD');
    const [changed] = await put(api, 'commissionSettlements', [
      { ...november, commission: '2.40', currency: 'USD', etag: current?.etag },
    ]);
    expect([changed?.key, changed?.status]).toEqual(['SP1~201611~USD', 'updated']);
    const reject = await api.call(rejectLedgerRowsRoute, {
      params: { ledger: 'commissionSettlements' },
      body: { rows: [{ key: 'SP1~201611~USD', etag: changed?.etag, reason: 'the statement says 2.00' }] },
      user: REVIEWER,
    });
    expect((reject.jsonBody as RejectionsResponse).results.map((r) => [r.key, r.status])).toEqual([
      ['SP1~201611~USD', 'rejected'],
    ]);
    // The approved 2.00 stays in effect for USD; EUR still 1.50.
    expect((await statement({ salespersonId: 'SP1', month: '2016-11', currency: 'USD' })).commission).toBe('2.00');
    expect((await statement({ salespersonId: 'SP1', month: '2016-11' })).commission).toBe('1.50');

    const history = await api.call(getLedgerRowHistoryRoute, {
      params: { ledger: 'commissionSettlements', key: 'SP1~201611~USD' },
    });
    expect(history.status).toBe(200);
    const entries = (history.jsonBody as { entries: { version: number; action: string; by: string }[] }).entries;
    expect(entries.map((e) => [e.version, e.action, e.by])).toEqual([
      [1, 'created', 'clara.clerk'],
      [2, 'approved', REVIEWER.id],
      [3, 'updated', 'clara.clerk'],
      [4, 'rejected', REVIEWER.id],
    ]);
    const eurHistory = await api.call(getLedgerRowHistoryRoute, {
      params: { ledger: 'commissionSettlements', key: 'SP1~201611' },
    });
    expect((eurHistory.jsonBody as { entries: { action: string }[] }).entries.map((e) => e.action)).toEqual([
      'created',
      'approved',
    ]);
  });
});
