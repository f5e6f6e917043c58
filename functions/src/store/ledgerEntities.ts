// How ledger rows and their history are laid out as Table Storage entities: keys, partitions, columns, versions.
//
// One table per ledger (logical name = ledger name). Each table holds two kinds of entity:
//
// * Row entity, RowKey `r|<rowId>`: the latest version's fields as typed top-level columns (so equality filters
//   run server-side), plus metadata: `metaKey`, `metaSeq` (last history sequence number), `metaVersion` (sequence
//   number of the latest version), `metaApprovedVersion`, `metaPendingVersion`, who/when changed and approved, and,
//   only while a change is pending, the approved version as JSON (`metaApproved*`). So: no pending change → the top
//   level is the approved version; pending change → the top level is the pending version and `metaApproved*` holds
//   the version still in effect (absent when the row was never approved). A rejected pending version stays the
//   latest, with `metaRejectedVersion` (= `metaPendingVersion`), `metaRejectedBy`, `metaRejectedAt` and
//   `metaRejectReason`; the next write replaces it with a new pending version and drops those. `metaDecidedEtag` is
//   the etag the last approval or rejection named (the version the reviewer saw), so a reviewer who repeats a
//   decision, or a second reviewer who saw the same version, is told it was decided rather than that it changed.
// * History entity, RowKey `h|<rowId>|<seq, 10 digits>`: one per version, approval and rejection, append-only, with
//   the full row of a version as JSON (an approval names the version it approved, a rejection also its reason). It lives in the row's partition so row and history commit in ONE entity-group
//   transaction: there is never a version without its history entry, nor the reverse. A separate history table
//   could not give that atomicity.
//
// PartitionKey is a function of the key alone, so a row never moves and its history stays beside it:
// * orderLines: the contractId (key part 1): one contract's order lines are one partition, read by one query.
// * invoiceLines: the invoiceNo (key part 1): one invoice's lines are one partition.
// * every other ledger: `b00`…`b63`, an FNV-1a hash bucket of the key. 64 partitions spread load (Azure serves
//   ≈ 2,000 entities/s per partition, 20,000/s per account) while a 5,000-row upload still goes out as ~64
//   partitions of 40-80 entities per transaction. (Fewer, bigger partitions made Azurite, whose insert cost grows
//   with the partition's size, twice as slow at 100,000 rows: see bench/ledgerUpload.bench.ts.) Contracts are
//   point reads by key (bucket + RowKey). Deliveries, invoices and payments carry a contractId that clients may
//   correct; partitioning them by contract would move the row (and its history) between partitions, which cannot
//   be atomic, so they are bucketed by their own key. One contract's rows of those ledgers come from a projection
//   fed by the effective-version hook (the figures' contract index), or, unindexed, from one server-side filtered
//   query `contractId eq …` over the table (ledgerStore.readByField).
//
// Integer-valued fields (cents, unit prices, rates, quantities) are stored as Int64 so amounts beyond 2^31 cents
// (≈ 21 million) are exact and filters compare them with typed literals.

import { columns, ledger, splitKey, type LedgerName, type LedgerRecord } from '../../../shared/ledgers';
import { keyProblem } from '../../../shared/fields';
import { getChunked, putChunked } from './limits';

export const BUCKETS = 64;
export const ROW_PREFIX = 'r|';
/** Upper bound of row RowKeys: `}` sorts right after `|`. */
export const ROW_PREFIX_END = 'r}';
export const HISTORY_PREFIX = 'h|';
const SEQ_DIGITS = 10;
const LINE_DIGITS = 15;

/** Entity as the SDK reads and writes it. */
export type Entity = Record<string, unknown> & { partitionKey: string; rowKey: string; etag?: string };

export interface RowAddress {
  partitionKey: string;
  rowKey: string;
  /** The part of the RowKey after the prefix, shared by the row and its history entries. */
  rowId: string;
}

/** FNV-1a, 32 bits: a fast, stable hash for spreading keys over partition buckets (not for security). */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function bucketOf(key: string): string {
  return `b${String(fnv1a(key) % BUCKETS).padStart(2, '0')}`;
}

/** Ledgers partitioned by the first part of their compound key. */
const PARENT_PARTITIONED = new Set<LedgerName>(['orderLines', 'invoiceLines']);

