// Keeps the contract index and the rollups in step with approvals: the effective-version listener and the drain.
//
// Per unit (contract or salesperson) touched by a batch of approvals: read the unit (one query), apply the new
// versions in memory (never replacing a newer version by an older one: events may arrive out of order), recompute the
// unit's contribution with shared/calc's facts, and commit the record writes plus the new state — contribution and the
// diff appended as an unapplied delta — in ONE transaction conditioned on the state's ETag; on a conflict, start over
// from the read. Two approvals in one contract thus serialise on that ETag, and the second recompute sees both.
// Then each delta is added to the rollups exactly once (rollupStore markers) and removed from the state.
// A crash between the two steps leaves the delta listed in the state: the unit's next touch, the rebuild and
// drainUnappliedDeltas() apply it. Events that never reached this listener (the approval request died, or this
// listener failed) are replayed from the approval intents by replayApprovalIntents(); both run in repairFigures().
//
// Invoice lines live in their invoice's line partition, with a pointer to the invoice's contract. Ordering makes that
// safe without a cross-partition transaction: an invoice's pointer is written before its contract is recomputed (and
// that recompute reads the lines), and a line is written before the pointer is read to find the contract to recompute.

import { randomUUID } from 'node:crypto';
import { contractFacts } from '../../../shared/calc/statistics';
import type { Expense, Invoice, InvoiceLine, LedgerName, LedgerRecord, Salesperson } from '../../../shared/ledgers';
import { onVersionEffective, type EffectiveVersionEvent } from '../services/effectiveVersions';
import {
  commitUnit,
  readInvoiceLines,
  readState,
  readUnit,
  recordId,
  replaceState,
  unitsWithDeltas,
  writeLinePartitions,
  type IndexedRecord,
  type LineWrite,
  type UnitKind,
} from '../store/contractIndex';
import { MAX_BATCH_OPERATIONS } from '../store/limits';
import { mapLimit } from '../store/parallel';
import { applyDelta, bumpFiguresGeneration, deleteOldMarkers } from '../store/rollupStore';
import { deleteIntents, listIntents, type ApprovalIntent } from '../store/approvalIntents';
import { readRows } from '../store/ledgerStore';
import {
  contributionOf,
  diffContributions,
  emptyContribution,
  salespersonContribution,
  type Contribution,
} from './cells';

const UNIT_CONCURRENCY = 8;
/** Record writes per unit transaction: one operation is the state. */
const WRITES_PER_ROUND = MAX_BATCH_OPERATIONS - 1;
const MAX_ROUNDS = 200;
/** Markers stay this long so a late duplicate application of a cleared delta is still recognised. */
const MARKER_RETENTION_MS = 60 * 60 * 1000;

/** Ledgers grouped under a contract unit by their contractId. */
const CONTRACT_LEDGERS = new Set<LedgerName>(['contracts', 'orderLines', 'deliveries', 'invoices', 'payments']);

interface UnitWork {
  kind: UnitKind;
  id: string;
  changes: IndexedRecord[];
}

function ownerOf(ledger: LedgerName, record: LedgerRecord<LedgerName>): { kind: UnitKind; id: string } | undefined {
  if (CONTRACT_LEDGERS.has(ledger)) return { kind: 'c', id: (record as { contractId: string }).contractId };
  if (ledger === 'salespeople') return { kind: 's', id: (record as Salesperson).salespersonId };
  if (ledger === 'expenses') return { kind: 's', id: (record as Expense).salespersonId };
  return undefined;
}

/** Contract units whose contribution must be recomputed because lines of these invoices changed. */
async function contractsOfInvoices(invoiceNos: Iterable<string>): Promise<string[]> {
  const read = await readInvoiceLines(invoiceNos);
  const ids: string[] = [];
  for (const r of read.values()) if (r.pointer?.contractId !== undefined) ids.push(r.pointer.contractId);
  return ids;
}

/** The contribution of a unit whose live records are `records`. */
async function unitContribution(kind: UnitKind, id: string, records: Iterable<IndexedRecord>): Promise<Contribution> {
  const live = [...records].filter((r) => r.record !== undefined);
  const of = <L extends LedgerName>(ledger: L): LedgerRecord<L>[] =>
    live.filter((r) => r.ledger === ledger).map((r) => r.record as LedgerRecord<L>);
  if (kind === 's') {
    const [sp] = of('salespeople');
    return salespersonContribution(id, sp, of('expenses'));
  }
  const invoices = of('invoices');
  const lines: InvoiceLine[] = [];
  if (invoices.length > 0) {
    const read = await readInvoiceLines(invoices.map((i) => i.invoiceNo));
    for (const r of read.values())
      for (const l of r.lines.values()) if (l.record !== undefined) lines.push(l.record as InvoiceLine);
  }
  const [contract] = of('contracts');
  return contributionOf([
    contractFacts({
      contractId: id,
      contract,
      orderLines: of('orderLines'),
      deliveries: of('deliveries'),
      invoices: invoices,
      invoiceLines: lines,
      payments: of('payments'),
    }),
  ]);
}

