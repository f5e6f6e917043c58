// Receivables aging (API.md "Receivables aging"): payments allocated to invoices per contract, outstanding by age.
//
// Refunds (issue #14): a payment with a negative amount is money paid back to the customer (the payments ledger
// refuses an amount of 0, shared/ledgers.ts).
// * Payments and refunds are processed together in receivedOn order, then paymentId.
// * A refund first takes back the contract's unapplied money (a refund of an overpayment, the common case).
// * Whatever is left reopens invoices by reversing earlier allocations: those of the invoice the refund names first
//   (when it is the contract's and issued by asOf, as for payments), then the most recent ones (latest payment, then
//   latest due date, then the higher invoiceNo). Each reversal is an Allocation with a negative amount naming the refund and
//   the invoice, and the allocation whose money it takes back (`reverses`); a reopened invoice is outstanding again
//   and aged from its own due date, and a later payment settles it again like any open invoice.
// * A refund larger than everything the contract holds leaves negative unapplied money: the customer owes it back.
//   A later payment settles open invoices first, and only what is left makes up that negative unapplied money.

import { daysBetween, type IsoDate } from '../dates';
import type { Contract, Invoice, Payment } from '../ledgers';
import { DEFAULT_CURRENCY, type Cents } from '../money';
import {
  buildIndex,
  compareText,
  contractGroup,
  groupBy as groupRecords,
  invoiceAmount,
  invoiceDueOn,
  type ContractBundle,
  type LedgerData,
} from './index';

/** How receivables rows are grouped (`groupBy` of GET /api/receivables); here so shared/api.ts and this file do not import each other. */
export const RECEIVABLES_GROUP_BY = ['customer', 'contract', 'region', 'salesperson'] as const;
export type ReceivablesGroupBy = (typeof RECEIVABLES_GROUP_BY)[number];

