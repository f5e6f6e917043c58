// Benchmark: statistics over 1,000,000 ledger rows (month, quarter and year by region in one call) vs a bare sum.

import { addDays } from '../shared/dates';
import { ledgerData, type LedgerData } from '../shared/calc/index';
import { mergeAllPeriods } from '../shared/calc/statistics';
import type {
  Contract,
  Delivery,
  Expense,
  Invoice,
  InvoiceLine,
  OrderLine,
  Payment,
  Salesperson,
} from '../shared/ledgers';
import { lineAmount } from '../shared/money';
import { best, fmt, intIn, seeded } from './support';

const TARGET_RATIO = 10;

/**
 * 1,000,000 rows when `contracts` is 25,000: per contract 8 order lines, 8 deliveries (1 a return), 2 invoices of
 * 6 lines, 6 payments and 3 expenses, over three years, 100 salespeople in 7 regions.
 */
export function generate(contracts: number, seed = 7): LedgerData {
  const random = seeded(seed);
  const salespeople: Salesperson[] = [];
  for (let s = 0; s < 100; s++) salespeople.push({ salespersonId: `S${s}`, name: `S${s}`, region: `R${s % 7}` });
  const cs: Contract[] = [];
  const orderLines: OrderLine[] = [];
  const deliveries: Delivery[] = [];
  const invoices: Invoice[] = [];
  const invoiceLines: InvoiceLine[] = [];
  const payments: Payment[] = [];
  const expenses: Expense[] = [];
  for (let c = 0; c < contracts; c++) {
    const contractId = `CT${String(c).padStart(6, '0')}`;
    const signedOn = addDays('2014-01-01', intIn(random, 0, 900));
    const sp = c % 100;
    cs.push({
      contractId,
      customerId: `K${c % 1000}`,
      salespersonId: `S${sp}`,
      region: `R${sp % 7}`,
      signedOn,
      paymentTermsDays: 30,
      currency: 'EUR',
      status: c % 50 === 0 ? 'cancelled' : 'active',
    });
    for (let l = 1; l <= 8; l++)
      orderLines.push({
        contractId,
        lineNo: l,
        itemCode: `IT${l}`,
        quantity: intIn(random, 1, 100),
        unitPrice: intIn(random, 100, 5_000_000),
      });
    for (let d = 0; d < 8; d++) {
      const base = {
        deliveryId: `${contractId}-D${d}`,
        contractId,
        itemCode: `IT${intIn(random, 1, 8)}`,
        quantity: intIn(random, 1, 50),
        date: addDays(signedOn, intIn(random, 1, 120)),
      };
      deliveries.push(d === 7 ? { ...base, kind: 'return', returnReason: 'damaged' } : { ...base, kind: 'delivery' });
    }
    for (let i = 0; i < 2; i++) {
      const invoiceNo = `${contractId}-I${i}`;
      invoices.push({
        invoiceNo,
        contractId,
        issuedOn: addDays(signedOn, 30 + 60 * i),
        dueOn: addDays(signedOn, 60 + 60 * i),
      });
      for (let l = 1; l <= 6; l++)
        invoiceLines.push({
          invoiceNo,
          lineNo: l,
          itemCode: `IT${l}`,
          quantity: intIn(random, 1, 50),
          unitPrice: intIn(random, 100, 5_000_000),
        });
    }
    for (let p = 0; p < 6; p++)
      payments.push({
        paymentId: `${contractId}-P${p}`,
        contractId,
        receivedOn: addDays(signedOn, 40 + 20 * p),
        amount: intIn(random, 100, 10_000_000),
      });
    for (let e = 0; e < 3; e++)
      expenses.push({
        expenseId: `${contractId}-E${e}`,
        salespersonId: `S${sp}`,
        category: 'travel',
        incurredOn: addDays(signedOn, intIn(random, -30, 30)),
        amount: intIn(random, 100, 100_000),
      });
  }
  return ledgerData({ salespeople, contracts: cs, orderLines, deliveries, invoices, invoiceLines, payments, expenses });
}

function rowCount(data: LedgerData): number {
  return (
    data.contracts.length +
    data.orderLines.length +
    data.deliveries.length +
    data.invoices.length +
    data.invoiceLines.length +
    data.payments.length +
    data.expenses.length
  );
}

/**
 * The yardstick: one loop per ledger summing each row's own amount (line amounts for lines, quantities for
 * deliveries, which have no amount of their own), with no lookups, no dates and no grouping.
 */
function bareSum(data: LedgerData): number {
  let sum = data.contracts.length + data.invoices.length;
  for (const l of data.orderLines) sum += lineAmount(l.quantity, l.unitPrice);
  for (const d of data.deliveries) sum += d.quantity;
  for (const l of data.invoiceLines) sum += lineAmount(l.quantity, l.unitPrice);
  for (const p of data.payments) sum += p.amount;
  for (const e of data.expenses) sum += e.amount;
  return sum;
}

export function run(): Promise<void> {
  const data = generate(25_000);
  console.log(`data: ${rowCount(data)} rows`);
  const options = { from: '2014-01-01', to: '2016-12-31', groupBy: 'region' } as const;
  const stats = best(5, () => mergeAllPeriods(data, options));
  const bare = best(5, () => bareSum(data));
  const ratio = stats.ms / bare.ms;
  const rows = stats.result;
  console.log(
    `mergeAllPeriods (month, quarter, year by region): ${fmt(stats.ms)} → ${rows.month?.length} month, ${rows.quarter?.length} quarter, ${rows.year?.length} year rows`,
  );
  console.log(`bare summing loop over the same rows: ${fmt(bare.ms)} (sum ${bare.result})`);
  console.log(`ratio: ${ratio.toFixed(1)}× (target ≤ ${TARGET_RATIO}×: ${ratio <= TARGET_RATIO ? 'met' : 'MISSED'})`);
  return Promise.resolve();
}
