// Writing rows (PUT /api/ledgers/{ledger}): per-row verdicts, references, defaults, maker-checker versions, etags.
//
// Per row, in request order: parse (shared/ledgers parseRow), refuse duplicate keys inside the request, check
// references (shared/references, with lookups batched per ledger and partition), complete defaults, then compare
// with the stored row: created / updated / unchanged / conflict / invalid. Valid rows are stored even when others in
// the same request are invalid. A write never makes a version effective: new rows and changes are pending until
// approved (see approvals.ts).
//
// Returns (deliveries of kind `return`) are decided after the request's other rows are stored: a return may not
// exceed what was delivered of its item on its contract up to its date, net of the returns dated up to then
// (shared/references checkReturns). What counts: the latest versions (pending or approved) of the deliveries of the
// contracts the returns name, read at the start of the request and updated with what this request's other rows then
// wrote, and the request's returns in date order. Requests writing one contract's deliveries at the same time are not
// serialised against each other: a row another request writes meanwhile is not seen.
//
// Storage round trips per request (Azurite evaluates every query's filter on every entity of the table, so a query
// costs the table's size there, while point reads and transactions stay cheap):
// * referenced rows: one query (or point read) per partition touched, per referenced ledger (ledgerStore.readRows);
// * deliveries' items: order lines are partitioned by contract; the contracts touched are read as PartitionKey ranges
//   of up to RANGE_CONTRACTS contracts, a few pages each, falling back to one query per contract for the contracts a
//   sparse range did not reach (see orderLineItems). A contract with order lines needs no read of its own;
// * returns: the deliveries of the contracts the returns name, by OR filters on contractId (13 contracts a query), or
//   one paged scan of the deliveries table when the returns name very many contracts (see storedDeliveries);
// * writes: entity-group transactions per partition (ledgerStore.commitWrites), a second set for the returns.

import { odata } from '@azure/data-tables';
import { MAX_REASON_LENGTH, type RowResult } from '../../../shared/api';
import {
  completeRow,
  houseCurrencyTailProblem,
  keyOf,
  ledger,
  parseRow,
  type FieldError,
  type LedgerName,
  type LedgerRecord,
} from '../../../shared/ledgers';
import { checkReferences, checkReturns, referencedKeys, type ReferenceLookup } from '../../../shared/references';
import { getConfig } from '../config';
import {
  addressOf,
  createWrite,
  sameRecord,
  updateWrite,
  type Actor,
  type RowWrite,
  type StoredRow,
} from '../store/ledgerEntities';
import { commitWrites, fieldEquals, forEachRowPage, listRowsPage, readPartition, readRows } from '../store/ledgerStore';
import { entityProblem, MAX_ENTITY_BYTES, MAX_FILTER_COMPARISONS, MAX_QUERY_PAGE } from '../store/limits';
import { mapLimit } from '../store/parallel';
import { readRowOf } from './wire';

/** Queries in flight at once, as in the store. */
const QUERIES = 16;
/** Contracts per PartitionKey range query of the order lines. */
const RANGE_CONTRACTS = 500;
/**
 * Order lines a range may read per contract wanted before it counts as sparse (other contracts' lines lie between
 * the wanted ones) and the rest of its contracts are read one partition each.
 */
const RANGE_LINES_PER_CONTRACT = 20;
/** contractId comparisons per OR query: two of the 15 are spent on the row range (ledgerStore.rowRangeFilter). */
const CONTRACTS_PER_OR = MAX_FILTER_COMPARISONS - 2;
/**
 * Beyond this many OR queries for the deliveries of the contracts a request's returns name, one paged scan of the
 * table instead. An OR query returns only the rows wanted but costs a pass over the whole table (in Azurite, and in
 * Azure too: contractId is not a key); the scan returns every row, 1,000 a page (and Azurite passes over the whole
 * table once per page).
 */
const MAX_OR_QUERIES = 32;
/** Contracts named by a request's returns above which their stored deliveries are read by one scan (tests). */
export const SCAN_RETURN_CONTRACTS_ABOVE = MAX_OR_QUERIES * CONTRACTS_PER_OR;

/**
 * Fields a row may carry besides the ledger's own: a read row's etag and approval (a client may send a read row back
 * unchanged), and the writer's optional reason, which goes into the history entry of the version it makes.
 */
const READ_ONLY_FIELDS = new Set(['etag', 'approval', 'reason']);

