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
// Cost: one pass to index trips (by number, dates as day numbers) and policies (their figures in typed arrays by
// policy number); one to number the salespeople and gather each one's expenses into a run (a counting sort, input
// order kept). Then one salesperson at a time, in salespersonId order: a pass over the run places each expense
// (policy, capped claim, trip, a slot for its day group and for its day and amount in hash tables over typed arrays,
// reused for every salesperson) and marks those whose own rules break; the members of the groups that break a rule
// are gathered, sorted by expenseId and marked; and only the marked expenses (in the bench's ledgers, about one in
// ten) are sorted by date and expenseId and judged. So the findings come out in order without a sort of all
// findings, and the pass over every expense builds no object and no string (bench/expenseCheck.bench.ts measures it
// against a bare pass).

import type { ExpenseFindingCode, ExpenseFindingWire } from '../api';
import type { IsoDate } from '../dates';
import type { Expense, ExpensePolicy, Salesperson, Trip } from '../ledgers';
import { formatMoney, type Cents } from '../money';
import { compareText } from './index';

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

/** Days before each month of a year that starts on 1 March (index: month 1–12). */
const DAYS_BEFORE_MONTH = Int32Array.of(0, 306, 337, 0, 31, 61, 92, 122, 153, 184, 214, 245, 275);

/**
 * Days since 1970-01-01 of a valid `YYYY-MM-DD`, without Date: the check converts 100,000s of dates. Years count
 * from 1 March (so a leap day ends its year) and are shifted by 400 years (146,097 days, the Gregorian cycle) so
 * that every year 0000–9999 divides as a non-negative integer.
 */
export function dayNumber(date: IsoDate): number {
  const year =
    (date.charCodeAt(0) - 48) * 1000 +
    (date.charCodeAt(1) - 48) * 100 +
    (date.charCodeAt(2) - 48) * 10 +
    (date.charCodeAt(3) - 48);
  const m = (date.charCodeAt(5) - 48) * 10 + date.charCodeAt(6) - 48;
  const d = (date.charCodeAt(8) - 48) * 10 + date.charCodeAt(9) - 48;
  const y = (m <= 2 ? year - 1 : year) + 400;
  return y * 365 + (y >> 2) - ((y / 100) | 0) + ((y / 400) | 0) + (DAYS_BEFORE_MONTH[m] as number) + d - 865_566;
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
  // By departure (day numbers order calendar dates as their text does), then tripId.
  nos.sort(
    (a, b) =>
      (table.departs[a] as number) - (table.departs[b] as number) ||
      compareText((trips[a] as Trip).tripId, (trips[b] as Trip).tripId),
  );
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
  /** The policies' numbers (their index in the input). */
  region: number[];
  anyFrom: number[];
  any: number[];
}

function choiceOf(
  index: PolicyIndex,
  numbers: Map<ExpensePolicy, number>,
  category: string,
  region: string | undefined,
): PolicyChoice {
  const byRegion = index.get(category);
  const regional = (region === undefined ? undefined : byRegion?.get(region)) ?? [];
  const any = byRegion?.get('') ?? [];
  return {
    regionFrom: regional.map((p) => dayNumber(p.effectiveFrom)),
    region: regional.map((p) => numbers.get(p) as number),
    anyFrom: any.map((p) => dayNumber(p.effectiveFrom)),
    any: any.map((p) => numbers.get(p) as number),
  };
}

/** The number of the policy in effect on `day` (see the file comment), or -1. */
function chosen(choice: PolicyChoice, day: number): number {
  const { regionFrom, anyFrom } = choice;
  for (let k = 0; k < regionFrom.length; k++) if ((regionFrom[k] as number) <= day) return choice.region[k] as number;
  for (let k = 0; k < anyFrom.length; k++) if ((anyFrom[k] as number) <= day) return choice.any[k] as number;
  return -1;
}

/**
 * Slots of (b, c) integer keys, numbered 0, 1, 2, … as keys first come: an open-addressing hash table over typed
 * arrays, sized once (at least twice the most keys one salesperson can have, so it never fills past half) and reused
 * for each salesperson in turn. A key counts only when stamped with the current round, so moving on to the next
 * salesperson clears nothing. Lookups hash plain integers and allocate nothing.
 */
class SlotTable {
  private readonly b: Int32Array;
  private readonly c: Float64Array;
  private readonly stamps: Int32Array;
  private readonly slots: Int32Array;
  private readonly mask: number;
  private round = 0;
  /** The slots handed out this round. */
  size = 0;