/** Where a row with this key lives; null when the key cannot be one of this ledger's. */
export function addressOf(name: LedgerName, key: string): RowAddress | null {
  const parts = splitKey(name, key);
  if (parts === null) return null;
  for (const v of Object.values(parts)) if (typeof v === 'string' && keyProblem(v) !== null) return null;
  if (PARENT_PARTITIONED.has(name)) {
    const [parentField, lineField] = ledger(name).key as [string, string];
    const rowId = String(parts[lineField]).padStart(LINE_DIGITS, '0');
    return { partitionKey: String(parts[parentField]), rowKey: ROW_PREFIX + rowId, rowId };
  }
  return { partitionKey: bucketOf(key), rowKey: ROW_PREFIX + key, rowId: key };
}

export function historyRowKey(rowId: string, seq: number): string {
  return `${HISTORY_PREFIX}${rowId}|${String(seq).padStart(SEQ_DIGITS, '0')}`;
}

export const INT_KINDS = new Set(['int', 'money', 'unitPrice', 'rate']);

/** A record's fields as typed columns. */
export function recordToColumns(name: LedgerName, record: LedgerRecord<LedgerName>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const values = record as Record<string, unknown>;
  for (const col of columns(name)) {
    const v = values[col.field];
    if (v === undefined) continue;
    out[col.field] = INT_KINDS.has(col.kind) ? BigInt(v as number) : v;
  }
  return out;
}

/** The record held by an entity's top-level columns. */
export function columnsToRecord<L extends LedgerName>(name: L, entity: Record<string, unknown>): LedgerRecord<L> {
  const out: Record<string, unknown> = {};
  for (const col of columns(name)) {
    const v = entity[col.field];
    if (v === undefined || v === null) continue;
    out[col.field] = typeof v === 'bigint' ? Number(v) : v;
  }
  return out as LedgerRecord<L>;
}

/** True when two records hold the same values in every field. */
export function sameRecord(name: LedgerName, a: LedgerRecord<LedgerName>, b: LedgerRecord<LedgerName>): boolean {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  return columns(name).every((c) => x[c.field] === y[c.field]);
}

/** One stored row, decoded. */
export interface StoredRow<L extends LedgerName = LedgerName> {
  ledger: L;
  key: string;
  address: RowAddress;
  etag: string;
  /** Last history sequence number used by this row. */
  seq: number;
  /** Sequence number of the latest version (the pending one when a change is pending). */
  version: number;
  /** The latest version: what a clerk sees and edits. */
  latest: LedgerRecord<L>;
  /** The version in effect for figures; undefined while the row was never approved. */
  approved: LedgerRecord<L> | undefined;
  approvedVersion: number | undefined;
  /** Set while a change awaits approval; it is then `version`. */
  pendingVersion: number | undefined;
  /** The maker's readable name (display and history). */
  changedBy: string;
  /**
   * The maker's stable identity (the token's `oid`, else `sub`), which the four-eyes rule compares; absent on rows
   * written before it was recorded, whose maker is then compared by name.
   */
  changedById?: string | undefined;
  changedAt: string;
  approvedBy: string | undefined;
  approvedAt: string | undefined;
  /** Set while the pending version was rejected; it is then `pendingVersion`. */
  rejectedVersion?: number | undefined;
  rejectedBy?: string | undefined;
  rejectedAt?: string | undefined;
  rejectReason?: string | undefined;
  /** The etag named by the last approval or rejection of this row. */
  decidedEtag?: string | undefined;
}

/** True when the row's latest version is a pending change that a reviewer rejected. */
export function isRejected(row: StoredRow): boolean {
  return row.pendingVersion !== undefined && row.rejectedVersion === row.pendingVersion;
}

function optNumber(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}
function optString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function decodeRow<L extends LedgerName>(name: L, entity: Entity): StoredRow<L> {
  const latest = columnsToRecord(name, entity);
  const approvedVersion = optNumber(entity.metaApprovedVersion);
  const pendingVersion = optNumber(entity.metaPendingVersion);
  let approved: LedgerRecord<L> | undefined;
  if (approvedVersion !== undefined) {
    if (pendingVersion === undefined) approved = latest;
    else {
      const json = getChunked(entity, 'metaApproved');
      if (json === undefined)
        throw new Error(`row ${String(entity.metaKey)} has a pending change but no approved copy`);
      approved = JSON.parse(json) as LedgerRecord<L>;
    }
  }
  const rowId = entity.rowKey.slice(ROW_PREFIX.length);
  return {
    ledger: name,
    key: String(entity.metaKey),
    address: { partitionKey: entity.partitionKey, rowKey: entity.rowKey, rowId },
    etag: String(entity.etag),
    seq: Number(entity.metaSeq),
    version: Number(entity.metaVersion),
    latest,
    approved,
    approvedVersion,
    pendingVersion,
    changedBy: String(entity.metaChangedBy),
    changedById: optString(entity.metaChangedById),
    changedAt: String(entity.metaChangedAt),
    approvedBy: optString(entity.metaApprovedBy),
    approvedAt: optString(entity.metaApprovedAt),
    rejectedVersion: optNumber(entity.metaRejectedVersion),
    rejectedBy: optString(entity.metaRejectedBy),
    rejectedAt: optString(entity.metaRejectedAt),
    rejectReason: optString(entity.metaRejectReason),
    decidedEtag: optString(entity.metaDecidedEtag),
  };
}

