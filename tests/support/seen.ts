// The versions a reviewer who read these rows just now would name in an approval (API v1.1): key and current etag.
import type { LedgerName } from '../../shared/ledgers';
import { readRows } from '../../functions/src/store/ledgerStore';

/** Each key with the etag its row has now (`"missing"` when there is no such row, which the API answers `notFound`). */
export async function seenNow(ledger: LedgerName, keys: readonly string[]): Promise<{ key: string; etag: string }[]> {
  const rows = await readRows(ledger, keys);
  return keys.map((key) => ({ key, etag: rows.get(key)?.etag ?? 'missing' }));
}
