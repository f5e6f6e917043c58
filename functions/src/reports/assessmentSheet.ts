// The report workbook's "Salespeople's month" sheet (issue #14): one row per salesperson and month of the period,
// from shared/calc/assessment.ts. Its own module so the workbook writer only calls it.
import type ExcelJS from 'exceljs';
import type { AssessmentRowWire } from '../../../shared/api';
import { parseMoney, scaledToCellNumber } from '../../../shared/money';

export const ASSESSMENT_SHEET = "Salespeople's month";

/** A month's rows of the assessment, as the API answers them. */
export interface AssessmentMonth {
  month: string;
  rows: readonly AssessmentRowWire[];
}

type Kind = 'text' | 'int' | 'money';
const COLUMNS: readonly { header: string; field: keyof AssessmentRowWire | 'month'; kind: Kind }[] = [
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
];

/**
 * Adds the sheet to a workbook (in memory or streaming): a title, a provenance line, the header on row 4 and one row
 * per salesperson and month from row 5, money as numbers in `moneyFormat`, days left empty without attendance.
 */
export function addAssessmentSheet(
  book: ExcelJS.Workbook,
  months: readonly AssessmentMonth[],
  layout: {
    moneyFormat: string;
    provenance: string;
    /** How the workbook writes text (never a formula, nothing lost): the writer's textValue. */
    text: (s: string) => ExcelJS.CellValue;
  },
): void {
  const { moneyFormat, provenance, text } = layout;
  const ws = book.addWorksheet(ASSESSMENT_SHEET, { views: [{ state: 'frozen', xSplit: 0, ySplit: 4 }] });
  ws.columns = COLUMNS.map((c) => ({
    width: c.kind === 'text' ? 16 : 14,
    style: { numFmt: c.kind === 'money' ? moneyFormat : c.kind === 'int' ? '#,##0' : '@' },
  }));
  const commit = (row: ExcelJS.Row): void => {
    // Only rows of a streamed worksheet need committing.
    if (typeof row.commit === 'function') row.commit();
  };
  const title = ws.getRow(1);
  title.getCell(1).value = text(
    "Salespeople's month: attendance, trips, sales, expenses against policy and commission",
  );
  title.getCell(1).font = { bold: true, size: 14 };
  commit(title);
  const prov = ws.getRow(2);
  prov.getCell(1).value = text(provenance);
  prov.getCell(1).font = { italic: true };
  commit(prov);
  const header = ws.getRow(4);
  COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = text(c.header);
    cell.font = { bold: true };
  });
  commit(header);
  let r = 5;
  for (const m of months)
    for (const a of m.rows) {
      const row = ws.getRow(r++);
      COLUMNS.forEach((c, i) => {
        const v = c.field === 'month' ? m.month : a[c.field];
        if (v === null) return;
        row.getCell(i + 1).value =
          c.kind === 'money' ? scaledToCellNumber(parseMoney(v), 2) : typeof v === 'string' ? text(v) : v;
      });
      commit(row);
    }
  if (typeof (ws as { commit?: () => void }).commit === 'function') (ws as { commit: () => void }).commit();
}
