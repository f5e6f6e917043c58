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