  constructor(keys: number) {
    let size = 4;
    while (size < keys * 2) size *= 2;
    this.b = new Int32Array(size);
    this.c = new Float64Array(size);
    this.stamps = new Int32Array(size);
    this.slots = new Int32Array(size);
    this.mask = size - 1;
  }

  /** Forgets every key: a new round. */
  clear(): void {
    this.round++;
    this.size = 0;
  }

  /** The slot of (b, c) in this round; a new key gets the next slot (`size` before the call). */
  slotOf(b: number, c: number): number {
    const { stamps, mask, round } = this;
    let h = Math.imul(b + 1, 0x85ebca6b) ^ Math.imul(c | 0, 0xc2b2ae35);
    h = (h ^ (h >>> 15)) & mask;
    for (;;) {
      if (stamps[h] !== round) {
        stamps[h] = round;
        this.b[h] = b;
        this.c[h] = c;
        const slot = this.size++;
        this.slots[h] = slot;
        return slot;
      }
      if (this.c[h] === c && this.b[h] === b) return this.slots[h] as number;
      h = (h + 1) & mask;
    }
  }
}

/**
 * The trip an expense names, among its salesperson's trips (`mine`); -1 when none has that
 * id (or the id is another salesperson's trip). Trip ids are the trips ledger's key, so at most one trip has it; a
 * salesperson's few trips are scanned, many are looked up in a map built for them on first use.
 */
function namedTrip(all: readonly Trip[], mine: TripsOf | undefined, tripId: string): number {
  if (mine === undefined) return -1;
  const { nos } = mine;
  if (nos.length > 32) {
    if (mine.byId === undefined) {
      mine.byId = new Map();
      for (const no of nos) mine.byId.set((all[no] as Trip).tripId, no);
    }
    return mine.byId.get(tripId) ?? -1;
  }
  let found = -1;
  for (let k = 0; k < nos.length; k++) {
    const no = nos[k] as number;
    if ((all[no] as Trip).tripId === tripId && no > found) found = no;
  }
  return found;
}

