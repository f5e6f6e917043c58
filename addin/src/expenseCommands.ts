// The pane's "Check expenses" command (issue #14): the Sheets tab shows it with its other commands.
import { checkWorkbookExpenses } from '../flows/expenseCheck';
import type { ProgressFn } from '../flows/progress';
import type { SalespersonExpenseTotals } from '../../shared/calc/expenseTotals';
import type { WorkbookAdapter } from '../excel/workbookAdapter';
import { formatMoney } from '../../shared/money';
import { plural } from '../../shared/text';
import type { PaneMessage } from './message';

interface CommandDeps {
  workbook: WorkbookAdapter;
  run(what: string, body: (signal: AbortSignal) => Promise<PaneMessage>): Promise<void>;
  setProgress: ProgressFn;
  setPlaces(
    list: { table: string; row: number; column: string; address: string; message: string }[],
    label?: string,
  ): void;
  /** Shows the totals per salesperson of the last check (the Sheets tab's table under the command). */
  setTotals?(totals: SalespersonExpenseTotals[]): void;
}

export const EXPENSE_CHECK_HINT =
  'Checks expenses against the expense policies, trips and each other; marks the cells and writes the Expense check sheet, with the totals per salesperson.';

/** "Check expenses": the shared expense check on the sheet's rows, findings listed and marked, totals in the message. */
export function expenseCheckCommand(deps: CommandDeps): { id: string; label: string; act: () => Promise<void> } {
  return {
    id: 'check-expenses',
    label: 'Check expenses',
    act: () =>
      deps.run('Expense check', async (signal) => {
        const res = await checkWorkbookExpenses(deps.workbook, { onProgress: deps.setProgress, signal });
        deps.setPlaces(res.findings, 'Findings');
        deps.setTotals?.(res.totals);
        const skipped = res.skippedRows > 0 ? ` ${plural(res.skippedRows, 'invalid row')} left out (Validate).` : '';
        return {
          intent: res.findings.length === 0 ? 'success' : 'warning',
          title: plural(res.findings.length, 'finding'),
          text:
            `${plural(res.expensesChecked, 'expense')} checked: ${formatMoney(res.claimed)} claimed, ` +
            `${formatMoney(res.reimbursable)} reimbursable; the totals of ` +
            `${plural(res.totals.length, 'salesperson', 'salespeople')} are below and on the Expense check sheet.${skipped}`,
        };
      }),
  };
}
