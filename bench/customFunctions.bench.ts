// Benchmark: 1,000 LEDGERDESK formulas recalculated in one wave (the custom functions' engine: one batch request)
// against the same 1,000 figures asked one request each (GET /api/receivables, at most 6 in flight, as a browser
// allows per host), in the same run against one local API on an in-memory Azurite. Prints requests, times and ratios.
import { createHttpApiClient, devTokenProvider } from '../addin/flows/apiClient';
import { FigureEngine } from '../addin/src/functions/engine';
import { receivable, useFigureEngine } from '../addin/src/functions/functions';
import { httpFiguresTransport } from '../addin/src/functions/transport';
import { signDevToken } from '../functions/src/auth/devKey';
import { registerFigureProjection } from '../functions/src/figures/projection';
import { startApiHost } from '../local/server';
import { mapLimit } from '../functions/src/store/parallel';
import { addDays } from '../shared/dates';
import type { DataLedger } from '../shared/calc';
import { writeApproved, type WireRows } from '../tests/addin/support/approvedRows';
import { fmt, withAzurite } from './support';

const CUSTOMERS = 50;
const DATES = 20;
const RUNS = 3;
const BROWSER_CONNECTIONS = 6;

function rows(): WireRows {
  type Row = Record<string, unknown>;
  const out: Record<DataLedger, Row[]> = {
    customers: [],
    salespeople: [{ salespersonId: 'BS1', name: 'Sam', region: 'East' }],
    contracts: [],
    orderLines: [],
    deliveries: [],
    invoices: [],
    invoiceLines: [],
    payments: [],
    expenses: [],
    creditNotes: [],
  };
  for (let i = 0; i < CUSTOMERS; i++) {
    const c = `BC${i}`;
    const k = `BK${i}`;
    out.customers.push({ customerId: c, name: c, region: i % 2 === 0 ? 'East' : 'West' });
    out.contracts.push({ contractId: k, customerId: c, salespersonId: 'BS1', region: 'East', signedOn: '2016-01-10' });
    out.orderLines.push({ contractId: k, lineNo: 1, itemCode: 'A', quantity: 10 + i, unitPrice: '12.34' });
    for (let m = 1; m <= 12; m++) {
      const inv = `BI${i}-${m}`;
      out.invoices.push({ invoiceNo: inv, contractId: k, issuedOn: `2016-${String(m).padStart(2, '0')}-05` });
      out.invoiceLines.push({ invoiceNo: inv, lineNo: 1, itemCode: 'A', quantity: 1, unitPrice: '12.34' });
    }
    out.payments.push({ paymentId: `BP${i}`, contractId: k, receivedOn: '2016-06-30', amount: '30.00' });
  }
  return out;
}

/** The 1,000 formulas: each customer's receivable as of 20 days. */
const queries = (): { id: string; asOf: string }[] =>
  Array.from({ length: CUSTOMERS * DATES }, (_, n) => ({
    id: `BC${n % CUSTOMERS}`,
    asOf: addDays('2016-03-01', Math.floor(n / CUSTOMERS) * 15),
  }));

export async function run(): Promise<void> {
  await withAzurite('cfbench', { inMemory: true }, async ({ keyFile }) => {
    const unregister = registerFigureProjection();
    const host = await startApiHost({ port: 0, host: '127.0.0.1' });
    try {
      const client = async (user: string, roles: ('clerk' | 'reviewer' | 'manager')[]) =>
        createHttpApiClient({
          baseUrl: host.url,
          tokens: devTokenProvider(await signDevToken(keyFile, { user, roles })),
        });
      await writeApproved(await client('b.clerk', ['clerk']), await client('b.reviewer', ['reviewer']), rows());
      const token = await signDevToken(keyFile, { user: 'b.manager', roles: ['manager'] });
      const manager = await client('b.manager', ['manager']);
      const all = queries();

      /** One wave of 1,000 RECEIVABLE formulas through a fresh engine: requests made and ms until every cell is set. */
      async function wave(): Promise<{ ms: number; requests: number; values: number[] }> {
        let requests = 0;
        const engine = new FigureEngine({ pollMs: 2_000_000_000 });
        useFigureEngine(engine);
        engine.connect(
          httpFiguresTransport({
            baseUrl: host.url,
            tokens: devTokenProvider(token),
            fetch: (input, init) => {
              requests++;
              return fetch(input, init);
            },
          }),
        );
        const start = performance.now();
        const values = await Promise.all(
          all.map(
            (q) =>
              new Promise<number>((resolve) => {
                const invocation = {
                  setResult: (v: unknown) => resolve(v as number),
                  onCanceled: () => undefined,
                } as CustomFunctions.StreamingInvocation<unknown>;
                receivable(q.id, q.asOf, null, null, null, invocation);
              }),
          ),
        );
        const ms = performance.now() - start;
        engine.dispose();
        return { ms, requests, values };
      }

      /** The same 1,000 figures, one GET /api/receivables each. */
      async function singles(): Promise<{ ms: number; requests: number; values: number[] }> {
        const start = performance.now();
        const values = await mapLimit(all, BROWSER_CONNECTIONS, async (q) => {
          const res = await manager.receivables({ asOf: q.asOf, groupBy: 'customer' });
          return Number(res.rows.find((r) => r.group === q.id)?.total ?? '0');
        });
        return { ms: performance.now() - start, requests: all.length, values };
      }

      // Warm-up of both (server caches of both paths filled), then the best of RUNS each, alternating.
      await wave();
      await singles();
      let a = { ms: Infinity, requests: 0, values: [] as number[] };
      let b = { ms: Infinity, requests: 0, values: [] as number[] };
      for (let i = 0; i < RUNS; i++) {
        const w = await wave();
        if (w.ms < a.ms) a = w;
        const s = await singles();
        if (s.ms < b.ms) b = s;
      }
      const same = a.values.every((v, i) => Math.round(v * 100) === Math.round((b.values[i] ?? NaN) * 100));
      if (!same) throw new Error('the formulas and the single requests disagree on a figure');
      console.log(`${all.length} RECEIVABLE formulas, ${CUSTOMERS} customers × ${DATES} days, best of ${RUNS}:`);
      console.log(
        `  one wave through the functions: ${a.requests} request(s), ${fmt(a.ms)} (includes the 100 ms window)`,
      );
      console.log(`  one request per figure (${BROWSER_CONNECTIONS} in flight): ${b.requests} requests, ${fmt(b.ms)}`);
      console.log(
        `  ratio requests: ${(b.requests / a.requests).toFixed(0)}x fewer; time: ${(b.ms / a.ms).toFixed(1)}x faster`,
      );
    } finally {
      unregister();
      await host.close();
    }
  });
}
