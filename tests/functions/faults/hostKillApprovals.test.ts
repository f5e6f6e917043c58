// Fault: the local API host is SIGKILLed while approvals are being projected into the figures. The figures repair
// (approval intents) must then bring the contract index and the rollups to exactly what the approved rows say.
import type { ApprovalsResponse, PutRowsResponse } from '../../../shared/api';
import { computeReceivables } from '../../../shared/calc/aging';
import type { LedgerName } from '../../../shared/ledgers';
import { setConfigForTests } from '../../../functions/src/config';
import { readAllApproved } from '../../../functions/src/figures/ledgerView';
import { INTENT_GRACE_MS, repairFigures } from '../../../functions/src/figures/projection';
import { readApprovedWithVersions } from '../../../functions/src/figures/rebuild';
import { listIntents } from '../../../functions/src/store/approvalIntents';
import { seeded, intIn } from '../../../bench/support';
import { seenNow } from '../../support/seen';
import { expectRollupsMatchRebuild } from '../figures/support';
import {
  call,
  childHostSetup,
  killHostProcess,
  ownAzurite,
  sleep,
  startHostProcess,
  type HostProcess,
  type OwnAzurite,
} from './support';

jest.setTimeout(120_000);

const KILLS = 4;
const CONTRACTS = 6;

describe('host killed while approvals are projected', () => {
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

  it('after the repair, index and rollups hold exactly the approved rows', async () => {
    host = await startHostProcess(env);
    const put = async (ledger: LedgerName, rows: object[]): Promise<void> => {
      const res = await call<PutRowsResponse>(`${host!.url}/ledgers/${ledger}`, {
        method: 'PUT',
        token: clerk,
        body: { rows },
      });
      expect(res.status).toBe(200);
    };
    // The reviewer approves the versions it reads just before (API v1.1).
    const approve = async (ledger: LedgerName, keys: string[]) =>
      call<ApprovalsResponse>(`${host!.url}/ledgers/${ledger}/approvals`, {
        method: 'POST',
        token: reviewer,
        body: { rows: await seenNow(ledger, keys) },
      });

    // Parents and one invoice per contract, approved while nothing is killed.
    const ids = Array.from({ length: CONTRACTS }, (_, i) => `C${i}`);
    const seed: [LedgerName, object[], string[]][] = [
      ['customers', [{ customerId: 'K1', name: 'K1', region: 'East' }], ['K1']],
      ['salespeople', [{ salespersonId: 'S1', name: 'S1', region: 'East' }], ['S1']],
      [
        'contracts',
        ids.map((c) => ({
          contractId: c,
          customerId: 'K1',
          salespersonId: 'S1',
          region: 'East',
          signedOn: '2016-03-01',
        })),
        ids,
      ],
      [
        'invoices',
        ids.map((c) => ({ invoiceNo: `I${c}`, contractId: c, issuedOn: '2016-04-01', dueOn: '2016-05-01' })),
        ids.map((c) => `I${c}`),
      ],
      [
        'invoiceLines',
        ids.map((c) => ({ invoiceNo: `I${c}`, lineNo: 1, itemCode: 'A', quantity: 10, unitPrice: '100.00' })),
        ids.map((c) => `I${c}~1`),
      ],
    ];
    for (const [ledger, rows, keys] of seed) {
      await put(ledger, rows);
      expect((await approve(ledger, keys)).status).toBe(200);
    }

    // Rounds: the clerk writes payments across all contracts, the reviewer approves them, and in some rounds the host
    // is killed a few milliseconds into the approval, while the projection runs; then it is restarted.
    const random = seeded(7_070_707);
    let killedInFlight = 0;
    for (let round = 0; round < 10; round++) {
      const keys = ids.map((c) => `P${round}-${c}`);
      await put(
        'payments',
        ids.map((c, i) => ({
          paymentId: `P${round}-${c}`,
          contractId: c,
          receivedOn: `2016-0${5 + (round % 4)}-1${i}`,
          amount: `${intIn(random, 1, 90)}.${String(intIn(random, 0, 99)).padStart(2, '0')}`,
        })),
      );
      const killNow = round % 2 === 1 && killedInFlight < KILLS;
      const approval = approve('payments', keys).then(
        (res) => res.status,
        () => 'refused' as const,
      );
      if (killNow) {
        await sleep(intIn(random, 5, 40));
        await killHostProcess(host);
        if ((await approval) === 'refused') killedInFlight++;
        host = await startHostProcess(env);
      } else expect(await approval).toBe(200);
    }
    expect(killedInFlight).toBeGreaterThan(0);

    // The repair, as `npm run figures:repair -- --all` runs it once the host is down.
    await killHostProcess(host);
    const left = (await listIntents()).length;
    const repaired = await repairFigures(new Date(Date.now() + INTENT_GRACE_MS));
    expect(repaired.replayed + repaired.dropped).toBe(left);
    expect(await listIntents()).toEqual([]);
    console.info(
      `approval kills in flight: ${killedInFlight}; intents left: ${left}, replayed ${repaired.replayed}, dropped ${repaired.dropped}`,
    );

    // Rollups equal a rebuild from the approved rows, and the contract index holds exactly those rows.
    await expectRollupsMatchRebuild();
    const { data } = await readApprovedWithVersions();
    const fromIndex = await readAllApproved(['contracts', 'invoices', 'invoiceLines', 'payments']);
    expect(fromIndex.payments.map((p) => p.paymentId).sort()).toEqual(data.payments.map((p) => p.paymentId).sort());
    const aging = (d: typeof data) => computeReceivables(d, { asOf: '2016-12-31', groupBy: 'contract' });
    expect(aging({ ...data, payments: fromIndex.payments })).toEqual(aging(data));
  });
});
