// `npm run load [-- --duration 60 --connections 50 --contracts 300 --storage memory|disk --profile <file>]`: a bounded
// load run against the local host on 127.0.0.1.
//
// Starts its own Azurite (free ports) and the API host in a child process (so the load generator and the server do
// not share one event loop), seeds the demo dataset and approves it, then runs one autocannon instance per endpoint in
// parallel, the connections split between them, so every endpoint gets its own latency figures. Prints requests/s,
// p50/p99 per endpoint and the errors (non-2xx, timeouts), PASS/MISS against the targets, and stops everything
// (Azurite with SIGINT, so it flushes).
//
// Storage: `memory` (default) runs Azurite with --inMemoryPersistence. The run's data is thrown away anyway, and with
// `disk` Azurite re-serialises its whole database to one JSON file every 5 s, which stalls every storage call for
// 100-200 ms (growing with the data the run writes): that measures the emulator, not this service, whose production
// store (Azure Table Storage) has no such pauses. `--storage disk` runs it as `npm start` does, to see that effect.
// `--profile <file>` writes the API host's CPU profile of the load phase (open it in Chrome DevTools).
import { freePort } from '../local/ports';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LEDGERS, type LedgerName } from '../shared/ledgers';
import { signDevToken } from '../functions/src/auth/devKey';
import { azuriteConnectionString, getConfig } from '../functions/src/config';
import { demoDataset } from '../local/demo/dataset';
import { registerFigureProjection } from '../functions/src/figures/projection';
import { startAzurite } from '../local/azurite';
import { startApiHost } from '../local/server';

/** The part of autocannon's programmatic API used here (the package ships no types). */
interface CannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: CannonRequest) => CannonRequest;
}
interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  timeout: number;
  headers?: Record<string, string>;
  requests: CannonRequest[];
}) => Promise<CannonResult>;
const autocannon = createRequire(__filename)('autocannon') as Autocannon;

/** Targets from the hardening issue: zero errors overall, p99 ≤ 250 ms for reads (every endpoint that writes nothing). */
const READ_P99_MS = 250;

interface Endpoint {
  name: string;
  kind: 'read' | 'write' | 'figures';
  /** Share of the connections. */
  weight: number;
  requests: CannonRequest[];
}

/** Child mode: only the API host (configuration from the environment the parent passes), like `npm start`. */
async function serveHost(): Promise<void> {
  const config = getConfig();
  registerFigureProjection();
  const host = await startApiHost({ port: config.port, host: '127.0.0.1' });
  const profileTo = process.env.LEDGERDESK_LOAD_PROFILE;
  let session: import('node:inspector').Session | undefined;
  if (profileTo !== undefined) {
    // The parent signals SIGUSR2 once seeding is done, so the profile covers the load phase only.
    const inspector = await import('node:inspector');
    process.on('SIGUSR2', () => {
      session = new inspector.Session();
      session.connect();
      session.post('Profiler.enable', () => session!.post('Profiler.start'));
    });
  }
  process.stdout.write(`READY ${host.url}\n`);
  process.on('SIGTERM', () => {
    const done = (): void => void host.close().then(() => process.exit(0));
    if (session === undefined || profileTo === undefined) return done();
    session.post('Profiler.stop', (err, res) => {
      if (err === null) writeFileSync(profileTo, JSON.stringify(res.profile));
      done();
    });
  });
}

function startHostProcess(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', __filename, '--serve-host'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
      const url = /READY (\S+)/.exec(output)?.[1];
      if (url !== undefined) resolve({ child, url });
    });
    child.once('exit', (code) => reject(new Error(`API host exited during startup (${String(code)})`)));
  });
}

