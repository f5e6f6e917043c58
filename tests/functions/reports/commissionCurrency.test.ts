// Report workbooks with a salesperson in two currencies: the Salespeople's month rows carry the house currency's
// commission statement and name the other currency; the Salespeople sheet's rows are one per currency, each with the
// sum of the period's commission statements in its currency. Over buildReportData, the figures the sheets are written from.
import { ledgerData } from '../../../shared/calc';
import { parsePeriod } from '../../../shared/dates';
import type { Contract } from '../../../shared/ledgers';
import { buildReportData } from '../../../functions/src/reports/reportData';
import type { SalespersonStatsRow } from '../../../functions/src/reports/workbook';

const contract = (contractId: string, currency?: string): Contract => ({
  contractId,
  customerId: 'C1',
  salespersonId: 'S1',
  region: 'East',
  signedOn: '2016-10-01',
  paymentTermsDays: 30,
  status: 'active',
  ...(currency === undefined ? {} : { currency }),
});

// S1: plan T (2 % up to 100.00, 5 % beyond) and a flat 3 %. K1 (EUR) collects 150.00 and KU
// (USD) 200.00 in November.
const data = ledgerData({
  salespeople: [{ salespersonId: 'S1', name: 'Sam', region: 'East', planId: 'T', commissionRate: 300 }],
  commissionPlans: [{ planId: 'T', basis: 'collected', rate1: 200, from2: 10_000, rate2: 500 }],
  contracts: [contract('K1', 'EUR'), contract('KU', 'USD')],
  invoices: [
    { invoiceNo: 'I1', contractId: 'K1', issuedOn: '2016-10-10', dueOn: '2016-11-09' },
    { invoiceNo: 'IU', contractId: 'KU', issuedOn: '2016-10-10', dueOn: '2016-11-09' },
  ],
  invoiceLines: [
    { invoiceNo: 'I1', lineNo: 1, itemCode: 'A', quantity: 1, unitPrice: 30_000 * 100 },
    { invoiceNo: 'IU', lineNo: 1, itemCode: 'A', quantity: 1, unitPrice: 30_000 * 100 },
  ],
  payments: [
    { paymentId: 'P1', contractId: 'K1', receivedOn: '2016-11-20', amount: 15_000 },
    { paymentId: 'PU', contractId: 'KU', receivedOn: '2016-11-21', amount: 20_000 },
  ],
});
const meta = (currency: string) => ({
  generatedAt: new Date('2016-12-01T02:00:00Z'),
  generatedBy: 'timer',
  appVersion: 'test',
  currency,
});

describe('report workbooks: commission per currency', () => {
  it("the Salespeople's month shows the house currency's commission and names the other currency", () => {
    const eur = buildReportData(data, parsePeriod('2016-11'), meta('EUR'));
    // EUR 150.00 under the plan: 100.00 at 2 % + 50.00 at 5 % = 4.50 (with USD added in it would be 14.50).
    expect(eur.assessment?.[0]?.rows.map((r) => [r.commission, r.currency, r.otherCurrencies])).toEqual([
      ['4.50', 'EUR', ['USD']],
    ]);
    // With USD the house currency, USD 200.00 is under the plan (2.00 + 5.00) and EUR is named instead.
    const usd = buildReportData(data, parsePeriod('2016-11'), meta('USD'));
    expect(usd.assessment?.[0]?.rows.map((r) => [r.commission, r.currency, r.otherCurrencies])).toEqual([
      ['7.00', 'USD', ['EUR']],
    ]);
  });

  // buildReportData gives the Salespeople rows as an array (Rows also allows a stream, for sections read from storage).
  it('the Salespeople sheet has a row per currency, each with its own collected and its statement commission', () => {
    const report = buildReportData(data, parsePeriod('2016-11'), meta('EUR'));
    expect(
      (report.salespeople as SalespersonStatsRow[]).map((r) => [
        r.group,
        r.currency,
        r.collected,
        r.commissionRate,
        r.commission,
      ]),
    ).toEqual([
      // EUR under plan T (2.00 + 2.50), not the flat 3 % (4.50 by chance would hide it: see the quarter below).
      ['S1', 'EUR', '150.00', '0.03', '4.50'],
      // USD: no plan in another currency, the flat 3 % of 200.00.
      ['S1', 'USD', '200.00', '0.03', '6.00'],
    ]);
  });

  it("a quarter's commission is the sum of its monthly statements, a settled month at what was settled", () => {
    // November EUR settled at 4.00 (it earns 4.50 today); December collects 50.00 more: 1.00 at 2 % plus the
    // adjustment of 0.50 carried from November. Quarter: 0 + 4.00 + 1.50 = 5.50 (rate × collected: 3 % × 200.00 = 6.00).
    const quarter = ledgerData({
      ...data,
      payments: [...data.payments, { paymentId: 'P2', contractId: 'K1', receivedOn: '2016-12-10', amount: 5_000 }],
      commissionSettlements: [{ salespersonId: 'S1', month: 201611, commission: 400, settledOn: '2016-12-01' }],
    });
    const report = buildReportData(quarter, parsePeriod('2016-Q4'), meta('EUR'));
    expect((report.salespeople as SalespersonStatsRow[]).map((r) => [r.currency, r.collected, r.commission])).toEqual([
      ['EUR', '200.00', '5.50'],
      ['USD', '200.00', '6.00'],
    ]);
  });
});
