// Shared inputs of the figure calculations: the ledger bundle, an index by contract, and the item rules they share.
//
// Every calculation (statistics, aging, contract performance, invoice check) reads records through this module, so
// each rule that several of them use — an item's unit price is its first order line's, its ordered quantity is summed
// over all its lines, a delivery is valued at that price, an invoice's amount is the sum of its line amounts — is
// written exactly once, here.

import type { IsoDate } from '../dates';
import {
  completeRow,
  type Contract,
  type CreditNote,
  type Customer,
  type Delivery,
  type Expense,
  type Invoice,
  type InvoiceLine,
  type OrderLine,
  type Payment,
  type Reminder,
  type ReminderLevel,
  type ReminderLine,
  type ReminderTerms,
  type Salesperson,
  type Attendance,
  type CommissionPlan,
  type CommissionSettlement,
  type ExpensePolicy,
  type Trip,
} from '../ledgers';
import { lineAmount, type Cents, type Price4 } from '../money';

/** Every ledger's records (approved versions, or pending ones when the caller asks for them). */
export interface LedgerData {
  readonly customers: readonly Customer[];
  readonly salespeople: readonly Salesperson[];
  readonly contracts: readonly Contract[];
  readonly orderLines: readonly OrderLine[];
  readonly deliveries: readonly Delivery[];
  readonly invoices: readonly Invoice[];
  readonly invoiceLines: readonly InvoiceLine[];
  readonly payments: readonly Payment[];
  readonly expenses: readonly Expense[];
  /** Issue #14: credit notes lower their invoice's amount owed and the invoiced figures of their own month. */
  readonly creditNotes: readonly CreditNote[];
  // Issue #14 (no figure of API v1.1 reads them).
  readonly trips: readonly Trip[];
  readonly attendance: readonly Attendance[];
  readonly expensePolicies: readonly ExpensePolicy[];
  readonly commissionPlans: readonly CommissionPlan[];
  readonly commissionSettlements: readonly CommissionSettlement[];
  readonly reminderTerms: readonly ReminderTerms[];
  readonly reminderLevels: readonly ReminderLevel[];
  readonly reminders: readonly Reminder[];
  readonly reminderLines: readonly ReminderLine[];
}

/**
 * The ledgers the stored figures (statistics, aging, contract performance, invoice check) are computed from, which
 * the rollups' rebuild reads. LedgerData also carries issue #14's ledgers for the expense check and commission; the
 * customer file's ledgers (issue 15) are not in it.
 */
export const DATA_LEDGERS = [
  'customers',
  'salespeople',
  'contracts',
  'orderLines',
  'deliveries',
  'invoices',
  'invoiceLines',
  'payments',
  'expenses',
  'creditNotes',
] as const satisfies readonly (keyof LedgerData)[];
export type DataLedger = (typeof DATA_LEDGERS)[number];

/** An empty bundle with some ledgers filled in: handy for tests and for callers that read only a few ledgers. */
export function ledgerData(partial: Partial<LedgerData> = {}): LedgerData {
  return {
    customers: [],
    salespeople: [],
    contracts: [],
    orderLines: [],
    deliveries: [],
    invoices: [],
    invoiceLines: [],
    payments: [],
    expenses: [],
    creditNotes: [],
    trips: [],
    attendance: [],
    expensePolicies: [],
    commissionPlans: [],
    commissionSettlements: [],
    reminderTerms: [],
    reminderLevels: [],
    reminders: [],
    reminderLines: [],
    ...partial,
  };
}

/**
 * Everything hanging off one contract id. This is also the unit a rollup engine reads from storage when one
 * contract's rows change. `contract` is undefined when records name a contract that does not exist (invoices may:
 * that reference is deliberately not enforced).
 */
export interface ContractBundle {
  readonly contractId: string;
  readonly contract: Contract | undefined;
  readonly orderLines: readonly OrderLine[];
  readonly deliveries: readonly Delivery[];
  /** Invoices whose contractId is this contract. */
  readonly invoices: readonly Invoice[];
  /** The lines of those invoices (lines belong to an invoice, so they follow the invoice's contract). */
  readonly invoiceLines: readonly InvoiceLine[];
  /** Payments whose contractId is this contract (whatever invoice they name). */
  readonly payments: readonly Payment[];
  /** Credit notes whose contractId is this contract (their invoice is one of its invoices when written). */
  readonly creditNotes: readonly CreditNote[];
}

