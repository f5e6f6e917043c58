// Expense check: worked examples for every finding and rule, and properties over random ledgers.
import fc from 'fast-check';
import {
  checkExpenses,
  dayNumber,
  expenseFindingToWire,
  isWeekend,
  reimbursableAmounts,
  type ExpenseCheckInput,
  type ExpenseFinding,
} from '../../../shared/calc/expenseCheck';
import { addDays, toDayNumber } from '../../../shared/dates';
import type { Expense, ExpensePolicy, Salesperson, Trip } from '../../../shared/ledgers';

const people: Salesperson[] = [
  { salespersonId: 'S1', name: 'Ann', region: 'East' },
  { salespersonId: 'S2', name: 'Bo', region: 'West' },
];

function policy(p: Partial<ExpensePolicy> & { policyId: string; category: string }): ExpensePolicy {
  return { effectiveFrom: '2016-01-01', needsTrip: false, weekendAllowed: true, ...p };
}

let n = 0;
function expense(e: Partial<Expense>): Expense {
  n++;
  return {
    expenseId: `E${String(n).padStart(3, '0')}`,
    salespersonId: 'S1',
    category: 'meals',
    incurredOn: '2016-11-08', // a Tuesday
    amount: 1000,
    ...e,
  };
}

function trip(t: Partial<Trip> & { tripId: string }): Trip {
  return { salespersonId: 'S1', departOn: '2016-11-07', returnOn: '2016-11-09', destination: 'Lyon', ...t };
}

function run(input: Partial<ExpenseCheckInput>): ExpenseFinding[] {
  return checkExpenses({ expenses: [], trips: [], expensePolicies: [], salespeople: people, ...input });
}

const brief = (fs: ExpenseFinding[]) =>
  fs.map((f) => [f.expenseId, f.code, f.policyId, f.limit, f.actual, f.refersTo, f.claimed, f.reimbursable]);

beforeEach(() => {
  n = 0;
});

describe('dates', () => {
  it('counts days like shared/dates and knows weekends', () => {
    for (const d of ['1970-01-01', '2000-02-29', '2016-11-08', '1899-12-30', '2100-03-01'])
      expect(dayNumber(d)).toBe(toDayNumber(d));
    expect(['2016-11-05', '2016-11-06', '2016-11-07'].map((d) => isWeekend(dayNumber(d)))).toEqual([true, true, false]);
  });
});

describe('policy in effect', () => {
  const policies = [
    policy({ policyId: 'ALL-OLD', category: 'meals', effectiveFrom: '2016-01-01', limitPerClaim: 5000 }),
    policy({ policyId: 'ALL-NEW', category: 'meals', effectiveFrom: '2016-07-01', limitPerClaim: 4000 }),
    policy({ policyId: 'EAST', category: 'meals', region: 'East', effectiveFrom: '2016-10-01', limitPerClaim: 3000 }),
  ];
  it('takes the latest policy by effectiveFrom, the region’s own before the general one', () => {
    const expenses = [
      expense({ incurredOn: '2016-03-01', amount: 9000 }), // ALL-OLD
      expense({ incurredOn: '2016-08-01', amount: 9000 }), // ALL-NEW
      expense({ incurredOn: '2016-10-01', amount: 9000 }), // EAST from its first day
      expense({ salespersonId: 'S2', incurredOn: '2016-10-02', amount: 9000 }), // West: ALL-NEW
    ];
    expect(brief(run({ expenses, expensePolicies: policies }))).toEqual([
      ['E001', 'OVER_CLAIM_LIMIT', 'ALL-OLD', 5000, 9000, null, 9000, 5000],
      ['E002', 'OVER_CLAIM_LIMIT', 'ALL-NEW', 4000, 9000, null, 9000, 4000],
      ['E003', 'OVER_CLAIM_LIMIT', 'EAST', 3000, 9000, null, 9000, 3000],
      ['E004', 'OVER_CLAIM_LIMIT', 'ALL-NEW', 4000, 9000, null, 9000, 4000],
    ]);
  });
  it('reports NO_POLICY before the first policy takes effect and for an unknown category', () => {
    const expenses = [expense({ incurredOn: '2015-12-31' }), expense({ category: 'golf' })];
    expect(brief(run({ expenses, expensePolicies: policies }))).toEqual([
      ['E001', 'NO_POLICY', null, null, null, null, 1000, 1000],
      ['E002', 'NO_POLICY', null, null, null, null, 1000, 1000],
    ]);
  });
  it('a claim within every limit has no finding', () => {
    expect(run({ expenses: [expense({ amount: 5000 })], expensePolicies: policies.slice(0, 1) })).toEqual([]);
  });
});

