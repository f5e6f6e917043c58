// Tests for functions/src/store/ledgerEntities.ts: addresses, typed columns and the maker-checker version states.
import {
  addressOf,
  approveWrite,
  bucketOf,
  createWrite,
  decodeHistory,
  decodeRow,
  recordToColumns,
  updateWrite,
  type Entity,
} from '../../../functions/src/store/ledgerEntities';

const withEtag = (e: Entity, etag: string): Entity => ({ ...e, etag });

describe('addressOf', () => {
  it('puts order lines in their contract partition with zero-padded line numbers', () => {
    expect(addressOf('orderLines', 'CA-2016-152156~3')).toEqual({
      partitionKey: 'CA-2016-152156',
      rowKey: 'r|000000000000003',
      rowId: '000000000000003',
    });
    expect(addressOf('invoiceLines', 'INV~1~12')?.partitionKey).toBe('INV~1');
  });
  it('buckets other ledgers by key, stably, into 64 partitions', () => {
    expect(addressOf('customers', 'C1')).toEqual({ partitionKey: bucketOf('C1'), rowKey: 'r|C1', rowId: 'C1' });
    const buckets = new Set(Array.from({ length: 2000 }, (_, i) => bucketOf(`K${i}`)));
    expect(buckets.size).toBe(64);
    expect(bucketOf('C1')).toBe(bucketOf('C1'));
  });
  it('refuses keys that cannot be stored', () => {
    expect(addressOf('customers', 'a/b')).toBeNull();
    expect(addressOf('orderLines', 'K1')).toBeNull();
    expect(addressOf('orderLines', 'K1~0')).toBeNull();
    expect(addressOf('orderLines', 'K#1~2')).toBeNull();
  });
});

it('stores integer-valued fields as Int64 and strings as they are', () => {
  expect(
    recordToColumns('payments', { paymentId: 'P', contractId: 'K', receivedOn: '2016-01-01', amount: 300_000_000_025 }),
  ).toEqual({
    paymentId: 'P',
    contractId: 'K',
    receivedOn: '2016-01-01',
    amount: 300_000_000_025n,
  });
});

it('walks a row through created → approved → updated (pending) with the approved version kept', () => {
  const address = addressOf('customers', 'C1');
  if (!address) throw new Error('no address');
  const v1 = { customerId: 'C1', name: 'One', region: 'East' };
  const created = createWrite('customers', address, 'C1', v1, 'clara', '2024-01-01T00:00:00.000Z');
  const r1 = decodeRow('customers', withEtag(created.row, 'e1'));
  expect(r1).toMatchObject({ key: 'C1', seq: 1, version: 1, pendingVersion: 1, approved: undefined, latest: v1 });
  expect(decodeHistory(created.history)).toEqual({
    seq: 1,
    action: 'created',
    by: 'clara',
    at: '2024-01-01T00:00:00.000Z',
    record: v1,
  });

  const approved = approveWrite(r1, 'rita', '2024-01-02T00:00:00.000Z');
  expect(approved.etag).toBe('e1');
  const r2 = decodeRow('customers', withEtag(approved.row, 'e2'));
  expect(r2).toMatchObject({
    seq: 2,
    version: 1,
    approvedVersion: 1,
    pendingVersion: undefined,
    approved: v1,
    approvedBy: 'rita',
  });
  expect(approved.row.metaApprovedN).toBeUndefined();

  const v2 = { ...v1, name: 'Two' };
  const updated = updateWrite(r2, v2, 'carl', '2024-01-03T00:00:00.000Z');
  const r3 = decodeRow('customers', withEtag(updated.row, 'e3'));
  expect(r3).toMatchObject({
    seq: 3,
    version: 3,
    pendingVersion: 3,
    approvedVersion: 1,
    latest: v2,
    approved: v1,
    changedBy: 'carl',
  });
  expect(updated.history.rowKey).toBe('h|C1|0000000003');
  expect(() => approveWrite(r2, 'rita', 'x')).toThrow(/no pending/);
});
