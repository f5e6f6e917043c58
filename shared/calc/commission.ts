// Commission on collections (issue #14): monthly statements per salesperson, earned per payment allocation.
//
// * The plan: the salesperson's planId (commissionPlans); without one, their flat commissionRate (0 when absent),
//   on money collected.
// * Basis `collected`: every allocation of a payment to an invoice (shared/calc/aging.ts allocateContract, the
//   aging's own rule) on the salesperson's contracts, in the month the payment was received. Money left unapplied
//   (beyond what the contract owes) earns nothing. Basis `invoiced`: every invoice of the salesperson's contracts,
//   its full amount, in the month it was issued.
// * Tiers are marginal, like tax brackets: the month's amounts are taken in order (date, then payment or invoice,
//   then invoice) and each part earns the rate of the tier the month's running total is in; a line that crosses a
//   tier boundary is split into one line per tier.
// * Late collection: when the plan has lateAfterDays and lateRate, an allocation received more than lateAfterDays
//   after its invoice's due date earns lateRate flat and does not count toward the tiers.
// * Refunds (negative payments, aging.ts): each reversal of an allocation is a `refund` line in the refund's month,
//   with the negative amount, at the rate the reversed money earned when it was allocated: when that allocation was
//   split across tiers, its highest tier is reversed first (a second refund of it goes on where the first stopped);
//   late money at the late rate. Refund lines do not count toward the month's tiers. A refund that only takes back
//   unapplied money reverses no allocation, so it claws nothing back. The allocation's own month keeps its lines.
// * Credit notes (issue #14): with basis `invoiced`, a credit note claws back in the month it was issued, as `credit`
//   lines of negative amount at the rates its invoice earned, taking the invoice's tier parts from the highest tier
//   down (parts an earlier credit note of that invoice took back are not taken twice; a credit beyond what the invoice
//   earned on takes back nothing more). Credit lines do not count toward their month's tiers. With basis `collected`
//   nothing is special: a credit note lowers what its invoice owes, and the allocation decides what payments earn.
// * Each line's commission is amount × rate rounded half-up (half away from zero) to the cent; a month's commission
//   is the sum of its lines.
// * Settled months: an approved commissionSettlements row locks its month at the commission it records. A settled
//   month's statement reports that commission, whatever its payments became later; the difference between what the
//   settled months before an open month earn now and what was settled for them lands in that open month as one
//   adjustment line (the run of settled months right before it). So a settled month never changes, and once the open
//   month is settled too, its settled commission includes the adjustment.
// * Currencies (no amount of one currency is added to one of another): a statement is in one currency and counts only
//   the salesperson's contracts in it (a contract without a currency: the house currency). A plan's tier starts are
//   amounts without a currency, taken as the house currency's, so a plan applies to the house currency only; in any
//   other currency the statement is that of a salesperson without a plan (their flat commissionRate on money
//   collected, 0 without one), so a tier start is never compared with another currency's money. A settlement locks its
//   own currency's month (its `currency`, absent: the house currency), and adjustments run per currency.

import { allocateContract, type Allocation } from './aging';
import {
  buildIndex,
  compareText,
  groupBy,
  invoiceAmount,
  type ContractBundle,
  type LedgerData,
  type LedgerIndex,
} from './index';
import { daysBetween, type IsoDate } from '../dates';
import { COMMISSION_TIERS, type CommissionPlan, type CommissionSettlement, type Salesperson } from '../ledgers';
import { DEFAULT_CURRENCY, roundHalfUpDiv, type Cents, type Rate4 } from '../money';

/** A month as `YYYY-MM`; settlements and attendance write it as the number YYYYMM. */
export type Month = string;

export function monthNumber(month: Month): number {
  return Number(month.slice(0, 4)) * 100 + Number(month.slice(5, 7));
}

export function monthLabel(n: number): Month {
  return `${Math.floor(n / 100)}-${String(n % 100).padStart(2, '0')}`;
}

export interface CommissionLine {
  kind: 'allocation' | 'invoice' | 'adjustment' | 'refund' | 'credit';
  /**
   * The payment received (allocation), the refund paid (refund), the invoice's issue date (invoice), the credit note's
   * issue date (credit); the month's first day (adjustment).
   */
  date: IsoDate;
  paymentId: string | null;
  invoiceNo: string | null;
  contractId: string | null;
  /** The settled months whose change an adjustment carries, as YYYY-MM. */
  months: Month[];
  amount: Cents;
  /** Days after the due date the money came in (allocation), else null. */
  daysLate: number | null;
  /** Rate in ten-thousandths (0.03 = 300); null for an adjustment. */
  rate: Rate4 | null;
  commission: Cents;
  /** The credit note a `credit` line claws back for. */
  creditNoteNo?: string;
}

