// Tests for functions/src/store/pendingRows.ts: which rows the provisional figures read, on a real Azurite.
import { setConfigForTests } from '../../../functions/src/config';
import {
  addressOf,
  approveWrite,
  createWrite,
  decodeRow,
  rejectWrite,
  updateWrite,
  type RowWrite,
  type StoredRow,
} from '../../../functions/src/store/ledgerEntities';
import { commitWrites, ledgerTable } from '../../../functions/src/store/ledgerStore';
import { MAX_STRING_CHARS } from '../../../functions/src/store/limits';
import { entityRejected, listCountingPendingRows } from '../../../functions/src/store/pendingRows';
import type { Expense } from '../../../shared/ledgers';
import { useTestConfig } from '../../support/azurite';
import { expense } from '../../shared/calc/fixtures/records';

beforeAll(() => void useTestConfig());
afterAll(() => setConfigForTests(undefined));

async function commit(write: RowWrite): Promise<StoredRow> {
  const [outcome] = await commitWrites('expenses', [write]);
  if (outcome?.ok !== true) throw new Error('write refused');
  return decodeRow('expenses', { ...write.row, etag: outcome.etag });
}

async function current(key: string): Promise<StoredRow> {
  const address = addressOf('expenses', key);
  if (address === null) throw new Error('bad key');
  const client = await ledgerTable('expenses');
  const e = await client.getEntity<Record<string, unknown>>(address.partitionKey, address.rowKey);
  return decodeRow('expenses', { ...e, partitionKey: address.partitionKey, rowKey: address.rowKey });
}

async function create(record: Expense): Promise<StoredRow> {
  const address = addressOf('expenses', record.expenseId);
  if (address === null) throw new Error('bad key');
  return commit(createWrite('expenses', address, record.expenseId, record, 'clerk', '2026-01-01T00:00:00.000Z'));
}

it('lists pending rows with latest and approved versions; approved and rejected latest versions are left out', async () => {
  const fresh = await create(expense('E1', 'S1', '2016-11-03', '1.00'));
  const approved = await commit(approveWrite(await create(expense('E2', 'S1', '2016-11-04', '2.00')), 'rev', 'x'));
  const changed = await commit(updateWrite(approved, expense('E2', 'S1', '2016-11-04', '2.50'), 'clerk', 'y'));
  const other = await commit(approveWrite(await create(expense('E3', 'S1', '2016-11-05', '3.00')), 'rev', 'x'));
  await commit(updateWrite(other, expense('E3', 'S1', '2016-11-05', '3.50'), 'clerk', 'y'));
  // E3's change is rejected; E1 (never approved) is rejected too.
  const e3 = await commit(rejectWrite(await current('E3'), 'rev', 'w', 'no'));
  await commit(rejectWrite(fresh, 'rev', 'w', 'no'));
  const rows = await listCountingPendingRows('expenses');
  expect(rows.map((r) => ({ key: r.key, latest: r.latest, approved: r.approved }))).toEqual([
    { key: 'E2', latest: changed.latest, approved: approved.latest },
  ]);
  expect(fresh.pendingVersion).toBe(1);
  // The maker fixes the rejected change and writes it again: a new pending version, which counts.
  await commit(updateWrite(e3, expense('E3', 'S1', '2016-11-05', '3.75'), 'clerk', 'z'));
  const again = await listCountingPendingRows('expenses');
  expect(again.find((r) => r.key === 'E3')).toMatchObject({
    latest: expense('E3', 'S1', '2016-11-05', '3.75'),
    approved: other.latest,
  });
});

it('reads a row whose approved copy spans several chunks in full', async () => {
  // Within a string column's limit, but the approved copy (JSON of the whole record) is longer: two chunks.
  const long = 'x'.repeat(MAX_STRING_CHARS - 10);
  const approved = await commit(
    approveWrite(await create({ ...expense('E9', 'S1', '2016-11-06', '9.00'), description: long }), 'rev', 'x'),
  );
  await commit(updateWrite(approved, expense('E9', 'S1', '2016-11-06', '9.50'), 'clerk', 'y'));
  const row = (await listCountingPendingRows('expenses')).find((r) => r.key === 'E9');
  expect(row?.approved).toEqual(approved.latest);
  expect((row?.approved as Expense).description).toHaveLength(MAX_STRING_CHARS - 10);
  expect(row?.latest).toEqual(expense('E9', 'S1', '2016-11-06', '9.50'));
});

it('entityRejected compares the rejected with the pending version, whatever their stored number type', () => {
  expect(entityRejected({ metaPendingVersion: 3 })).toBe(false);
  expect(entityRejected({ metaPendingVersion: 3, metaRejectedVersion: 2 })).toBe(false);
  expect(entityRejected({ metaPendingVersion: 3, metaRejectedVersion: 3 })).toBe(true);
  expect(entityRejected({ metaPendingVersion: 3, metaRejectedVersion: { value: '3', type: 'Int64' } })).toBe(true);
  expect(entityRejected({ metaRejectedVersion: 3 })).toBe(false);
});
