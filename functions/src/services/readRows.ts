// Reading rows (GET /api/ledgers/{ledger}[/{key}[/history]]): paging, equality filters, one row, history with diffs.

import {
  DEFAULT_PAGE_SIZE,
  MAX_ROWS_PER_REQUEST,
  type GetRowsResponse,
  type HistoryEntry,
  type HistoryResponse,
  type ReadRow,
} from '../../../shared/api';
import { isIsoDate } from '../../../shared/dates';
import { columns, toWire, type LedgerName } from '../../../shared/ledgers';
import { parseMoney, parseScaled } from '../../../shared/money';
import { ApiError } from '../http/errors';
import { fieldEquals, listRowsPage, readHistory, readRow, type FilterValue } from '../store/ledgerStore';
import { readRowOf } from './wire';

export const MAX_PAGE_SIZE = MAX_ROWS_PER_REQUEST;
const PAGING_PARAMS = new Set(['pageSize', 'continuationToken']);

/** A 400 naming the query parameter and what is wrong with it. */
export function badQuery(field: string, message: string): ApiError {
  return new ApiError(400, 'invalid', `The request query is invalid: ${field} ${message}.`, [
    { field: `query.${field}`, message },
  ]);
}

/**
 * Our continuation token: the SDK's token (itself base64 JSON of the next PartitionKey/RowKey) wrapped in
 * base64url, so it is URL-safe and we can tell a damaged token (400) from a storage failure.
 */
export function encodeContinuation(sdkToken: string | undefined): string | null {
  return sdkToken === undefined ? null : Buffer.from(sdkToken, 'utf8').toString('base64url');
}

export function decodeContinuation(token: string): string {
  const fail = (): never => {
    throw badQuery('continuationToken', 'is not a token this API issued; start again without it');
  };
  if (!/^[A-Za-z0-9_-]{1,4096}$/.test(token)) fail();
  const sdkToken = Buffer.from(token, 'base64url').toString('utf8');
  try {
    const inner = JSON.parse(Buffer.from(sdkToken, 'base64').toString('utf8')) as unknown;
    if (typeof inner !== 'object' || inner === null) return fail();
    const { nextPartitionKey, nextRowKey } = inner as Record<string, unknown>;
    if (typeof nextPartitionKey !== 'string' || (nextRowKey !== undefined && typeof nextRowKey !== 'string'))
      return fail();
  } catch {
    return fail();
  }
  return sdkToken;
}

/** A query-string value as the typed literal the column holds; throws 400 naming the parameter. */
export function filterValue(name: LedgerName, field: string, text: string): FilterValue {
  const col = columns(name).find((c) => c.field === field);
  if (col === undefined)
    throw badQuery(
      field,
      `is not a field of ${name}; filter on one of ${columns(name)
        .map((c) => c.field)
        .join(', ')}`,
    );
  try {
    switch (col.kind) {
      case 'money':
        return BigInt(parseMoney(text));
      case 'unitPrice':
      case 'rate':
        return BigInt(parseScaled(text, 4));
      case 'int':
        if (!/^-?\d{1,15}$/.test(text)) throw badQuery(field, 'must be a whole number');
        return BigInt(text);
      case 'bool':
        if (text !== 'true' && text !== 'false') throw badQuery(field, 'must be true or false');
        return text === 'true';
      case 'date':
        if (!isIsoDate(text)) throw badQuery(field, 'must be a calendar date as YYYY-MM-DD');
        return text;
      default:
        return text;
    }
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw badQuery(field, err instanceof Error ? err.message : 'is not a valid value');
  }
}

export interface ListQuery {
  pageSize: number;
  continuationToken: string | undefined;
  filter: string;
}

/** Validates GET's query parameters: paging plus equality filters on the ledger's top-level fields. */
export function parseListQuery(name: LedgerName, params: Record<string, string>): ListQuery {
  let pageSize = DEFAULT_PAGE_SIZE;
  const size = params.pageSize;
  if (size !== undefined) {
    if (!/^\d{1,6}$/.test(size) || Number(size) < 1 || Number(size) > MAX_PAGE_SIZE)
      throw badQuery('pageSize', `must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
    pageSize = Number(size);
  }
  const token = params.continuationToken;
  const continuationToken = token === undefined || token === '' ? undefined : decodeContinuation(token);
  const filters = Object.entries(params)
    .filter(([k]) => !PAGING_PARAMS.has(k))
    .map(([field, text]) => fieldEquals(field, filterValue(name, field, text)));
  return { pageSize, continuationToken, filter: filters.join(' and ') };
}

export async function listRows(name: LedgerName, query: ListQuery): Promise<GetRowsResponse> {
  const page = await listRowsPage(name, query.filter, query.pageSize, query.continuationToken);
  return { rows: page.items.map(readRowOf), continuationToken: encodeContinuation(page.continuationToken) };
}

export async function getRow(name: LedgerName, key: string): Promise<ReadRow> {
  const row = await readRow(name, key);
  if (row === undefined) throw new ApiError(404, 'not_found', `${name} has no row with key ${key}.`);
  return readRowOf(row);
}

/** The fields whose wire values differ between two versions (a field a version lacks is null). */
export function changedFields(
  name: LedgerName,
  from: Record<string, unknown>,
  to: Record<string, unknown>,
): { field: string; from: unknown; to: unknown }[] {
  return columns(name)
    .filter((c) => from[c.field] !== to[c.field])
    .map((c) => ({ field: c.field, from: from[c.field] ?? null, to: to[c.field] ?? null }));
}

/** Every version and decision of a row, oldest first, each version with its field-level changes. */
export async function getHistory(name: LedgerName, key: string): Promise<HistoryResponse> {
  const records = await readHistory(name, key);
  if (records.length === 0) throw new ApiError(404, 'not_found', `${name} has no row with key ${key}.`);
  let previous: Record<string, unknown> = {};
  const entries: HistoryEntry[] = records.map((h) => {
    const entry: HistoryEntry = { version: h.seq, action: h.action, by: h.by, at: h.at };
    if (h.record !== undefined) {
      const wire = toWire(name, h.record);
      entry.row = wire;
      entry.changes = changedFields(name, previous, wire);
      previous = wire;
    }
    if (h.approvedVersion !== undefined) entry.approvedVersion = h.approvedVersion;
    if (h.rejectedVersion !== undefined) entry.rejectedVersion = h.rejectedVersion;
    if (h.reason !== undefined) entry.reason = h.reason;
    return entry;
  });
  return { ledger: name, key, entries };
}
