// Fault: the local API host is SIGKILLed at random moments during mixed traffic and restarted; every write the
// client saw acknowledged is readable afterwards with its values and in history, and nothing is stored twice.
import type { ApprovalsResponse, HistoryResponse, PutRowsResponse, ReadRow } from '../../../shared/api';
import { setConfigForTests } from '../../../functions/src/config';
import { seeded, intIn } from '../../../bench/support';
import {
  call,
  childHostSetup,
  killHostProcess,
  ownAzurite,
  readAllRows,
  sleep,
  startHostProcess,
  type Answer,
  type HostProcess,
  type OwnAzurite,
} from './support';

jest.setTimeout(120_000);

/** Traffic runs this long; kills happen inside it. Bounded so the suite stays quick on two shared cores. */
const TRAFFIC_MS = 16_000;
const KILLS = 3;
const WORKERS = 4;
/** A request to a live host answers within this; a dead host refuses at once. */
const REQUEST_TIMEOUT_MS = 15_000;

/** A write the client saw acknowledged: the values it sent, and the history version it became. */
interface Ack {
  name: string;
  region: string;
}

describe('host killed and restarted during mixed traffic', () => {
  let storage: OwnAzurite;
  let env: NodeJS.ProcessEnv;
  let host: HostProcess | undefined;
  let clerk: string;
  let reviewer: string;

  beforeAll(async () => {
    storage = await ownAzurite();
    ({ env, clerk, reviewer } = await childHostSetup(storage));
  });
  afterAll(async () => {
    if (host) await killHostProcess(host);
    await storage?.dispose();
    setConfigForTests(undefined);
  });

  it('keeps every acknowledged write, with its values and history, and stores nothing twice', async () => {
    host = await startHostProcess(env);
    const base = host.url;
    const random = seeded(20_240_601);

    const acked = new Map<string, Ack[]>(); // per customer key, acknowledged writes in order
    const approvedAcks: { key: string; version: number }[] = [];
    const etags = new Map<string, string>();
    const uncertain = new Set<string>(); // keys whose last write never got an answer, even after retrying
    const serverErrors: string[] = [];
    let refused = 0;
    let retriedToAck = 0;
    let writeSeq = 0;

    /**
     * One request; a refused connection (host dead) or no answer is retried with the SAME request, Idempotency-Key
     * included, as the add-in does, until it answers or `giveUpAt` passes. A 409 "in progress" is a claim left by a
     * killed request: retried too, it goes stale within seconds.
     */
    const send = async <T>(
      url: string,
      init: Parameters<typeof call>[1],
      giveUpAt: number,
    ): Promise<Answer<T> | undefined> => {
      for (let attempt = 0; ; attempt++) {
        try {
          const res = await call<T>(url, { ...init, timeoutMs: REQUEST_TIMEOUT_MS });
          const code = (res.body as { error?: { code?: string } } | undefined)?.error?.code;
          if (res.status === 409 && code === 'idempotency_in_progress' && Date.now() < giveUpAt) {
            await sleep(500);
            continue;
          }
          if (res.status >= 500)
            serverErrors.push(`${init?.method ?? 'GET'} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
          if (attempt > 0) retriedToAck++;
          return res;
        } catch {
          refused++;
          if (Date.now() >= giveUpAt) return undefined;
          await sleep(200);
        }
      }
    };

    const worker = async (w: number, until: number): Promise<void> => {
      const mine: string[] = [];
      while (Date.now() < until) {
        const dice = random();
        if (dice < 0.45 || mine.length === 0) {
          // Write: a new customer, or an etag update of one of mine; a fresh Idempotency-Key per write.
          const update = mine.length > 0 && dice < 0.25;
          const key = update ? (mine[intIn(random, 0, mine.length - 1)] as string) : `W${w}-${mine.length}`;
          if (uncertain.has(key)) continue;
          const n = ++writeSeq;
          const row: Record<string, unknown> = { customerId: key, name: `v${n}`, region: ['East', 'West'][n % 2] };
          if (update) row.etag = etags.get(key);
          const res = await send<PutRowsResponse>(
            `${base}/ledgers/customers`,
            { method: 'PUT', token: clerk, body: { rows: [row] }, headers: { 'Idempotency-Key': `w${w}-${n}` } },
            Date.now() + 20_000,
          );
          if (!update) mine.push(key);
          if (res === undefined || res.status !== 200) {
            uncertain.add(key);
            continue;
          }
          const result = res.body.results[0];
          // `unchanged` on a retry: the killed attempt had stored exactly these values.
          if (result?.status === 'created' || result?.status === 'updated' || result?.status === 'unchanged') {
            etags.set(key, result.etag as string);
            acked.set(key, [...(acked.get(key) ?? []), { name: String(row.name), region: String(row.region) }]);
          } else if (result?.status === 'conflict') {
            // A reviewer approved meanwhile: the next update uses the stored row's etag.
            etags.set(key, result.current?.etag ?? '');
          } else throw new Error(`unexpected ${JSON.stringify(result)}`);
        } else if (dice < 0.6 && mine.length > 0) {
          // Approve a few of mine as the reviewer (a different user than the clerk).
          const keys = mine.filter((k) => !uncertain.has(k)).slice(-3);
          const res = await send<ApprovalsResponse>(
            `${base}/ledgers/customers/approvals`,
            // The reviewer names the version the clerk's last acknowledged write made (API v1.1).
            {
              method: 'POST',
              token: reviewer,
              body: { rows: keys.map((key) => ({ key, etag: etags.get(key) ?? '' })) },
            },
            Date.now() + 5_000,
          );
          if (res?.status === 200)
            for (const r of res.body.results)
              if (r.status === 'approved') {
                approvedAcks.push({ key: r.key, version: r.version as number });
                etags.set(r.key, r.etag as string);
              }
        } else {
          // Reads: a filtered list, one row, one history.
          const key = mine[intIn(random, 0, mine.length - 1)] as string;
          const which = intIn(random, 0, 2);
          const url =
            which === 0
              ? `${base}/ledgers/customers?region=East&pageSize=50`
              : which === 1
                ? `${base}/ledgers/customers/${key}`
                : `${base}/ledgers/customers/${key}/history`;
          await send(url, { token: clerk }, Date.now() + 5_000);
        }
      }
    };

    // Kill at seeded random moments inside the traffic window, restarting the host right away each time.
    const started = Date.now();
    const killer = async (): Promise<void> => {
      for (let k = 0; k < KILLS; k++) {
        await sleep(intIn(random, 2_000, Math.floor(TRAFFIC_MS / KILLS)));
        await killHostProcess(host as HostProcess);
        host = await startHostProcess(env);
        expect(host.url).toBe(base);
      }
    };
    await Promise.all([killer(), ...Array.from({ length: WORKERS }, (_, w) => worker(w, started + TRAFFIC_MS))]);

    // The traffic met the kills: some requests found the host dead and were retried to an answer.
    expect(refused).toBeGreaterThan(0);
    expect(serverErrors).toEqual([]);
    const ackedKeys = [...acked.keys()];
    expect(ackedKeys.length).toBeGreaterThan(20);

    // Every acknowledged write is readable with its values (its last acknowledged version, unless its last write
    // went unanswered, in which case that one or the last acknowledged one).
    const stored = await readAllRows<ReadRow & { customerId: string; name: string; region: string }>(
      base,
      clerk,
      'customers',
    );
    const byKey = new Map(stored.map((r) => [r.customerId, r]));
    expect(byKey.size).toBe(stored.length); // no key twice
    for (const [key, writes] of acked) {
      const row = byKey.get(key);
      expect(row).toBeDefined();
      const last = writes.at(-1) as Ack;
      if (!uncertain.has(key)) expect({ key, name: row?.name, region: row?.region }).toEqual({ key, ...last });
      else expect(Number(row?.name.slice(1))).toBeGreaterThanOrEqual(Number(last.name.slice(1)));
    }
    // Nothing we never sent: every stored key is one a worker tried to create.
    for (const key of byKey.keys()) expect(key).toMatch(/^W\d+-\d+$/);

    // History: exactly one `created`; each acknowledged write is a version, each write appears once; each
    // acknowledged approval is there.
    for (const key of ackedKeys) {
      const res = await call<HistoryResponse>(`${base}/ledgers/customers/${key}/history`, { token: clerk });
      expect(res.status).toBe(200);
      const written = res.body.entries.filter((e) => e.action !== 'approved');
      expect(written.filter((e) => e.action === 'created')).toHaveLength(1);
      const names = written.map((e) => String(e.row?.name));
      expect(new Set(names).size).toBe(names.length);
      for (const a of acked.get(key) as Ack[]) expect(names).toContain(a.name);
      const approvals = res.body.entries.filter((e) => e.action === 'approved').map((e) => e.approvedVersion);
      expect(new Set(approvals).size).toBe(approvals.length);
      for (const a of approvedAcks.filter((x) => x.key === key)) expect(approvals).toContain(a.version);
    }
    process.stdout.write(
      `host kills: ${KILLS}, acknowledged keys ${ackedKeys.length}, approvals ${approvedAcks.length}, ` +
        `refused ${refused}, retried to an answer ${retriedToAck}, uncertain ${uncertain.size}\n`,
    );
  });
});
