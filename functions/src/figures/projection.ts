// Keeps the contract index and the rollups in step with approvals: the effective-version listener and the drain.
//
// One approval request is projected as a whole, so it costs storage round trips per partition touched, not per row:
// 1. Invoice lines and pointers (see below), per line partition: one batched read, ETag-conditioned transactions.
// 2. Every unit (contract or salesperson) the request touches is read at once: the index partitions holding them go
//    out as a few PartitionKey range queries (contractIndex.readPartitions), the lines of their invoices likewise.
//    In memory: each unit's new versions (never replacing a newer version by an older one: events may arrive out of
//    order), its contribution recomputed with shared/calc's facts, and the rollup cells it moves (after − before).
// 3. Per index partition, the units' record writes and new states go out in ONE transaction (≤ 100 operations; more
//    units take more transactions, a unit never spans two), conditioned on each state's ETag, together with a
//    JOURNAL entity holding the summed cells of those units under the request's delta id. A transaction that meets a
//    change (another request committed one of its units) writes nothing; its units are read again and recomputed.
//    So two approvals in one contract serialise on the state's ETag, and the second recompute sees both.
// 4. The cells of all committed transactions, summed, are added to the rollups per rollup partition, exactly once
//    (rollupStore.applyDelta: one marker per delta id and partition), after the request CLAIMS the delta id
//    (rollupStore.claimDelta). Then the figures generation is bumped once, and the claim is marked applied with the
//    list of the request's journals: the figures repair (cleanupJournals, every 5 minutes) deletes those, several
//    requests' journals of one partition in one transaction, off the request's path.
// A crash (or failure) after a commit leaves its journal unapplied: the drain (drainJournals, run by the figures repair
// when intents had to be replayed, and by `rollups:rebuild`) applies what journals are left, skipping those whose
// request's claim says applied (so a late drain never counts them twice, even after markers expired). Request and drain
// agree through the claim: whoever claims a delta id first decides how its journals are applied. A request claims only
// after its last commit, so when it owns the claim every journal of its id exists (or was applied and deleted) and a
// drain re-applies their SUM under the request's markers, which is then a no-op wherever the request got to. When a
// drain owns it (the request was still committing, or died before claiming), journals are applied ONE BY ONE under
// markers of their own (`<deltaId>.<n>`), and the request, finding the claim taken, leaves the rest of its journals to
// the next repair (it fails as a listener, so its intents stay). Markers are kept MARKER_RETENTION_MS, claims until
// their journals are gone and then as long: a drain re-applying a journal must come within that time, as before.
// Storage per request: one read query per run of index partitions, one transaction per index partition (records,
// states, journal; more when its units exceed one transaction), one read and one transaction per rollup partition
// (≤ 13 per dimension and year touched: its months of days and the year's months), a claim (created, then marked
// applied), a stamp; journal deletes later, shared. Entities per approved row: its index record and its unit's state
// (shared by the rows of one unit), plus ~1/10 journal; rollup entities per request, not per row.
// Events that never reached this listener (the approval request died, or this listener failed) are replayed from the
// approval intents by replayApprovalIntents(); it and the marker cleanup run in repairFigures().
//
// Invoice lines live in their invoice's line partition, with a pointer to the invoice's contract. Ordering makes that
// safe without a cross-partition transaction: an invoice's pointer is written before its contract is recomputed (and
// that recompute reads the lines), and a line is written before the pointer is read to find the contract to recompute.

