// Benchmark: the invoice check over 100,000 invoice lines against a naive nested-loop check scaled from a subset.

import { addDays } from '../shared/dates';
import { checkInvoices, priceMismatch, toleranceUnits, type Finding } from '../shared/calc/invoiceCheck';
import { ledgerData, type LedgerData } from '../shared/calc/index';
import type { Contract, Delivery, Invoice, InvoiceLine, OrderLine } from '../shared/ledgers';
import { formatUnitPrice } from '../shared/money';
import { best, fmt, intIn, seeded } from './support';

const TARGET_MS = 300;

/**
 * `contracts` contracts, each with 10 order lines (items 1–8, two of them on a second line too), 10 deliveries
 * (one a return) that deliver every item in full before the first invoice, and 2 invoices of 5 lines billing items
 * 1–5 half each. Like a real ledger most lines are clean: about 3 % carry a wrong price, 3 % one unit too many,
 * 1 % an item not on the order, and one contract in 997 is unknown.
 */
export function generate(contracts: number, seed = 42): LedgerData {
  const random = seeded(seed);
  const cs: Contract[] = [];
  const orderLines: OrderLine[] = [];
  const deliveries: Delivery[] = [];
  const invoices: Invoice[] = [];
  const invoiceLines: InvoiceLine[] = [];
  for (let c = 0; c < contracts; c++) {
    const contractId = `CT${String(c).padStart(6, '0')}`;
    const signedOn = addDays('2014-01-01', intIn(random, 0, 700));
    cs.push({
      contractId,
      customerId: `K${c % 1000}`,
      salespersonId: `S${c % 100}`,
      region: `R${c % 7}`,
      signedOn,
      paymentTermsDays: 30,
      currency: 'EUR',
      status: 'active',
    });
    const prices: number[] = [];
    const ordered: number[] = [];
    for (let l = 1; l <= 10; l++) {
      const item = l <= 8 ? l : intIn(random, 1, 8);
      const unitPrice = prices[item] ?? intIn(random, 100, 5_000_000);
      const quantity = intIn(random, 2, 100);
      prices[item] = unitPrice;
      ordered[item] = (ordered[item] ?? 0) + quantity;
      orderLines.push({ contractId, lineNo: l, itemCode: `IT${item}`, quantity, unitPrice });
    }
    for (let item = 1; item <= 8; item++) {
      deliveries.push({
        deliveryId: `${contractId}-D${item}`,
        contractId,
        itemCode: `IT${item}`,
        quantity: ordered[item] ?? 0,
        kind: 'delivery',
        date: addDays(signedOn, intIn(random, 1, 20)),
      });
    }
    deliveries.push({
      deliveryId: `${contractId}-D9`,
      contractId,
      itemCode: 'IT1',
      quantity: 1,
      kind: 'return',
      returnReason: 'damaged',
      date: addDays(signedOn, 25),
    });
    deliveries.push({
      deliveryId: `${contractId}-D10`,
      contractId,
      itemCode: 'IT1',
      quantity: 1,
      kind: 'delivery',
      date: addDays(signedOn, 28),
    });
    for (let i = 0; i < 2; i++) {
      const invoiceNo = `${contractId}-I${i}`;
      invoices.push({
        invoiceNo,
        contractId: c % 997 === 0 ? `NOPE${c}` : contractId,
        issuedOn: addDays(signedOn, 30 + 30 * i),
        dueOn: addDays(signedOn, 60 + 30 * i),
      });
      for (let l = 1; l <= 5; l++) {
        const half = Math.floor((ordered[l] ?? 0) / 2);
        const quantity = i === 0 ? half : (ordered[l] ?? 0) - half;
        const r = random();
        invoiceLines.push({
          invoiceNo,
          lineNo: l,
          itemCode: r < 0.01 ? 'IT9' : `IT${l}`,
          quantity: r >= 0.01 && r < 0.04 ? quantity + 1 : quantity,
          unitPrice: r >= 0.04 && r < 0.07 ? (prices[l] ?? 0) + 1 : (prices[l] ?? 0),
        });
      }
    }
  }
  return ledgerData({ contracts: cs, orderLines, deliveries, invoices, invoiceLines });
}

/**
 * The rules read literally with a scan of every ledger for every line: O(lines × records). Kept here only as the
 * yardstick (and as a cross-check of the real implementation on the subset).
 */
