// The review queue (GET /api/approvals/pending): pending versions the caller may decide, oldest first, paged.
//
// Pending rows are found with one server-side filtered listing per ledger (`metaPendingVersion gt 0` over the row
// entities; pages of ≤ 1,000). Table Storage has no secondary index, so that listing reads the ledger's rows in Azure
// and in Azurite alike: a queue request costs about (rows in the ledgers asked for) / 1,000 round trips — a ledger
// of 50,000 rows is ~50 pages. Asking for one ledger (`?ledger=`) reads only that one. Rejected versions are left
// out (they can no longer be approved; the maker fixes and writes them again), and so are the caller's own changes
// (four-eyes rule: they could not decide them). The order is (changedAt, ledger, key), and the continuation token
// is the last entry returned, so a page never repeats or skips an entry that was pending on both reads.

import type { PendingChange, PendingQuery, PendingResponse } from '../../../shared/api';
import { LEDGERS, toWire, type LedgerName } from '../../../shared/ledgers';
import { isRejected, type Actor, type StoredRow } from '../store/ledgerEntities';
import { forEachRowPage } from '../store/ledgerStore';
import { isMaker, sameUser } from './approvals';
import { badQuery, changedFields } from './readRows';

interface Position {
  at: string;
  ledger: string;
  key: string;
}

function encodePosition(p: Position): string {
  return Buffer.from(JSON.stringify([p.at, p.ledger, p.key]), 'utf8').toString('base64url');
}

function decodePosition(token: string): Position {
  const fail = (): never => {
    throw badQuery('continuationToken', 'is not a token this API issued; start again without it');
  };
  if (!/^[A-Za-z0-9_-]{1,4096}$/.test(token)) return fail();
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(value) || value.length !== 3 || !value.every((v) => typeof v === 'string')) return fail();
    const [at, ledger, key] = value as [string, string, string];
    return { at, ledger, key };
  } catch {
    return fail();
  }
}

function compare(a: Position, b: Position): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  if (a.ledger !== b.ledger) return a.ledger < b.ledger ? -1 : 1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** Per field that differs: the approved value (null for a new row or a field it lacks) and the pending one. */
export function changesOf(row: StoredRow): PendingChange['changes'] {
  const approved = row.approved === undefined ? {} : toWire(row.ledger, row.approved);
  return changedFields(row.ledger, approved, toWire(row.ledger, row.latest)).map((c) => ({
    field: c.field,
    approved: c.from,
    pending: c.to,
  }));
}

/** One page of the queue for `caller`. */
export async function pendingChanges(query: PendingQuery, caller: Actor): Promise<PendingResponse> {
  const after = query.continuationToken === undefined ? undefined : decodePosition(query.continuationToken);
  const ledgers: LedgerName[] = query.ledger !== undefined ? [query.ledger] : LEDGERS.map((l) => l.name);
  const found: { position: Position; row: StoredRow }[] = [];
  await Promise.all(
    ledgers.map((name) =>
      forEachRowPage(name, 'metaPendingVersion gt 0', (rows) => {
        for (const row of rows) {
          if (isRejected(row) || isMaker(row, caller)) continue;
          if (query.changedBy !== undefined && !sameUser(row.changedBy, query.changedBy)) continue;
          const position = { at: row.changedAt, ledger: name, key: row.key };
          if (after === undefined || compare(position, after) > 0) found.push({ position, row });
        }
      }),
    ),
  );
  found.sort((a, b) => compare(a.position, b.position));
  const page = found.slice(0, query.pageSize);
  const last = page[page.length - 1];
  return {
    rows: page.map(({ row }) => ({
      ledger: row.ledger,
      key: row.key,
      etag: row.etag,
      changedBy: row.changedBy,
      changedAt: row.changedAt,
      changes: changesOf(row),
    })),
    continuationToken: found.length > page.length && last !== undefined ? encodePosition(last.position) : null,
  };
}
