// Row reads with filters a clerk means (GET /api/ledgers/{ledger}, issue #18 part 3): region, salespersonId,
// customerId, contractId and from/to on the ledger's natural date, next to the equality filters on top-level fields.
//
// The table of what each ledger honours and how is shared/rowFilters.ts. Per request:
// * a filter on one of the ledger's own columns is pushed down as OData (`field eq value`; `from`/`to` as
//   `date ge from and date le to` on the natural date) — except region, which compares case-insensitively and Table
//   Storage cannot lower-case, so it is checked on each entity here;
// * a filter the ledger does not hold goes through its link (shared FILTER_LINKS): the link's ledger is read once,
//   filtered the same way (recursively: invoice lines → invoices → contracts), selecting only the columns needed,
//   and gives the set of values the ledger's link field may take. Up to what one filter may still name (Azure allows
//   15 comparisons) the set is pushed down as `field eq a or field eq b …`; a larger set is checked here. An empty set
//   answers an empty page without reading the ledger.
// Filters compare the latest version of each row (what row reads return), so the approved-only contract index cannot
// answer them: a pending contract moved to another region must move its invoices with it.

import type { GetRowsResponse } from '../../../shared/api';
import { isIsoDate } from '../../../shared/dates';
import { columns, type LedgerName } from '../../../shared/ledgers';
import {
  CASE_INSENSITIVE,
  hasField,
  linkOf,
  NATURAL_DATE,
  SEMANTIC_FILTERS,
  supportedFilters,
  type SemanticFilter,
} from '../../../shared/rowFilters';
import { distinctValues, fieldCompare, listRowsWhere, type EntityCheck } from '../store/filteredRows';
import { fieldEquals } from '../store/ledgerStore';
import { MAX_FILTER_COMPARISONS } from '../store/limits';
import { badQuery, encodeContinuation, filterValue, parseListQuery } from './readRows';
import { readRowOf } from './wire';

const PAGING = new Set(['pageSize', 'continuationToken']);
const isSemantic = (k: string): k is SemanticFilter => (SEMANTIC_FILTERS as readonly string[]).includes(k);
/** The two comparisons of the row-range filter every query carries. */
const ROW_RANGE_COMPARISONS = 2;

/** A ledger query: OData clauses with their comparison count, checks done here, and the columns those read. */
export interface RowQuery {
  clauses: { text: string; comparisons: number }[];
  checks: EntityCheck[];
  reads: Set<string>;
  /** True when no row can match (a link's set came back empty). */
  empty: boolean;
}

function ciEquals(field: string, text: string): EntityCheck {
  const wanted = text.toLowerCase();
  return (e) => typeof e[field] === 'string' && e[field].toLowerCase() === wanted;
}

/** The semantic filters in `params` the ledger cannot honour: a 400 naming them and what it does honour. */
function checkSupported(name: LedgerName, params: Record<string, string>): void {
  const supported = supportedFilters(name);
  const refused = Object.keys(params).filter((k) => isSemantic(k) && !supported.has(k));
  if (refused.length === 0) return;
  const honoured = SEMANTIC_FILTERS.filter((f) => supported.has(f));
  const first = refused[0] as string;
  throw badQuery(
    first,
    `is not a filter ${name} can honour` +
      (honoured.length > 0 ? `; ${name} can be filtered by ${honoured.join(', ')}` : '') +
      ' and by equality on its own fields',
  );
}

function checkValues(params: Record<string, string>): void {
  for (const [k, v] of Object.entries(params)) {
    if (!isSemantic(k)) continue;
    if (v.trim() === '') throw badQuery(k, 'must not be empty; leave it out to read every row');
    const given = v;
    if ((k === 'from' || k === 'to') && !isIsoDate(v))
      throw badQuery(k, `must be a calendar date as YYYY-MM-DD (${given} is not one)`);
  }
  const { from, to } = params;
  if (from !== undefined && to !== undefined && from > to) throw badQuery('from', `must not be after to (${to})`);
}

