// Dunning (issue 13 §1): which invoices to remind, at which level, with which interest and fee, as of a run date.
// Pure: the same rules serve POST /api/dunning/proposals and anyone else who proposes reminders.
//
// Decisions (issue 13):
// - Reference date: the pay-by date of the invoice's last issued (not cancelled, not draft) reminder, else its due
//   date. Eligible when reference date + the next level's graceDays < run date.
// - Next level: the lowest defined level above the last one; after the highest, the highest again. Not when the
//   invoice has had maxReminders reminders already (0 = no limit).
// - One reminder per customer and currency per run, when the eligible outstanding reaches the terms' minAmount; the
//   customer's unapplied payments in that currency are shown and netted from the total; blocked customers and
//   customers without reminder terms get none.
// - Fee: once per invoice and level (none when an earlier issued reminder had the invoice at that level), feeFixed +
//   outstanding × feePct %, then at least feeMin and at most feeMax when set; half-up to the cent.
// - Interest (levels with chargeInterest): simple, rate % a year over interestBasisDays, on the outstanding balance of
//   each day after the due date up to and including the run date (a payment lowers it from the day it is received),
//   less the interest already charged on earlier reminders for the invoice, never below 0.
// - Hold: an invoice whose customer has, in the same currency, an unapplied payment received within the last
//   POSSIBLE_PAYMENT_DAYS days (run date included) at least as large as the invoice's outstanding is listed as
//   "possible payment received" and not reminded.
// - A reminder resolves itself when all its invoices are paid (resolvedReminders).

import { addDays, daysBetween, type IsoDate } from '../dates';
import type { Cents } from '../money';
import { formatMoney, roundHalfUpDiv } from '../money';
import { REMINDER_STATUSES, type LetterPlaceholder, type Reminder, type ReminderLine } from '../ledgers';
import { ageContract, type OutstandingInvoice } from './aging';
import { buildIndex, compareText, type ContractBundle, type LedgerData } from './index';

/** A percentage with 4 decimals as an integer: 8.5 % → 85000. */
export type Pct4 = number;

export const POSSIBLE_PAYMENT_DAYS = 14;

export interface ReminderTermsRule {
  termsCode: string;
  name: string;
  minAmount: Cents;
  /** 0 = no limit. */
  maxReminders: number;
  interestRatePct: Pct4;
  interestBasisDays: number;
}

export interface ReminderLevelRule {
  termsCode: string;
  level: number;
  graceDays: number;
  payWithinDays: number;
  feeFixed: Cents;
  feePct: Pct4;
  feeMin?: Cents | undefined;
  feeMax?: Cents | undefined;
  chargeInterest: boolean;
  letterText?: string | undefined;
}

export interface DunningCustomer {
  customerId: string;
  name?: string | undefined;
  reminderTermsCode?: string | undefined;
  dunningBlocked?: boolean | undefined;
}

export type ReminderStatus = (typeof REMINDER_STATUSES)[number];

export interface IssuedReminderLine {
  invoiceNo: string;
  level: number;
  interest: Cents;
  fee: Cents;
}

export interface IssuedReminder {
  reminderNo: string;
  customerId: string;
  currency: string;
  level: number;
  issuedOn: IsoDate;
  payBy: IsoDate;
  status: ReminderStatus;
  lines: readonly IssuedReminderLine[];
}

export interface DunningInput {
  data: LedgerData;
  customers: readonly DunningCustomer[];
  terms: readonly ReminderTermsRule[];
  levels: readonly ReminderLevelRule[];
  reminders: readonly IssuedReminder[];
  asOf: IsoDate;
}

export interface ProposedLine {
  invoiceNo: string;
  contractId: string;
  dueOn: IsoDate;
  referenceDate: IsoDate;
  level: number;
  outstanding: Cents;
  daysOverdue: number;
  interest: Cents;
  fee: Cents;
}

export interface ProposedReminder {
  customerId: string;
  currency: string;
  termsCode: string;
  /** The highest level among its lines: the letter text used. */
  level: number;
  payBy: IsoDate;
  lines: ProposedLine[];
  outstanding: Cents;
  interest: Cents;
  fees: Cents;
  /** The customer's unapplied payments in this currency, netted from the total. */
  unapplied: Cents;
  /** outstanding + interest + fees − unapplied. */
  total: Cents;
  /** The level's letter text with its placeholders filled in ("" when the level has none). */
  letter: string;
}

