// The LEDGERDESK functions as plain TypeScript against the real local API on Azurite: figures equal the single
// endpoints to the cent, errors are Excel errors with messages, 1,000 simultaneous calls cost one request, streaming
// formulas re-ask only after an approval moved the stamp, and offline they keep their last good values.
import type { LedgerApiClient } from '../../../addin/flows/apiClient';
import { devTokenProvider } from '../../../addin/flows/apiClient';
import { FigureEngine, STATS_HEADER } from '../../../addin/src/functions/engine';
import {
  contract,
  FormulaError,
  invoiceFindings,
  LEDGERDESK_FUNCTIONS,
  receivable,
  stat,
  stats,
  useFigureEngine,
} from '../../../addin/src/functions/functions';
import { httpFiguresTransport } from '../../../addin/src/functions/transport';
import { staleText } from '../../../addin/src/FiguresStatus';
import { registerFigureProjection } from '../../../functions/src/figures/projection';
import { MEASURES } from '../../../shared/calc/statistics';
import { addDays } from '../../../shared/dates';
import { parseMoney } from '../../../shared/money';
import { approve, writeApproved, type WireRows } from '../support/approvedRows';
import { startLocalApi, type LocalApi } from '../support/localApi';

const ROWS: WireRows = {
  customers: [
    { customerId: 'CF1', name: 'Acme', region: 'CfEast' },
    { customerId: 'CF2', name: 'Bolt', region: 'CfWest' },
  ],
  salespeople: [{ salespersonId: 'CS1', name: 'Sam', region: 'CfEast', commissionRate: '0.03' }],
  contracts: [
    { contractId: 'CK1', customerId: 'CF1', salespersonId: 'CS1', region: 'CfEast', signedOn: '2016-11-01' },
    { contractId: 'CK2', customerId: 'CF2', salespersonId: 'CS1', region: 'CfWest', signedOn: '2016-12-02' },
  ],
  orderLines: [
    { contractId: 'CK1', lineNo: 1, itemCode: 'A', quantity: 10, unitPrice: '12.50' },
    { contractId: 'CK1', lineNo: 2, itemCode: 'B', quantity: 5, unitPrice: '3.3333' },
    { contractId: 'CK2', lineNo: 1, itemCode: 'A', quantity: 3, unitPrice: '99.99' },
  ],
  deliveries: [
    { deliveryId: 'CD1', contractId: 'CK1', itemCode: 'A', quantity: 6, date: '2016-11-05' },
    { deliveryId: 'CD2', contractId: 'CK2', itemCode: 'A', quantity: 3, date: '2016-12-05' },
  ],
  invoices: [
    { invoiceNo: 'CI1', contractId: 'CK1', issuedOn: '2016-11-10' },
    { invoiceNo: 'CI2', contractId: 'CK2', issuedOn: '2016-12-10' },
  ],
  invoiceLines: [
    { invoiceNo: 'CI1', lineNo: 1, itemCode: 'A', quantity: 7, unitPrice: '12.50' },
    { invoiceNo: 'CI2', lineNo: 1, itemCode: 'A', quantity: 3, unitPrice: '99.99' },
  ],
  payments: [{ paymentId: 'CP1', contractId: 'CK1', invoiceNo: 'CI1', receivedOn: '2016-11-20', amount: '20.00' }],
  expenses: [
    { expenseId: 'CE1', salespersonId: 'CS1', category: 'travel', incurredOn: '2016-12-03', amount: '120.00' },
  ],
};

/** A streaming invocation as Excel gives one: records every result set. */
function cell() {
  const results: unknown[] = [];
  let wake: (() => void) | undefined;
  const invocation = {
    setResult(v: unknown) {
      results.push(v);
      wake?.();
    },
    onCanceled: () => undefined,
  } as CustomFunctions.StreamingInvocation<unknown>;
  /** Waits until `n` results were set (1 by default). */
  const set = async (n = 1): Promise<unknown> => {
    const deadline = Date.now() + 10_000;
    while (results.length < n) {
      if (Date.now() > deadline) throw new Error(`no result ${n} within 10 s (have ${results.length})`);
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 50);
      });
    }
    return results[n - 1];
  };
  return { invocation, results, set };
}

