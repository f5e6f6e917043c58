// The projection per approval request (functions/src/figures/projection.ts): storage work per partition, not per row;
// rollup journals deleted by the repair and never applied twice; a drain that claims a request's delta first.
import { ledgerData } from '../../../shared/calc';
import { addDays } from '../../../shared/dates';
import {
  drainJournals,
  drainUnappliedDeltas,
  dropNextRollupApplicationForTests,
  repairFigures,
} from '../../../functions/src/figures/projection';
import { zeroVec, type Cell } from '../../../functions/src/figures/cells';
import {
  commitPartition,
  indexQueries,
  listJournals,
  UNIT_BUCKETS,
  unitPartition,
} from '../../../functions/src/store/contractIndex';
import {
  applyDelta,
  claimDelta,
  openClaims,
  readAllDayCells,
  rollupPartitionsApplied,
} from '../../../functions/src/store/rollupStore';
import { contract, orderLine, payment } from '../../shared/calc/fixtures/records';
import { approveKeys, expectRollupsMatchRebuild, putRecords, useApprovedData } from './support';

const CONTRACTS = 300;
const ids = Array.from({ length: CONTRACTS }, (_, i) => `C${i}`);

const api = useApprovedData(
  ledgerData({
    contracts: ids.map((id, i) => contract(id, { signedOn: addDays('2016-01-01', i % 200) })),
    orderLines: ids.map((id) => orderLine(id, 1, 'A', 10, '10.00')),
  }),
);

let round = 0;
/** One payment per contract, written and approved in ONE request; returns the storage work the approval did. */
async function approvePayments(count = CONTRACTS): Promise<{ queries: number; rollupChunks: number }> {
  round++;
  const payments = ids
    .slice(0, count)
    .map((id, i) => payment(`P${round}-${id}`, id, addDays('2016-03-01', (i * 7) % 250), `${1 + (i % 90)}.25`));
  await putRecords(api, 'payments', payments);
  const q0 = indexQueries.count;
  const r0 = rollupPartitionsApplied.count;
  await approveKeys(
    api,
    'payments',
    payments.map((p) => p.paymentId),
  );
  return { queries: indexQueries.count - q0, rollupChunks: rollupPartitionsApplied.count - r0 };
}

it('a request reads the units it touches in a few range queries and applies one chunk per rollup partition', async () => {
  const { queries, rollupChunks } = await approvePayments();
  // 300 contract units over ~250 of the 1,024 buckets: runs of nearby buckets, a handful of queries (plus one run for
  // the lines of their invoices, of which there are none); never one per unit.
  const partitions = new Set(ids.map((id) => unitPartition('c', id))).size;
  expect(UNIT_BUCKETS).toBe(1024);
  expect(partitions).toBeGreaterThan(200);
  expect(queries).toBeLessThanOrEqual(8);
  // Payments over 2016-03 … 2016-11 (≤ 9 months) in 4 dimensions: ≤ 9 day partitions and 1 month partition each.
  expect(rollupChunks).toBeGreaterThan(0);
  expect(rollupChunks).toBeLessThanOrEqual(4 * (9 + 1));
  await expectRollupsMatchRebuild();
});

it('journals stay until the repair deletes them; a drain never applies an applied request again', async () => {
  await approvePayments(50);
  const journals = await listJournals();
  expect(journals.length).toBeGreaterThan(0);
  const claims = (await openClaims()).filter((c) => c.applied);
  expect(claims.flatMap((c) => c.journals).length).toBe(journals.length);
  // Applied already: the drain deletes them and applies nothing.
  expect(await drainUnappliedDeltas()).toBe(0);
  expect(await listJournals()).toEqual([]);
  expect(await openClaims()).toEqual([]);
  await expectRollupsMatchRebuild();
  // The timer's repair does the same for the next request.
  await approvePayments(20);
  expect((await listJournals()).length).toBeGreaterThan(0);
  await repairFigures();
  expect(await listJournals()).toEqual([]);
  await expectRollupsMatchRebuild();
});

it('a delta a drain claims first is applied journal by journal; the request finds the claim taken', async () => {
  dropNextRollupApplicationForTests(); // the request stops after its commits, before claiming
  await approvePayments(40);
  const journals = await listJournals();
  expect(journals.length).toBeGreaterThan(1);
  await expect(expectRollupsMatchRebuild()).rejects.toThrow();
  const deltaId = (journals[0] as { deltaId: string }).deltaId;
  expect(await drainJournals()).toBe(1);
  await expectRollupsMatchRebuild();
  // The request, had it gone on, would find the drain's claim and leave the delta alone.
  expect(await claimDelta(deltaId, 'request')).toBe('drain');
  expect(await drainJournals()).toBe(0);
  expect(await listJournals()).toEqual([]);
  await expectRollupsMatchRebuild();
});

it('a delta its request claimed but did not finish is applied by the drain as the same sum, once', async () => {
  dropNextRollupApplicationForTests();
  await approvePayments(40);
  const journals = await listJournals();
  const deltaId = (journals[0] as { deltaId: string }).deltaId;
  // As if the request had claimed and then died before (or while) applying.
  expect(await claimDelta(deltaId, 'request')).toBe('request');
  await expect(expectRollupsMatchRebuild()).rejects.toThrow();
  expect(await drainUnappliedDeltas()).toBe(1);
  await expectRollupsMatchRebuild();
  expect(await drainUnappliedDeltas()).toBe(0);
  await expectRollupsMatchRebuild();
});

it('a journal its request commits after a drain finished the delta is applied by the next drain, not dropped', async () => {
  dropNextRollupApplicationForTests();
  await approvePayments(30);
  const deltaId = ((await listJournals())[0] as { deltaId: string }).deltaId;
  expect(await drainJournals()).toBe(1);
  await expectRollupsMatchRebuild();
  // The request was still committing when the drain took its delta: one more of its transactions lands now (its
  // journal only, here), after the drain finished the claim.
  const v = zeroVec();
  v[0] = 123;
  const cell: Cell = { dim: 'none', date: '2016-05-05', group: '', v };
  const late = await commitPartition(unitPartition('c', 'C0'), [], { deltaId, cells: [cell] }, 9_999);
  expect(late).not.toBe(false);
  const before = await dayValue(cell);
  expect(await drainJournals()).toBe(1);
  expect(await listJournals()).toEqual([]);
  expect(await dayValue(cell)).toBe(before + 123);
  // Undo the made-up cell, so the rollups equal a rebuild again for the tests after this one.
  await applyDelta({ id: `undo-${deltaId}`, cells: [{ ...cell, v: v.map((x) => -x) }] });
  await expectRollupsMatchRebuild();
});

async function dayValue(cell: Cell): Promise<number> {
  const found = (await readAllDayCells()).find(
    (c) => c.dim === cell.dim && c.date === cell.date && c.group === cell.group,
  );
  return found?.v[0] ?? 0;
}