export const HOLD_REASONS = ['possible_payment', 'max_reminders'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

export interface HeldInvoice {
  invoiceNo: string;
  customerId: string;
  currency: string;
  outstanding: Cents;
  reason: HoldReason;
}

export const SKIP_REASONS = ['blocked', 'no_terms', 'below_min_amount'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** A customer and currency with eligible invoices that gets no reminder, and why. */
export interface SkippedCustomer {
  customerId: string;
  currency: string;
  outstanding: Cents;
  reason: SkipReason;
}

export interface DunningProposal {
  asOf: IsoDate;
  /** Issued reminders whose invoices are all paid as of asOf: resolved (resolvedReminders). */
  resolved: string[];
  reminders: ProposedReminder[];
  held: HeldInvoice[];
  skipped: SkippedCustomer[];
}

/** Stored reminders and their lines (the reminders and reminderLines ledgers) as the history the rules read. */
export function issuedReminders(reminders: readonly Reminder[], lines: readonly ReminderLine[]): IssuedReminder[] {
  const byReminder = new Map<string, IssuedReminderLine[]>();
  for (const l of [...lines].sort((a, b) => a.lineNo - b.lineNo)) {
    const list = byReminder.get(l.reminderNo) ?? [];
    list.push({ invoiceNo: l.invoiceNo, level: l.level, interest: l.interest, fee: l.fee });
    byReminder.set(l.reminderNo, list);
  }
  return reminders.map((r) => ({ ...r, lines: byReminder.get(r.reminderNo) ?? [] }));
}

/** Issued or resolved reminders count; drafts were never sent and cancelled ones are void. */
function counts(r: IssuedReminder): boolean {
  return r.status === 'issued' || r.status === 'resolved';
}

interface InvoiceHistory {
  lastLevel: number;
  lastPayBy: IsoDate | undefined;
  lastIssuedOn: string;
  count: number;
  interestCharged: Cents;
  /** Levels the invoice was reminded at: a fee is charged once per invoice and level. */
  feeLevels: Set<number>;
}

function histories(reminders: readonly IssuedReminder[]): Map<string, InvoiceHistory> {
  const out = new Map<string, InvoiceHistory>();
  const ordered = reminders
    .filter(counts)
    .sort((a, b) => compareText(a.issuedOn, b.issuedOn) || compareText(a.reminderNo, b.reminderNo));
  for (const r of ordered)
    for (const l of r.lines) {
      let h = out.get(l.invoiceNo);
      if (h === undefined) {
        h = {
          lastLevel: 0,
          lastPayBy: undefined,
          lastIssuedOn: '',
          count: 0,
          interestCharged: 0,
          feeLevels: new Set(),
        };
        out.set(l.invoiceNo, h);
      }
      h.lastLevel = l.level;
      h.lastPayBy = r.payBy;
      h.lastIssuedOn = r.issuedOn;
      h.count++;
      h.interestCharged += l.interest;
      h.feeLevels.add(l.level);
    }
  return out;
}

/** The level after `last` among the defined levels (sorted ascending): the next higher one, else the highest. */
export function nextLevel(levels: readonly ReminderLevelRule[], last: number): ReminderLevelRule | undefined {
  return levels.find((l) => l.level > last) ?? levels[levels.length - 1];
}

/** feeFixed + outstanding × feePct %, clamped to [feeMin, feeMax] where set, half-up to the cent. */
export function levelFee(level: ReminderLevelRule, outstanding: Cents): Cents {
  let fee = level.feeFixed + roundHalfUpDiv(outstanding * level.feePct, 1_000_000);
  if (level.feeMin !== undefined) fee = Math.max(fee, level.feeMin);
  if (level.feeMax !== undefined) fee = Math.min(fee, level.feeMax);
  return fee;
}

/**
 * Simple interest in cents: Σ over days d in (dueOn, asOf] of the outstanding on day d × ratePct % / basisDays,
 * summed exactly (cent-days) and rounded half-up once. `changes`: the outstanding from each date on, ascending, the
 * first on or before the due date.
 */
export function simpleInterest(
  dueOn: IsoDate,
  asOf: IsoDate,
  changes: readonly { from: IsoDate; outstanding: Cents }[],
  ratePct: Pct4,
  basisDays: number,
): Cents {
  let centDays = 0n;
  const start = addDays(dueOn, 1);
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i] as { from: IsoDate; outstanding: Cents };
    const next = changes[i + 1];
    const from = c.from > start ? c.from : start;
    const until = next === undefined || next.from > addDays(asOf, 1) ? addDays(asOf, 1) : next.from;
    const days = daysBetween(from, until);
    if (days > 0) centDays += BigInt(c.outstanding) * BigInt(days);
  }
  const numerator = centDays * BigInt(ratePct);
  const divisor = BigInt(basisDays) * 1_000_000n;
  if (numerator <= 0n) return 0;
  return Number((numerator * 2n + divisor) / (divisor * 2n));
}

