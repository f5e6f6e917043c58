// Loads the demo dataset through the running API (clerk writes, reviewer approves), then fetches a year report to a file.
//
// Only the public HTTP API is used, exactly as a client would: no storage access, so what the demo shows is what the
// product does. Tokens are signed with the local development key, like `npm run token`.

import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import type { z } from 'zod';
import {
  approvalsResponse,
  invoiceCheckResponse,
  MAX_KEYS_PER_APPROVAL,
  MAX_ROWS_PER_REQUEST,
  putRowsResponse,
  reportCreated,
  reportList,
  statsResponse,
  type ApprovalStatus,
  type FindingWire,
  type RowStatus,
  type StatsRow,
} from '../../shared/api';
import { keyOf, LEDGERS, type LedgerName } from '../../shared/ledgers';
import { signDevToken } from '../../functions/src/auth/devKey';
import type { Role } from '../../functions/src/auth/roles';
import { demoDataset, type DemoDataset, type DemoOptions } from './dataset';

export const DEFAULT_API_URL = 'http://127.0.0.1:7071/api';
export const DEMO_USERS = {
  clerk: { user: 'demo.clerk', roles: ['clerk'] as Role[] },
  reviewer: { user: 'demo.reviewer', roles: ['reviewer'] as Role[] },
  manager: { user: 'demo.manager', roles: ['manager'] as Role[] },
} as const;
const DEFAULT_CHUNK = 1_000;
const ATTEMPTS = 5;

export interface RunDemoOptions extends DemoOptions {
  /** Base URL including `/api`. */
  apiUrl: string;
  /** The local development signing key file the API trusts. */
  signingKeyFile: string;
  /** Where the report workbook goes (default `.data/demo` under the working directory). */
  outDir?: string;
  /** Rows per PUT and keys per approval request (≤ 5,000). */
  chunkSize?: number;
  /** Progress and summary lines. */
  log?: (line: string) => void;
}

export interface DemoResult {
  dataset: DemoDataset;
  written: Record<LedgerName, Partial<Record<RowStatus, number>>>;
  approved: Record<LedgerName, Partial<Record<ApprovalStatus, number>>>;
  findings: FindingWire[];
  /** The year's statistics row (groupBy none), undefined when the year has no figures. */
  stats: StatsRow | undefined;
  report: { reportId: string; version: number | undefined; sizeBytes: number };
  /** Absolute path of the report workbook written. */
  file: string;
}

/** A failure the user can act on; the CLI prints its message without a stack. */
export class DemoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoError';
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function tally<K extends string>(statuses: readonly K[]): Partial<Record<K, number>> {
  const out: Partial<Record<K, number>> = {};
  for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
  return out;
}

function merge<K extends string>(into: Partial<Record<K, number>>, add: Partial<Record<K, number>>): void {
  for (const [k, n] of Object.entries(add) as [K, number][]) into[k] = (into[k] ?? 0) + n;
}

const tallyText = (t: Partial<Record<string, number>>): string =>
  Object.entries(t)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ') || 'nothing';

/** "1234567.50" → "1,234,567.50", for reading, not for parsing back. */
function money(s: string | undefined): string {
  const [whole = '0', cents = '00'] = (s ?? '0.00').split('.');
  return `${whole.replace(/\B(?=(\d{3})+$)/g, ',')}.${cents}`;
}

