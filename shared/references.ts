// Reference rules between ledgers (API.md, "References must exist"), checked the same way on the sheet and
// on the server: callers supply lookups over whatever rows they have.

import { ledger, type FieldError, type LedgerName, type LedgerRecord } from './ledgers';

export interface ReferenceLookup {
  /** True when a row with this key exists in that ledger. */
  exists(ledger: LedgerName, key: string): boolean;
  /** True when the item is on one of the contract's order lines. */
  contractHasItem(contractId: string, itemCode: string): boolean;
}

/** The (field, ledger, key) of each enforced reference a row makes, for batch lookups before checking. */
export function referencedKeys<L extends LedgerName>(
  name: L,
  record: LedgerRecord<L>,
): { field: string; ledger: LedgerName; key: string }[] {
  // Reference fields are ids: strings by schema.
  const values = record as Record<string, string | undefined>;
  const refs: { field: string; ledger: LedgerName; key: string }[] = [];
  for (const ref of ledger(name).references) {
    const key = values[ref.field];
    if (ref.enforced && key !== undefined) refs.push({ field: ref.field, ledger: ref.ledger, key });
  }
  return refs;
}

/** The errors of a parsed row's enforced references; empty when every reference resolves. */
export function checkReferences<L extends LedgerName>(
  name: L,
  record: LedgerRecord<L>,
  lookup: ReferenceLookup,
): FieldError[] {
  const errors: FieldError[] = [];
  for (const ref of referencedKeys(name, record))
    if (!lookup.exists(ref.ledger, ref.key))
      errors.push({ field: ref.field, message: `${ref.key} does not exist in ${ref.ledger}` });
  if (name === 'deliveries' && errors.length === 0) {
    const d = record as LedgerRecord<'deliveries'>;
    if (!lookup.contractHasItem(d.contractId, d.itemCode))
      errors.push({ field: 'itemCode', message: `${d.itemCode} is not on an order line of contract ${d.contractId}` });
  }
  return errors;
}

/** What a delivery or return moves, for the return rule: the fields that decide a balance. */
export type Movement = Pick<
  LedgerRecord<'deliveries'>,
  'deliveryId' | 'contractId' | 'itemCode' | 'quantity' | 'kind' | 'date'
>;

function sameMovement(a: Movement, b: Movement): boolean {
  return (
    a.contractId === b.contractId &&
    a.itemCode === b.itemCode &&
    a.quantity === b.quantity &&
    a.kind === b.kind &&
    a.date === b.date
  );
}

const groupOf = (m: Movement): string => `${m.contractId}\u0000${m.itemCode}`;

/**
 * The first date on or after `from` at which more of the group's item has been returned than delivered (every
 * movement dated up to and including that day counted), or null.
 */
function shortfall(
  group: Iterable<Movement>,
  from: string,
): { date: string; delivered: number; returned: number } | null {
  const byDate = [...group].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  let delivered = 0;
  let returned = 0;
  for (let i = 0; i < byDate.length; i++) {
    const m = byDate[i] as Movement;
    if (m.kind === 'return') returned += m.quantity;
    else delivered += m.quantity;
    const endOfDay = byDate[i + 1]?.date !== m.date;
    if (endOfDay && m.date >= from && returned > delivered) return { date: m.date, delivered, returned };
  }
  return null;
}

/**
 * The return rule: a return may not exceed what was delivered of its item on its contract up to its date, net of
 * the returns dated up to then. `stored` holds every stored movement of the contracts concerned (one per
 * deliveryId); `incoming` the rows to be written, in request order. Returns whose quantity, date, contract, item and
 * kind equal their stored version are not checked again (a re-published sheet, or a new reason only).
 *
 * The incoming returns are decided one at a time in date order (request order within a day); each replaces its
 * stored version (same deliveryId), and one that passes counts for the later ones. A return passes when, with it, the
 * returned quantity of its item on its contract never exceeds the delivered quantity on its date or on any later
 * date (so a return cannot take away what a later stored return relies on). Movements of the same day are netted
 * together: a delivery and a return on one day may come in either order. Incoming deliveries are not checked here.
 * Returns one error (field `quantity`) or null per incoming row, in its order.
 */
export function checkReturns(stored: readonly Movement[], incoming: readonly Movement[]): (FieldError | null)[] {
  const groups = new Map<string, Map<string, Movement>>();
  const current = new Map<string, Movement>();
  const place = (m: Movement): void => {
    const g = groups.get(groupOf(m)) ?? new Map<string, Movement>();
    g.set(m.deliveryId, m);
    groups.set(groupOf(m), g);
    current.set(m.deliveryId, m);
  };
  for (const m of stored) place(m);
  const errors = incoming.map((): FieldError | null => null);
  const order = incoming
    .map((m, i) => ({ m, i }))
    .filter(({ m }) => m.kind === 'return')
    .sort((a, b) => (a.m.date < b.m.date ? -1 : a.m.date > b.m.date ? 1 : a.i - b.i));
  for (const { m, i } of order) {
    const before = current.get(m.deliveryId);
    if (before !== undefined && sameMovement(before, m)) continue;
    const group = new Map(groups.get(groupOf(m)));
    group.delete(m.deliveryId);
    group.set(m.deliveryId, m);
    // A version moving within the group changes the balance from the earlier of its two dates.
    const from = before !== undefined && groupOf(before) === groupOf(m) && before.date < m.date ? before.date : m.date;
    const short = shortfall(group.values(), from);
    if (short === null) {
      if (before !== undefined) groups.get(groupOf(before))?.delete(m.deliveryId);
      place(m);
      continue;
    }
    const where = `${m.itemCode} on contract ${m.contractId}`;
    const returnedBefore = short.returned - m.quantity;
    const message =
      short.date === m.date
        ? `a return of ${m.quantity} exceeds what was delivered of ${where} up to ${m.date}: ${short.delivered} ` +
          `delivered, ${returnedBefore} returned already, at most ${Math.max(0, short.delivered - returnedBefore)} can be returned`
        : `with this return, ${short.returned} of ${where} would be returned by ${short.date} ` +
          `against ${short.delivered} delivered up to then`;
    errors[i] = { field: 'quantity', message };
  }
  return errors;
}