export interface CommissionStatement {
  salespersonId: string;
  month: Month;
  /** The currency of every amount of the statement: only the salesperson's contracts in it count. */
  currency: string;
  planId: string | null;
  basis: 'collected' | 'invoiced';
  /** A settled month reports the commission settled; its lines are what its records earn today. */
  settled: boolean;
  lines: CommissionLine[];
  commission: Cents;
}

interface Tier {
  from: Cents;
  rate: Rate4;
}

interface EffectivePlan {
  planId: string | null;
  basis: 'collected' | 'invoiced';
  tiers: Tier[];
  late: { afterDays: number; rate: Rate4 } | undefined;
}

/** The tiers of a plan, lowest first (the schema guarantees ascending starts and complete pairs). */
export function planTiers(plan: CommissionPlan): Tier[] {
  const tiers: Tier[] = [{ from: 0, rate: plan.rate1 }];
  const r = plan as unknown as Record<string, number | undefined>;
  for (let n = 2; n <= COMMISSION_TIERS; n++) {
    const from = r[`from${n}`];
    const rate = r[`rate${n}`];
    if (from === undefined || rate === undefined) break;
    tiers.push({ from, rate });
  }
  return tiers;
}

function effectivePlan(sp: Salesperson | undefined, plans: ReadonlyMap<string, CommissionPlan>): EffectivePlan {
  const plan = sp?.planId === undefined ? undefined : plans.get(sp.planId);
  if (plan === undefined)
    return { planId: null, basis: 'collected', tiers: [{ from: 0, rate: sp?.commissionRate ?? 0 }], late: undefined };
  return {
    planId: plan.planId,
    basis: plan.basis,
    tiers: planTiers(plan),
    late:
      plan.lateAfterDays !== undefined && plan.lateRate !== undefined
        ? { afterDays: plan.lateAfterDays, rate: plan.lateRate }
        : undefined,
  };
}

const commissionOf = (amount: Cents, rate: Rate4): Cents => roundHalfUpDiv(amount * rate, 10_000);

/** A month's amount before rates: one allocation, one invoice, or one reversal of an allocation by a refund. */
interface Earning {
  kind: 'allocation' | 'invoice' | 'refund';
  date: IsoDate;
  paymentId: string | null;
  invoiceNo: string;
  contractId: string;
  amount: Cents;
  daysLate: number | null;
  /** The allocation (kind allocation) or the reversal (kind refund) it comes from. */
  source: Allocation | null;
}

/** Part of an allocation's money at one rate. */
interface RatedPart {
  amount: Cents;
  rate: Rate4;
}

/** A month's lines, each with the earning it comes from. */
interface RatedLine {
  line: CommissionLine;
  earning: Earning;
}

/**
 * Applies the plan to a month's earnings, in order: marginal tiers, late money at the late rate; a refund's
 * reversal at the parts `refundParts` gives it (outside the tiers).
 */
function rateLines(
  plan: EffectivePlan,
  earnings: readonly Earning[],
  refundParts: (reversal: Allocation) => RatedPart[],
): RatedLine[] {
  const lines: RatedLine[] = [];
  let total = 0;
  let tier = 0;
  for (const earning of earnings) {
    const { source: _source, ...e } = earning;
    const base = { ...e, months: [] as Month[] };
    const push = (line: CommissionLine) => lines.push({ line, earning });
    if (e.kind === 'refund') {
      for (const part of refundParts(earning.source as Allocation))
        push({ ...base, amount: -part.amount, rate: part.rate, commission: commissionOf(-part.amount, part.rate) });
      continue;
    }
    if (plan.late !== undefined && e.daysLate !== null && e.daysLate > plan.late.afterDays) {
      push({ ...base, rate: plan.late.rate, commission: commissionOf(e.amount, plan.late.rate) });
      continue;
    }
    let rest = e.amount;
    while (rest > 0) {
      while (tier + 1 < plan.tiers.length && total >= (plan.tiers[tier + 1] as Tier).from) tier++;
      const { rate } = plan.tiers[tier] as Tier;
      const upper = tier + 1 < plan.tiers.length ? (plan.tiers[tier + 1] as Tier).from : Infinity;
      const part = Math.min(rest, upper - total);
      push({ ...base, amount: part, rate, commission: commissionOf(part, rate) });
      total += part;
      rest -= part;
    }
  }
  return lines;
}

