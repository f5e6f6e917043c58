// The Collections section (Figures tab): "Propose reminders" writes a dunning proposal as of a day to the Dunning sheet
// (addin/flows/dunning.ts, needs the API); "Reconcile" matches the other side's lines on the Their lines sheet against
// one customer's invoices and payments on the ledger sheets (addin/flows/reconcile.ts, the workbook alone).
import { plural } from '../../shared/text';
import React, { useState } from 'react';
import { Button, Caption1, Field, Input, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowSwapRegular, MailAlertRegular, SendRegular } from '@fluentui/react-icons';
import { isIsoDate } from '../../shared/dates';
import { parseMoney } from '../../shared/money';
import type { WorkbookAdapter } from '../excel/workbookAdapter';
import type { LedgerApiClient } from '../flows/apiClient';
import { issueReminders, writeDunningProposal, type DunningClient } from '../flows/dunning';
import { reconcileSheet } from '../flows/reconcile';
import type { PaneMessage } from './message';

export interface CollectionsSectionProps {
  workbook: WorkbookAdapter;
  /** Null when not connected: Propose reminders and Issue reminders need the API. */
  dunning: DunningClient | null;
  ledgers: Pick<LedgerApiClient, 'putRows'> | null;
  disabled: boolean;
  run: (what: string, body: (signal: AbortSignal) => Promise<PaneMessage>) => Promise<void>;
}

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  grid: { display: 'grid', gridTemplateColumns: '1fr 1fr 1fr', gap: tokens.spacingHorizontalS },
  hint: { color: tokens.colorNeutralForeground3 },
});

export function CollectionsSection({
  workbook,
  dunning,
  ledgers,
  disabled,
  run,
}: CollectionsSectionProps): React.JSX.Element {
  const s = useStyles();
  const [customerId, setCustomerId] = useState('');
  const [asOf, setAsOf] = useState(() => new Date().toISOString().slice(0, 10));
  const [tolerance, setTolerance] = useState('0.00');

  const propose = () =>
    run('Propose reminders', async () => {
      if (dunning === null) throw new Error('Connect to the API first.');
      const p = await writeDunningProposal(workbook, dunning, asOf.trim());
      const lines = p.reminders.reduce((n, r) => n + r.lines.length, 0);
      return {
        // No reminder is not a success to celebrate: the sheet still lists what was held or skipped.
        intent: p.reminders.length === 0 ? 'info' : 'success',
        title:
          p.reminders.length === 0 ? 'No reminder to propose' : `${plural(p.reminders.length, 'reminder')} proposed`,
        text: `${plural(lines, 'invoice line')}, ${p.held.length} held and ${p.skipped.length} skipped on the Dunning sheet. Nothing was issued.`,
      };
    });

  const issue = () =>
    run('Issue reminders', async () => {
      if (ledgers === null) throw new Error('Connect to the API first.');
      const day = asOf.trim();
      const r = await issueReminders(workbook, ledgers, day, `issue-${day}-${Date.now()}`);
      return {
        intent: r.refused.length === 0 && r.reminders > 0 ? 'success' : 'warning',
        title:
          r.reminders === 0
            ? 'No reminder issued'
            : `${plural(r.reminders, 'reminder')} with ${plural(r.lines, 'line')} issued, pending review`,
        text:
          r.refused.length === 0
            ? 'A reviewer approves them under Review; until then they do not count for the next proposal.'
            : `Refused: ${r.refused.map((x) => `${x.key ?? '?'} (${x.status}${x.message ? `: ${x.message}` : ''})`).join(', ')}.`,
      };
    });

  const reconcile = () =>
    run('Reconcile', async () => {
      if (customerId.trim() === '') throw new Error('Enter the customer ID to reconcile.');
      if (!isIsoDate(asOf.trim())) throw new Error('As of must be a date as YYYY-MM-DD.');
      const amountTolerance = parseMoney(tolerance.trim(), 'tolerance');
      if (amountTolerance < 0) throw new Error('The tolerance must not be negative.');
      const { result, unreadable } = await reconcileSheet(workbook, {
        customerId: customerId.trim(),
        asOf: asOf.trim(),
        amountTolerance,
      });
      const st = result.statement;
      return {
        intent: st.ties && unreadable.length === 0 ? 'success' : 'warning',
        title: `${plural(result.matches.length, 'match')}, ${result.onlyOurs.length} only ours, ${result.onlyTheirs.length} only theirs`,
        text:
          `The reconciling statement is on the Reconciliation sheet${st.ties ? ' and ties' : ' and does NOT tie'}.` +
          (unreadable.length > 0
            ? ` ${plural(unreadable.length, 'line')} of theirs could not be read: see the Match column.`
            : ''),
      };
    });

  return (
    <section aria-label="Collections" className={s.stack}>
      <Caption1 className={s.hint}>
        Paste their lines (document, date, amount; invoices positive, payments negative) on the Their lines sheet.
      </Caption1>
      <div className={s.grid}>
        <Field label="Customer ID" size="small">
          <Input
            size="small"
            value={customerId}
            onChange={(_, d) => setCustomerId(d.value)}
            data-testid="recon-customer"
          />
        </Field>
        <Field label="As of" size="small">
          <Input size="small" value={asOf} onChange={(_, d) => setAsOf(d.value)} />
        </Field>
        <Field label="Tolerance" size="small">
          <Input size="small" value={tolerance} onChange={(_, d) => setTolerance(d.value)} />
        </Field>
      </div>
      <Button
        icon={<MailAlertRegular />}
        disabled={disabled || dunning === null}
        data-testid="cmd-dunning"
        onClick={() => void propose()}
      >
        Propose reminders
      </Button>
      <Button
        icon={<SendRegular />}
        disabled={disabled || ledgers === null}
        data-testid="cmd-issue-reminders"
        onClick={() => void issue()}
      >
        Issue reminders
      </Button>
      <Button
        icon={<ArrowSwapRegular />}
        disabled={disabled}
        data-testid="cmd-reconcile"
        onClick={() => void reconcile()}
      >
        Reconcile
      </Button>
    </section>
  );
}