/** What the order says about one item of a contract. */
export interface ItemOrder {
  readonly itemCode: string;
  /** The lowest lineNo among the item's order lines: the item's line in contract performance. */
  readonly firstLineNo: number;
  /** The unit price of that first line: the price deliveries are valued at and invoices are checked against. */
  readonly unitPrice: Price4;
  /** Quantity summed over all of the item's order lines. */
  readonly ordered: number;
  /** Σ lineAmount of all of the item's order lines (each line rounded on its own, as it is on the order). */
  readonly orderedAmount: Cents;
}

interface MutableItemOrder {
  itemCode: string;
  firstLineNo: number;
  unitPrice: Price4;
  ordered: number;
  orderedAmount: Cents;
}

/** The items of one contract's order lines, by itemCode. */
export function itemOrders(orderLines: readonly OrderLine[]): ReadonlyMap<string, ItemOrder> {
  const items = new Map<string, MutableItemOrder>();
  for (const line of orderLines) {
    const item = items.get(line.itemCode);
    const amount = lineAmount(line.quantity, line.unitPrice);
    if (item === undefined) {
      items.set(line.itemCode, {
        itemCode: line.itemCode,
        firstLineNo: line.lineNo,
        unitPrice: line.unitPrice,
        ordered: line.quantity,
        orderedAmount: amount,
      });
    } else {
      item.ordered += line.quantity;
      item.orderedAmount += amount;
      if (line.lineNo < item.firstLineNo) {
        item.firstLineNo = line.lineNo;
        item.unitPrice = line.unitPrice;
      }
    }
  }
  return items;
}

/**
 * A delivery's or return's value: its quantity at the item's first-order-line price, rounded half-up per record.
 * An item on no order line has no price, so it is valued at 0 (the ledger refuses such deliveries when written; one
 * can only appear when an order line is changed afterwards).
 */
export function deliveryValue(delivery: Delivery, items: ReadonlyMap<string, ItemOrder>): Cents {
  const item = items.get(delivery.itemCode);
  return item === undefined ? 0 : lineAmount(delivery.quantity, item.unitPrice);
}

/** Σ order line amounts of a contract: its contract value. */
export function orderValue(orderLines: readonly OrderLine[]): Cents {
  let sum = 0;
  for (const line of orderLines) sum += lineAmount(line.quantity, line.unitPrice);
  return sum;
}

/** An invoice's amount: Σ lineAmount of its lines, each rounded on its own as printed on the invoice. */
export function invoiceAmount(lines: readonly InvoiceLine[]): Cents {
  let sum = 0;
  for (const line of lines) sum += lineAmount(line.quantity, line.unitPrice);
  return sum;
}

/**
 * The due date of an invoice. Stored invoices always carry dueOn (the service completes it); a record that does not
 * gets the ledger's own default via completeRow, so the payment-terms rule stays in shared/ledgers.ts.
 */
export function invoiceDueOn(invoice: Invoice, contract: Contract | undefined): IsoDate {
  if (invoice.dueOn !== undefined) return invoice.dueOn;
  const completed = completeRow('invoices', invoice, {
    defaultCurrency: '',
    paymentTermsDays: () => contract?.paymentTermsDays,
  });
  return completed.dueOn ?? invoice.issuedOn;
}

/** The contract's id under each grouping that figures use. */
export type ContractGroupBy = 'region' | 'salesperson' | 'customer' | 'contract';

export function contractGroup(contract: Contract, by: ContractGroupBy): string {
  switch (by) {
    case 'region':
      return contract.region;
    case 'salesperson':
      return contract.salespersonId;
    case 'customer':
      return contract.customerId;
    case 'contract':
      return contract.contractId;
  }
}

