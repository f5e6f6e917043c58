// Row-read filters with a clerk's meaning (issue #18 part 3): which ledger answers region, salespersonId, customerId,
// contractId and a from/to date range, and how. One table for the API (functions/src/services/rowFilters.ts) and the
// pane's pull (addin/flows/pullFilters.ts), listed in the README.

import { columns, type LedgerName } from './ledgers';

/** The filters a row read understands beyond equality on a ledger's own fields. */
export const SEMANTIC_FILTERS = ['region', 'salespersonId', 'customerId', 'contractId', 'from', 'to'] as const;
export type SemanticFilter = (typeof SEMANTIC_FILTERS)[number];

/** Filters that compare names, not ids: case-insensitive (`region=east` finds `East`). */
export const CASE_INSENSITIVE: readonly string[] = ['region'];

/** Each ledger's natural date: what `from`/`to` (inclusive) compare. */
export const NATURAL_DATE: Partial<Record<LedgerName, string>> = {
  contracts: 'signedOn',
  deliveries: 'date',
  invoices: 'issuedOn',
  payments: 'receivedOn',
  creditNotes: 'issuedOn',
  expenses: 'incurredOn',
  interactions: 'date',
  samples: 'sentOn',
  trips: 'departOn',
  commissionSettlements: 'settledOn',
  reminders: 'issuedOn',
};

/**
 * How a ledger answers a filter on a field it does not hold: the rows whose `field` is one of the `parentField`
 * values of the `ledger` rows that match that filter. `dates` says whether `from`/`to` pass through too (a child
 * follows its parent's date; customers and salespeople have no date of their own).
 */
export interface FilterLink {
  field: string;
  ledger: LedgerName;
  parentField: string;
  dates: boolean;
  /** False: followed only for the ledger's own reads, not when the ledger is itself another's link (see salespeople). */
  transitive?: boolean;
}

const byContract: FilterLink = { field: 'contractId', ledger: 'contracts', parentField: 'contractId', dates: true };
const bySalesperson: FilterLink = {
  field: 'salespersonId',
  ledger: 'salespeople',
  parentField: 'salespersonId',
  dates: false,
};
const byCustomer: FilterLink = { field: 'customerId', ledger: 'customers', parentField: 'customerId', dates: false };

export const FILTER_LINKS: Partial<Record<LedgerName, FilterLink>> = {
  // Customers and salespeople: by the contracts they have (a customer "of" salesperson SP1 has a contract with SP1).
  customers: { field: 'customerId', ledger: 'contracts', parentField: 'customerId', dates: false },
  // Expenses of "the salespeople with contracts of customer CU1" is not what a clerk means: not transitive.
  salespeople: {
    field: 'salespersonId',
    ledger: 'contracts',
    parentField: 'salespersonId',
    dates: false,
    transitive: false,
  },
  orderLines: byContract,
  deliveries: byContract,
  invoices: byContract,
  payments: byContract,
  creditNotes: byContract,
  invoiceLines: { field: 'invoiceNo', ledger: 'invoices', parentField: 'invoiceNo', dates: true },
  expenses: bySalesperson,
  trips: bySalesperson,
  attendance: bySalesperson,
  commissionSettlements: bySalesperson,
  contacts: byCustomer,
  interactions: byCustomer,
  customerDocuments: byCustomer,
  samples: byCustomer,
  reminders: byCustomer,
  reminderLines: { field: 'reminderNo', ledger: 'reminders', parentField: 'reminderNo', dates: true },
};

/** The ledger's link, unless it is read as another ledger's parent and its link is not transitive. */
export function linkOf(ledger: LedgerName, asParent: boolean): FilterLink | undefined {
  const link = FILTER_LINKS[ledger];
  return link === undefined || (asParent && link.transitive === false) ? undefined : link;
}

/** True when the ledger has the field as a column of its own. */
export function hasField(ledger: LedgerName, field: string): boolean {
  return columns(ledger).some((c) => c.field === field);
}

/**
 * The semantic filters the ledger honours: its own fields, its natural date, and what its link's ledger honours
 * (dates only where the link passes them on).
 */
export function supportedFilters(ledger: LedgerName, asParent = false): Set<SemanticFilter> {
  const out = new Set<SemanticFilter>();
  for (const f of SEMANTIC_FILTERS) if (hasField(ledger, f)) out.add(f);
  if (NATURAL_DATE[ledger] !== undefined) {
    out.add('from');
    out.add('to');
  }
  const link = linkOf(ledger, asParent);
  if (link !== undefined) {
    for (const f of supportedFilters(link.ledger, true)) {
      if ((f === 'from' || f === 'to') && !link.dates) continue;
      out.add(f);
    }
  }
  return out;
}
