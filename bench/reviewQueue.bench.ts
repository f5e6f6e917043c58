// Benchmark: the review queue (GET /api/approvals/pending) with 5,000 pending changes among 50,000 rows, next to a
// plain page of 1,000 rows read in the same run on the same Azurite (in memory).
//
// The queue finds pending rows with one filtered listing per ledger, which storage answers by reading the ledger's
// whole table (Azurite evaluates the filter on every entity; Azure has no secondary index either), then sorts them
// by changedAt. So its cost grows with the ledger, not with the page: this prints how much, as a ratio to a plain
// page read, for one ledger and for all nine.

import { pendingChanges } from '../functions/src/services/reviewQueue';
import { tableClient } from '../functions/src/store/client';
import { addressOf, createWrite, type Entity } from '../functions/src/store/ledgerEntities';
import { listRowsPage } from '../functions/src/store/ledgerStore';
import { parseRow } from '../shared/ledgers';
import { fmt, submitInTransactions, withAzurite } from './support';

const ROWS = Number(process.env.LEDGERDESK_BENCH_ROWS ?? 50_000);
const PENDING = Math.min(5_000, ROWS);
const RUNS = 5;

/** Row and history entities of `count` customers; all but the last `pending` are approved (version 1, no pending). */
function entities(count: number, pending: number): Entity[] {
  const out: Entity[] = [];
  const start = Date.parse('2016-01-01T00:00:00Z');
  for (let i = 0; i < count; i++) {
    const key = `CU-${String(i).padStart(6, '0')}`;
    const parsed = parseRow('customers', { customerId: key, name: `Customer ${i}`, region: 'East' });
    const address = addressOf('customers', key);
    if (!parsed.ok || address === null) throw new Error(`bad bench row ${key}`);
    const at = new Date(start + i * 1000).toISOString();
    const w = createWrite('customers', address, key, parsed.record, i % 2 === 0 ? 'clara.clerk' : 'carl.clerk', at);
    if (i < count - pending) {
      delete w.row.metaPendingVersion;
      Object.assign(w.row, { metaApprovedVersion: 1, metaApprovedBy: 'rita.reviewer', metaApprovedAt: at });
    }
    out.push(w.row, w.history);
  }
  return out;
}

async function load(all: Entity[]): Promise<void> {
  await submitInTransactions(await tableClient('customers'), all, 16);
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up
  let ms = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    ms = Math.min(ms, performance.now() - t);
  }
  return ms;
}

export async function run(): Promise<void> {
  await withAzurite('benchq', { inMemory: true }, async () => {
    const t = performance.now();
    await load(entities(ROWS, PENDING));
    console.log(`seeded ${ROWS} customers (${PENDING} pending) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const plain = await timed(() => listRowsPage('customers', '', 1_000, undefined));
    const first = await pendingChanges({ ledger: 'customers', pageSize: 100 }, 'rita.reviewer');
    if (first.rows.length !== 100) throw new Error(`the queue gave ${first.rows.length} rows, not 100`);
    const oneLedger = await timed(() => pendingChanges({ ledger: 'customers', pageSize: 100 }, 'rita.reviewer'));
    const allLedgers = await timed(() => pendingChanges({ pageSize: 100 }, 'rita.reviewer'));
    const lastPage = await timed(() =>
      pendingChanges(
        { ledger: 'customers', pageSize: 100, continuationToken: first.continuationToken ?? undefined },
        'rita.reviewer',
      ),
    );
    console.log(`plain page of 1,000 rows (GET /api/ledgers/customers): ${fmt(plain)}`);
    console.log(
      `queue, first 100 of ${PENDING} pending, ?ledger=customers: ${fmt(oneLedger)} (${(oneLedger / plain).toFixed(1)}× a plain page)`,
    );
    console.log(`queue, second page (continuation token): ${fmt(lastPage)} (${(lastPage / plain).toFixed(1)}×)`);
    console.log(`queue, all nine ledgers: ${fmt(allLedgers)} (${(allLedgers / plain).toFixed(1)}×)`);
  });
}
