// "Approve": a reviewer approves selected rows; approval status and approver are written back per row.
import { MAX_KEYS_PER_APPROVAL, type ApprovalStatus } from '../../shared/api';
import { LEDGERS, type LedgerName } from '../../shared/ledgers';
import type { WorkbookAdapter } from '../excel/workbookAdapter';
import type { LedgerApiClient } from './apiClient';
import { writeBookkeeping, type BookkeepingUpdate } from './bookkeeping';
import { ledgerBySheet } from './layout';
import { readLedger, type LedgerSheet } from './ledgerSheet';

export interface ApproveTarget {
  ledger: LedgerName;
  /** 0-based body rows; or `keys` directly. */
  rows?: readonly number[];
  keys?: readonly string[];
}

export interface ApproveResult {
  ledger: LedgerName;
  counts: Record<ApprovalStatus, number>;
  results: { key: string; row: number | null; status: ApprovalStatus; message: string }[];
}

const MESSAGE: Record<ApprovalStatus, string> = {
  approved: 'approved',
  alreadyApproved: 'was already approved',
  self: 'not approved: you made this change, another reviewer must approve it (four-eyes rule)',
  notFound: 'not approved: the row is not on the server; publish it first',
};

/**
 * The ledger table on a worksheet: by the ledger's title first; a sheet the user renamed is found by looking for the
 * ledger tables on it (tables keep their names when a sheet is renamed).
 */
async function ledgerOnSheet(wb: WorkbookAdapter, sheetName: string): Promise<LedgerSheet | null> {
  const def = ledgerBySheet(sheetName);
  if (def !== undefined) {
    const sheet = await readLedger(wb, def.name);
    if (sheet !== null && sheet.sheet === sheetName) return sheet;
  }
  for (const l of LEDGERS) {
    if (l === def) continue; // already read above
    const sheet = await readLedger(wb, l.name);
    if (sheet !== null && sheet.sheet === sheetName) return sheet;
  }
  return null;
}

/** The ledger and body rows of the current Excel selection, or null when it is not on a ledger sheet's rows. */
export async function selectedLedgerRows(wb: WorkbookAdapter): Promise<ApproveTarget | null> {
  const sel = await wb.getSelection();
  if (sel === null) return null;
  const sheet = await ledgerOnSheet(wb, sel.sheet);
  if (sheet === null) return null;
  const first = Math.max(0, sel.rowIndex - sheet.origin.row - 1);
  const last = sel.rowIndex + sel.rowCount - 1 - sheet.origin.row - 1;
  if (last < first) return null;
  const rows = sheet.rows.filter((r) => r.index >= first && r.index <= last).map((r) => r.index);
  return rows.length > 0 ? { ledger: sheet.ledger, rows } : null;
}

export async function approveRows(
  wb: WorkbookAdapter,
  api: LedgerApiClient,
  target: ApproveTarget,
  approver: string,
): Promise<ApproveResult> {
  const sheet = await readLedger(wb, target.ledger);
  const byKey = new Map((sheet?.rows ?? []).flatMap((r) => (r.key === null ? [] : [[r.key, r]])));
  const keys = [
    ...new Set(
      target.keys ??
        (sheet?.rows ?? [])
          .filter((r) => target.rows?.includes(r.index) === true && r.key !== null)
          .map((r) => r.key as string),
    ),
  ];
  const counts: Record<ApprovalStatus, number> = { approved: 0, alreadyApproved: 0, self: 0, notFound: 0 };
  const results: ApproveResult['results'] = [];
  const updates = new Map<number, BookkeepingUpdate>();
  for (let i = 0; i < keys.length; i += MAX_KEYS_PER_APPROVAL) {
    const res = await api.approve(target.ledger, keys.slice(i, i + MAX_KEYS_PER_APPROVAL));
    for (const r of res.results) {
      counts[r.status]++;
      const row = byKey.get(r.key);
      results.push({ key: r.key, row: row?.index ?? null, status: r.status, message: MESSAGE[r.status] });
      if (row === undefined) continue;
      const u: BookkeepingUpdate = {};
      if (r.etag !== undefined) u.etag = r.etag;
      if (r.status === 'approved') Object.assign(u, { approval: 'approved', approvedBy: approver, status: 'approved' });
      else if (r.status === 'alreadyApproved') u.approval = 'approved';
      else if (r.status === 'self') Object.assign(u, { approval: 'pending', status: MESSAGE.self });
      else u.status = MESSAGE.notFound;
      updates.set(row.index, u);
    }
  }
  if (sheet !== null) await writeBookkeeping(wb, sheet, updates);
  return { ledger: target.ledger, counts, results };
}