/** The row entity for a state; `approvedCopy` is stored only while it differs from the latest version. */
function rowEntity(
  name: LedgerName,
  address: RowAddress,
  state: Omit<StoredRow, 'ledger' | 'address' | 'etag'>,
): Entity {
  const entity: Entity = {
    partitionKey: address.partitionKey,
    rowKey: address.rowKey,
    ...recordToColumns(name, state.latest),
    metaKey: state.key,
    metaSeq: state.seq,
    metaVersion: state.version,
    metaChangedBy: state.changedBy,
    ...(state.changedById === undefined ? {} : { metaChangedById: state.changedById }),
    metaChangedAt: state.changedAt,
  };
  if (state.approvedVersion !== undefined) {
    entity.metaApprovedVersion = state.approvedVersion;
    if (state.approvedBy !== undefined) entity.metaApprovedBy = state.approvedBy;
    if (state.approvedAt !== undefined) entity.metaApprovedAt = state.approvedAt;
  }
  if (state.pendingVersion !== undefined) {
    entity.metaPendingVersion = state.pendingVersion;
    if (state.approved !== undefined) putChunked(entity, 'metaApproved', JSON.stringify(state.approved));
    if (state.rejectedVersion === state.pendingVersion) {
      entity.metaRejectedVersion = state.rejectedVersion;
      entity.metaRejectedBy = state.rejectedBy;
      entity.metaRejectedAt = state.rejectedAt;
      entity.metaRejectReason = state.rejectReason;
    }
  }
  if (state.decidedEtag !== undefined) entity.metaDecidedEtag = state.decidedEtag;
  return entity;
}

export type HistoryAction = 'created' | 'updated' | 'approved' | 'rejected';

export interface HistoryRecord {
  seq: number;
  action: HistoryAction;
  by: string;
  at: string;
  /** The full row of a created/updated version (domain form). */
  record?: LedgerRecord<LedgerName>;
  /** For approvals: the version approved. */
  approvedVersion?: number;
  /** For rejections: the version rejected and the reviewer's reason. */
  rejectedVersion?: number;
  /** A rejection's reason, or the writer's reason for a created/updated version (PUT rows' optional `reason`). */
  reason?: string;
}

function historyEntity(address: RowAddress, key: string, h: HistoryRecord): Entity {
  const entity: Entity = {
    partitionKey: address.partitionKey,
    rowKey: historyRowKey(address.rowId, h.seq),
    metaKey: key,
    metaSeq: h.seq,
    action: h.action,
    by: h.by,
    at: h.at,
  };
  if (h.record !== undefined) putChunked(entity, 'row', JSON.stringify(h.record));
  if (h.approvedVersion !== undefined) entity.approvedVersion = h.approvedVersion;
  if (h.rejectedVersion !== undefined) entity.rejectedVersion = h.rejectedVersion;
  if (h.reason !== undefined) entity.reason = h.reason;
  return entity;
}

export function decodeHistory(entity: Entity): HistoryRecord {
  const json = getChunked(entity, 'row');
  const h: HistoryRecord = {
    seq: Number(entity.metaSeq),
    action: entity.action as HistoryAction,
    by: String(entity.by),
    at: String(entity.at),
  };
  if (json !== undefined) h.record = JSON.parse(json) as LedgerRecord<LedgerName>;
  const approvedVersion = optNumber(entity.approvedVersion);
  if (approvedVersion !== undefined) h.approvedVersion = approvedVersion;
  const rejectedVersion = optNumber(entity.rejectedVersion);
  if (rejectedVersion !== undefined) h.rejectedVersion = rejectedVersion;
  const reason = optString(entity.reason);
  if (reason !== undefined) h.reason = reason;
  return h;
}