import { randomUUID } from 'node:crypto';
import { groupBy } from '../../../shared/calc';
import { contractFacts } from '../../../shared/calc/statistics';
import type { Expense, Invoice, InvoiceLine, LedgerName, LedgerRecord, Salesperson } from '../../../shared/ledgers';
import { onVersionEffective, type EffectiveVersionEvent } from '../services/effectiveVersions';
import {
  commitOperations,
  commitPartition,
  deleteJournals,
  listJournals,
  readInvoiceLines,
  readUnits,
  recordId,
  unitKey,
  unitPartition,
  writeLinePartitions,
  type IndexedRecord,
  type InvoiceLinesRead,
  type JournalKey,
  type LineWrite,
  type UnitCommit,
  type UnitKind,
} from '../store/contractIndex';
import { MAX_BATCH_BYTES, MAX_BATCH_OPERATIONS } from '../store/limits';
import { mapLimit } from '../store/parallel';
import {
  applyDelta,
  bumpFiguresGeneration,
  claimDelta,
  deleteOldMarkers,
  finishClaim,
  markClaimApplied,
  openClaims,
  readClaim,
} from '../store/rollupStore';
import { deleteIntents, listIntents } from '../store/approvalIntents';
import { readRows } from '../store/ledgerStore';
import {
  CellSums,
  contributionOf,
  diffContributions,
  emptyContribution,
  salespersonContribution,
  type Cell,
  type Contribution,
} from './cells';

/** Partition transactions in flight: as many as the store's other writers (ledgerStore) and the bench's ceiling. */
const COMMIT_CONCURRENCY = 16;
/** Unit operations per partition transaction: one operation is the journal. */
const OPS_PER_COMMIT = MAX_BATCH_OPERATIONS - 1;
/** Payload of the units of one transaction: Azure's 4 MiB less room for the journal and the envelope. */
const COMMIT_BYTES = MAX_BATCH_BYTES / 2;
/** Record writes of one unit per transaction: one operation is its state. */
const WRITES_PER_ROUND = OPS_PER_COMMIT - 1;
const MAX_ROUNDS = 200;
/** Markers and claims stay this long so a late duplicate application is still recognised. */
const MARKER_RETENTION_MS = 60 * 60 * 1000;

/** Ledgers grouped under a contract unit by their contractId. */
const CONTRACT_LEDGERS = new Set<LedgerName>([
  'contracts',
  'orderLines',
  'deliveries',
  'invoices',
  'payments',
  'creditNotes',
]);

interface UnitWork {
  kind: UnitKind;
  id: string;
  /** New versions still to commit (contract units of changed invoice lines may have none: they are recomputed). */
  changes: IndexedRecord[];
}

function ownerOf(ledger: LedgerName, record: LedgerRecord<LedgerName>): { kind: UnitKind; id: string } | undefined {
  if (CONTRACT_LEDGERS.has(ledger)) return { kind: 'c', id: (record as { contractId: string }).contractId };
  if (ledger === 'salespeople') return { kind: 's', id: (record as Salesperson).salespersonId };
  if (ledger === 'expenses') return { kind: 's', id: (record as Expense).salespersonId };
  return undefined;
}

/** The contribution of a unit whose live records are `records`, with its invoices' lines from `lines`. */
function unitContribution(
  kind: UnitKind,
  id: string,
  records: Iterable<IndexedRecord>,
  lines: ReadonlyMap<string, InvoiceLinesRead>,
): Contribution {
  const live = [...records].filter((r) => r.record !== undefined);
  const of = <L extends LedgerName>(ledger: L): LedgerRecord<L>[] =>
    live.filter((r) => r.ledger === ledger).map((r) => r.record as LedgerRecord<L>);
  if (kind === 's') {
    const [sp] = of('salespeople');
    return salespersonContribution(id, sp, of('expenses'));
  }
  const invoices = of('invoices');
  const invoiceLines: InvoiceLine[] = [];
  for (const inv of invoices)
    for (const l of lines.get(inv.invoiceNo)?.lines.values() ?? [])
      if (l.record !== undefined) invoiceLines.push(l.record as InvoiceLine);
  const [contract] = of('contracts');
  return contributionOf([
    contractFacts({
      contractId: id,
      contract,
      orderLines: of('orderLines'),
      deliveries: of('deliveries'),
      invoices,
      invoiceLines,
      payments: of('payments'),
      creditNotes: of('creditNotes'),
    }),
  ]);
}

