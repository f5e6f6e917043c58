// Writing a ledger table's bookkeeping cells (approval, approver, sync status, etag, hash) as one block per call.
import type { ApprovalInfo } from '../../shared/api';
import type { CellValue, WorkbookAdapter } from '../excel/workbookAdapter';
import { BASE_COLUMN, BOOKKEEPING } from './layout';
import type { LedgerSheet, SheetRow } from './ledgerSheet';

export type BookkeepingUpdate = Partial<
  Pick<SheetRow, 'approval' | 'approvedBy' | 'status' | 'etag' | 'syncHash' | 'base'>
>;

/**
 * The Approval cell for a row's approval state: `pending`, `approved`, or for a rejected change
 * `rejected by <reviewer>: <reason>`, so the maker sees why without opening anything else.
 */
export function approvalText(info: Pick<ApprovalInfo, 'status' | 'rejectedBy' | 'reason'>): string {
  if (info.status !== 'rejected') return info.status;
  const by = info.rejectedBy !== undefined && info.rejectedBy !== '' ? ` by ${info.rejectedBy}` : '';
  const why = info.reason !== undefined && info.reason !== '' ? `: ${info.reason}` : '';
  return `rejected${by}${why}`;
}

const ORDER = [
  [BOOKKEEPING.approval, 'approval'],
  [BOOKKEEPING.approvedBy, 'approvedBy'],
  [BOOKKEEPING.status, 'status'],
  [BOOKKEEPING.etag, 'etag'],
  [BOOKKEEPING.hash, 'syncHash'],
  [BASE_COLUMN.name, 'base'],
] as const;

/**
 * Applies updates to the rows in memory and writes the bookkeeping columns of the span they cover in one
 * updateColumns call; rows inside the span without an update are written with their current values.
 */
export async function writeBookkeeping(
  wb: WorkbookAdapter,
  sheet: LedgerSheet,
  updates: ReadonlyMap<number, BookkeepingUpdate>,
): Promise<void> {
  if (updates.size === 0) return;
  const byIndex = new Map(sheet.rows.map((r) => [r.index, r]));
  for (const [index, u] of updates) {
    const row = byIndex.get(index);
    if (row !== undefined) Object.assign(row, u);
  }
  const present = ORDER.filter(([header]) => sheet.col(header) >= 0);
  const indexes = [...updates.keys()];
  const first = Math.min(...indexes);
  const last = Math.max(...indexes);
  const block: CellValue[][] = [];
  for (let i = first; i <= last; i++) {
    const row = byIndex.get(i);
    // Rows not held in memory are blank lines (readLedger skips them): their bookkeeping is empty too.
    block.push(present.map(([, prop]) => (row === undefined ? '' : row[prop])));
  }
  await wb.updateColumns(
    sheet.table,
    first,
    present.map(([header]) => header),
    block,
  );
}