/** A write of one row: its new entity (created or replacing `etag`) and the history entry committed with it. */
export interface RowWrite {
  kind: 'create' | 'update';
  row: Entity;
  /** For updates: the etag the row must still have. */
  etag?: string;
  history: Entity;
}

/**
 * Who writes or decides: a readable name and a stable identity (a Principal's `userId` and `oid`). A plain string is
 * both (local scripts and tests).
 */
export type Actor = string | { userId: string; oid: string };
export const actorName = (a: Actor): string => (typeof a === 'string' ? a : a.userId);
export const actorId = (a: Actor): string => (typeof a === 'string' ? a : a.oid);

/** A new row: version 1, pending until someone else approves it. */
export function createWrite(
  name: LedgerName,
  address: RowAddress,
  key: string,
  record: LedgerRecord<LedgerName>,
  actor: Actor,
  at: string,
  reason?: string,
): RowWrite {
  const by = actorName(actor);
  const state = {
    key,
    seq: 1,
    version: 1,
    latest: record,
    approved: undefined,
    approvedVersion: undefined,
    pendingVersion: 1,
    changedBy: by,
    changedById: actorId(actor),
    changedAt: at,
    approvedBy: undefined,
    approvedAt: undefined,
  };
  return {
    kind: 'create',
    row: rowEntity(name, address, state),
    history: historyEntity(address, key, { seq: 1, action: 'created', by, at, record, ...(reason ? { reason } : {}) }),
  };
}

/** A change to a stored row: a new pending version; the approved version stays in effect. */
export function updateWrite(
  stored: StoredRow,
  record: LedgerRecord<LedgerName>,
  actor: Actor,
  at: string,
  reason?: string,
): RowWrite {
  const by = actorName(actor);
  const seq = stored.seq + 1;
  // A new pending version: a rejection of the one it replaces no longer applies (rowEntity writes the rejection only
  // while it names the pending version).
  const state = {
    ...stored,
    seq,
    version: seq,
    latest: record,
    pendingVersion: seq,
    changedBy: by,
    changedById: actorId(actor),
    changedAt: at,
  };
  return {
    kind: 'update',
    etag: stored.etag,
    row: rowEntity(stored.ledger, stored.address, state),
    history: historyEntity(stored.address, stored.key, {
      seq,
      action: 'updated',
      by,
      at,
      record,
      ...(reason ? { reason } : {}),
    }),
  };
}

/**
 * A decision on the pending version, conditioned on the etag it was read with (the one the reviewer named): the row
 * with `change` applied, at the next sequence number, and its history entry (`entry`, completed with seq, by, at).
 * The etag named is kept as `decidedEtag`, so the same decision asked again is recognised.
 */
function decisionWrite(
  stored: StoredRow,
  change: Partial<Omit<StoredRow, 'ledger' | 'address' | 'etag'>>,
  entry: Omit<HistoryRecord, 'seq'>,
): RowWrite {
  if (stored.pendingVersion === undefined) throw new Error(`row ${stored.key} has no pending version`);
  const seq = stored.seq + 1;
  return {
    kind: 'update',
    etag: stored.etag,
    row: rowEntity(stored.ledger, stored.address, { ...stored, ...change, seq, decidedEtag: stored.etag }),
    history: historyEntity(stored.address, stored.key, { ...entry, seq }),
  };
}

/** Approval of the pending version: it becomes the approved one (and a rejection of it, if any, is gone). */
export function approveWrite(stored: StoredRow, by: string, at: string): RowWrite {
  return decisionWrite(
    stored,
    {
      approved: stored.latest,
      approvedVersion: stored.pendingVersion,
      pendingVersion: undefined,
      approvedBy: by,
      approvedAt: at,
      rejectedVersion: undefined,
      rejectedBy: undefined,
      rejectedAt: undefined,
      rejectReason: undefined,
    },
    { action: 'approved', by, at, approvedVersion: stored.pendingVersion },
  );
}

/**
 * Rejection of the pending version: it stays the latest, marked rejected with who, when and why; the approved
 * version (if any) stays in effect. Recorded in the history like an approval.
 */
export function rejectWrite(stored: StoredRow, by: string, at: string, reason: string): RowWrite {
  return decisionWrite(
    stored,
    { rejectedVersion: stored.pendingVersion, rejectedBy: by, rejectedAt: at, rejectReason: reason },
    { action: 'rejected', by, at, rejectedVersion: stored.pendingVersion, reason },
  );
}