let dropNextApplication = false;

/** Test hook: the next unit's rollup application is skipped, as if the process died between the two steps. */
export function dropNextRollupApplicationForTests(): void {
  dropNextApplication = true;
}

/** Applies the unit's listed deltas to the rollups and removes them from its state. */
export async function flushDeltas(kind: UnitKind, id: string): Promise<number> {
  if (dropNextApplication) {
    dropNextApplication = false;
    return 0;
  }
  let applied = 0;
  const done = new Set<string>();
  for (let round = 1; ; round++) {
    const current = await readState(kind, id);
    if (current === undefined) return applied;
    const open = current.state.deltas.filter((d) => !done.has(d.id));
    for (const d of open) {
      await applyDelta(d);
      done.add(d.id);
      applied++;
    }
    // Rollup cells changed: readers caching them (statistics.ts) must read again. Before the deltas leave the state,
    // so a crash in between leaves them listed, and the drain that re-applies them (a no-op) bumps the stamp.
    if (open.length > 0) await bumpFiguresGeneration();
    const rest = current.state.deltas.filter((d) => !done.has(d.id));
    if (rest.length === current.state.deltas.length) return applied;
    if (await replaceState(kind, id, { ...current.state, deltas: rest }, current.etag)) {
      if (rest.length === 0) return applied;
    }
    if (round >= MAX_ROUNDS) throw new Error(`could not clear the applied deltas of unit ${kind}|${id}`);
  }
}

async function backoff(attempt: number): Promise<void> {
  await new Promise((r) => setTimeout(r, Math.min(100, 2 ** Math.min(attempt, 6)) * (0.5 + Math.random())));
}

/** Step 2 for one unit, in rounds of ≤ 99 record writes, each committed with the state; then step 3. */
async function processUnit(work: UnitWork): Promise<void> {
  let remaining = work.changes;
  let recordsCommitted = false;
  for (let attempt = 1; ; attempt++) {
    const read = await readUnit(work.kind, work.id);
    // Of several versions of one row in this batch, the newest; and only if newer than what the unit holds.
    const newest = new Map<string, IndexedRecord>();
    for (const c of remaining) {
      const rid = recordId(c.ledger, c.key);
      const prev = newest.get(rid);
      if (prev === undefined || prev.version < c.version) newest.set(rid, c);
    }
    const effective = [...newest.values()].filter((c) => {
      const old = read.records.get(recordId(c.ledger, c.key));
      return old === undefined || old.version < c.version;
    });
    const round = effective.slice(0, WRITES_PER_ROUND);
    const records = new Map<string, IndexedRecord>(read.records);
    for (const c of round) records.set(recordId(c.ledger, c.key), c);
    const after = await unitContribution(work.kind, work.id, records.values());
    const cells = diffContributions(read.state.contribution ?? emptyContribution(), after);
    if (round.length === 0 && cells.length === 0 && read.stateEtag !== undefined) break;
    const deltas = cells.length > 0 ? [...read.state.deltas, { id: randomUUID(), cells }] : read.state.deltas;
    if (await commitUnit(work.kind, work.id, round, { contribution: after, deltas }, read.stateEtag)) {
      if (round.length > 0) recordsCommitted = true;
      remaining = effective.slice(round.length);
      if (remaining.length === 0) break;
    } else {
      if (attempt >= MAX_ROUNDS) throw new Error(`unit ${work.kind}|${work.id} kept changing; run rollups:rebuild`);
      await backoff(attempt);
    }
  }
  let applied = 0;
  try {
    applied = await flushDeltas(work.kind, work.id);
  } finally {
    // Index records changed: readers of the index must not reuse a read from before (ledgerView.ts). A flush that
    // applied a delta has bumped the stamp after the commits already; otherwise (no figure moved, or the flush failed)
    // bump it here, once for all the unit's rounds.
    if (recordsCommitted && applied === 0) await bumpFiguresGeneration();
  }
}

