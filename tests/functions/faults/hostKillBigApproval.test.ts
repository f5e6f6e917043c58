// Fault: the local API host is SIGKILLed in the middle of ONE 5,000-row approval: once while its rows commit (the
// moment its intents exist), once while its projection runs (the moment its first rollup journal exists in the contract
// index). After the figures repair: the rollups equal a rebuild, the contract index holds exactly the
// approved rows, every row was approved at most once (at most one `approved` history entry per version), and no
// intent is left. Then the rows still pending are approved normally, and the figures still agree.
import type { ApprovalsResponse, PutRowsResponse } from '../../../shared/api';
import { setConfigForTests } from '../../../functions/src/config';
import { readAllApproved } from '../../../functions/src/figures/ledgerView';
import { INTENT_GRACE_MS, repairFigures } from '../../../functions/src/figures/projection';
import { readApprovedWithVersions } from '../../../functions/src/figures/rebuild';
import { listIntents } from '../../../functions/src/store/approvalIntents';
import { listJournals } from '../../../functions/src/store/contractIndex';
import { addDays } from '../../../shared/dates';
import { seeded, intIn } from '../../../bench/support';
import { expectRollupsMatchRebuild } from '../figures/support';
import {
  call,
  childHostSetup,
  killHostProcess,
  ownAzurite,
  readAllRows,
  sleep,
  startHostProcess,
  storedHistoryActions,
  type HostProcess,
  type OwnAzurite,
} from './support';

jest.setTimeout(180_000);

const ROWS = 5_000;

describe('host killed during a 5,000-row approval', () => {
  let storage: OwnAzurite;
  let env: NodeJS.ProcessEnv;
  let host: HostProcess | undefined;
  let clerk: string;
  let reviewer: string;

  beforeAll(async () => {
    storage = await ownAzurite();
  });
  afterEach(async () => {
    if (host) await killHostProcess(host);
    host = undefined;
  });
  afterAll(async () => {
    await storage?.dispose();
    setConfigForTests(undefined);
  });

  it.each([
    ['while its rows commit', 'intents', 11],
    ['while its projection runs', 'journals', 22],
  ] as const)(
    'killed %s: after the repair, rollups equal a rebuild, no row is approved twice, no intent is left',
    async (_when, sign, seed) => {
      ({ env, clerk, reviewer } = await childHostSetup(storage)); // fresh tables for each case
      host = await startHostProcess(env);
      const url = host.url;
      const put = async (ledger: string, rows: object[]): Promise<{ key: string; etag: string }[]> => {
        const res = await call<PutRowsResponse>(`${url}/ledgers/${ledger}`, {
          method: 'PUT',
          token: clerk,
          body: { rows },
          timeoutMs: 120_000,
        });
        expect(res.status).toBe(200);
        return res.body.results.map((r) => ({ key: r.key as string, etag: r.etag as string }));
      };
      const approve = (ledger: string, rows: { key: string; etag: string }[]) =>
        call<ApprovalsResponse>(`${url}/ledgers/${ledger}/approvals`, {
          method: 'POST',
          token: reviewer,
          body: { rows },
          timeoutMs: 120_000,
        });

      const customers = Array.from({ length: 20 }, (_, i) => ({ customerId: `K${i}`, name: `K${i}`, region: 'East' }));
      const salespeople = Array.from({ length: 10 }, (_, i) => ({
        salespersonId: `S${i}`,
        name: `S${i}`,
        region: ['East', 'West', 'North'][i % 3] as string,
      }));
      expect((await approve('customers', await put('customers', customers))).status).toBe(200);
      expect((await approve('salespeople', await put('salespeople', salespeople))).status).toBe(200);
      const random = seeded(seed);
      const contracts = Array.from({ length: ROWS }, (_, i) => {
        const sp = salespeople[intIn(random, 0, 9)] as (typeof salespeople)[number];
        return {
          contractId: `C${i}`,
          customerId: `K${intIn(random, 0, 19)}`,
          salespersonId: sp.salespersonId,
          region: sp.region,
          signedOn: addDays('2015-01-01', intIn(random, 0, 700)),
        };
      });
      const seen = await put('contracts', contracts);

      // One request for all 5,000; the host is killed a random moment after the sign that the request is where this case
      // wants it: its intents written (it is about to commit its rows, or committing them), or its first journal
      // committed in the contract index (its rows are all committed and the projection is running).
      const approval = approve('contracts', seen).then(
        (res) => res.status,
        () => 'refused' as const,
      );
      const arrived = async (): Promise<boolean> =>
        sign === 'intents' ? (await listIntents()).length > 0 : (await listJournals()).length > 0;
      for (let waited = 0; !(await arrived()); waited += 20) {
        if (waited > 60_000) throw new Error(`the approval wrote no ${sign} within 60 s`);
        await sleep(20);
      }
      await sleep(sign === 'intents' ? intIn(random, 200, 1500) : intIn(random, 0, 400));
      await killHostProcess(host);
      host = undefined;
      expect(await approval).toBe('refused');

      // The repair, as the timer runs it once the grace period is over.
      const left = await listIntents();
      expect(left.length).toBeGreaterThan(0);
      const repaired = await repairFigures(new Date(Date.now() + INTENT_GRACE_MS));
      expect(repaired.replayed + repaired.dropped).toBe(left.length);
      expect(await listIntents()).toEqual([]);
      expect(await listJournals()).toEqual([]);

      // Figures agree with the approved rows, and the index holds exactly those rows.
      await expectRollupsMatchRebuild();
      const { data } = await readApprovedWithVersions();
      const indexed = await readAllApproved(['contracts']);
      expect(indexed.contracts.map((c) => c.contractId).sort()).toEqual(data.contracts.map((c) => c.contractId).sort());
      // Each contract has one version: at most one approval each.
      const history = await storedHistoryActions('contracts');
      expect(history.size).toBe(ROWS);
      for (const actions of history.values())
        expect(actions.filter((a) => a === 'approved').length).toBeLessThanOrEqual(1);
      const approvedBefore = data.contracts.length;

      // The rest is approved by a new request, naming the etags as they are now; rows approved already answer so.
      host = await startHostProcess(env);
      const rows = await readAllRows<{ contractId: string; etag: string }>(host.url, reviewer, 'contracts');
      const res = await call<ApprovalsResponse>(`${host.url}/ledgers/contracts/approvals`, {
        method: 'POST',
        token: reviewer,
        body: { rows: rows.map((r) => ({ key: r.contractId, etag: r.etag })) },
        timeoutMs: 120_000,
      });
      expect(res.status).toBe(200);
      const statuses = res.body.results.map((r) => r.status);
      expect(statuses.filter((s) => s === 'alreadyApproved')).toHaveLength(approvedBefore);
      expect(statuses.filter((s) => s === 'approved')).toHaveLength(ROWS - approvedBefore);
      await expectRollupsMatchRebuild();
      for (const actions of (await storedHistoryActions('contracts')).values())
        expect(actions.filter((a) => a === 'approved')).toHaveLength(1);
      expect(await listIntents()).toEqual([]);
      console.info(
        `killed during a ${ROWS}-row approval: ${approvedBefore} rows had committed; intents left ${left.length}, ` +
          `replayed ${repaired.replayed}, dropped ${repaired.dropped}`,
      );
    },
  );
});
