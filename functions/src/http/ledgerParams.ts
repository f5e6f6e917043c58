// Route parameters of the ledger endpoints: the ledger name (404 when unknown) and a row key from the URL.
import type { HttpRequest } from '@azure/functions';
import { isLedgerName, LEDGERS, type LedgerName } from '../../../shared/ledgers';
import { ApiError } from './errors';

/** The `{ledger}` route parameter; 404 `not_found` naming the known ledgers otherwise. */
export function ledgerParam(req: HttpRequest): LedgerName {
  const name = req.params.ledger;
  if (!isLedgerName(name)) {
    throw new ApiError(
      404,
      'not_found',
      `There is no ledger ${name ?? ''}; ledgers are ${LEDGERS.map((l) => l.name).join(', ')}.`,
    );
  }
  return name;
}

/** The `{key}` route parameter (compound keys as `part1~part2`). */
export function keyParam(req: HttpRequest): string {
  const key = req.params.key;
  if (key === undefined || key === '') throw new ApiError(400, 'invalid', 'The row key is missing from the URL.');
  return key;
}
