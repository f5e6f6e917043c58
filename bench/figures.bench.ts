// Benchmark: GET /api/stats latency at 10,000 and 200,000 contracts (must not grow with the ledger), invoice check time.
//
// Bulk loads go through the rebuild's write path (computeProjection + bulk inserts of the contract index and
// rollups) straight from generated ledger data: loading 200,000 contracts through PUT + approval over HTTP would take
// hours on 2 cores against Azurite. Statistics are timed through the service the handler calls (statistics(),
// i.e. rollup range queries and bucketing), without token verification; the invoice check likewise reads the whole
// contract index and runs shared/calc's check, as the handler does for "all invoices".

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { statsQuery } from '../shared/api';
import { checkInvoices } from '../shared/calc/invoiceCheck';
import { addDays } from '../shared/dates';
import { ledgerData, type LedgerData } from '../shared/calc';
import type {
  Contract,
  Delivery,
  Invoice,
  InvoiceLine,
  LedgerName,
  LedgerRecord,
  OrderLine,
  Payment,
  Salesperson,
} from '../shared/ledgers';
import { loadConfig, setConfigForTests } from '../functions/src/config';
import { scanRecords } from '../functions/src/store/contractIndex';
import { writeProjection } from '../functions/src/figures/rebuild';
import { statistics } from '../functions/src/figures/statistics';
import { startAzurite } from '../local/azurite';
import { fmt, intIn, seeded } from './support';

const TARGET_RATIO = 1.5;
const RUNS = 60;

/**
 * Per contract: 1 order line, 1 delivery (every 10th a return), 1 invoice with 1 line, 1 payment; 4 years. 100
 * salespeople in 7 regions and 200 customers at both sizes: groups do not grow with the ledger, so the month cells a
 * quarter-by-region request reads are the same in number at both sizes. `idPrefix` starts every contract id (and the
 * ids derived from it), so two generated sets can share one store (bench/pendingStats.bench.ts).
 */
export function generate(contracts: number, idPrefix = 'CT'): LedgerData {
  const random = seeded(42);
  const salespeople: Salesperson[] = Array.from({ length: 100 }, (_, s) => ({
    salespersonId: `S${s}`,
    name: `S${s}`,
    region: `R${s % 7}`,
  }));
  const cs: Contract[] = [];
  const ol: OrderLine[] = [];
  const dl: Delivery[] = [];
  const inv: Invoice[] = [];
  const il: InvoiceLine[] = [];
  const pay: Payment[] = [];
  for (let c = 0; c < contracts; c++) {
    const contractId = `${idPrefix}${String(c).padStart(6, '0')}`;
    const sp = c % 100;
    const signedOn = addDays('2014-01-01', intIn(random, 0, 1300));
    cs.push({
      contractId,
      customerId: `K${c % 200}`,
      salespersonId: `S${sp}`,
      region: `R${sp % 7}`,
      signedOn,
      paymentTermsDays: 30,
      currency: 'EUR',
      status: 'active',
    });
    const unitPrice = intIn(random, 100, 5_000_000);
    ol.push({ contractId, lineNo: 1, itemCode: 'IT1', quantity: intIn(random, 1, 100), unitPrice });
    const base = {
      deliveryId: `${contractId}-D`,
      contractId,
      itemCode: 'IT1',
      quantity: intIn(random, 1, 50),
      date: addDays(signedOn, intIn(random, 1, 60)),
    };
    dl.push(c % 10 === 0 ? { ...base, kind: 'return', returnReason: 'damaged' } : { ...base, kind: 'delivery' });
    const invoiceNo = `${contractId}-I`;
    inv.push({ invoiceNo, contractId, issuedOn: addDays(signedOn, 30), dueOn: addDays(signedOn, 60) });
    il.push({
      invoiceNo,
      lineNo: 1,
      itemCode: 'IT1',
      quantity: intIn(random, 1, 60),
      unitPrice: c % 14 === 0 ? unitPrice + 1 : unitPrice,
    });
    pay.push({
      paymentId: `${contractId}-P`,
      contractId,
      invoiceNo,
      receivedOn: addDays(signedOn, intIn(random, 40, 90)),
      amount: intIn(random, 100, 9_000_000),
    });
  }
  return {
    ...ledgerData(),
    customers: [],
    salespeople,
    contracts: cs,
    orderLines: ol,
    deliveries: dl,
    invoices: inv,
    invoiceLines: il,
    payments: pay,
    expenses: [],
    reminderTerms: [],
    reminderLevels: [],
    reminders: [],
    reminderLines: [],
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

async function measure(
  connection: string,
  contracts: number,
): Promise<{ p50: number; p95: number; checkMs: number; findings: number | undefined; records: number }> {
  setConfigForTests(
    loadConfig({
      LEDGERDESK_MODE: 'local',
      LEDGERDESK_STORAGE_CONNECTION: connection,
      LEDGERDESK_TABLE_PREFIX: `bench${contracts}`,
    }),
  );
  const data = generate(contracts);
  const started = performance.now();
  const report = await writeProjection(data, undefined, (m) => console.log(`  ${contracts}: ${m}`), { clear: false });
  console.log(
    `  ${contracts}: loaded ${report.indexEntities} index entities and ${report.rollupEntities} rollup cells in ${fmt(performance.now() - started)}`,
  );
  const query = statsQuery.parse({ period: 'quarter', groupBy: 'region', from: '2014-01-01', to: '2017-12-31' });
  await statistics(query); // warm-up: clients and connections
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const rows = await statistics(query);
    times.push(performance.now() - t);
    if (rows.length === 0) throw new Error('no statistics rows');
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), ...(await invoiceCheck()) };
}

