// Statistics by period and group (API.md "Statistics"), built as facts per contract and per expense, then bucketed.
//
// Facts are what a rollup engine needs: when one contract's rows change it recomputes that contract's facts before and
// after, and applies `negateFacts(before)` + `after` to the stored period × group × measure rollups. computeStatistics
// goes through the very same fact rules, so a rebuild from the ledgers agrees with the rollups to the cent.

import { PERIOD_KINDS, periodOf, type IsoDate, type PeriodKind } from '../dates';
import type { Contract, Expense, Salesperson } from '../ledgers';
import { DEFAULT_CURRENCY, lineAmount, type Cents } from '../money';
import {
  buildIndex,
  compareText,
  deliveryValue,
  itemOrders,
  orderValue,
  type ContractBundle,
  type LedgerData,
} from './index';

/** The measures of a statistics row, in wire order; contractsSigned is a count, the others are cents. */
/** How statistics rows are grouped (`groupBy` of GET /api/stats); here so shared/api.ts and this file do not import each other. */
export const STATS_GROUP_BY = ['region', 'salesperson', 'customer', 'none'] as const;
export type StatsGroupBy = (typeof STATS_GROUP_BY)[number];

export const MEASURES = [
  'contractsSigned',
  'contractValue',
  'delivered',
  'returned',
  'invoiced',
  'collected',
  'expenses',
] as const;
export type Measure = (typeof MEASURES)[number];

/** What people read for each measure: column headers in the add-in's tables and in report workbooks. */
export const MEASURE_LABELS: Record<Measure, string> = {
  contractsSigned: 'Contracts signed',
  contractValue: 'Contract value',
  delivered: 'Delivered',
  returned: 'Returned',
  invoiced: 'Invoiced',
  collected: 'Collected',
  expenses: 'Expenses',
};

const CONTRACTS_SIGNED = 0;
const CONTRACT_VALUE = 1;
const DELIVERED = 2;
const RETURNED = 3;
const INVOICED = 4;
const COLLECTED = 5;
const EXPENSES = 6;

/** One dated amount of one measure. */
export interface Fact {
  readonly date: IsoDate;
  readonly measure: Measure;
  readonly amount: number;
}

/** The group ids a set of facts falls under; undefined = left out of that grouping. */
export interface FactGroups {
  readonly region: string | undefined;
  readonly salesperson: string | undefined;
  readonly customer: string | undefined;
  /** The currency of the amounts: the contract's; '' = the house currency (expenses, contracts without one). */
  readonly currency: string;
}

/** The facts of one contract or one expense, with the groups they count under. */
export interface FactSet {
  readonly groups: FactGroups;
  readonly facts: readonly Fact[];
}

/** A statistics row in cents (the handler formats money with formatMoney). */
export interface StatsFigures {
  period: string;
  group: string | null;
  /** The currency of every amount of the row: a group with contracts in two currencies has two rows. */
  currency: string;
  contractsSigned: number;
  contractValue: Cents;
  delivered: Cents;
  returned: Cents;
  invoiced: Cents;
  collected: Cents;
  expenses: Cents;
}

export interface StatsOptions {
  period: PeriodKind;
  /** Inclusive, compared with each record's own date. */
  from: IsoDate;
  to: IsoDate;
  groupBy: StatsGroupBy;
  /** What the currency '' (expenses, contracts without a currency) stands for; default DEFAULT_CURRENCY. */
  houseCurrency?: string;
}

export interface MultiPeriodOptions {
  /** Period kinds to compute in one pass; default all three. */
  periods?: readonly PeriodKind[];
  from: IsoDate;
  to: IsoDate;
  groupBy: StatsGroupBy;
  /** What the currency '' (expenses, contracts without a currency) stands for; default DEFAULT_CURRENCY. */
  houseCurrency?: string;
}

export type StatsByPeriod = Partial<Record<PeriodKind, StatsFigures[]>>;

type Emit = (date: IsoDate, measure: number, amount: number) => void;

/**
 * The single statement of what a contract contributes to statistics. Nothing when the contract does not exist
 * (invoices and payments of unknown contracts are left out). A cancelled contract is not signed and has no value,
 * but its deliveries, invoices and payments still happened and still count.
 */
