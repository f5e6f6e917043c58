// The Figures tab: statistics and receivables aging into sheets, report workbooks, salespeople's month, collections.
import { useState } from 'react';
import { Button, Divider, Field, Input, Label, Select } from '@fluentui/react-components';
import { DataBarVerticalRegular, MoneyRegular } from '@fluentui/react-icons';
import { writeReceivables, writeStatistics } from '../../flows/figures';
import { plural } from '../../../shared/text';
import { CollectionsSection } from '../Collections';
import type { PaneContext } from '../pane';
import { ReportsSection } from '../Reports';
import { SalespeopleMonth } from '../SalespeopleMonth';
import { useStyles } from '../styles';

export function FiguresTab(pane: PaneContext): React.JSX.Element {
  const s = useStyles();
  const { workbook, api, run, needApi, disabled, offline } = pane;
  const [stats, setStats] = useState({ period: 'month', groupBy: 'region', from: '2016-01-01', to: '2016-12-31' });
  const [aging, setAging] = useState({ asOf: '2016-12-31', groupBy: 'customer' });

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
            const n = await writeStatistics(workbook, needApi(), stats as Parameters<typeof writeStatistics>[2]);
            return {
              intent: 'success',
              title: 'Statistics written',
              text: `${plural(n, 'row')} on the Statistics sheet, with a chart.`,
            };
          })
        }
      >
        Write statistics
      </Button>
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
            return {
              intent: 'success',
              title: 'Receivables written',
              text: `${plural(n, 'row')} on the Receivables sheet, with a chart.`,
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
