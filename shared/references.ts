// Reference rules between ledgers (API.md, "References must exist"), checked the same way on the sheet and
// on the server: callers supply lookups over whatever rows they have.

import { ledger, type FieldError, type LedgerName, type LedgerRecord } from './ledgers';

export interface ReferenceLookup {
  /** True when a row with this key exists in that ledger. */
  exists(ledger: LedgerName, key: string): boolean;
  /** True when the item is on one of the contract's order lines. */
  contractHasItem(contractId: string, itemCode: string): boolean;
  /** The contract an existing invoice is filed under (its latest version), or undefined when it does not exist. */
  invoiceContract(invoiceNo: string): string | undefined;
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
  if (name === 'creditNotes' && errors.length === 0) {
    // A credit note lowers what its invoice asks for, so the invoice must be one of the contract's own.
    const cn = record as LedgerRecord<'creditNotes'>;
    const owner = lookup.invoiceContract(cn.invoiceNo);
    if (owner !== cn.contractId)
      errors.push({
        field: 'invoiceNo',
        message: `${cn.invoiceNo} is an invoice of contract ${owner ?? '(none)'}, not of ${cn.contractId}`,
      });
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

/** One item on one contract: the days it moved, sorted, and what was delivered and returned on each. */
interface Days {
  dates: string[];
  index: Map<string, number>;
  delivered: number[];
  returned: number[];
}

/**
 * The return rule: a return may not exceed what was delivered of its item on its contract up to its date, net of
 * the returns dated up to then. `stored` holds every stored movement of the contracts concerned (one per
 * deliveryId); `incoming` the rows to be written, in request order, of which only the returns are checked (the
 * caller counts the deliveries it writes in `stored`). Returns whose quantity, date, contract, item and kind equal
 * their stored version are not checked again (a re-published sheet, or a new reason only).
 *
 * The incoming returns are decided one at a time in date order (request order within a day); each replaces its
 * stored version (same deliveryId), and one that passes counts for the later ones. A return passes when, with it, the
 * returned quantity of its item on its contract never exceeds the delivered quantity on its date or on any later
 * date (so a return cannot take away what a later stored return relies on), nor from the earlier date of its stored
 * version when it moves within the same item and contract. Movements of the same day are netted together: a delivery
 * and a return on one day may come in either order. Returns one error (field `quantity`) or null per incoming row,
 * in its order. Each check walks the days of one item on one contract once.
 */
export function checkReturns(stored: readonly Movement[], incoming: readonly Movement[]): (FieldError | null)[] {
  const errors = incoming.map((): FieldError | null => null);
  const order = incoming
    .map((m, i) => ({ m, i }))
    .filter(({ m }) => m.kind === 'return')
    .sort((a, b) => (a.m.date < b.m.date ? -1 : a.m.date > b.m.date ? 1 : a.i - b.i));
  if (order.length === 0) return errors;

  // The days of every item and contract a return names, from the stored movements and the returns themselves.
  const dateSets = new Map<string, Set<string>>();
  for (const { m } of order) dateSets.set(groupOf(m), (dateSets.get(groupOf(m)) ?? new Set()).add(m.date));
  for (const m of stored) dateSets.get(groupOf(m))?.add(m.date);
  const days = new Map<string, Days>();
  for (const [group, set] of dateSets) {
    const dates = [...set].sort();
    const zeros = dates.map(() => 0);
    days.set(group, { dates, index: new Map(dates.map((d, j) => [d, j])), delivered: zeros, returned: [...zeros] });
  }
  const apply = (m: Movement, sign: 1 | -1): void => {
    const g = days.get(groupOf(m));
    const j = g?.index.get(m.date);
    if (g === undefined || j === undefined) return;
    if (m.kind === 'return') g.returned[j] = (g.returned[j] as number) + sign * m.quantity;
    else g.delivered[j] = (g.delivered[j] as number) + sign * m.quantity;
  };
  const current = new Map<string, Movement>();
  for (const m of stored) {
    const previous = current.get(m.deliveryId);
    if (previous !== undefined) apply(previous, -1);
    current.set(m.deliveryId, m);
    apply(m, 1);
  }

  for (const { m, i } of order) {
    const before = current.get(m.deliveryId);
    if (before !== undefined && sameMovement(before, m)) continue;
    const g = days.get(groupOf(m)) as Days;
    const at = g.index.get(m.date) as number;
    const moved = before !== undefined && groupOf(before) === groupOf(m) ? before : undefined;
    const was = moved === undefined ? -1 : (g.index.get(moved.date) as number);
    // From the return's own day, or from its stored version's day when that is earlier in the same group.
    const from = was >= 0 && was < at ? was : at;
    let delivered = 0;
    let returned = 0;
    let short: { date: string; delivered: number; returned: number } | null = null;
    for (let j = 0; j < g.dates.length; j++) {
      delivered += g.delivered[j] as number;
      returned += g.returned[j] as number;
      if (j === was && moved !== undefined) {
        if (moved.kind === 'return') returned -= moved.quantity;
        else delivered -= moved.quantity;
      }
      if (j === at) returned += m.quantity;
      if (j >= from && returned > delivered) {
        short = { date: g.dates[j] as string, delivered, returned };
        break;
      }
    }
    if (short === null) {
      if (before !== undefined) apply(before, -1);
      apply(m, 1);
      current.set(m.deliveryId, m);
      continue;
    }
    const where = `${m.itemCode} on contract ${m.contractId}`;
    const returnedBefore = short.returned - m.quantity;
    const message =
      short.date === m.date
        ? `${m.quantity} exceeds what can be returned of ${where} on ${m.date}: ${short.delivered} delivered, ` +
          `${returnedBefore} returned already, at most ${Math.max(0, short.delivered - returnedBefore)} can be returned`
        : `${m.quantity} would bring the returns of ${where} to ${short.returned} by ${short.date}, ` +
          `against ${short.delivered} delivered up to then`;
    errors[i] = { field: 'quantity', message };
  }
  return errors;
}
