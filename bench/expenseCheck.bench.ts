// Benchmark: the expense check over 100,000 expenses and 10,000 trips against a bare pass over the same arrays,
// measured side by side in one run (target: within 10×).

import { checkExpenses, dayNumber, isWeekend, type ExpenseCheckInput } from '../shared/calc/expenseCheck';
import { addDays } from '../shared/dates';
import type { Expense, ExpensePolicy, Salesperson, Trip } from '../shared/ledgers';
import { best, fmt, intIn, seeded } from './support';

const TARGET_RATIO = 10;
const CATEGORIES = ['meals', 'hotel', 'taxi', 'fuel', 'perDiem'];

/**
 * 500 salespeople in 7 regions, 20 trips each (10,000) of 1–5 days, 200 expenses each (100,000): one per-diem claim
 * per trip for its days (2 % a day more), the rest meals, hotel, taxi or fuel on trip days (2 % the day before),
 * 3 % without a receipt; policies per category (hotel and per diem need a trip, fuel not on weekends) with a regional
 * override and a later revision. About 1 % of expenses repeat the one before (same day, amount and merchant).
 */
const tripLength = (t: Trip): number => (Date.parse(t.returnOn) - Date.parse(t.departOn)) / 86_400_000;

export function generate(salespeople = 500, seed = 7): ExpenseCheckInput {
  const random = seeded(seed);
  const people: Salesperson[] = [];
  const trips: Trip[] = [];
  const expenses: Expense[] = [];
  for (let s = 0; s < salespeople; s++) {
    const salespersonId = `SP${String(s).padStart(4, '0')}`;
    people.push({ salespersonId, name: salespersonId, region: `R${s % 7}` });
    const mine: Trip[] = [];
    for (let t = 0; t < 20; t++) {
      const departOn = addDays('2016-01-04', t * 18 + intIn(random, 0, 10));
      const trip = {
        tripId: `${salespersonId}-T${t}`,
        salespersonId,
        departOn,
        returnOn: addDays(departOn, intIn(random, 0, 4)),
        destination: 'X',
      };
      mine.push(trip);
      trips.push(trip);
    }
    // One per-diem claim for each trip, for its days (2 % claim a day more).
    for (const trip of mine) {
      const days = tripLength(trip) + 1 + (random() < 0.02 ? 1 : 0);
      expenses.push({
        expenseId: `${salespersonId}-E${expenses.length}`,
        salespersonId,
        category: 'perDiem',
        incurredOn: trip.returnOn,
        amount: 4_000 * days,
        tripDays: days,
        tripId: trip.tripId,
        receipt: true,
      });
    }
    for (let e = mine.length; e < 200; e++) {
      const trip = mine[intIn(random, 0, mine.length - 1)] as Trip;
      const category = CATEGORIES[intIn(random, 0, CATEGORIES.length - 2)] as string; // all but perDiem
      const dup = random() < 0.01 ? expenses[expenses.length - 1] : undefined;
      if (dup !== undefined) {
        expenses.push({ ...dup, expenseId: `${salespersonId}-E${expenses.length}` });
        continue;
      }
      // 2 % fall the day before the trip (outside it); fuel is bought on the trip's weekdays.
      let incurredOn =
        random() < 0.02 ? addDays(trip.departOn, -1) : addDays(trip.departOn, intIn(random, 0, tripLength(trip)));
      const day = dayNumber(incurredOn);
      if (category === 'fuel' && isWeekend(day) && random() < 0.9)
        incurredOn = addDays(incurredOn, isWeekend(day + 1) ? 2 : 1);
      expenses.push({
        expenseId: `${salespersonId}-E${expenses.length}`,
        salespersonId,
        category,
        incurredOn,
        amount: intIn(random, 500, 30_000),
        merchant: `M${intIn(random, 0, 50)}`,
        ...(random() < 0.97 ? { receipt: true } : {}),
      });
    }
  }
  const expensePolicies: ExpensePolicy[] = [];
  CATEGORIES.forEach((category, i) => {
    const base = {
      category,
      needsTrip: category === 'hotel' || category === 'perDiem',
      weekendAllowed: category !== 'fuel',
      limitPerClaim: 29_000,
      limitPerDay: 150_000,
      receiptRequiredAbove: 2_500,
      ...(category === 'perDiem' ? { perDiemPerTripDay: 4_000 } : {}),
    };
    expensePolicies.push({ ...base, policyId: `P${i}a`, effectiveFrom: '2015-01-01' });
    expensePolicies.push({ ...base, policyId: `P${i}b`, effectiveFrom: '2016-06-01', limitPerClaim: 29_500 });
    expensePolicies.push({
      ...base,
      policyId: `P${i}r`,
      effectiveFrom: '2016-03-01',
      region: 'R3',
      limitPerDay: 50_000,
    });
  });
  return { salespeople: people, trips, expenses, expensePolicies };
}

/**
 * The floor any check needs: one loop over every expense and every trip reading the fields the check reads (ids,
 * dates, category, amount), folded into a number so the loop cannot be optimised away.
 */
export function barePass(input: ExpenseCheckInput): number {
  let h = 0;
  for (const e of input.expenses)
    h = (h + e.amount + e.salespersonId.length + e.incurredOn.length + e.category.length + (e.tripDays ?? 0)) | 0;
  for (const t of input.trips) h = (h + t.salespersonId.length + t.departOn.length + t.returnOn.length) | 0;
  return h;
}

export function run(): Promise<void> {
  const input = generate();
  console.log(
    `data: ${input.expenses.length} expenses, ${input.trips.length} trips, ${input.expensePolicies.length} policies, ${input.salespeople.length} salespeople`,
  );
  const bare = best(20, () => barePass(input));
  const check = best(5, () => checkExpenses(input));
  const counts = new Map<string, number>();
  for (const f of check.result) counts.set(f.code, (counts.get(f.code) ?? 0) + 1);
  console.log(`bare pass over expenses and trips: ${fmt(bare.ms)}`);
  console.log(
    `checkExpenses: ${fmt(check.ms)}, ${check.result.length} findings (${[...counts].map(([c, k]) => `${c} ${k}`).join(', ')})`,
  );
  const ratio = check.ms / bare.ms;
  console.log(
    `ratio checkExpenses / bare pass: ${ratio.toFixed(1)}× (target ≤ ${TARGET_RATIO}×: ${ratio <= TARGET_RATIO ? 'met' : 'MISSED'})`,
  );
  // On a shared machine the wall clock counts time the process waited for a core: CPU time, side by side too.
  const bareCpu = bestCpu(20, () => barePass(input));
  const checkCpu = bestCpu(5, () => checkExpenses(input));
  console.log(
    `CPU time: bare pass ${fmt(bareCpu)}, checkExpenses ${fmt(checkCpu)}, ratio ${(checkCpu / bareCpu).toFixed(1)}×`,
  );
  return Promise.resolve();
}

/** The least CPU time (user + system, every thread of the process, GC included) of `runs` calls, after a warm-up. */
function bestCpu(runs: number, fn: () => unknown): number {
  fn();
  let ms = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = process.cpuUsage();
    fn();
    const used = process.cpuUsage(start);
    ms = Math.min(ms, (used.user + used.system) / 1000);
  }
  return ms;
}
