// Fault-test support: a private Azurite per test file (free ports, temp dir), bounded HTTP calls, stored-history counts.
import { freePort } from '../../../local/ports';
export { freePort };
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { odata } from '@azure/data-tables';
import type { AzuritePorts } from '../../../functions/src/config';
import { startAzurite, type RunningAzurite } from '../../../local/azurite';
import { tableClient } from '../../../functions/src/store/client';
import { HISTORY_PREFIX } from '../../../functions/src/store/ledgerEntities';
import type { LedgerName } from '../../../shared/ledgers';
import { uniqueTablePrefix } from '../../support/azurite';
import { CLERK, ledgerApi, REVIEWER } from '../../support/ledgerApi';

/**
 * An Azurite of our own: the faults stop and restart storage, which must never hit the run's shared Azurite.
 * Fixed ports chosen up front, so a restart comes back where clients (and a child host) already point.
 */
export interface OwnAzurite {
  dir: string;
  ports: AzuritePorts;
  current: RunningAzurite;
  restart(): Promise<void>;
  stop(): Promise<void>;
  dispose(): Promise<void>;
}

export async function ownAzurite(): Promise<OwnAzurite> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ledgerdesk-faults-'));
  const ports = { blob: await freePort(), queue: await freePort(), table: await freePort() };
  const own: OwnAzurite = {
    dir,
    ports,
    current: await startAzurite({ location: dir, ports }),
    async restart() {
      own.current = await startAzurite({ location: dir, ports });
    },
    stop: () => own.current.stop(),
    async dispose() {
      await own.current.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return own;
}

export interface Answer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
  ms: number;
}

/** Thrown when a request found no answer in time: the test fails on a hang instead of timing out as a whole. */
export class NoAnswer extends Error {}

/**
 * One HTTP call, bounded by `timeoutMs`. Resolves with any HTTP answer (4xx/5xx included); rejects with NoAnswer on
 * a timeout and with the fetch error when the connection fails (host down).
 */
export async function call<T = unknown>(
  url: string,
  init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Answer<T>> {
  const started = performance.now();
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const timeoutMs = init.timeoutMs ?? 30_000;
  try {
    const res = await fetch(url, {
      method: init.method ?? 'GET',
      headers,
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: (text === '' ? undefined : JSON.parse(text)) as T,
      headers: res.headers,
      ms: performance.now() - started,
    };
  } catch (err) {
    if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'))
      throw new NoAnswer(`${init.method ?? 'GET'} ${url} did not answer within ${timeoutMs} ms`);
    throw err;
  }
}

/**
 * What a client may see in an error body: the API's shape, and nothing that reveals internals (stack frames, SDK
 * messages, addresses, the storage key).
 */
export function expectCleanErrorBody(body: unknown): void {
  expect(body).toEqual({
    error: {
      code: expect.any(String) as unknown,
      message: expect.any(String) as unknown,
      details: expect.any(Array) as unknown,
    },
  });
  const text = JSON.stringify(body);
  expect(text).not.toMatch(/\bat \S+ \(|\.ts:\d+|ECONNREFUSED|ECONNRESET|RestError|AccountKey|devstoreaccount1/);
}

/** Per key: the actions of its stored history entries, read straight from the ledger's table (all partitions). */
export async function storedHistoryActions(name: LedgerName): Promise<Map<string, string[]>> {
  const client = await tableClient(name);
  const actions = new Map<string, string[]>();
  const filter = odata`RowKey ge ${HISTORY_PREFIX} and RowKey lt ${'h}'}`;
  const pages = client
    .listEntities<{ metaKey: string; action: string }>({ queryOptions: { filter, select: ['metaKey', 'action'] } })
    .byPage({ maxPageSize: 1000 });
  for await (const page of pages)
    for (const e of page) actions.set(e.metaKey, [...(actions.get(e.metaKey) ?? []), e.action]);
  return actions;
}

/** Every row of a ledger through GET (5,000-row pages), so counts are what clients would see. */
export async function readAllRows<T = Record<string, unknown>>(
  base: string,
  token: string,
  name: LedgerName,
): Promise<T[]> {
  const rows: T[] = [];
  let continuationToken: string | null = null;
  do {
    const qs = new URLSearchParams({ pageSize: '5000' });
    if (continuationToken !== null) qs.set('continuationToken', continuationToken);
    const res: Answer<{ rows: T[]; continuationToken: string | null }> = await call(
      `${base}/ledgers/${name}?${qs.toString()}`,
      { token, timeoutMs: 60_000 },
    );
    if (res.status !== 200) throw new Error(`GET ${name} answered ${res.status}: ${JSON.stringify(res.body)}`);
    rows.push(...res.body.rows);
    continuationToken = res.body.continuationToken;
  } while (continuationToken !== null);
  return rows;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The local API host alone in a child process (hostProcess.ts), so a test can SIGKILL it mid-request. */
export interface HostProcess {
  child: ChildProcess;
  url: string;
}

export function startHostProcess(env: NodeJS.ProcessEnv): Promise<HostProcess> {
  // node --import tsx runs the host in this one process (the tsx CLI would put a second process in between,
  // and a SIGKILL to it would leave the host running).
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'hostProcess.ts')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start:\n${output}`)), 30_000);
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
      const url = /READY (\S+)/.exec(output)?.[1];
      if (url !== undefined) {
        clearTimeout(timer);
        resolve({ child, url });
      }
    });
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => reject(new Error(`host exited (${String(code)}):\n${output}`)));
  });
}

export function killHostProcess(host: HostProcess): Promise<void> {
  return new Promise((resolve) => {
    if (host.child.exitCode !== null || host.child.signalCode !== null) return resolve();
    host.child.once('exit', () => resolve());
    host.child.kill('SIGKILL');
  });
}

/**
 * Fresh tables on `storage`, used by this process too (its config points there, so a test can read what a child
 * host stored), the environment for a child host on them, and clerk and reviewer tokens it accepts.
 */
export async function childHostSetup(
  storage: OwnAzurite,
): Promise<{ env: NodeJS.ProcessEnv; clerk: string; reviewer: string }> {
  const prefix = uniqueTablePrefix();
  const api = ledgerApi({
    LEDGERDESK_STORAGE_CONNECTION: storage.current.connectionString,
    LEDGERDESK_TABLE_PREFIX: prefix,
  });
  return {
    clerk: await api.token(CLERK.id, CLERK.roles),
    reviewer: await api.token(REVIEWER.id, REVIEWER.roles),
    env: {
      ...process.env,
      LEDGERDESK_MODE: 'local',
      LEDGERDESK_STORAGE_CONNECTION: storage.current.connectionString,
      LEDGERDESK_TABLE_PREFIX: prefix,
      LEDGERDESK_DEV_SIGNING_KEY_FILE: api.config.auth.mode === 'local' ? api.config.auth.signingKeyFile : '',
      PORT: String(await freePort()),
    },
  };
}
