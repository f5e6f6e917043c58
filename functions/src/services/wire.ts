// Stored rows in the API's wire form: fields via toWire, plus etag and approval status (API.md, "Read rows").

import type { ApprovalInfo, ReadRow } from '../../../shared/api';
import { toWire, type LedgerName } from '../../../shared/ledgers';
import { isRejected, type StoredRow } from '../store/ledgerEntities';

/**
 * The approval status of the version a read shows, which is the latest one: a pending change shows as `pending`
 * with its maker and no approver (the approver of the version it replaces is in the history); a rejected change as
 * `rejected` with who rejected it, when and why.
 */
export function approvalOf(row: StoredRow): ApprovalInfo {
  const pending = row.pendingVersion !== undefined;
  const info: ApprovalInfo = {
    status: isRejected(row) ? 'rejected' : pending ? 'pending' : 'approved',
    changedBy: row.changedBy,
    changedAt: row.changedAt,
    approvedBy: pending ? null : (row.approvedBy ?? null),
    approvedAt: pending ? null : (row.approvedAt ?? null),
  };
  if (isRejected(row)) {
    info.rejectedBy = row.rejectedBy;
    info.rejectedAt = row.rejectedAt;
    info.reason = row.rejectReason;
  }
  return info;
}

/** A row as GET returns it: the latest version (so clerks see their own edits), its etag and approval status. */
export function readRowOf<L extends LedgerName>(row: StoredRow<L>): ReadRow {
  return { ...toWire(row.ledger, row.latest), etag: row.etag, approval: approvalOf(row) };
}