export const AGING_BUCKETS = ['current', 'd1_30', 'd31_60', 'd61_90', 'd91_120', 'over120'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

/** The amounts of a receivables row in column order: the aging buckets, then the total and unapplied payments. */
export const RECEIVABLES_AMOUNTS = [...AGING_BUCKETS, 'total', 'unapplied'] as const;
export type ReceivablesAmount = (typeof RECEIVABLES_AMOUNTS)[number];

/** What people read for each amount: column headers in the add-in's tables and in report workbooks. */
export const RECEIVABLES_AMOUNT_LABELS: Record<ReceivablesAmount, string> = {
  current: 'Current',
  d1_30: '1–30 days',
  d31_60: '31–60 days',
  d61_90: '61–90 days',
  d91_120: '91–120 days',
  over120: 'Over 120 days',
  total: 'Total',
  unapplied: 'Unapplied',
};

/** Days overdue = asOf − dueOn; not yet overdue (≤ 0) is current. */
export function agingBucket(daysOverdue: number): AgingBucket {
  if (daysOverdue <= 0) return 'current';
  if (daysOverdue <= 30) return 'd1_30';
  if (daysOverdue <= 60) return 'd31_60';
  if (daysOverdue <= 90) return 'd61_90';
  if (daysOverdue <= 120) return 'd91_120';
  return 'over120';
}

/** A receivables row in cents. */
export interface ReceivablesFigures {
  group: string;
  /** The currency of every amount of the row: a group with contracts in two currencies has two rows. */
  currency: string;
  current: Cents;
  d1_30: Cents;
  d31_60: Cents;
  d61_90: Cents;
  d91_120: Cents;
  over120: Cents;
  /** Sum of the buckets. */
  total: Cents;
  /**
   * Payments beyond what the group's contracts owe, summed per contract (never netted against another's debt);
   * negative money is refunds paid back beyond what a contract held (the customer owes it back).
   */
  unapplied: Cents;
}

/** One invoice's state as of a date, for the report's and the add-in's aging sheets. */
export interface OutstandingInvoice {
  invoiceNo: string;
  contractId: string;
  customerId: string;
  issuedOn: IsoDate;
  dueOn: IsoDate;
  amount: Cents;
  outstanding: Cents;
  daysOverdue: number;
  bucket: AgingBucket;
}

export interface ReceivablesOptions {
  asOf: IsoDate;
  groupBy: ReceivablesGroupBy;
  /** The currency of contracts without one; default DEFAULT_CURRENCY. */
  houseCurrency?: string;
}

/** One contract aged as of a date: every invoice issued by then with what is still owed, and its unapplied money. */
export interface ContractAging {
  contract: Contract;
  invoices: OutstandingInvoice[];
  unapplied: Cents;
}

export interface OpenInvoice {
  invoice: Invoice;
  dueOn: IsoDate;
  /** What the invoice asks for: its lines less its credit notes issued by asOf, never below 0. */
  amount: Cents;
  outstanding: Cents;
}

function byDueThenNo(a: OpenInvoice, b: OpenInvoice): number {
  return compareText(a.dueOn, b.dueOn) || compareText(a.invoice.invoiceNo, b.invoice.invoiceNo);
}

function byReceivedThenId(a: Payment, b: Payment): number {
  return compareText(a.receivedOn, b.receivedOn) || compareText(a.paymentId, b.paymentId);
}

/**
 * One step of the allocation: part of a payment settling an invoice (commission is earned per allocation), or part
 * of a refund reopening it (a reversal: negative amount, and the allocation whose money it takes back).
 */
export interface Allocation {
  payment: Payment;
  invoice: Invoice;
  dueOn: IsoDate;
  amount: Cents;
  /** A reversal's original allocation, a payment's (positive) one; undefined for a payment's own allocation. */
  reverses?: Allocation;
}

/** A payment's allocation and what refunds have left of it. */
interface Held {
  allocation: Allocation;
  entry: OpenInvoice;
  /** The payment's place in processing order. */
  order: number;
  left: Cents;
}

/** The order refunds reverse allocations in: the most recent payment first, then the latest due date, invoiceNo. */
function latestFirst(a: Held, b: Held): number {
  return b.order - a.order || byDueThenNo(b.entry, a.entry);
}

/** A contract's invoices as of a date after its payments were allocated, the allocations made, and the rest. */
export interface ContractAllocation {
  contract: Contract;
  open: readonly OpenInvoice[];
  allocations: Allocation[];
  /** Money held beyond what the contract owes; negative when refunds paid back more than it held. */
  unapplied: Cents;
}

/**
 * Allocates one contract's payments as of `asOf` (API.md "Receivables aging"): the one rule that decides which
 * invoice a payment settles, used by the aging and by commission. Undefined when the contract does not exist: its
 * invoices (and any payments naming it) are left out of receivables.
 *
 * A payment's invoiceNo is honoured only when that invoice belongs to the payment's contract and was issued by asOf;
 * otherwise the payment is treated like one without invoiceNo; a refund's invoiceNo, honoured alike, names the
 * invoice it reopens first. Money never crosses contracts.
 * Credit notes issued by asOf lower their invoice's amount before any payment is allocated, so a credit on a paid
 * invoice frees that payment's money for the next open invoice; a credit beyond its invoice's amount (or on an
 * invoice that is not an open one of the contract) is unapplied money of the contract, which a refund takes back
 * first like any unapplied money.
 */
export function allocateContract(bundle: ContractBundle, asOf: IsoDate): ContractAllocation | undefined {
  const contract = bundle.contract;
  if (contract === undefined) return undefined;
  const open: OpenInvoice[] = [];
  const byNo = new Map<string, OpenInvoice>();
  const lines = groupRecords(bundle.invoiceLines, (l) => l.invoiceNo);
  const credits = creditsAsOf(bundle, asOf);
  let overCredited = 0;
  for (const invoice of bundle.invoices) {
    if (invoice.issuedOn > asOf) continue;
    const billed = invoiceAmount(lines.get(invoice.invoiceNo) ?? []);
    const credited = credits.get(invoice.invoiceNo) ?? 0;
    credits.delete(invoice.invoiceNo);
    // Owed: the lines less the invoice's credit notes, never below 0; a credit beyond that is the contract's money.
    const amount = Math.max(0, billed - credited);
    overCredited += credited - (billed - amount);
    const entry = { invoice, dueOn: invoiceDueOn(invoice, contract), amount, outstanding: amount };
    open.push(entry);
    byNo.set(invoice.invoiceNo, entry);
  }
  // Credit notes whose invoice is not an open one of this contract as of asOf credit the contract as a whole.
  for (const rest of credits.values()) overCredited += rest;
  open.sort(byDueThenNo);
  const payments = bundle.payments.filter((p) => p.receivedOn <= asOf).sort(byReceivedThenId);

  const allocations: Allocation[] = [];
  const held: Held[] = [];
  let order = 0;
  const settle = (payment: Payment, entry: OpenInvoice, rest: Cents): Cents => {
    const take = Math.min(entry.outstanding, rest);
    entry.outstanding -= take;
    if (take > 0) {
      const allocation: Allocation = { payment, invoice: entry.invoice, dueOn: entry.dueOn, amount: take };
      allocations.push(allocation);
      held.push({ allocation, entry, order, left: take });
    }
    return take;
  };
  const position = new Map(open.map((e, i) => [e, i]));
  // Invoices before `next` are fully settled: payments only lower outstanding, and a refund that reopens an invoice
  // moves the cursor back to it.
  let next = 0;
  let unapplied = overCredited;
  /** Reverses up to `rest` of earlier allocations for a refund (see the file comment); returns what it reversed. */
  const reverse = (refund: Payment, named: OpenInvoice | undefined, rest: Cents): Cents => {
    const candidates = held
      .filter((h) => h.left > 0)
      .sort((a, b) => Number(b.entry === named) - Number(a.entry === named) || latestFirst(a, b));
    let reversed = 0;
    for (const h of candidates) {
      if (reversed === rest) break;
      const take = Math.min(h.left, rest - reversed);
      h.left -= take;
      h.entry.outstanding += take;
      reversed += take;
      allocations.push({
        payment: refund,
        invoice: h.entry.invoice,
        dueOn: h.entry.dueOn,
        amount: -take,
        reverses: h.allocation,
      });
      next = Math.min(next, position.get(h.entry) as number);
    }
    return reversed;
  };
  for (const p of payments) {
    order++;
    const named = p.invoiceNo === undefined ? undefined : byNo.get(p.invoiceNo);
    if (p.amount < 0) {
      let rest = -p.amount;
      const back = Math.min(Math.max(unapplied, 0), rest);
      unapplied -= back;
      rest -= back;
      if (rest > 0) rest -= reverse(p, named, rest);
      unapplied -= rest;
      continue;
    }
    let rest = p.amount;
    if (named !== undefined) rest -= settle(p, named, rest);
    while (rest > 0 && next < open.length) {
      const entry = open[next] as OpenInvoice;
      rest -= settle(p, entry, rest);
      if (entry.outstanding === 0) next++;
    }
    unapplied += rest;
  }
  return { contract, open, allocations, unapplied };
}

/** Σ amount of the contract's credit notes issued on or before asOf, by the invoice they credit. */
function creditsAsOf(bundle: ContractBundle, asOf: IsoDate): Map<string, Cents> {
  const credits = new Map<string, Cents>();
  for (const cn of bundle.creditNotes)
    if (cn.issuedOn <= asOf) credits.set(cn.invoiceNo, (credits.get(cn.invoiceNo) ?? 0) + cn.amount);
  return credits;
}

/** Allocates one contract's payments as of `asOf` and ages what is still owed (see allocateContract). */
export function ageContract(bundle: ContractBundle, asOf: IsoDate): ContractAging | undefined {
  const allocated = allocateContract(bundle, asOf);
  if (allocated === undefined) return undefined;
  const { contract, open, unapplied } = allocated;
  const invoices = open.map((e): OutstandingInvoice => {
    const daysOverdue = daysBetween(e.dueOn, asOf);
    return {
      invoiceNo: e.invoice.invoiceNo,
      contractId: contract.contractId,
      customerId: contract.customerId,
      issuedOn: e.invoice.issuedOn,
      dueOn: e.dueOn,
      amount: e.amount,
      outstanding: e.outstanding,
      daysOverdue,
      bucket: agingBucket(daysOverdue),
    };
  });
  return { contract, invoices, unapplied };
}

/** Every contract aged as of a date (contracts that exist only), in contractId order. */
export function ageAll(data: LedgerData, asOf: IsoDate): ContractAging[] {
  const result: ContractAging[] = [];
  for (const bundle of buildIndex(data).bundles.values()) {
    const aged = ageContract(bundle, asOf);
    if (aged !== undefined) result.push(aged);
  }
  return result.sort((a, b) => compareText(a.contract.contractId, b.contract.contractId));
}

/** Invoices with money still owed as of a date, oldest due first (then invoiceNo). */
export function outstandingInvoices(data: LedgerData, asOf: IsoDate): OutstandingInvoice[] {
  return ageAll(data, asOf)
    .flatMap((a) => a.invoices.filter((i) => i.outstanding > 0))
    .sort((a, b) => compareText(a.dueOn, b.dueOn) || compareText(a.invoiceNo, b.invoiceNo));
}

/** A receivables row of zeros (the start of a group's row, and a statement's aging when nothing is owed). */
export function emptyRow(group: string, currency: string): ReceivablesFigures {
  return {
    group,
    currency,
    current: 0,
    d1_30: 0,
    d31_60: 0,
    d61_90: 0,
    d91_120: 0,
    over120: 0,
    total: 0,
    unapplied: 0,
  };
}

/**
 * Rows of aged contracts by group and currency (a contract's own, else `houseCurrency`): all-zero rows omitted,
 * sorted by group then currency. Amounts of different currencies are never added together.
 */
export function receivablesRows(
  aged: Iterable<ContractAging>,
  groupBy: ReceivablesGroupBy,
  houseCurrency = DEFAULT_CURRENCY,
): ReceivablesFigures[] {
  const rows = new Map<string, ReceivablesFigures>();
  for (const a of aged) {
    const group = contractGroup(a.contract, groupBy);
    const currency = a.contract.currency ?? houseCurrency;
    const key = `${group}\u0000${currency}`;
    let row = rows.get(key);
    if (row === undefined) {
      row = emptyRow(group, currency);
      rows.set(key, row);
    }
    for (const i of a.invoices) {
      row[i.bucket] += i.outstanding;
      row.total += i.outstanding;
    }
    row.unapplied += a.unapplied;
  }
  return [...rows.values()]
    .filter((r) => r.total !== 0 || r.unapplied !== 0)
    .sort((a, b) => compareText(a.group, b.group) || compareText(a.currency, b.currency));
}

/** GET /api/receivables. */
export function computeReceivables(data: LedgerData, options: ReceivablesOptions): ReceivablesFigures[] {
  return receivablesRows(ageAll(data, options.asOf), options.groupBy, options.houseCurrency);
}
