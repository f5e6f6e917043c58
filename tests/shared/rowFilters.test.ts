// The table of row-read filters (shared/rowFilters.ts, README "Filters on row reads"): per ledger its natural date,
// the ledger it is filtered through, and the filters it honours.
import { LEDGERS } from '../../shared/ledgers';
import { FILTER_LINKS, NATURAL_DATE, SEMANTIC_FILTERS, supportedFilters } from '../../shared/rowFilters';

const ALL = 'region salespersonId customerId contractId from to';
const NO_DATES = 'region salespersonId customerId contractId';

// ledger: [natural date, filtered through, filters honoured]
const TABLE: Record<string, [string, string, string]> = {
  customers: ['-', 'contracts', NO_DATES],
  salespeople: ['-', 'contracts', NO_DATES],
  contracts: ['signedOn', '-', ALL],
  orderLines: ['-', 'contracts', ALL],
  deliveries: ['date', 'contracts', ALL],
  invoices: ['issuedOn', 'contracts', ALL],
  invoiceLines: ['-', 'invoices', ALL],
  payments: ['receivedOn', 'contracts', ALL],
  creditNotes: ['issuedOn', 'contracts', ALL],
  expenses: ['incurredOn', 'salespeople', 'region salespersonId contractId from to'],
  contacts: ['-', 'customers', NO_DATES],
  interactions: ['date', 'customers', ALL],
  customerDocuments: ['-', 'customers', NO_DATES],
  samples: ['sentOn', 'customers', ALL],
  trips: ['departOn', 'salespeople', ALL],
  attendance: ['-', 'salespeople', 'region salespersonId'],
  expensePolicies: ['-', '-', 'region'],
  commissionPlans: ['-', '-', ''],
  commissionSettlements: ['settledOn', 'salespeople', 'region salespersonId from to'],
  reminderTerms: ['-', '-', ''],
  reminderLevels: ['-', '-', ''],
  reminders: ['issuedOn', 'customers', ALL],
  reminderLines: ['-', 'reminders', ALL],
  // A target's group is a region or a salesperson by its groupBy: not a region field, so targets come whole.
  targets: ['-', '-', ''],
  budgets: ['-', '-', 'region'],
};

it('declares, for every ledger, its natural date, its link and the filters it honours', () => {
  expect(Object.keys(TABLE).sort()).toEqual(LEDGERS.map((l) => l.name).sort());
  for (const l of LEDGERS) {
    const [date, link, filters] = TABLE[l.name] as [string, string, string];
    const honoured = SEMANTIC_FILTERS.filter((f) => supportedFilters(l.name).has(f)).join(' ');
    expect([l.name, NATURAL_DATE[l.name] ?? '-', FILTER_LINKS[l.name]?.ledger ?? '-', honoured]).toEqual([
      l.name,
      date,
      link,
      filters,
    ]);
  }
});

it("does not pass a customer through salespeople: an expense's customer is not its salesperson's customers", () => {
  expect(supportedFilters('expenses').has('customerId')).toBe(false);
  expect(supportedFilters('salespeople').has('customerId')).toBe(true);
  expect(supportedFilters('salespeople', true).has('customerId')).toBe(false);
});
