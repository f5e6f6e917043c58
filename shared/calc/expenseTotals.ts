// The expense check's totals per salesperson (issue #14): what each salesperson claimed, what is reimbursable, the
// difference and their findings counted by rule, from the findings of shared/calc/expenseCheck.ts. The pane's
// "Check expenses" and POST /api/checks/expenses both use it. Expenses are in the house currency, so the totals are
// plain sums of cents.
import { EXPENSE_FINDING_CODES, type ExpenseFindingCode, type ExpenseTotalsLineWire } from '../api';
import type { Expense } from '../ledgers';
import { formatMoney, type Cents } from '../money';
import { compareText } from './index';

/** What the totals need of a finding (an ExpenseFinding has all of it). */
export interface FindingForTotals {
  expenseId: string;
  salespersonId: string;
  code: ExpenseFindingCode;
  reimbursable: Cents;
}

export interface SalespersonExpenseTotals {
  salespersonId: string;
  /** The salesperson's expenses checked. */
  expenses: number;
  claimed: Cents;
  /** Σ of each expense's reimbursable amount: the lowest of its findings', or its claim when it has none. */
  reimbursable: Cents;
  /** claimed − reimbursable: what the findings cut. */
  difference: Cents;
  /** Findings per rule code, every code present (0 when none). */
  findings: Record<ExpenseFindingCode, number>;
}

function noFindings(): Record<ExpenseFindingCode, number> {
  const out = {} as Record<ExpenseFindingCode, number>;
  for (const code of EXPENSE_FINDING_CODES) out[code] = 0;
  return out;
}

/**
 * Totals per salesperson of one check's expenses and findings, in salespersonId order: every salesperson with an
 * expense in `expenses` gets a line, with or without findings. A finding whose expense is not in `expenses` still
 * counts under its code and salesperson (nothing is dropped), but adds no money.
 */
export function expenseTotalsBySalesperson(
  expenses: readonly Pick<Expense, 'expenseId' | 'salespersonId' | 'amount'>[],
  findings: readonly FindingForTotals[],
): SalespersonExpenseTotals[] {
  // Each expense's reimbursable amount: the lowest of its findings'.
  const lowest = new Map<string, Cents>();
  for (const f of findings) {
    const known = lowest.get(f.expenseId);
    if (known === undefined || f.reimbursable < known) lowest.set(f.expenseId, f.reimbursable);
  }
  const bySp = new Map<string, SalespersonExpenseTotals>();
  const lineOf = (salespersonId: string): SalespersonExpenseTotals => {
    let line = bySp.get(salespersonId);
    if (line === undefined) {
      line = { salespersonId, expenses: 0, claimed: 0, reimbursable: 0, difference: 0, findings: noFindings() };
      bySp.set(salespersonId, line);
    }
    return line;
  };
  for (const e of expenses) {
    const line = lineOf(e.salespersonId);
    const reimbursable = Math.max(0, Math.min(e.amount, lowest.get(e.expenseId) ?? e.amount));
    line.expenses++;
    line.claimed += e.amount;
    line.reimbursable += reimbursable;
    line.difference += e.amount - reimbursable;
  }
  for (const f of findings) lineOf(f.salespersonId).findings[f.code]++;
  return [...bySp.values()].sort((a, b) => compareText(a.salespersonId, b.salespersonId));
}

/** A line as on the wire: money as decimal strings. */
export function expenseTotalsToWire(t: SalespersonExpenseTotals): ExpenseTotalsLineWire {
  return {
    salespersonId: t.salespersonId,
    expenses: t.expenses,
    claimed: formatMoney(t.claimed),
    reimbursable: formatMoney(t.reimbursable),
    difference: formatMoney(t.difference),
    findings: { ...t.findings },
  };
}
