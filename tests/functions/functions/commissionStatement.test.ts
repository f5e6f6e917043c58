// GET /api/commission/statement on Azurite: a tiered plan over approved payments, pending payments only with
// includePending, and a four-eyes settlement that locks its month (the change lands in the next month).
import type { ApprovalsResponse, CommissionStatementWire } from '../../../shared/api';
import type { LedgerName } from '../../../shared/ledgers';
import { setConfigForTests } from '../../../functions/src/config';
import { approveLedgerRowsRoute } from '../../../functions/src/functions/approveLedgerRows';
import { commissionStatementRoute } from '../../../functions/src/functions/commissionStatement';
import { registerFigureProjection } from '../../../functions/src/figures/projection';
import { ledgerApi, REVIEWER, type LedgerApi } from '../../support/ledgerApi';
import { approveSeededParents, getRow, put, seedParents } from '../../support/ledgerFixtures';
import { seenNow } from '../../support/seen';

let api: LedgerApi;
let unregister: () => void;

async function approve(ledger: LedgerName, keys: string[]): Promise<string[]> {
  const res = await api.call(approveLedgerRowsRoute, {
    params: { ledger },
    body: { rows: await seenNow(ledger, keys) },
    user: REVIEWER,
  });
  return (res.jsonBody as ApprovalsResponse).results.map((r) => r.status);
}

async function statement(query: Record<string, string>) {
  return api.call(commissionStatementRoute, { query });
}

const brief = (s: CommissionStatementWire) =>
  s.lines.map((l) => [l.kind, l.paymentId, l.invoiceNo, l.amount, l.rate, l.commission]);

beforeAll(async () => {
  api = ledgerApi();
  // Approvals project contracts, invoices and payments into the contract index, which the figures read.
  unregister = registerFigureProjection();
  await seedParents(api); // SP1 with contract K1 (ITEM-A at 10.50, ITEM-B at 99), 45 days' terms
  await approveSeededParents(api);
  const statuses = async (p: Promise<{ status: string }[]>) => (await p).map((r) => r.status);
  expect(
    await statuses(put(api, 'commissionPlans', [{ planId: 'T', rate1: '0.02', from2: '100', rate2: '0.05' }])),
  ).toEqual(['created']);
  expect(await approve('commissionPlans', ['T'])).toEqual(['approved']);
  const sp = await getRow(api, 'salespeople', 'SP1');
  expect(
    await statuses(
      put(api, 'salespeople', [{ salespersonId: 'SP1', name: 'Sam', region: 'East', planId: 'T', etag: sp?.etag }]),
    ),
  ).toEqual(['updated']);
  expect(await approve('salespeople', ['SP1'])).toEqual(['approved']);
  expect(
    await statuses(put(api, 'invoices', [{ invoiceNo: 'INV1', contractId: 'K1', issuedOn: '2016-11-10' }])),
  ).toEqual(['created']);
  expect(
    await statuses(
      put(api, 'invoiceLines', [{ invoiceNo: 'INV1', lineNo: 1, itemCode: 'ITEM-B', quantity: 3, unitPrice: '99' }]),
    ),
  ).toEqual(['created']);
  expect(
    await statuses(
      put(api, 'payments', [
        { paymentId: 'PAY1', contractId: 'K1', invoiceNo: 'INV1', receivedOn: '2016-11-20', amount: '150' },
        { paymentId: 'PAY2', contractId: 'K1', receivedOn: '2016-12-02', amount: '40' },
      ]),
    ),
  ).toEqual(['created', 'created']);
  expect(await approve('invoices', ['INV1'])).toEqual(['approved']);
  expect(await approve('invoiceLines', ['INV1~1'])).toEqual(['approved']);
  expect(await approve('payments', ['PAY1'])).toEqual(['approved']);
});
afterAll(() => {
  unregister();
  setConfigForTests(undefined);
});

describe('GET /api/commission/statement', () => {
  it('lists the month’s allocations split at the tier boundary', async () => {
    const res = await statement({ salespersonId: 'SP1', month: '2016-11' });
    expect(res.status).toBe(200);
    const body = res.jsonBody as CommissionStatementWire;
    expect(body).toMatchObject({ planId: 'T', basis: 'collected', settled: false, commission: '4.50' });
    expect(brief(body)).toEqual([
      ['allocation', 'PAY1', 'INV1', '100.00', '0.02', '2.00'],
      ['allocation', 'PAY1', 'INV1', '50.00', '0.05', '2.50'],
    ]);
    expect(body.lines[0]).toMatchObject({ contractId: 'K1', date: '2016-11-20', daysLate: -35 });
  });

  it('counts a pending payment only with includePending', async () => {
    const approved = (await statement({ salespersonId: 'SP1', month: '2016-12' })).jsonBody as CommissionStatementWire;
    expect(approved.lines).toEqual([]);
    const res = await statement({ salespersonId: 'SP1', month: '2016-12', includePending: 'true' });
    expect(brief(res.jsonBody as CommissionStatementWire)).toEqual([
      ['allocation', 'PAY2', 'INV1', '40.00', '0.02', '0.80'],
    ]);
  });

  it('an approved settlement locks November; a lower payment then lands in December as an adjustment', async () => {
    expect(
      (
        await put(api, 'commissionSettlements', [
          { salespersonId: 'SP1', month: 201611, commission: '4.50', settledOn: '2016-12-01' },
        ])
      ).map((r) => r.status),
    ).toEqual(['created']);
    // Pending, the settlement does not lock yet.
    expect(
      ((await statement({ salespersonId: 'SP1', month: '2016-11' })).jsonBody as CommissionStatementWire).settled,
    ).toBe(false);
    expect(await approve('commissionSettlements', ['SP1~201611'])).toEqual(['approved']);
    const [changed] = await put(api, 'payments', [
      { paymentId: 'PAY1', contractId: 'K1', invoiceNo: 'INV1', receivedOn: '2016-11-20', amount: '120' },
    ]);
    expect(changed?.status).toBe('conflict'); // no etag: the API refuses a blind overwrite
    const fresh = await put(api, 'payments', [
      {
        paymentId: 'PAY1',
        contractId: 'K1',
        invoiceNo: 'INV1',
        receivedOn: '2016-11-20',
        amount: '120',
        etag: changed?.current?.etag,
      },
    ]);
    expect(fresh[0]?.status).toBe('updated');
    expect(await approve('payments', ['PAY1'])).toEqual(['approved']);
    const nov = (await statement({ salespersonId: 'SP1', month: '2016-11' })).jsonBody as CommissionStatementWire;
    expect(nov).toMatchObject({ settled: true, commission: '4.50' });
    const dec = (await statement({ salespersonId: 'SP1', month: '2016-12' })).jsonBody as CommissionStatementWire;
    // November now earns 2.00 + 1.00 = 3.00: 1.50 comes back in December.
    expect(dec.lines.map((l) => [l.kind, l.months, l.commission])).toEqual([['adjustment', ['2016-11'], '-1.50']]);
    expect(dec.commission).toBe('-1.50');
  });

  it('answers 400 for a bad month and 404 for an unknown salesperson', async () => {
    const bad = await statement({ salespersonId: 'SP1', month: '2016-13' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.jsonBody)).toContain('query.month');
    expect((await statement({ salespersonId: 'NOPE', month: '2016-11' })).status).toBe(404);
  });
});
