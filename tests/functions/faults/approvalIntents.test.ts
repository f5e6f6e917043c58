// Fault: an approval request that dies after its commit (or whose projection fails) must still reach the figures, and
// one that dies before its commit must not. The approval intents (outbox) and the figures repair make it so; the
// replay never counts an approval twice, and the rollups equal a rebuild to the cent afterwards.
import { ledgerData } from '../../../shared/calc';
import {
  dropNextRollupApplicationForTests,
  repairFigures,
  replayApprovalIntents,
} from '../../../functions/src/figures/projection';
import { receivablesRoute } from '../../../functions/src/functions/receivables';
import { approveRows, faults } from '../../../functions/src/services/approvals';
import { seenNow } from '../../support/seen';
import { onVersionEffective } from '../../../functions/src/services/effectiveVersions';
import { main as repairCli } from '../../../functions/src/cli/figuresRepair';
import { deleteIntents, listIntents, writeIntents } from '../../../functions/src/store/approvalIntents';
import { tableClient } from '../../../functions/src/store/client';
import { readRow } from '../../../functions/src/store/ledgerStore';
import { readFiguresGeneration } from '../../../functions/src/store/rollupStore';
import { contract, invoice, invoiceLine, orderLine, payment } from '../../shared/calc/fixtures/records';
import { REVIEWER } from '../../support/ledgerApi';
import { approveKeys, expectRollupsMatchRebuild, putRecords, useApprovedData } from '../figures/support';

const api = useApprovedData(
  ledgerData({
    contracts: [contract('C1', { signedOn: '2016-11-05' })],
    orderLines: [orderLine('C1', 1, 'A', 10, '10.00')],
    invoices: [invoice('I1', 'C1', '2016-11-25')],
    invoiceLines: [invoiceLine('I1', 1, 'A', 10, '10.00')], // 100.00 invoiced
  }),
);
afterEach(() => {
  faults.dieAfterCommit = false;
  faults.dieBeforeCommit = false;
});

async function receivable(): Promise<string | undefined> {
  const res = await api.call(receivablesRoute, { query: { asOf: '2016-12-31', groupBy: 'contract' } });
  expect(res.status).toBe(200);
  return (res.jsonBody as { rows: { total: string }[] }).rows[0]?.total;
}

it('an approval that completes leaves no intent behind', async () => {
  expect(await listIntents()).toEqual([]);
  await putRecords(api, 'payments', [payment('P1', 'C1', '2016-12-01', '10.00')]);
  await approveKeys(api, 'payments', ['P1']);
  expect(await receivable()).toBe('90.00');
  expect(await listIntents()).toEqual([]);
});

it('an approval whose request died after the commit reaches the figures through the repair', async () => {
  await putRecords(api, 'payments', [payment('P2', 'C1', '2016-12-02', '20.00')]);
  faults.dieAfterCommit = true;
  await approveKeys(api, 'payments', ['P2']);
  faults.dieAfterCommit = false;
  // Approved in the ledger, unknown to the figures: the intent is what remembers it.
  expect((await readRow('payments', 'P2'))?.approvedVersion).toBe(1);
  expect(await receivable()).toBe('90.00');
  const left = await listIntents();
  expect(left.map((i) => [i.event.ledger, i.event.key, i.event.version])).toEqual([['payments', 'P2', 1]]);

  // A young intent may belong to a request still running: the timer's repair leaves it alone.
  expect(await repairFigures()).toMatchObject({ replayed: 0, dropped: 0 });
  expect(await listIntents()).toHaveLength(1);
  // Past the grace period it is replayed.
  expect(await repairFigures(new Date(Date.now() + 3 * 60_000))).toMatchObject({ replayed: 1, dropped: 0 });
  expect(await receivable()).toBe('70.00');
  expect(await listIntents()).toEqual([]);
  await expectRollupsMatchRebuild();
});

it('intents of an approval that died before its commit are dropped, and change no figure', async () => {
  await putRecords(api, 'payments', [payment('P3', 'C1', '2016-12-03', '30.00')]);
  faults.dieBeforeCommit = true;
  await expect(approveRows('payments', await seenNow('payments', ['P3']), REVIEWER.id)).rejects.toThrow(
    /died before the approval commit/,
  );
  faults.dieBeforeCommit = false;
  expect((await readRow('payments', 'P3'))?.pendingVersion).toBe(1);
  expect(await listIntents()).toHaveLength(1);
  expect(await replayApprovalIntents(0)).toEqual({ replayed: 0, dropped: 1 });
  expect(await receivable()).toBe('70.00');
  expect(await listIntents()).toEqual([]);
  // The row can still be approved normally afterwards.
  await approveKeys(api, 'payments', ['P3']);
  expect(await receivable()).toBe('40.00');
  await expectRollupsMatchRebuild();
});

