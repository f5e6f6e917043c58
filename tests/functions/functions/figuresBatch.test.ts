// POST /api/figures/batch and GET /api/figures/stamp on Azurite: batch answers equal the single figure endpoints,
// unknown ids are notFound, bad queries invalid (the others still answered), one computation per distinct figure, and
// the stamp answers 304 until an approval moves it.
import { HttpRequest, InvocationContext } from '@azure/functions';
import type { FigureResult, FiguresBatchResponse, PerformanceResponse, StatsRow } from '../../../shared/api';
import { MAX_FIGURE_QUERIES } from '../../../shared/api';
import { ledgerData } from '../../../shared/calc';
import { figuresBatchRoute } from '../../../functions/src/functions/figuresBatch';
import { figuresStampRoute } from '../../../functions/src/functions/figuresStamp';
import { contractPerformanceRoute } from '../../../functions/src/functions/contractPerformance';
import { invoiceCheckRoute } from '../../../functions/src/functions/invoiceCheck';
import { receivablesRoute } from '../../../functions/src/functions/receivables';
import { statsRoute } from '../../../functions/src/functions/stats';
import { figureComputations, unitReads } from '../../../functions/src/figures/ledgerView';
import { withApiBoundary } from '../../../functions/src/http/route';
import {
  contract,
  customer,
  delivery,
  invoice,
  invoiceLine,
  orderLine,
  payment,
  salesperson,
} from '../../shared/calc/fixtures/records';
import { approveKeys, putRecords, useApprovedData } from '../figures/support';

const api = useApprovedData(
  ledgerData({
    customers: [customer('K1', 'East'), customer('K2', 'West')],
    salespeople: [salesperson('S1', 'East')],
    contracts: [
      contract('C1', { customerId: 'K1', region: 'East', signedOn: '2016-11-05' }),
      contract('C2', { customerId: 'K2', region: 'West', signedOn: '2016-12-01' }),
    ],
    orderLines: [
      orderLine('C1', 1, 'A', 10, '10.00'),
      orderLine('C1', 2, 'B', 4, '2.50'),
      orderLine('C2', 1, 'A', 5, '20.00'),
    ],
    deliveries: [delivery('D1', 'C1', 'A', 6, '2016-11-20'), delivery('D2', 'C2', 'A', 5, '2016-12-05')],
    invoices: [invoice('I1', 'C1', '2016-11-25'), invoice('I2', 'C2', '2016-12-10')],
    // I1 line 2: B at 3.00 where 2.50 was ordered, and none of B delivered: two findings. I2 is clean.
    invoiceLines: [
      invoiceLine('I1', 1, 'A', 6, '10.00'),
      invoiceLine('I1', 2, 'B', 1, '3.00'),
      invoiceLine('I2', 1, 'A', 5, '20.00'),
    ],
    payments: [payment('P1', 'C1', '2016-12-01', '20.00', 'I1')],
  }),
);

async function batch(queries: unknown[]): Promise<FiguresBatchResponse> {
  const res = await api.call(figuresBatchRoute, { body: { queries } });
  expect(res.status).toBe(200);
  return res.jsonBody as FiguresBatchResponse;
}

async function stats(query: Record<string, string>): Promise<StatsRow[]> {
  return ((await api.call(statsRoute, { query })).jsonBody as { rows: StatsRow[] }).rows;
}