describe('daily limit', () => {
  const policies = [policy({ policyId: 'M', category: 'meals', limitPerDay: 5000, limitPerClaim: 4000 })];
  it('sums a salesperson’s day and category, capped per claim, and shares the limit out in expenseId order', () => {
    const expenses = [
      expense({ expenseId: 'B', amount: 3000 }),
      expense({ expenseId: 'A', amount: 4500 }), // capped to 4000 first
      expense({ expenseId: 'C', amount: 1000, category: 'meals', incurredOn: '2016-11-09' }), // another day
      expense({ expenseId: 'D', amount: 3000, salespersonId: 'S2' }), // another salesperson
    ];
    expect(brief(run({ expenses, expensePolicies: policies }))).toEqual([
      ['A', 'OVER_CLAIM_LIMIT', 'M', 4000, 4500, null, 4500, 4000],
      ['A', 'OVER_DAILY_LIMIT', 'M', 5000, 7000, null, 4500, 4000],
      ['B', 'OVER_DAILY_LIMIT', 'M', 5000, 7000, null, 3000, 1000],
    ]);
  });
  it('a day exactly at the limit passes', () => {
    const expenses = [expense({ amount: 2500 }), expense({ amount: 2500 })];
    expect(run({ expenses, expensePolicies: policies })).toEqual([]);
  });
});

describe('receipts and duplicates', () => {
  const policies = [policy({ policyId: 'M', category: 'meals', receiptRequiredAbove: 2500 })];
  it('asks for a receipt above the threshold unless receipt is true or a receiptNo is given', () => {
    const expenses = [
      expense({ amount: 2500 }),
      expense({ amount: 2501 }),
      expense({ amount: 9000, receipt: true }),
      expense({ amount: 9000, receiptNo: 'R-1' }),
      expense({ amount: 9000, receipt: false }),
    ];
    expect(brief(run({ expenses, expensePolicies: policies }))).toEqual([
      ['E002', 'RECEIPT_MISSING', 'M', 2500, 2501, null, 2501, 2500],
      ['E005', 'RECEIPT_MISSING', 'M', 2500, 9000, null, 9000, 2500],
    ]);
  });
  it('finds the same salesperson, date and amount with the same merchant or receipt number', () => {
    const expenses = [
      expense({ expenseId: 'X3', merchant: 'Cafe', receiptNo: 'R9' }),
      expense({ expenseId: 'X1', merchant: 'Cafe' }),
      expense({ expenseId: 'X2', receiptNo: 'R9', merchant: 'Bar' }),
      expense({ expenseId: 'X4', merchant: 'Cafe', amount: 1001 }), // another amount
      expense({ expenseId: 'X5', merchant: 'Cafe', salespersonId: 'S2' }), // another salesperson
      expense({ expenseId: 'X6', merchant: 'Cafe', incurredOn: '2016-11-09' }), // another day
      expense({ expenseId: 'X7' }), // neither merchant nor receipt: never a duplicate
      expense({ expenseId: 'X8' }),
    ];
    expect(brief(run({ expenses, expensePolicies: policies }))).toEqual([
      // X3 repeats X1 (merchant) and X2 (receipt number): the earliest is named. X2 comes before X3, so is no copy.
      ['X3', 'DUPLICATE', 'M', null, 1000, 'X1', 1000, 0],
    ]);
  });
  it('finds duplicates also without a policy', () => {
    const expenses = [expense({ merchant: 'Cafe' }), expense({ merchant: 'Cafe' })];
    expect(brief(run({ expenses }))).toEqual([
      ['E001', 'NO_POLICY', null, null, null, null, 1000, 1000],
      ['E002', 'NO_POLICY', null, null, null, null, 1000, 1000],
      ['E002', 'DUPLICATE', null, null, 1000, 'E001', 1000, 0],
    ]);
  });
});

