// Contract performance (API.md "Contract performance"): per item ordered, delivered, invoiced and paid, over all dates.
//
// Items that are on no order line get no line: a line is "an ordered item under the lineNo of its first order line",
// and an unordered item has neither a lineNo nor an ordered quantity to measure against. Their money still shows:
// invoice lines of unordered items count in totals.invoicedAmount (they were billed), and deliveries of unordered items
// are valued at 0 in totals.deliveredAmount because they have no order price (the same rule as statistics). The
// invoice check reports such lines as ITEM_NOT_ON_ORDER.

import { DEFAULT_CURRENCY, roundHalfUpDiv, lineAmount, type Cents } from '../money';
import {
  buildIndex,
  compareText,
  contractBundle,
  deliveryValue,
  itemOrders,
  type ContractBundle,
  type LedgerData,
} from './index';

export interface PerformanceLine {
  lineNo: number;
  itemCode: string;
  ordered: number;
  delivered: number;
  returned: number;
  netDelivered: number;
  invoiced: number;
  orderedAmount: Cents;
  invoicedAmount: Cents;
  /** netDelivered / ordered × 100, rounded half-up to one decimal. */
  fulfilledPct: number;
}

export interface PerformanceTotals {
  orderedAmount: Cents;
  /** Gross of returns, valued like `delivered` in statistics. */
  deliveredAmount: Cents;
  /** Σ invoice line amounts less Σ credit notes (so it may differ from the sum of the lines' invoicedAmount). */
  invoicedAmount: Cents;
  collected: Cents;
  /** invoicedAmount − collected; negative when the contract is overpaid. */
  receivable: Cents;
}

export interface ContractPerformance {
  contractId: string;
  /** The contract's currency (else the house currency): every amount of the contract is in it. */
  currency: string;
  lines: PerformanceLine[];
  totals: PerformanceTotals;
}

/** Percent with one decimal, half-up, in integer arithmetic: 2/3 → 66.7, 1/8 → 12.5. */
export function percentOneDecimal(part: number, whole: number): number {
  // `+ 0` turns a -0 (a tiny negative rounded away) into 0.
  return roundHalfUpDiv(part * 1000, whole) / 10 + 0;
}

interface Counts {
  delivered: number;
  returned: number;
  invoiced: number;
  invoicedAmount: Cents;
}

const NO_COUNTS: Readonly<Counts> = { delivered: 0, returned: 0, invoiced: 0, invoicedAmount: 0 };

/**
 * Performance of one contract's bundle; undefined when the contract does not exist. Amounts are in the contract's
 * currency, or `houseCurrency` when it has none.
 */
export function performanceOf(
  bundle: ContractBundle,
  houseCurrency = DEFAULT_CURRENCY,
): ContractPerformance | undefined {
  if (bundle.contract === undefined) return undefined;
  const items = itemOrders(bundle.orderLines);
  const counts = new Map<string, Counts>();
  const countsOf = (itemCode: string): Counts => {
    let c = counts.get(itemCode);
    if (c === undefined) {
      c = { ...NO_COUNTS };
      counts.set(itemCode, c);
    }
    return c;
  };
  let deliveredAmount = 0;
  for (const d of bundle.deliveries) {
    const c = countsOf(d.itemCode);
    if (d.kind === 'return') c.returned += d.quantity;
    else {
      c.delivered += d.quantity;
      deliveredAmount += deliveryValue(d, items);
    }
  }
  let invoicedAmount = 0;
  for (const line of bundle.invoiceLines) {
    const amount = lineAmount(line.quantity, line.unitPrice);
    const c = countsOf(line.itemCode);
    c.invoiced += line.quantity;
    c.invoicedAmount += amount;
    invoicedAmount += amount;
  }
  // Credit notes are amounts, not items: they lower the total invoiced, not any line's.
  for (const cn of bundle.creditNotes) invoicedAmount -= cn.amount;
  let collected = 0;
  for (const p of bundle.payments) collected += p.amount;

  let orderedAmount = 0;
  const lines: PerformanceLine[] = [];
  for (const item of items.values()) {
    const c = counts.get(item.itemCode) ?? NO_COUNTS;
    const netDelivered = c.delivered - c.returned;
    orderedAmount += item.orderedAmount;
    lines.push({
      lineNo: item.firstLineNo,
      itemCode: item.itemCode,
      ordered: item.ordered,
      delivered: c.delivered,
      returned: c.returned,
      netDelivered,
      invoiced: c.invoiced,
      orderedAmount: item.orderedAmount,
      invoicedAmount: c.invoicedAmount,
      fulfilledPct: percentOneDecimal(netDelivered, item.ordered),
    });
  }
  lines.sort((a, b) => a.lineNo - b.lineNo);
  return {
    contractId: bundle.contractId,
    currency: bundle.contract.currency ?? houseCurrency,
    lines,
    totals: { orderedAmount, deliveredAmount, invoicedAmount, collected, receivable: invoicedAmount - collected },
  };
}

function isBundle(source: LedgerData | ContractBundle): source is ContractBundle {
  return 'contractId' in source;
}

/**
 * GET /api/contracts/{contractId}/performance, from all ledgers or from the contract's own bundle.
 * Undefined when the contract does not exist (a 404 for the handler).
 */
export function contractPerformance(
  source: LedgerData | ContractBundle,
  contractId: string,
  houseCurrency = DEFAULT_CURRENCY,
): ContractPerformance | undefined {
  if (isBundle(source)) return source.contractId === contractId ? performanceOf(source, houseCurrency) : undefined;
  return performanceOf(contractBundle(source, contractId), houseCurrency);
}

/**
 * True when something of the contract is still open: money invoiced and not collected, or — unless the contract is
 * cancelled, when nothing more will be delivered or invoiced — an ordered item not fully delivered (net of returns)
 * or not fully invoiced.
 */
export function hasOpenItems(performance: ContractPerformance, cancelled: boolean): boolean {
  if (performance.totals.receivable > 0) return true;
  if (cancelled) return false;
  return performance.lines.some((l) => l.netDelivered < l.ordered || l.invoiced < l.ordered);
}

/** The report's "Contract performance" sheet: every existing contract with anything open, by contractId. */
export function contractsWithOpenItems(data: LedgerData, houseCurrency = DEFAULT_CURRENCY): ContractPerformance[] {
  const result: ContractPerformance[] = [];
  for (const bundle of buildIndex(data).bundles.values()) {
    const perf = performanceOf(bundle, houseCurrency);
    if (perf !== undefined && hasOpenItems(perf, bundle.contract?.status === 'cancelled')) result.push(perf);
  }
  return result.sort((a, b) => compareText(a.contractId, b.contractId));
}
