// Benchmark: GET /api/stats?includePending=true over 50,000 pending rows, first and repeated, beside approved-only stats.
//
// Seeds an in-memory Azurite with an approved base (ledger rows with their history, plus the contract index and
// rollups from the rebuild's write path) and 50,000 pending rows: new contracts with all their rows, and pending
// changes to approved deliveries. Rows are written as the write path stores them (ledgerEntities' createWrite,
// updateWrite and approveWrite, committed with ledgerStore.commitWrites), without PUT's reference checks, which would
// make seeding take minutes. Timed through the service the handler calls (statistics()), without token verification.
// The provisional figures are checked against shared/calc's statistics over the latest versions, to the cent.
//
// Measured: a cold first call (process caches emptied), repeated calls, and the call after one more pending write.
// The ledger write stamps the caches depend on are bumped by commitWrites after each seeding commit, as by every
// write path (store/ledgerStamps.ts).

import { statsQuery, type StatsRow } from '../shared/api';
import { DATA_LEDGERS, type LedgerData } from '../shared/calc';
import { computeStatistics } from '../shared/calc/statistics';
import { keyOf, type Delivery, type LedgerName, type LedgerRecord } from '../shared/ledgers';
import { receivablesRowToWire, statsRowToWire } from '../shared/wire';
import { computeReceivables } from '../shared/calc/aging';
import { HttpRequest, InvocationContext } from '@azure/functions';
import { signDevToken } from '../functions/src/auth/devKey';
import { contractPerformanceRoute } from '../functions/src/functions/contractPerformance';
import { invoiceCheckRoute } from '../functions/src/functions/invoiceCheck';
import { receivablesRoute } from '../functions/src/functions/receivables';
import { withApiBoundary, type Route } from '../functions/src/http/route';
import { clearApprovedCacheForTests } from '../functions/src/figures/ledgerView';
import { writeProjection } from '../functions/src/figures/rebuild';
import { clearCellCacheForTests, statistics } from '../functions/src/figures/statistics';
import {
  addressOf,
  approveWrite,
  createWrite,
  decodeRow,
  updateWrite,
  type RowWrite,
  type StoredRow,
} from '../functions/src/store/ledgerEntities';
import { commitWrites } from '../functions/src/store/ledgerStore';
import { generate } from './figures.bench';
import { fmt, withAzurite } from './support';

/** Approved base: contracts with 6 rows each (see generate). */
const APPROVED_CONTRACTS = 2_000;
/** Pending changes to approved deliveries. */
const PENDING_EDITS = 500;
/** New contracts with all 6 rows pending: 8,250 × 6 + 500 edits = 50,000 pending rows. */
const PENDING_CONTRACTS = 8_250;
const REPEATS = 20;
const COLD_STARTS = 3;
const TARGET_MS = 1_000;
const FIGURE_LEDGERS = DATA_LEDGERS.filter((n) => n !== 'customers');

function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function commitAll(name: LedgerName, writes: RowWrite[]): Promise<StoredRow[]> {
  const stored: StoredRow[] = [];
  for (let i = 0; i < writes.length; i += 5_000) {
    const part = writes.slice(i, i + 5_000);
    const outcomes = await commitWrites(name, part);
    outcomes.forEach((o, j) => {
      if (!o.ok) throw new Error(`seeding ${name}: a write was refused`);
      stored.push(decodeRow(name, { ...(part[j] as RowWrite).row, etag: o.etag }));
    });
  }
  return stored;
}

function creates(name: LedgerName, records: readonly LedgerRecord<LedgerName>[], at: string): RowWrite[] {
  return records.map((r) => {
    const key = keyOf(name, r);
    const address = addressOf(name, key);
    if (address === null) throw new Error(`bad key ${key}`);
    return createWrite(name, address, key, r, 'bench.clerk', at);
  });
}

/** Writes `data` as rows; approved ones get an approval too. Returns the stored rows per ledger. */
async function seedRows(data: LedgerData, approve: boolean): Promise<Map<LedgerName, StoredRow[]>> {
  const at = new Date().toISOString();
  const out = new Map<LedgerName, StoredRow[]>();
  for (const name of FIGURE_LEDGERS) {
    const records = data[name] as readonly LedgerRecord<LedgerName>[];
    if (records.length === 0) continue;
    let stored = await commitAll(name, creates(name, records, at));
    if (approve)
      stored = await commitAll(
        name,
        stored.map((s) => approveWrite(s, 'bench.reviewer', at)),
      );
    out.set(name, stored);
  }
  return out;
}

