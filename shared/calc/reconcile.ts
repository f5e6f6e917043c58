// Reconciliation (issue 13 §3): our open items against the other side's lines (a customer's statement, a finance
// ledger export), matched in ordered passes, first match wins, each match with its reason; and the reconciling
// statement, our balance − only ours + only theirs + differences = their balance, which ties to the cent.
//
// Amounts on both sides are read as amounts the customer owes us: invoices positive, payments and credits negative.
// The result depends only on the lines' contents, never on the order they are given in: both sides are sorted by
// (normalised reference, date, amount, reference) before matching, and lines with equal contents are interchangeable.

import { daysBetween, type IsoDate } from '../dates';
import { DomainError } from '../errors';
import type { Cents } from '../money';

/** One line of either side. `id` is the caller's handle (a sheet row, an invoice number); it does not affect matching. */
export interface ReconLine {
  readonly id: string;
  readonly ref: string;
  readonly date: IsoDate;
  readonly amount: Cents;
}

export const MATCH_REASONS = ['confirmed', 'reference_amount', 'reference_difference', 'amount_date', 'sum'] as const;
export type MatchReason = (typeof MATCH_REASONS)[number];

/** What people read for each reason (the pane's match-status column). */
export const MATCH_REASON_LABELS: Record<MatchReason, string> = {
  confirmed: 'Confirmed earlier',
  reference_amount: 'Same document and amount',
  reference_difference: 'Same document, amount differs',
  amount_date: 'Probable: same amount, near date',
  sum: 'Several of ours make one of theirs',
};

export interface ReconMatch {
  readonly reason: MatchReason;
  readonly ours: readonly ReconLine[];
  readonly theirs: readonly ReconLine[];
  /** Σ theirs − Σ ours; 0 except for 'reference_difference' (and for confirmed matches that had a difference). */
  readonly difference: Cents;
}

/** A match a person confirmed earlier, by line keys (lineKey): kept as it is, so a new period matches only what is new. */
export interface ConfirmedMatch {
  readonly ours: readonly string[];
  readonly theirs: readonly string[];
}

export interface ReconOptions {
  /** Largest |difference| accepted for the same document number with another amount, in cents (default 0: none). */
  readonly amountTolerance?: Cents;
  /** ± days for the same-amount pass (default 3). */
  readonly dateWindowDays?: number;
  /** ± days between one of theirs and the lines of ours that sum to it (default 60). */
  readonly sumWindowDays?: number;
  /** Most lines of ours that may sum to one of theirs (default 4, at most 6). */
  readonly maxSumLines?: number;
  readonly confirmed?: readonly ConfirmedMatch[];
}

export interface ReconStatement {
  readonly ourBalance: Cents;
  readonly onlyOurs: Cents;
  readonly onlyTheirs: Cents;
  readonly differences: Cents;
  readonly theirBalance: Cents;
  /** ourBalance − onlyOurs + onlyTheirs + differences === theirBalance. */
  readonly ties: boolean;
}

export interface ReconResult {
  readonly matches: readonly ReconMatch[];
  readonly onlyOurs: readonly ReconLine[];
  readonly onlyTheirs: readonly ReconLine[];
  readonly statement: ReconStatement;
}

/**
 * Document numbers compared without case, spaces, punctuation or the leading zeros of each number in them:
 * "inv-0012" and "INV 12" are equal, and so are "2016/07-003" and "2016-7/3".
 */
export function normaliseRef(ref: string): string {
  return ref
    .toUpperCase()
    .replace(/(^|\D)0+(?=\d)/g, '$1')
    .replace(/[^A-Z0-9]/g, '');
}

/** A line's key for confirmed matches: normalised reference, date and amount (what a person saw, not where it was). */
export function lineKey(line: Pick<ReconLine, 'ref' | 'date' | 'amount'>): string {
  return `${normaliseRef(line.ref)}|${line.date}|${line.amount}`;
}

interface Item {
  readonly line: ReconLine;
  readonly norm: string;
  used: boolean;
}

function compareStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byContent(a: Item, b: Item): number {
  return (
    compareStr(a.norm, b.norm) ||
    compareStr(a.line.date, b.line.date) ||
    a.line.amount - b.line.amount ||
    compareStr(a.line.ref, b.line.ref)
  );
}