function emitContractFacts(bundle: ContractBundle, emit: Emit): void {
  const contract = bundle.contract;
  if (contract === undefined) return;
  if (contract.status !== 'cancelled') {
    emit(contract.signedOn, CONTRACTS_SIGNED, 1);
    emit(contract.signedOn, CONTRACT_VALUE, orderValue(bundle.orderLines));
  }
  if (bundle.deliveries.length > 0) {
    const items = itemOrders(bundle.orderLines);
    for (const d of bundle.deliveries)
      emit(d.date, d.kind === 'return' ? RETURNED : DELIVERED, deliveryValue(d, items));
  }
  if (bundle.invoiceLines.length > 0) {
    // Invoice lines count on their invoice's issue date.
    const issuedOn = new Map<string, IsoDate>();
    for (const inv of bundle.invoices) issuedOn.set(inv.invoiceNo, inv.issuedOn);
    for (const line of bundle.invoiceLines) {
      const date = issuedOn.get(line.invoiceNo);
      if (date !== undefined) emit(date, INVOICED, lineAmount(line.quantity, line.unitPrice));
    }
  }
  // A credit note lowers invoiced in its own period (its issue date), not in its invoice's.
  for (const cn of bundle.creditNotes) emit(cn.issuedOn, INVOICED, -cn.amount);
  // Payments count in full as received, overpayments included, under the payment's own contract.
  for (const p of bundle.payments) emit(p.receivedOn, COLLECTED, p.amount);
}

function emitExpenseFacts(expense: Expense, emit: Emit): void {
  emit(expense.incurredOn, EXPENSES, expense.amount);
}

function collect(run: (emit: Emit) => void): Fact[] {
  const facts: Fact[] = [];
  run((date, measure, amount) => {
    // Zero amounts change no figure; leaving them out keeps fact lists (and rollup deltas) small.
    if (amount !== 0) facts.push({ date, measure: MEASURES[measure] as Measure, amount });
  });
  return facts;
}

/** A contract's facts count under the contract's region, salesperson and customer. */
export function contractGroups(contract: Contract | undefined): FactGroups {
  return {
    region: contract?.region,
    salesperson: contract?.salespersonId,
    customer: contract?.customerId,
    currency: contract?.currency ?? '',
  };
}

/**
 * The groups of a salesperson's expenses: an expense counts under its salesperson's region and under the
 * salesperson, never under a customer. An expense whose salesperson is unknown (the ledger refuses those) still
 * counts under its salespersonId and under `none`, but has no region to count under.
 */
export function expenseGroups(salespersonId: string, salesperson: Salesperson | undefined): FactGroups {
  return { region: salesperson?.region, salesperson: salespersonId, customer: undefined, currency: '' };
}

/** Everything one contract contributes to statistics, with the contract's region, salesperson and customer. */
export function contractFacts(bundle: ContractBundle): FactSet {
  return { groups: contractGroups(bundle.contract), facts: collect((emit) => emitContractFacts(bundle, emit)) };
}

/** An expense's facts, with the groups of expenseGroups. */
export function expenseFacts(expense: Expense, salesperson: Salesperson | undefined): FactSet {
  return {
    groups: expenseGroups(expense.salespersonId, salesperson),
    facts: collect((emit) => emitExpenseFacts(expense, emit)),
  };
}

/** The same facts with opposite amounts: `negateFacts(before)` plus `after` is the change to apply to rollups. */
export function negateFacts(set: FactSet): FactSet {
  return { groups: set.groups, facts: set.facts.map((f) => ({ ...f, amount: -f.amount })) };
}

/** The currency a fact set's amounts are in: its own, or the house currency for ''. */
export function currencyOf(groups: Pick<FactGroups, 'currency'>, houseCurrency = DEFAULT_CURRENCY): string {
  return groups.currency === '' || groups.currency === undefined ? houseCurrency : groups.currency;
}

/**
 * Sums facts by group, currency and day: days are few compared with records, so periods are rolled up from days.
 * Amounts of different currencies go to different rows, never into one sum.
 */
class DayBuckets {
  readonly groups = new Map<string, { group: string | null; currency: string; days: Map<IsoDate, number[]> }>();

  constructor(
    readonly groupBy: StatsGroupBy,
    readonly from: IsoDate,
    readonly to: IsoDate,
    readonly houseCurrency: string,
  ) {}

  /** The day map of a fact set's group and currency, or undefined when the set is left out of this grouping. */
  daysOf(groups: FactGroups): Map<IsoDate, number[]> | undefined {
    let group: string | null;
    if (this.groupBy === 'none') group = null;
    else {
      const id = groups[this.groupBy];
      if (id === undefined) return undefined;
      group = id;
    }
    const currency = currencyOf(groups, this.houseCurrency);
    const key = `${group ?? ''}\u0000${currency}`;
    let entry = this.groups.get(key);
    if (entry === undefined) {
      entry = { group, currency, days: new Map() };
      this.groups.set(key, entry);
    }
    return entry.days;
  }