function statsRows(data: LedgerData, query: ReturnType<typeof statsQuery.parse>): StatsRow[] {
  return computeStatistics(data, query).map(statsRowToWire);
}

/** Calls a handler as the HTTP host does (token verification included); returns the JSON body. */
async function call(
  route: Route,
  token: string,
  options: { query?: Record<string, string>; params?: Record<string, string>; body?: unknown },
): Promise<unknown> {
  const qs = new URLSearchParams(options.query ?? {}).toString();
  const pathPart = route.route.replace(/\{(\w+)\}/g, (_m, p: string) => encodeURIComponent(options.params?.[p] ?? ''));
  const req = new HttpRequest({
    method: route.methods[0],
    url: `http://127.0.0.1:7071/api/${pathPart}${qs ? `?${qs}` : ''}`,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    params: options.params ?? {},
    ...(options.body === undefined ? {} : { body: { string: JSON.stringify(options.body) } }),
  });
  const res = await withApiBoundary(route)(req, new InvocationContext({ functionName: route.name }));
  if (res.status !== 200) throw new Error(`${route.name}: ${res.status} ${JSON.stringify(res.jsonBody)}`);
  return res.jsonBody;
}

/**
 * The other includePending figures through their handlers: receivables and the invoice check for all invoices (both
 * from the index scan and the pending rows, cached under the same stamps as statistics), and one contract's
 * performance (its unit and the cached pending rows). First call after the statistics above, then the median of
 * REPEATS; receivables are checked against shared/calc.
 */
async function handlerFigures(keyFile: string, latest: LedgerData, approvedMs: number): Promise<void> {
  const token = await signDevToken(keyFile, { user: 'bench.manager', roles: ['manager'] });
  const asOf = '2017-12-31';
  const cases: [string, () => Promise<unknown>][] = [
    [
      'receivables',
      () => call(receivablesRoute, token, { query: { asOf, groupBy: 'customer', includePending: 'true' } }),
    ],
    ['invoice check (all)', () => call(invoiceCheckRoute, token, { body: { includePending: true } })],
    [
      'contract performance',
      () =>
        call(contractPerformanceRoute, token, {
          params: { contractId: 'PN000007' },
          query: { includePending: 'true' },
        }),
    ],
  ];
  for (const [name, fn] of cases) {
    let s = performance.now();
    const body = await fn();
    const firstMs = performance.now() - s;
    const times: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      s = performance.now();
      await fn();
      times.push(performance.now() - s);
    }
    const repeated = median(times);
    let check = '';
    if (name === 'receivables') {
      const want = computeReceivables(latest, { asOf, groupBy: 'customer' }).map(receivablesRowToWire);
      check = `; equal to shared/calc: ${JSON.stringify((body as { rows: unknown }).rows) === JSON.stringify(want) ? 'yes' : 'NO'}`;
    }
    console.log(
      `  ${name} with includePending: first ${fmt(firstMs)}, repeated median ${fmt(repeated)} ` +
        `(${(repeated / approvedMs).toFixed(1)}× approved-only stats)${check}`,
    );
  }
}