function items(lines: readonly ReconLine[], side: string): Item[] {
  for (const l of lines) {
    if (!Number.isSafeInteger(l.amount))
      throw new DomainError('invalid_money', `${side} line ${l.id}: amount must be whole cents`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(l.date))
      throw new DomainError('invalid_date', `${side} line ${l.id}: date "${l.date}" is not YYYY-MM-DD`);
  }
  return lines.map((line) => ({ line, norm: normaliseRef(line.ref), used: false })).sort(byContent);
}

function groupByKey<T>(list: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const t of list) {
    const k = key(t);
    const bucket = map.get(k);
    if (bucket === undefined) map.set(k, [t]);
    else bucket.push(t);
  }
  return map;
}

function sum(lines: readonly ReconLine[]): Cents {
  let s = 0;
  for (const l of lines) s += l.amount;
  return s;
}

function take(reason: MatchReason, ours: Item[], theirs: Item[]): ReconMatch {
  for (const i of ours) i.used = true;
  for (const i of theirs) i.used = true;
  const o = ours.map((i) => i.line);
  const t = theirs.map((i) => i.line);
  return { reason, ours: o, theirs: t, difference: sum(t) - sum(o) };
}

/** Finds the first subset (fewest lines, then earliest in content order) of `pool` of 2..max lines summing to target. */
function subsetSum(pool: readonly Item[], target: Cents, max: number): Item[] | undefined {
  for (let size = 2; size <= Math.min(max, pool.length); size++) {
    const chosen: number[] = [];
    const search = (start: number, rest: Cents): boolean => {
      if (chosen.length === size) return rest === 0;
      for (let i = start; i <= pool.length - (size - chosen.length); i++) {
        chosen.push(i);
        if (search(i + 1, rest - (pool[i] as Item).line.amount)) return true;
        chosen.pop();
      }
      return false;
    };
    if (search(0, target)) return chosen.map((i) => pool[i] as Item);
  }
  return undefined;
}

/** Candidates of ours for the sum pass: at most this many nearest by date, so the search stays bounded. */
const SUM_POOL = 16;

