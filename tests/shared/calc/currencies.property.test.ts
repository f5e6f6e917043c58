// Issue #13 §4: no amount of one currency is ever added to another. Over random ledgers whose contracts are in two or
// three currencies (or none: the house currency, EUR), every figure of a currency equals the single-currency
// computation over that currency's contracts only (expenses, which have no currency, belong to the house currency).

import fc from 'fast-check';
import { computeReceivables } from '../../../shared/calc/aging';
import { ledgerData, type LedgerData } from '../../../shared/calc/index';
import { contractPerformance, contractsWithOpenItems } from '../../../shared/calc/performance';
import { customerCurrencies, customerStatement } from '../../../shared/calc/statement';
import { computeStatistics, mergeAllPeriods } from '../../../shared/calc/statistics';
import { RECEIVABLES_GROUP_BY, STATS_GROUP_BY } from '../../../shared/api';
import { addDays, PERIOD_KINDS } from '../../../shared/dates';
import { arbDate, arbLedger, FIRST_DAY } from './fixtures/random';
import { contract, expense, invoice, invoiceLine, orderLine, payment, salesperson } from './fixtures/records';

const HOUSE = 'EUR';
const CURRENCIES = ['EUR', 'USD', 'CHF'] as const;

/** A random ledger whose contracts C1–C4 get a currency each: EUR, USD, CHF or none (the house currency). */
function arbMultiCurrencyLedger(): fc.Arbitrary<LedgerData> {
  const arbCurrency = fc.constantFrom<string | undefined>(...CURRENCIES, undefined);
  return fc.tuple(arbLedger(), fc.array(arbCurrency, { minLength: 4, maxLength: 4 })).map(([data, currencies]) => ({
    ...data,
    contracts: data.contracts.map((c) => {
      const currency = currencies[Number(c.contractId.slice(1)) - 1];
      const { currency: _drop, ...rest } = c;
      return currency === undefined ? rest : { ...rest, currency };
    }),
  }));
}

/**
 * The ledgers of one currency: its contracts only (the other contracts' records then name no contract and are left
 * out, as records of unknown contracts are); expenses only in the house currency. Every contract gets the currency
 * written out, so the single-currency computation never needs the house default.
 */
function onlyCurrency(data: LedgerData, currency: string): LedgerData {
  return {
    ...data,
    contracts: data.contracts
      .filter((c) => (c.currency ?? HOUSE) === currency)
      .map((c) => ({ ...c, currency: c.currency ?? HOUSE })),
    expenses: currency === HOUSE ? data.expenses : [],
  };
}

const arbRange = fc
  .tuple(arbDate, fc.integer({ min: 0, max: 800 }))
  .map(([from, span]) => ({ from, to: addDays(from, span) }));