/** Records by key and by contract, built once per request and shared by the calculations. */
export interface LedgerIndex {
  readonly contracts: ReadonlyMap<string, Contract>;
  readonly salespeople: ReadonlyMap<string, Salesperson>;
  /** One bundle per contract id named by any record, including ids of contracts that do not exist. */
  readonly bundles: ReadonlyMap<string, ContractBundle>;
  readonly invoices: ReadonlyMap<string, Invoice>;
  /** Invoice lines by invoiceNo, in input order. */
  readonly linesByInvoice: ReadonlyMap<string, readonly InvoiceLine[]>;
}

interface MutableBundle {
  contractId: string;
  contract: Contract | undefined;
  orderLines: OrderLine[];
  deliveries: Delivery[];
  invoices: Invoice[];
  invoiceLines: InvoiceLine[];
  payments: Payment[];
  creditNotes: CreditNote[];
}

/** One pass over every ledger: O(n) with hash maps. */
export function buildIndex(data: LedgerData): LedgerIndex {
  const contracts = new Map<string, Contract>();
  for (const c of data.contracts) contracts.set(c.contractId, c);
  const salespeople = new Map<string, Salesperson>();
  for (const s of data.salespeople) salespeople.set(s.salespersonId, s);

  const bundles = new Map<string, MutableBundle>();
  // Rows read from storage come partitioned by contract, so consecutive records mostly share one: remember the last.
  let last: MutableBundle | undefined;
  const bundle = (contractId: string): MutableBundle => {
    if (last !== undefined && last.contractId === contractId) return last;
    let b = bundles.get(contractId);
    if (b === undefined) {
      b = {
        contractId,
        contract: contracts.get(contractId),
        orderLines: [],
        deliveries: [],
        invoices: [],
        invoiceLines: [],
        payments: [],
        creditNotes: [],
      };
      bundles.set(contractId, b);
    }
    last = b;
    return b;
  };
  for (const c of data.contracts) bundle(c.contractId);
  for (const l of data.orderLines) bundle(l.contractId).orderLines.push(l);
  for (const d of data.deliveries) bundle(d.contractId).deliveries.push(d);
  const invoices = new Map<string, Invoice>();
  const invoiceBundles = new Map<string, MutableBundle>();
  for (const inv of data.invoices) {
    invoices.set(inv.invoiceNo, inv);
    const b = bundle(inv.contractId);
    b.invoices.push(inv);
    invoiceBundles.set(inv.invoiceNo, b);
  }
  const linesByInvoice = new Map<string, InvoiceLine[]>();
  for (const line of data.invoiceLines) {
    const b = invoiceBundles.get(line.invoiceNo);
    // A line whose invoice does not exist belongs to no contract (the ledger refuses such lines when written).
    if (b === undefined) continue;
    b.invoiceLines.push(line);
    const lines = linesByInvoice.get(line.invoiceNo);
    if (lines === undefined) linesByInvoice.set(line.invoiceNo, [line]);
    else lines.push(line);
  }
  for (const p of data.payments) bundle(p.contractId).payments.push(p);
  for (const cn of data.creditNotes) bundle(cn.contractId).creditNotes.push(cn);
  return { contracts, salespeople, bundles, invoices, linesByInvoice };
}

/** The bundle of one contract, without indexing everything else (O(n) filter). */
export function contractBundle(data: LedgerData, contractId: string): ContractBundle {
  const invoices = data.invoices.filter((i) => i.contractId === contractId);
  const invoiceNos = new Set(invoices.map((i) => i.invoiceNo));
  return {
    contractId,
    contract: data.contracts.find((c) => c.contractId === contractId),
    orderLines: data.orderLines.filter((l) => l.contractId === contractId),
    deliveries: data.deliveries.filter((d) => d.contractId === contractId),
    invoices,
    invoiceLines: data.invoiceLines.filter((l) => invoiceNos.has(l.invoiceNo)),
    payments: data.payments.filter((p) => p.contractId === contractId),
    creditNotes: data.creditNotes.filter((cn) => cn.contractId === contractId),
  };
}

/** Groups records by a key, keeping input order within a group. */
export function groupBy<T>(records: readonly T[], key: (record: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const r of records) {
    const k = key(r);
    const g = groups.get(k);
    if (g === undefined) groups.set(k, [r]);
    else g.push(r);
  }
  return groups;
}

/** Code-unit order for ids and dates: deterministic, locale-independent, and what Excel's sort of ids shows. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