it('answers stat, stats, receivable, contract and invoiceFindings queries as the single endpoints do', async () => {
  const byRegion = await stats({ period: 'quarter', from: '2016-10-01', to: '2016-12-31', groupBy: 'region' });
  const total = await stats({ period: 'quarter', from: '2016-10-01', to: '2016-12-31', groupBy: 'none' });
  const monthly = await stats({ period: 'month', from: '2016-01-01', to: '2016-12-31', groupBy: 'customer' });
  const aging = (
    (await api.call(receivablesRoute, { query: { asOf: '2017-01-31', groupBy: 'customer' } })).jsonBody as {
      rows: { group: string; total: string; d31_60: string }[];
    }
  ).rows;
  const perf = (await api.call(contractPerformanceRoute, { params: { contractId: 'C1' } }))
    .jsonBody as PerformanceResponse;
  const check = (await api.call(invoiceCheckRoute, { body: { invoiceNos: ['I1', 'I2'] } })).jsonBody as {
    findings: { invoiceNo: string }[];
  };

  const res = await batch([
    { kind: 'stat', measure: 'collected', period: '2016-Q4', group: 'East', groupBy: 'region' },
    { kind: 'stat', measure: 'contractValue', period: '2016-Q4', group: 'West' },
    { kind: 'stat', measure: 'invoiced', period: '2016-Q4' },
    { kind: 'stat', measure: 'contractsSigned', period: '2016-Q4' },
    { kind: 'stat', measure: 'expenses', period: '2015' },
    { kind: 'stats', period: 'month', groupBy: 'customer', from: '2016-01-01', to: '2016-12-31' },
    { kind: 'receivable', id: 'K1', asOf: '2017-01-31' },
    { kind: 'receivable', id: 'K1', asOf: '2017-01-31', bucket: 'd31_60' },
    { kind: 'receivable', id: 'K2', asOf: '2016-11-30' },
    { kind: 'contract', contractId: 'C1', field: 'invoicedAmount' },
    { kind: 'contract', contractId: 'C1', field: 'fulfilledPct' },
    { kind: 'invoiceFindings', invoiceNo: 'I1' },
    { kind: 'invoiceFindings', invoiceNo: 'I2' },
  ]);
  const east = byRegion.find((r) => r.group === 'East');
  const west = byRegion.find((r) => r.group === 'West');
  expect(res.results.map((r) => r.value ?? r.rows)).toEqual([
    east?.collected,
    west?.contractValue,
    total[0]?.invoiced,
    total[0]?.contractsSigned,
    '0.00', // no figures in 2015: zero, not an error
    monthly,
    aging.find((r) => r.group === 'K1')?.total,
    aging.find((r) => r.group === 'K1')?.d31_60,
    '0.00', // K2 has an approved contract but nothing invoiced by 2016-11-30
    perf.totals.invoicedAmount,
    42.9, // (6 of A + 0 of B) net delivered / (10 + 4) ordered × 100, half-up to one decimal
    check.findings.filter((f) => f.invoiceNo === 'I1').length,
    0,
  ]);
  // The figures by hand, so the comparison above cannot pass on two equal wrong answers.
  expect(res.results.slice(0, 4).map((r) => r.value)).toEqual(['20.00', '100.00', '163.00', 2]);
  expect(res.results.slice(6, 8).map((r) => r.value)).toEqual(['43.00', '43.00']);
  expect(res.results[9]?.value).toBe('63.00');
  expect(res.results[11]?.value).toBe(2);
  expect(res.results.every((r) => r.status === 'ok')).toBe(true);
  expect(res.generation).toEqual(expect.any(String));
});

it('answers unknown ids notFound and bad queries invalid, naming the argument, while the others are answered', async () => {
  const res = await batch([
    { kind: 'receivable', id: 'NOPE', asOf: '2017-01-31' },
    { kind: 'contract', contractId: 'C9', field: 'collected' },
    { kind: 'invoiceFindings', invoiceNo: 'I9' },
    { kind: 'stat', measure: 'profit', period: '2016-Q4' },
    { kind: 'stat', measure: 'collected', period: '2016-Q5' },
    { kind: 'receivable', id: 'K1', asOf: '2017-02-30' },
    { kind: 'contract', contractId: 'C1', field: 'margin' },
    { kind: 'stats', period: 'week', groupBy: 'region', from: '2016-01-01', to: '2016-12-31' },
    { kind: 'chart' },
    'not a query',
    { kind: 'stat', measure: 'collected', period: '2016-Q4', group: 'East' },
  ]);
  const brief = res.results.map((r: FigureResult) => [r.status, r.message]);
  expect(brief.slice(0, 3)).toEqual([
    ['notFound', 'No approved contract has customer NOPE.'],
    ['notFound', 'Contract C9 does not exist (or is not approved).'],
    ['notFound', 'Invoice I9 does not exist (or is not approved).'],
  ]);
  expect(brief.slice(3, 10).map(([s]) => s)).toEqual(Array(7).fill('invalid'));
  expect(brief[3]?.[1]).toMatch(/^measure must be one of contractsSigned, contractValue/);
  expect(brief[4]?.[1]).toMatch(/^period must be a month \(2016-11\), a quarter \(2016-Q4\) or a year/);
  expect(brief[5]?.[1]).toBe('asOf must be a calendar date as YYYY-MM-DD.');
  expect(brief[6]?.[1]).toMatch(/^field must be one of orderedAmount/);
  expect(brief[7]?.[1]).toBe('period must be month, quarter or year.');
  expect(brief[8]?.[1]).toMatch(/kind must be one of stat, receivable, contract, invoiceFindings, stats/);
  expect(res.results[10]).toEqual({ status: 'ok', value: '20.00', currency: 'EUR' });
});

