// Invoice check (API.md "Invoice check"): every invoice line against its contract's order and deliveries.
//
// One pass over all invoices in (issuedOn, invoiceNo) order keeps, per contract, the cumulative invoiced quantity of
// each item and a cursor over its deliveries sorted by date, so the whole check is O(n log n) (the sorts) with hash
// maps. Findings come out in that same order, so they need no final sort.

import type { FindingCode, FindingWire } from '../api';
import type { IsoDate } from '../dates';
import type { Delivery, Invoice, InvoiceLine } from '../ledgers';
import { formatUnitPrice, type Price4 } from '../money';
import { buildIndex, compareText, itemOrders, type ContractBundle, type ItemOrder, type LedgerData } from './index';

/** A finding as on the wire: prices as decimal strings (formatUnitPrice), quantities as numbers. */
export type Finding = FindingWire;

export interface InvoiceCheckOptions {
  /** Report findings of these invoices only; quantities still accumulate over all of a contract's invoices. */
  invoiceNos?: readonly string[];
  /** Allowed price deviation in percent of the ordered price; default 0 (exact). */
  priceTolerancePct?: number;
}

/**
 * The tolerance as an integer in units of 0.0001 % (1.5 % → 15000), so the price comparison is exact integer
 * arithmetic. Up to four decimals are taken exactly (the float is within noise of the integer); finer tolerances
 * are rounded to the nearest 0.0001 %.
 */
export function toleranceUnits(priceTolerancePct: number): number {
  if (!Number.isFinite(priceTolerancePct) || priceTolerancePct < 0)
    throw new RangeError('priceTolerancePct must be a non-negative number');
  return Math.round(priceTolerancePct * 10_000);
}

/**
 * |invoiced − ordered| > ordered × tolerance / 100, with tolerance = units / 10⁴ %: compared as
 * |Δ| × 100 × 10⁴ > ordered × units, in BigInt when a product would leave the safe-integer range.
 */
export function priceMismatch(ordered: Price4, invoiced: Price4, units: number): boolean {
  const delta = Math.abs(invoiced - ordered);
  const left = delta * 1_000_000;
  const right = ordered * units;
  if (Number.isSafeInteger(left) && Number.isSafeInteger(right)) return left > right;
  return BigInt(delta) * 1_000_000n > BigInt(ordered) * BigInt(units);
}

/** Invoice order: issuedOn, then invoiceNo. Cumulative quantities and the findings both follow it. */
function byInvoiceOrder(a: Invoice, b: Invoice): number {
  return compareText(a.issuedOn, b.issuedOn) || compareText(a.invoiceNo, b.invoiceNo);
}

interface ContractState {
  items: ReadonlyMap<string, ItemOrder>;
  /** Cumulative invoiced quantity per item over the invoices processed so far. */
  invoiced: Map<string, number>;
  /** The contract's deliveries and returns by date, and how many have been counted into `net`. */
  deliveries: Delivery[];
  counted: number;
  /** Net delivered per item over the deliveries counted so far. */
  net: Map<string, number>;
}

function byDate(a: Delivery, b: Delivery): number {
  return compareText(a.date, b.date);
}

function byLineNo(a: InvoiceLine, b: InvoiceLine): number {
  return a.lineNo - b.lineNo;
}

/** The lines in lineNo order; lines usually arrive sorted, so a copy and sort happen only when they do not. */
function inLineOrder(lines: readonly InvoiceLine[]): readonly InvoiceLine[] {
  for (let i = 1; i < lines.length; i++)
    if ((lines[i] as InvoiceLine).lineNo < (lines[i - 1] as InvoiceLine).lineNo) return [...lines].sort(byLineNo);
  return lines;
}

function newState(bundle: ContractBundle | undefined): ContractState {
  return {
    items: itemOrders(bundle?.orderLines ?? []),
    invoiced: new Map(),
    // Stable sort: deliveries on one date all count together, whatever their order.
    deliveries: [...(bundle?.deliveries ?? [])].sort(byDate),
    counted: 0,
    net: new Map(),
  };
}

/** Counts the contract's deliveries and returns dated on or before `date` into its net quantities. */
function countDeliveriesUpTo(s: ContractState, date: IsoDate): void {
  while (s.counted < s.deliveries.length) {
    const d = s.deliveries[s.counted] as Delivery;
    if (d.date > date) break;
    s.net.set(d.itemCode, (s.net.get(d.itemCode) ?? 0) + (d.kind === 'return' ? -d.quantity : d.quantity));
    s.counted++;
  }
}

function lineFinding(
  invoice: Invoice,
  line: InvoiceLine,
  code: FindingCode,
  expected: string | number | null,
  actual: string | number,
): Finding {
  return { invoiceNo: invoice.invoiceNo, lineNo: line.lineNo, itemCode: line.itemCode, code, expected, actual };
}

/** POST /api/checks/invoices. */
export function checkInvoices(data: LedgerData, options: InvoiceCheckOptions = {}): Finding[] {
  const units = toleranceUnits(options.priceTolerancePct ?? 0);
  const selected = options.invoiceNos === undefined ? undefined : new Set(options.invoiceNos);
  const index = buildIndex(data);
  const states = new Map<string, ContractState>();
  const findings: Finding[] = [];
  const invoices = [...data.invoices].sort(byInvoiceOrder);
  for (const invoice of invoices) {
    const report = selected === undefined || selected.has(invoice.invoiceNo);
    if (!index.contracts.has(invoice.contractId)) {
      if (report)
        findings.push({
          invoiceNo: invoice.invoiceNo,
          lineNo: null,
          itemCode: null,
          code: 'UNKNOWN_CONTRACT',
          expected: null,
          actual: invoice.contractId,
        });
      continue;
    }
    let s = states.get(invoice.contractId);
    if (s === undefined) {
      s = newState(index.bundles.get(invoice.contractId));
      states.set(invoice.contractId, s);
    }
    countDeliveriesUpTo(s, invoice.issuedOn);
    for (const line of inLineOrder(index.linesByInvoice.get(invoice.invoiceNo) ?? [])) {
      const item = s.items.get(line.itemCode);
      if (item === undefined) {
        if (report) findings.push(lineFinding(invoice, line, 'ITEM_NOT_ON_ORDER', null, line.itemCode));
        continue;
      }
      const cumulative = (s.invoiced.get(line.itemCode) ?? 0) + line.quantity;
      s.invoiced.set(line.itemCode, cumulative);
      if (!report) continue;
      // Codes in text order, so findings are sorted by invoice, line and code without a sort.
      if (priceMismatch(item.unitPrice, line.unitPrice, units))
        findings.push(
          lineFinding(
            invoice,
            line,
            'PRICE_MISMATCH',
            formatUnitPrice(item.unitPrice),
            formatUnitPrice(line.unitPrice),
          ),
        );
      const net = s.net.get(line.itemCode) ?? 0;
      if (cumulative > net) findings.push(lineFinding(invoice, line, 'QTY_EXCEEDS_DELIVERED', net, cumulative));
      if (cumulative > item.ordered)
        findings.push(lineFinding(invoice, line, 'QTY_EXCEEDS_ORDERED', item.ordered, cumulative));
    }
  }
  return findings;
}
