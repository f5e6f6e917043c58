// Expense check, golden: the check (made faster for issue #14's bench) gives byte-identical findings to a frozen copy
// of the code before that work (tests/shared/support/expenseCheckFrozen.ts): over the bench's generated ledgers, a
// crowded ledger (long groups, repeated expenseIds), salespeople with many trips and many categories, and random
// ledgers; in input order and shuffled, with and without an expenseIds filter. Day numbers too, for every year.
import fc from 'fast-check';
import { generate } from '../../../bench/expenseCheck.bench';
import { seeded } from '../../../bench/support';
import { checkExpenses, dayNumber, type ExpenseCheckInput } from '../../../shared/calc/expenseCheck';
import { addDays } from '../../../shared/dates';
import type { Salesperson } from '../../../shared/ledgers';
import { checkExpenses as frozenCheck, dayNumber as frozenDayNumber } from '../support/expenseCheckFrozen';

/** The same findings, field for field and in the same order, as JSON text. */
function expectSame(input: ExpenseCheckInput, expenseIds?: readonly string[]): number {
  const options = expenseIds === undefined ? {} : { expenseIds };
  const now = JSON.stringify(checkExpenses(input, options));
  const before = JSON.stringify(frozenCheck(input, options));
  expect(now).toBe(before);
  return (JSON.parse(now) as unknown[]).length;
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = seeded(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('day numbers', () => {
  it('every year 0000–9999, every month, days 1, 15, 28–31: the same day numbers as before', () => {
    let differ = 0;
    let checked = 0;
    for (let y = 0; y <= 9999; y++)
      for (let m = 1; m <= 12; m++)
        for (const d of [1, 15, 28, 29, 30, 31]) {
          const date = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          if (dayNumber(date) !== frozenDayNumber(date)) differ++;
          checked++;
        }
    expect(checked).toBe(720_000);
    expect(differ).toBe(0);
    expect(dayNumber('0000-01-01')).toBe(-719_528);
    expect(dayNumber('9999-12-31')).toBe(2_932_896);
  });
});

describe('the bench’s ledgers', () => {
  const input = generate();

  it('100,000 expenses and 10,000 trips: the same 9,094 findings as before', () => {
    // The count pins the data too: a changed generator would not silently test less.
    expect(input.expenses).toHaveLength(100_000);
    expect(expectSame(input)).toBe(9_094);
  });

  it('rows shuffled (salespeople interleaved) and records in another order: the same findings', () => {
    const mixed = {
      ...input,
      expenses: shuffled(input.expenses, 11),
      trips: shuffled(input.trips, 12),
      expensePolicies: shuffled(input.expensePolicies, 13),
    };
    expect(expectSame(mixed)).toBe(9_094);
  });

  it('an expenseIds filter: the same findings of the chosen expenses', () => {
    const small = generate(40, 3);
    const chosen = small.expenses.filter((_, i) => i % 7 === 0).map((e) => e.expenseId);
    const count = expectSame(small, chosen);
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThan(expectSame(small));
  });

  it('other seeds and sizes', () => {
    for (const [people, seed] of [
      [1, 1],
      [7, 2],
      [60, 5],
    ] as const)
      expect(expectSame(generate(people, seed))).toBeGreaterThan(0);
  });
});

describe('crowded days', () => {
  it('hundreds of expenses of one salesperson on three days (long groups, many findings a day): the same findings', () => {
    const random = seeded(21);
    const people: Salesperson[] = [{ salespersonId: 'S1', name: 'Ann', region: 'East' }];
    const trips = [
      { tripId: 'T1', salespersonId: 'S1', departOn: '2016-11-04', returnOn: '2016-11-05', destination: 'X' },
    ];
    const expenses = Array.from({ length: 300 }, (_, i) => ({
      // Ids out of input order, some of them twice.
      expenseId: `E${String(Math.floor(random() * 280)).padStart(3, '0')}`,
      salespersonId: 'S1',
      category: random() < 0.3 ? 'perDiem' : 'meals',
      incurredOn: addDays('2016-11-04', Math.floor(random() * 3)),
      amount: 100 * (1 + Math.floor(random() * 30)),
      tripDays: 1,
      ...(random() < 0.5 ? { tripId: 'T1' } : {}),
      ...(random() < 0.6 ? { merchant: `M${i % 3}` } : {}),
      ...(random() < 0.5 ? { receipt: true } : {}),
    }));
    const expensePolicies = [
      {
        policyId: 'P1',
        category: 'meals',
        effectiveFrom: '2016-01-01',
        limitPerClaim: 2_500,
        limitPerDay: 20_000,
        receiptRequiredAbove: 1_000,
        needsTrip: true,
        weekendAllowed: false,
      },
      {
        policyId: 'P2',
        category: 'perDiem',
        effectiveFrom: '2016-01-01',
        perDiemPerTripDay: 1_500,
        needsTrip: true,
        weekendAllowed: true,
      },
    ];
    const input = { salespeople: people, trips, expenses, expensePolicies };
    const count = expectSame(input);
    expect(count).toBeGreaterThan(300);
    expect(expectSame({ ...input, expenses: shuffled(expenses, 4) })).toBe(count);
  });
});

describe('many trips and categories', () => {
  it('salespeople with 40 trips naming them, and 20 categories: the same findings', () => {
    const random = seeded(33);
    const people: Salesperson[] = [
      { salespersonId: 'S1', name: 'Ann', region: 'East' },
      { salespersonId: 'S2', name: 'Bo', region: 'West' },
    ];
    const trips = Array.from({ length: 80 }, (_, t) => {
      const departOn = addDays('2016-01-04', Math.floor(t / 2) * 7 + Math.floor(random() * 3));
      return {
        tripId: `T${t}`,
        salespersonId: t % 2 === 0 ? 'S1' : 'S2',
        departOn,
        returnOn: addDays(departOn, Math.floor(random() * 4)),
        destination: 'X',
      };
    });
    const categories = Array.from({ length: 20 }, (_, c) => `C${c}`);
    const expenses = Array.from({ length: 600 }, (_, i) => {
      const trip = trips[Math.floor(random() * trips.length)] as (typeof trips)[number];
      return {
        expenseId: `E${String(i).padStart(3, '0')}`,
        salespersonId: random() < 0.5 ? 'S1' : 'S2',
        category: categories[Math.floor(random() * categories.length)] as string,
        incurredOn: addDays(trip.departOn, Math.floor(random() * 5) - 1),
        amount: 100 * (1 + Math.floor(random() * 40)),
        tripDays: 1 + Math.floor(random() * 3),
        // The trip named may be another salesperson's, or none known.
        ...(random() < 0.7 ? { tripId: random() < 0.9 ? trip.tripId : 'TX' } : {}),
        ...(random() < 0.5 ? { merchant: `M${i % 4}` } : { receiptNo: `R${i % 5}` }),
      };
    });
    const expensePolicies = categories.map((category, c) => ({
      policyId: `P${c}`,
      category,
      effectiveFrom: '2016-01-01',
      limitPerClaim: 3_000,
      limitPerDay: 4_000,
      ...(c % 3 === 0 ? { perDiemPerTripDay: 1_000 } : {}),
      ...(c % 2 === 0 ? { region: 'East' } : {}),
      needsTrip: c % 4 !== 1,
      weekendAllowed: c % 5 !== 0,
    }));
    const input = { salespeople: people, trips, expenses, expensePolicies };
    const count = expectSame(input);
    expect(count).toBeGreaterThan(300);
    const codes = new Set(checkExpenses(input).map((f) => f.code));
    expect([...codes].sort()).toEqual([
      'DUPLICATE',
      'NO_POLICY',
      'OUTSIDE_TRIP',
      'OVER_CLAIM_LIMIT',
      'OVER_DAILY_LIMIT',
      'PER_DIEM_DAYS_EXCEEDED',
      'WEEKEND',
    ]);
    expect(expectSame({ ...input, expenses: shuffled(expenses, 5), trips: shuffled(trips, 6) })).toBe(count);
  });
});

describe('random ledgers', () => {
  const people: Salesperson[] = [
    { salespersonId: 'S1', name: 'Ann', region: 'East' },
    { salespersonId: 'S2', name: 'Bo', region: 'West' },
    { salespersonId: 'S4', name: 'Cy', region: 'North' },
  ];
  const ids = ['S1', 'S2', 'S3', 'S4'];
  const arbitraryInput = fc
    .record({
      expenses: fc.array(
        fc.record({
          sp: fc.integer({ min: 0, max: 3 }),
          category: fc.constantFrom('meals', 'hotel', 'perDiem', 'taxi'),
          day: fc.integer({ min: 0, max: 20 }),
          amount: fc.integer({ min: 1, max: 12_000 }),
          tripDays: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
          receipt: fc.option(fc.boolean(), { nil: undefined }),
          receiptNo: fc.option(fc.constantFrom('R1', 'R2'), { nil: undefined }),
          merchant: fc.option(fc.constantFrom('Cafe', 'Inn'), { nil: undefined }),
          tripId: fc.option(fc.constantFrom('T0', 'T1', 'T2', 'T3', 'TX'), { nil: undefined }),
          // One in ten takes the id of the expense before (ids repeat only in bad input, but the order must hold).
          sameId: fc.integer({ min: 0, max: 9 }).map((v) => v === 0),
        }),
        { maxLength: 60 },
      ),
      trips: fc.array(
        fc.record({
          sp: fc.integer({ min: 0, max: 3 }),
          day: fc.integer({ min: 0, max: 20 }),
          length: fc.integer({ min: 0, max: 6 }),
        }),
        { maxLength: 5 },
      ),
      policies: fc.array(
        fc.record({
          category: fc.constantFrom('meals', 'hotel', 'perDiem'),
          region: fc.option(fc.constantFrom('East', 'West'), { nil: undefined }),
          day: fc.integer({ min: -3, max: 10 }),
          limitPerClaim: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }),
          limitPerDay: fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: undefined }),
          perDiemPerTripDay: fc.option(fc.integer({ min: 0, max: 5_000 }), { nil: undefined }),
          receiptRequiredAbove: fc.option(fc.integer({ min: 0, max: 5_000 }), { nil: undefined }),
          needsTrip: fc.boolean(),
          weekendAllowed: fc.boolean(),
        }),
        { maxLength: 8 },
      ),
      filter: fc.option(fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 10 }), { nil: undefined }),
    })
    .map((r) => ({
      input: {
        salespeople: people,
        expenses: r.expenses.map(({ sp, day, sameId, ...e }, i) => ({
          expenseId: `E${String(sameId && i > 0 ? i - 1 : i).padStart(2, '0')}`,
          salespersonId: ids[sp] as string,
          incurredOn: addDays('2016-11-01', day),
          ...Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)),
          category: e.category,
          amount: e.amount,
        })),
        trips: r.trips.map((t, i) => ({
          tripId: `T${i}`,
          salespersonId: ids[t.sp] as string,
          departOn: addDays('2016-11-01', t.day),
          returnOn: addDays('2016-11-01', t.day + t.length),
          destination: 'X',
        })),
        expensePolicies: r.policies.map(({ day, ...p }, i) => ({
          policyId: `P${i}`,
          effectiveFrom: addDays('2016-11-01', day),
          ...Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)),
          category: p.category,
          needsTrip: p.needsTrip,
          weekendAllowed: p.weekendAllowed,
        })),
      } satisfies ExpenseCheckInput,
      filter: r.filter?.map((i) => `E${String(i).padStart(2, '0')}`),
    }));

  it('the same findings as the code before, with and without an expenseIds filter', () => {
    let findings = 0;
    fc.assert(
      fc.property(arbitraryInput, ({ input, filter }) => {
        findings += expectSame(input);
        expectSame({ ...input, expenses: [...input.expenses].reverse() });
        if (filter !== undefined) expectSame(input, filter);
      }),
      { numRuns: 1_000 },
    );
    // The random ledgers do break rules (a property over inputs without findings would prove little).
    expect(findings).toBeGreaterThan(1_000);
  });
});
