// What the report workbook's "Salespeople's month" sheet (issue #14) shows: one row per salesperson and month of the
// period, from shared/calc/assessment.ts; reports/workbook.ts (assessmentSheet) lays it out like every other sheet.
import type { AssessmentRowWire } from '../../../shared/api';

export const ASSESSMENT_SHEET = "Salespeople's month";

/** A month's rows of the assessment, as the API answers them. */
export interface AssessmentMonth {
  month: string;
  rows: readonly AssessmentRowWire[];
}

type Kind = 'text' | 'int' | 'money';
/** The sheet's columns, in order: header, the wire field (or the month) and how the cell is written. */
export const ASSESSMENT_COLUMNS: readonly { header: string; field: keyof AssessmentRowWire | 'month'; kind: Kind }[] = [
  { header: 'Month', field: 'month', kind: 'text' },
  { header: 'Salesperson ID', field: 'salespersonId', kind: 'text' },
  { header: 'Name', field: 'name', kind: 'text' },
  { header: 'Region', field: 'region', kind: 'text' },
  { header: 'Working days', field: 'workingDays', kind: 'int' },
  { header: 'Absent days', field: 'absentDays', kind: 'int' },
  { header: 'Leave days', field: 'leaveDays', kind: 'int' },
  { header: 'Trip days', field: 'tripDays', kind: 'int' },
  { header: 'Contracts signed', field: 'contractsSigned', kind: 'int' },
  { header: 'Contract value', field: 'contractValue', kind: 'money' },
  { header: 'Delivered', field: 'delivered', kind: 'money' },
  { header: 'Invoiced', field: 'invoiced', kind: 'money' },
  { header: 'Collected', field: 'collected', kind: 'money' },
  { header: 'Overdue', field: 'overdue', kind: 'money' },
  { header: 'Expenses claimed', field: 'expenses', kind: 'money' },
  { header: 'Reimbursable', field: 'reimbursable', kind: 'money' },
  { header: 'Expenses per trip day', field: 'expensesPerTripDay', kind: 'money' },
  { header: 'Expense findings', field: 'expenseFindings', kind: 'int' },
  { header: 'Commission', field: 'commission', kind: 'money' },
  { header: 'Currency', field: 'currency', kind: 'text' },
  { header: 'Not added in (other currencies)', field: 'otherCurrencies', kind: 'text' },
];