/** A salesperson's trips: their numbers, and (built when first needed) the spans and a map by id. */
interface TripsOf {
  nos: number[];
  spans?: TripSpans;
  byId?: Map<string, number>;
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

const byCode = (a: ExpenseFinding, b: ExpenseFinding): number => CODE_ORDER[a.code] - CODE_ORDER[b.code];

function finding(
  e: Expense,
  policy: ExpensePolicy | undefined,
  code: ExpenseFindingCode,
  limit: number | null,
  actual: number | null,
  reimbursable: Cents,
  refersTo: string | null,
): ExpenseFinding {
  return {
    expenseId: e.expenseId,
    salespersonId: e.salespersonId,
    incurredOn: e.incurredOn,
    code,
    policyId: policy?.policyId ?? null,
    limit,
    actual,
    refersTo,
    claimed: e.amount,
    reimbursable: Math.max(0, Math.min(e.amount, reimbursable)),
  };
}

function push<K>(groups: Map<K, number[]>, key: K, k: number): void {
  const list = groups.get(key);
  if (list === undefined) groups.set(key, [k]);
  else list.push(k);
}

/** Everything the check of each salesperson's run reads or fills: inputs, their indexes, scratch arrays, findings. */
function prepare(input: ExpenseCheckInput, options: ExpenseCheckOptions) {
  const selected = options.expenseIds === undefined ? undefined : new Set(options.expenseIds);
  const regions = new Map<string, string>();
  for (const s of input.salespeople) regions.set(s.salespersonId, s.region);
  const policies = indexPolicies(input.expensePolicies);
  // The policies' figures by number in typed arrays (NaN: not set), read once per expense instead of the objects.
  const allPolicies = input.expensePolicies;
  const policyNos = new Map<ExpensePolicy, number>();
  const perClaim = new Float64Array(allPolicies.length);
  const perDay = new Float64Array(allPolicies.length);
  const perDiemRate = new Float64Array(allPolicies.length);
  const receiptAbove = new Float64Array(allPolicies.length);
  /** 1: needsTrip is true. */
  const tripNeeded = new Uint8Array(allPolicies.length);
  /** 1: weekendAllowed is false. */
  const weekendsOff = new Uint8Array(allPolicies.length);
  allPolicies.forEach((p, no) => {
    policyNos.set(p, no);
    perClaim[no] = p.limitPerClaim ?? NaN;
    perDay[no] = p.limitPerDay ?? NaN;
    perDiemRate[no] = p.perDiemPerTripDay ?? NaN;
    receiptAbove[no] = p.receiptRequiredAbove ?? NaN;
    tripNeeded[no] = p.needsTrip ? 1 : 0;
    weekendsOff[no] = p.weekendAllowed ? 0 : 1;
  });
  const allTrips = input.trips;
  const trips: TripTable = {
    trips: allTrips,
    departs: new Float64Array(allTrips.length),
    returns: new Float64Array(allTrips.length),
  };
  // Each salesperson's trips (looked up when the salesperson changes: rows usually come grouped by salesperson).
  const tripsBySp = new Map<string, TripsOf>();
  let tripsSp: TripsOf | undefined;
  let tripsSpId = '';
  for (let no = 0; no < allTrips.length; no++) {
    const t = allTrips[no] as Trip;
    trips.departs[no] = dayNumber(t.departOn);
    trips.returns[no] = dayNumber(t.returnOn);
    if (tripsSp === undefined || t.salespersonId !== tripsSpId) {
      tripsSpId = t.salespersonId;
      tripsSp = tripsBySp.get(tripsSpId);
      if (tripsSp === undefined) tripsBySp.set(tripsSpId, (tripsSp = { nos: [] }));
    }
    tripsSp.nos.push(no);
  }
  const tripDaysOf = (no: number): number => (trips.returns[no] as number) - (trips.departs[no] as number) + 1;

  // Pass 0: number the salespeople (looked up when the salesperson changes) and count their expenses; then each
  // salesperson's expenses in input order, one run after the other (a counting sort into `order`).
  const expenses = input.expenses;
  const n = expenses.length;
  const spIds: string[] = [];
  const spCounts: number[] = [];
  const spNos = new Map<string, number>();
  const spOf = new Int32Array(n);
  let lastId: string | undefined;
  let lastNo = -1;
  for (let i = 0; i < n; i++) {
    const id = (expenses[i] as Expense).salespersonId;
    if (id !== lastId) {
      lastId = id;
      let no = spNos.get(id);
      if (no === undefined) {
        no = spIds.length;
        spNos.set(id, no);
        spIds.push(id);
        spCounts.push(0);
      }
      lastNo = no;
    }
    spOf[i] = lastNo;
    spCounts[lastNo] = (spCounts[lastNo] as number) + 1;
  }
  const spTotal = spIds.length;
  const runStart = new Int32Array(spTotal + 1);
  let most = 0;
  for (let s = 0; s < spTotal; s++) {
    const count = spCounts[s] as number;
    runStart[s + 1] = (runStart[s] as number) + count;
    if (count > most) most = count;
  }
  const next = runStart.slice(0, spTotal);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const s = spOf[i] as number;
    order[next[s] as number] = i;
    next[s] = (next[s] as number) + 1;
  }
  const spOrder = spIds.map((_, s) => s).sort((a, b) => compareText(spIds[a] as string, spIds[b] as string));

  // One salesperson's expenses at a time, by their place k in the run: arrays sized for the longest run, reused.
  const idx = new Int32Array(most);
  const day = new Int32Array(most);
  /** The number of the expense's policy, -1 when none. */
  const policyAt = new Int32Array(most);
  const claimLimit = new Float64Array(most);
  const capped = new Float64Array(most);
  const perDiemDays = new Float64Array(most);
  const daySlot = new Int32Array(most);
  const amountSlot = new Int32Array(most);
  const tripAt = new Int32Array(most);
  const counted = new Uint8Array(most);
  const daySum = new Float64Array(most);
  const dayShare = new Float64Array(most);
  const daysTotal = new Float64Array(most);
  const daysLeft = new Float64Array(most);
  const earlier = new Array<string | undefined>(most).fill(undefined);
  /** 1: the expense may have findings (a rule of its own, or a group that breaks one). */
  const marked = new Uint8Array(most);
  // Per group of the run: a day group's sum and limit, an amount group's count.
  const groupSum = new Float64Array(most);
  const groupLimit = new Float64Array(most);
  const amountCount = new Int32Array(most);
  const dayTable = new SlotTable(most);
  const amountTable = new SlotTable(most);
  const tripDaysClaimed = new Float64Array(allTrips.length);
  const categories: string[] = [];
  const categoryNos = new Map<string, number>();
  const choicesByRegion = new Map<string | undefined, (PolicyChoice | undefined)[]>();
  const byExpenseId = (a: number, b: number): number =>
    compareText((expenses[idx[a] as number] as Expense).expenseId, (expenses[idx[b] as number] as Expense).expenseId);
  const byDayAndId = (a: number, b: number): number =>
    (day[a] as number) - (day[b] as number) || byExpenseId(a, b) || a - b;

