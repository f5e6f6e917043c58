// Benchmark: a region's invoices read with the API's filters (issue #18 part 3) next to what the pane did before,
// in the same run, over HTTP through the local API host on one Azurite (in memory): read the region's contracts
// (equality on region) and every invoice, then keep those of the region's contracts in the client. Prints rows sent,
// storage requests and time, and the ratios; and the same for one contract (`contractId`, pushed down as OData).

import type { GetRowsResponse, ReadRow } from '../shared/api';
import { createHttpApiClient, devTokenProvider, type LedgerApiClient } from '../addin/flows/apiClient';
import { signDevToken } from '../functions/src/auth/devKey';
import { startApiHost } from '../local/server';
import { tableClient } from '../functions/src/store/client';
import { rowQueries } from '../functions/src/store/filteredRows';
import { addressOf, createWrite, type Entity } from '../functions/src/store/ledgerEntities';
import { parseRow, type LedgerName } from '../shared/ledgers';
import { fmt, submitInTransactions, withAzurite } from './support';

const INVOICES = Number(process.env.LEDGERDESK_BENCH_ROWS ?? 20_000);
const PER_CONTRACT = 10;
const REGIONS = 10;
const RUNS = 3;

function row(ledger: LedgerName, key: string, wire: Record<string, unknown>): Entity[] {
  const parsed = parseRow(ledger, wire);
  const address = addressOf(ledger, key);
  if (!parsed.ok || address === null) throw new Error(`bad bench row ${ledger} ${key}`);
  const w = createWrite(ledger, address, key, parsed.record, 'clara.clerk', '2016-12-01T00:00:00.000Z');
  return [w.row, w.history];
}

async function seed(): Promise<void> {
  const contracts: Entity[] = [];
  const invoices: Entity[] = [];
  const count = Math.ceil(INVOICES / PER_CONTRACT);
  for (let c = 0; c < count; c++) {
    const contractId = `K${String(c).padStart(6, '0')}`;
    contracts.push(
      ...row('contracts', contractId, {
        contractId,
        customerId: 'CU1',
        salespersonId: 'SP1',
        region: `Region ${c % REGIONS}`,
        signedOn: '2016-01-04',
      }),
    );
    for (let i = 0; i < PER_CONTRACT; i++) {
      const invoiceNo = `${contractId}-${i}`;
      invoices.push(...row('invoices', invoiceNo, { invoiceNo, contractId, issuedOn: '2016-02-01' }));
    }
  }
  await submitInTransactions(await tableClient('contracts'), contracts, 16);
  await submitInTransactions(await tableClient('invoices'), invoices, 16);
}

/** Every page of a read over HTTP through the local API host; returns the rows it sent. */
async function readAll(api: LedgerApiClient, ledger: LedgerName, query: Record<string, string>): Promise<ReadRow[]> {
  const rows: ReadRow[] = [];
  let token: string | null = null;
  do {
    const page: GetRowsResponse = await api.getRows(ledger, {
      ...query,
      pageSize: '5000',
      ...(token !== null ? { continuationToken: token } : {}),
    });
    rows.push(...page.rows);
    token = page.continuationToken;
  } while (token !== null);
  return rows;
}

/** Before: the region's contracts by equality, every invoice, kept in the client by contract (the old pull). */
async function before(api: LedgerApiClient, region: string): Promise<{ sent: number; kept: number }> {
  const contracts = new Set((await readAll(api, 'contracts', { region })).map((r) => String(r['contractId'])));
  const invoices = await readAll(api, 'invoices', {});
  return {
    sent: contracts.size + invoices.length,
    kept: invoices.filter((r) => contracts.has(String(r['contractId']))).length,
  };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T; requests: number }> {
  await fn(); // warm-up
  let ms = Infinity;
  let result: T | undefined;
  let requests = 0;
  for (let i = 0; i < RUNS; i++) {
    const q = rowQueries.count;
    const t = performance.now();
    result = await fn();
    ms = Math.min(ms, performance.now() - t);
    requests = rowQueries.count - q;
  }
  return { ms, result: result as T, requests };
}

export async function run(): Promise<void> {
  await withAzurite('benchf', { inMemory: true }, async ({ keyFile }) => {
    const t = performance.now();
    await seed();
    const contracts = Math.ceil(INVOICES / PER_CONTRACT);
    console.log(
      `seeded ${contracts} contracts in ${REGIONS} regions and ${INVOICES} invoices in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    const host = await startApiHost({ port: 0 });
    try {
      const token = await signDevToken(keyFile, { user: 'max.manager', roles: ['manager'] });
      const api = createHttpApiClient({ baseUrl: host.url, tokens: devTokenProvider(token) });
      await measure(api);
    } finally {
      await host.close();
    }
  });
}

async function measure(api: LedgerApiClient): Promise<void> {
  const old = await timed(() => before(api, 'Region 3'));
  const now = await timed(async () => (await readAll(api, 'invoices', { region: 'region 3' })).length);
  if (now.result !== old.result.kept)
    throw new Error(`the filter gave ${now.result} invoices, the client-side way ${old.result.kept}`);
  console.log(
    `invoices of one region, before (contracts by equality + every invoice, kept in the client): ${old.result.sent} rows sent, ${fmt(old.ms)}`,
  );
  console.log(
    `invoices of one region, ?region= (contracts read in the API, invoices checked there): ${now.result} rows sent, ${now.requests} storage requests, ${fmt(now.ms)} (${(old.result.sent / now.result).toFixed(1)}× fewer rows, ${(old.ms / now.ms).toFixed(1)}× faster)`,
  );
  const one = await timed(async () => (await readAll(api, 'invoices', { contractId: 'K000003' })).length);
  console.log(
    `invoices of one contract, ?contractId= (pushed down): ${one.result} rows sent, ${one.requests} storage request, ${fmt(one.ms)} (${(old.ms / one.ms).toFixed(1)}× faster than the region read before)`,
  );
}