const cents = (v: unknown): number => Math.round((v as number) * 100);

describe('LEDGERDESK functions against the local API', () => {
  let api: LocalApi;
  let manager: LedgerApiClient;
  let reviewer: LedgerApiClient;
  let clerk: LedgerApiClient;
  let unregister: () => void;
  let requests: string[] = [];
  let offline = false;
  let engine: FigureEngine;

  /** A fresh engine (100 ms window, no timer polls: the tests check the stamp by hand) on a counting fetch. */
  async function connect(): Promise<FigureEngine> {
    engine = new FigureEngine({ windowMs: 100, pollMs: 2_000_000_000 });
    useFigureEngine(engine);
    const token = await api.token('mia.manager', ['manager']);
    engine.connect(
      httpFiguresTransport({
        baseUrl: api.url,
        tokens: devTokenProvider(token),
        fetch: (input, init) => {
          requests.push(`${init?.method ?? 'GET'} ${(input as string).slice(api.url.length)}`);
          if (offline) return Promise.reject(new TypeError('fetch failed'));
          return fetch(input, init);
        },
      }),
    );
    return engine;
  }

  beforeAll(async () => {
    api = await startLocalApi();
    unregister = registerFigureProjection();
    clerk = await api.client('fiona.clerk', ['clerk', 'finance']);
    reviewer = await api.client('rita.reviewer', ['reviewer']);
    manager = await api.client('mia.manager', ['manager']);
    await writeApproved(clerk, reviewer, ROWS);
  });
  beforeEach(async () => {
    requests = [];
    offline = false;
    await connect();
  });
  afterEach(() => engine.dispose());
  afterAll(async () => {
    unregister();
    await api.close();
  });

  it('gives the figures of /api/stats, /api/receivables, performance and the invoice check to the cent', async () => {
    const [sEast, sAll, rec, perf, table] = [cell(), cell(), cell(), cell(), cell()];
    const [sCount, recBucket, findings, clean] = [cell(), cell(), cell(), cell()];
    stat('contractValue', '2016-Q4', 'CfEast', 'region', null, sEast.invocation);
    stat('expenses', 2016, null, null, null, sAll.invocation);
    stat('contractsSigned', '2016-12', undefined, undefined, null, sCount.invocation);
    receivable('CF1', '2017-01-31', null, null, null, rec.invocation);
    receivable('CF1', 42766 /* 2017-01-31 as an Excel date */, 'd31_60', 'customer', 'EUR', recBucket.invocation);
    contract('CK1', 'receivable', perf.invocation);
    invoiceFindings('CI1', findings.invocation);
    invoiceFindings('CI2', clean.invocation);
    stats('month', 'region', '2016-11-01', '2016-12-31', table.invocation);
    await Promise.all([sEast, sAll, sCount, rec, recBucket, perf, findings, clean, table].map((c) => c.set()));

    const byRegion = await manager.stats({
      period: 'quarter',
      from: '2016-10-01',
      to: '2016-12-31',
      groupBy: 'region',
    });
    const year = await manager.stats({ period: 'year', from: '2016-01-01', to: '2016-12-31', groupBy: 'none' });
    const month = await manager.stats({ period: 'month', from: '2016-12-01', to: '2016-12-31', groupBy: 'none' });
    const aging = await manager.receivables({ asOf: '2017-01-31', groupBy: 'customer' });
    const monthly = await manager.stats({ period: 'month', from: '2016-11-01', to: '2016-12-31', groupBy: 'region' });
    const k1 = aging.rows.find((r) => r.group === 'CF1');

    expect(cents(sEast.results[0])).toBe(parseMoney(byRegion.find((r) => r.group === 'CfEast')?.contractValue));
    expect(cents(sEast.results[0])).toBe(14167); // 10 × 12.50 + 5 × 3.3333 (16.67 half-up)
    expect(cents(sAll.results[0])).toBe(parseMoney(year[0]?.expenses));
    expect(sCount.results[0]).toBe(month[0]?.contractsSigned);
    expect(sCount.results[0]).toBe(1);
    expect(cents(rec.results[0])).toBe(parseMoney(k1?.total));
    expect(cents(rec.results[0])).toBe(6750); // 7 × 12.50 − 20.00
    expect(cents(recBucket.results[0])).toBe(parseMoney(k1?.d31_60));
    expect(cents(perf.results[0])).toBe(6750);
    expect(findings.results[0]).toBe(1); // 7 of A invoiced, 6 delivered by then: QTY_EXCEEDS_DELIVERED
    expect(clean.results[0]).toBe(0);
    expect(table.results[0]).toEqual([
      [...STATS_HEADER],
      ...monthly.map((r) => [
        r.period,
        r.group,
        r.currency,
        ...MEASURES.map((m) => (m === 'contractsSigned' ? r.contractsSigned : parseMoney(r[m]) / 100)),
      ]),
    ]);
    // One recalculation wave, one request.
    expect(requests).toEqual(['POST /figures/batch']);
  });

  it('answers a bad argument with #VALUE! and an unknown id with #N/A, each with a message, never a throw', async () => {
    const [badMeasure, badPeriod, badBucket, unknown, noContract, noInvoice, badCurrency] = [
      cell(),
      cell(),
      cell(),
      cell(),
      cell(),
      cell(),
      cell(),
    ];
    expect(() => stat('profit', '2016-Q4', null, null, null, badMeasure.invocation)).not.toThrow();
    stat('collected', '2016-13', null, null, null, badPeriod.invocation);
    receivable('CF1', '2017-01-31', 'd1_99', null, null, badBucket.invocation);
    receivable('NOBODY', '2017-01-31', null, null, null, unknown.invocation);
    contract('CK9', 'collected', noContract.invocation);
    invoiceFindings('CI9', noInvoice.invocation);
    receivable('CF1', '2017-01-31', null, null, 'eur', badCurrency.invocation);
    const got = await Promise.all(
      [badMeasure, badPeriod, badBucket, unknown, noContract, noInvoice, badCurrency].map((c) => c.set()),
    );
    expect(got.every((v) => v instanceof FormulaError)).toBe(true);
    const shown = (got as FormulaError[]).map((e) => `${e.code} ${e.message}`);
    expect(shown[0]).toMatch(/^#VALUE! measure must be one of contractsSigned, contractValue, delivered/);
    expect(shown[1]).toMatch(/^#VALUE! period must be a month \(2016-11\), a quarter \(2016-Q4\) or a year/);
    expect(shown[2]).toMatch(/^#VALUE! bucket must be one of current, d1_30/);
    expect(shown.slice(3)).toEqual([
      '#N/A No approved contract has customer NOBODY.',
      '#N/A Contract CK9 does not exist (or is not approved).',
      '#N/A Invoice CI9 does not exist (or is not approved).',
      '#VALUE! currency must be a currency code such as EUR.',
    ]);
    // Bad arguments never reach the API; the three lookups went in one batch.
    expect(requests).toEqual(['POST /figures/batch']);
  });

  it('sends 1,000 simultaneous calls as one request, and every cell gets its figure', async () => {
    const cells: ReturnType<typeof cell>[] = [];
    for (let i = 0; i < 1000; i++) {
      const c = cell();
      cells.push(c);
      if (i % 2 === 0)
        receivable(i % 4 === 0 ? 'CF1' : 'CF2', addDays('2016-11-01', i), null, null, null, c.invocation);
      else stat(MEASURES[i % 7] as string, addDays('2016-01-01', i).slice(0, 7), null, null, null, c.invocation);
    }
    await Promise.all(cells.map((c) => c.set()));
    expect(requests.length).toBeLessThanOrEqual(3);
    expect(requests).toEqual(['POST /figures/batch']);
    expect(cells.every((c) => typeof c.results[0] === 'number')).toBe(true);
    // Spot check against the endpoint: CF1 as of 2016-11-01 + 92 days (i = 92).
    const aging = await manager.receivables({ asOf: addDays('2016-11-01', 92), groupBy: 'customer' });
    expect(cents(cells[92]?.results[0])).toBe(parseMoney(aging.rows.find((r) => r.group === 'CF1')?.total));
  });

  it('re-asks streaming formulas only after an approval moved the stamp, and sets only the values that changed', async () => {
    const [k2, k1, count] = [cell(), cell(), cell()];
    receivable('CF2', '2017-01-31', null, null, null, k2.invocation);
    receivable('CF1', '2017-01-31', null, null, null, k1.invocation);
    stat('contractsSigned', '2016', null, null, null, count.invocation);
    await Promise.all([k2.set(), k1.set(), count.set()]);
    expect(cents(k2.results[0])).toBe(29997);
    requests = [];

    expect(await engine.checkStamp()).toBe('unchanged');
    expect(requests).toEqual(['GET /figures/stamp']);
    // A pending payment moves no approved figure: still unchanged.
    const put = await clerk.putRows(
      'payments',
      [{ paymentId: 'CP2', contractId: 'CK2', invoiceNo: 'CI2', receivedOn: '2017-01-05', amount: '100.00' }],
      `cf-${Date.now()}`,
    );
    expect(await engine.checkStamp()).toBe('unchanged');
    expect(requests).toEqual(['GET /figures/stamp', 'GET /figures/stamp']);

    await approve(reviewer, 'payments', [{ key: 'CP2', etag: put.results[0]?.etag as string }]);
    expect(await engine.checkStamp()).toBe('changed');
    await k2.set(2);
    expect(cents(k2.results[1])).toBe(19997);
    expect(requests).toEqual(['GET /figures/stamp', 'GET /figures/stamp', 'GET /figures/stamp', 'POST /figures/batch']);
    // CF1's receivable and the count did not change: not set again.
    expect(k1.results).toHaveLength(1);
    expect(count.results).toHaveLength(1);
    expect(await engine.checkStamp()).toBe('unchanged');
    expect(requests).toHaveLength(5);
  });

  it('checks the stamp on its own timer, never re-reading figures until an approval; stops when the formula is deleted', async () => {
    engine = new FigureEngine({ windowMs: 100, pollMs: 150 });
    useFigureEngine(engine);
    engine.connect(
      httpFiguresTransport({
        baseUrl: api.url,
        tokens: devTokenProvider(await api.token('mia.manager', ['manager'])),
        fetch: (input, init) => {
          requests.push(`${init?.method ?? 'GET'} ${(input as string).slice(api.url.length)}`);
          return fetch(input, init);
        },
      }),
    );
    const c = cell();
    stat('collected', '2017-01', null, null, null, c.invocation);
    const before = cents(await c.set());
    await new Promise((r) => setTimeout(r, 700));
    expect(requests[0]).toBe('POST /figures/batch');
    expect(requests.slice(1).length).toBeGreaterThanOrEqual(2);
    expect(new Set(requests.slice(1))).toEqual(new Set(['GET /figures/stamp']));

    const put = await clerk.putRows(
      'payments',
      [{ paymentId: 'CP3', contractId: 'CK1', invoiceNo: 'CI1', receivedOn: '2017-01-07', amount: '7.50' }],
      `cf-${Date.now()}`,
    );
    await approve(reviewer, 'payments', [{ key: 'CP3', etag: put.results[0]?.etag as string }]);
    expect(cents(await c.set(2)) - before).toBe(750);
    expect(requests.filter((r) => r === 'POST /figures/batch')).toHaveLength(2);

    // Excel cancels a deleted formula: nothing is polled for it any more.
    c.invocation.onCanceled();
    expect(engine.subscriptions).toBe(0);
    const count = requests.length;
    await new Promise((r) => setTimeout(r, 400));
    expect(requests.length).toBe(count);
  });

  it('keeps the last good value per formula when the API cannot be reached, and says since when', async () => {
    const before = new Date().toISOString();
    const first = cell();
    receivable('CF1', '2016-12-31', null, null, null, first.invocation);
    await first.set();
    const lastGood = first.results[0] as number;
    expect(engine.status()).toEqual({ state: 'fresh' });

    offline = true;
    expect(await engine.checkStamp()).toBe('offline');
    const status = engine.status();
    expect(status.state).toBe('stale');
    const since = (status as { since: string }).since;
    expect(since >= before && since <= new Date().toISOString()).toBe(true);
    expect(staleText(status)).toMatch(/^Figures stale since \d{4}-\d\d-\d\d \d\d:\d\d: the API cannot be reached/);
    // The formula keeps its value (nothing set again); the same formula entered again gets the last good value.
    expect(first.results).toHaveLength(1);
    const again = cell();
    receivable('CF1', '2016-12-31', null, null, null, again.invocation);
    expect(await again.set()).toBe(lastGood);
    // A formula never answered has no last value: #N/A with a message.
    const fresh = cell();
    contract('CK1', 'collected', fresh.invocation);
    const err = (await fresh.set()) as FormulaError;
    expect(err).toBeInstanceOf(FormulaError);
    expect(err.code).toBe('#N/A');
    expect(err.message).toMatch(/cannot be reached .*No earlier value of this formula is kept\./);

    offline = false;
    expect(await engine.checkStamp()).toBe('unchanged');
    expect(engine.status()).toEqual({ state: 'fresh' });
    expect(staleText(engine.status())).toBeNull();
  });

  it('takes today as the receivables day and this calendar year as the statistics range when they are omitted', async () => {
    const d = new Date();
    const today = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    const [rec, table, old] = [cell(), cell(), cell()];
    receivable('CF2', null, null, null, null, rec.invocation);
    stats('year', 'none', null, null, table.invocation);
    stats('year', 'none', '2016-01-01', null, old.invocation);
    await Promise.all([rec.set(), table.set(), old.set()]);
    const aging = await manager.receivables({ asOf: today, groupBy: 'customer' });
    expect(cents(rec.results[0])).toBe(parseMoney(aging.rows.find((r) => r.group === 'CF2')?.total));
    const year = d.getFullYear();
    const thisYear = await manager.stats({
      period: 'year',
      from: `${year}-01-01`,
      to: `${year}-12-31`,
      groupBy: 'none',
    });
    expect((table.results[0] as unknown[][]).length).toBe(1 + thisYear.length);
    // From 2016 to the end of this year: 2016 and 2017 have figures.
    expect((old.results[0] as unknown[][]).slice(1).map((r) => r[0])).toEqual(expect.arrayContaining(['2016', '2017']));
    expect((old.results[0] as unknown[][]).slice(1).at(-1)?.[0]).not.toBe(String(year + 1));
  });

  it('shows the API’s refusal as #N/A with its message (a bad token is not "offline": no stale value stands in)', async () => {
    const ok = cell();
    contract('CK1', 'orderedAmount', ok.invocation);
    expect(typeof (await ok.set())).toBe('number');
    // The same engine (which keeps that value) signed in with a token the API refuses.
    engine.connect(httpFiguresTransport({ baseUrl: api.url, tokens: devTokenProvider('not-a-token') }));
    // The running formula is asked again on sign-in, and shows the refusal.
    expect(await ok.set(2)).toBeInstanceOf(FormulaError);
    const refused = cell();
    contract('CK1', 'orderedAmount', refused.invocation);
    const err = (await refused.set()) as FormulaError;
    expect(err).toBeInstanceOf(FormulaError);
    expect(err.code).toBe('#N/A');
    expect(err.message).toMatch(/token/i);
    expect(engine.status()).toEqual({ state: 'fresh' });
  });

  it('associates exactly the functions it declares', () => {
    expect(Object.keys(LEDGERDESK_FUNCTIONS)).toEqual(['STAT', 'RECEIVABLE', 'CONTRACT', 'INVOICEFINDINGS', 'STATS']);
  });
});
