// GET /api/commission/statement per currency on Azurite: SP1 has a EUR contract (K1, no currency: the house
// currency) and a USD one (KU). Without `currency` the EUR statement names USD in otherCurrencies; with
// currency=USD only USD payments count, at the flat commissionRate; a USD settlement locks only USD's month.
import type { ApprovalsResponse, CommissionCurrencyStatementWire } from '../../../shared/api';
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

async function statement(query: Record<string, string>): Promise<CommissionCurrencyStatementWire> {
  const res = await api.call(commissionStatementRoute, { query });
  if (res.status !== 200) throw new Error(`statement answered ${res.status}: ${JSON.stringify(res.jsonBody)}`);
  return res.jsonBody as CommissionCurrencyStatementWire;
}

const statuses = async (p: Promise<{ status: string }[]>) => (await p).map((r) => r.status);
const brief = (s: CommissionCurrencyStatementWire) =>
  s.lines.map((l) => [l.kind, l.paymentId, l.contractId, l.amount, l.rate, l.commission]);

beforeAll(async () => {
  api = ledgerApi();
  unregister = registerFigureProjection();
  await seedParents(api); // SP1 with contract K1 (EUR by default), 45 days' terms
  await approveSeededParents(api);
  expect(
    await statuses(put(api, 'commissionPlans', [{ planId: 'T', rate1: '0.02', from2: '100', rate2: '0.05' }])),
  ).toEqual(['created']);
  expect(await approve('commissionPlans', ['T'])).toEqual(['approved']);
  const sp = await getRow(api, 'salespeople', 'SP1');
  const salesperson = { salespersonId: 'SP1', name: 'Sam', region: 'East', planId: 'T', commissionRate: '0.01' };
  expect(await statuses(put(api, 'salespeople', [{ ...salesperson, etag: sp?.etag }]))).toEqual(['updated']);
  expect(await approve('salespeople', ['SP1'])).toEqual(['approved']);
  const usdContract = {
    contractId: 'KU',
    customerId: 'CU2',
    salespersonId: 'SP1',
    region: 'West',
    signedOn: '2016-11-01',
    currency: 'USD',
  };
  expect(await statuses(put(api, 'contracts', [usdContract]))).toEqual(['created']);
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

describe('GET /api/commission/statement per currency', () => {
  it('without currency: the house currency (EUR) statement under the plan, naming USD', async () => {
    const eur = await statement({ salespersonId: 'SP1', month: '2016-11' });
    expect(eur).toMatchObject({ currency: 'EUR', otherCurrencies: ['USD'], planId: 'T', commission: '4.50' });
    // EUR 150.00 across the tier at 100.00; USD 200.00 is not added in (it would make 11.00 under the plan).
    expect(brief(eur)).toEqual([
      ['allocation', 'PAY1', 'K1', '100.00', '0.02', '2.00'],
      ['allocation', 'PAY1', 'K1', '50.00', '0.05', '2.50'],
    ]);
    expect(await statement({ salespersonId: 'SP1', month: '2016-11', currency: 'EUR' })).toEqual(eur);
  });

  it('currency=USD: only USD payments, at the flat commissionRate, naming EUR', async () => {
    const usd = await statement({ salespersonId: 'SP1', month: '2016-11', currency: 'USD' });
    expect(usd).toMatchObject({ currency: 'USD', otherCurrencies: ['EUR'], planId: null, commission: '2.00' });
    expect(brief(usd)).toEqual([['allocation', 'PU1', 'KU', '200.00', '0.01', '2.00']]);
    // A currency without contracts: an empty statement in it.
    expect(await statement({ salespersonId: 'SP1', month: '2016-11', currency: 'CHF' })).toMatchObject({
      currency: 'CHF',
      lines: [],
      commission: '0.00',
      otherCurrencies: ['EUR', 'USD'],
    });
  });

  it('answers 400 for a currency that is not a code', async () => {
    const bad = await api.call(commissionStatementRoute, {
      query: { salespersonId: 'SP1', month: '2016-11', currency: 'usd' },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.jsonBody)).toContain('query.currency');
  });

  it('refuses a settlement whose currency is not a code, naming the field', async () => {
    const [bad] = await put(api, 'commissionSettlements', [
      { salespersonId: 'SP1', month: 201610, commission: '1.00', settledOn: '2016-11-01', currency: 'usd' },
    ]);
    expect(bad?.status).toBe('invalid');
    expect(bad?.errors?.map((e) => e.field)).toEqual(['currency']);
  });

  it('a USD settlement locks only USD November; a USD correction lands in USD December', async () => {
    const settlement = { salespersonId: 'SP1', month: 201611, commission: '2.00', settledOn: '2016-12-01' };
    expect(await statuses(put(api, 'commissionSettlements', [{ ...settlement, currency: 'USD' }]))).toEqual([
      'created',
    ]);
    expect(await approve('commissionSettlements', ['SP1~201611~USD'])).toEqual(['approved']);
    expect((await getRow(api, 'commissionSettlements', 'SP1~201611~USD'))?.currency).toBe('USD');
    expect(await getRow(api, 'commissionSettlements', 'SP1~201611')).toBeUndefined();
    const usdNov = await statement({ salespersonId: 'SP1', month: '2016-11', currency: 'USD' });
    expect(usdNov).toMatchObject({ settled: true, commission: '2.00' });
    expect((await statement({ salespersonId: 'SP1', month: '2016-11' })).settled).toBe(false);

    const [changed] = await put(api, 'payments', [
      { paymentId: 'PU1', contractId: 'KU', invoiceNo: 'IU1', receivedOn: '2016-11-21', amount: '120' },
    ]);
    expect(changed?.status).toBe('conflict');
    const fresh = await put(api, 'payments', [
      {
        paymentId: 'PU1',
        contractId: 'KU',
        invoiceNo: 'IU1',
        receivedOn: '2016-11-21',
        amount: '120',
        etag: changed?.current?.etag,
      },
    ]);
    expect(fresh[0]?.status).toBe('updated');
    expect(await approve('payments', ['PU1'])).toEqual(['approved']);
    // USD November stays at 2.00 (its line now earns 1.20); the 0.80 comes back in USD December, not in EUR.
    const usdNovAfter = await statement({ salespersonId: 'SP1', month: '2016-11', currency: 'USD' });
    expect([usdNovAfter.commission, brief(usdNovAfter)]).toEqual([
      '2.00',
      [['allocation', 'PU1', 'KU', '120.00', '0.01', '1.20']],
    ]);
    const usdDec = await statement({ salespersonId: 'SP1', month: '2016-12', currency: 'USD' });
    expect(usdDec.lines.map((l) => [l.kind, l.months, l.commission])).toEqual([['adjustment', ['2016-11'], '-0.80']]);
    expect(usdDec).toMatchObject({ commission: '-0.80', otherCurrencies: [] });
    const eurDec = await statement({ salespersonId: 'SP1', month: '2016-12' });
    expect(eurDec).toMatchObject({ currency: 'EUR', lines: [], commission: '0.00', otherCurrencies: ['USD'] });
  });
});
