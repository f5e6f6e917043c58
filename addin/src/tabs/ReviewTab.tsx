// The Review tab: approve the rows selected in Excel, and the queue of changes waiting for this reviewer.
import { Divider } from '@fluentui/react-components';
import { CheckmarkStarburstRegular } from '@fluentui/react-icons';
import { approveRows, decisionSummary, selectedLedgerRows, tookEffect } from '../../flows/approve';
import { tableName } from '../../flows/layout';
import { ledger as ledgerOf } from '../../../shared/ledgers';
import { CommandButton, Hint } from '../CommandButton';
import type { PaneContext } from '../pane';
import { ReviewQueue } from '../Review';
import { useStyles } from '../styles';

export function ReviewTab(pane: PaneContext): React.JSX.Element {
  const s = useStyles();
  const { workbook, api, run, setProgress, setPlaces, needApi, disabled, offline } = pane;

  const approve = (): Promise<void> =>
    run('Approve', async (signal) => {
      const client = needApi();
      const target = await selectedLedgerRows(workbook);
      if (target === null) throw new Error('Select rows of a ledger table first.');
      const res = await approveRows(workbook, client, target, api?.user ?? '', { onProgress: setProgress, signal });
      // Every row not approved is listed with its reason; each also says it in its Sync status cell.
      const table = tableName(ledgerOf(target.ledger));
      setPlaces(
        res.outcomes.flatMap((o) =>
          tookEffect('approve', o.status) || o.row === null || o.address === null
            ? []
            : [{ table, row: o.row, column: o.column, address: o.address, message: o.message }],
        ),
        'Rows not approved',
      );
      const sent = res.outcomes.length;
      return {
        intent: res.counts.approved + res.counts.alreadyApproved === sent && !res.cancelled ? 'success' : 'warning',
        title: `${res.cancelled ? 'Cancelled: ' : ''}${res.counts.approved} of ${sent} approved`,
        text: decisionSummary(res, 'approve'),
      };
    });

  return (
    <section aria-label="Review" className={s.stack}>
      <CommandButton
        id="approve"
        primary
        icon={<CheckmarkStarburstRegular />}
        disabled={disabled || offline}
        onClick={() => void approve()}
      >
        Approve selected rows
      </CommandButton>
      <Hint>
        Select rows of a ledger table in Excel first: each is approved as the sheet shows it (its etag). A change must
        be approved by someone other than its author.
      </Hint>
      <Divider className={s.divider} />
      {/* Keyed by the user: signing in as someone else starts from an empty queue, never another user's page. */}
      <ReviewQueue
        key={api?.user ?? ''}
        workbook={workbook}
        api={api}
        disabled={disabled}
        run={run}
        setProgress={setProgress}
      />
    </section>
  );
}