/** Past this, the invoice check's full index read is stopped and its rate reported instead of a time. */
const CHECK_BUDGET_MS = 240_000;

/**
 * The invoice check for all invoices, as the handler runs it: read the contract index's records, run shared/calc.
 * Azurite answers every query page by filtering and sorting the whole table, so on a two-million-entity table the
 * read is stopped after CHECK_BUDGET_MS and reported as records read per second.
 */
async function invoiceCheck(): Promise<{ checkMs: number; findings: number | undefined; records: number }> {
  const t = performance.now();
  const data = ledgerData() as unknown as Record<LedgerName, LedgerRecord<LedgerName>[]>;
  let records = 0;
  try {
    await scanRecords(['contracts', 'orderLines', 'deliveries', 'invoices', 'invoiceLines'], (r) => {
      data[r.ledger].push(r.record);
      if (++records % 1000 === 0 && performance.now() - t > CHECK_BUDGET_MS) throw new OverBudget();
    });
  } catch (err) {
    if (err instanceof OverBudget) return { checkMs: performance.now() - t, findings: undefined, records };
    throw err;
  }
  const findings = checkInvoices(data as unknown as LedgerData, {}).length;
  return { checkMs: performance.now() - t, findings, records };
}

class OverBudget extends Error {}

function checkText(r: { checkMs: number; findings: number | undefined; records: number }): string {
  return r.findings === undefined
    ? `invoice check (all) stopped after ${fmt(r.checkMs)} having read ${r.records} records ` +
        `(${Math.round(r.records / (r.checkMs / 1000))} records/s)`
    : `invoice check (all) ${fmt(r.checkMs)}, ${r.records} records, ${r.findings} findings`;
}

export async function run(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ledgerdesk-bench-figures-'));
  // In memory: Azurite's autosave would re-serialise the two-million-entity database to disk every few seconds. A
  // larger heap: ~2 million entities fill Azurite's default ~4 GB, and it then spends its time in full collections.
  const nodeOptions = process.env.NODE_OPTIONS;
  process.env.NODE_OPTIONS = `${nodeOptions ?? ''} --max-old-space-size=12288`.trim();
  const azurite = await startAzurite({ location: dir, inMemory: true });
  if (nodeOptions === undefined) delete process.env.NODE_OPTIONS;
  else process.env.NODE_OPTIONS = nodeOptions;
  try {
    const small = await measure(azurite.connectionString, 10_000);
    console.log(`10,000 contracts: stats p50 ${fmt(small.p50)}, p95 ${fmt(small.p95)}; ${checkText(small)}`);
    const large = await measure(azurite.connectionString, 200_000);
    console.log(`200,000 contracts: stats p50 ${fmt(large.p50)}, p95 ${fmt(large.p95)}; ${checkText(large)}`);
    const ratio = large.p50 / small.p50;
    console.log(
      `stats p50 ratio 200k/10k: ${ratio.toFixed(2)} (target ≤ ${TARGET_RATIO}) ${ratio <= TARGET_RATIO ? 'OK' : 'OVER TARGET'}; p95 ratio ${(large.p95 / small.p95).toFixed(2)}`,
    );
  } finally {
    setConfigForTests(undefined);
    await azurite.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