describe('trips', () => {
  const policies = [
    policy({ policyId: 'H', category: 'hotel', needsTrip: true }),
    policy({ policyId: 'PD', category: 'perDiem', needsTrip: true, perDiemPerTripDay: 4000 }),
  ];
  const trips = [
    trip({ tripId: 'T1', departOn: '2016-11-07', returnOn: '2016-11-09' }), // 3 days
    trip({ tripId: 'T2', departOn: '2016-11-20', returnOn: '2016-11-20' }), // 1 day
    trip({ tripId: 'T9', salespersonId: 'S2', departOn: '2016-11-14', returnOn: '2016-11-16' }),
  ];
  it('trip boundaries are inclusive; a day outside every trip of the salesperson is OUTSIDE_TRIP', () => {
    const expenses = [
      expense({ category: 'hotel', incurredOn: '2016-11-06' }),
      expense({ category: 'hotel', incurredOn: '2016-11-07' }),
      expense({ category: 'hotel', incurredOn: '2016-11-09' }),
      expense({ category: 'hotel', incurredOn: '2016-11-10' }),
      expense({ category: 'hotel', incurredOn: '2016-11-15' }), // S2's trip, not S1's
      expense({ category: 'hotel', incurredOn: '2016-11-20' }),
      expense({ category: 'hotel', incurredOn: '2016-11-08', tripId: 'T2' }), // names a trip it is outside of
      expense({ category: 'hotel', incurredOn: '2016-11-15', tripId: 'T9' }), // another salesperson's trip
    ];
    expect(brief(run({ expenses, trips, expensePolicies: policies }))).toEqual([
      ['E001', 'OUTSIDE_TRIP', 'H', null, null, null, 1000, 0],
      ['E007', 'OUTSIDE_TRIP', 'H', null, null, 'T2', 1000, 0],
      ['E004', 'OUTSIDE_TRIP', 'H', null, null, null, 1000, 0],
      ['E005', 'OUTSIDE_TRIP', 'H', null, null, null, 1000, 0],
      ['E008', 'OUTSIDE_TRIP', 'H', null, null, 'T9', 1000, 0],
    ]);
  });
  it('a trip inside a longer one does not hide the longer one', () => {
    const nested = [
      trip({ tripId: 'LONG', departOn: '2016-11-01', returnOn: '2016-11-30' }),
      trip({ tripId: 'SHORT', departOn: '2016-11-02', returnOn: '2016-11-03' }),
    ];
    const expenses = [expense({ category: 'hotel', incurredOn: '2016-11-25' })];
    expect(run({ expenses, trips: nested, expensePolicies: policies })).toEqual([]);
  });
  it('per diem: days beyond the trip’s days, counted in expenseId order; the amount capped at rate × days', () => {
    const expenses = [
      expense({ category: 'perDiem', incurredOn: '2016-11-07', tripDays: 2, amount: 8000 }),
      expense({ category: 'perDiem', incurredOn: '2016-11-09', tripDays: 2, amount: 8000 }),
      expense({ category: 'perDiem', incurredOn: '2016-11-20', amount: 5000 }), // 1 day when tripDays is absent
    ];
    expect(brief(run({ expenses, trips, expensePolicies: policies }))).toEqual([
      ['E002', 'PER_DIEM_DAYS_EXCEEDED', 'PD', 3, 4, 'T1', 8000, 4000],
      ['E003', 'OVER_CLAIM_LIMIT', 'PD', 4000, 5000, null, 5000, 4000],
    ]);
  });
  it('the wire form writes money as strings and per-diem days as numbers', () => {
    const expenses = [
      expense({ category: 'perDiem', incurredOn: '2016-11-07', tripDays: 4, amount: 12000 }),
      expense({ category: 'hotel', incurredOn: '2016-11-01', amount: 123456 }),
    ];
    const wire = run({ expenses, trips, expensePolicies: policies }).map(expenseFindingToWire);
    expect(wire).toEqual([
      {
        expenseId: 'E002',
        salespersonId: 'S1',
        incurredOn: '2016-11-01',
        code: 'OUTSIDE_TRIP',
        policyId: 'H',
        limit: null,
        actual: null,
        refersTo: null,
        claimed: '1234.56',
        reimbursable: '0.00',
      },
      {
        expenseId: 'E001',
        salespersonId: 'S1',
        incurredOn: '2016-11-07',
        code: 'PER_DIEM_DAYS_EXCEEDED',
        policyId: 'PD',
        limit: 3,
        actual: 4,
        refersTo: 'T1',
        claimed: '120.00',
        reimbursable: '120.00',
      },
    ]);
  });
});

