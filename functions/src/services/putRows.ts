// Writing rows (PUT /api/ledgers/{ledger}): per-row verdicts, references, defaults, maker-checker versions, etags.
//
// Per row, in request order: parse (shared/ledgers parseRow), refuse duplicate keys inside the request, check
// references (shared/references, with lookups batched per ledger and partition), complete defaults, then compare
// with the stored row: created / updated / unchanged / conflict / invalid. Valid rows are stored even when others in
// the same request are invalid. A write never makes a version effective: new rows and changes are pending until
// approved (see approvals.ts).

import type { RowResult } from '../../../shared/api';
import {
  completeRow,
  keyOf,
  ledger,
  parseRow,
  type FieldError,
  type LedgerName,
  type LedgerRecord,
} from '../../../shared/ledgers';
import { checkReferences, referencedKeys, type ReferenceLookup } from '../../../shared/references';
import { getConfig } from '../config';
import {
  addressOf,
  createWrite,
  sameRecord,
  updateWrite,
  type RowWrite,
  type StoredRow,
} from '../store/ledgerEntities';
import { commitWrites, readPartition, readRows } from '../store/ledgerStore';
import { entityProblem, MAX_ENTITY_BYTES } from '../store/limits';
import { mapLimit } from '../store/parallel';
import { readRowOf } from './wire';

/** Order-line partitions (one per contract) read at once when checking deliveries' items. */
const PARTITION_READS = 16;

/** Fields a read row carries besides the ledger's own; a client may send a read row back unchanged. */
const READ_ONLY_FIELDS = new Set(['etag', 'approval']);