/** Builds the query for `name` from already-validated filters; `asParent` when read as another ledger's link. */
async function buildQuery(name: LedgerName, params: Record<string, string>, asParent: boolean): Promise<RowQuery> {
  const q: RowQuery = { clauses: [], checks: [], reads: new Set(), empty: false };
  const foreign: Record<string, string> = {};
  const dateField = NATURAL_DATE[name];
  for (const [k, text] of Object.entries(params)) {
    if (k === 'from' || k === 'to') {
      if (dateField === undefined) foreign[k] = text;
      else q.clauses.push({ text: fieldCompare(dateField, k === 'from' ? 'ge' : 'le', text), comparisons: 1 });
    } else if (hasField(name, k)) {
      if (CASE_INSENSITIVE.includes(k)) {
        q.checks.push(ciEquals(k, text));
        q.reads.add(k);
      } else q.clauses.push({ text: fieldEquals(k, filterValue(name, k, text)), comparisons: 1 });
    } else foreign[k] = text;
  }
  if (Object.keys(foreign).length === 0) return q;
  const link = linkOf(name, asParent);
  if (link === undefined) throw new Error(`${name} has no link for ${Object.keys(foreign).join(', ')}`);
  const parent = await buildQuery(link.ledger, foreign, true);
  const values = parent.empty ? new Set<string>() : await readValues(link.ledger, parent, link.parentField);
  if (values.size === 0) {
    q.empty = true;
    return q;
  }
  const used = ROW_RANGE_COMPARISONS + q.clauses.reduce((n, c) => n + c.comparisons, 0);
  if (values.size <= MAX_FILTER_COMPARISONS - used) {
    const ors = [...values]
      .sort()
      .map((v) => fieldEquals(link.field, v))
      .join(' or ');
    q.clauses.push({ text: values.size === 1 ? ors : `(${ors})`, comparisons: values.size });
  } else {
    q.checks.push((e) => values.has(String(e[link.field])));
    q.reads.add(link.field);
  }
  return q;
}

function odataOf(q: RowQuery): string {
  return q.clauses.map((c) => c.text).join(' and ');
}

function checkOf(q: RowQuery): EntityCheck | undefined {
  if (q.checks.length === 0) return undefined;
  return (e) => q.checks.every((c) => c(e));
}

async function readValues(name: LedgerName, q: RowQuery, field: string): Promise<Set<string>> {
  return distinctValues(name, odataOf(q), checkOf(q), field, [field, ...q.reads]);
}

/** Validates the filters of a row read (400 naming the first bad one) and builds its query. */
export async function rowQuery(name: LedgerName, params: Record<string, string>): Promise<RowQuery> {
  const filters = Object.fromEntries(Object.entries(params).filter(([k]) => !PAGING.has(k)));
  for (const k of Object.keys(filters))
    if (!isSemantic(k) && !hasField(name, k))
      throw badQuery(
        k,
        `is not a field of ${name}; filter on one of ${columns(name)
          .map((c) => c.field)
          .join(', ')}, or by ${[...supportedFilters(name)].join(', ')}`,
      );
  checkSupported(name, filters);
  checkValues(filters);
  return buildQuery(name, filters, false);
}

/** GET /api/ledgers/{ledger}: a page of rows matching the query's filters. */
export async function listFilteredRows(name: LedgerName, params: Record<string, string>): Promise<GetRowsResponse> {
  const paging = parseListQuery(name, Object.fromEntries(Object.entries(params).filter(([k]) => PAGING.has(k))));
  const q = await rowQuery(name, params);
  if (q.empty) return { rows: [], continuationToken: null };
  const page = await listRowsWhere(name, odataOf(q), checkOf(q), paging.pageSize, paging.continuationToken);
  return { rows: page.items.map(readRowOf), continuationToken: encodeContinuation(page.continuationToken) };
}
