// The Sync tab: publish (all, or the failed rows again) and pull with filters.
import { useState } from 'react';
import { Button, Divider, Label } from '@fluentui/react-components';
import { ArrowDownloadRegular, ArrowRepeatAllRegular, ArrowUploadRegular, HistoryRegular } from '@fluentui/react-icons';
import { checkBeforePublish, gatedPublishOptions, type GateCheck, type GateDecision } from '../../flows/invoiceGate';
import { publish, type PublishOptions } from '../../flows/publish';
import { selectedRowHistory, type RowHistory as History } from '../../flows/rowHistory';
import { pull } from '../../flows/pull';
import { outsideFilterText, type PullFilters as Filters } from '../../flows/pullFilters';
import { plural } from '../../../shared/text';
import { CommandButton, Hint } from '../CommandButton';
import type { PaneMessage } from '../message';
import type { PaneContext } from '../pane';
import { PublishConfirm } from '../PublishConfirm';
import { PullFilters } from '../PullFilters';
import { RowHistory } from '../RowHistory';
import { useStyles } from '../styles';

export function SyncTab(pane: PaneContext): React.JSX.Element {
  const s = useStyles();
  const { workbook, run, setProgress, setPlaces, setConflicts, needApi, disabled, offline } = pane;
  const [filters, setFilters] = useState<Filters>({});

  // Issue 18: invoices with findings wait for the user's answer in PublishConfirm before anything is sent.
  const [confirm, setConfirm] = useState<{ check: GateCheck; failedOnly: boolean } | null>(null);
  const [history, setHistory] = useState<History | null>(null);

  const doPublish = (failedOnly: boolean): Promise<void> =>
    run('Publish', async (signal) => {
      setConfirm(null);
      const check = await checkBeforePublish(workbook, needApi(), { failedOnly, onProgress: setProgress, signal });
      if (check.invoices.length === 0) return (await publishNow(failedOnly, {}, signal)).msg;
      setConfirm({ check, failedOnly });
      const n = check.invoices.length;
      return {
        intent: 'warning',
        title: n === 1 ? '1 invoice has findings' : `${n} invoices have findings`,
        text: 'Nothing was sent. Publish them anyway with a reason, or publish the other rows without them.',
      };
    });

  const decide = (decision: GateDecision, failedOnly: boolean): Promise<void> =>
    run('Publish', async (signal) => {
      const options = gatedPublishOptions(decision);
      setConfirm(null);
      const { msg, sent } = await publishNow(failedOnly, options, signal);
      if (decision.kind !== 'holdBack') return msg;
      const held = `${plural(decision.invoiceNos.length, 'invoice')} held back.`;
      // Holding back every row to publish sends nothing: that is no success.
      if (sent === 0)
        return { intent: 'info', title: 'Nothing published', text: `${held} No other row had changes to send.` };
      return { ...msg, text: `${msg.text} ${held}` };
    });

  const publishNow = async (
    failedOnly: boolean,
    gate: Pick<PublishOptions, 'hold' | 'reasonFor'>,
    signal: AbortSignal,
  ): Promise<{ msg: PaneMessage; sent: number }> => {
    const res = await publish(workbook, needApi(), { failedOnly, onProgress: setProgress, signal, ...gate });
    setPlaces(res.failures, 'Rows not published');
    setConflicts(res.conflicts);
    const c = res.counts;
    const failed = c.conflict + c.invalid + c.error;
    if (res.sent === 0 && !res.cancelled && failed === 0)
      return {
        msg: {
          intent: 'info',
          title: 'Nothing to publish',
          text: 'No row is new or changed since it was last published or pulled (without ledger tables, run "Set up ledger sheets" first).',
        },
        sent: 0,
      };
    const msg: PaneMessage = {
      intent: failed > 0 || res.cancelled ? 'warning' : 'success',
      title: res.cancelled ? `Cancelled after ${plural(res.sent, 'row')}` : `Published ${plural(res.sent, 'row')}`,
      text: `${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${plural(c.conflict, 'conflict')}, ${c.invalid} invalid, ${c.error} failed.`,
    };
    return { msg, sent: res.sent };
  };

  const showHistory = (): Promise<void> =>
    run('Row history', async () => {
      setHistory(null);
      const h = await selectedRowHistory(workbook, needApi());
      setHistory(h);
      return {
        intent: 'success',
        title: `History of ${h.key}`,
        text: h.lines.length === 0 ? 'Not on the server yet.' : `${plural(h.lines.length, 'entry')}, shown below.`,
      };
    });

  const doPull = (): Promise<void> =>
    run('Pull', async (signal) => {
      const res = await pull(workbook, needApi(), { filters, onProgress: setProgress, signal });
      // No ledger table, nothing asked of the API: say what to do instead of "Pulled 0 added".
      if (res.ledgers.length === 0 && !res.cancelled)
        return {
          intent: 'warning',
          title: 'Nothing pulled',
          text: 'This workbook has no ledger tables yet: run "Set up ledger sheets" on the Sheets tab, then pull.',
        };
      setConflicts(res.conflicts);
      setPlaces([]);
      const sum = (k: 'added' | 'updated' | 'keptLocal' | 'merged') => res.ledgers.reduce((n, l) => n + l[k], 0);
      return {
        intent: res.conflicts.length > 0 || res.cancelled ? 'warning' : 'success',
        title: res.cancelled ? 'Pull cancelled' : 'Pulled',
        text: [
          `${sum('added')} added, ${sum('updated')} updated, ${plural(sum('keptLocal'), 'local edit')} kept, ${plural(sum('merged'), 'row')} merged, ${plural(res.conflicts.length, 'conflict')}`,
          outsideFilterText(res.ledgers),
        ]
          .filter((t) => t !== '')
          .join('; ')
          .concat('.'),
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
      <Hint>
        Sends new and changed rows; each row’s outcome lands in its Sync status cell. Invoices with findings are listed
        first, and you publish them anyway with a reason or publish the rest without them.
      </Hint>
      {confirm !== null ? (
        <PublishConfirm
          check={confirm.check}
          disabled={disabled}
          onCancel={() => setConfirm(null)}
          onHoldBack={() =>
            void decide(
              { kind: 'holdBack', invoiceNos: confirm.check.invoices.map((i) => i.invoiceNo) },
              confirm.failedOnly,
            )
          }
          onPublishAnyway={(reason) =>
            void decide(
              { kind: 'publishAnyway', invoiceNos: confirm.check.invoices.map((i) => i.invoiceNo), reason },
              confirm.failedOnly,
            )
          }
        />
      ) : null}
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
      <PullFilters value={filters} onChange={setFilters} />
      <Button
        className={s.command}
        icon={<ArrowDownloadRegular />}
        disabled={disabled || offline}
        onClick={() => void doPull()}
        data-testid="cmd-pull"
      >
        Pull
      </Button>
      <Hint>
        Keeps your unpublished edits and merges cell by cell; where you and the server changed the same cell, you
        choose.
      </Hint>
      <CommandButton
        id="row-history"
        icon={<HistoryRegular />}
        disabled={disabled || offline}
        onClick={() => void showHistory()}
      >
        History of the selected row
      </CommandButton>
      <Hint>Who created and changed the row, who approved or rejected it, and the reasons given.</Hint>
      {history !== null ? <RowHistory history={history} onClose={() => setHistory(null)} /> : null}
    </section>
  );
}