interface Candidate {
  index: number;
  key: string | null;
  etag?: string;
  record?: LedgerRecord<LedgerName>;
  errors?: FieldError[];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The key of a row that failed to parse, when its key fields are at least scalars. */
function rawKey(name: LedgerName, raw: unknown): string | null {
  if (!isPlainObject(raw)) return null;
  const parts = ledger(name).key.map((f) => raw[f]);
  if (!parts.every((p) => typeof p === 'string' || typeof p === 'number')) return null;
  return keyOf(name, raw);
}

/** The field holding the most text, to name in a size error. */
function largestField(row: Record<string, unknown>): string {
  let best = '';
  let size = -1;
  for (const [field, v] of Object.entries(row)) {
    const n = JSON.stringify(v ?? null).length;
    if (n > size) [best, size] = [field, n];
  }
  return best;
}

function parseCandidate(name: LedgerName, raw: unknown, index: number): Candidate {
  const key = rawKey(name, raw);
  if (!isPlainObject(raw)) return { index, key, errors: [{ field: '', message: 'a row must be a JSON object' }] };
  const bytes = Buffer.byteLength(JSON.stringify(raw), 'utf8');
  if (bytes > MAX_ENTITY_BYTES)
    return {
      index,
      key,
      errors: [
        {
          field: largestField(raw),
          message: `the row is ${bytes} bytes; a row may hold at most ${MAX_ENTITY_BYTES} bytes (1 MiB)`,
        },
      ],
    };
  const fields = Object.fromEntries(Object.entries(raw).filter(([k]) => !READ_ONLY_FIELDS.has(k)));
  const etag = raw.etag;
  if (etag !== undefined && etag !== null && typeof etag !== 'string')
    return { index, key, errors: [{ field: 'etag', message: 'must be the etag string from a read' }] };
  const parsed = parseRow(name, fields);
  if (!parsed.ok) return { index, key, errors: parsed.errors };
  const c: Candidate = { index, key: keyOf(name, parsed.record), record: parsed.record };
  if (typeof etag === 'string' && etag !== '') c.etag = etag;
  return c;
}

/** Marks every row whose key occurs more than once: the request does not say which one is meant. */
function refuseDuplicates(name: LedgerName, candidates: Candidate[]): void {
  const seen = new Map<string, number[]>();
  for (const c of candidates) if (c.key !== null) seen.set(c.key, [...(seen.get(c.key) ?? []), c.index]);
  const keyField = ledger(name).key.join('~');
  for (const c of candidates) {
    const at = c.key === null ? undefined : seen.get(c.key);
    if (at === undefined || at.length < 2) continue;
    const message = `key ${c.key} appears ${at.length} times in this request (rows ${at.map((i) => i + 1).join(', ')}); send each key once`;
    c.errors = [...(c.errors ?? []), { field: keyField, message }];
    delete c.record;
  }
}

/** Everything the valid rows refer to, fetched with one batched read per referenced ledger. */
async function referenceLookup(
  name: LedgerName,
  valid: Candidate[],
): Promise<{ lookup: ReferenceLookup; terms: (contractId: string) => number | undefined }> {
  const wanted = new Map<LedgerName, Set<string>>();
  const want = (l: LedgerName, k: string): void => void wanted.set(l, (wanted.get(l) ?? new Set()).add(k));
  for (const c of valid) {
    for (const ref of referencedKeys(name, c.record as LedgerRecord<LedgerName>)) want(ref.ledger, ref.key);
    // An invoice's contract is not enforced, but its payment terms give the default due date.
    if (name === 'invoices') want('contracts', (c.record as LedgerRecord<'invoices'>).contractId);
  }
  const found = new Map<LedgerName, Map<string, StoredRow>>();
  await Promise.all(
    [...wanted].map(async ([l, keys]) => {
      found.set(l, await readRows(l, keys));
    }),
  );
  // A delivery's item must be on its contract: one partition query per contract (order lines live in the
  // contract's partition).
  const items = new Map<string, Set<string>>();
  if (name === 'deliveries') {
    const contracts = new Set(valid.map((c) => (c.record as LedgerRecord<'deliveries'>).contractId));
    const known = [...contracts].filter((id) => found.get('contracts')?.has(id) === true);
    // A bulk upload may name thousands of contracts: a bounded number of queries in flight, as everywhere in store/.
    await mapLimit(known, PARTITION_READS, async (id) => {
      items.set(id, new Set((await readPartition('orderLines', id)).map((r) => r.latest.itemCode)));
    });
  }
  const lookup: ReferenceLookup = {
    exists: (l, k) => found.get(l)?.has(k) === true,
    contractHasItem: (contractId, itemCode) => items.get(contractId)?.has(itemCode) === true,
  };
  const terms = (contractId: string): number | undefined =>
    (found.get('contracts')?.get(contractId) as StoredRow<'contracts'> | undefined)?.latest.paymentTermsDays;
  return { lookup, terms };
}

function conflict(key: string, stored: StoredRow | undefined): RowResult {
  return stored === undefined ? { key, status: 'conflict' } : { key, status: 'conflict', current: readRowOf(stored) };
}

/** The verdict for a valid row against what is stored; a write when something is to be stored. */
function decide(
  name: LedgerName,
  c: Candidate,
  stored: StoredRow | undefined,
  by: string,
  at: string,
): { result?: RowResult; write?: RowWrite } {
  const key = c.key as string;
  const record = c.record as LedgerRecord<LedgerName>;
  if (stored !== undefined) {
    if (sameRecord(name, stored.latest, record)) return { result: { key, status: 'unchanged', etag: stored.etag } };
    if (c.etag !== stored.etag) return { result: conflict(key, stored) };
    return { write: updateWrite(stored, record, by, at) };
  }
  const address = addressOf(name, key);
  if (address === null)
    return {
      result: {
        key,
        status: 'invalid',
        errors: [{ field: ledger(name).key.join('~'), message: `${key} cannot be stored as a key` }],
      },
    };
  return { write: createWrite(name, address, key, record, by, at) };
}

/** Why a write cannot be stored within Azure's entity limits, naming the biggest field. */
function sizeProblem(write: RowWrite, record: LedgerRecord<LedgerName>): FieldError | null {
  const problem = entityProblem(write.row) ?? entityProblem(write.history);
  if (problem === null) return null;
  return {
    field: largestField(record),
    message: `the row ${problem}; shorten its longest text`,
  };
}

/**
 * Writes `rows` to ledger `name` as `userId`; one result per row, in request order.
 *
 * Rows without an etag are first inserted optimistically, without reading: a bulk upload of new rows (the common
 * case) then costs nothing but its transactions. An insert fails atomically when the key exists, and so does the
 * transaction holding it; those rows, and rows carrying an etag, are read in one batch and decided against what is
 * stored (unchanged / conflict / updated, or created when the key was free after all).
 */
export async function putRows(
  name: LedgerName,
  rows: readonly unknown[],
  userId: string,
  now: Date = new Date(),
): Promise<RowResult[]> {
  const at = now.toISOString();
  const candidates = rows.map((raw, i) => parseCandidate(name, raw, i));
  refuseDuplicates(name, candidates);
  const refs = await referenceLookup(
    name,
    candidates.filter((c) => c.record !== undefined),
  );
  const completion = { defaultCurrency: getConfig().defaultCurrency, paymentTermsDays: refs.terms };
  const results = new Array<RowResult>(rows.length);
  const invalid = (c: Candidate, errors: FieldError[]): void =>
    void (results[c.index] = { key: c.key, status: 'invalid', errors });

  // No ledger refers to itself today; should one, a row may refer to a row accepted earlier in the same request.
  const accepted = new Set<string>();
  const lookup: ReferenceLookup = {
    exists: (l, k) => refs.lookup.exists(l, k) || (l === name && accepted.has(k)),
    contractHasItem: (contractId, itemCode) => refs.lookup.contractHasItem(contractId, itemCode),
  };
  const inserts: { c: Candidate; write: RowWrite }[] = [];
  const toDecide: Candidate[] = [];
  for (const c of candidates) {
    if (c.record === undefined) {
      invalid(c, c.errors ?? []);
      continue;
    }
    const refErrors = checkReferences(name, c.record, lookup);
    if (refErrors.length > 0) {
      invalid(c, refErrors);
      continue;
    }
    c.record = completeRow(name, c.record, completion);
    accepted.add(c.key as string);
    if (c.etag !== undefined) {
      toDecide.push(c);
      continue;
    }
    const { result, write } = decide(name, c, undefined, userId, at);
    if (result) results[c.index] = result;
    else if (write) {
      const problem = sizeProblem(write, c.record);
      if (problem) invalid(c, [problem]);
      else inserts.push({ c, write });
    }
  }

  const inserted = await commitWrites(
    name,
    inserts.map((p) => p.write),
    { retryRowsAlone: false },
  );
  inserts.forEach(({ c }, i) => {
    const outcome = inserted[i];
    if (outcome?.ok === true) results[c.index] = { key: c.key, status: 'created', etag: outcome.etag };
    else toDecide.push(c);
  });
  if (toDecide.length === 0) return results;

  const existing = await readRows(
    name,
    toDecide.map((c) => c.key as string),
  );
  const writes: { c: Candidate; write: RowWrite }[] = [];
  for (const c of toDecide) {
    const { result, write } = decide(name, c, existing.get(c.key as string), userId, at);
    if (result) results[c.index] = result;
    if (write) {
      const problem = sizeProblem(write, c.record as LedgerRecord<LedgerName>);
      if (problem) invalid(c, [problem]);
      else writes.push({ c, write });
    }
  }
  const outcomes = await commitWrites(
    name,
    writes.map((p) => p.write),
  );
  const lost: Candidate[] = [];
  writes.forEach(({ c, write }, i) => {
    const outcome = outcomes[i];
    if (outcome?.ok === true)
      results[c.index] = { key: c.key, status: write.kind === 'create' ? 'created' : 'updated', etag: outcome.etag };
    else lost.push(c);
  });
  if (lost.length > 0) {
    // Someone else wrote these rows between our read and our write: report against what is stored now.
    const current = await readRows(
      name,
      lost.map((c) => c.key as string),
    );
    for (const c of lost) {
      const stored = current.get(c.key as string);
      results[c.index] =
        stored !== undefined && sameRecord(name, stored.latest, c.record as LedgerRecord<LedgerName>)
          ? { key: c.key, status: 'unchanged', etag: stored.etag }
          : conflict(c.key as string, stored);
    }
  }
  return results;
}