/** Loads the demo into the API at `apiUrl`, approves it and writes the year's report workbook. */
export async function runDemo(options: RunDemoOptions): Promise<DemoResult> {
  const log = options.log ?? ((): void => undefined);
  const base = options.apiUrl.replace(/\/+$/, '');
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;
  const maxChunk = Math.min(MAX_ROWS_PER_REQUEST, MAX_KEYS_PER_APPROVAL);
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > maxChunk)
    throw new DemoError(`chunk size must be 1-${maxChunk}`);

  await checkHealth(base);
  const tokens = new Map<string, string>();
  for (const [who, u] of Object.entries(DEMO_USERS))
    tokens.set(who, await signDevToken(options.signingKeyFile, { user: u.user, roles: u.roles, expiresIn: '2h' }));
  const call = async <T>(
    who: keyof typeof DEMO_USERS,
    method: string,
    route: string,
    schema: z.ZodType<T>,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> => {
    const res = await send(base, tokens.get(who) as string, method, route, body, headers);
    return schema.parse(await res.json());
  };

  const dataset = demoDataset(options);
  const { year } = dataset;
  const total = LEDGERS.reduce((a, l) => a + dataset.ledgers[l.name].length, 0);
  log(
    `Ledgerdesk demo: ${year}, ${dataset.ledgers.contracts.length} contracts, ${total} rows (seed ${dataset.seed}) → ${base}`,
  );

  // Parents first (LEDGERS is in dependency order). One run id per run: a retried chunk replays, a new run re-sends.
  const runId = randomUUID();
  const started = Date.now();
  const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const written = {} as DemoResult['written'];
  // The etag of each row as written: the version the reviewer approves below (API v1.1 approves what was seen).
  const seen = Object.fromEntries(LEDGERS.map((l) => [l.name, new Map<string, string>()])) as Record<
    LedgerName,
    Map<string, string>
  >;
  log(`Writing as ${DEMO_USERS.clerk.user}:`);
  for (const { name } of LEDGERS) {
    const rows = dataset.ledgers[name];
    const counts: Partial<Record<RowStatus, number>> = {};
    const problems: string[] = [];
    let done = 0;
    for (const [i, chunk] of chunks(rows, chunkSize).entries()) {
      const { results } = await call(
        'clerk',
        'PUT',
        `ledgers/${name}`,
        putRowsResponse,
        { rows: chunk },
        {
          'Idempotency-Key': `demo-${runId}-${name}-${i}`,
        },
      );
      merge(counts, tally(results.map((r) => r.status)));
      for (const r of results) if (r.key !== null && r.etag !== undefined) seen[name].set(r.key, r.etag);
      for (const r of results)
        if (r.status === 'invalid' || r.status === 'conflict')
          problems.push(`${r.key ?? '(no key)'}: ${r.status} ${JSON.stringify(r.errors ?? r.current ?? '')}`);
      done += chunk.length;
      log(`  ${name.padEnd(13)} ${String(done).padStart(6)}/${rows.length}  ${tallyText(counts)}  (${elapsed()})`);
    }
    written[name] = counts;
    if (problems.length > 0)
      throw new DemoError(
        `${problems.length} ${name} row(s) were not stored as sent (rows changed by hand since an earlier run?):\n  ${problems.slice(0, 5).join('\n  ')}`,
      );
  }

  const approved = {} as DemoResult['approved'];
  log(`Approving as ${DEMO_USERS.reviewer.user}:`);
  for (const { name } of LEDGERS) {
    const keys = dataset.ledgers[name].map((r) => keyOf(name, r));
    // Parents were approved first (LEDGERS is in dependency order), as the parent-before-child rule requires.
    const counts: Partial<Record<ApprovalStatus, number>> = {};
    let done = 0;
    for (const chunk of chunks(keys, chunkSize)) {
      const { results } = await call('reviewer', 'POST', `ledgers/${name}/approvals`, approvalsResponse, {
        rows: chunk.map((key) => ({ key, etag: seen[name].get(key) ?? 'unwritten' })),
      });
      merge(counts, tally(results.map((r) => r.status)));
      done += chunk.length;
      log(`  ${name.padEnd(13)} ${String(done).padStart(6)}/${keys.length}  ${tallyText(counts)}  (${elapsed()})`);
    }
    approved[name] = counts;
  }

  const { findings } = await call('manager', 'POST', 'checks/invoices', invoiceCheckResponse, {});
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const { rows } = await call('manager', 'GET', `stats?period=year&from=${from}&to=${to}&groupBy=none`, statsResponse);
  const stats = rows.find((r) => r.period === String(year));

  const created = await call('manager', 'POST', 'reports', reportCreated, { period: String(year) });
  const info = (await call('manager', 'GET', `reports?period=${year}`, reportList)).reports.find(
    (r) => r.reportId === created.reportId,
  );
  const outDir = path.resolve(options.outDir ?? path.join('.data', 'demo'));
  const file = path.join(outDir, `ledgerdesk-demo-${year}.xlsx`);
  const sizeBytes = await download(
    base,
    tokens.get('manager') as string,
    `reports/${encodeURIComponent(created.reportId)}`,
    file,
  );

  log('');
  log(`Rows written: ${LEDGERS.map((l) => `${l.name} ${dataset.ledgers[l.name].length}`).join(', ')}`);
  const written1 = Object.values(written).reduce((acc, t) => (merge(acc, t), acc), {});
  const approved1 = Object.values(approved).reduce((acc, t) => (merge(acc, t), acc), {});
  log(`  write results: ${tallyText(written1)}; approvals: ${tallyText(approved1)}`);
  const byCode = tally(findings.map((f) => f.code));
  log(`Invoice check: ${findings.length} finding(s)${findings.length > 0 ? ` (${tallyText(byCode)})` : ''}`);
  for (const d of dataset.defects) log(`  planted: ${d.invoiceNo} ${d.code}: ${d.what}`);
  log(
    `${year}: invoiced ${money(stats?.invoiced)}, collected ${money(stats?.collected)} (approved figures, /api/stats)`,
  );
  log(
    `Report ${year}${info === undefined ? '' : ` version ${info.version}`} (${created.reportId}), ${sizeBytes} bytes:`,
  );
  log(file);
  return {
    dataset,
    written,
    approved,
    findings,
    stats,
    report: { reportId: created.reportId, version: info?.version, sizeBytes },
    file,
  };
}

async function checkHealth(base: string): Promise<void> {
  const hint = `Start the API first: run \`npm start\` in another terminal (or set LEDGERDESK_API_URL; now ${base}).`;
  let res: Response;
  try {
    res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(5_000) });
  } catch {
    throw new DemoError(`The Ledgerdesk API is not answering at ${base}/health. ${hint}`);
  }
  if (res.status !== 200) {
    await res.body?.cancel();
    throw new DemoError(`${base}/health answered ${res.status}, not 200. ${hint}`);
  }
  await res.body?.cancel();
}

/**
 * One request, retried on network errors, 5xx, 429 and 409 (an Idempotency-Key still in progress): PUTs carry their
 * Idempotency-Key, approvals and reads are safe to repeat. Any other non-2xx is a DemoError with the API's message.
 */
async function send(
  base: string,
  token: string,
  method: string,
  route: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    let res: Response | undefined;
    let failure: string;
    try {
      res = await fetch(`${base}/${route}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (res.ok) return res;
      failure = `${method} /${route} answered ${res.status}: ${await res.text()}`;
    } catch (err) {
      failure = `${method} /${route} failed: ${err instanceof Error ? err.message : String(err)}`;
    }
    const retry = res === undefined || res.status >= 500 || res.status === 429 || res.status === 409;
    if (!retry || attempt >= ATTEMPTS) throw new DemoError(failure);
    await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
  }
}

/** Streams a response body to `file` (through a temp file, so a failed download never leaves half a workbook). */
async function download(base: string, token: string, route: string, file: string): Promise<number> {
  const res = await send(base, token, 'GET', route, undefined, {});
  if (res.body === null) throw new DemoError(`GET /${route} answered without a body`);
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  const out = createWriteStream(temp);
  await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), out);
  await rename(temp, file);
  return out.bytesWritten;
}