/** The outstanding of one invoice from each date on: as of its due date, then after each later change. */
function balanceChanges(
  bundle: ContractBundle,
  invoiceNo: string,
  dueOn: IsoDate,
  asOf: IsoDate,
): { from: IsoDate; outstanding: Cents }[] {
  // The allocation changes only on days a payment is received or an invoice is issued.
  const days = new Set<IsoDate>();
  for (const p of bundle.payments) if (p.receivedOn > dueOn && p.receivedOn <= asOf) days.add(p.receivedOn);
  for (const i of bundle.invoices) if (i.issuedOn > dueOn && i.issuedOn <= asOf) days.add(i.issuedOn);
  const outstandingOn = (d: IsoDate) =>
    ageContract(bundle, d)?.invoices.find((i) => i.invoiceNo === invoiceNo)?.outstanding ?? 0;
  const out = [{ from: dueOn, outstanding: outstandingOn(dueOn) }];
  for (const d of [...days].sort()) out.push({ from: d, outstanding: outstandingOn(d) });
  return out;
}

interface Candidate {
  invoice: OutstandingInvoice;
  bundle: ContractBundle;
  currency: string;
}

/** POST /api/dunning/proposals: the reminders a run on `asOf` would issue. Nothing is stored. */
export function proposeReminders(input: DunningInput): DunningProposal {
  const { asOf } = input;
  const customers = new Map(input.customers.map((c) => [c.customerId, c]));
  const terms = new Map(input.terms.map((t) => [t.termsCode, t]));
  const levelsOf = new Map<string, ReminderLevelRule[]>();
  for (const l of input.levels) {
    const list = levelsOf.get(l.termsCode) ?? [];
    list.push(l);
    levelsOf.set(l.termsCode, list);
  }
  for (const list of levelsOf.values()) list.sort((a, b) => a.level - b.level);
  const history = histories(input.reminders);

  // Per customer and currency: open invoices, unapplied money, and the recent unapplied payments.
  const open = new Map<string, Candidate[]>();
  const unapplied = new Map<string, Cents>();
  const recentUnapplied = new Map<string, Cents[]>();
  const groupKey = (customerId: string, currency: string) => `${customerId}\u0000${currency}`;
  const recentFrom = addDays(asOf, -(POSSIBLE_PAYMENT_DAYS - 1));
  for (const bundle of buildIndex(input.data).bundles.values()) {
    const aged = ageContract(bundle, asOf);
    if (aged === undefined) continue;
    const currency = aged.contract.currency ?? '';
    const key = groupKey(aged.contract.customerId, currency);
    for (const invoice of aged.invoices)
      if (invoice.outstanding > 0) {
        const list = open.get(key) ?? [];
        list.push({ invoice, bundle, currency });
        open.set(key, list);
      }
    if (aged.unapplied > 0) {
      unapplied.set(key, (unapplied.get(key) ?? 0) + aged.unapplied);
      // Payments are applied in receivedOn order, so the unapplied money is what the latest payments left over;
      // refunds (negative) took theirs back from it first, so they hold none of it.
      let rest = aged.unapplied;
      const latestFirst = bundle.payments
        .filter((p) => p.receivedOn <= asOf && p.amount > 0)
        .sort((a, b) => compareText(b.receivedOn, a.receivedOn) || compareText(b.paymentId, a.paymentId));
      const recent = recentUnapplied.get(key) ?? [];
      for (const p of latestFirst) {
        if (rest <= 0) break;
        const part = Math.min(p.amount, rest);
        rest -= part;
        if (p.receivedOn >= recentFrom) recent.push(part);
      }
      recentUnapplied.set(key, recent);
    }
  }

  const reminders: ProposedReminder[] = [];
  const held: HeldInvoice[] = [];
  const skipped: SkippedCustomer[] = [];
  const keys = [...open.keys()].sort(compareText);
  for (const key of keys) {
    const candidates = (open.get(key) ?? []).sort(
      (a, b) => compareText(a.invoice.dueOn, b.invoice.dueOn) || compareText(a.invoice.invoiceNo, b.invoice.invoiceNo),
    );
    const first = candidates[0] as Candidate;
    const customerId = first.invoice.customerId;
    const currency = first.currency;
    const customer = customers.get(customerId);
    const t = customer?.reminderTermsCode === undefined ? undefined : terms.get(customer.reminderTermsCode);
    const levels = t === undefined ? [] : (levelsOf.get(t.termsCode) ?? []);
    const recent = recentUnapplied.get(key) ?? [];
    const lines: ProposedLine[] = [];
    let eligibleOutstanding = 0;
    for (const { invoice, bundle } of candidates) {
      const h = history.get(invoice.invoiceNo);
      const referenceDate = h?.lastPayBy ?? invoice.dueOn;
      const level = nextLevel(levels, h?.lastLevel ?? 0);
      if (t === undefined || level === undefined) {
        // No terms: counted only to report the customer as skipped (when overdue at all).
        if (invoice.dueOn < asOf) eligibleOutstanding += invoice.outstanding;
        continue;
      }
      if (!(addDays(referenceDate, level.graceDays) < asOf)) continue;
      if (t.maxReminders > 0 && (h?.count ?? 0) >= t.maxReminders) {
        held.push({
          invoiceNo: invoice.invoiceNo,
          customerId,
          currency,
          outstanding: invoice.outstanding,
          reason: 'max_reminders',
        });
        continue;
      }
      if (recent.some((part) => part >= invoice.outstanding)) {
        held.push({
          invoiceNo: invoice.invoiceNo,
          customerId,
          currency,
          outstanding: invoice.outstanding,
          reason: 'possible_payment',
        });
        continue;
      }
      eligibleOutstanding += invoice.outstanding;
      const interest = level.chargeInterest
        ? Math.max(
            0,
            simpleInterest(
              invoice.dueOn,
              asOf,
              balanceChanges(bundle, invoice.invoiceNo, invoice.dueOn, asOf),
              t.interestRatePct,
              t.interestBasisDays,
            ) - (h?.interestCharged ?? 0),
          )
        : 0;
      const fee = h?.feeLevels.has(level.level) === true ? 0 : levelFee(level, invoice.outstanding);
      lines.push({
        invoiceNo: invoice.invoiceNo,
        contractId: invoice.contractId,
        dueOn: invoice.dueOn,
        referenceDate,
        level: level.level,
        outstanding: invoice.outstanding,
        daysOverdue: invoice.daysOverdue,
        interest,
        fee,
      });
    }
    if (eligibleOutstanding === 0) continue;
    const skip = (reason: SkipReason) =>
      skipped.push({ customerId, currency, outstanding: eligibleOutstanding, reason });
    if (customer?.dunningBlocked === true) skip('blocked');
    else if (t === undefined || levels.length === 0) skip('no_terms');
    else if (eligibleOutstanding < t.minAmount) skip('below_min_amount');
    else {
      const level = Math.max(...lines.map((l) => l.level));
      const rule = levels.find((l) => l.level === level) as ReminderLevelRule;
      let outstanding = 0;
      let interest = 0;
      let fees = 0;
      for (const l of lines) {
        outstanding += l.outstanding;
        interest += l.interest;
        fees += l.fee;
      }
      const net = unapplied.get(key) ?? 0;
      const reminder = {
        customerId,
        currency,
        termsCode: t.termsCode,
        level,
        payBy: addDays(asOf, rule.payWithinDays),
        lines,
        outstanding,
        interest,
        fees,
        unapplied: net,
        total: outstanding + interest + fees - net,
      };
      reminders.push({
        ...reminder,
        letter: fillLetter(rule.letterText ?? '', { ...reminder, asOf, customerName: customer?.name ?? customerId }),
      });
    }
  }
  return { asOf, resolved: resolvedReminders(input.data, input.reminders, asOf), reminders, held, skipped };
}

