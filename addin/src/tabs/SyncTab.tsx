// The Sync tab: publish (all, or the failed rows again) and pull with filters.
import { useState } from 'react';
import { Button, Divider, Input, Label } from '@fluentui/react-components';
import { ArrowDownloadRegular, ArrowRepeatAllRegular, ArrowUploadRegular } from '@fluentui/react-icons';
import { publish } from '../../flows/publish';
import { pull } from '../../flows/pull';
import { plural } from '../../../shared/text';
import { CommandButton, Hint } from '../CommandButton';
import type { PaneContext } from '../pane';
import { useStyles } from '../styles';

export function SyncTab(pane: PaneContext): React.JSX.Element {
  const s = useStyles();
  const { workbook, run, setProgress, setPlaces, setConflicts, needApi, disabled, offline } = pane;
  const [filters, setFilters] = useState({ region: '', salespersonId: '', period: '' });

  const doPublish = (failedOnly: boolean): Promise<void> =>
    run('Publish', async (signal) => {
      const res = await publish(workbook, needApi(), { failedOnly, onProgress: setProgress, signal });
      setPlaces(res.failures, 'Rows not published');
      setConflicts(res.conflicts);
      const c = res.counts;
      const failed = c.conflict + c.invalid + c.error;
      if (res.sent === 0 && !res.cancelled && failed === 0)
        return {
          intent: 'info',
          title: 'Nothing to publish',
          text: 'No row is new or changed since it was last published or pulled (without ledger tables, run "Set up ledger sheets" first).',
        };
      return {
        intent: failed > 0 || res.cancelled ? 'warning' : 'success',
        title: res.cancelled ? `Cancelled after ${plural(res.sent, 'row')}` : `Published ${plural(res.sent, 'row')}`,
        text: `${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${plural(c.conflict, 'conflict')}, ${c.invalid} invalid, ${c.error} failed.`,
      };
    });

  const doPull = (): Promise<void> =>
    run('Pull', async (signal) => {
      const f = Object.fromEntries(Object.entries(filters).filter(([, v]) => v.trim() !== ''));
      const res = await pull(workbook, needApi(), { filters: f, onProgress: setProgress, signal });
      // No ledger table, nothing asked of the API: say what to do instead of "Pulled 0 added".
      if (res.ledgers.length === 0 && !res.cancelled)
        return {
          intent: 'warning',
          title: 'Nothing pulled',
          text: 'This workbook has no ledger tables yet: run "Set up ledger sheets" on the Sheets tab, then pull.',
        };
      setConflicts(res.conflicts);
      setPlaces([]);
      const sum = (k: 'added' | 'updated' | 'keptLocal') => res.ledgers.reduce((n, l) => n + l[k], 0);
      return {
        intent: res.conflicts.length > 0 || res.cancelled ? 'warning' : 'success',
        title: res.cancelled ? 'Pull cancelled' : 'Pulled',
        text: `${sum('added')} added, ${sum('updated')} updated, ${plural(sum('keptLocal'), 'local edit')} kept, ${plural(res.conflicts.length, 'conflict')}.`,
      };
    });

  return (
    <section aria-label="Sync" className={s.stack}>
      <CommandButton
        id="publish"
        primary
        icon={<ArrowUploadRegular />}
        disabled={disabled || offline}
        onClick={() => void doPublish(false)}
      >
        Publish
      </CommandButton>
      <Hint>Sends new and changed rows; each row’s outcome lands in its Sync status cell.</Hint>
      <CommandButton
        id="publish-failed"
        icon={<ArrowRepeatAllRegular />}
        disabled={disabled || offline}
        onClick={() => void doPublish(true)}
      >
        Publish failed rows only
      </CommandButton>
      <Divider className={s.divider} />
      <Label size="small" weight="semibold">
        Pull from the server
      </Label>
      <div className={s.grid3}>
        <Input
          className={s.fill}
          size="small"
          placeholder="Region"
          aria-label="Region"
          value={filters.region}
          onChange={(_, d) => setFilters({ ...filters, region: d.value })}
          data-testid="pull-region"
        />
        <Input
          className={s.fill}
          size="small"
          placeholder="Salesperson"
          aria-label="Salesperson"
          value={filters.salespersonId}
          onChange={(_, d) => setFilters({ ...filters, salespersonId: d.value })}
        />
        <Input
          className={s.fill}
          size="small"
          placeholder="2016-Q4"
          aria-label="Period"
          value={filters.period}
          onChange={(_, d) => setFilters({ ...filters, period: d.value })}
          data-testid="pull-period"
        />
      </div>
      <Button
        className={s.command}
        icon={<ArrowDownloadRegular />}
        disabled={disabled || offline}
        onClick={() => void doPull()}
        data-testid="cmd-pull"
      >
        Pull
      </Button>
      <Hint>Keeps your unpublished edits; where the server changed the same row you choose.</Hint>
    </section>
  );
}