let dropNextApplication = false;

/** Test hook: the next request's rollup application is skipped, as if the process died between commit and apply. */
export function dropNextRollupApplicationForTests(): void {
  dropNextApplication = true;
}

async function backoff(attempt: number): Promise<void> {
  await new Promise((r) => setTimeout(r, Math.min(100, 2 ** Math.min(attempt, 6)) * (0.5 + Math.random())));
}

/** One planned unit commit: what the unit writes this round, and the cells that moves. */
interface Planned {
  work: UnitWork;
  commit: UnitCommit;
  cells: Cell[];
  /** Changes left for the next round (a unit with more than WRITES_PER_ROUND new versions). */
  rest: IndexedRecord[];
}

/** What a request's commits did: the summed cells, the journals that hold them, whether any record changed. */
interface Committed {
  cells: CellSums;
  journals: JournalKey[];
  recordsChanged: boolean;
}

/** Step 2 for one round: reads the open units (and their invoices' lines) and plans each unit's commit. */
async function planRound(open: readonly UnitWork[]): Promise<Planned[]> {
  const reads = await readUnits(open);
  // Of several versions of one row, the newest; and only if newer than what the unit holds.
  const rounds = open.map((work) => {
    const read = reads.get(unitKey(work.kind, work.id));
    const newest = new Map<string, IndexedRecord>();
    for (const c of work.changes) {
      const rid = recordId(c.ledger, c.key);
      const prev = newest.get(rid);
      if (prev === undefined || prev.version < c.version) newest.set(rid, c);
    }
    const effective = [...newest.values()].filter((c) => {
      const old = read?.records.get(recordId(c.ledger, c.key));
      return old === undefined || old.version < c.version;
    });
    const round = effective.slice(0, WRITES_PER_ROUND);
    const records = new Map<string, IndexedRecord>(read?.records);
    for (const c of round) records.set(recordId(c.ledger, c.key), c);
    return { work, read, round, rest: effective.slice(round.length), records };
  });
  const invoiceNos: string[] = [];
  for (const r of rounds)
    for (const rec of r.records.values())
      if (rec.ledger === 'invoices' && rec.record !== undefined) invoiceNos.push((rec.record as Invoice).invoiceNo);
  const lines = await readInvoiceLines(invoiceNos);
  const planned: Planned[] = [];
  for (const { work, read, round, rest, records } of rounds) {
    const after = unitContribution(work.kind, work.id, records.values(), lines);
    const cells = diffContributions(read?.state.contribution ?? emptyContribution(), after);
    if (round.length === 0 && cells.length === 0 && read?.stateEtag !== undefined) continue; // nothing moves
    planned.push({
      work,
      cells,
      rest,
      commit: {
        kind: work.kind,
        id: work.id,
        writes: round,
        state: { contribution: after },
        stateEtag: read?.stateEtag,
      },
    });
  }
  return planned;
}

/** Payload bytes of one unit's commit (records, state, its share of the journal), on the safe side. */
function commitBytes(p: Planned): number {
  let chars = JSON.stringify(p.commit.state.contribution ?? null).length + JSON.stringify(p.cells).length;
  for (const w of p.commit.writes) chars += JSON.stringify(w.record ?? null).length;
  return 2 * chars + 1024 * (p.commit.writes.length + 2);
}

/**
 * Packs one partition's planned units into transactions of ≤ OPS_PER_COMMIT operations and ≤ COMMIT_BYTES of payload
 * (a unit is never split).
 */