describe('weekends and the reimbursable amount', () => {
  it('WEEKEND on Saturday and Sunday when the policy does not allow them', () => {
    const policies = [policy({ policyId: 'W', category: 'meals', weekendAllowed: false, limitPerClaim: 500 })];
    const expenses = [
      expense({ incurredOn: '2016-11-05', amount: 900 }),
      expense({ incurredOn: '2016-11-06' }),
      expense({ incurredOn: '2016-11-07', amount: 400 }),
    ];
    const findings = run({ expenses, expensePolicies: policies });
    expect(brief(findings)).toEqual([
      ['E001', 'OVER_CLAIM_LIMIT', 'W', 500, 900, null, 900, 500],
      ['E001', 'WEEKEND', 'W', null, null, null, 900, 0],
      ['E002', 'OVER_CLAIM_LIMIT', 'W', 500, 1000, null, 1000, 500],
      ['E002', 'WEEKEND', 'W', null, null, null, 1000, 0],
    ]);
    expect([...reimbursableAmounts(expenses, findings)]).toEqual([
      ['E001', 0],
      ['E002', 0],
      ['E003', 400],
    ]);
  });
  it('expenseIds limits the findings reported, not the groups counted', () => {
    const policies = [policy({ policyId: 'M', category: 'meals', limitPerDay: 1500 })];
    const expenses = [expense({}), expense({})];
    const findings = checkExpenses(
      { expenses, trips: [], expensePolicies: policies, salespeople: people },
      { expenseIds: ['E002'] },
    );
    expect(brief(findings)).toEqual([['E002', 'OVER_DAILY_LIMIT', 'M', 1500, 2000, null, 1000, 500]]);
  });
});

describe('properties', () => {
  const arbitraryInput = fc
    .record({
      expenses: fc.array(
        fc.record({
          sp: fc.constantFrom('S1', 'S2', 'S3'),
          category: fc.constantFrom('meals', 'hotel', 'perDiem', 'taxi'),
          day: fc.integer({ min: 0, max: 20 }),
          amount: fc.integer({ min: 1, max: 20_000 }),
          tripDays: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
          receipt: fc.option(fc.boolean(), { nil: undefined }),
          merchant: fc.option(fc.constantFrom('Cafe', 'Inn'), { nil: undefined }),
          tripId: fc.option(fc.constantFrom('T0', 'T1', 'T2', 'TX'), { nil: undefined }),
        }),
        { maxLength: 40 },
      ),
      trips: fc.array(
        fc.record({
          sp: fc.constantFrom('S1', 'S2'),
          day: fc.integer({ min: 0, max: 20 }),
          length: fc.integer({ min: 0, max: 4 }),
        }),
        { maxLength: 4 },
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
        { maxLength: 6 },
      ),
    })
    .map((r): ExpenseCheckInput => ({
      salespeople: people,
      expenses: r.expenses.map(({ sp, day, ...e }, i) => ({
        expenseId: `E${i}`,
        salespersonId: sp,
        incurredOn: addDays('2016-11-01', day),
        ...Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)),
        category: e.category,
        amount: e.amount,
      })),
      trips: r.trips.map((t, i) => ({
        tripId: `T${i}`,
        salespersonId: t.sp,
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
    }));

  it('reimbursable is between 0 and the claim; a day’s reimbursable never exceeds its daily limit', () => {
    fc.assert(
      fc.property(arbitraryInput, (input) => {
        const findings = checkExpenses(input);
        for (const f of findings) {
          expect(f.reimbursable).toBeGreaterThanOrEqual(0);
          expect(f.reimbursable).toBeLessThanOrEqual(f.claimed);
        }
        const amounts = reimbursableAmounts(input.expenses, findings);
        for (const e of input.expenses) expect(amounts.get(e.expenseId)).toBeLessThanOrEqual(e.amount);
        const daily = new Map<string, { limit: number; sum: number }>();
        for (const f of findings.filter((x) => x.code === 'OVER_DAILY_LIMIT')) {
          const key = `${f.salespersonId}|${f.incurredOn}|${f.policyId}`;
          const d = daily.get(key) ?? { limit: f.limit as number, sum: 0 };
          d.sum += f.reimbursable;
          daily.set(key, d);
        }
        for (const d of daily.values()) expect(d.sum).toBe(d.limit);
      }),
      { numRuns: 300 },
    );
  });
  it('the findings do not depend on the order of the records', () => {
    fc.assert(
      fc.property(arbitraryInput, (input) => {
        const reversed = {
          ...input,
          expenses: [...input.expenses].reverse(),
          trips: [...input.trips].reverse(),
          expensePolicies: [...input.expensePolicies].reverse(),
        };
        expect(checkExpenses(reversed)).toEqual(checkExpenses(input));
      }),
      { numRuns: 200 },
    );
  });
});