const byEarningOrder = (a: Earning, b: Earning): number =>
  compareText(a.date, b.date) ||
  compareText(a.paymentId ?? '', b.paymentId ?? '') ||
  compareText(a.invoiceNo, b.invoiceNo);

interface SalespersonContracts {
  index: LedgerIndex;
  /** The bundles of existing contracts, by their salesperson. */
  bySalesperson: Map<string, ContractBundle[]>;
}

/**
 * The index of a bundle of records and its contracts by salesperson, built once per bundle (the records are not
 * changed by any calculation), so statements of many salespeople and months (the assessment, a year's report) index
 * the ledgers once instead of once per statement.
 */
const indexed = new WeakMap<LedgerData, SalespersonContracts>();

function contractsOf(data: LedgerData): SalespersonContracts {
  let found = indexed.get(data);
  if (found === undefined) {
    const index = buildIndex(data);
    const bySalesperson = new Map<string, ContractBundle[]>();
    for (const bundle of index.bundles.values()) {
      const sp = bundle.contract?.salespersonId;
      if (sp === undefined) continue;
      const list = bySalesperson.get(sp);
      if (list === undefined) bySalesperson.set(sp, [bundle]);
      else list.push(bundle);
    }
    found = { index, bySalesperson };
    indexed.set(data, found);
  }
  return found;
}

/**
 * Every month's earnings of one salesperson, by month (YYYY-MM). Allocations are made as of `asOf`; payments and
 * invoices dated after it do not count.
 */
function earningsByMonth(
  data: LedgerData,
  salespersonId: string,
  basis: 'collected' | 'invoiced',
  asOf: IsoDate,
  { currency, houseCurrency }: Required<StatementCurrency>,
): Map<Month, Earning[]> {
  const months = new Map<Month, Earning[]>();
  const add = (e: Earning): void => {
    const m = e.date.slice(0, 7);
    const list = months.get(m);
    if (list === undefined) months.set(m, [e]);
    else list.push(e);
  };
  const { index, bySalesperson } = contractsOf(data);
  for (const bundle of bySalesperson.get(salespersonId) ?? []) {
    if ((bundle.contract?.currency ?? houseCurrency) !== currency) continue;
    if (basis === 'invoiced') {
      for (const inv of bundle.invoices) {
        if (inv.issuedOn > asOf) continue;
        const amount = invoiceAmount(index.linesByInvoice.get(inv.invoiceNo) ?? []);
        if (amount === 0) continue;
        add({
          kind: 'invoice',
          date: inv.issuedOn,
          paymentId: null,
          invoiceNo: inv.invoiceNo,
          contractId: bundle.contractId,
          amount,
          daysLate: null,
          source: null,
        });
      }
      continue;
    }
    for (const a of allocateContract(bundle, asOf)?.allocations ?? [])
      add({
        kind: a.reverses === undefined ? 'allocation' : 'refund',
        date: a.payment.receivedOn,
        paymentId: a.payment.paymentId,
        invoiceNo: a.invoice.invoiceNo,
        contractId: bundle.contractId,
        amount: a.amount,
        daysLate: a.reverses === undefined ? daysBetween(a.dueOn, a.payment.receivedOn) : null,
        source: a,
      });
  }
  for (const list of months.values()) list.sort(byEarningOrder);
  return months;
}

/**
 * Takes `amount` from `parts` in their order, lowering each part by what it gives: what each part gave, at its rate.
 * Beyond what the parts still hold, nothing more is taken. Refunds and credit notes both claw back this way, from the
 * highest tier part down, so a second clawback of the same money goes on where the first stopped.
 */
function takeParts(parts: RatedPart[], amount: Cents): RatedPart[] {
  const taken: RatedPart[] = [];
  let rest = amount;
  for (const part of parts) {
    if (rest === 0) break;
    const take = Math.min(part.amount, rest);
    if (take === 0) continue;
    part.amount -= take;
    rest -= take;
    taken.push({ amount: take, rate: part.rate });
  }
  return taken;
}

/**
 * Basis `invoiced`: the clawback lines of the salesperson's credit notes issued by asOf, by the month they were issued
 * (see the file comment). `rated(month)` is a month's lines before credits, where each invoice's tier parts are.
 */
