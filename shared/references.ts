// Reference rules between ledgers (API.md, "References must exist"), checked the same way on the sheet and
// on the server: callers supply lookups over whatever rows they have.

import { ledger, type FieldError, type LedgerName, type LedgerRecord } from './ledgers';

export interface ReferenceLookup {
  /** True when a row with this key exists in that ledger. */
  exists(ledger: LedgerName, key: string): boolean;
  /** True when the item is on one of the contract's order lines. */
  contractHasItem(contractId: string, itemCode: string): boolean;
}

/** The errors of a parsed row's enforced references; empty when every reference resolves. */
export function checkReferences<L extends LedgerName>(
  name: L,
  record: LedgerRecord<L>,
  lookup: ReferenceLookup,
): FieldError[] {
  const errors: FieldError[] = [];
  // Reference fields are ids: strings by schema.
  const values = record as Record<string, string | undefined>;
  for (const ref of ledger(name).references) {
    if (!ref.enforced) continue;
    const target = values[ref.field];
    if (target === undefined) continue;
    if (!lookup.exists(ref.ledger, target))
      errors.push({ field: ref.field, message: `${target} does not exist in ${ref.ledger}` });
  }
  if (name === 'deliveries' && errors.length === 0) {
    const d = record as LedgerRecord<'deliveries'>;
    if (!lookup.contractHasItem(d.contractId, d.itemCode))
      errors.push({ field: 'itemCode', message: `${d.itemCode} is not on an order line of contract ${d.contractId}` });
  }
  return errors;
}

/** The (ledger, key) pairs a row refers to through enforced references, for batch lookups before checking. */
export function referencedKeys<L extends LedgerName>(
  name: L,
  record: LedgerRecord<L>,
): { ledger: LedgerName; key: string }[] {
  const values = record as Record<string, string | undefined>;
  return ledger(name)
    .references.filter((r) => r.enforced && values[r.field] !== undefined)
    .map((r) => ({ ledger: r.ledger, key: values[r.field] as string }));
}
