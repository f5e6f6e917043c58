// The Sheets tab: validate, check invoices and expenses, set up the ledger tables, and the customer file.
import { useState } from 'react';
import { Divider } from '@fluentui/react-components';
import {
  CheckmarkCircleRegular,
  MoneyRegular,
  CloudCheckmarkRegular,
  ReceiptSearchRegular,
  TableSettingsRegular,
} from '@fluentui/react-icons';
import { checkWorkbookInvoices } from '../../flows/invoiceCheck';
import { checkInvoicesOnServer } from '../../flows/serverInvoiceCheck';
import { setupLedgerSheets } from '../../flows/setup';
import { validateWorkbook } from '../../flows/validate';
import { plural } from '../../../shared/text';
import { CommandButton, Hint } from '../CommandButton';
import { CustomerFile } from '../CustomerFile';
import { EXPENSE_CHECK_HINT, expenseCheckCommand } from '../expenseCommands';
import { ExpenseTotals } from '../ExpenseTotals';
import type { SalespersonExpenseTotals } from '../../../shared/calc/expenseTotals';
import type { PaneContext } from '../pane';
import type { PaneMessage } from '../message';
import { useStyles } from '../styles';

/** Validate found no row at all: say what to do, not "No errors". */
const NOTHING_CHECKED: PaneMessage = {
  intent: 'warning',
  title: 'Nothing checked',
  text: 'The ledger tables are missing or empty: run "Set up ledger sheets" and add rows first.',
};

export function SheetsTab(pane: PaneContext): React.JSX.Element {
  const s = useStyles();
  const { workbook, run, setProgress, setPlaces, disabled, offline, needApi } = pane;
  const [expenseTotals, setExpenseTotals] = useState<SalespersonExpenseTotals[] | null>(null);

  const validate = (): Promise<void> =>
    run('Validate', async (signal) => {
      const res = await validateWorkbook(workbook, { onProgress: setProgress, signal });
      setPlaces(res.errors);
      if (res.rowsChecked === 0) return NOTHING_CHECKED;
      return res.errors.length === 0
        ? { intent: 'success', title: 'No errors', text: `${plural(res.rowsChecked, 'row')} checked.` }
        : {
            intent: 'warning',
            title: `${plural(res.errors.length, 'error')} in ${plural(res.invalidRows, 'row')}`,
            text: `${plural(res.rowsChecked, 'row')} checked. Click an error to go to its cell.`,
          };
    });

  const checkInvoices = (): Promise<void> =>
    run('Invoice check', async (signal) => {
      const res = await checkWorkbookInvoices(workbook, { onProgress: setProgress, signal });
      setPlaces(res.findings, 'Findings');
      if (res.invoicesChecked === 0)
        return {
          intent: 'warning',
          title: 'No invoices to check',
          text: 'The Invoices table is missing or empty: run "Set up ledger sheets" and add invoices first.',
        };
      const skipped = res.skippedRows > 0 ? ` ${plural(res.skippedRows, 'invalid row')} left out (Validate).` : '';
      return {
        intent: res.findings.length === 0 ? 'success' : 'warning',
        title: plural(res.findings.length, 'finding'),
        text: `${plural(res.invoicesChecked, 'invoice')} checked; see the Invoice check sheet.${skipped}`,
      };
    });

  const checkOnServer = (): Promise<void> =>
    run('Invoice check on the server', async (signal) => {
      const res = await checkInvoicesOnServer(workbook, needApi(), { onProgress: setProgress, signal });
      setPlaces(
        res.findings.filter((f) => f.row >= 0),
        'Findings',
      );
      const checked = res.invoicesChecked - res.notOnServer.length;
      const missing =
        res.notOnServer.length > 0
          ? ` ${plural(res.notOnServer.length, 'invoice')} not checked: not valid in the sheet (Validate) and not on the server: ${res.notOnServer.slice(0, 5).join(', ')}${res.notOnServer.length > 5 ? ', …' : ''}.`
          : '';
      if (res.invoicesChecked === 0)
        return { intent: 'warning', title: 'No invoices to check', text: 'The Invoices table has no invoice numbers.' };
      return {
        intent: res.findings.length === 0 && res.notOnServer.length === 0 ? 'success' : 'warning',
        title: plural(res.findings.length, 'finding'),
        text: `${plural(checked, 'invoice')} checked on the server; see the Invoice check sheet.${missing}`,
      };
    });

  const setup = (): Promise<void> =>
    run('Set up', async (signal) => {
      const res = await setupLedgerSheets(workbook, { onProgress: setProgress, signal });
      const created = res.filter((r) => r.created).map((r) => r.table);
      const repaired = res.filter((r) => r.repairs.length > 0);
      setPlaces([]);
      return {
        intent: 'success',
        title: 'Ledger sheets ready',
        text: [
          created.length > 0 ? `Created ${created.join(', ')}.` : 'All ledger tables were there.',
          ...repaired.map((r) => `${r.table}: ${r.repairs.join('; ')} (${plural(r.rows, 'row')} kept).`),
        ].join(' '),
      };
    });

  const expenses = expenseCheckCommand({ workbook, run, setProgress, setPlaces, setTotals: setExpenseTotals });

  return (
    <section aria-label="Sheets" className={s.stack}>
      <CommandButton
        id="validate"
        primary
        icon={<CheckmarkCircleRegular />}
        disabled={disabled}
        onClick={() => void validate()}
      >
        Validate
      </CommandButton>
      <Hint>Checks every row against the ledger rules and marks the cells that are wrong.</Hint>
      <CommandButton
        id="check"
        icon={<ReceiptSearchRegular />}
        disabled={disabled}
        onClick={() => void checkInvoices()}
      >
        Check invoices
      </CommandButton>
      <Hint>Compares invoice lines with the orders and deliveries; writes the Invoice check sheet.</Hint>
      <CommandButton
        id="check-server"
        icon={<CloudCheckmarkRegular />}
        disabled={disabled || offline}
        onClick={() => void checkOnServer()}
      >
        Check invoices on the server
      </CommandButton>
      <Hint>
        Has the server check the sheet’s invoices and lines as they stand against everything stored for their contracts,
        so earlier invoices, orders and deliveries count even when this workbook does not hold them. Needs sign-in;
        Check invoices needs none and uses this workbook’s rows only.
      </Hint>
      <CommandButton id={expenses.id} icon={<MoneyRegular />} disabled={disabled} onClick={() => void expenses.act()}>
        {expenses.label}
      </CommandButton>
      <Hint>{EXPENSE_CHECK_HINT}</Hint>
      {expenseTotals !== null && expenseTotals.length > 0 && <ExpenseTotals totals={expenseTotals} />}
      <Divider className={s.divider} />
      <CommandButton id="setup" icon={<TableSettingsRegular />} disabled={disabled} onClick={() => void setup()}>
        Set up ledger sheets
      </CommandButton>
      <Hint>Creates the ledger tables, or repairs them without losing rows.</Hint>
      <Divider className={s.divider} />
      <CustomerFile workbook={workbook} api={pane.api} disabled={disabled} run={run} setProgress={setProgress} />
    </section>
  );
}