async function json(url: string, token: string, method = 'GET', body?: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(120_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as unknown;
}

/** Rotates through `items`, one per request of a connection (autocannon calls setupRequest before each send). */
function rotating<T>(
  items: readonly T[],
  make: (item: T, req: CannonRequest, at: number) => CannonRequest,
): CannonRequest {
  let i = 0;
  return {
    setupRequest: (req) => {
      const at = i++ % items.length;
      return make(items[at] as T, req, at);
    },
  };
}

function pct(n: number): string {
  return `${n.toFixed(0)} ms`.padStart(8);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '60' },
      connections: { type: 'string', default: '50' },
      contracts: { type: 'string', default: '300' },
      'serve-host': { type: 'boolean', default: false },
      profile: { type: 'string' },
      storage: { type: 'string', default: 'memory' },
    },
  });
  if (values['serve-host']) return serveHost();
  const duration = Number(values.duration);
  const connections = Number(values.connections);
  const contracts = Number(values.contracts);
  const storage = values.storage;
  if (!(duration > 0) || !(connections >= 8) || !(contracts > 0) || (storage !== 'memory' && storage !== 'disk'))
    throw new Error(
      'Usage: npm run load -- [--duration <s>] [--connections <n ≥ 8>] [--contracts <n>] [--storage memory|disk] [--profile <file>]',
    );

  const dir = await mkdtemp(path.join(os.tmpdir(), 'ledgerdesk-load-'));
  const azurite = await startAzurite({ location: path.join(dir, 'azurite'), inMemory: storage === 'memory' });
  let host: { child: ChildProcess; url: string } | undefined;
  try {
    const keyFile = path.join(dir, 'dev-signing-key.json');
    const env = {
      ...process.env,
      LEDGERDESK_MODE: 'local',
      LEDGERDESK_STORAGE_CONNECTION: azuriteConnectionString(azurite.ports),
      LEDGERDESK_TABLE_PREFIX: 'load',
      LEDGERDESK_DEV_SIGNING_KEY_FILE: keyFile,
      PORT: String(await freePort()),
      ...(values.profile === undefined ? {} : { LEDGERDESK_LOAD_PROFILE: path.resolve(values.profile) }),
    };
    host = await startHostProcess(env);
    const base = host.url;
    const clerk = await signDevToken(keyFile, { user: 'load.clerk', roles: ['clerk'] });
    const reviewer = await signDevToken(keyFile, { user: 'load.reviewer', roles: ['reviewer'] });
    const manager = await signDevToken(keyFile, { user: 'load.manager', roles: ['manager'] });

    // Seed: the demo's year of rows for `contracts` contracts, parents first, all approved.
    const seedStart = performance.now();
    const { ledgers, year } = demoDataset({ contracts, seed: 2016 });
    let seeded = 0;
    for (const { name } of LEDGERS) {
      const rows = ledgers[name];
      for (let i = 0; i < rows.length; i += 1_000) {
        const chunk = rows.slice(i, i + 1_000);
        const written = (await json(`${base}/ledgers/${name}`, clerk, 'PUT', { rows: chunk })) as {
          results: { key: string; etag: string }[];
        };
        // API v1.1: the reviewer names the version seen, here the etag each write returned.
        await json(`${base}/ledgers/${name}/approvals`, reviewer, 'POST', {
          rows: written.results.map(({ key, etag }) => ({ key, etag })),
        });
        seeded += chunk.length;
      }
    }
    console.log(
      `Seeded ${seeded} rows (${contracts} contracts, year ${year}) in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
    );

    const ids = (name: LedgerName, field: string): string[] => ledgers[name].map((r) => String(r[field]));
    const contractIds = ids('contracts', 'contractId');
    const regions = [...new Set(ids('contracts', 'region'))];
    const invoiceNos = ids('invoices', 'invoiceNo');
    const salespeople = ids('salespeople', 'salespersonId');
    const auth = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
    /** GETs as `token`'s user, one per item in turn. */
    const gets = <T>(items: readonly T[], token: string, pathOf: (item: T) => string): CannonRequest =>
      rotating(items, (item, req) => ({ ...req, method: 'GET', path: pathOf(item), headers: auth(token) }));
    const runId = randomUUID().slice(0, 8);
    let writeSeq = 0;

    const endpoints: Endpoint[] = [
      {
        name: 'GET rows (filtered)',
        kind: 'read',
        weight: 8,
        requests: [
          gets(contractIds, clerk, (id) => `/api/ledgers/orderLines?contractId=${id}`),
          gets(regions, clerk, (r) => `/api/ledgers/contracts?region=${r}&pageSize=100`),
        ],
      },
      {
        name: 'GET row',
        kind: 'read',
        weight: 8,
        requests: [gets(contractIds, clerk, (id) => `/api/ledgers/contracts/${id}`)],
      },
      {
        name: 'GET history',
        kind: 'read',
        weight: 6,
        requests: [gets(invoiceNos, clerk, (no) => `/api/ledgers/invoices/${no}/history`)],
      },
      {
        name: 'PUT rows (5 new, keyed)',
        kind: 'write',
        weight: 8,
        requests: [
          {
            setupRequest: (req) => {
              const n = ++writeSeq;
              const rows = Array.from({ length: 5 }, (_, i) => ({
                expenseId: `L${runId}-${n}-${i}`,
                salespersonId: salespeople[(n + i) % salespeople.length] as string,
                category: 'travel',
                incurredOn: `${year}-06-${String((n % 28) + 1).padStart(2, '0')}`,
                amount: `${(n % 900) + 10}.${String(n % 100).padStart(2, '0')}`,
              }));
              return {
                ...req,
                method: 'PUT',
                path: '/api/ledgers/expenses',
                headers: {
                  ...auth(clerk),
                  'content-type': 'application/json',
                  'idempotency-key': `load-${runId}-${n}`,
                },
                body: JSON.stringify({ rows }),
              };
            },
          },
        ],
      },
      {
        name: 'GET stats',
        kind: 'figures',
        weight: 6,
        requests: [
          gets(
            ['region', 'salesperson', 'customer', 'none'],
            manager,
            (g) => `/api/stats?period=month&from=${year}-01-01&to=${year}-12-31&groupBy=${g}`,
          ),
        ],
      },
      {
        name: 'GET receivables',
        kind: 'figures',
        weight: 5,
        requests: [
          gets(
            ['customer', 'contract', 'region', 'salesperson'],
            manager,
            (g) => `/api/receivables?asOf=${year}-09-30&groupBy=${g}`,
          ),
        ],
      },
      {
        name: 'GET performance',
        kind: 'figures',
        weight: 5,
        requests: [gets(contractIds, manager, (id) => `/api/contracts/${id}/performance`)],
      },
      {
        name: 'POST invoice check (3)',
        kind: 'figures',
        weight: 4,
        requests: [
          rotating(invoiceNos, (no, req, at) => {
            const some = [no, invoiceNos[(at + 7) % invoiceNos.length], invoiceNos[(at + 13) % invoiceNos.length]];
            return {
              ...req,
              method: 'POST',
              path: '/api/checks/invoices',
              headers: { ...auth(manager), 'content-type': 'application/json' },
              body: JSON.stringify({ invoiceNos: some }),
            };
          }),
        ],
      },
    ];
    // Split the connections by weight; every endpoint gets at least one.
    const totalWeight = endpoints.reduce((n, e) => n + e.weight, 0);
    const split = endpoints.map((e) => Math.max(1, Math.floor((connections * e.weight) / totalWeight)));
    for (let i = 0; split.reduce((a, b) => a + b, 0) < connections; i++) split[i % split.length]! += 1;

    if (values.profile !== undefined) host.child.kill('SIGUSR2');
    console.log(
      `Load: ${connections} connections for ${duration} s against ${base} (Azurite ${storage === 'memory' ? 'in memory' : 'persisting to disk'})`,
    );
    const results = await Promise.all(
      endpoints.map((e, i) =>
        autocannon({
          url: base.replace(/\/api$/, ''),
          connections: split[i] as number,
          duration,
          timeout: 10,
          requests: e.requests,
        }),
      ),
    );

    let totalRequests = 0;
    let totalErrors = 0;
    let readsOk = true;
    console.log(
      `\n${'endpoint'.padEnd(34)} ${'conns'.padStart(5)} ${'req/s'.padStart(8)} ${'p50'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)} ${'errors'.padStart(7)}`,
    );
    endpoints.forEach((e, i) => {
      const r = results[i] as CannonResult;
      const errors = r.non2xx + r.errors + r.timeouts;
      totalRequests += r.requests.total;
      totalErrors += errors;
      if (e.kind !== 'write' && r.latency.p99 > READ_P99_MS) readsOk = false;
      console.log(
        `${`${e.name} [${e.kind}]`.padEnd(34)} ${String(split[i]).padStart(5)} ${r.requests.average.toFixed(1).padStart(8)} ${pct(r.latency.p50)} ${pct(r.latency.p99)} ${pct(r.latency.max)} ${String(errors).padStart(7)}`,
      );
    });
    const seconds = Math.max(...results.map((r) => r.duration));
    console.log(
      `\nTotal: ${totalRequests} requests in ${seconds.toFixed(1)} s = ${(totalRequests / seconds).toFixed(1)} req/s, ${totalErrors} errors (non-2xx, socket errors, timeouts)`,
    );
    console.log(`${totalErrors === 0 ? 'PASS' : 'MISS'}  zero errors (${totalErrors})`);
    console.log(
      `${readsOk ? 'PASS' : 'MISS'}  p99 ≤ ${READ_P99_MS} ms for reads (every endpoint but the PUT, figures included)`,
    );
    if (totalErrors > 0 || !readsOk) process.exitCode = 1;
  } finally {
    if (host !== undefined) {
      const child = host.child;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await azurite.stop(); // SIGINT: Azurite flushes before it exits
    await rm(dir, { recursive: true, force: true });
    console.log('Stopped the API host and Azurite.');
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
