// The records in effect of a ledger that the contract index does not hold (issue #14's ledgers), read page by page.
import type { LedgerName, LedgerRecord } from '../../../shared/ledgers';
import { isRejected } from '../store/ledgerEntities';
import { forEachRowPage } from '../store/ledgerStore';

/**
 * Every record in effect of one ledger: the approved versions, or with pendingToo the latest version of each row
 * unless it was rejected (then the approved one stays in effect, as in the other figures).
 */
export async function inEffect<L extends LedgerName>(name: L, pendingToo: boolean): Promise<LedgerRecord<L>[]> {
  const kept: LedgerRecord<L>[] = [];
  await forEachRowPage(name, '', (rows) => {
    for (const row of rows) {
      const record = pendingToo && !isRejected(row) ? row.latest : row.approved;
      if (record !== undefined) kept.push(record);
    }
  });
  return kept;
}