function creditLines(
  data: LedgerData,
  salespersonId: string,
  asOf: IsoDate,
  rated: (month: Month) => CommissionLine[],
  { currency, houseCurrency }: Required<StatementCurrency>,
): Map<Month, CommissionLine[]> {
  const out = new Map<Month, CommissionLine[]>();
  const { index, bySalesperson } = contractsOf(data);
  for (const bundle of bySalesperson.get(salespersonId) ?? []) {
    if ((bundle.contract?.currency ?? houseCurrency) !== currency) continue;
    const byInvoice = groupBy(
      bundle.creditNotes.filter((cn) => cn.issuedOn <= asOf),
      (cn) => cn.invoiceNo,
    );
    for (const [invoiceNo, notes] of byInvoice) {
      const invoice = index.invoices.get(invoiceNo);
      // What the invoice earned, highest tier part first: nothing when it was not issued by asOf or is not theirs.
      const parts =
        invoice === undefined || invoice.issuedOn > asOf
          ? []
          : rated(invoice.issuedOn.slice(0, 7))
              .filter((l) => l.kind === 'invoice' && l.invoiceNo === invoiceNo)
              .map((l): RatedPart => ({ amount: l.amount, rate: l.rate as Rate4 }))
              .reverse();
      notes.sort((a, b) => compareText(a.issuedOn, b.issuedOn) || compareText(a.creditNoteNo, b.creditNoteNo));
      for (const cn of notes) {
        const m = cn.issuedOn.slice(0, 7);
        for (const take of takeParts(parts, cn.amount)) {
          const line: CommissionLine = {
            kind: 'credit',
            date: cn.issuedOn,
            paymentId: null,
            invoiceNo,
            contractId: bundle.contractId,
            months: [],
            amount: -take.amount,
            daysLate: null,
            rate: take.rate,
            commission: -commissionOf(take.amount, take.rate),
            creditNoteNo: cn.creditNoteNo,
          };
          const lines = out.get(m);
          if (lines === undefined) out.set(m, [line]);
          else lines.push(line);
        }
      }
    }
  }
  for (const lines of out.values())
    lines.sort((a, b) => compareText(a.date, b.date) || compareText(a.creditNoteNo ?? '', b.creditNoteNo ?? ''));
  return out;
}

const sum = (lines: readonly CommissionLine[]): Cents => lines.reduce((s, l) => s + l.commission, 0);

/** Which currency a statement is in; both default to the house currency (DEFAULT_CURRENCY unless configured). */
export interface StatementCurrency {
  currency?: string;
  houseCurrency?: string;
}

/**
 * The commission statement of one salesperson for one month in one currency (see the file comment). `asOf` bounds the
 * records that count (default: the last day of 9999, i.e. everything).
 */
export function commissionStatement(
  data: LedgerData,
  salespersonId: string,
  month: Month,
  asOf: IsoDate = '9999-12-31',
  { houseCurrency = DEFAULT_CURRENCY, currency = houseCurrency }: StatementCurrency = {},
): CommissionStatement {
  const sp = data.salespeople.find((s) => s.salespersonId === salespersonId);
  // Tier starts are house-currency amounts: another currency earns as without a plan (see the file comment).
  const plans = currency === houseCurrency ? data.commissionPlans : [];
  const plan = effectivePlan(sp, new Map(plans.map((p) => [p.planId, p])));
  const earnings = earningsByMonth(data, salespersonId, plan.basis, asOf, { currency, houseCurrency });
  const settled = new Map<Month, CommissionSettlement>();
  for (const s of data.commissionSettlements)
    if (s.salespersonId === salespersonId && (s.currency ?? houseCurrency) === currency)
      settled.set(monthLabel(s.month), s);
  // A refund's parts come from the lines its reversed allocation earned in its own month. Refunds do not count
  // toward tiers, so those lines are the month's lines without its refunds (no month waits on itself). Each month is
  // rated so once, however many of its allocations refunds reverse.
  const withoutRefunds = new Map<Month, RatedLine[]>();
  const refundParts = partsOfRefunds(earnings, (m) => {
    let found = withoutRefunds.get(m);
    if (found === undefined) {
      found = rateLines(
        plan,
        (earnings.get(m) ?? []).filter((e) => e.kind !== 'refund'),
        () => [],
      );
      withoutRefunds.set(m, found);
    }
    return found;
  });
  const rated = new Map<Month, RatedLine[]>();
  const ratedMonth = (m: Month): RatedLine[] => {
    let found = rated.get(m);
    if (found === undefined) {
      found = rateLines(plan, earnings.get(m) ?? [], refundParts);
      rated.set(m, found);
    }
    return found;
  };
  const ratedLines = (m: Month): CommissionLine[] => ratedMonth(m).map((r) => r.line);
  const credits =
    plan.basis === 'invoiced'
      ? creditLines(data, salespersonId, asOf, ratedLines, { currency, houseCurrency })
      : new Map<Month, CommissionLine[]>();
  // Fresh arrays: the statement's lines are the caller's.
  const own = (m: Month): CommissionLine[] => [...ratedLines(m), ...(credits.get(m) ?? [])];
  const head = { salespersonId, month, currency, planId: plan.planId, basis: plan.basis };

  const locked = settled.get(month);
  if (locked !== undefined) return { ...head, settled: true, lines: own(month), commission: locked.commission };

  const lines = own(month);
  // The run of settled months right before this one: what they earn today against what was settled for them.
  const run: Month[] = [];
  let earnsNow = 0;
  let wasSettled = 0;
  for (let m = previousMonth(month); settled.has(m); m = previousMonth(m)) {
    run.unshift(m);
    earnsNow += sum(own(m));
    wasSettled += (settled.get(m) as CommissionSettlement).commission;
  }
  if (run.length > 0 && earnsNow !== wasSettled)
    lines.push({
      kind: 'adjustment',
      date: `${month}-01`,
      paymentId: null,
      invoiceNo: null,
      contractId: null,
      months: run,
      amount: 0,
      daysLate: null,
      rate: null,
      commission: earnsNow - wasSettled,
    });
  return { ...head, settled: false, lines, commission: sum(lines) };
}

