// FROZEN copy of shared/calc/expenseCheck.ts as of commit 809f035 (before the speed work of issue #14), kept only
// as the oracle of tests/shared/calc/expenseCheckGolden.test.ts: the new code must give byte-identical findings.
// Do not edit or optimise it.
// Expense check (issue #14): every expense against the expense policy in effect, its salesperson's trips and the
// other expenses, each finding naming its rule, the limit and the reimbursable amount (the claim capped by the rule).
//
// Rules, per expense (an expense gets every code that applies):
// * The policy: among the policies of the expense's category with effectiveFrom ≤ incurredOn, the latest one for the
//   salesperson's region; when the region has none, the latest one without a region. None: NO_POLICY, and only the
//   DUPLICATE rule (which needs no policy) is checked besides.
// * OVER_CLAIM_LIMIT: amount > limitPerClaim; for a per-diem policy (perDiemPerTripDay set) the limit is also at most
//   perDiemPerTripDay × the claim's tripDays (1 when absent). Reimbursable: the limit.
// * OVER_DAILY_LIMIT: the salesperson's expenses of one day and category, each first capped by its claim limit, sum
//   above limitPerDay. Every expense of that day gets the finding; the limit is shared out in expenseId order, so the
//   reimbursable amounts of the day sum to limitPerDay.
// * RECEIPT_MISSING: amount > receiptRequiredAbove with neither receipt = true nor a receiptNo. Reimbursable: the
//   threshold.
// * DUPLICATE: an earlier expense (lower expenseId) of the same salesperson, date and amount with the same merchant or
//   the same receiptNo. Reimbursable: 0; `refersTo` names the earliest such expense.
// * OUTSIDE_TRIP: the policy needs a trip and the date is outside every trip of the salesperson (departOn and
//   returnOn inclusive); an expense naming its trip (tripId) must fall within that trip of its own salesperson.
//   Reimbursable: 0.
// * PER_DIEM_DAYS_EXCEEDED: a per-diem claim's days (tripDays, 1 when absent), added up over the trip's per-diem
//   claims in expenseId order, go beyond the trip's days (returnOn − departOn + 1). The trip is the one the expense
//   names, else the salesperson's trip that covers its date. Reimbursable: perDiemPerTripDay × the days still left.
// * WEEKEND: the policy does not allow weekends and the date is a Saturday or Sunday. Reimbursable: 0.
// The reimbursable amount of an expense is the lowest of its findings' (its claim when it has none): never above
// the claim, never below 0.
//
// Cost: one pass to index trips (by number, dates as day numbers) and policies; one to place each expense (policy,
// trip, a slot for its day group and its amount in small per-salesperson hash tables over typed arrays, sums kept in
// flat arrays); one to gather the members of the groups that break a rule, by array reads; one to judge each expense.
// Only those groups are sorted (by expenseId), and then the findings: no sort of all expenses, and the pass over
// every expense builds no object and no string (bench/expenseCheck.bench.ts measures it against a bare pass).

import type { ExpenseFindingCode, ExpenseFindingWire } from '../../../shared/api';
import type { IsoDate } from '../../../shared/dates';
import type { Expense, ExpensePolicy, Salesperson, Trip } from '../../../shared/ledgers';
import { formatMoney, type Cents } from '../../../shared/money';
import { compareText } from '../../../shared/calc/index';

export interface ExpenseFinding {
  expenseId: string;
  salespersonId: string;
  incurredOn: IsoDate;
  code: ExpenseFindingCode;
  /** The policy applied, null for NO_POLICY and for DUPLICATE without a policy. */
  policyId: string | null;
  /** The rule's limit: cents, or days for PER_DIEM_DAYS_EXCEEDED; null when the rule has no figure. */
  limit: number | null;
  /** What was measured against it: the claim, the day's sum (cents) or the trip's per-diem days so far. */
  actual: number | null;
  /** The earlier expense a DUPLICATE repeats, or the trip of OUTSIDE_TRIP / PER_DIEM_DAYS_EXCEEDED. */
  refersTo: string | null;
  claimed: Cents;
  reimbursable: Cents;
}

export interface ExpenseCheckInput {
  readonly expenses: readonly Expense[];
  readonly trips: readonly Trip[];
  readonly expensePolicies: readonly ExpensePolicy[];
  readonly salespeople: readonly Salesperson[];
}

