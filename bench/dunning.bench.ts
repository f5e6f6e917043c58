// Benchmark: a dunning proposal over 10,000 open invoices, as a ratio to receivables aging (one allocation pass) over
// the same ledgers in the same run.

import { computeReceivables } from '../shared/calc/aging';
import { proposeReminders, type DunningInput } from '../shared/calc/dunning';
import { ledgerData } from '../shared/calc/index';
import { addDays } from '../shared/dates';
import type { Contract, Customer, Invoice, InvoiceLine, Payment } from '../shared/ledgers';
import { best, fmt, intIn, seeded } from './support';

const AS_OF = '2016-12-31';

/**
 * 2,000 contracts of 500 customers, 5 invoices each (10,000, all issued by AS_OF), one in three contracts with a
 * partial payment of its first invoice during the year; customers on three-level terms with interest from level 2.
 */
export function generate(seed = 13): DunningInput {
  const random = seeded(seed);
  const customers: Customer[] = [];
  for (let k = 0; k < 500; k++)
    customers.push({ customerId: `K${k}`, name: `K${k}`, region: 'East', reminderTermsCode: 'STD' });
  const contracts: Contract[] = [];
  const invoices: Invoice[] = [];
  const invoiceLines: InvoiceLine[] = [];
  const payments: Payment[] = [];
  for (let c = 0; c < 2000; c++) {
    const contractId = `C${c}`;
    contracts.push({
      contractId,
      customerId: `K${c % 500}`,
      salespersonId: 'S1',
      region: 'East',
      signedOn: '2015-12-01',
      paymentTermsDays: 30,
      currency: c % 10 === 0 ? 'USD' : 'EUR',
      status: 'active',
    });
    for (let i = 0; i < 5; i++) {
      const invoiceNo = `${contractId}-I${i}`;
      const issuedOn = addDays('2016-01-01', intIn(random, 0, 330));
      invoices.push({ invoiceNo, contractId, issuedOn, dueOn: addDays(issuedOn, 30) });
      invoiceLines.push({ invoiceNo, lineNo: 1, itemCode: 'A', quantity: intIn(random, 1, 20), unitPrice: 1_000_000 });
    }
    if (c % 3 === 0)
      payments.push({
        paymentId: `P${c}`,
        contractId,
        invoiceNo: `${contractId}-I0`,
        receivedOn: addDays('2016-06-01', intIn(random, 0, 200)),
        amount: 5_000,
      });
  }
  return {
    data: ledgerData({ customers, contracts, invoices, invoiceLines, payments }),
    customers,
    terms: [
      {
        termsCode: 'STD',
        name: 'Std',
        minAmount: 5_000,
        maxReminders: 0,
        interestRatePct: 80_000,
        interestBasisDays: 365,
      },
    ],
    levels: [1, 2, 3].map((level) => ({
      termsCode: 'STD',
      level,
      graceDays: 7,
      payWithinDays: 14,
      feeFixed: level * 1_000,
      feePct: 0,
      chargeInterest: level > 1,
    })),
    reminders: [],
    asOf: AS_OF,
  };
}

export function run(): Promise<void> {
  const input = generate();
  const open = computeReceivables(input.data, { asOf: AS_OF, groupBy: 'customer' });
  console.log(
    `data: ${input.data.invoices.length} invoices of ${input.data.contracts.length} contracts, ${open.length} customers owing`,
  );
  const plain = best(5, () => computeReceivables(input.data, { asOf: AS_OF, groupBy: 'customer' }));
  const interestLevels = { ...input, levels: input.levels.map((l) => ({ ...l, chargeInterest: true })) };
  const proposal = best(5, () => proposeReminders(input));
  const withInterest = best(3, () => proposeReminders(interestLevels));
  const lines = (p: typeof proposal.result) => p.reminders.reduce((s, r) => s + r.lines.length, 0);
  console.log(`receivables aging (plain pass): ${fmt(plain.ms)}`);
  console.log(
    `proposeReminders, no interest at level 1: ${fmt(proposal.ms)}; ${proposal.result.reminders.length} reminders, ${lines(proposal.result)} lines`,
  );
  console.log(`proposeReminders, interest on every line: ${fmt(withInterest.ms)}; ${lines(withInterest.result)} lines`);
  console.log(
    `ratio proposal / aging: ${(proposal.ms / plain.ms).toFixed(1)}×; with interest on every line: ${(withInterest.ms / plain.ms).toFixed(1)}×`,
  );
  return Promise.resolve();
}
