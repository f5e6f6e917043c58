// Figures tab, issue #14 §4: the "Budgets vs expenses" section (a period, an optional region, one button); the logic
// and the message are in flows/budgets.ts.
import { Button, Field, Input, Label } from '@fluentui/react-components';
import { WalletRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import type { LedgerApiClient } from '../flows/apiClient';
import { budgetsMessage, writeBudgetsVsExpenses, type BudgetsParams } from '../flows/budgets';
import type { WorkbookAdapter } from '../excel/workbookAdapter';
import type { PaneMessage } from './message';
import { useStyles } from './styles';

export interface BudgetsVsExpensesProps {
  workbook: WorkbookAdapter;
  disabled: boolean;
  needApi: () => LedgerApiClient;
  run: (what: string, body: (signal: AbortSignal) => Promise<PaneMessage>) => Promise<void>;
}

export function BudgetsVsExpenses({ workbook, disabled, needApi, run }: BudgetsVsExpensesProps): React.JSX.Element {
  const s = useStyles();
  const [params, setParams] = useState<BudgetsParams>({ period: '2016-11', region: '' });
  return (
    <section aria-label="Budgets vs expenses" className={s.stack}>
      <Label size="small" weight="semibold">
        Budgets vs expenses
      </Label>
      <div className={s.grid2}>
        <Field label="Period" size="small" hint="2016-11, 2016-Q4 or 2016">
          <Input
            size="small"
            className={s.fill}
            value={params.period}
            data-testid="budgets-period"
            onChange={(_, d) => setParams({ ...params, period: d.value })}
          />
        </Field>
        <Field label="Region" size="small" hint="Empty: every region">
          <Input
            size="small"
            className={s.fill}
            value={params.region}
            data-testid="budgets-region"
            onChange={(_, d) => setParams({ ...params, region: d.value })}
          />
        </Field>
      </div>
      <Button
        className={s.command}
        icon={<WalletRegular />}
        disabled={disabled}
        data-testid="cmd-budgets"
        onClick={() =>
          void run('Budgets vs expenses', async () =>
            budgetsMessage(params, await writeBudgetsVsExpenses(workbook, needApi(), params)),
          )
        }
      >
        Write budgets vs expenses
      </Button>
    </section>
  );
}