describe('every figure per currency', () => {
  it('statistics: the rows of each currency are the statistics of that currency alone, for every grouping', () => {
    fc.assert(
      fc.property(arbMultiCurrencyLedger(), arbRange, (data, { from, to }) => {
        for (const groupBy of STATS_GROUP_BY) {
          const all = mergeAllPeriods(data, { from, to, groupBy, houseCurrency: HOUSE });
          for (const kind of PERIOD_KINDS) {
            const rows = all[kind] ?? [];
            for (const currency of CURRENCIES) {
              const alone = computeStatistics(onlyCurrency(data, currency), { period: kind, from, to, groupBy });
              expect(alone.every((r) => r.currency === currency)).toBe(true);
              expect(rows.filter((r) => r.currency === currency)).toEqual(alone);
            }
            expect(rows.every((r) => (CURRENCIES as readonly string[]).includes(r.currency))).toBe(true);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('receivables: the rows of each currency are the receivables of that currency alone, for every grouping', () => {
    fc.assert(
      fc.property(arbMultiCurrencyLedger(), arbDate, (data, asOf) => {
        for (const groupBy of RECEIVABLES_GROUP_BY) {
          const rows = computeReceivables(data, { asOf, groupBy, houseCurrency: HOUSE });
          for (const currency of CURRENCIES) {
            const alone = computeReceivables(onlyCurrency(data, currency), { asOf, groupBy });
            expect(rows.filter((r) => r.currency === currency)).toEqual(alone);
          }
          expect(rows.length).toBe(new Set(rows.map((r) => `${r.group}|${r.currency}`)).size);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("performance: a contract's figures are in its own currency and equal the single-currency computation", () => {
    fc.assert(
      fc.property(arbMultiCurrencyLedger(), (data) => {
        for (const c of data.contracts) {
          const currency = c.currency ?? HOUSE;
          const perf = contractPerformance(data, c.contractId, HOUSE);
          expect(perf).toEqual(contractPerformance(onlyCurrency(data, currency), c.contractId));
          expect(perf?.currency).toBe(currency);
        }
        const open = contractsWithOpenItems(data, HOUSE);
        for (const currency of CURRENCIES)
          expect(open.filter((p) => p.currency === currency)).toEqual(
            contractsWithOpenItems(onlyCurrency(data, currency)),
          );
      }),
      { numRuns: 200 },
    );
  });

  it('statements: per customer and currency, the statement of that currency alone; several currencies refuse', () => {
    fc.assert(
      fc.property(arbMultiCurrencyLedger(), arbRange, (data, { from, to }) => {
        for (const customerId of ['K1', 'K2', 'K3']) {
          const currencies = customerCurrencies(data, customerId, HOUSE);
          for (const currency of currencies) {
            const s = customerStatement(data, customerId, from, to, currency, HOUSE);
            expect(s).toEqual(customerStatement(onlyCurrency(data, currency), customerId, from, to));
            expect(s.lines.every((l) => l.currency === currency)).toBe(true);
          }
          if (currencies.length > 1)
            expect(() => customerStatement(data, customerId, from, to, undefined, HOUSE)).toThrow(
              /ask for the statement of one currency/,
            );
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('per-currency worked example', () => {
  // One region, one salesperson, one customer: two contracts in EUR and USD and an expense (house currency, EUR).
  const data = ledgerData({
    salespeople: [salesperson('S1', 'West')],
    contracts: [
      contract('C1', { region: 'West', salespersonId: 'S1', signedOn: '2016-05-02' }),
      contract('C2', { region: 'West', salespersonId: 'S1', signedOn: '2016-05-03', currency: 'USD' }),
    ],
    orderLines: [orderLine('C1', 1, 'A', 2, '100.00'), orderLine('C2', 1, 'A', 1, '300.00')],
    invoices: [invoice('I1', 'C1', '2016-05-10', '2016-05-20'), invoice('I2', 'C2', '2016-05-10', '2016-05-20')],
    invoiceLines: [invoiceLine('I1', 1, 'A', 2, '100.00'), invoiceLine('I2', 1, 'A', 1, '300.00')],
    payments: [payment('P1', 'C2', '2016-05-25', '50.00')],
    expenses: [expense('E1', 'S1', '2016-05-04', '12.00')],
  });

  it('a region with contracts in two currencies gives two statistics rows, the expense in the house currency', () => {
    const rows = computeStatistics(data, { period: 'month', from: '2016-05-01', to: '2016-05-31', groupBy: 'region' });
    expect(rows.map((r) => [r.group, r.currency, r.contractsSigned, r.contractValue, r.invoiced, r.expenses])).toEqual([
      ['West', 'EUR', 1, 20000, 20000, 1200],
      ['West', 'USD', 1, 30000, 30000, 0],
    ]);
    expect(rows.map((r) => r.collected)).toEqual([0, 5000]);
  });

  it('a customer owing in two currencies has two receivables rows', () => {
    const rows = computeReceivables(data, { asOf: '2016-06-01', groupBy: 'customer' });
    expect(rows.map((r) => [r.group, r.currency, r.d1_30, r.total])).toEqual([
      ['K1', 'EUR', 20000, 20000],
      ['K1', 'USD', 25000, 25000],
    ]);
  });

  it('the house currency is configurable: contracts without a currency and expenses count in it', () => {
    const noCurrency = {
      ...data,
      contracts: data.contracts.map((c) => (c.contractId === 'C1' ? { ...c, currency: undefined } : c)),
    };
    const rows = computeStatistics(noCurrency, {
      period: 'year',
      from: FIRST_DAY,
      to: '2016-12-31',
      groupBy: 'none',
      houseCurrency: 'GBP',
    });
    expect(rows.map((r) => [r.currency, r.contractValue, r.expenses])).toEqual([
      ['GBP', 20000, 1200],
      ['USD', 30000, 0],
    ]);
  });
});