export function naiveCheck(data: LedgerData, priceTolerancePct = 0): Finding[] {
  const units = toleranceUnits(priceTolerancePct);
  const findings: Finding[] = [];
  const before = (a: Invoice, b: Invoice) =>
    a.issuedOn < b.issuedOn || (a.issuedOn === b.issuedOn && a.invoiceNo < b.invoiceNo);
  const ordered = [...data.invoices].sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  for (const inv of ordered) {
    if (!data.contracts.some((c) => c.contractId === inv.contractId)) {
      findings.push({
        invoiceNo: inv.invoiceNo,
        lineNo: null,
        itemCode: null,
        code: 'UNKNOWN_CONTRACT',
        expected: null,
        actual: inv.contractId,
      });
      continue;
    }
    const lines = data.invoiceLines.filter((l) => l.invoiceNo === inv.invoiceNo).sort((a, b) => a.lineNo - b.lineNo);
    for (const line of lines) {
      const orders = data.orderLines.filter((o) => o.contractId === inv.contractId && o.itemCode === line.itemCode);
      if (orders.length === 0) {
        findings.push({
          invoiceNo: inv.invoiceNo,
          lineNo: line.lineNo,
          itemCode: line.itemCode,
          code: 'ITEM_NOT_ON_ORDER',
          expected: null,
          actual: line.itemCode,
        });
        continue;
      }
      const first = orders.reduce((a, b) => (b.lineNo < a.lineNo ? b : a));
      const orderedQty = orders.reduce((s, o) => s + o.quantity, 0);
      let cumulative = 0;
      for (const other of data.invoices) {
        if (other.contractId !== inv.contractId || before(inv, other)) continue;
        for (const l of data.invoiceLines)
          if (
            l.invoiceNo === other.invoiceNo &&
            l.itemCode === line.itemCode &&
            (other !== inv || l.lineNo <= line.lineNo)
          )
            cumulative += l.quantity;
      }
      let net = 0;
      for (const d of data.deliveries)
        if (d.contractId === inv.contractId && d.itemCode === line.itemCode && d.date <= inv.issuedOn)
          net += d.kind === 'return' ? -d.quantity : d.quantity;
      const base = { invoiceNo: inv.invoiceNo, lineNo: line.lineNo, itemCode: line.itemCode };
      if (priceMismatch(first.unitPrice, line.unitPrice, units))
        findings.push({
          ...base,
          code: 'PRICE_MISMATCH',
          expected: formatUnitPrice(first.unitPrice),
          actual: formatUnitPrice(line.unitPrice),
        });
      if (cumulative > net)
        findings.push({ ...base, code: 'QTY_EXCEEDS_DELIVERED', expected: net, actual: cumulative });
      if (cumulative > orderedQty)
        findings.push({ ...base, code: 'QTY_EXCEEDS_ORDERED', expected: orderedQty, actual: cumulative });
    }
  }
  return findings;
}

export function run(): Promise<void> {
  const full = generate(10_000);
  console.log(
    `data: ${full.invoiceLines.length} invoice lines, ${full.orderLines.length} order lines, ${full.deliveries.length} deliveries, ${full.invoices.length} invoices`,
  );
  const fast = best(5, () => checkInvoices(full));
  console.log(
    `checkInvoices, full data: ${fmt(fast.ms)} (target ≤ ${TARGET_MS} ms: ${fast.ms <= TARGET_MS ? 'met' : 'MISSED'}), ${fast.result.length} findings`,
  );

  const subset = generate(200);
  const n = subset.invoiceLines.length;
  const naive = best(1, () => naiveCheck(subset));
  const same = JSON.stringify(naive.result) === JSON.stringify(checkInvoices(subset));
  // The naive check scans every ledger per line: lines × records, both growing with the data, so time ∝ size².
  const scale = (full.invoiceLines.length / n) ** 2;
  const naiveFull = naive.ms * scale;
  console.log(
    `naive nested loops, ${n}-line subset: ${fmt(naive.ms)} (same findings as checkInvoices: ${same ? 'yes' : 'NO'})`,
  );
  console.log(`naive scaled by (${full.invoiceLines.length}/${n})² = ${scale}: ≈ ${(naiveFull / 1000).toFixed(1)} s`);
  console.log(`ratio naive-scaled / checkInvoices: ≈ ${Math.round(naiveFull / fast.ms)}×`);
  if (!same) process.exitCode = 1;
  return Promise.resolve();
}
