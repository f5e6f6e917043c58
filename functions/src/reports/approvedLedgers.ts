// Reads the approved version of every ledger row dated on or before a day, page by page, for the report calculations.
import type { LedgerData } from '../../../shared/calc';
import type { IsoDate } from '../../../shared/dates';
import type { LedgerName, LedgerRecord } from '../../../shared/ledgers';
import { readApprovedRecords } from '../store/ledgerStore';

/** The date that places a record in time, for ledgers whose records have one. */
const DATE_FIELD: Partial<Record<LedgerName, string>> = {
  deliveries: 'date',
  invoices: 'issuedOn',
  payments: 'receivedOn',
  creditNotes: 'issuedOn',
  expenses: 'incurredOn',
  trips: 'departOn',
};

/**
 * Every ledger's approved records, leaving out records dated after `until`: no figure as of `until` depends on them
 * (statistics count records in the period, aging counts invoices, credit notes and payments up to its as-of day, the invoice check
 * accumulates earlier invoices and deliveries only). Pending versions never enter: a row with a pending change
 * contributes the version still in effect, a row never approved contributes nothing.
 *
 * Storage keeps deliveries, invoices and payments in hash buckets of their own keys, not by contract, so there is no
 * contract-partitioned read to page through: each ledger is read in pages of 1,000 and only the parsed approved
 * records are kept (the raw entities of a page are dropped before the next is read).
 */
export async function readApprovedLedgers(until: IsoDate): Promise<LedgerData> {
  const read = <L extends LedgerName>(name: L): Promise<LedgerRecord<L>[]> => {
    const field = DATE_FIELD[name];
    return readApprovedRecords(
      name,
      (record) => field === undefined || ((record as Record<string, unknown>)[field] as string) <= until,
    );
  };
  // Ledgers are independent tables: read them side by side, in one wave (the trips to commission settlements are
  // issue #14's ledgers, for the Salespeople's month sheet; credit notes lower invoiced and what their invoice owes).
  const [
    trips,
    attendance,
    expensePolicies,
    commissionPlans,
    commissionSettlements,
    customers,
    salespeople,
    contracts,
    orderLines,
    deliveries,
    invoices,
    invoiceLines,
    payments,
    expenses,
    creditNotes,
  ] = await Promise.all([
    read('trips'),
    read('attendance'),
    read('expensePolicies'),
    read('commissionPlans'),
    read('commissionSettlements'),
    read('customers'),
    read('salespeople'),
    read('contracts'),
    read('orderLines'),
    read('deliveries'),
    read('invoices'),
    read('invoiceLines'),
    read('payments'),
    read('expenses'),
    read('creditNotes'),
  ]);
  // An invoice line has no date of its own: it belongs to the time of its invoice.
  const keptInvoices = new Set(invoices.map((i) => i.invoiceNo));
  return {
    trips,
    attendance,
    expensePolicies,
    commissionPlans,
    commissionSettlements,
    customers,
    salespeople,
    contracts,
    orderLines,
    deliveries,
    invoices,
    invoiceLines: invoiceLines.filter((l) => keptInvoices.has(l.invoiceNo)),
    payments,
    expenses,
    creditNotes,
    // No report figure reads the dunning ledgers (issue 13).
    reminderTerms: [],
    reminderLevels: [],
    reminders: [],
    reminderLines: [],
  };
}