export async function run(): Promise<void> {
  await withAzurite('benchpending', { inMemory: true }, async ({ keyFile }) => {
    let t = performance.now();
    const base = generate(APPROVED_CONTRACTS, 'CT');
    const approvedRows = await seedRows(base, true);
    await writeProjection(base, undefined, undefined, { clear: false });
    console.log(
      `  approved base: ${APPROVED_CONTRACTS} contracts, 6 rows each, seeded in ${fmt(performance.now() - t)}`,
    );

    t = performance.now();
    const fresh = generate(PENDING_CONTRACTS, 'PN');
    await seedRows({ ...fresh, salespeople: [] }, false);
    const edited: Delivery[] = [];
    const editWrites = (approvedRows.get('deliveries') ?? []).slice(0, PENDING_EDITS).map((row) => {
      const d = row.latest as Delivery;
      const changed: Delivery = { ...d, quantity: d.quantity + 7 };
      edited.push(changed);
      return updateWrite(row, changed, 'bench.clerk', new Date().toISOString());
    });
    await commitAll('deliveries', editWrites);
    let pendingCount = PENDING_EDITS;
    for (const name of FIGURE_LEDGERS) if (name !== 'salespeople') pendingCount += fresh[name].length;
    console.log(`  pending: ${pendingCount} rows seeded in ${fmt(performance.now() - t)}`);

    const query = statsQuery.parse({ period: 'quarter', groupBy: 'region', from: '2014-01-01', to: '2017-12-31' });
    const pendingQuery = { ...query, includePending: true };

    // Approved only: warm (clients, connections, cached cells), then the median of REPEATS.
    await statistics(query);
    const approvedTimes: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const s = performance.now();
      await statistics(query);
      approvedTimes.push(performance.now() - s);
    }
    const approvedMs = median(approvedTimes);

    // Provisional: the first call with the process caches emptied (the median of COLD_STARTS such calls), then
    // repeated calls with no write in between.
    let s = 0;
    const firstTimes: number[] = [];
    let provisional: StatsRow[] = [];
    for (let i = 0; i < COLD_STARTS; i++) {
      clearApprovedCacheForTests();
      clearCellCacheForTests();
      s = performance.now();
      provisional = await statistics(pendingQuery);
      firstTimes.push(performance.now() - s);
    }
    const firstMs = median(firstTimes);
    const repeatedTimes: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      s = performance.now();
      await statistics(pendingQuery);
      repeatedTimes.push(performance.now() - s);
    }
    const repeatedMs = median(repeatedTimes);

    const editedIds = new Set(edited.map((d) => d.deliveryId));
    const latest: LedgerData = {
      ...base,
      contracts: [...base.contracts, ...fresh.contracts],
      orderLines: [...base.orderLines, ...fresh.orderLines],
      deliveries: [...base.deliveries.filter((d) => !editedIds.has(d.deliveryId)), ...edited, ...fresh.deliveries],
      invoices: [...base.invoices, ...fresh.invoices],
      invoiceLines: [...base.invoiceLines, ...fresh.invoiceLines],
      payments: [...base.payments, ...fresh.payments],
    };
    const equal = JSON.stringify(provisional) === JSON.stringify(statsRows(latest, query));
    const approvedEqual = JSON.stringify(await statistics(query)) === JSON.stringify(statsRows(base, query));

    // One more pending payment (commitWrites bumps its ledger's stamp): that ledger's pending rows are read again and
    // the delta recomputed (the index scan is still cached: no approval happened).
    const extra = { ...(fresh.payments[0] as LedgerRecord<'payments'>), paymentId: 'PN-EXTRA' };
    await commitAll('payments', creates('payments', [extra], new Date().toISOString()));
    s = performance.now();
    const afterWrite = await statistics(pendingQuery);
    const afterWriteMs = performance.now() - s;
    const afterWriteEqual =
      JSON.stringify(afterWrite) ===
      JSON.stringify(statsRows({ ...latest, payments: [...latest.payments, extra] }, query));

    console.log(
      `approved-only stats: median ${fmt(approvedMs)} (equal to shared/calc: ${approvedEqual ? 'yes' : 'NO'})`,
    );
    console.log(
      `includePending over ${pendingCount} pending rows: first (median of ${COLD_STARTS} cold starts) ${fmt(firstMs)} (${(firstMs / approvedMs).toFixed(1)}× approved-only), ` +
        `repeated median ${fmt(repeatedMs)} (${(repeatedMs / approvedMs).toFixed(1)}× approved-only); ` +
        `equal to shared/calc over the latest versions: ${equal ? 'yes' : 'NO'}`,
    );
    console.log(
      `includePending after one more pending payment: ${fmt(afterWriteMs)} (${(afterWriteMs / approvedMs).toFixed(1)}× ` +
        `approved-only); equal to shared/calc: ${afterWriteEqual ? 'yes' : 'NO'}`,
    );
    await handlerFigures(keyFile, { ...latest, payments: [...latest.payments, extra] }, approvedMs);
    const verdict = (ms: number): string => (ms <= TARGET_MS ? 'OK' : 'OVER TARGET');
    console.log(`target ≤ ${TARGET_MS} ms: first ${verdict(firstMs)}, repeated ${verdict(repeatedMs)}`);
  });
}