/**
 * The rated parts of each refund's reversal: the reversed allocation's parts as its own month rated them, highest
 * tier first, less what earlier reversals of it took (reversals in the order the allocation made them).
 */
function partsOfRefunds(
  earnings: ReadonlyMap<Month, Earning[]>,
  allocationLines: (m: Month) => RatedLine[],
): (reversal: Allocation) => RatedPart[] {
  // Every reversal of each allocation, in allocation order (dates, then paymentIds: the order refunds were applied).
  const reversalsOf = new Map<Allocation, Allocation[]>();
  for (const list of earnings.values())
    for (const e of list) {
      const original = e.source?.reverses;
      if (original === undefined) continue;
      const rs = reversalsOf.get(original);
      if (rs === undefined) reversalsOf.set(original, [e.source as Allocation]);
      else rs.push(e.source as Allocation);
    }
  for (const rs of reversalsOf.values())
    rs.sort(
      (a, b) =>
        compareText(a.payment.receivedOn, b.payment.receivedOn) ||
        compareText(a.payment.paymentId, b.payment.paymentId),
    );
  const parts = new Map<Allocation, RatedPart[]>();
  return (reversal) => {
    const done = parts.get(reversal);
    if (done !== undefined) return done;
    const original = reversal.reverses as Allocation;
    // What the allocation earned, highest tier first (rateLines splits it lowest tier first).
    const left = allocationLines(original.payment.receivedOn.slice(0, 7))
      .filter((r) => r.earning.source === original)
      .map((r): RatedPart => ({ amount: r.line.amount, rate: r.line.rate as Rate4 }))
      .reverse();
    for (const r of reversalsOf.get(original) ?? []) parts.set(r, takeParts(left, -r.amount));
    return parts.get(reversal) ?? [];
  };
}

function previousMonth(month: Month): Month {
  const n = monthNumber(month);
  return monthLabel(n % 100 === 1 ? n - 89 : n - 1);
}

/**
 * The currencies a salesperson may have commission in, sorted: those of their contracts (a contract without one: the
 * house currency) and of their settlements.
 */
export function commissionCurrencies(
  data: LedgerData,
  salespersonId: string,
  houseCurrency: string = DEFAULT_CURRENCY,
): string[] {
  const found = new Set<string>();
  for (const bundle of contractsOf(data).bySalesperson.get(salespersonId) ?? [])
    found.add(bundle.contract?.currency ?? houseCurrency);
  for (const s of data.commissionSettlements)
    if (s.salespersonId === salespersonId) found.add(s.currency ?? houseCurrency);
  return [...found].sort(compareText);
}

/**
 * The currencies other than `currency` in which the salesperson has commission in the month: a statement with lines
 * (earnings or an adjustment) or a settled month. What a statement in one currency leaves out, named.
 */
export function otherCommissionCurrencies(
  data: LedgerData,
  salespersonId: string,
  month: Month,
  { houseCurrency = DEFAULT_CURRENCY, currency = houseCurrency }: StatementCurrency = {},
): string[] {
  return commissionCurrencies(data, salespersonId, houseCurrency).filter((c) => {
    if (c === currency) return false;
    const s = commissionStatement(data, salespersonId, month, undefined, { currency: c, houseCurrency });
    return s.settled || s.lines.length > 0;
  });
}
