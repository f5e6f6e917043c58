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
// Cost: one pass to index trips and policies, one to place each expense and sum its day and duplicate groups, one to
// judge each expense; only groups that break a rule are sorted (by expenseId), and then the findings. No sort of
// all expenses, so 100,000 expenses cost a few hash lookups each (bench/expenseCheck.bench.ts).

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

/** A salesperson's trips by departure, with the latest return so far, for "is this day inside any trip". */
interface TripSpans {
  departs: number[];
  /** maxReturn[i] = the latest returnOn among trips 0..i. */
  maxReturn: number[];
  trips: Trip[];
}

function spansOf(trips: Trip[]): TripSpans {
  trips.sort((a, b) => compareText(a.departOn, b.departOn) || compareText(a.tripId, b.tripId));
  const departs: number[] = [];
  const maxReturn: number[] = [];
  let latest = -Infinity;
  for (const t of trips) {
    departs.push(dayNumber(t.departOn));
    latest = Math.max(latest, dayNumber(t.returnOn));
    maxReturn.push(latest);
  }
  return { departs, maxReturn, trips };
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

/** A trip of the salesperson covering `day` (the latest departed one that has not returned), or undefined. */
function tripCovering(spans: TripSpans | undefined, day: number): Trip | undefined {
  if (spans === undefined) return undefined;
  const last = lastDepartedBy(spans, day);
  if (last < 0 || (spans.maxReturn[last] as number) < day) return undefined;
  for (let i = last; i >= 0; i--) {
    const t = spans.trips[i] as Trip;
    if (dayNumber(t.returnOn) >= day) return t;
  }
  return undefined;
}

const tripDaysOf = (t: Trip): number => dayNumber(t.returnOn) - dayNumber(t.departOn) + 1;

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

function latestBy(list: ExpensePolicy[] | undefined, date: IsoDate): ExpensePolicy | undefined {
  if (list === undefined) return undefined;
  for (const p of list) if (p.effectiveFrom <= date) return p;
  return undefined;
}

/** The policy in effect for an expense of `category` on `date` in `region` (see the file comment). */
export function policyFor(
  index: PolicyIndex,
  category: string,
  region: string | undefined,
  date: IsoDate,
): ExpensePolicy | undefined {
  const byRegion = index.get(category);
  if (byRegion === undefined) return undefined;
  return (region === undefined ? undefined : latestBy(byRegion.get(region), date)) ?? latestBy(byRegion.get(''), date);
}

/** One expense as placed by the first pass, with what the groups decided about it. */
interface Placed {
  e: Expense;
  policy: ExpensePolicy | undefined;
  day: number;
  /** The claim capped by its claim limit (per diem included): what the day's sum counts. */
  capped: Cents;
  claimLimit: Cents | undefined;
  perDiemDays: number;
  /** The trip it belongs to, looked up only when its policy needs a trip or pays a per diem. */
  trip: Trip | undefined;
  /** Over the daily limit: the day's sum and this expense's share of the limit. */
  daySum: number;
  dayShare: Cents;
  /** The earliest expense it repeats (DUPLICATE), or undefined. */
  earlier: string | undefined;
  /** Per diem beyond the trip's days: the trip's days claimed up to this one, and the days left for it. */
  daysTotal: number;
  daysLeft: number;
}

/** A group of expenses that share a limit (a day and category, a trip's per diem) or a duplicate key. */
interface Group {
  members: Placed[];
  sum: number;
}

function addTo<K>(groups: Map<K, Group>, key: K, p: Placed, amount: number): void {
  const g = groups.get(key);
  if (g === undefined) groups.set(key, { members: [p], sum: amount });
  else {
    g.members.push(p);
    g.sum += amount;
  }
}

/** One salesperson's expenses: their day and category sums and their expenses by amount (duplicate candidates). */
interface SalespersonState {
  region: string | undefined;
  spans: TripSpans | undefined;
  /** Keyed by category number × 2²² + day + 30,000 (days of years 1900–9999 fit in 22 bits). */
  days: Map<number, Group>;
  byAmount: Map<number, Placed[]>;
}

const byExpenseId = (a: Placed, b: Placed): number => compareText(a.e.expenseId, b.e.expenseId);

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

function finding(
  p: Placed,
  code: ExpenseFindingCode,
  limit: number | null,
  actual: number | null,
  reimbursable: Cents,
  refersTo: string | null,
): ExpenseFinding {
  const e = p.e;
  return {
    expenseId: e.expenseId,
    salespersonId: e.salespersonId,
    incurredOn: e.incurredOn,
    code,
    policyId: p.policy?.policyId ?? null,
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
  const tripsById = new Map<string, Trip>();
  const tripsBySp = new Map<string, Trip[]>();
  for (const t of input.trips) {
    tripsById.set(t.tripId, t);
    const list = tripsBySp.get(t.salespersonId);
    if (list === undefined) tripsBySp.set(t.salespersonId, [t]);
    else list.push(t);
  }
  const states = new Map<string, SalespersonState>();
  const categories = new Map<string, number>();

  // Pass 1: each expense's policy, capped claim and trip; its day's sum, its amount's duplicate candidates and the
  // per-diem days of its trip. Keys are numbers or objects, never built strings: 100,000s of lookups stay cheap.
  const placed: Placed[] = [];
  const perDiem = new Map<Trip, Group>();
  for (const e of input.expenses) {
    let st = states.get(e.salespersonId);
    if (st === undefined) {
      const mine = tripsBySp.get(e.salespersonId);
      st = {
        region: regions.get(e.salespersonId),
        spans: mine === undefined ? undefined : spansOf(mine),
        days: new Map(),
        byAmount: new Map(),
      };
      states.set(e.salespersonId, st);
    }
    const policy = policyFor(policies, e.category, st.region, e.incurredOn);
    const perDiemDays = e.tripDays ?? 1;
    let claimLimit = policy?.limitPerClaim;
    if (policy?.perDiemPerTripDay !== undefined) {
      const perDiemLimit = policy.perDiemPerTripDay * perDiemDays;
      claimLimit = claimLimit === undefined ? perDiemLimit : Math.min(claimLimit, perDiemLimit);
    }
    const p: Placed = {
      e,
      policy,
      day: dayNumber(e.incurredOn),
      capped: claimLimit === undefined ? e.amount : Math.min(e.amount, claimLimit),
      claimLimit,
      perDiemDays,
      trip: undefined,
      daySum: 0,
      dayShare: 0,
      earlier: undefined,
      daysTotal: 0,
      daysLeft: 0,
    };
    placed.push(p);
    if (policy?.limitPerDay !== undefined) {
      let c = categories.get(e.category);
      if (c === undefined) categories.set(e.category, (c = categories.size));
      addTo(st.days, c * 4_194_304 + p.day + 30_000, p, p.capped);
    }
    if (e.merchant !== undefined || e.receiptNo !== undefined) {
      const same = st.byAmount.get(e.amount);
      if (same === undefined) st.byAmount.set(e.amount, [p]);
      else same.push(p);
    }
    if (policy?.perDiemPerTripDay !== undefined || policy?.needsTrip === true) {
      const named = e.tripId === undefined ? undefined : tripsById.get(e.tripId);
      const trip = (p.trip =
        e.tripId === undefined
          ? tripCovering(st.spans, p.day)
          : named !== undefined && named.salespersonId === e.salespersonId
            ? named
            : undefined);
      if (policy.perDiemPerTripDay !== undefined && trip !== undefined) addTo(perDiem, trip, p, perDiemDays);
    }
  }

  // Groups that break a rule: shares of the day's limit, the earliest of each duplicate set, per-diem days left.
  for (const st of states.values()) {
    for (const g of st.days.values()) {
      const limit = (g.members[0] as Placed).policy?.limitPerDay as Cents;
      if (g.sum <= limit) continue;
      let left = limit;
      for (const p of g.members.sort(byExpenseId)) {
        p.daySum = g.sum;
        p.dayShare = Math.min(p.capped, left);
        left -= p.dayShare;
      }
    }
    for (const same of st.byAmount.values()) {
      if (same.length < 2) continue;
      // Same salesperson and amount: the first of each day and merchant, or day and receipt number, is the original.
      const first = new Map<string, string>();
      for (const p of same.sort(byExpenseId)) {
        for (const key of [
          p.e.merchant === undefined ? undefined : `${p.day}\u0000m${p.e.merchant}`,
          p.e.receiptNo === undefined ? undefined : `${p.day}\u0000r${p.e.receiptNo}`,
        ]) {
          if (key === undefined) continue;
          const original = first.get(key);
          if (original === undefined) first.set(key, p.e.expenseId);
          else if (p.earlier === undefined || original < p.earlier) p.earlier = original;
        }
      }
    }
  }
  for (const [trip, g] of perDiem) {
    const allowed = tripDaysOf(trip);
    if (g.sum <= allowed) continue;
    let total = 0;
    for (const p of g.members.sort(byExpenseId)) {
      const left = Math.max(0, allowed - total);
      total += p.perDiemDays;
      if (total > allowed) {
        p.daysTotal = total;
        p.daysLeft = Math.min(left, p.perDiemDays);
      }
    }
  }

  // Pass 2: the findings.
  const findings: ExpenseFinding[] = [];
  for (const p of placed) {
    const e = p.e;
    if (selected !== undefined && !selected.has(e.expenseId)) continue;
    const policy = p.policy;
    if (policy === undefined) findings.push(finding(p, 'NO_POLICY', null, null, e.amount, null));
    if (p.earlier !== undefined) findings.push(finding(p, 'DUPLICATE', null, e.amount, 0, p.earlier));
    if (policy === undefined) continue;
    if (p.claimLimit !== undefined && e.amount > p.claimLimit)
      findings.push(finding(p, 'OVER_CLAIM_LIMIT', p.claimLimit, e.amount, p.claimLimit, null));
    if (p.daySum > 0)
      findings.push(finding(p, 'OVER_DAILY_LIMIT', policy.limitPerDay ?? null, p.daySum, p.dayShare, null));
    const threshold = policy.receiptRequiredAbove;
    if (threshold !== undefined && e.amount > threshold && e.receipt !== true && e.receiptNo === undefined)
      findings.push(finding(p, 'RECEIPT_MISSING', threshold, e.amount, threshold, null));
    if (policy.needsTrip) {
      const t = p.trip;
      if (t === undefined) findings.push(finding(p, 'OUTSIDE_TRIP', null, null, 0, e.tripId ?? null));
      else if (e.incurredOn < t.departOn || e.incurredOn > t.returnOn)
        findings.push(finding(p, 'OUTSIDE_TRIP', null, null, 0, t.tripId));
    }
    if (p.daysTotal > 0) {
      const t = p.trip as Trip;
      const reimbursable = (policy.perDiemPerTripDay as Cents) * p.daysLeft;
      findings.push(finding(p, 'PER_DIEM_DAYS_EXCEEDED', tripDaysOf(t), p.daysTotal, reimbursable, t.tripId));
    }
    if (!policy.weekendAllowed && isWeekend(p.day)) findings.push(finding(p, 'WEEKEND', null, null, 0, null));
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
