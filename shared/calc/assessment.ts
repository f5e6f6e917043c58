// The salesperson's month (issue #14, GET /api/salespeople/assessment): attendance, trip days, sales, receivables,
// expenses against policy and commission, per salesperson, each figure from the calculation that owns it.

import { computeReceivables } from './aging';
import { commissionStatement, monthNumber, otherCommissionCurrencies, type Month } from './commission';
import { checkExpenses, dayNumber, reimbursableAmounts } from './expenseCheck';
import { compareText, type LedgerData } from './index';
import { computeStatistics } from './statistics';
import { fromDayNumber, type IsoDate } from '../dates';
import type { AssessmentRowWire } from '../api';
import { DEFAULT_CURRENCY, formatMoney, roundHalfUpDiv, type Cents } from '../money';

export interface AssessmentRow {
  salespersonId: string;
  name: string;
  region: string;
  /** From the attendance row of the month; null when there is none. */
  workingDays: number | null;
  absentDays: number | null;
  leaveDays: number | null;
  /** Days of the month inside any of the salesperson's trips (departOn and returnOn included). */
  tripDays: number;
  contractsSigned: number;
  contractValue: Cents;
  delivered: Cents;
  invoiced: Cents;
  collected: Cents;
  /** Outstanding on the month's last day more than 0 days after its due date, on the salesperson's contracts. */
  overdue: Cents;
  /** Expenses incurred in the month: what was claimed, and what is reimbursable after the expense check. */
  expenses: Cents;
  reimbursable: Cents;
  /** Claimed expenses per trip day, rounded half-up to the cent; null without trip days. */
  expensesPerTripDay: Cents | null;
  /** Findings of the expense check on the month's expenses. */
  expenseFindings: number;
  commission: Cents;
  /**
   * The currency of the sales, receivables and commission figures: the house currency, like expenses. Figures of the
   * salesperson's contracts in other currencies are not added in; `otherCurrencies` names them (the statistics and
   * receivables have their rows, the commission statement one per currency).
   */
  currency: string;
  otherCurrencies: string[];
}

/** The first and last day of a month `YYYY-MM`. */
export function monthBounds(month: Month): { first: IsoDate; last: IsoDate } {
  const first = `${month}-01`;
  const n = monthNumber(month);
  const next =
    n % 100 === 12
      ? `${Math.floor(n / 100) + 1}-01-01`
      : `${month.slice(0, 5)}${String((n % 100) + 1).padStart(2, '0')}-01`;
  return { first, last: fromDayNumber(dayNumber(next) - 1) };
}

/** One row per salesperson (sorted by id) for the month. */
export function assessMonth(data: LedgerData, month: Month, houseCurrency: string = DEFAULT_CURRENCY): AssessmentRow[] {
  const { first, last } = monthBounds(month);
  const firstDay = dayNumber(first);
  const lastDay = dayNumber(last);
  const statRows = computeStatistics(data, {
    period: 'month',
    from: first,
    to: last,
    groupBy: 'salesperson',
    houseCurrency,
  });
  const agingRows = computeReceivables(data, { asOf: last, groupBy: 'salesperson', houseCurrency });
  // The house currency's rows only: a salesperson's figures in another currency are named, never added in.
  const stats = new Map(statRows.filter((r) => r.currency === houseCurrency).map((r) => [r.group, r]));
  const receivables = new Map(
    agingRows.filter((r) => r.currency === houseCurrency).map((r) => [r.group, r.total - r.current]),
  );
  const others = new Map<string, Set<string>>();
  for (const r of [...statRows, ...agingRows])
    if (r.group !== null && r.currency !== houseCurrency)
      others.set(r.group, (others.get(r.group) ?? new Set()).add(r.currency));
  const findings = checkExpenses(data);
  const reimbursable = reimbursableAmounts(data.expenses, findings);
  const inMonth = (d: IsoDate): boolean => d >= first && d <= last;
  const monthExpenses = new Set(data.expenses.filter((e) => inMonth(e.incurredOn)).map((e) => e.expenseId));
  const target = monthNumber(month);

  return [...data.salespeople]
    .sort((a, b) => compareText(a.salespersonId, b.salespersonId))
    .map((sp): AssessmentRow => {
      const id = sp.salespersonId;
      const attendance = data.attendance.find((a) => a.salespersonId === id && a.month === target);
      // Days of the month covered by any trip, each day once even where trips overlap.
      const covered = new Set<number>();
      for (const t of data.trips) {
        if (t.salespersonId !== id) continue;
        for (let d = Math.max(dayNumber(t.departOn), firstDay); d <= Math.min(dayNumber(t.returnOn), lastDay); d++)
          covered.add(d);
      }
      let claimed = 0;
      let payable = 0;
      for (const e of data.expenses)
        if (e.salespersonId === id && monthExpenses.has(e.expenseId)) {
          claimed += e.amount;
          payable += reimbursable.get(e.expenseId) ?? e.amount;
        }
      const s = stats.get(id);
      const currencies = { houseCurrency };
      const named = others.get(id) ?? new Set<string>();
      for (const c of otherCommissionCurrencies(data, id, month, currencies)) named.add(c);
      return {
        salespersonId: id,
        name: sp.name,
        region: sp.region,
        workingDays: attendance?.workingDays ?? null,
        absentDays: attendance?.absentDays ?? null,
        leaveDays: attendance?.leaveDays ?? null,
        tripDays: covered.size,
        contractsSigned: s?.contractsSigned ?? 0,
        contractValue: s?.contractValue ?? 0,
        delivered: s?.delivered ?? 0,
        invoiced: s?.invoiced ?? 0,
        collected: s?.collected ?? 0,
        overdue: receivables.get(id) ?? 0,
        expenses: claimed,
        reimbursable: payable,
        expensesPerTripDay: covered.size === 0 ? null : roundHalfUpDiv(claimed, covered.size),
        expenseFindings: findings.filter((f) => f.salespersonId === id && monthExpenses.has(f.expenseId)).length,
        commission: commissionStatement(data, id, month, undefined, currencies).commission,
        currency: houseCurrency,
        otherCurrencies: [...named].sort(),
      };
    });
}

const MONEY = [
  'contractValue',
  'delivered',
  'invoiced',
  'collected',
  'overdue',
  'expenses',
  'reimbursable',
  'commission',
] as const;

/** A row as on the wire: money as decimal strings. */
export function assessmentRowToWire(row: AssessmentRow): AssessmentRowWire {
  const money = Object.fromEntries(MONEY.map((f) => [f, formatMoney(row[f])])) as Record<
    (typeof MONEY)[number],
    string
  >;
  return {
    ...row,
    ...money,
    expensesPerTripDay: row.expensesPerTripDay === null ? null : formatMoney(row.expensesPerTripDay),
  };
}
