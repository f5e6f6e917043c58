// Figures tab, issue #14: the "Salespeople's month" section (a month and one button), kept out of App.tsx.
import { Button, Divider, Field, Input, Label } from '@fluentui/react-components';
import { PeopleRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { writeAssessment } from '../flows/assessment';
import { plural } from '../../shared/text';
import type { LedgerApiClient } from '../flows/apiClient';
import type { WorkbookAdapter } from '../excel/workbookAdapter';
import type { PaneMessage } from './message';

export interface SalespeopleMonthProps {
  workbook: WorkbookAdapter;
  disabled: boolean;
  needApi: () => LedgerApiClient;
  run: (what: string, body: (signal: AbortSignal) => Promise<PaneMessage>) => Promise<void>;
}

export function SalespeopleMonth({ workbook, disabled, needApi, run }: SalespeopleMonthProps): React.JSX.Element {
  const [month, setMonth] = useState('2016-11');
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
    </>
  );
}