export function reconcile(
  oursIn: readonly ReconLine[],
  theirsIn: readonly ReconLine[],
  options: ReconOptions = {},
): ReconResult {
  const tolerance = options.amountTolerance ?? 0;
  const window = options.dateWindowDays ?? 3;
  const sumWindow = options.sumWindowDays ?? 60;
  const maxSum = Math.min(options.maxSumLines ?? 4, 6);
  if (!Number.isSafeInteger(tolerance) || tolerance < 0)
    throw new DomainError('invalid_decimal', 'amountTolerance must be whole cents, 0 or more');
  for (const [name, v] of [
    ['dateWindowDays', window],
    ['sumWindowDays', sumWindow],
    ['maxSumLines', maxSum],
  ] as const)
    if (!Number.isSafeInteger(v) || v < 0)
      throw new DomainError('invalid_decimal', `${name} must be a whole number ≥ 0`);

  const ours = items(oursIn, 'our');
  const theirs = items(theirsIn, 'their');
  const matches: ReconMatch[] = [];

  // Pass 0: matches a person confirmed earlier, when every line they name is still there.
  if (options.confirmed !== undefined && options.confirmed.length > 0) {
    const ourByKey = groupByKey(ours, (i) => lineKey(i.line));
    const theirByKey = groupByKey(theirs, (i) => lineKey(i.line));
    const pick = (byKey: Map<string, Item[]>, keys: readonly string[]): Item[] | undefined => {
      const picked: Item[] = [];
      for (const k of keys) {
        const free = (byKey.get(k) ?? []).find((i) => !i.used && !picked.includes(i));
        if (free === undefined) return undefined;
        picked.push(free);
      }
      return picked;
    };
    for (const c of options.confirmed) {
      const o = pick(ourByKey, c.ours);
      const t = pick(theirByKey, c.theirs);
      if (o !== undefined && t !== undefined && o.length + t.length > 0) matches.push(take('confirmed', o, t));
    }
  }

  // Pass 1: the same normalised document number and the same amount.
  const theirByRefAmount = groupByKey(
    theirs.filter((i) => !i.used),
    (i) => `${i.norm}|${i.line.amount}`,
  );
  for (const o of ours) {
    if (o.used || o.norm === '') continue;
    const t = theirByRefAmount.get(`${o.norm}|${o.line.amount}`)?.find((i) => !i.used);
    if (t !== undefined) matches.push(take('reference_amount', [o], [t]));
  }

  // Pass 2: the same document number, the amount within the tolerance (the smallest difference, then content order).
  if (tolerance > 0) {
    const theirByRef = groupByKey(
      theirs.filter((i) => !i.used),
      (i) => i.norm,
    );
    for (const o of ours) {
      if (o.used || o.norm === '') continue;
      let best: Item | undefined;
      for (const t of theirByRef.get(o.norm) ?? []) {
        if (t.used) continue;
        const d = Math.abs(t.line.amount - o.line.amount);
        if (d <= tolerance && (best === undefined || d < Math.abs(best.line.amount - o.line.amount))) best = t;
      }
      if (best !== undefined) matches.push(take('reference_difference', [o], [best]));
    }
  }

  // Pass 3: the same amount, dates within ±window days, and the candidate unique from both sides (probable).
  // Candidates are counted among the lines left before the pass, so no match depends on an earlier one in it.
  {
    const ourLeft = groupByKey(
      ours.filter((i) => !i.used),
      (i) => String(i.line.amount),
    );
    const theirLeft = groupByKey(
      theirs.filter((i) => !i.used),
      (i) => String(i.line.amount),
    );
    const near = (a: Item, b: Item) => Math.abs(daysBetween(a.line.date, b.line.date)) <= window;
    const pairs: [Item, Item][] = [];
    for (const [amount, os] of ourLeft) {
      const ts = theirLeft.get(amount);
      if (ts === undefined) continue;
      for (const o of os) {
        const cands = ts.filter((t) => near(o, t));
        if (cands.length !== 1) continue;
        const t = cands[0] as Item;
        if (os.filter((x) => near(x, t)).length === 1) pairs.push([o, t]);
      }
    }
    for (const [o, t] of pairs) matches.push(take('amount_date', [o], [t]));
  }

  // Pass 4: several of ours summing exactly to one of theirs (a payment of several invoices), of the same sign and
  // within ±sumWindow days; theirs in content order, ours the nearest SUM_POOL by date.
  if (maxSum >= 2) {
    const ourLeft = ours.filter((i) => !i.used).sort((a, b) => compareStr(a.line.date, b.line.date) || byContent(a, b));
    for (const t of theirs) {
      if (t.used || t.line.amount === 0) continue;
      const sign = Math.sign(t.line.amount);
      const pool: Item[] = [];
      for (const o of ourLeft) {
        if (o.used || Math.sign(o.line.amount) !== sign || Math.abs(o.line.amount) >= Math.abs(t.line.amount)) continue;
        if (Math.abs(daysBetween(o.line.date, t.line.date)) <= sumWindow) pool.push(o);
      }
      if (pool.length < 2) continue;
      const nearest = pool
        .map((o) => ({ o, d: Math.abs(daysBetween(o.line.date, t.line.date)) }))
        .sort((a, b) => a.d - b.d || byContent(a.o, b.o))
        .slice(0, SUM_POOL)
        .map((x) => x.o)
        .sort(byContent);
      const found = subsetSum(nearest, t.line.amount, maxSum);
      if (found !== undefined) matches.push(take('sum', found, [t]));
    }
  }

  const onlyOurs = ours.filter((i) => !i.used).map((i) => i.line);
  const onlyTheirs = theirs.filter((i) => !i.used).map((i) => i.line);
  const ourBalance = sum(oursIn);
  const theirBalance = sum(theirsIn);
  const onlyOursSum = sum(onlyOurs);
  const onlyTheirsSum = sum(onlyTheirs);
  let differences = 0;
  for (const m of matches) differences += m.difference;
  return {
    matches,
    onlyOurs,
    onlyTheirs,
    statement: {
      ourBalance,
      onlyOurs: onlyOursSum,
      onlyTheirs: onlyTheirsSum,
      differences,
      theirBalance,
      ties: ourBalance - onlyOursSum + onlyTheirsSum + differences === theirBalance,
    },
  };
}
