// Benchmark: the invoice check over 100,000 invoice lines against a naive nested-loop check scaled from a subset.

import { addDays } from '../shared/dates';
import { checkInvoices, priceMismatch, toleranceUnits, type Finding } from '../shared/calc/invoiceCheck';
import { ledgerData, type LedgerData } from '../shared/calc/index';
import type { Contract, Delivery, Invoice, InvoiceLine, OrderLine } from '../shared/ledgers';
import { formatUnitPrice } from '../shared/money';
import { best, fmt, intIn, seeded } from './support';

const TARGET_MS = 300;

/**
 * `contracts` contracts, each with 10 order lines (an item now and then on two lines), 10 deliveries (some returns)
 * and 2 invoices of 5 lines; some lines off in price or quantity so that findings are produced.
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
    for (let l = 1; l <= 10; l++) {
      const item = l <= 8 ? l : intIn(random, 1, 8);
      const unitPrice = prices[item] ?? intIn(random, 100, 5_000_000);
      prices[item] = unitPrice;
      orderLines.push({ contractId, lineNo: l, itemCode: `IT${item}`, quantity: intIn(random, 1, 100), unitPrice });
    }
    for (let d = 0; d < 10; d++) {
      const returned = d === 9;
      const base = {
        deliveryId: `${contractId}-D${d}`,
        contractId,
        itemCode: `IT${intIn(random, 1, 8)}`,
        quantity: intIn(random, 1, returned ? 5 : 80),
        date: addDays(signedOn, intIn(random, 1, 60)),
      };
      deliveries.push(returned ? { ...base, kind: 'return', returnReason: 'damaged' } : { ...base, kind: 'delivery' });
    }
    for (let i = 0; i < 2; i++) {
      const invoiceNo = `${contractId}-I${i}`;
      invoices.push({
        invoiceNo,
        contractId: c % 997 === 0 ? `NOPE${c}` : contractId,
        issuedOn: addDays(signedOn, 30 + 30 * i),
        dueOn: addDays(signedOn, 60 + 30 * i),
      });
      for (let l = 1; l <= 5; l++) {
        const item = intIn(random, 1, 9);
        const price = prices[item] ?? 12_345;
        invoiceLines.push({
          invoiceNo,
          lineNo: l,
          itemCode: `IT${item}`,
          quantity: intIn(random, 1, 60),
          unitPrice: random() < 0.05 ? price + 1 : price,
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
