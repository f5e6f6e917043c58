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
// * Credit notes (issue #14): with basis `invoiced`, a credit note claws back in the month it was issued, as `credit`
//   lines of negative amount at the rates its invoice earned, taking the invoice's tier parts from the highest tier
//   down (parts an earlier credit note of that invoice took back are not taken twice; a credit beyond what the invoice
//   earned on takes back nothing more). Credit lines do not count toward their month's tiers. With basis `collected`
//   nothing is special: a credit note lowers what its invoice owes, and the allocation decides what payments earn.
// * Each line's commission is amount × rate rounded half-up to the cent; a month's commission is the sum of its lines.
// * Settled months: an approved commissionSettlements row locks its month at the commission it records. A settled
//   month's statement reports that commission, whatever its payments became later; the difference between what the
//   settled months before an open month earn now and what was settled for them lands in that open month as one
//   adjustment line (the run of settled months right before it). So a settled month never changes, and once the open
//   month is settled too, its settled commission includes the adjustment.

import { allocateContract } from './aging';
import {
  buildIndex,
  compareText,
  invoiceAmount,
  type ContractBundle,
  type LedgerData,
  type LedgerIndex,
} from './index';
import { daysBetween, type IsoDate } from '../dates';
import {
  COMMISSION_TIERS,
  type CommissionPlan,
  type CreditNote,
  type CommissionSettlement,
  type Salesperson,
} from '../ledgers';
import { roundHalfUpDiv, type Cents, type Rate4 } from '../money';

/** A month as `YYYY-MM`; settlements and attendance write it as the number YYYYMM. */
export type Month = string;

export function monthNumber(month: Month): number {
  return Number(month.slice(0, 4)) * 100 + Number(month.slice(5, 7));
}

export function monthLabel(n: number): Month {
  return `${Math.floor(n / 100)}-${String(n % 100).padStart(2, '0')}`;
}

export interface CommissionLine {
  kind: 'allocation' | 'invoice' | 'adjustment' | 'credit';
  /** The payment received (allocation) or the invoice's issue date (invoice); the month's first day (adjustment). */
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

/** A month's amount before rates: one allocation or one invoice. */
interface Earning {
  kind: 'allocation' | 'invoice';
  date: IsoDate;
  paymentId: string | null;
  invoiceNo: string;
  contractId: string;
  amount: Cents;
  daysLate: number | null;
}

/** Applies the plan to a month's earnings, in order: marginal tiers, late money at the late rate. */
function rateLines(plan: EffectivePlan, earnings: readonly Earning[]): CommissionLine[] {
  const lines: CommissionLine[] = [];
  let total = 0;
  let tier = 0;
  for (const e of earnings) {
    const base = { ...e, months: [] as Month[] };
    if (plan.late !== undefined && e.daysLate !== null && e.daysLate > plan.late.afterDays) {
      lines.push({ ...base, rate: plan.late.rate, commission: commissionOf(e.amount, plan.late.rate) });
      continue;
    }
    let rest = e.amount;
    while (rest > 0) {
      while (tier + 1 < plan.tiers.length && total >= (plan.tiers[tier + 1] as Tier).from) tier++;
      const { rate } = plan.tiers[tier] as Tier;
      const upper = tier + 1 < plan.tiers.length ? (plan.tiers[tier + 1] as Tier).from : Infinity;
      const part = Math.min(rest, upper - total);
      lines.push({ ...base, amount: part, rate, commission: commissionOf(part, rate) });
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
        });
      }
      continue;
    }
    for (const a of allocateContract(bundle, asOf)?.allocations ?? [])
      add({
        kind: 'allocation',
        date: a.payment.receivedOn,
        paymentId: a.payment.paymentId,
        invoiceNo: a.invoice.invoiceNo,
        contractId: bundle.contractId,
        amount: a.amount,
        daysLate: daysBetween(a.dueOn, a.payment.receivedOn),
      });
  }
  for (const list of months.values()) list.sort(byEarningOrder);
  return months;
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
): Map<Month, CommissionLine[]> {
  const out = new Map<Month, CommissionLine[]>();
  const { index, bySalesperson } = contractsOf(data);
  for (const bundle of bySalesperson.get(salespersonId) ?? []) {
    const byInvoice = new Map<string, CreditNote[]>();
    for (const cn of bundle.creditNotes) {
      if (cn.issuedOn > asOf) continue;
      const notes = byInvoice.get(cn.invoiceNo);
      if (notes === undefined) byInvoice.set(cn.invoiceNo, [cn]);
      else notes.push(cn);
    }
    for (const [invoiceNo, notes] of byInvoice) {
      const invoice = index.invoices.get(invoiceNo);
      // What the invoice earned, highest tier part first: nothing when it was not issued by asOf or is not theirs.
      const parts =
        invoice === undefined || invoice.issuedOn > asOf
          ? []
          : rated(invoice.issuedOn.slice(0, 7))
              .filter((l) => l.kind === 'invoice' && l.invoiceNo === invoiceNo)
              .map((l) => ({ rate: l.rate as Rate4, left: l.amount }))
              .reverse();
      notes.sort((a, b) => compareText(a.issuedOn, b.issuedOn) || compareText(a.creditNoteNo, b.creditNoteNo));
      for (const cn of notes) {
        let rest = cn.amount;
        for (const part of parts) {
          if (rest === 0) break;
          const take = Math.min(rest, part.left);
          if (take === 0) continue;
          part.left -= take;
          rest -= take;
          const m = cn.issuedOn.slice(0, 7);
          const line: CommissionLine = {
            kind: 'credit',
            date: cn.issuedOn,
            paymentId: null,
            invoiceNo,
            contractId: bundle.contractId,
            months: [],
            amount: -take,
            daysLate: null,
            rate: part.rate,
            commission: -commissionOf(take, part.rate),
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

/**
 * The commission statement of one salesperson for one month (see the file comment). `asOf` bounds the records that
 * count (default: the last day of 9999, i.e. everything).
 */
export function commissionStatement(
  data: LedgerData,
  salespersonId: string,
  month: Month,
  asOf: IsoDate = '9999-12-31',
): CommissionStatement {
  const sp = data.salespeople.find((s) => s.salespersonId === salespersonId);
  const plan = effectivePlan(sp, new Map(data.commissionPlans.map((p) => [p.planId, p])));
  const earnings = earningsByMonth(data, salespersonId, plan.basis, asOf);
  const settled = new Map<Month, CommissionSettlement>();
  for (const s of data.commissionSettlements)
    if (s.salespersonId === salespersonId) settled.set(monthLabel(s.month), s);
  // A month's lines before credits, computed once: credit notes look up their invoice's month in them.
  const ratedMonths = new Map<Month, CommissionLine[]>();
  const rated = (m: Month): CommissionLine[] => {
    let lines = ratedMonths.get(m);
    if (lines === undefined) {
      lines = rateLines(plan, earnings.get(m) ?? []);
      ratedMonths.set(m, lines);
    }
    return lines;
  };
  const credits =
    plan.basis === 'invoiced' ? creditLines(data, salespersonId, asOf, rated) : new Map<Month, CommissionLine[]>();
  // Fresh arrays: the statement's lines are the caller's.
  const own = (m: Month): CommissionLine[] => [...rated(m), ...(credits.get(m) ?? [])];
  const head = { salespersonId, month, planId: plan.planId, basis: plan.basis };

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

function previousMonth(month: Month): Month {
  const n = monthNumber(month);
  return monthLabel(n % 100 === 1 ? n - 89 : n - 1);
}