export interface ExpenseCheckOptions {
  /** Report findings of these expenses only; groups (days, duplicates, trips) still count every expense. */
  expenseIds?: readonly string[];
}

/** Days since 1970-01-01 of a valid `YYYY-MM-DD`, without Date: the check converts 100,000s of dates. */
export function dayNumber(date: IsoDate): number {
  const y = (date.charCodeAt(0) - 48) * 1000 + (date.charCodeAt(1) - 48) * 100 + (date.charCodeAt(2) - 48) * 10;
  const year = y + date.charCodeAt(3) - 48;
  const m = (date.charCodeAt(5) - 48) * 10 + date.charCodeAt(6) - 48;
  const d = (date.charCodeAt(8) - 48) * 10 + date.charCodeAt(9) - 48;
  // Days from civil (H. Hinnant's algorithm), exact over the proleptic Gregorian calendar.
  const yy = m <= 2 ? year - 1 : year;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Saturday or Sunday (day 0, 1970-01-01, was a Thursday). */
export function isWeekend(day: number): boolean {
  const weekday = (((day + 4) % 7) + 7) % 7; // 0 = Sunday
  return weekday === 0 || weekday === 6;
}

/** The check's trips by number (their index in the input), with their days as day numbers. */
interface TripTable {
  trips: readonly Trip[];
  departs: Float64Array;
  returns: Float64Array;
}

/** A salesperson's trips by departure, with the latest return so far, for "is this day inside any trip". */
interface TripSpans {
  departs: number[];
  returns: number[];
  /** maxReturn[i] = the latest returnOn among trips 0..i. */
  maxReturn: number[];
  /** The trips' numbers in the TripTable. */
  nos: number[];
}

function spansOf(table: TripTable, nos: number[]): TripSpans {
  const { trips } = table;
  nos.sort((a, b) => {
    const ta = trips[a] as Trip;
    const tb = trips[b] as Trip;
    return compareText(ta.departOn, tb.departOn) || compareText(ta.tripId, tb.tripId);
  });
  const departs: number[] = [];
  const returns: number[] = [];
  const maxReturn: number[] = [];
  let latest = -Infinity;
  for (const no of nos) {
    departs.push(table.departs[no] as number);
    returns.push(table.returns[no] as number);
    latest = Math.max(latest, table.returns[no] as number);
    maxReturn.push(latest);
  }
  return { departs, returns, maxReturn, nos };
}

/** The index of the last trip departing on or before `day`, or -1. */
function lastDepartedBy(spans: TripSpans, day: number): number {
  let lo = 0;
  let hi = spans.departs.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((spans.departs[mid] as number) <= day) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The number of a trip of the salesperson covering `day` (the latest departed one not yet returned), or -1. */
function tripCovering(spans: TripSpans | undefined, day: number): number {
  if (spans === undefined) return -1;
  const last = lastDepartedBy(spans, day);
  if (last < 0 || (spans.maxReturn[last] as number) < day) return -1;
  for (let i = last; i >= 0; i--) if ((spans.returns[i] as number) >= day) return spans.nos[i] as number;
  return -1;
}

/** Policies of one category: per region (the key '' holds those without a region), latest effectiveFrom first. */
type PolicyIndex = Map<string, Map<string, ExpensePolicy[]>>;

export function indexPolicies(policies: readonly ExpensePolicy[]): PolicyIndex {
  const index: PolicyIndex = new Map();
  for (const p of policies) {
    let byRegion = index.get(p.category);
    if (byRegion === undefined) index.set(p.category, (byRegion = new Map<string, ExpensePolicy[]>()));
    const region = p.region ?? '';
    const list = byRegion.get(region);
    if (list === undefined) byRegion.set(region, [p]);
    else list.push(p);
  }
  // Latest first; on one day the lower policyId wins, so the choice never depends on input order.
  for (const byRegion of index.values())
    for (const list of byRegion.values())
      list.sort((a, b) => compareText(b.effectiveFrom, a.effectiveFrom) || compareText(a.policyId, b.policyId));
  return index;
}

/**
 * The policies that can apply to one salesperson's expenses of one category: their region's, then those without a
 * region, each latest first with effectiveFrom as a day number, so the check compares numbers instead of dates. The
 * policy in effect on a day is the first of the region's that took effect by then, else the first of the others.
 */
interface PolicyChoice {
  regionFrom: number[];
  region: ExpensePolicy[];
  anyFrom: number[];
  any: ExpensePolicy[];
}

function choiceOf(index: PolicyIndex, category: string, region: string | undefined): PolicyChoice {
  const byRegion = index.get(category);
  const regional = (region === undefined ? undefined : byRegion?.get(region)) ?? [];
  const any = byRegion?.get('') ?? [];
  return {
    regionFrom: regional.map((p) => dayNumber(p.effectiveFrom)),
    region: regional,
    anyFrom: any.map((p) => dayNumber(p.effectiveFrom)),
    any,
  };
}

/** The policy in effect on `day` (see the file comment), or undefined. */
function chosen(choice: PolicyChoice, day: number): ExpensePolicy | undefined {
  const { regionFrom, anyFrom } = choice;
  for (let k = 0; k < regionFrom.length; k++) if ((regionFrom[k] as number) <= day) return choice.region[k];
  for (let k = 0; k < anyFrom.length; k++) if ((anyFrom[k] as number) <= day) return choice.any[k];
  return undefined;
}

/**
 * Slots of (group, figure) keys, one open-addressing hash table per salesperson, all of them in one pool of typed
 * arrays: each salesperson's table is a power-of-two block at least twice their number of expenses (so it never
 * fills past half and never grows). The 100,000s of day-group and amount lookups of a check hash plain integers,
 * allocate nothing, and each lookup stays within its salesperson's block, which sits in the CPU cache while their
 * expenses come in a run, and no table is allocated or grown per salesperson.
 */
class SlotPool {
  private readonly b: Int32Array;
  private readonly c: Float64Array;
  private readonly slots: Int32Array;

  constructor(size: number) {
    this.b = new Int32Array(size);
    this.c = new Float64Array(size);
    this.slots = new Int32Array(size).fill(-1);
  }

  /** The slot stored for (b, c) in the block at `offset` (`mask` = its size − 1), or `fresh`, stored for it. */
  slotOf(offset: number, mask: number, b: number, c: number, fresh: number): number {
    const { slots } = this;
    let h = Math.imul(b + 1, 0x85ebca6b) ^ Math.imul(c | 0, 0xc2b2ae35);
    h = (h ^ (h >>> 15)) & mask;
    for (;;) {
      const at = offset + h;
      const slot = slots[at] as number;
      if (slot < 0) {
        this.b[at] = b;
        this.c[at] = c;
        slots[at] = fresh;
        return fresh;
      }
      if (this.c[at] === c && this.b[at] === b) return slot;
      h = (h + 1) & mask;
    }
  }
}

/** The size of a salesperson's block: a power of two at least twice their expenses. */
function blockSize(expenses: number): number {
  let size = 4;
  while (size < expenses * 2) size *= 2;
  return size;
}

/**
 * One salesperson's state: region, trips, policy choices per category number, and their block in the slot pools:
 * day groups (category number, day) → slot in daySums, and amounts of expenses with a merchant or receipt number →
 * slot in amountCounts (duplicate candidates).
 */
interface SalespersonState {
  salespersonId: string;
  region: string | undefined;
  expenses: number;
  offset: number;
  mask: number;
  spans: TripSpans | undefined;
  choices: (PolicyChoice | undefined)[];
}

function push<K>(groups: Map<K, number[]>, key: K, i: number): void {
  const list = groups.get(key);
  if (list === undefined) groups.set(key, [i]);
  else list.push(i);
}

const CODE_ORDER: Record<ExpenseFindingCode, number> = {
  NO_POLICY: 0,
  DUPLICATE: 1,
  OVER_CLAIM_LIMIT: 2,
  OVER_DAILY_LIMIT: 3,
  RECEIPT_MISSING: 4,
  OUTSIDE_TRIP: 5,
  PER_DIEM_DAYS_EXCEEDED: 6,
  WEEKEND: 7,
};

/** Findings order: salesperson, date, expenseId, then the codes in the order above. */
function byFindingOrder(a: ExpenseFinding, b: ExpenseFinding): number {
  return (
    compareText(a.salespersonId, b.salespersonId) ||
    compareText(a.incurredOn, b.incurredOn) ||
    compareText(a.expenseId, b.expenseId) ||
    CODE_ORDER[a.code] - CODE_ORDER[b.code]
  );
}

/** What pass 1 placed and the groups decided, one slot per expense (typed arrays: no object per expense). */
interface Placement {
  expenses: readonly Expense[];
  policy: (ExpensePolicy | undefined)[];
  /** The claim limit (per diem included), NaN when none. */
  claimLimit: Float64Array;
  /** The number of the expense's trip in the TripTable, -1 when none. */
  trip: Int32Array;
  /** Over the daily limit: the day's sum and this expense's share of the limit (0 and 0 when not over). */
  daySum: Float64Array;
  dayShare: Float64Array;
  /** The earliest expense it repeats (DUPLICATE), or undefined. */
  earlier: (string | undefined)[];
  /** Per diem beyond the trip's days: the trip's days claimed up to this one (0 when not beyond), the days left. */
  daysTotal: Float64Array;
  daysLeft: Float64Array;
}

function finding(
  at: Placement,
  i: number,
  code: ExpenseFindingCode,
  limit: number | null,
  actual: number | null,
  reimbursable: Cents,
  refersTo: string | null,
): ExpenseFinding {
  const e = at.expenses[i] as Expense;
  return {
    expenseId: e.expenseId,
    salespersonId: e.salespersonId,
    incurredOn: e.incurredOn,
    code,
    policyId: at.policy[i]?.policyId ?? null,
    limit,
    actual,
    refersTo,
    claimed: e.amount,
    reimbursable: Math.max(0, Math.min(e.amount, reimbursable)),
  };
}

/** POST /api/checks/expenses and the pane's "Check expenses". */
export function checkExpenses(input: ExpenseCheckInput, options: ExpenseCheckOptions = {}): ExpenseFinding[] {
  const selected = options.expenseIds === undefined ? undefined : new Set(options.expenseIds);
  const regions = new Map<string, string>();
  for (const s of input.salespeople) regions.set(s.salespersonId, s.region);
  const policies = indexPolicies(input.expensePolicies);
  const trips: TripTable = {
    trips: input.trips,
    departs: new Float64Array(input.trips.length),
    returns: new Float64Array(input.trips.length),
  };
  const tripsById = new Map<string, number>();
  const tripsBySp = new Map<string, number[]>();
  input.trips.forEach((t, no) => {
    trips.departs[no] = dayNumber(t.departOn);
    trips.returns[no] = dayNumber(t.returnOn);
    tripsById.set(t.tripId, no);
    const list = tripsBySp.get(t.salespersonId);
    if (list === undefined) tripsBySp.set(t.salespersonId, [no]);
    else list.push(no);
  });
  const tripDaysOf = (no: number): number => (trips.returns[no] as number) - (trips.departs[no] as number) + 1;
  const states = new Map<string, SalespersonState>();
  const categories = new Map<string, number>();

  const expenses = input.expenses;
  const n = expenses.length;
  const at: Placement = {
    expenses,
    policy: new Array<ExpensePolicy | undefined>(n),
    claimLimit: new Float64Array(n),
    trip: new Int32Array(n).fill(-1),
    daySum: new Float64Array(n),
    dayShare: new Float64Array(n),
    earlier: new Array<string | undefined>(n),
    daysTotal: new Float64Array(n),
    daysLeft: new Float64Array(n),
  };
  const day = new Float64Array(n);
  const capped = new Float64Array(n);
  const perDiemDays = new Float64Array(n);
  // Each expense's slots (-1: none) and the flat arrays they index.
  const daySlot = new Int32Array(n).fill(-1);
  const amountSlot = new Int32Array(n).fill(-1);
  const tripSlot = new Int32Array(n).fill(-1);
  const daySums = new Float64Array(n);
  const amountCounts = new Int32Array(n);
  let dayGroups = 0;
  let amountGroups = 0;
  const tripDaysClaimed = new Float64Array(input.trips.length);

  // Pass 0: each expense's salesperson (looked up when it changes: rows usually come grouped by salesperson), and
  // how many expenses each has, which sizes their blocks in the slot pools.
  const stateOf = new Array<SalespersonState>(n);
  let st: SalespersonState | undefined;
  for (let i = 0; i < n; i++) {
    const id = (expenses[i] as Expense).salespersonId;
    if (st === undefined || st.salespersonId !== id) {
      st = states.get(id);
      if (st === undefined) {
        const mine = tripsBySp.get(id);
        st = {
          salespersonId: id,
          region: regions.get(id),
          expenses: 0,
          offset: 0,
          mask: 0,
          spans: mine === undefined ? undefined : spansOf(trips, mine),
          choices: [],
        };
        states.set(id, st);
      }
    }
    st.expenses++;
    stateOf[i] = st;
  }
  let poolSize = 0;
  for (const s of states.values()) {
    const size = blockSize(s.expenses);
    s.offset = poolSize;
    s.mask = size - 1;
    poolSize += size;
  }
  const dayPool = new SlotPool(poolSize);
  const amountPool = new SlotPool(poolSize);

  // Pass 1: each expense's policy, capped claim and trip; its day's sum, how often its amount occurs and the per-diem
  // days of its trip. Keys are numbers or objects, never built strings, and nothing is allocated per expense.
  for (let i = 0; i < n; i++) {
    const e = expenses[i] as Expense;
    const sp = stateOf[i] as SalespersonState;
    let cat = categories.get(e.category);
    if (cat === undefined) categories.set(e.category, (cat = categories.size));
    let choice = sp.choices[cat];
    if (choice === undefined) sp.choices[cat] = choice = choiceOf(policies, e.category, sp.region);
    const d = dayNumber(e.incurredOn);
    day[i] = d;
    const policy = chosen(choice, d);
    at.policy[i] = policy;
    const days = e.tripDays ?? 1;
    perDiemDays[i] = days;
    let limit = policy?.limitPerClaim;
    if (policy?.perDiemPerTripDay !== undefined) {
      const perDiemLimit = policy.perDiemPerTripDay * days;
      limit = limit === undefined ? perDiemLimit : Math.min(limit, perDiemLimit);
    }
    at.claimLimit[i] = limit ?? NaN;
    const c = limit === undefined ? e.amount : Math.min(e.amount, limit);
    capped[i] = c;
    if (policy?.limitPerDay !== undefined) {
      const slot = dayPool.slotOf(sp.offset, sp.mask, cat, d, dayGroups);
      if (slot === dayGroups) dayGroups++;
      daySums[slot] = (daySums[slot] as number) + c;
      daySlot[i] = slot;
    }
    if (e.merchant !== undefined || e.receiptNo !== undefined) {
      const slot = amountPool.slotOf(sp.offset, sp.mask, 0, e.amount, amountGroups);
      if (slot === amountGroups) amountGroups++;
      amountCounts[slot] = (amountCounts[slot] as number) + 1;
      amountSlot[i] = slot;
    }
    if (policy?.perDiemPerTripDay !== undefined || policy?.needsTrip === true) {
      const named = e.tripId === undefined ? undefined : tripsById.get(e.tripId);
      const trip =
        e.tripId === undefined
          ? tripCovering(sp.spans, d)
          : named !== undefined && (input.trips[named] as Trip).salespersonId === e.salespersonId
            ? named
            : -1;
      at.trip[i] = trip;
      if (policy.perDiemPerTripDay !== undefined && trip >= 0) {
        tripDaysClaimed[trip] = (tripDaysClaimed[trip] as number) + days;
        tripSlot[i] = trip;
      }
    }
  }

  // Pass 1b: the members of the groups that break a rule (few), found by array reads.
  const dayMembers = new Map<number, number[]>();
  const amountMembers = new Map<number, number[]>();
  const perDiemMembers = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const ds = daySlot[i] as number;
    if (ds >= 0 && (daySums[ds] as number) > ((at.policy[i] as ExpensePolicy).limitPerDay as number))
      push(dayMembers, ds, i);
    const as = amountSlot[i] as number;
    if (as >= 0 && (amountCounts[as] as number) > 1) push(amountMembers, as, i);
    const ts = tripSlot[i] as number;
    if (ts >= 0 && (tripDaysClaimed[ts] as number) > tripDaysOf(ts)) push(perDiemMembers, ts, i);
  }

  // Groups that break a rule: shares of the day's limit, the earliest of each duplicate set, per-diem days left.
  const byExpenseId = (a: number, b: number): number =>
    compareText((expenses[a] as Expense).expenseId, (expenses[b] as Expense).expenseId);
  for (const [slot, members] of dayMembers) {
    const sum = daySums[slot] as number;
    let left = (at.policy[members[0] as number] as ExpensePolicy).limitPerDay as Cents;
    for (const i of members.sort(byExpenseId)) {
      const share = Math.min(capped[i] as number, left);
      at.daySum[i] = sum;
      at.dayShare[i] = share;
      left -= share;
    }
  }
  for (const same of amountMembers.values()) {
    // Same salesperson and amount: the first of each day and merchant, or day and receipt number, is the original.
    const first = new Map<string, string>();
    for (const i of same.sort(byExpenseId)) {
      const e = expenses[i] as Expense;
      for (const key of [
        e.merchant === undefined ? undefined : `${day[i]}\u0000m${e.merchant}`,
        e.receiptNo === undefined ? undefined : `${day[i]}\u0000r${e.receiptNo}`,
      ]) {
        if (key === undefined) continue;
        const original = first.get(key);
        const known = at.earlier[i];
        if (original === undefined) first.set(key, e.expenseId);
        else if (known === undefined || original < known) at.earlier[i] = original;
      }
    }
  }
  for (const members of perDiemMembers.values()) {
    const allowed = tripDaysOf(at.trip[members[0] as number] as number);
    let total = 0;
    for (const i of members.sort(byExpenseId)) {
      const left = Math.max(0, allowed - total);
      total += perDiemDays[i] as number;
      if (total > allowed) {
        at.daysTotal[i] = total;
        at.daysLeft[i] = Math.min(left, perDiemDays[i] as number);
      }
    }
  }

  // Pass 2: the findings.
  const findings: ExpenseFinding[] = [];
  for (let i = 0; i < n; i++) {
    const e = expenses[i] as Expense;
    if (selected !== undefined && !selected.has(e.expenseId)) continue;
    const policy = at.policy[i];
    const earlier = at.earlier[i];
    if (policy === undefined) findings.push(finding(at, i, 'NO_POLICY', null, null, e.amount, null));
    if (earlier !== undefined) findings.push(finding(at, i, 'DUPLICATE', null, e.amount, 0, earlier));
    if (policy === undefined) continue;
    const limit = at.claimLimit[i] as number;
    if (e.amount > limit) findings.push(finding(at, i, 'OVER_CLAIM_LIMIT', limit, e.amount, limit, null));
    const daySum = at.daySum[i] as number;
    if (daySum > 0)
      findings.push(
        finding(at, i, 'OVER_DAILY_LIMIT', policy.limitPerDay ?? null, daySum, at.dayShare[i] as number, null),
      );
    const threshold = policy.receiptRequiredAbove;
    if (threshold !== undefined && e.amount > threshold && e.receipt !== true && e.receiptNo === undefined)
      findings.push(finding(at, i, 'RECEIPT_MISSING', threshold, e.amount, threshold, null));
    const no = at.trip[i] as number;
    if (policy.needsTrip) {
      const d = day[i] as number;
      if (no < 0) findings.push(finding(at, i, 'OUTSIDE_TRIP', null, null, 0, e.tripId ?? null));
      else if (d < (trips.departs[no] as number) || d > (trips.returns[no] as number))
        findings.push(finding(at, i, 'OUTSIDE_TRIP', null, null, 0, (input.trips[no] as Trip).tripId));
    }
    const daysTotal = at.daysTotal[i] as number;
    if (daysTotal > 0 && no >= 0) {
      const reimbursable = (policy.perDiemPerTripDay as Cents) * (at.daysLeft[i] as number);
      const tripId = (input.trips[no] as Trip).tripId;
      findings.push(finding(at, i, 'PER_DIEM_DAYS_EXCEEDED', tripDaysOf(no), daysTotal, reimbursable, tripId));
    }
    if (!policy.weekendAllowed && isWeekend(day[i] as number))
      findings.push(finding(at, i, 'WEEKEND', null, null, 0, null));
  }
  return findings.sort(byFindingOrder);
}

/** The reimbursable amount of each expense: the lowest of its findings', or the claim when it has none. */
export function reimbursableAmounts(
  expenses: readonly Expense[],
  findings: readonly ExpenseFinding[],
): Map<string, Cents> {
  const out = new Map<string, Cents>();
  for (const e of expenses) out.set(e.expenseId, e.amount);
  for (const f of findings) out.set(f.expenseId, Math.min(out.get(f.expenseId) ?? f.claimed, f.reimbursable));
  return out;
}

/** A finding as on the wire: money as decimal strings, the per-diem days as numbers. */
export function expenseFindingToWire(f: ExpenseFinding): ExpenseFindingWire {
  const figure = (v: number | null): string | number | null =>
    v === null ? null : f.code === 'PER_DIEM_DAYS_EXCEEDED' ? v : formatMoney(v);
  return {
    ...f,
    limit: figure(f.limit),
    actual: figure(f.actual),
    claimed: formatMoney(f.claimed),
    reimbursable: formatMoney(f.reimbursable),
  };
}
