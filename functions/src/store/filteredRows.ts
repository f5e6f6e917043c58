// Filtered reads of a ledger table for GET /api/ledgers/{ledger}: a server-side OData filter plus, for what Table
// Storage cannot compare (case-insensitive names, sets larger than one filter may name), a check of each entity's
// top-level columns here. Every storage page request is counted (rowQueries), so tests can assert round trips.

import { odata } from '@azure/data-tables';
import type { LedgerName } from '../../../shared/ledgers';
import { decodeRow, type Entity, type StoredRow } from './ledgerEntities';
import { ledgerTable, rowRangeFilter, type Page } from './ledgerStore';
import { MAX_QUERY_PAGE } from './limits';

/** Storage page requests made by this module (one per page of a query): tests count round trips with it. */
export const rowQueries = { count: 0 };

/** A check on an entity's top-level columns (the row's latest version), for what the OData filter cannot say. */
export type EntityCheck = (entity: Record<string, unknown>) => boolean;

/** `field ge value` / `field le value` on a string column (ISO dates compare as text). */
export function fieldCompare(field: string, op: 'ge' | 'le', value: string): string {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(field)) throw new Error(`not a column name: ${field}`);
  return `${field} ${op === 'ge' ? odata`ge ${value}` : odata`le ${value}`}`;
}

function fullFilter(filter: string): string {
  return filter === '' ? rowRangeFilter() : `${rowRangeFilter()} and ${filter}`;
}

/**
 * One page of rows matching `filter` and `keep`. Every storage page read is used whole (each entity either kept or
 * passed over), so the token returned resumes exactly after the last entity looked at; a page may hold fewer than
 * `pageSize` rows with a token when `keep` passed many over.
 */
export async function listRowsWhere<L extends LedgerName>(
  name: L,
  filter: string,
  keep: EntityCheck | undefined,
  pageSize: number,
  continuationToken: string | undefined,
): Promise<Page<StoredRow<L>>> {
  const client = await ledgerTable(name);
  const items: StoredRow<L>[] = [];
  let token = continuationToken;
  do {
    const want = Math.min(MAX_QUERY_PAGE, pageSize - items.length);
    const iterator = client
      .listEntities<Record<string, unknown>>({ queryOptions: { filter: fullFilter(filter) } })
      .byPage({ maxPageSize: want, continuationToken: token });
    rowQueries.count++;
    const next = await iterator.next();
    if (next.done === true) {
      token = undefined;
      break;
    }
    const page = next.value;
    for (const e of page as Entity[]) if (keep === undefined || keep(e)) items.push(decodeRow(name, e));
    token = page.continuationToken;
  } while (token !== undefined && items.length < pageSize);
  return { items, continuationToken: token };
}

/**
 * The distinct values of `field` over the rows matching `filter` and `keep`, reading only the columns named in
 * `select` (which must include `field` and every column `keep` reads): pages of 1,000, one request each.
 */
export async function distinctValues(
  name: LedgerName,
  filter: string,
  keep: EntityCheck | undefined,
  field: string,
  select: readonly string[],
): Promise<Set<string>> {
  const client = await ledgerTable(name);
  const out = new Set<string>();
  const iterator = client
    .listEntities<Record<string, unknown>>({ queryOptions: { filter: fullFilter(filter), select: [...select] } })
    .byPage({ maxPageSize: MAX_QUERY_PAGE });
  for (;;) {
    rowQueries.count++;
    const next = await iterator.next();
    if (next.done === true) break;
    for (const e of next.value) {
      const v = e[field];
      if ((typeof v === 'string' || typeof v === 'number') && (keep === undefined || keep(e))) out.add(String(v));
    }
    if (next.value.continuationToken === undefined) break;
  }
  return out;
}