interface Candidate {
  index: number;
  key: string | null;
  etag?: string;
  /** The writer's note for this version (e.g. why an invoice with findings is published), kept in its history entry. */
  reason?: string;
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
  const reason = raw.reason;
  if (reason !== undefined && reason !== null) {
    const text = typeof reason === 'string' ? reason.trim() : undefined;
    if (text === undefined || text === '' || text.length > MAX_REASON_LENGTH)
      return {
        index,
        key,
        errors: [{ field: 'reason', message: `must be a text of 1 to ${MAX_REASON_LENGTH} characters, or left out` }],
      };
  }
  const parsed = parseRow(name, fields);
  if (!parsed.ok) return { index, key, errors: parsed.errors };
  const c: Candidate = { index, key: keyOf(name, parsed.record), record: parsed.record };
  if (typeof etag === 'string' && etag !== '') c.etag = etag;
  if (typeof reason === 'string') c.reason = reason.trim();
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

/**
 * Ids with characters beyond the Basic Multilingual Plane (surrogate pairs): JavaScript sorts those by UTF-16 code
 * units, which is not their code-point order, so no key order storage uses is relied on for them.
 */
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * The item codes on the latest versions of the order lines of `contracts` (every one gets an entry). Order lines
 * are partitioned by contract, so the sorted contracts are read as PartitionKey ranges of up to RANGE_CONTRACTS each:
 * a few pages when the wanted contracts lie close together (a bulk upload names most of them). A range that has not
 * ended after RANGE_LINES_PER_CONTRACT lines per wanted contract is sparse: its remaining contracts are read one
 * partition query each, as are ids whose sort order storage may see differently.
 */
async function orderLineItems(contracts: string[]): Promise<Map<string, Set<string>>> {
  const items = new Map(contracts.map((id) => [id, new Set<string>()]));
  const alone = contracts.filter((id) => SURROGATE.test(id));
  const sorted = contracts.filter((id) => !SURROGATE.test(id)).sort();
  const ranges: string[][] = [];
  for (let i = 0; i < sorted.length; i += RANGE_CONTRACTS) ranges.push(sorted.slice(i, i + RANGE_CONTRACTS));
  const readRange = async (range: string[]): Promise<void> => {
    if (range.length === 1) {
      alone.push(range[0] as string);
      return;
    }
    const filter = odata`PartitionKey ge ${range[0]} and PartitionKey le ${range[range.length - 1]}`;
    const maxPages = Math.max(2, Math.ceil((range.length * RANGE_LINES_PER_CONTRACT) / MAX_QUERY_PAGE));
    let token: string | undefined;
    let lastPartition = '';
    for (let pages = 0; pages < maxPages; pages++) {
      const page = await listRowsPage('orderLines', filter, MAX_QUERY_PAGE, token);
      for (const row of page.items) {
        items.get(row.address.partitionKey)?.add(row.latest.itemCode);
        lastPartition = row.address.partitionKey;
      }
      token = page.continuationToken;
      if (token === undefined) return;
    }
    // Sparse: the last partition seen may be cut off, so it is read again with those not reached.
    for (const id of range) {
      if (id >= lastPartition) alone.push(id);
    }
  };
  await mapLimit(ranges, QUERIES, readRange);
  await mapLimit(alone, QUERIES, async (id) => {
    items.set(id, new Set((await readPartition('orderLines', id)).map((r) => r.latest.itemCode)));
  });
  return items;
}

/**
 * The latest stored versions of every delivery and return of `contracts`. Deliveries are bucketed by their own key,
 * so a contract's rows are found only by a filter on contractId: OR filters of CONTRACTS_PER_OR contracts each, run
 * concurrently, or one scan of the table when they would take more than MAX_OR_QUERIES queries.
 */
async function storedDeliveries(contracts: Set<string>): Promise<StoredRow<'deliveries'>[]> {
  const out: StoredRow<'deliveries'>[] = [];
  const keep = (rows: StoredRow<'deliveries'>[]): void => {
    for (const r of rows) if (contracts.has(r.latest.contractId)) out.push(r);
  };
  const ids = [...contracts];
  if (ids.length > SCAN_RETURN_CONTRACTS_ABOVE) {
    await forEachRowPage('deliveries', '', keep);
    return out;
  }
  const groups: string[][] = [];
  for (let i = 0; i < ids.length; i += CONTRACTS_PER_OR) groups.push(ids.slice(i, i + CONTRACTS_PER_OR));
  await mapLimit(groups, QUERIES, (group) =>
    forEachRowPage('deliveries', `(${group.map((id) => fieldEquals('contractId', id)).join(' or ')})`, keep),
  );
  return out;
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
  // A delivery's item must be on its contract: the order lines of every contract named. Ledger rows are never deleted
  // and an order line is stored only when its contract exists, so a contract with order lines exists: only the
  // contracts without any are looked up (in a bulk upload of deliveries, usually none).
  let items = new Map<string, Set<string>>();
  if (name === 'deliveries') {
    const contracts = [...new Set(valid.map((c) => (c.record as LedgerRecord<'deliveries'>).contractId))];
    items = await orderLineItems(contracts);
    for (const [id, codes] of items) if (codes.size > 0) wanted.get('contracts')?.delete(id);
  }
  await Promise.all(
    [...wanted]
      .filter(([, keys]) => keys.size > 0)
      .map(async ([l, keys]) => {
        found.set(l, await readRows(l, keys));
      }),
  );
  const lookup: ReferenceLookup = {
    exists: (l, k) => found.get(l)?.has(k) === true || (l === 'contracts' && (items.get(k)?.size ?? 0) > 0),
    contractHasItem: (contractId, itemCode) => items.get(contractId)?.has(itemCode) === true,
    invoiceContract: (invoiceNo) =>
      (found.get('invoices')?.get(invoiceNo) as StoredRow<'invoices'> | undefined)?.latest.contractId,
  };
  const terms = (contractId: string): number | undefined =>
    (found.get('contracts')?.get(contractId) as StoredRow<'contracts'> | undefined)?.latest.paymentTermsDays;
  return { lookup, terms };
}

function conflict(key: string, stored: StoredRow | undefined): RowResult {
  return stored === undefined ? { key, status: 'conflict' } : { key, status: 'conflict', current: readRowOf(stored) };
}

/**
 * True when a valid row would be a conflict against `stored`: its values differ and it does not carry the stored
 * version's etag (an equal row is `unchanged` whatever its etag).
 */
function conflicts(name: LedgerName, c: Candidate, stored: Pick<StoredRow, 'etag' | 'latest'>): boolean {
  return !sameRecord(name, stored.latest, c.record as LedgerRecord<LedgerName>) && c.etag !== stored.etag;
}

/** The verdict for a valid row against what is stored; a write when something is to be stored. */
function decide(
  name: LedgerName,
  c: Candidate,
  stored: StoredRow | undefined,
  by: Actor,
  at: string,
): { result?: RowResult; write?: RowWrite } {
  const key = c.key as string;
  const record = c.record as LedgerRecord<LedgerName>;
  if (stored !== undefined) {
    if (conflicts(name, c, stored)) return { result: conflict(key, stored) };
    if (sameRecord(name, stored.latest, record)) return { result: { key, status: 'unchanged', etag: stored.etag } };
    return { write: updateWrite(stored, record, by, at, c.reason) };
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
  return { write: createWrite(name, address, key, record, by, at, c.reason) };
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
 * Decides and stores `accepted` (rows whose fields and references passed), filling their `results`.
 *
 * Rows without an etag are first inserted optimistically, without reading: a bulk upload of new rows (the common
 * case) then costs nothing but its transactions. An insert fails atomically when the key exists, and so does the
 * transaction holding it; those rows, and rows carrying an etag, are read in one batch and decided against what is
 * stored (unchanged / conflict / updated, or created when the key was free after all).
 */
async function store(
  name: LedgerName,
  accepted: Candidate[],
  results: RowResult[],
  userId: Actor,
  at: string,
): Promise<void> {
  const invalid = (c: Candidate, errors: FieldError[]): void =>
    void (results[c.index] = { key: c.key, status: 'invalid', errors });
  const inserts: { c: Candidate; write: RowWrite }[] = [];
  const toDecide: Candidate[] = [];
  for (const c of accepted) {
    if (c.etag !== undefined) {
      toDecide.push(c);
      continue;
    }
    const { result, write } = decide(name, c, undefined, userId, at);
    if (result) results[c.index] = result;
    else if (write) {
      const problem = sizeProblem(write, c.record as LedgerRecord<LedgerName>);
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
  if (toDecide.length === 0) return;

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
}

const isReturn = (name: LedgerName, c: Candidate): boolean =>
  name === 'deliveries' && (c.record as LedgerRecord<'deliveries'>).kind === 'return';

/**
 * Writes `rows` to ledger `name` as `userId` (a name, or a Principal's name and stable id); one result per row, in
 * request order. Rows that fail their fields or references are `invalid` and the others are stored (see store);
 * returns are checked and stored last (see the header).
 */
export async function putRows(
  name: LedgerName,
  rows: readonly unknown[],
  userId: Actor,
  now: Date = new Date(),
): Promise<RowResult[]> {
  const at = now.toISOString();
  const candidates = rows.map((raw, i) => parseCandidate(name, raw, i));
  refuseDuplicates(name, candidates);
  const parsed = candidates.filter((c) => c.record !== undefined);
  // The stored deliveries of the contracts the returns name are read alongside the referenced rows.
  const returnContracts = new Set(
    parsed.filter((c) => isReturn(name, c)).map((c) => (c.record as LedgerRecord<'deliveries'>).contractId),
  );
  const [refs, stored] = await Promise.all([
    referenceLookup(name, parsed),
    returnContracts.size > 0 ? storedDeliveries(returnContracts) : [],
  ]);
  const completion = { defaultCurrency: getConfig().defaultCurrency, paymentTermsDays: refs.terms };
  const results = new Array<RowResult>(rows.length);
  const invalid = (c: Candidate, errors: FieldError[]): void =>
    void (results[c.index] = { key: c.key, status: 'invalid', errors });

  // No ledger refers to itself today; should one, a row may refer to a row accepted earlier in the same request.
  const acceptedKeys = new Set<string>();
  const lookup: ReferenceLookup = {
    exists: (l, k) => refs.lookup.exists(l, k) || (l === name && acceptedKeys.has(k)),
    contractHasItem: (contractId, itemCode) => refs.lookup.contractHasItem(contractId, itemCode),
    invoiceContract: (invoiceNo) => refs.lookup.invoiceContract(invoiceNo),
  };
  const accepted: Candidate[] = [];
  for (const c of candidates) {
    if (c.record === undefined) {
      invalid(c, c.errors ?? []);
      continue;
    }
    const house = houseCurrencyTailProblem(name, c.record, completion.defaultCurrency);
    if (house !== null) {
      invalid(c, [house]);
      continue;
    }
    const refErrors = checkReferences(name, c.record, lookup);
    if (refErrors.length > 0) {
      invalid(c, refErrors);
      continue;
    }
    c.record = completeRow(name, c.record, completion);
    acceptedKeys.add(c.key as string);
    accepted.push(c);
  }

  const returns = accepted.filter((c) => isReturn(name, c));
  const others = accepted.filter((c) => !isReturn(name, c));
  await store(name, others, results, userId, at);
  if (returns.length === 0) return results;

  // The deliveries as they stand now: the stored versions read above, replaced by what store() wrote of this
  // request's other rows (a row it did not write, e.g. a conflict, leaves the stored version standing).
  const byKey = new Map(stored.map((r) => [r.key, { etag: r.etag, latest: r.latest }]));
  for (const c of others) {
    const result = results[c.index];
    if ((result?.status !== 'created' && result?.status !== 'updated') || result.etag === undefined) continue;
    const record = c.record as LedgerRecord<'deliveries'>;
    if (returnContracts.has(record.contractId)) byKey.set(c.key as string, { etag: result.etag, latest: record });
    else byKey.delete(c.key as string);
  }
  // A return stored with other values and sent without its etag (or a stale one) will be a conflict, leaving the
  // stored version in place: it is left to store() to answer, and not counted in place of the stored version.
  const willConflict = (c: Candidate): boolean => {
    const s = byKey.get(c.key as string);
    return s !== undefined && conflicts(name, c, s);
  };
  const checked = returns.filter((c) => !willConflict(c));
  const errors = checkReturns(
    [...byKey.values()].map((r) => r.latest),
    checked.map((c) => c.record as LedgerRecord<'deliveries'>),
  );
  const passed = [
    ...returns.filter(willConflict),
    ...checked.filter((c, i) => {
      const error = errors[i];
      if (error) invalid(c, [error]);
      return !error;
    }),
  ];
  await store(name, passed, results, userId, at);
  return results;
}
