// "Check expenses" (issue #14): the shared expense check over the workbook's own rows, before anything is published.
// Marks the offending expense cells with a note per finding and writes the "Expense check" sheet: the findings, and
// beside them the totals per salesperson (shared/calc/expenseTotals.ts).
import { EXPENSE_FINDING_CODES, type ExpenseFindingCode } from '../../shared/api';
import { checkExpenses, type ExpenseFinding } from '../../shared/calc/expenseCheck';
import { expenseTotalsBySalesperson, type SalespersonExpenseTotals } from '../../shared/calc/expenseTotals';
import type { LedgerName } from '../../shared/ledgers';
import { formatMoney, scaledToCellNumber } from '../../shared/money';
import {
  INTEGER_FORMAT,
  MONEY_FORMAT,
  TEXT_FORMAT,
  type CellMark,
  type Matrix,
  type TableSpec,
  type WorkbookAdapter,
} from '../excel/workbookAdapter';
import { FINDING_FILL } from './invoiceCheck';
import { remark } from './marks';
import type { ProgressFn } from './progress';
import { readWorkbookRows, recordsOf } from './workbookRows';

export const EXPENSE_CHECK_SHEET = 'Expense check';
export const EXPENSE_CHECK_TABLE = 'ExpenseCheck';

export const EXPENSE_CHECK_SPEC: TableSpec = {
  sheet: EXPENSE_CHECK_SHEET,
  table: EXPENSE_CHECK_TABLE,
  columns: [
    { name: 'Expense ID', numberFormat: TEXT_FORMAT },
    { name: 'Salesperson ID', numberFormat: TEXT_FORMAT },
    { name: 'Incurred on', numberFormat: TEXT_FORMAT },
    { name: 'Finding', numberFormat: TEXT_FORMAT },
    { name: 'Policy', numberFormat: TEXT_FORMAT },
    // General: amounts are numbers, per-diem days are whole numbers.
    { name: 'Limit', numberFormat: 'General' },
    { name: 'Actual', numberFormat: 'General' },
    { name: 'Refers to', numberFormat: TEXT_FORMAT },
    { name: 'Claimed', numberFormat: MONEY_FORMAT },
    { name: 'Reimbursable', numberFormat: MONEY_FORMAT },
    { name: 'Cell', numberFormat: TEXT_FORMAT },
  ],
};

export const EXPENSE_TOTALS_TABLE = 'ExpenseTotals';

/** The totals per salesperson, one column right of the findings: the figures, then the findings per rule code. */
export const EXPENSE_TOTALS_SPEC: TableSpec = {
  sheet: EXPENSE_CHECK_SHEET,
  table: EXPENSE_TOTALS_TABLE,
  columns: [
    { name: 'Salesperson ID', numberFormat: TEXT_FORMAT },
    { name: 'Expenses', numberFormat: INTEGER_FORMAT },
    { name: 'Claimed', numberFormat: MONEY_FORMAT },
    { name: 'Reimbursable', numberFormat: MONEY_FORMAT },
    { name: 'Difference', numberFormat: MONEY_FORMAT },
    { name: 'Findings', numberFormat: INTEGER_FORMAT },
    ...EXPENSE_FINDING_CODES.map((code) => ({ name: code, numberFormat: INTEGER_FORMAT })),
  ],
  at: { row: 0, column: EXPENSE_CHECK_SPEC.columns.length + 1 },
};

/** All findings of a salesperson's totals line. */
export function findingCount(t: SalespersonExpenseTotals): number {
  return EXPENSE_FINDING_CODES.reduce((n, code) => n + t.findings[code], 0);
}

/** A line's findings by rule, as the pane lists them: "OVER_CLAIM_LIMIT 1, WEEKEND 2", or "none". */
export function findingsByRuleText(t: SalespersonExpenseTotals): string {
  const parts = EXPENSE_FINDING_CODES.filter((code) => t.findings[code] > 0).map(
    (code) => `${code} ${t.findings[code]}`,
  );
  return parts.length === 0 ? 'none' : parts.join(', ');
}

const EXPLAIN: Record<ExpenseFindingCode, string> = {
  NO_POLICY: 'no expense policy covers this category on this date',
  DUPLICATE: 'an earlier claim has the same salesperson, date, amount and merchant or receipt number',
  OVER_CLAIM_LIMIT: 'the claim is above the limit per claim',
  OVER_DAILY_LIMIT: "the salesperson's claims of this day and category are above the daily limit",
  RECEIPT_MISSING: 'a receipt is required above this amount',
  OUTSIDE_TRIP: 'the category needs a trip and the date is outside every trip of the salesperson',
  PER_DIEM_DAYS_EXCEEDED: "the per-diem days claimed go beyond the trip's days",
  WEEKEND: 'the policy does not allow weekend claims',
};