function packTransactions(units: readonly Planned[]): Planned[][] {
  const out: Planned[][] = [];
  let current: Planned[] = [];
  let ops = 0;
  let bytes = 0;
  for (const p of units) {
    const n = commitOperations(p.commit);
    const b = commitBytes(p);
    if (current.length > 0 && (ops + n > OPS_PER_COMMIT || bytes + b > COMMIT_BYTES)) {
      out.push(current);
      current = [];
      ops = 0;
      bytes = 0;
    }
    current.push(p);
    ops += n;
    bytes += b;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Steps 2 and 3: commits every unit's new versions and state, partition by partition, retrying conflicts. */
async function commitUnits(units: readonly UnitWork[], deltaId: string): Promise<Committed> {
  const done: Committed = { cells: new CellSums(), journals: [], recordsChanged: false };
  let seq = 0;
  let open = [...units];
  for (let attempt = 1; open.length > 0; attempt++) {
    const planned = await planRound(open);
    const byPartition = groupBy(planned, (p) => unitPartition(p.work.kind, p.work.id));
    const transactions = [...byPartition].flatMap(([pk, list]) => packTransactions(list).map((t) => ({ pk, t })));
    const next: UnitWork[] = [];
    let conflicts = 0;
    await mapLimit(transactions, COMMIT_CONCURRENCY, async ({ pk, t }) => {
      const sums = new CellSums();
      for (const p of t) sums.addCells(p.cells);
      const journal = await commitPartition(
        pk,
        t.map((p) => p.commit),
        { deltaId, cells: sums.list() },
        seq++,
      );
      if (journal === false) {
        conflicts++;
        next.push(...t.map((p) => p.work)); // read again and recompute
        return;
      }
      if (journal !== null) done.journals.push(journal);
      for (const p of t) {
        done.cells.addCells(p.cells);
        if (p.commit.writes.length > 0) done.recordsChanged = true;
        if (p.rest.length > 0) next.push({ ...p.work, changes: p.rest });
      }
    });
    open = next;
    if (conflicts > 0) {
      if (attempt >= MAX_ROUNDS) throw new Error(`units kept changing (${conflicts} conflicts); run rollups:rebuild`);
      await backoff(attempt);
    }
  }
  return done;
}

/** Thrown when a drain claimed the request's delta first: its journals are the repair's now (intents stay). */
class ClaimedByDrain extends Error {}

/** The effective-version listener: projects a batch of approvals into the contract index and the rollups. */
export async function applyEffectiveVersions(events: readonly EffectiveVersionEvent[]): Promise<void> {
  const deltaId = randomUUID();
  const units = new Map<string, UnitWork>();
  const unit = (kind: UnitKind, id: string): UnitWork => {
    const k = unitKey(kind, id);
    let u = units.get(k);
    if (u === undefined) units.set(k, (u = { kind, id, changes: [] }));
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
  let indexChanged = false;
  let rollupsChanged = false;
  try {
    // Lines and pointers first; only then find the contracts of changed lines and recompute (see the file comment).
    if ((await writeLinePartitions(lineWrites)).length > 0) indexChanged = true;
    for (const read of (await readInvoiceLines(touchedInvoices)).values())
      if (read.pointer?.contractId !== undefined) unit('c', read.pointer.contractId);
    const committed = await commitUnits([...units.values()], deltaId);
    if (committed.recordsChanged) indexChanged = true;
    if (committed.journals.length === 0) return;
    if (dropNextApplication) {
      dropNextApplication = false;
      return;
    }
    if ((await claimDelta(deltaId, 'request')) === 'drain')
      throw new ClaimedByDrain(`a drain took delta ${deltaId}: the figures repair applies the rest`);
    await applyDelta({ id: deltaId, cells: committed.cells.list() });
    rollupsChanged = true;
    await bumpFiguresGeneration();
    // The journals are deleted later, coalesced per partition with other requests' (cleanupJournals): the claim now
    // says "applied", so nothing applies them again.
    await markClaimApplied(deltaId, committed.journals);
  } finally {
    // Index records (or only the lines) changed: readers of the index must not reuse a read from before
    // (ledgerView.ts). Once per request, after its commits; already done when the rollups were applied.
    if (indexChanged && !rollupsChanged) await bumpFiguresGeneration();
  }
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
 * Deletes the journals of deltas whose claim says "applied" (one query of the claims, then per-partition
 * transactions shared by all those requests), and finishes their claims. Returns how many journals it deleted.
 */
export async function cleanupJournals(): Promise<number> {
  const done = (await openClaims()).filter((c) => c.applied);
  const journals = done.flatMap((c) => c.journals);
  await deleteJournals(journals);
  await mapLimit(done, 8, (c) => finishClaim(c.deltaId));
  return journals.length;
}

/**
 * Applies the rollup cells of every journal left in the index whose delta is not applied yet (a request that died,
 * failed or lost its claim between its commits and the end of its rollup application), then deletes them; see the
 * file comment for the claim. A filtered scan of the index. Returns how many delta ids it applied.
 */
export async function drainJournals(): Promise<number> {
  const byDelta = groupBy(await listJournals(), (j) => j.deltaId);
  let applied = 0;
  for (const [deltaId, journals] of byDelta) {
    const claim = await readClaim(deltaId);
    // A drain's claim is finished when the journals it found are applied, yet its request may commit more afterwards
    // (it was still committing): those are applied too, each under its own marker. Only a request's claim is final.
    if (claim?.applied !== true || claim.owner === 'drain') {
      const owner = claim?.owner ?? (await claimDelta(deltaId, 'drain'));
      if (owner === 'request') {
        // The request committed all of them before claiming: their sum is what it applies (or applied).
        const sums = new CellSums();
        for (const j of journals) sums.addCells(j.cells);
        await applyDelta({ id: deltaId, cells: sums.list() });
      } else {
        // The request may still be committing: each journal on its own, under markers of its own.
        await mapLimit(journals, 4, (j) =>
          applyDelta({ id: `${deltaId}.${j.rowKey.slice(j.rowKey.lastIndexOf('|') + 1)}`, cells: j.cells }),
        );
      }
      applied++;
      await bumpFiguresGeneration();
    }
    await deleteJournals(journals);
    await finishClaim(deltaId);
  }
  return applied;
}

/**
 * Deletes the journals of applied deltas, applies every other journal left in the index and deletes old markers
 * (`rollups:rebuild`, tests). Returns how many delta ids it applied.
 */
export async function drainUnappliedDeltas(): Promise<number> {
  await cleanupJournals();
  const drained = await drainJournals();
  await deleteOldMarkers(MARKER_RETENTION_MS);
  return drained;
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
 * When there were intents, the journals such requests may have left are drained too.
 */
export async function replayApprovalIntents(
  graceMs = INTENT_GRACE_MS,
  now = new Date(),
): Promise<{ replayed: number; dropped: number }> {
  const intents = await listIntents(new Date(now.getTime() - graceMs));
  if (intents.length === 0) return { replayed: 0, dropped: 0 };
  const committed: EffectiveVersionEvent[] = [];
  for (const [ledger, list] of groupBy(intents, (i) => i.event.ledger)) {
    const rows = await readRows(
      ledger as LedgerName,
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
  // A request that left intents may also have left journals (it died between its commits and its rollups).
  await drainJournals();
  await deleteIntents(intents);
  return { replayed: committed.length, dropped: intents.length - committed.length };
}

/**
 * The figures repair, run by a timer: replays interrupted approvals and drains the journals they left (a filtered
 * scan of the index, only when there were intents to replay), deletes the journals of applied deltas (the claims
 * partition lists them), then old markers and finished claims. After it, the figures include every approval
 * committed before the grace period.
 */
export async function repairFigures(
  now = new Date(),
): Promise<{ replayed: number; dropped: number; markersDeleted: number }> {
  const replay = await replayApprovalIntents(INTENT_GRACE_MS, now);
  await cleanupJournals();
  return { ...replay, markersDeleted: await deleteOldMarkers(MARKER_RETENTION_MS) };
}