it('a failing listener keeps the intents; replaying what the projection already has counts nothing twice', async () => {
  const removeFailing = onVersionEffective(() => {
    throw new Error('another projection is down');
  });
  try {
    await putRecords(api, 'payments', [payment('P4', 'C1', '2016-12-04', '15.00')]);
    await approveKeys(api, 'payments', ['P4']);
  } finally {
    removeFailing();
  }
  expect(await receivable()).toBe('25.00'); // the figures' projection itself took it
  expect(await listIntents()).toHaveLength(1);
  // As after a request that died between its index commit and the stamp: the replay finds nothing new to commit,
  // and still replaces the stamp, so no instance keeps reads cached from before.
  const stamp = await readFiguresGeneration();
  expect(await replayApprovalIntents(0)).toEqual({ replayed: 1, dropped: 0 });
  expect(await readFiguresGeneration()).not.toBe(stamp);
  expect(await receivable()).toBe('25.00');
  expect(await listIntents()).toEqual([]);
  await expectRollupsMatchRebuild();
});

it('an approval whose projection died between index and rollups gets its rollups from the replay', async () => {
  const removeFailing = onVersionEffective(() => {
    throw new Error('the request died here');
  });
  try {
    await putRecords(api, 'payments', [payment('P5', 'C1', '2016-12-05', '5.00')]);
    dropNextRollupApplicationForTests(); // the index takes P5, its rollup delta stays in the unit's state
    await approveKeys(api, 'payments', ['P5']);
  } finally {
    removeFailing();
  }
  await expect(expectRollupsMatchRebuild()).rejects.toThrow();
  expect(await replayApprovalIntents(0)).toEqual({ replayed: 1, dropped: 0 });
  await expectRollupsMatchRebuild();
  expect(await receivable()).toBe('20.00');
});

it('npm run figures:repair does the same by hand; --all includes young intents', async () => {
  await putRecords(api, 'payments', [payment('P6', 'C1', '2016-12-06', '2.00')]);
  faults.dieAfterCommit = true;
  await approveKeys(api, 'payments', ['P6']);
  faults.dieAfterCommit = false;
  expect(await repairCli([])).toMatch(/^0 interrupted approvals projected/);
  expect(await listIntents()).toHaveLength(1);
  expect(await repairCli(['--all'])).toMatch(/^1 interrupted approvals projected into the figures, 0 intents/);
  expect(await receivable()).toBe('18.00');
  await expect(repairCli(['--everything'])).rejects.toThrow(/everything/);
});

it('deleting intents skips ones already gone and tolerates one listed twice', async () => {
  const event = {
    ledger: 'payments' as const,
    key: 'PX',
    version: 1,
    before: undefined,
    after: payment('PX', 'C1', '2016-12-07', '1.00'),
    approvedBy: REVIEWER.id,
    approvedAt: '2016-12-07T00:00:00.000Z',
  };
  const other = { ...event, key: 'PY', after: payment('PY', 'C1', '2016-12-07', '1.00') };
  const [pack] = await writeIntents('req-x', [event, other]);
  await deleteIntents([pack!]); // the request's own delete got there first
  await deleteIntents([pack!, pack!]);
  expect(await listIntents()).toEqual([]);
});

it('a request’s intents are packed, 50 events per entity, listed per event, keyed and deleted per pack', async () => {
  const events = Array.from({ length: 120 }, (_, i) => ({
    ledger: 'payments' as const,
    key: `PK${i}`,
    version: 1,
    before: undefined,
    after: payment(`PK${i}`, 'C1', '2016-12-08', '1.00'),
    approvedBy: REVIEWER.id,
    approvedAt: '2016-12-08T00:00:00.000Z',
  }));
  const keys = await writeIntents('req-pack', events);
  const stored = [];
  for await (const e of (await tableClient('approvalIntents')).listEntities()) stored.push(e);
  expect(stored).toHaveLength(3); // 50 + 50 + 20
  const listed = await listIntents();
  const byKey = (a: { key: string }, b: { key: string }): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  expect(listed.map((i) => i.event).sort(byKey)).toEqual([...events].sort(byKey));
  expect(keys).toHaveLength(3);
  expect(new Set(keys.map((k) => k.rowKey)).size).toBe(3);
  expect(new Set(listed.map((i) => i.rowKey))).toEqual(new Set(keys.map((k) => k.rowKey)));
  await deleteIntents(keys);
  expect(await listIntents()).toEqual([]);
});
