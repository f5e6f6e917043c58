// Benchmark: PUT of 10,000 deliveries with reference checks on (contract exists, item on the contract's order lines,
// a return within what was delivered), compared in the same run, on the same in-memory Azurite, with the raw
// entity-group-transaction ceiling: the same row + history entities inserted 100 per transaction, one partition each,
// as many transactions in flight as the store uses, with no reads and no checks (bench/ledgerUpload's ceiling).
//
// Parents first (not timed): 5,000 contracts with two order lines each, the shape of the public sales data set
// (5,009 contracts, 10,318 deliveries). Deliveries go in requests of 5,000, about one in twenty a return of an earlier
// delivery, so every request pays for the return check's read of the stored deliveries.

import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { putRows } from '../functions/src/services/putRows';
import { tableClient } from '../functions/src/store/client';
import { addressOf, createWrite, type Entity } from '../functions/src/store/ledgerEntities';
import { addDays, type IsoDate } from '../shared/dates';
import { parseRow, type LedgerName } from '../shared/ledgers';
import { rawTransactionsMs } from './ledgerUpload.bench';
import { intIn, seeded, withAzurite } from './support';

// LEDGERDESK_BENCH_DELIVERIES shortens a run while tuning; the reported figure is for the default.
const DELIVERIES = Number(process.env.LEDGERDESK_BENCH_DELIVERIES ?? 10_000);
const CONTRACTS = 5_000;
const CHUNK = 5_000;
const RETURN_SHARE = 0.05;

interface Dataset {
  parents: [LedgerName, Record<string, unknown>[]][];
  deliveries: Record<string, unknown>[];
}

function dataset(): Dataset {
  const random = seeded(7);
  const customers = Array.from({ length: 500 }, (_, i) => ({ customerId: `CU${i}`, name: `C${i}`, region: 'East' }));
  const salespeople = Array.from({ length: 20 }, (_, i) => ({
    salespersonId: `SP${i}`,
    name: `S${i}`,
    region: 'East',
  }));
  const contracts: Record<string, unknown>[] = [];
  const orderLines: Record<string, unknown>[] = [];
  const signed: IsoDate[] = [];
  for (let c = 0; c < CONTRACTS; c++) {
    const signedOn = addDays('2016-01-01', intIn(random, 0, 300));
    signed.push(signedOn);
    contracts.push({
      contractId: `K-${String(c).padStart(5, '0')}`,
      customerId: `CU${c % 500}`,
      salespersonId: `SP${c % 20}`,
      region: 'East',
      signedOn,
    });
    for (let l = 1; l <= 2; l++)
      orderLines.push({
        contractId: `K-${String(c).padStart(5, '0')}`,
        lineNo: l,
        itemCode: `IT-${intIn(random, 1, 400)}-${l}`,
        quantity: intIn(random, 5, 50),
        unitPrice: intIn(random, 100, 99_999),
      });
  }
  // Deliveries in date order per contract; a return takes back part of a delivery made earlier in the list.
  const deliveries: Record<string, unknown>[] = [];
  const delivered: { contractId: string; itemCode: string; quantity: number; date: IsoDate }[] = [];
  for (let i = 0; i < DELIVERIES; i++) {
    const source = delivered[intIn(random, 0, delivered.length - 1)];
    const deliveryId = `D-${String(i).padStart(6, '0')}`;
    if (source !== undefined && random() < RETURN_SHARE && source.quantity > 1) {
      const quantity = intIn(random, 1, Math.floor(source.quantity / 2));
      source.quantity -= quantity;
      deliveries.push({
        deliveryId,
        contractId: source.contractId,
        itemCode: source.itemCode,
        quantity,
        kind: 'return',
        returnReason: 'damaged',
        date: addDays(source.date, intIn(random, 1, 10)),
      });
      continue;
    }
    const c = intIn(random, 0, CONTRACTS - 1);
    const line = orderLines[2 * c + intIn(random, 0, 1)] as { contractId: string; itemCode: string };
    const row = {
      contractId: line.contractId,
      itemCode: line.itemCode,
      quantity: intIn(random, 1, 20),
      date: addDays(signed[c] as IsoDate, intIn(random, 1, 60)),
    };
    delivered.push({ ...row });
    deliveries.push({ deliveryId, ...row });
  }
  return {
    parents: [
      ['customers', customers],
      ['salespeople', salespeople],
      ['contracts', contracts],
      ['orderLines', orderLines],
    ],
    deliveries,
  };
}

