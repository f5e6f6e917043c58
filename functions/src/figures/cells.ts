// Pure figure bookkeeping: a unit's contribution to the rollups, the cells a change moves, and rollups from ledgers.
//
// A "unit" is what one set of facts hangs off: a contract (contractFacts of its bundle) or a salesperson (expenseFacts
// of their expenses, which all share the salesperson's groups). Its contribution is its facts summed per day, with the
// groups they count under. Rollup cells are (dimension, day, group) → measure vector; a change of a unit moves the
// cells `after − before`. Every amount comes from shared/calc's facts, so no figure rule is restated here.

import { buildIndex, type LedgerData } from '../../../shared/calc';
import {
  contractFacts,
  expenseFacts,
  expenseGroups,
  MEASURES,
  type FactGroups,
  type FactSet,
} from '../../../shared/calc/statistics';
import type { IsoDate } from '../../../shared/dates';
import type { Expense, Salesperson } from '../../../shared/ledgers';

/** Rollup dimensions: the statistics groupings. `none` has the single group ''. */
export const DIMS = ['region', 'salesperson', 'customer', 'none'] as const;
export type Dim = (typeof DIMS)[number];

/** A measure vector in MEASURES order (contractsSigned is a count, the rest cents). */
export type Vec = number[];

export const zeroVec = (): Vec => MEASURES.map(() => 0);

export function isZero(v: Vec): boolean {
  return v.every((x) => x === 0);
}

/** What one unit currently adds to the rollups. */
export interface Contribution {
  groups: FactGroups;
  /** Facts summed per day. */
  days: Record<IsoDate, Vec>;
}

export function emptyContribution(): Contribution {
  return { groups: { region: undefined, salesperson: undefined, customer: undefined, currency: '' }, days: {} };
}

/** Sums fact sets of one unit (they share their groups: one contract, or one salesperson's expenses). */
export function contributionOf(sets: readonly FactSet[], groups?: FactGroups): Contribution {
  const out: Contribution = { groups: groups ?? sets[0]?.groups ?? emptyContribution().groups, days: {} };
  for (const set of sets) {
    for (const f of set.facts) {
      const v = (out.days[f.date] ??= zeroVec());
      const m = MEASURES.indexOf(f.measure);
      v[m] = (v[m] as number) + f.amount;
    }
  }
  return out;
}

/** A salesperson unit: the salesperson (maybe unknown) and their expenses. */
export function salespersonContribution(
  salespersonId: string,
  salesperson: Salesperson | undefined,
  expenses: readonly Expense[],
): Contribution {
  const sets = expenses.map((e) => expenseFacts(e, salesperson));
  // With no expenses there are no facts, but the groups still say where a future diff subtracts from.
  return contributionOf(sets, expenseGroups(salespersonId, salesperson));
}

/**
 * A rollup cell's group key carries the currency of its amounts (issue #13 §4): `<currency>|<group>`, where the
 * currency is the contract's ('' = the house currency: expenses, contracts without one) and the group '' under `none`.
 * So amounts of two currencies never meet in one cell. Currency codes never hold '|', so the first '|' splits.
 */
export function cellGroup(currency: string, group: string): string {
  return `${currency}|${group}`;
}

/**
 * The currency ('' = house) and group of a cell's group key. A key without '|' was written before cells carried
 * their currency (figures layout 2, rebuilt by figures/layout.ts): it reads as the house currency.
 */
export function splitCellGroup(key: string): { currency: string; group: string } {
  const bar = key.indexOf('|');
  return bar < 0 ? { currency: '', group: key } : { currency: key.slice(0, bar), group: key.slice(bar + 1) };
}

/** One rollup cell change (or value): dimension, day, group key (cellGroup: currency and group). */
export interface Cell {
  dim: Dim;
  date: IsoDate;
  group: string;
  v: Vec;
}

/** Accumulates cells keyed by (dim, date, group). */
export class CellSums {
  readonly cells = new Map<string, Cell>();

  add(dim: Dim, date: IsoDate, group: string, v: Vec, sign: 1 | -1): void {
    const key = `${dim}\u0000${date}\u0000${group}`;
    let cell = this.cells.get(key);
    if (cell === undefined) {
      cell = { dim, date, group, v: zeroVec() };
      this.cells.set(key, cell);
    }
    for (let i = 0; i < v.length; i++) cell.v[i] = (cell.v[i] as number) + sign * (v[i] as number);
  }

  addContribution(c: Contribution, sign: 1 | -1): void {
    for (const dim of DIMS) {
      const group = dim === 'none' ? '' : c.groups[dim];
      // A group that is undefined means "left out of this grouping" (expenses under customer, unknown regions).
      if (group === undefined) continue;
      // A state stored before contributions had a currency reads as the house currency ('').
      const key = cellGroup(c.groups.currency ?? '', group);
      for (const [date, v] of Object.entries(c.days)) this.add(dim, date, key, v, sign);
    }
  }

  /** Adds each of `cells` (a unit's moved cells, or a journal's). */
  addCells(cells: readonly Cell[]): void {
    for (const c of cells) this.add(c.dim, c.date, c.group, c.v, 1);
  }

  /** The non-zero cells. */
  list(): Cell[] {
    return [...this.cells.values()].filter((c) => !isZero(c.v));
  }
}

/** The cells that move when a unit's contribution changes from `before` to `after`. */
export function diffContributions(before: Contribution, after: Contribution): Cell[] {
  const sums = new CellSums();
  sums.addContribution(before, -1);
  sums.addContribution(after, 1);
  return sums.list();
}

/** Every unit's contribution, from approved ledger data: what the contract index's states hold after a rebuild. */
export function unitContributions(data: LedgerData): {
  contracts: Map<string, Contribution>;
  salespeople: Map<string, Contribution>;
} {
  const index = buildIndex(data);
  const contracts = new Map<string, Contribution>();
  for (const bundle of index.bundles.values())
    contracts.set(bundle.contractId, contributionOf([contractFacts(bundle)]));
  const expensesBySp = new Map<string, Expense[]>();
  for (const e of data.expenses) {
    const list = expensesBySp.get(e.salespersonId);
    if (list === undefined) expensesBySp.set(e.salespersonId, [e]);
    else list.push(e);
  }
  const salespeople = new Map<string, Contribution>();
  const ids = new Set([...index.salespeople.keys(), ...expensesBySp.keys()]);
  for (const id of ids)
    salespeople.set(id, salespersonContribution(id, index.salespeople.get(id), expensesBySp.get(id) ?? []));
  return { contracts, salespeople };
}

/**
 * The day cells of the rollups computed from scratch: what `rollups:rebuild` stores, and what incremental rollups must
 * equal to the cent. Month cells are sums of these.
 */
export function computeRollups(data: LedgerData): Cell[] {
  const { contracts, salespeople } = unitContributions(data);
  const sums = new CellSums();
  for (const c of contracts.values()) sums.addContribution(c, 1);
  for (const c of salespeople.values()) sums.addContribution(c, 1);
  return sums.list();
}
