// Figures tab, issue #14 §4: the "Plan vs actual" section (period, grouping, range, the measure charted, one button),
// rendered inside the Salespeople's month section (SalespeopleMonth.tsx); the logic is in flows/planVsActual.ts.
import { Button, Field, Input, Label, Select } from '@fluentui/react-components';
import { TargetArrowRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { PLAN_MEASURE_NAMES } from '../../shared/api';
import { MEASURE_LABELS } from '../../shared/calc/statistics';
import { plural } from '../../shared/text';
import type { LedgerApiClient, StatsParams } from '../flows/apiClient';
import { writePlanVsActual, type PlanMeasureName } from '../flows/planVsActual';
import type { WorkbookAdapter } from '../excel/workbookAdapter';
import type { PaneMessage } from './message';

export interface PlanVsActualProps {
  workbook: WorkbookAdapter;
  disabled: boolean;
  needApi: () => LedgerApiClient;
  run: (what: string, body: (signal: AbortSignal) => Promise<PaneMessage>) => Promise<void>;
}

export function PlanVsActual({ workbook, disabled, needApi, run }: PlanVsActualProps): React.JSX.Element {
  const [params, setParams] = useState<StatsParams>({
    period: 'month',
    from: '2016-01-01',
    to: '2016-12-31',
    groupBy: 'region',
  });
  const [measure, setMeasure] = useState<PlanMeasureName>('contractValue');
  return (
    <>
      <Label size="small" weight="semibold">
        Plan vs actual
      </Label>
      <Field label="Period" size="small">
        <Select
          size="small"
          value={params.period}
          data-testid="plan-period"
          onChange={(_, d) => setParams({ ...params, period: d.value as StatsParams['period'] })}
        >
          <option value="month">Month</option>
          <option value="quarter">Quarter</option>
          <option value="year">Year</option>
        </Select>
      </Field>
      <Field label="Group by" size="small">
        <Select
          size="small"
          value={params.groupBy}
          data-testid="plan-group"
          onChange={(_, d) => setParams({ ...params, groupBy: d.value as StatsParams['groupBy'] })}
        >
          <option value="region">Region</option>
          <option value="salesperson">Salesperson</option>
          <option value="none">No grouping</option>
        </Select>
      </Field>
      <Field label="From" size="small">
        <Input
          size="small"
          value={params.from}
          data-testid="plan-from"
          onChange={(_, d) => setParams({ ...params, from: d.value })}
        />
      </Field>
      <Field label="To" size="small">
        <Input
          size="small"
          value={params.to}
          data-testid="plan-to"
          onChange={(_, d) => setParams({ ...params, to: d.value })}
        />
      </Field>
      <Field label="Chart" size="small">
        <Select
          size="small"
          value={measure}
          data-testid="plan-measure"
          onChange={(_, d) => setMeasure(d.value as PlanMeasureName)}
        >
          {PLAN_MEASURE_NAMES.map((m) => (
            <option key={m} value={m}>
              {MEASURE_LABELS[m]}
            </option>
          ))}
        </Select>
      </Field>
      <Button
        icon={<TargetArrowRegular />}
        disabled={disabled}
        data-testid="cmd-plan"
        onClick={() =>
          void run('Plan vs actual', async () => {
            const w = await writePlanVsActual(
              workbook,
              needApi(),
              { ...params, from: params.from.trim(), to: params.to.trim() },
              measure,
            );
            return {
              intent: 'success',
              title: 'Plan vs actual written',
              text: `${plural(w.rows, 'row')} (${w.planned} with a plan) on the Plan vs actual sheet, with a chart.`,
            };
          })
        }
      >
        Write plan vs actual
      </Button>
    </>
  );
}
