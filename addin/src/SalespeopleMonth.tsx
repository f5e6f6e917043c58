// Figures tab, issue #14: the "Salespeople's month" section (a month, the salespeople's month and their commission
// statements, and plan vs actual), rendered by the Figures tab (tabs/FiguresTab.tsx).
import { Button, Divider, Field, Input, Label } from '@fluentui/react-components';
import { MoneyRegular, PeopleRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { plural } from '../../shared/text';
import { writeAssessment } from '../flows/assessment';
import { writeCommissionStatements } from '../flows/commission';
import type { LedgerApiClient } from '../flows/apiClient';
import type { WorkbookAdapter } from '../excel/workbookAdapter';
import type { PaneMessage } from './message';
import { PlanVsActual } from './PlanVsActual';

export interface SalespeopleMonthProps {
  workbook: WorkbookAdapter;
  disabled: boolean;
  needApi: () => LedgerApiClient;
  run: (what: string, body: (signal: AbortSignal) => Promise<PaneMessage>) => Promise<void>;
}

export function SalespeopleMonth({ workbook, disabled, needApi, run }: SalespeopleMonthProps): React.JSX.Element {
  const [month, setMonth] = useState('2016-11');
  const [salespersonId, setSalespersonId] = useState('');
  return (
    <>
      <Divider />
      <Label size="small" weight="semibold">
        Salespeople&apos;s month
      </Label>
      <Field label="Month (YYYY-MM)" size="small">
        <Input size="small" value={month} data-testid="assessment-month" onChange={(_, d) => setMonth(d.value)} />
      </Field>
      <Button
        icon={<PeopleRegular />}
        disabled={disabled}
        data-testid="cmd-assessment"
        onClick={() =>
          void run("Salespeople's month", async () => {
            const n = await writeAssessment(workbook, needApi(), month.trim());
            return {
              intent: n === 0 ? 'warning' : 'success',
              title: n === 0 ? 'No salesperson in this month' : "Salespeople's month written",
              text: `${plural(n, 'salesperson', 'salespeople')} on the Salespeople's month sheet for ${month.trim()}.`,
            };
          })
        }
      >
        Write salespeople&apos;s month
      </Button>
      <Field label="Salesperson ID (empty: everyone)" size="small">
        <Input
          size="small"
          value={salespersonId}
          data-testid="commission-salesperson"
          onChange={(_, d) => setSalespersonId(d.value)}
        />
      </Field>
      <Button
        icon={<MoneyRegular />}
        disabled={disabled}
        data-testid="cmd-commission"
        onClick={() =>
          void run('Commission statements', async () => {
            const m = month.trim();
            const w = await writeCommissionStatements(workbook, needApi(), m, salespersonId.trim());
            return {
              intent: 'success',
              title: 'Commission statements written',
              text: `${plural(w.statements, 'statement')} with ${plural(w.lines, 'line')} on the Commission sheet for ${m}.`,
            };
          })
        }
      >
        Write commission statements
      </Button>
      <Divider />
      <PlanVsActual workbook={workbook} disabled={disabled} needApi={needApi} run={run} />
    </>
  );
}