  const findings: ExpenseFinding[] = [];
  const flagged: number[] = [];
  return {
    spOrder,
    selected,
    regions,
    policies,
    allPolicies,
    policyNos,
    perClaim,
    perDay,
    perDiemRate,
    receiptAbove,
    tripNeeded,
    weekendsOff,
    allTrips,
    trips,
    tripsBySp,
    tripDaysOf,
    expenses,
    spIds,
    runStart,
    order,
    idx,
    day,
    policyAt,
    claimLimit,
    capped,
    perDiemDays,
    daySlot,
    amountSlot,
    tripAt,
    counted,
    daySum,
    dayShare,
    daysTotal,
    daysLeft,
    earlier,
    marked,
    groupSum,
    groupLimit,
    amountCount,
    dayTable,
    amountTable,
    tripDaysClaimed,
    categories,
    categoryNos,
    choicesByRegion,
    byExpenseId,
    byDayAndId,
    findings,
    flagged,
  };
}

type Prepared = ReturnType<typeof prepare>;

/**
 * One salesperson's expenses (number `s`): their findings, in order, appended to `x.findings`. Called once per
 * salesperson, apart from the setup in `prepare`.
 */
function checkRun(x: Prepared, s: number): void {
  const {
    selected,
    regions,
    policies,
    allPolicies,
    policyNos,
    perClaim,
    perDay,
    perDiemRate,
    receiptAbove,
    tripNeeded,
    weekendsOff,
    allTrips,
    trips,
    tripsBySp,
    tripDaysOf,
    expenses,
    spIds,
    runStart,
    order,
    idx,
    day,
    policyAt,
    claimLimit,
    capped,
    perDiemDays,
    daySlot,
    amountSlot,
    tripAt,
    counted,
    daySum,
    dayShare,
    daysTotal,
    daysLeft,
    earlier,
    marked,
    groupSum,
    groupLimit,
    amountCount,
    dayTable,
    amountTable,
    tripDaysClaimed,
    categories,
    categoryNos,
    choicesByRegion,
    byExpenseId,
    byDayAndId,
    findings,
    flagged,
  } = x;
  const from = runStart[s] as number;
  const count = (runStart[s + 1] as number) - from;
  const spId = spIds[s] as string;
  const region = regions.get(spId);
  let choices = choicesByRegion.get(region);
  if (choices === undefined) choicesByRegion.set(region, (choices = []));
  const mine = tripsBySp.get(spId);
  dayTable.clear();
  amountTable.clear();
  let repeats = false;
  let perDiem = false;

  // Pass 1: each expense's policy, capped claim and trip; its day's sum, how often its day and amount occur and the
  // per-diem days of its trip. Keys are numbers, never built strings, and nothing is allocated per expense.
  for (let k = 0; k < count; k++) {
    const i = order[from + k] as number;
    idx[k] = i;
    const e = expenses[i] as Expense;
    const amount = e.amount;
    const receiptNo = e.receiptNo;
    const category = e.category;
    let cat = -1;
    if (categories.length <= 16) {
      for (let c = 0; c < categories.length; c++)
        if (categories[c] === category) {
          cat = c;
          break;
        }
    } else cat = categoryNos.get(category) ?? -1;
    if (cat < 0) {
      cat = categories.length;
      categories.push(category);
      categoryNos.set(category, cat);
    }
    let choice = choices[cat];
    if (choice === undefined) choices[cat] = choice = choiceOf(policies, policyNos, category, region);
    const d = dayNumber(e.incurredOn);
    day[k] = d;
    const p = chosen(choice, d);
    policyAt[k] = p;
    let own = p < 0;
    let ds = -1;
    let trip = -1;
    counted[k] = 0;
    if (p >= 0) {
      // The claim limit (NaN: none), per diem included, and the claim capped by it.
      let limit = perClaim[p] as number;
      const rate = perDiemRate[p] as number;
      let days = 1;
      if (rate === rate) {
        days = e.tripDays ?? 1;
        perDiemDays[k] = days;
        limit = limit === limit ? Math.min(limit, rate * days) : rate * days;
      }
      claimLimit[k] = limit;
      const c = limit === limit ? Math.min(amount, limit) : amount;
      capped[k] = c;
      const dayLimit = perDay[p] as number;
      if (dayLimit === dayLimit) {
        const fresh = dayTable.size;
        ds = dayTable.slotOf(cat, d);
        if (ds === fresh) {
          groupSum[ds] = c;
          groupLimit[ds] = dayLimit;
        } else groupSum[ds] = (groupSum[ds] as number) + c;
      }
      const needsTrip = tripNeeded[p] === 1;
      if (rate === rate || needsTrip) {
        if (e.tripId !== undefined) trip = namedTrip(allTrips, mine, e.tripId);
        else if (mine !== undefined) trip = tripCovering((mine.spans ??= spansOf(trips, mine.nos)), d);
        if (rate === rate && trip >= 0) {
          tripDaysClaimed[trip] = (tripDaysClaimed[trip] as number) + days;
          counted[k] = 1;
          perDiem = true;
        }
      }
      // The rules of the expense alone (the same tests as pass 2's): any of them marks it for pass 2.
      if (amount > limit) own = true;
      if (amount > (receiptAbove[p] as number) && receiptNo === undefined && e.receipt !== true) own = true;
      if (needsTrip && (trip < 0 || d < (trips.departs[trip] as number) || d > (trips.returns[trip] as number)))
        own = true;
      if (weekendsOff[p] === 1 && isWeekend(d)) own = true;
    }
    daySlot[k] = ds;
    tripAt[k] = trip;
    let as = -1;
    if (receiptNo !== undefined || e.merchant !== undefined) {
      const fresh = amountTable.size;
      as = amountTable.slotOf(d, amount);
      if (as === fresh) amountCount[as] = 1;
      else {
        amountCount[as] = (amountCount[as] as number) + 1;
        repeats = true;
      }
    }
    amountSlot[k] = as;
    marked[k] = own ? 1 : 0;
  }

  // The groups that break a rule (few): shares of the day's limit, the earliest of each repeat, per-diem days left.
  let over = false;
  for (let g = 0; g < dayTable.size; g++) if ((groupSum[g] as number) > (groupLimit[g] as number)) over = true;
  if (over) {
    const members = new Map<number, number[]>();
    for (let k = 0; k < count; k++) {
      const ds = daySlot[k] as number;
      if (ds >= 0 && (groupSum[ds] as number) > (groupLimit[ds] as number)) push(members, ds, k);
    }
    for (const [slot, same] of members) {
      const sum = groupSum[slot] as number;
      let left = groupLimit[slot] as number;
      for (const k of same.sort(byExpenseId)) {
        const share = Math.min(capped[k] as number, left);
        daySum[k] = sum;
        dayShare[k] = share;
        marked[k] = 1;
        left -= share;
      }
    }
  }
  if (repeats) {
    const members = new Map<number, number[]>();
    for (let k = 0; k < count; k++) {
      const as = amountSlot[k] as number;
      if (as >= 0 && (amountCount[as] as number) > 1) push(members, as, k);
    }
    for (const same of members.values()) {
      // Same salesperson, day and amount: the first with each merchant, or each receipt number, is the original.
      const first = new Map<string, string>();
      for (const k of same) earlier[k] = undefined;
      for (const k of same.sort(byExpenseId)) {
        const e = expenses[idx[k] as number] as Expense;
        for (const key of [
          e.merchant === undefined ? undefined : `m${e.merchant}`,
          e.receiptNo === undefined ? undefined : `r${e.receiptNo}`,
        ]) {
          if (key === undefined) continue;
          const original = first.get(key);
          const known = earlier[k];
          if (original === undefined) first.set(key, e.expenseId);
          else if (known === undefined || original < known) {
            earlier[k] = original;
            marked[k] = 1;
          }
        }
      }
    }
  }
  if (perDiem) {
    const members = new Map<number, number[]>();
    for (let k = 0; k < count; k++) {
      const trip = tripAt[k] as number;
      if (counted[k] === 1 && (tripDaysClaimed[trip] as number) > tripDaysOf(trip)) push(members, trip, k);
    }
    for (const [trip, same] of members) {
      const allowed = tripDaysOf(trip);
      let total = 0;
      for (const k of same) daysTotal[k] = 0;
      for (const k of same.sort(byExpenseId)) {
        const left = Math.max(0, allowed - total);
        total += perDiemDays[k] as number;
        if (total > allowed) {
          daysTotal[k] = total;
          daysLeft[k] = Math.min(left, perDiemDays[k] as number);
          marked[k] = 1;
        }
      }
    }
  }

  // Pass 2: the findings of the marked expenses (in the bench's ledgers, about one in ten), in order of date and
  // expenseId; an expenseId that occurs twice on one day gets its findings sorted by code, in input order.
  flagged.length = 0;
  for (let k = 0; k < count; k++)
    if (marked[k] === 1 && (selected === undefined || selected.has((expenses[idx[k] as number] as Expense).expenseId)))
      flagged.push(k);
  flagged.sort(byDayAndId);
  let sameFrom = 0;
  let sameEnd = 0;
  let sameFindings = 0;
  for (let j = 0; j < flagged.length; j++) {
    const k = flagged[j] as number;
    const e = expenses[idx[k] as number] as Expense;
    if (j === sameEnd) {
      sameFrom = j;
      sameEnd = j + 1;
      sameFindings = findings.length;
      while (sameEnd < flagged.length) {
        const other = flagged[sameEnd] as number;
        if (day[other] !== day[k] || (expenses[idx[other] as number] as Expense).expenseId !== e.expenseId) break;
        sameEnd++;
      }
    }
    const p = policyAt[k] as number;
    const policy = p < 0 ? undefined : allPolicies[p];
    // The group figures hold only for members of groups that break a rule (others keep a former run's).
    const as = amountSlot[k] as number;
    const repeated = as >= 0 && (amountCount[as] as number) > 1 ? earlier[k] : undefined;
    if (policy === undefined) findings.push(finding(e, policy, 'NO_POLICY', null, null, e.amount, null));
    if (repeated !== undefined) findings.push(finding(e, policy, 'DUPLICATE', null, e.amount, 0, repeated));
    if (policy !== undefined) {
      const limit = claimLimit[k] as number;
      if (e.amount > limit) findings.push(finding(e, policy, 'OVER_CLAIM_LIMIT', limit, e.amount, limit, null));
      const ds = daySlot[k] as number;
      const sum = ds >= 0 && (groupSum[ds] as number) > (groupLimit[ds] as number) ? (daySum[k] as number) : 0;
      if (sum > 0)
        findings.push(
          finding(e, policy, 'OVER_DAILY_LIMIT', policy.limitPerDay ?? null, sum, dayShare[k] as number, null),
        );
      const threshold = policy.receiptRequiredAbove;
      if (threshold !== undefined && e.amount > threshold && e.receipt !== true && e.receiptNo === undefined)
        findings.push(finding(e, policy, 'RECEIPT_MISSING', threshold, e.amount, threshold, null));
      const no = tripAt[k] as number;
      if (policy.needsTrip) {
        const d = day[k] as number;
        if (no < 0) findings.push(finding(e, policy, 'OUTSIDE_TRIP', null, null, 0, e.tripId ?? null));
        else if (d < (trips.departs[no] as number) || d > (trips.returns[no] as number))
          findings.push(finding(e, policy, 'OUTSIDE_TRIP', null, null, 0, (allTrips[no] as Trip).tripId));
      }
      const total = counted[k] === 1 && (tripDaysClaimed[no] as number) > tripDaysOf(no) ? (daysTotal[k] as number) : 0;
      if (total > 0 && no >= 0) {
        const reimbursable = (policy.perDiemPerTripDay as Cents) * (daysLeft[k] as number);
        const tripId = (allTrips[no] as Trip).tripId;
        findings.push(finding(e, policy, 'PER_DIEM_DAYS_EXCEEDED', tripDaysOf(no), total, reimbursable, tripId));
      }
      if (!policy.weekendAllowed && isWeekend(day[k] as number))
        findings.push(finding(e, policy, 'WEEKEND', null, null, 0, null));
    }
    if (j === sameEnd - 1 && sameEnd - sameFrom > 1) findings.push(...findings.splice(sameFindings).sort(byCode));
  }
}

/**
 * POST /api/checks/expenses and the pane's "Check expenses". Findings come in order of salesperson, date, expenseId
 * and the codes in the order of CODE_ORDER (dates are calendar dates, so day numbers order them as their text does).
 */
export function checkExpenses(input: ExpenseCheckInput, options: ExpenseCheckOptions = {}): ExpenseFinding[] {
  const x = prepare(input, options);
  for (const s of x.spOrder) checkRun(x, s);
  return x.findings;
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
