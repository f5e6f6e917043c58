// Sheets tab, issue #14: the expense check's totals per salesperson under "Check expenses" (a compact table); the
// figures come from flows/expenseCheck.ts, which writes the same lines to the Expense check sheet.
import {
  Caption1,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
} from '@fluentui/react-components';
import type { SalespersonExpenseTotals } from '../../shared/calc/expenseTotals';
import { formatMoney } from '../../shared/money';
import { findingsByRuleText } from '../flows/expenseCheck';
import { useStyles } from './styles';

const right = { textAlign: 'right' } as const;

export function ExpenseTotals({ totals }: { totals: readonly SalespersonExpenseTotals[] }): React.JSX.Element {
  const s = useStyles();
  return (
    <section aria-label="Expense totals per salesperson" className={s.stack}>
      <Table size="extra-small" aria-label="Expense totals per salesperson" data-testid="expense-totals">
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Salesperson</TableHeaderCell>
            <TableHeaderCell style={right}>Claimed</TableHeaderCell>
            <TableHeaderCell style={right}>Reimbursable</TableHeaderCell>
            <TableHeaderCell style={right}>Difference</TableHeaderCell>
            <TableHeaderCell>Findings</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {totals.map((t) => (
            <TableRow key={t.salespersonId} data-testid={`expense-totals-${t.salespersonId}`}>
              <TableCell>{t.salespersonId}</TableCell>
              <TableCell style={right}>{formatMoney(t.claimed)}</TableCell>
              <TableCell style={right}>{formatMoney(t.reimbursable)}</TableCell>
              <TableCell style={right}>{formatMoney(t.difference)}</TableCell>
              <TableCell>{findingsByRuleText(t)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Caption1 className={s.hint}>
        In the house currency. Difference = claimed − reimbursable. The same lines are on the Expense check sheet,
        beside the findings.
      </Caption1>
    </section>
  );
}