/** The field of the offending cell per finding code. */
const FIELD: Record<ExpenseFindingCode, string> = {
  NO_POLICY: 'category',
  DUPLICATE: 'amount',
  OVER_CLAIM_LIMIT: 'amount',
  OVER_DAILY_LIMIT: 'amount',
  RECEIPT_MISSING: 'receipt',
  OUTSIDE_TRIP: 'incurredOn',
  PER_DIEM_DAYS_EXCEEDED: 'tripDays',
  WEEKEND: 'incurredOn',
};

export interface LocatedExpenseFinding extends ExpenseFinding {
  table: string;
  row: number;
  column: string;
  address: string;
  message: string;
}

export interface ExpenseCheckResult {
  findings: LocatedExpenseFinding[];
  /** Rows left out because they do not parse (run Validate to see why). */
  skippedRows: number;
  expensesChecked: number;
  /** Σ claims and Σ reimbursable amounts of the expenses checked, in cents. */
  claimed: number;
  reimbursable: number;
  /** Per salesperson with an expense checked, in salespersonId order (as on the sheet's ExpenseTotals table). */
  totals: SalespersonExpenseTotals[];
}

const CHECKED: LedgerName[] = ['salespeople', 'expenses', 'trips', 'expensePolicies'];

/** A finding's limit or actual as it reads: money in decimals, days as a count. */
function figure(f: ExpenseFinding, v: number | null): string {
  if (v === null) return '';
  return f.code === 'PER_DIEM_DAYS_EXCEEDED' ? `${v} days` : formatMoney(v);
}

function figureCell(f: ExpenseFinding, v: number | null): string | number {
  if (v === null) return '';
  return f.code === 'PER_DIEM_DAYS_EXCEEDED' ? v : scaledToCellNumber(v, 2);
}

export async function checkWorkbookExpenses(
  wb: WorkbookAdapter,
  options: { onProgress?: ProgressFn; signal?: AbortSignal } = {},
): Promise<ExpenseCheckResult> {
  const rows = await readWorkbookRows(wb, { ledgers: CHECKED, ...options });
  const expenses = recordsOf(rows, 'expenses');
  const findings = checkExpenses({
    expenses,
    trips: recordsOf(rows, 'trips'),
    expensePolicies: recordsOf(rows, 'expensePolicies'),
    salespeople: recordsOf(rows, 'salespeople'),
  });
  const skippedRows = [...rows.parsed.values()].flat().filter((p) => p.record === undefined).length;
  const totals = expenseTotalsBySalesperson(expenses, findings);
  let claimed = 0;
  let reimbursable = 0;
  for (const t of totals) {
    claimed += t.claimed;
    reimbursable += t.reimbursable;
  }

  const expenseRows = new Map(
    (rows.parsed.get('expenses') ?? []).flatMap((p) => (p.row.key === null ? [] : [[p.row.key, p.row.index]])),
  );
  const sheet = rows.sheets.get('expenses');
  const located: LocatedExpenseFinding[] = [];
  for (const f of findings) {
    const row = expenseRows.get(f.expenseId) ?? 0;
    const column = sheet?.header(FIELD[f.code]) ?? FIELD[f.code];
    const limit = f.limit === null ? '' : `limit ${figure(f, f.limit)}, `;
    const actual = f.actual === null ? '' : `actual ${figure(f, f.actual)}, `;
    const refers = f.refersTo === null ? '' : `${f.code === 'DUPLICATE' ? 'repeats' : 'trip'} ${f.refersTo}, `;
    located.push({
      ...f,
      table: sheet?.table ?? '',
      row,
      column,
      address: sheet === undefined ? '' : sheet.address(row, column),
      message:
        `${f.code}: ${EXPLAIN[f.code]} (${limit}${actual}${refers}` +
        `claimed ${formatMoney(f.claimed)}, reimbursable ${formatMoney(f.reimbursable)})`,
    });
  }
  if (sheet !== undefined) {
    const marks: CellMark[] = located.map((f) => ({
      row: f.row,
      column: f.column,
      fill: FINDING_FILL,
      note: f.message,
    }));
    await remark(wb, sheet.table, marks);
  }
  const matrix: Matrix = located.map((f) => [
    f.expenseId,
    f.salespersonId,
    f.incurredOn,
    f.code,
    f.policyId ?? '',
    figureCell(f, f.limit),
    figureCell(f, f.actual),
    f.refersTo ?? '',
    scaledToCellNumber(f.claimed, 2),
    scaledToCellNumber(f.reimbursable, 2),
    f.address,
  ]);
  await wb.writeResultsTable(EXPENSE_CHECK_SPEC, matrix);
  await wb.writeResultsTable(
    EXPENSE_TOTALS_SPEC,
    totals.map((t) => [
      t.salespersonId,
      t.expenses,
      scaledToCellNumber(t.claimed, 2),
      scaledToCellNumber(t.reimbursable, 2),
      scaledToCellNumber(t.difference, 2),
      findingCount(t),
      ...EXPENSE_FINDING_CODES.map((code) => t.findings[code]),
    ]),
  );
  return { findings: located, skippedRows, expensesChecked: expenses.length, claimed, reimbursable, totals };
}