/** The entities the service writes for these deliveries: row + history per row. */
function entitiesOf(rows: Record<string, unknown>[]): { row: Entity; history: Entity }[] {
  const at = new Date().toISOString();
  return rows.map((raw) => {
    const parsed = parseRow('deliveries', raw);
    if (!parsed.ok) throw new Error(`bench rows must be valid: ${JSON.stringify(parsed.errors)}`);
    const key = String(raw.deliveryId);
    const address = addressOf('deliveries', key);
    if (!address) throw new Error(`bad key ${key}`);
    const w = createWrite('deliveries', address, key, parsed.record, 'bench.clerk', at);
    return { row: w.row, history: w.history };
  });
}

/**
 * Counts the storage requests made while `fn` runs, by kind, from node's HTTP client diagnostics channel (the SDK
 * sends every request through node:http): entity-group transactions, queries, point reads.
 */
async function countRequests<T>(fn: () => Promise<T>): Promise<{ result: T; counts: Record<string, number> }> {
  const counts: Record<string, number> = { transactions: 0, queries: 0, 'point reads': 0, other: 0 };
  const onRequest = (message: unknown): void => {
    const { method, path: url } = (message as { request: ClientRequest }).request;
    const kind = url.includes('$batch')
      ? 'transactions'
      : method === 'GET' && /\(PartitionKey=.*,RowKey=.*\)/.test(decodeURIComponent(url))
        ? 'point reads'
        : method === 'GET'
          ? 'queries'
          : 'other';
    counts[kind] = (counts[kind] ?? 0) + 1;
  };
  diagnostics.subscribe('http.client.request.start', onRequest);
  try {
    return { result: await fn(), counts };
  } finally {
    diagnostics.unsubscribe('http.client.request.start', onRequest);
  }
}

async function putAll(name: LedgerName, rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const results = await putRows(name, rows.slice(i, i + CHUNK), 'bench.clerk');
    const bad = results.find((r) => r.status !== 'created');
    if (bad) throw new Error(`${name}: unexpected result ${JSON.stringify(bad)}`);
  }
}

export async function run(): Promise<void> {
  const data = dataset();
  const returns = data.deliveries.filter((d) => d.kind === 'return').length;
  await withAzurite('bench', { inMemory: true }, async () => {
    for (const [name, rows] of data.parents) await putAll(name, rows);

    // The ceiling before and after the service, each into a table of its own, and their mean: the machine's load
    // drifts during a run, and this way it weighs on both sides alike.
    const entities = entitiesOf(data.deliveries);
    const before = await rawTransactionsMs(await tableClient('ceilingBefore'), entities);

    await tableClient('deliveries'); // table creation is not part of the upload
    const t = performance.now();
    const { counts } = await countRequests(() => putAll('deliveries', data.deliveries));
    const serviceMs = performance.now() - t;

    const after = await rawTransactionsMs(await tableClient('ceilingAfter'), entities);
    const ceilingMs = (before + after) / 2;

    const rate = (ms: number): number => DELIVERIES / (ms / 1000);
    console.log(
      `PUT deliveries (references and returns checked): ${DELIVERIES} rows (${returns} returns) over ${CONTRACTS} ` +
        `contracts in ${(serviceMs / 1000).toFixed(1)} s = ${rate(serviceMs).toFixed(0)} rows/s`,
    );
    console.log(
      `  storage requests: ${Object.entries(counts)
        .map(([kind, n]) => `${n} ${kind}`)
        .join(', ')} (in ${Math.ceil(DELIVERIES / CHUNK)} requests of up to ${CHUNK} rows)`,
    );
    console.log(
      `ceiling (raw transactions, same entities, same Azurite, mean of before and after): ` +
        `${(ceilingMs / 1000).toFixed(1)} s = ${rate(ceilingMs).toFixed(0)} rows/s ` +
        `(${rate(before).toFixed(0)} and ${rate(after).toFixed(0)})`,
    );
    console.log(
      `service / ceiling = ${((serviceMs > 0 ? ceilingMs / serviceMs : 0) * 100).toFixed(0)}% (target ≥ 50%)`,
    );
  });
}