  emitterFor(groups: FactGroups): Emit | undefined {
    const days = this.daysOf(groups);
    if (days === undefined) return undefined;
    const { from, to } = this;
    return (date, measure, amount) => {
      if (date < from || date > to) return;
      let sums = days.get(date);
      if (sums === undefined) {
        sums = [0, 0, 0, 0, 0, 0, 0];
        days.set(date, sums);
      }
      sums[measure] = (sums[measure] as number) + amount;
    };
  }

  rows(kinds: readonly PeriodKind[]): StatsByPeriod {
    const labels = new Map<IsoDate, string[]>();
    const labelsOf = (date: IsoDate): string[] => {
      let l = labels.get(date);
      if (l === undefined) {
        l = kinds.map((k) => periodOf(date, k));
        labels.set(date, l);
      }
      return l;
    };
    const out: StatsByPeriod = {};
    kinds.forEach((kind, k) => {
      const rows: StatsFigures[] = [];
      for (const { group, currency, days } of this.groups.values()) {
        const periods = new Map<string, number[]>();
        for (const [date, sums] of days) {
          const label = labelsOf(date)[k] as string;
          const acc = periods.get(label);
          if (acc === undefined) periods.set(label, sums.slice());
          else for (let m = 0; m < acc.length; m++) acc[m] = (acc[m] as number) + (sums[m] as number);
        }
        for (const [period, s] of periods) {
          if (s.every((v) => v === 0)) continue;
          rows.push({
            period,
            group,
            currency,
            contractsSigned: s[CONTRACTS_SIGNED] as number,
            contractValue: s[CONTRACT_VALUE] as number,
            delivered: s[DELIVERED] as number,
            returned: s[RETURNED] as number,
            invoiced: s[INVOICED] as number,
            collected: s[COLLECTED] as number,
            expenses: s[EXPENSES] as number,
          });
        }
      }
      // Labels of one kind sort as text (2016-01 < 2016-12, 2016-Q1 < 2016-Q4); group null only occurs alone.
      rows.sort(
        (a, b) =>
          compareText(a.period, b.period) ||
          compareText(a.group ?? '', b.group ?? '') ||
          compareText(a.currency, b.currency),
      );
      out[kind] = rows;
    });
    return out;
  }
}

/** Buckets fact sets (e.g. from a rollup engine or a test) into rows for several period kinds in one pass. */
export function bucketFactsByPeriods(factSets: Iterable<FactSet>, options: MultiPeriodOptions): StatsByPeriod {
  const buckets = new DayBuckets(options.groupBy, options.from, options.to, options.houseCurrency ?? DEFAULT_CURRENCY);
  for (const set of factSets) {
    const emit = buckets.emitterFor(set.groups);
    if (emit === undefined) continue;
    for (const f of set.facts) emit(f.date, MEASURES.indexOf(f.measure), f.amount);
  }
  return buckets.rows(options.periods ?? PERIOD_KINDS);
}

/** Buckets fact sets into rows of one period kind. */
export function bucketFacts(factSets: Iterable<FactSet>, options: StatsOptions): StatsFigures[] {
  return bucketFactsByPeriods(factSets, { ...options, periods: [options.period] })[options.period] ?? [];
}

/**
 * Statistics for several period kinds in one pass over the ledgers (the report wants month, quarter and year).
 * Equivalent to bucketing every contractFacts and expenseFacts, without materialising the fact objects.
 */
export function mergeAllPeriods(data: LedgerData, options: MultiPeriodOptions): StatsByPeriod {
  const index = buildIndex(data);
  const buckets = new DayBuckets(options.groupBy, options.from, options.to, options.houseCurrency ?? DEFAULT_CURRENCY);
  for (const bundle of index.bundles.values()) {
    if (bundle.contract === undefined) continue;
    const emit = buckets.emitterFor(contractGroups(bundle.contract));
    if (emit !== undefined) emitContractFacts(bundle, emit);
  }
  // Expenses have no customer (expenseGroups), so grouping by customer can skip them.
  if (options.groupBy !== 'customer') {
    for (const e of data.expenses) {
      const emit = buckets.emitterFor(expenseGroups(e.salespersonId, index.salespeople.get(e.salespersonId)));
      if (emit !== undefined) emitExpenseFacts(e, emit);
    }
  }
  return buckets.rows(options.periods ?? PERIOD_KINDS);
}

/** GET /api/stats: rows per period × group × currency with any non-zero measure, sorted by period, group, currency. */
export function computeStatistics(data: LedgerData, options: StatsOptions): StatsFigures[] {
  return mergeAllPeriods(data, { ...options, periods: [options.period] })[options.period] ?? [];
}
