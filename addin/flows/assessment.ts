// "Salespeople's month" (issue #14): GET /api/salespeople/assessment written as a result table, one row per salesperson.
import type { AssessmentRowWire } from '../../shared/api';
import { parseMoney, scaledToCellNumber } from '../../shared/money';
import {
  INTEGER_FORMAT,
  MONEY_FORMAT,
  TEXT_FORMAT,
  type Matrix,
  type TableSpec,
  type WorkbookAdapter,
} from '../excel/workbookAdapter';
import type { LedgerApiClient } from './apiClient';

/** The columns: header and how a row's field becomes a cell (money as a number, a missing figure as empty). */
const COLUMNS: readonly { name: string; field: keyof AssessmentRowWire; kind: 'text' | 'int' | 'money' }[] = [
  { name: 'Salesperson ID', field: 'salespersonId', kind: 'text' },
  { name: 'Name', field: 'name', kind: 'text' },
  { name: 'Region', field: 'region', kind: 'text' },
  { name: 'Working days', field: 'workingDays', kind: 'int' },
  { name: 'Absent days', field: 'absentDays', kind: 'int' },
  { name: 'Leave days', field: 'leaveDays', kind: 'int' },
  { name: 'Trip days', field: 'tripDays', kind: 'int' },
  { name: 'Contracts signed', field: 'contractsSigned', kind: 'int' },
  { name: 'Contract value', field: 'contractValue', kind: 'money' },
  { name: 'Delivered', field: 'delivered', kind: 'money' },
  { name: 'Invoiced', field: 'invoiced', kind: 'money' },
  { name: 'Collected', field: 'collected', kind: 'money' },
  { name: 'Overdue', field: 'overdue', kind: 'money' },
  { name: 'Expenses claimed', field: 'expenses', kind: 'money' },
  { name: 'Reimbursable', field: 'reimbursable', kind: 'money' },
  { name: 'Expenses per trip day', field: 'expensesPerTripDay', kind: 'money' },
  { name: 'Expense findings', field: 'expenseFindings', kind: 'int' },
  { name: 'Commission', field: 'commission', kind: 'money' },
  // The money figures are the house currency's; the salesperson's figures in others are named, not added in.
  { name: 'Currency', field: 'currency', kind: 'text' },
  { name: 'Not added in (other currencies)', field: 'otherCurrencies', kind: 'text' },
];

export const ASSESSMENT_SPEC: TableSpec = {
  sheet: "Salespeople's month",
  table: 'SalespeopleMonth',
  columns: COLUMNS.map((c) => ({
    name: c.name,
    numberFormat: c.kind === 'text' ? TEXT_FORMAT : c.kind === 'int' ? INTEGER_FORMAT : MONEY_FORMAT,
  })),
};

export async function writeAssessment(wb: WorkbookAdapter, api: LedgerApiClient, month: string): Promise<number> {
  if (api.assessment === undefined) throw new Error('This API client cannot read the salespeople assessment.');
  const rows = await api.assessment(month);
  const matrix: Matrix = rows.map((r) =>
    COLUMNS.map((c) => {
      const v = r[c.field];
      if (v === null) return '';
      if (Array.isArray(v)) return v.join(', ');
      return c.kind === 'money' ? scaledToCellNumber(parseMoney(v), 2) : v;
    }),
  );
  await wb.writeResultsTable(ASSESSMENT_SPEC, matrix);
  return rows.length;
}
