// Approval semantics of the figures (approved only; includePending; edits count once approved) and parameter errors.
import type { StatsRow } from '../../../shared/api';
import { ledgerData } from '../../../shared/calc';
import { getLedgerRowRoute } from '../../../functions/src/functions/getLedgerRow';
import { putLedgerRowsRoute } from '../../../functions/src/functions/putLedgerRows';
import { contractPerformanceRoute } from '../../../functions/src/functions/contractPerformance';
import { invoiceCheckRoute } from '../../../functions/src/functions/invoiceCheck';
import { receivablesRoute } from '../../../functions/src/functions/receivables';
import { statsRoute } from '../../../functions/src/functions/stats';
import { contract, delivery, invoice, invoiceLine, orderLine, payment } from '../../shared/calc/fixtures/records';
import { approveKeys, putRecords, useApprovedData } from './support';

const api = useApprovedData(
  ledgerData({
    contracts: [contract('C1', { signedOn: '2016-11-05' })],
    orderLines: [orderLine('C1', 1, 'A', 10, '10.00')],
    deliveries: [delivery('D1', 'C1', 'A', 2, '2016-11-20')],
    invoices: [invoice('I1', 'C1', '2016-11-25')],
    invoiceLines: [invoiceLine('I1', 1, 'A', 2, '10.00')],
  }),
);

const Q = { period: 'month', from: '2016-11-01', to: '2016-12-31', groupBy: 'none' };

async function stats(query: Record<string, string> = Q): Promise<StatsRow[]> {
  const res = await api.call(statsRoute, { query });
  expect(res.status).toBe(200);
  return (res.jsonBody as { rows: StatsRow[] }).rows;
}

it('counts approved rows only; includePending shows pending ones; approval moves the figures at once', async () => {
  expect(await stats()).toEqual([
    expect.objectContaining({
      period: '2016-11',
      contractsSigned: 1,
      contractValue: '100.00',
      delivered: '20.00',
      invoiced: '20.00',
    }),
  ]);
  await putRecords(api, 'deliveries', [delivery('D2', 'C1', 'A', 3, '2016-12-02')]);
  await putRecords(api, 'payments', [payment('P1', 'C1', '2016-12-03', '15.00')]);
  expect(await stats()).toHaveLength(1);
  const provisional = await stats({ ...Q, includePending: 'true' });
  expect(provisional[1]).toMatchObject({ period: '2016-12', delivered: '30.00', collected: '15.00' });
  const rec = await api.call(receivablesRoute, {
    query: { asOf: '2016-12-31', groupBy: 'contract', includePending: 'true' },
  });
  expect((rec.jsonBody as { rows: { total: string }[] }).rows[0]?.total).toBe('5.00');

  await approveKeys(api, 'deliveries', ['D2']);
  const after = await stats();
  expect(after[1]).toMatchObject({ period: '2016-12', delivered: '30.00', collected: '0.00' });
  await approveKeys(api, 'payments', ['P1']);
  expect((await stats())[1]).toMatchObject({ collected: '15.00' });
});

it('a pending edit of an approved row changes nothing until it is approved', async () => {
  // An edit of a stored row carries the etag read from it.
  const row = (await api.call(getLedgerRowRoute, { params: { ledger: 'orderLines', key: 'C1~1' } })).jsonBody as {
    etag: string;
  };
  const put = await api.call(putLedgerRowsRoute, {
    params: { ledger: 'orderLines' },
    body: { rows: [{ contractId: 'C1', lineNo: 1, itemCode: 'A', quantity: 10, unitPrice: '12.00', etag: row.etag }] },
  });
  expect((put.jsonBody as { results: { status: string }[] }).results[0]?.status).toBe('updated');
  expect((await stats())[0]).toMatchObject({ contractValue: '100.00', delivered: '20.00' });
  expect((await stats({ ...Q, includePending: 'true' }))[0]).toMatchObject({
    contractValue: '120.00',
    delivered: '24.00',
  });
  const perf = await api.call(contractPerformanceRoute, { params: { contractId: 'C1' } });
  expect(perf.jsonBody).toMatchObject({ totals: { orderedAmount: '100.00' } });
  const check = await api.call(invoiceCheckRoute, { body: { invoiceNos: ['I1', 'NOPE'], includePending: true } });
  expect(check.jsonBody).toEqual({
    findings: [
      expect.objectContaining({ invoiceNo: 'I1', code: 'PRICE_MISMATCH', expected: '12.00', actual: '10.00' }),
    ],
    notFound: ['NOPE'],
  });

  await approveKeys(api, 'orderLines', ['C1~1']);
  const rows = await stats();
  expect(rows[0]).toMatchObject({ contractValue: '120.00', delivered: '24.00' });
  // The December delivery is revalued too: the price change and the delivery interact.
  expect(rows[1]).toMatchObject({ delivered: '36.00' });
  const perf2 = await api.call(contractPerformanceRoute, { params: { contractId: 'C1' } });
  expect(perf2.jsonBody).toMatchObject({ totals: { orderedAmount: '120.00', deliveredAmount: '60.00' } });
});

it('answers 404 not_found for an unknown contract', async () => {
  const res = await api.call(contractPerformanceRoute, { params: { contractId: 'NOPE' } });
  expect(res.status).toBe(404);
  expect(res.jsonBody).toMatchObject({ error: { code: 'not_found' } });
});

it.each([
  ['unknown period', { ...Q, period: 'week' }, 'period'],
  ['unknown groupBy', { ...Q, groupBy: 'planet' }, 'groupBy'],
  ['from after to', { ...Q, from: '2017-01-01', to: '2016-01-01' }, 'from'],
  ['impossible from', { ...Q, from: '2016-02-30' }, 'from'],
  ['impossible to', { ...Q, to: '2016-13-01' }, 'to'],
  ['range over 20 years', { ...Q, from: '1990-01-01', to: '2016-01-01' }, 'to'],
  ['missing period', { from: Q.from, to: Q.to }, 'period'],
  ['unknown parameter', { ...Q, colour: 'red' }, 'colour'],
  ['bad includePending', { ...Q, includePending: 'yes' }, 'includePending'],
])('stats: 400 naming the parameter for %s', async (_name, query, field) => {
  const res = await api.call(statsRoute, { query: query });
  expect(res.status).toBe(400);
  expect(res.jsonBody).toMatchObject({ error: { code: 'invalid', details: [expect.objectContaining({ field })] } });
  expect((res.jsonBody as { error: { message: string } }).error.message).toContain(field);
});

it.each([
  ['impossible asOf', { asOf: '2016-02-30' }, 'asOf'],
  ['unknown groupBy', { asOf: '2016-02-01', groupBy: 'none' }, 'groupBy'],
  ['missing asOf', {}, 'asOf'],
])('receivables: 400 naming the parameter for %s', async (_name, query, field) => {
  const res = await api.call(receivablesRoute, { query: query });
  expect(res.status).toBe(400);
  expect(res.jsonBody).toMatchObject({ error: { details: [expect.objectContaining({ field })] } });
});

it('invoice check: 400 for a bad body', async () => {
  const res = await api.call(invoiceCheckRoute, { body: { priceTolerancePct: -1 } });
  expect(res.status).toBe(400);
  expect(res.jsonBody).toMatchObject({
    error: { details: [expect.objectContaining({ field: 'body.priceTolerancePct' })] },
  });
});
