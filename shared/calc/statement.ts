// Customer statement (issue 13 §2): opening balance, each invoice and payment of a period in date order with a
// running balance, closing balance and aging as of the period's last day. A refund (a negative payment, issue #14) is
// its own kind of line, a debit: money paid back to the customer raises what they owe, never a negative credit. Built on the receivables rules
// (aging.ts): the same contracts (those that exist), the same invoice amounts, the same payments, so the closing
// balance equals the customer's receivables as of `to`, total − unapplied, to the cent. Credit notes (issue #14) are
// credits on their issue date, like payments: aging lowers their invoice by them, so the two still agree.

import type { IsoDate } from '../dates';
import { DomainError } from '../errors';
import { DEFAULT_CURRENCY, type Cents } from '../money';
import { ageContract, emptyRow, receivablesRows, type ContractAging, type ReceivablesFigures } from './aging';
import {
  buildIndex,
  compareText,
  groupBy as groupRecords,
  invoiceAmount,
  invoiceDueOn,
  type LedgerData,
} from './index';

export interface StatementLine {
  date: IsoDate;
  kind: 'invoice' | 'payment' | 'refund' | 'creditNote';
  /** The invoice number, the payment (or refund) id or the credit note number. */
  ref: string;
  contractId: string;
  currency: string;
  /** An invoice's due date; undefined for the other kinds (payments, refunds, credit notes). */
  dueOn?: IsoDate;
  /** The invoice a payment or refund names, if any, or the invoice a credit note credits. */
  invoiceNo?: string;
  /** Invoice amount, or the money a refund paid back (payments and credit notes: 0). */
  debit: Cents;
  /** Payment or credit note amount (invoices and refunds: 0). */
  credit: Cents;
  /** Opening balance + every debit − every credit up to and including this line. */
  balance: Cents;
}

export interface CustomerStatement {
  customerId: string;
  from: IsoDate;
  to: IsoDate;
  /** Invoices issued before `from` less payments received and credit notes issued before it, plus refunds paid before it. */
  openingBalance: Cents;
  lines: StatementLine[];
  closingBalance: Cents;
  /** The customer's receivables row as of `to` (all zero when nothing is owed). */
  aging: ReceivablesFigures;
  /** The currencies of the customer's contracts, sorted. */
  currencies: string[];
}

const KIND_ORDER: Record<StatementLine['kind'], number> = { invoice: 0, creditNote: 1, payment: 2, refund: 3 };

function byDateKindRef(a: StatementLine, b: StatementLine): number {
  // On one day invoices come before credit notes and payments, so crediting or paying a same-day invoice never
  // shows a credit balance; refunds come last.
  return compareText(a.date, b.date) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || compareText(a.ref, b.ref);
}

/** The currencies of a customer's contracts (a contract without one: `houseCurrency`), sorted. */
export function customerCurrencies(data: LedgerData, customerId: string, houseCurrency = DEFAULT_CURRENCY): string[] {
  const set = new Set<string>();
  for (const c of data.contracts) if (c.customerId === customerId) set.add(c.currency ?? houseCurrency);
  return [...set].sort();
}

/**
 * One customer's statement for from..to (both inclusive). With `currency`, only the contracts in that currency (a
 * contract without one counts in `houseCurrency`): balances never add amounts of two currencies, so a customer with
 * contracts in several currencies has one statement per currency (customerCurrencies lists them).
 */
export function customerStatement(
  data: LedgerData,
  customerId: string,
  from: IsoDate,
  to: IsoDate,
  currency?: string,
  houseCurrency = DEFAULT_CURRENCY,
): CustomerStatement {
  let opening = 0;
  const lines: StatementLine[] = [];
  const aged: ContractAging[] = [];
  const currencies = new Set<string>();
  for (const bundle of buildIndex(data).bundles.values()) {
    const contract = bundle.contract;
    if (contract === undefined || contract.customerId !== customerId) continue;
    const contractCurrency = contract.currency ?? houseCurrency;
    if (currency !== undefined && contractCurrency !== currency) continue;
    currencies.add(contractCurrency);
    const byInvoice = groupRecords(bundle.invoiceLines, (l) => l.invoiceNo);
    for (const invoice of bundle.invoices) {
      if (invoice.issuedOn > to) continue;
      const amount = invoiceAmount(byInvoice.get(invoice.invoiceNo) ?? []);
      if (invoice.issuedOn < from) opening += amount;
      else
        lines.push({
          date: invoice.issuedOn,
          kind: 'invoice',
          ref: invoice.invoiceNo,
          contractId: contract.contractId,
          currency: contractCurrency,
          dueOn: invoiceDueOn(invoice, contract),
          debit: amount,
          credit: 0,
          balance: 0,
        });
    }
    for (const p of bundle.payments) {
      if (p.receivedOn > to) continue;
      if (p.receivedOn < from) opening -= p.amount;
      else
        lines.push({
          date: p.receivedOn,
          kind: p.amount < 0 ? 'refund' : 'payment',
          ref: p.paymentId,
          contractId: contract.contractId,
          currency: contractCurrency,
          ...(p.invoiceNo !== undefined ? { invoiceNo: p.invoiceNo } : {}),
          debit: p.amount < 0 ? -p.amount : 0,
          credit: p.amount < 0 ? 0 : p.amount,
          balance: 0,
        });
    }
    for (const cn of bundle.creditNotes) {
      if (cn.issuedOn > to) continue;
      if (cn.issuedOn < from) opening -= cn.amount;
      else
        lines.push({
          date: cn.issuedOn,
          kind: 'creditNote',
          ref: cn.creditNoteNo,
          contractId: contract.contractId,
          currency: contractCurrency,
          invoiceNo: cn.invoiceNo,
          debit: 0,
          credit: cn.amount,
          balance: 0,
        });
    }
    const a = ageContract(bundle, to);
    if (a !== undefined) aged.push(a);
  }
  if (currency === undefined && currencies.size > 1)
    throw new DomainError(
      'mixed_currencies',
      `Customer ${customerId} has contracts in ${[...currencies].sort().join(' and ')}: ask for the statement of one currency.`,
    );
  lines.sort(byDateKindRef);
  let balance = opening;
  for (const l of lines) {
    balance += l.debit - l.credit;
    l.balance = balance;
  }
  const aging =
    receivablesRows(aged, 'customer', houseCurrency)[0] ??
    emptyRow(customerId, currency ?? [...currencies][0] ?? houseCurrency);
  return {
    customerId,
    from,
    to,
    openingBalance: opening,
    lines,
    closingBalance: balance,
    aging,
    currencies: [...currencies].sort(),
  };
}