it('refuses an empty or oversized batch with 400', async () => {
  const empty = await api.call(figuresBatchRoute, { body: { queries: [] } });
  expect(empty.status).toBe(400);
  const q = { kind: 'invoiceFindings', invoiceNo: 'I1' };
  const tooMany = await api.call(figuresBatchRoute, { body: { queries: Array(MAX_FIGURE_QUERIES + 1).fill(q) } });
  expect(tooMany.status).toBe(400);
  expect(JSON.stringify(tooMany.jsonBody)).toContain(`at most ${MAX_FIGURE_QUERIES} queries per request`);
});

it('computes each distinct figure once per batch, however many queries ask for it', async () => {
  const computed = figureComputations();
  const units = unitReads.count;
  const queries = [];
  for (let i = 0; i < 500; i++) {
    queries.push({ kind: 'receivable', id: i % 2 === 0 ? 'K1' : 'K2', asOf: '2018-06-30', bucket: 'total' });
    queries.push({ kind: 'contract', contractId: i % 2 === 0 ? 'C1' : 'C2', field: 'collected' });
  }
  const res = await batch(queries);
  expect(res.results).toHaveLength(1000);
  expect(new Set(res.results.map((r) => `${r.status}:${String(r.value)}`))).toEqual(
    new Set(['ok:43.00', 'ok:100.00', 'ok:20.00', 'ok:0.00']),
  );
  // One aging computation and one set of known customers (the scan itself is cached); units are read at most once each.
  expect(figureComputations() - computed).toBeLessThanOrEqual(2);
  expect(unitReads.count - units).toBeLessThanOrEqual(2);
});

it('answers the stamp with 304 while unchanged and with the new stamp after an approval', async () => {
  const first = await api.call(figuresStampRoute);
  expect(first.status).toBe(200);
  const { generation } = first.jsonBody as { generation: string };
  const etag = (first.headers as Record<string, string>).etag;
  expect(etag).toBe(`"${generation}"`);
  expect((await batch([{ kind: 'invoiceFindings', invoiceNo: 'I2' }])).generation).toBe(generation);
  const same = await api.call(figuresStampRoute, { headers: { 'If-None-Match': etag as string } });
  expect(same.status).toBe(304);
  expect(same.jsonBody).toBeUndefined();

  await putRecords(api, 'payments', [payment('P2', 'C2', '2017-01-05', '30.00', 'I2')]);
  // A pending write does not move the approved figures.
  expect((await api.call(figuresStampRoute, { headers: { 'If-None-Match': etag as string } })).status).toBe(304);
  await approveKeys(api, 'payments', ['P2']);
  const moved = await api.call(figuresStampRoute, { headers: { 'If-None-Match': etag as string } });
  expect(moved.status).toBe(200);
  expect((moved.jsonBody as { generation: string }).generation).not.toBe(generation);
  const after = await batch([{ kind: 'receivable', id: 'K2', asOf: '2017-01-31' }]);
  expect(after.results[0]?.value).toBe('70.00');
});

it('lets the add-in send If-None-Match across origins (CORS preflight) and read the ETag', async () => {
  const origin = api.config.corsOrigin;
  const pre = await withApiBoundary(figuresStampRoute)(
    new HttpRequest({
      method: 'OPTIONS',
      url: 'http://127.0.0.1:7071/api/figures/stamp',
      headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'if-none-match' },
    }),
    new InvocationContext({}),
  );
  expect(pre.status).toBe(204);
  const headers = pre.headers as Record<string, string>;
  expect(headers['access-control-allow-headers']).toContain('If-None-Match');
  expect(headers['access-control-allow-origin']).toBe(origin);
  const res = await api.call(figuresStampRoute, { headers: { origin } });
  expect((res.headers as Record<string, string>)['access-control-expose-headers']).toContain('ETag');
});