const PLACEHOLDER = /\{(\w+)\}/g;

/**
 * A letter text with {customer} (name), {invoices} (invoice numbers, comma-separated), {outstanding}, {interest},
 * {fees}, {unapplied}, {total} (amounts with two decimals), {currency}, {level}, {asOf} and {payBy} filled in.
 */
export function fillLetter(
  text: string,
  r: Omit<ProposedReminder, 'letter' | 'customerId' | 'termsCode'> & { asOf: IsoDate; customerName: string },
): string {
  const values: Record<LetterPlaceholder, string> = {
    customer: r.customerName,
    invoices: r.lines.map((l) => l.invoiceNo).join(', '),
    outstanding: formatMoney(r.outstanding),
    interest: formatMoney(r.interest),
    fees: formatMoney(r.fees),
    unapplied: formatMoney(r.unapplied),
    total: formatMoney(r.total),
    currency: r.currency,
    level: String(r.level),
    asOf: r.asOf,
    payBy: r.payBy,
  };
  return text.replace(PLACEHOLDER, (whole, name: string) =>
    Object.hasOwn(values, name) ? values[name as keyof typeof values] : whole,
  );
}

/** The issued reminders whose invoices are all paid as of `asOf`: they resolve themselves. */
export function resolvedReminders(data: LedgerData, reminders: readonly IssuedReminder[], asOf: IsoDate): string[] {
  const outstanding = new Map<string, Cents>();
  for (const bundle of buildIndex(data).bundles.values())
    for (const i of ageContract(bundle, asOf)?.invoices ?? []) outstanding.set(i.invoiceNo, i.outstanding);
  return reminders
    .filter((r) => r.status === 'issued' && r.lines.every((l) => (outstanding.get(l.invoiceNo) ?? 0) === 0))
    .map((r) => r.reminderNo);
}
