// Commission per currency, as a property over random ledgers whose contracts are in EUR (the house currency), USD, CHF
// or none: every currency's statement equals the statement computed over that currency's contracts and settlements
// alone, with that currency as the house currency, and without the plan outside the house currency. So no amount of
// one currency reaches another currency's statement, and a settlement locks its own currency only.

import fc from 'fast-check';
import { commissionStatement, monthLabel, monthNumber, type Month } from '../../../shared/calc/commission';
import type { LedgerData } from '../../../shared/calc/index';
import type { CommissionSettlement } from '../../../shared/ledgers';
import { arbLedger } from './fixtures/random';

const HOUSE = 'EUR';
const CURRENCIES = ['EUR', 'USD', 'CHF'] as const;
const MONTHS: Month[] = [];
for (let n = 201506; n <= 201707; n = n % 100 === 12 ? n + 89 : n + 1) MONTHS.push(monthLabel(n));

/** A random ledger with a tiered plan for S1 and S2 (S3 flat), contracts in several currencies and settlements. */
function arbCommissionLedger(): fc.Arbitrary<LedgerData> {
  const arbCurrency = fc.constantFrom<string | undefined>(...CURRENCIES, undefined);
  const arbSettlement = fc.record({
    salespersonId: fc.constantFrom('S1', 'S2', 'S3'),
    month: fc.constantFrom(...MONTHS),
    commission: fc.integer({ min: -50_000, max: 200_000 }),
    currency: arbCurrency,
  });
  return fc
    .tuple(
      arbLedger(),
      fc.array(arbCurrency, { minLength: 4, maxLength: 4 }),
      fc.uniqueArray(arbSettlement, { selector: (s) => `${s.salespersonId}~${s.month}`, maxLength: 8 }),
      fc.constantFrom<'collected' | 'invoiced'>('collected', 'invoiced'),
    )
    .map(([data, currencies, settlements, basis]) => ({
      ...data,
      salespeople: data.salespeople.map((s, i) => ({
        ...s,
        commissionRate: 100 * (i + 1),
        ...(i < 2 ? { planId: 'T' } : {}),
      })),
      commissionPlans: [
        { planId: 'T', basis, rate1: 200, from2: 500_000, rate2: 500, from3: 2_000_000, rate3: 800 },
        // Late money at 0.5 %, from 45 days after the due date.
      ].map((p) => ({ ...p, lateAfterDays: 45, lateRate: 50 })),
      contracts: data.contracts.map((c) => {
        const currency = currencies[Number(c.contractId.slice(1)) - 1];
        const { currency: _drop, ...rest } = c;
        return currency === undefined ? rest : { ...rest, currency };
      }),
      commissionSettlements: settlements.map(({ currency, month, ...s }): CommissionSettlement => ({
        ...s,
        month: monthNumber(month),
        settledOn: '2017-08-01',
        ...(currency === undefined ? {} : { currency }),
      })),
    }));
}

/** One currency's records as a ledger of its own, in which that currency is the house currency. */
function onlyCurrency(data: LedgerData, currency: string): LedgerData {
  return {
    ...data,
    contracts: data.contracts.filter((c) => (c.currency ?? HOUSE) === currency).map(({ currency: _c, ...c }) => c),
    commissionPlans: currency === HOUSE ? data.commissionPlans : [],
    commissionSettlements: data.commissionSettlements
      .filter((s) => (s.currency ?? HOUSE) === currency)
      .map(({ currency: _c, ...s }) => s),
  };
}

describe('commission per currency (property)', () => {
  it("each currency's statement is the statement of that currency's records alone", () => {
    fc.assert(
      fc.property(arbCommissionLedger(), fc.subarray(MONTHS, { minLength: 1, maxLength: 6 }), (data, months) => {
        for (const currency of CURRENCIES) {
          const alone = onlyCurrency(data, currency);
          for (const sp of ['S1', 'S2', 'S3'])
            for (const month of months) {
              const statement = commissionStatement(data, sp, month, undefined, { currency, houseCurrency: HOUSE });
              const single = commissionStatement(alone, sp, month, undefined, { houseCurrency: currency });
              expect(statement).toEqual(single);
            }
        }
      }),
      { numRuns: 150 },
    );
  });
});
