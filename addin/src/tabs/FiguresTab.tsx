// The Figures tab: statistics and receivables aging into sheets, the key figures of a period beside the previous one
// in the pane, report workbooks, salespeople's month, budgets vs expenses, collections.
import { useState } from 'react';
import { Button, Divider, Field, Input, Label, Select } from '@fluentui/react-components';
import { DataBarVerticalRegular, MoneyRegular } from '@fluentui/react-icons';
import { keyFigures, writeReceivables, writeStatistics, type KeyFigures as KeyFiguresData } from '../../flows/figures';
import { plural } from '../../../shared/text';
import { BudgetsVsExpenses } from '../BudgetsVsExpenses';
import { CollectionsSection } from '../Collections';
import { KeyFigures } from '../KeyFigures';
import type { PaneContext } from '../pane';
import { ReportsSection } from '../Reports';
import { SalespeopleMonth } from '../SalespeopleMonth';
import { useStyles } from '../styles';

export function FiguresTab(pane: PaneContext): React.JSX.Element {
  const s = useStyles();
  const { workbook, api, run, needApi, disabled, offline } = pane;
  const [stats, setStats] = useState({ period: 'month', groupBy: 'region', from: '2016-01-01', to: '2016-12-31' });
  const [aging, setAging] = useState({ asOf: '2016-12-31', groupBy: 'customer' });
  const [key, setKey] = useState<KeyFiguresData | null>(null);

  return (
    <section aria-label="Figures" className={s.stack}>
      <Label size="small" weight="semibold">
        Statistics
      </Label>
      <div className={s.grid2}>
        <Field label="Period" size="small">
          <Select size="small" value={stats.period} onChange={(_, d) => setStats({ ...stats, period: d.value })}>
            <option value="month">Month</option>
            <option value="quarter">Quarter</option>
            <option value="year">Year</option>
          </Select>
        </Field>
        <Field label="Group by" size="small">
          <Select size="small" value={stats.groupBy} onChange={(_, d) => setStats({ ...stats, groupBy: d.value })}>
            <option value="region">Region</option>
            <option value="salesperson">Salesperson</option>
            <option value="customer">Customer</option>
            <option value="none">No grouping</option>
          </Select>
        </Field>
        <Field label="From" size="small">
          <Input size="small" value={stats.from} onChange={(_, d) => setStats({ ...stats, from: d.value })} />
        </Field>
        <Field label="To" size="small">
          <Input size="small" value={stats.to} onChange={(_, d) => setStats({ ...stats, to: d.value })} />
        </Field>
      </div>
      <Button
        className={s.command}
        appearance="primary"
        icon={<DataBarVerticalRegular />}
        disabled={disabled || offline}
        data-testid="cmd-stats"
        onClick={() =>
          void run('Statistics', async () => {
            const api = needApi();
            const params = stats as Parameters<typeof writeStatistics>[2];
            // The sheet first, so a bad range gets the API's own message; then the pane's key figures: the period of
            // that kind holding "To", beside the one before it.
            const n = await writeStatistics(workbook, api, params);
            const figures = await keyFigures(api, { period: params.period, date: params.to });
            setKey(figures);
            const compared = `Key figures of ${figures.current.label} beside ${figures.previous.label} below.`;
            if (n === 0)
              return {
                intent: 'warning',
                title: 'No statistics in this range',
                text: `The API has no figures from ${params.from} to ${params.to}; the Statistics sheet is empty. ${compared}`,
              };
            return {
              intent: 'success',
              title: 'Statistics written',
              text: `${plural(n, 'row')} on the Statistics sheet, with a chart of the money figures. ${compared}`,
            };
          })
        }
      >
        Write statistics
      </Button>
      {key !== null && <KeyFigures data={key} />}
      <Divider className={s.divider} />
      <Label size="small" weight="semibold">
        Receivables aging
      </Label>
      <div className={s.grid2}>
        <Field label="As of" size="small">
          <Input size="small" value={aging.asOf} onChange={(_, d) => setAging({ ...aging, asOf: d.value })} />
        </Field>
        <Field label="Group by" size="small">
          <Select size="small" value={aging.groupBy} onChange={(_, d) => setAging({ ...aging, groupBy: d.value })}>
            <option value="customer">Customer</option>
            <option value="contract">Contract</option>
            <option value="region">Region</option>
            <option value="salesperson">Salesperson</option>
          </Select>
        </Field>
      </div>
      <Button
        className={s.command}
        icon={<MoneyRegular />}
        disabled={disabled || offline}
        data-testid="cmd-aging"
        onClick={() =>
          void run('Receivables', async () => {
            const n = await writeReceivables(workbook, needApi(), aging as Parameters<typeof writeReceivables>[2]);
            if (n === 0)
              return {
                intent: 'warning',
                title: 'No receivables',
                text: `Nothing was open on ${aging.asOf}; the Receivables sheet is empty.`,
              };
            return {
              intent: 'success',
              title: 'Receivables written',
              text: `${plural(n, 'row')} on the Receivables sheet, with a chart of the aging buckets.`,
            };
          })
        }
      >
        Write receivables aging
      </Button>
      <Divider className={s.divider} />
      <section aria-label="Reports" className={s.stack}>
        <Label size="small" weight="semibold">
          Reports
        </Label>
        <ReportsSection reports={api?.reports ?? null} disabled={disabled} run={run} />
      </section>
      <SalespeopleMonth workbook={workbook} disabled={disabled || offline} needApi={needApi} run={run} />
      <Divider className={s.divider} />
      <BudgetsVsExpenses workbook={workbook} disabled={disabled || offline} needApi={needApi} run={run} />
      <Divider className={s.divider} />
      <Label size="small" weight="semibold">
        Collections
      </Label>
      <CollectionsSection
        workbook={workbook}
        dunning={api?.dunning ?? null}
        ledgers={api?.client ?? null}
        disabled={disabled}
        run={run}
      />
    </section>
  );
}
