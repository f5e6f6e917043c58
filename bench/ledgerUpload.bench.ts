// Benchmark: uploading 100,000 rows through the PUT service against a fresh Azurite, compared in the same run with
// raw entity-group transactions of the same entities (the ceiling) and with per-row upserts (the naive way).
//
// All three write the same entities: each row entity plus its history entry, laid out as the store lays them out.
// The service additionally parses and validates every row, reads the keys it writes (batched per partition) and
// decides created/updated/unchanged/conflict. The naive way is measured on a 5,000-row subset (it is slow) and
// compared by rate.

import type { TableClient } from '@azure/data-tables';
import { putRows } from '../functions/src/services/putRows';
import { tableClient } from '../functions/src/store/client';
import { addressOf, createWrite, type Entity } from '../functions/src/store/ledgerEntities';
import { parseRow } from '../shared/ledgers';
import { seeded, intIn, submitInTransactions, withAzurite } from './support';

// LEDGERDESK_BENCH_ROWS shortens a run while tuning; the reported figure is for the default.
const ROWS = Number(process.env.LEDGERDESK_BENCH_ROWS ?? 100_000);
const CHUNK = 5_000;
// A subset: at most as many rows as the run has (LEDGERDESK_BENCH_ROWS may be smaller).
const NAIVE_ROWS = Math.min(5_000, ROWS);
/** The same number of transactions in flight as the store uses. */
const CONCURRENCY = 16;
const REGIONS = ['East', 'West', 'Central', 'South'];
const SEGMENTS = ['Consumer', 'Corporate', 'Home Office'];

function customers(count: number): Record<string, unknown>[] {
  const random = seeded(42);
  return Array.from({ length: count }, (_, i) => ({
    customerId: `CU-${String(i).padStart(6, '0')}`,
    name: `Customer ${i} ${Math.floor(random() * 1e9).toString(36)}`,
    region: REGIONS[intIn(random, 0, 3)],
    segment: SEGMENTS[intIn(random, 0, 2)],
    creditLimit: `${intIn(random, 0, 500_000)}.${String(intIn(random, 0, 99)).padStart(2, '0')}`,
  }));
}

/** The entities the service would write for these rows: row + history per row. */
function entitiesOf(rows: Record<string, unknown>[]): { row: Entity; history: Entity }[] {
  const at = new Date().toISOString();
  return rows.map((raw) => {
    const parsed = parseRow('customers', raw);
    if (!parsed.ok) throw new Error('bench rows must be valid');
    const key = String(raw.customerId);
    const address = addressOf('customers', key);
    if (!address) throw new Error(`bad key ${key}`);
    const w = createWrite('customers', address, key, parsed.record, 'bench.clerk', at);
    return { row: w.row, history: w.history };
  });
}

function rate(rows: number, ms: number): number {
  return rows / (ms / 1000);
}

/**
 * The raw entity-group-transaction ceiling: milliseconds to insert the rows' entities (row + history each) into
 * `table` with no reads and no checks, 100 entities per transaction, one partition each, CONCURRENCY in flight.
 * Transactions are ordered round-robin over partitions, so those in flight hit different partitions (the best order
 * for raw writes).
 */
export function rawTransactionsMs(
  table: TableClient,
  entities: readonly { row: Entity; history: Entity }[],
): Promise<number> {
  return submitInTransactions(
    table,
    entities.flatMap((e) => [e.row, e.history]),
    CONCURRENCY,
  );
}

/**
 * Runs `fn` against a fresh Azurite of its own: Azurite slows down as it holds more data (it keeps everything in
 * one in-memory database and saves it whole), so methods sharing one instance would favour whichever runs first.
 */
function withFreshAzurite<T>(fn: () => Promise<T>): Promise<T> {
  return withAzurite('bench', { inMemory: false }, async () => {
    await tableClient('customers'); // table creation is not part of the upload
    return fn();
  });
}

export async function run(): Promise<void> {
  const rows = customers(ROWS);
  const entities = entitiesOf(rows);

  // 1. Through the PUT service, in requests of 5,000 rows.
  const serviceMs = await withFreshAzurite(async () => {
    const t = performance.now();
    for (let i = 0; i < ROWS; i += CHUNK) {
      const results = await putRows('customers', rows.slice(i, i + CHUNK), 'bench.clerk');
      const bad = results.find((r) => r.status !== 'created');
      if (bad) throw new Error(`unexpected result ${JSON.stringify(bad)}`);
    }
    return performance.now() - t;
  });

  // 2. Ceiling: raw transactions of the same entities, 100 per transaction, one partition each.
  const ceilingMs = await withFreshAzurite(async () => rawTransactionsMs(await tableClient('customers'), entities));

  // 3. Naive: one upsert per entity, one row after the other, on a subset.
  const naiveMs = await withFreshAzurite(async () => {
    const naive = await tableClient('customers');
    const t = performance.now();
    for (const e of entities.slice(0, NAIVE_ROWS)) {
      await naive.upsertEntity(e.row, 'Replace');
      await naive.upsertEntity(e.history, 'Replace');
    }
    return performance.now() - t;
  });

  const service = rate(ROWS, serviceMs);
  const ceiling = rate(ROWS, ceilingMs);
  const naiveRate = rate(NAIVE_ROWS, naiveMs);
  console.log(
    `PUT service: ${ROWS} rows in ${(serviceMs / 1000).toFixed(1)} s = ${service.toFixed(0)} rows/s (2 entities per row)`,
  );
  console.log(`ceiling (raw transactions, same entities): ${ceiling.toFixed(0)} rows/s`);
  console.log(`naive (per-entity upserts, ${NAIVE_ROWS} rows): ${naiveRate.toFixed(0)} rows/s`);
  console.log(`service / ceiling = ${((service / ceiling) * 100).toFixed(0)}% (target ≥ 50%)`);
  console.log(`service / naive = ${(service / naiveRate).toFixed(1)}× (target ≥ 3×)`);
}
