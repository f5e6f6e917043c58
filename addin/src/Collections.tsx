// The Collections section (Figures tab): "Propose reminders" writes a dunning proposal as of a day to the Dunning sheet
// (addin/flows/dunning.ts, needs the API); "Reconcile" matches the other side's lines on the Their lines sheet against
// one customer's invoices and payments on the ledger sheets (addin/flows/reconcile.ts, the workbook alone).
// "Make letters" stores the reminder letters of a day or of reminder numbers (after resolving paid reminders) and lists
// the stored ones to download; "Statements workbook" downloads customer statements (addin/flows/collectionsFiles.ts).
import React, { useState } from 'react';
import {
  Button,
  Caption1,
  Field,
  Input,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import {
  ArrowClockwiseRegular,
  ArrowDownloadRegular,
  ArrowSwapRegular,
  DocumentTableRegular,
  MailAlertRegular,
  MailRegular,
  SendRegular,
} from '@fluentui/react-icons';
import { plural } from '../../shared/text';
import { lettersChoice, lettersRows, statementsChoice, type LettersRow } from '../flows/collectionsFiles';
import { saveFile } from './Reports';
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
  grid: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr) minmax(0, 1fr)',
    gap: tokens.spacingHorizontalS,
  },
  /** Inputs shrink to their grid cell (the pane is ~350 px wide). */
  fill: { minWidth: 0, width: '100%' },
  pair: { display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)', gap: tokens.spacingHorizontalS },
  row: { display: 'flex', alignItems: 'flex-end', gap: tokens.spacingHorizontalS },
  grow: { flexGrow: 1, minWidth: 0 },
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
  const [currency, setCurrency] = useState('');
  const [lettersFor, setLettersFor] = useState('');
  const [letters, setLetters] = useState<LettersRow[] | null>(null);
  const [from, setFrom] = useState(() => `${new Date().toISOString().slice(0, 7)}-01`);
  const [statementsFor, setStatementsFor] = useState('');
  const need = (): DunningClient => {
    if (dunning === null) throw new Error('Connect to the API first.');
    return dunning;
  };

  const makeLetters = () =>
    run('Make letters', async () => {
      const choice = lettersChoice(lettersFor === '' ? asOf : lettersFor);
      const made = await need().makeLetters(choice);
      setLetters(lettersRows(await need().listLetters()));
      const resolved =
        made.resolved.length === 0
          ? ''
          : ` ${plural(made.resolved.length, 'reminder')} paid in full resolved and got no letter: ${made.resolved.join(', ')}.`;
      return {
        intent: 'success',
        title: `${plural(made.reminders.length, 'letter')} stored as ${made.lettersId}`,
        text: `Download it from the list below.${resolved}`,
      };
    });

  const listLetters = () =>
    run('Letters', async () => {
      const list = lettersRows(await need().listLetters());
      setLetters(list);
      return {
        intent: 'info',
        title: list.length === 0 ? 'No letters stored yet' : `${plural(list.length, 'letters workbook')}`,
        text: list.length === 0 ? 'Make them with "Make letters".' : 'Newest first.',
      };
    });

  const downloadLetters = (lettersId: string) =>
    run('Download letters', async () => {
      const file = await need().downloadLetters(lettersId);
      saveFile(file.bytes, file.filename);
      return {
        intent: 'success',
        title: 'Letters downloaded',
        text: `${file.filename} (${file.bytes.byteLength} bytes).`,
      };
    });

  const statements = () =>
    run('Statements workbook', async () => {
      const choice = statementsChoice(from, asOf, statementsFor);
      const file = await need().downloadStatements(choice);
      saveFile(file.bytes, file.filename);
      return {
        intent: 'success',
        title: 'Statements downloaded',
        text: `${file.filename}: ${choice.customerId ?? 'every customer with activity'}, ${choice.from} to ${choice.to}.`,
      };
    });

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
        ...(currency.trim() !== '' ? { currency: currency.trim().toUpperCase() } : {}),
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
            className={s.fill}
            value={customerId}
            onChange={(_, d) => setCustomerId(d.value)}
            data-testid="recon-customer"
          />
        </Field>
        <Field label="As of" size="small">
          <Input
            size="small"
            className={s.fill}
            value={asOf}
            onChange={(_, d) => setAsOf(d.value)}
            data-testid="collections-as-of"
          />
        </Field>
        <Field label="Tolerance" size="small">
          <Input size="small" className={s.fill} value={tolerance} onChange={(_, d) => setTolerance(d.value)} />
        </Field>
      </div>
      <Field label="Currency (for a customer with contracts in two)" size="small">
        <Input
          size="small"
          className={s.fill}
          placeholder="EUR"
          value={currency}
          onChange={(_, d) => setCurrency(d.value)}
          data-testid="recon-currency"
        />
      </Field>
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
      <div className={s.row}>
        <Field
          className={s.grow}
          label="Letters for"
          size="small"
          hint="An issue date (YYYY-MM-DD) or reminder numbers separated by commas; empty: As of."
        >
          <Input
            size="small"
            value={lettersFor}
            onChange={(_, d) => setLettersFor(d.value)}
            data-testid="letters-for"
          />
        </Field>
        <Button
          size="small"
          icon={<MailRegular />}
          disabled={disabled || dunning === null}
          data-testid="cmd-make-letters"
          onClick={() => void makeLetters()}
        >
          Make letters
        </Button>
        <Button
          size="small"
          icon={<ArrowClockwiseRegular />}
          disabled={disabled || dunning === null}
          data-testid="cmd-list-letters"
          onClick={() => void listLetters()}
        >
          List
        </Button>
      </div>
      {letters !== null && letters.length > 0 && (
        <Table size="extra-small" aria-label="Letters" data-testid="letters">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Day</TableHeaderCell>
              <TableHeaderCell>Version</TableHeaderCell>
              <TableHeaderCell>Made by</TableHeaderCell>
              <TableHeaderCell>When</TableHeaderCell>
              <TableHeaderCell />
            </TableRow>
          </TableHeader>
          <TableBody>
            {letters.map((l) => (
              <TableRow key={l.lettersId} data-testid={`letters-${l.lettersId}`}>
                <TableCell>{l.day}</TableCell>
                <TableCell>{l.version}</TableCell>
                <TableCell>{l.madeBy}</TableCell>
                <TableCell>{l.when}</TableCell>
                <TableCell>
                  <Button
                    size="small"
                    appearance="subtle"
                    icon={<ArrowDownloadRegular />}
                    aria-label={`Download letters ${l.lettersId}`}
                    title="Download"
                    disabled={disabled}
                    onClick={() => void downloadLetters(l.lettersId)}
                  />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <div className={s.pair}>
        <Field label="Statements from" size="small">
          <Input size="small" value={from} onChange={(_, d) => setFrom(d.value)} data-testid="statements-from" />
        </Field>
        <Field label="Customer (empty: all)" size="small">
          <Input
            size="small"
            value={statementsFor}
            onChange={(_, d) => setStatementsFor(d.value)}
            data-testid="statements-customer"
          />
        </Field>
      </div>
      <Button
        size="small"
        icon={<DocumentTableRegular />}
        disabled={disabled || dunning === null}
        data-testid="cmd-statements"
        onClick={() => void statements()}
      >
        Statements workbook
      </Button>
      <Caption1 className={s.hint}>Statements run from the date above to As of.</Caption1>
    </section>
  );
}
