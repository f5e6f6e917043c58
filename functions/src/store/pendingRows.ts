// The rows of a ledger whose latest version is a pending change that still counts (not rejected), for the
// provisional figures (figures/ledgerView.ts caches them per ledger write stamp).
//
// One server-side filtered listing per ledger, `metaPendingVersion ge 0`, selecting the ledger's columns and the
// row metadata decodeRow reads. No RowKey range: history entities never carry metaPendingVersion (a comparison with a
// missing property is false), and Azurite evaluates every condition of a filter on every entity of the table, once
// per page of 1,000.

import type { LedgerName } from '../../../shared/ledgers';
import { columns } from '../../../shared/ledgers';
import { decodeRow, ROW_PREFIX, type Entity, type StoredRow } from './ledgerEntities';
import { ledgerTable } from './ledgerStore';
import { MAX_QUERY_PAGE } from './limits';
import { mapLimit } from './parallel';

/** Point reads in flight at once, as in the store's other readers. */
const READS = 16;

/** Row metadata the listing selects besides the ledger's own columns. */
const META = [
  'PartitionKey',
  'RowKey',
  'metaKey',
  'metaSeq',
  'metaVersion',
  'metaApprovedVersion',
  'metaPendingVersion',
  'metaRejectedVersion',
  'metaApprovedN',
  'metaApproved0',
];

function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v !== '') return Number(v);
  if (typeof v === 'object' && v !== null && 'value' in v) return asNumber(v.value);
  return undefined;
}

/**
 * True when a row entity's latest version was rejected: `metaRejectedVersion` equal to `metaPendingVersion`. Such a
 * version never counts, even for provisional figures: the approved version, if any, stays in effect. Rows never
 * rejected have no `metaRejectedVersion`.
 */
export function entityRejected(entity: Record<string, unknown>): boolean {
  const rejected = asNumber(entity.metaRejectedVersion);
  return rejected !== undefined && rejected === asNumber(entity.metaPendingVersion);
}

/**
 * Every row of `name` with a pending change that was not rejected, decoded (latest and approved versions; the other
 * metadata only as far as selected). A row whose approved copy spans more than one chunk (over 32,000 characters) is
 * read again in full by a point read (16 in flight).
 */
export async function listCountingPendingRows(name: LedgerName): Promise<StoredRow[]> {
  const client = await ledgerTable(name);
  const select = [...META, ...columns(name).map((c) => c.field)];
  const rows: StoredRow[] = [];
  const long: Entity[] = [];
  const pages = client
    .listEntities<Record<string, unknown>>({ queryOptions: { filter: 'metaPendingVersion ge 0', select } })
    .byPage({ maxPageSize: MAX_QUERY_PAGE });
  for await (const page of pages)
    for (const e of page as Entity[]) {
      if (!e.rowKey.startsWith(ROW_PREFIX) || entityRejected(e)) continue;
      if ((asNumber(e.metaApprovedN) ?? 0) > 1) long.push(e);
      else rows.push(decodeRow(name, e));
    }
  const reread = await mapLimit(long, READS, async (e): Promise<Entity> => {
    const full = await client.getEntity<Record<string, unknown>>(e.partitionKey, e.rowKey);
    return { ...full, partitionKey: e.partitionKey, rowKey: e.rowKey };
  });
  for (const entity of reread)
    if (asNumber(entity.metaPendingVersion) !== undefined && !entityRejected(entity))
      rows.push(decodeRow(name, entity));
  return rows;
}