/** The effective-version listener: projects a batch of approvals into the contract index and the rollups. */
export async function applyEffectiveVersions(events: readonly EffectiveVersionEvent[]): Promise<void> {
  const units = new Map<string, UnitWork>();
  const unit = (kind: UnitKind, id: string): UnitWork => {
    const k = `${kind}|${id}`;
    let u = units.get(k);
    if (u === undefined) {
      u = { kind, id, changes: [] };
      units.set(k, u);
    }
    return u;
  };
  const lineWrites: LineWrite[] = [];
  const touchedInvoices = new Set<string>();
  for (const ev of events) {
    if (ev.ledger === 'invoiceLines') {
      const line = ev.after as InvoiceLine;
      lineWrites.push({
        kind: 'line',
        invoiceNo: line.invoiceNo,
        record: { ledger: ev.ledger, key: ev.key, version: ev.version, record: ev.after },
      });
      touchedInvoices.add(line.invoiceNo);
      continue;
    }
    const to = ownerOf(ev.ledger, ev.after);
    if (to === undefined) continue; // customers: groups come from the contract, so no figure reads them
    unit(to.kind, to.id).changes.push({ ledger: ev.ledger, key: ev.key, version: ev.version, record: ev.after });
    const from = ev.before === undefined ? undefined : ownerOf(ev.ledger, ev.before);
    if (from !== undefined && from.id !== to.id)
      unit(from.kind, from.id).changes.push({ ledger: ev.ledger, key: ev.key, version: ev.version, record: undefined });
    if (ev.ledger === 'invoices') {
      const inv = ev.after as Invoice;
      lineWrites.push({ kind: 'pointer', invoiceNo: inv.invoiceNo, contractId: inv.contractId, version: ev.version });
    }
  }
  // Lines and pointers first; only then find the contracts of changed lines and recompute (see the file comment).
  if ((await writeLinePartitions(lineWrites)).length > 0) await bumpFiguresGeneration();
  for (const contractId of await contractsOfInvoices(touchedInvoices)) unit('c', contractId);
  await mapLimit([...units.values()], UNIT_CONCURRENCY, processUnit);
}

let registered: (() => void) | undefined;

/** Subscribes the projection to approvals, once per process (the app's entry points call this). */
export function registerFigureProjection(): () => void {
  registered ??= onVersionEffective(applyEffectiveVersions);
  return () => {
    registered?.();
    registered = undefined;
  };
}

/**
 * Applies every delta still listed in a unit's state (left by a crash between commit and rollup application) and
 * deletes old markers. Returns how many deltas it applied.
 */
export async function drainUnappliedDeltas(): Promise<number> {
  const units = await unitsWithDeltas();
  const counts = await mapLimit(units, UNIT_CONCURRENCY, (u) => flushDeltas(u.kind, u.id));
  await deleteOldMarkers(MARKER_RETENTION_MS);
  return counts.reduce((a, b) => a + b, 0);
}

/**
 * Intents younger than this are left alone: their request may still be running (on this or another instance), and
 * will delete them itself once its projection is done.
 */
export const INTENT_GRACE_MS = 2 * 60 * 1000;

/**
 * Replays approval intents (store/approvalIntents.ts) written at least `graceMs` ago: an approval that committed but
 * whose request died, or whose projection failed, before the figures took it is projected now; intents of approvals
 * that never committed are dropped. Harmless for events the projection already has (it keeps the newest version).
 */
export async function replayApprovalIntents(
  graceMs = INTENT_GRACE_MS,
  now = new Date(),
): Promise<{ replayed: number; dropped: number }> {
  const intents = await listIntents(new Date(now.getTime() - graceMs));
  if (intents.length === 0) return { replayed: 0, dropped: 0 };
  const byLedger = new Map<LedgerName, ApprovalIntent[]>();
  for (const i of intents) byLedger.set(i.event.ledger, [...(byLedger.get(i.event.ledger) ?? []), i]);
  const committed: EffectiveVersionEvent[] = [];
  for (const [ledger, list] of byLedger) {
    const rows = await readRows(
      ledger,
      list.map((i) => i.event.key),
    );
    for (const i of list) {
      const approved = rows.get(i.event.key)?.approvedVersion;
      if (approved !== undefined && approved >= i.event.version) committed.push(i.event);
    }
  }
  if (committed.length > 0) {
    await applyEffectiveVersions(committed);
    // The interrupted request may have committed index records and died before it replaced the stamp; the replay
    // then finds nothing new to commit, so it replaces the stamp itself, or caches elsewhere would keep the old reads.
    await bumpFiguresGeneration();
  }
  await deleteIntents(intents);
  return { replayed: committed.length, dropped: intents.length - committed.length };
}

/**
 * The figures repair, run by a timer: replays interrupted approvals (which also applies any rollup delta they left in
 * a unit's state: processUnit flushes the unit's deltas at its end), then deletes old markers. After it, the figures
 * include every approval committed before the grace period. It reads the intents table and the rollup markers only,
 * never the whole contract index (drainUnappliedDeltas, run by `npm run rollups:rebuild`, scans that).
 */
export async function repairFigures(
  now = new Date(),
): Promise<{ replayed: number; dropped: number; markersDeleted: number }> {
  const replay = await replayApprovalIntents(INTENT_GRACE_MS, now);
  return { ...replay, markersDeleted: await deleteOldMarkers(MARKER_RETENTION_MS) };
}
