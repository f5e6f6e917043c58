// The Review tab's queue: pending changes a page at a time, each field as approved → pending, approve or reject with a reason.
import { plural } from '../../shared/text';
import React, { useState } from 'react';
import {
  Button,
  Caption1,
  Checkbox,
  Field,
  Input,
  Label,
  Link,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import {
  ArrowClockwiseRegular,
  CheckmarkRegular,
  ChevronLeftRegular,
  ChevronRightRegular,
  DismissCircleRegular,
} from '@fluentui/react-icons';
import { MAX_REASON_LENGTH, type PendingChange } from '../../shared/api';
import { isLedgerName, LEDGERS, type LedgerName } from '../../shared/ledgers';
import type { WorkbookAdapter } from '../excel/workbookAdapter';
import type { LedgerApiClient } from '../flows/apiClient';
import {
  checkReason,
  decideChanges,
  decisionSummary,
  tookEffect,
  type Decision,
  type DecisionOutcome,
} from '../flows/approve';
import type { Progress } from '../flows/progress';
import { fieldChanges, ledgerTitle, reviewPage, selectChangeRow, type ReviewPage } from '../flows/review';
import { findingText } from '../flows/invoiceCheck';
import { findingsOfChange, pageFindingsOrNote } from '../flows/reviewFindings';
import type { FindingWire } from '../../shared/api';
import type { PaneMessage } from './message';

export interface ReviewQueueProps {
  workbook: WorkbookAdapter;
  api: { client: LedgerApiClient; user: string } | null;
  /** True while any command runs: the pane runs one at a time. */
  disabled: boolean;
  /** The pane's command runner: progress bar, cancel button and one message at the end. */
  run: (what: string, body: (signal: AbortSignal) => Promise<PaneMessage>) => Promise<void>;
  setProgress: (p: Progress) => void;
}

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  grid2: { display: 'grid', gridTemplateColumns: 'repeat(2, minmax(0, 1fr))', gap: tokens.spacingHorizontalS },
  fill: { minWidth: 0, width: '100%' },
  row: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  grow: { flexGrow: 1 },
  hint: { color: tokens.colorNeutralForeground3 },
  list: {
    margin: 0,
    padding: 0,
    listStyle: 'none',
    maxHeight: '320px',
    overflowY: 'auto',
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  item: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: tokens.spacingHorizontalXS,
    padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalXS}`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
  },
  current: { backgroundColor: tokens.colorNeutralBackground1Selected },
  itemText: { display: 'flex', flexDirection: 'column', minWidth: 0, paddingTop: tokens.spacingVerticalXS },
  key: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, textAlign: 'left' },
  warn: { color: tokens.colorPaletteDarkOrangeForeground2 },
  ok: { color: tokens.colorPaletteGreenForeground2 },
  approved: { color: tokens.colorNeutralForeground3 },
  pending: { color: tokens.colorPaletteBlueForeground2 },
  table: { tableLayout: 'auto' },
});

const idOf = (c: { ledger: string; key: string }): string => `${c.ledger}|${c.key}`;

/** "2026-12-07 16:40 UTC" from an ISO timestamp: the queue's times are UTC. */
function when(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/** What an outcome means here: a changed version is read again by refreshing the list, not by pulling. */
function outcomeText(o: DecisionOutcome): string {
  return o.status === 'changed' ? 'changed since you read it: refresh the list, then review again' : o.message;
}

export function ReviewQueue({ workbook, api, disabled, run, setProgress }: ReviewQueueProps): React.JSX.Element {
  const s = useStyles();
  const [ledger, setLedger] = useState<LedgerName | ''>('');
  const [maker, setMaker] = useState('');
  const [page, setPage] = useState<ReviewPage | null>(null);
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const [current, setCurrent] = useState<PendingChange | null>(null);
  const [sheetNote, setSheetNote] = useState('');
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState('');
  const [outcomes, setOutcomes] = useState<ReadonlyMap<string, DecisionOutcome>>(new Map());
  /** The kind of the last decision: whether its outcomes took effect depends on it (tookEffect). */
  const [decidedKind, setDecidedKind] = useState<Decision['kind']>('approve');
  /** Issue 18: the server's invoice check of the page's invoices (pending versions), by invoice. */
  const [findings, setFindings] = useState<ReadonlyMap<string, FindingWire[]>>(new Map());
  const offline = api === null;

  function load(trail: (string | undefined)[] = [undefined]): Promise<void> {
    return run('Review queue', async () => {
      if (api === null) throw new Error('Connect to the API first.');
      const filters = { ...(ledger !== '' ? { ledger } : {}), changedBy: maker };
      const next = await reviewPage(api.client, filters, trail);
      const checked = await pageFindingsOrNote(api.client, next.rows);
      setFindings(checked.byInvoice);
      setPage(next);
      setChecked(new Set());
      setCurrent(null);
      setSheetNote('');
      setOutcomes(new Map());
      return {
        intent: 'info',
        title: next.rows.length === 0 ? 'Nothing waiting' : `${plural(next.rows.length, 'change')} on this page`,
        text:
          next.rows.length === 0
            ? 'No pending change you may decide matches the filters.'
            : `Page ${next.trail.length}, oldest first${next.next !== null ? '; more on the next page' : ''}. Click a change to see its fields and select its row.${checked.note === '' ? '' : ` ${checked.note}`}`,
      };
    });
  }

  async function show(c: PendingChange): Promise<void> {
    setCurrent(c);
    setSheetNote('');
    const title = ledgerTitle(c.ledger);
    if (!isLedgerName(c.ledger)) return;
    try {
      const res = await selectChangeRow(workbook, c.ledger, c.key);
      setSheetNote(
        res === 'selected'
          ? `Its row is selected on the ${title} sheet.`
          : res === 'noTable'
            ? `This workbook has no ${title} table, so there is no row to select.`
            : `${c.key} is not in the ${title} table (pull to bring it in).`,
      );
    } catch (e) {
      setSheetNote(`Cannot select its row: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  function decide(kind: Decision['kind'], which: 'checked' | 'all'): Promise<void> {
    const rows = page?.rows ?? [];
    const chosen = which === 'all' ? rows : rows.filter((r) => checked.has(idOf(r)));
    let decision: Decision = { kind: 'approve' };
    if (kind === 'reject') {
      const r = checkReason(reason);
      if (!r.ok) {
        setReasonError(r.message);
        return Promise.resolve();
      }
      decision = { kind: 'reject', reason: r.reason };
    }
    setReasonError('');
    const verb = kind === 'approve' ? 'Approve' : 'Reject';
    return run(verb, async (signal) => {
      if (api === null) throw new Error('Connect to the API first.');
      if (chosen.length === 0) throw new Error('Tick the changes to decide first, or use "all shown".');
      const res = await decideChanges(workbook, api.client, chosen, decision, api.user, {
        onProgress: setProgress,
        signal,
      });
      const byId = new Map(res.outcomes.map((o) => [idOf(o), o]));
      setOutcomes(byId);
      setDecidedKind(kind);
      setPage((p) =>
        p === null
          ? p
          : {
              ...p,
              rows: p.rows.filter((r) => {
                const o = byId.get(idOf(r));
                return o === undefined || !tookEffect(kind, o.status);
              }),
            },
      );
      setChecked(new Set());
      if (current !== null && byId.has(idOf(current))) setCurrent(null);
      const done = res.counts[kind === 'approve' ? 'approved' : 'rejected'];
      return {
        intent: done === chosen.length && !res.cancelled ? 'success' : 'warning',
        title: `${res.cancelled ? 'Cancelled: ' : ''}${done} of ${chosen.length} ${kind === 'approve' ? 'approved' : 'rejected'}`,
        text: decisionSummary(res, kind),
      };
    });
  }

  const rows = page?.rows ?? [];
  const allChecked = rows.length > 0 && rows.every((r) => checked.has(idOf(r)));
  const toggle = (id: string, on: boolean): void =>
    setChecked((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const busy = disabled || offline;
  const decided = [...outcomes.values()];
  const nextPage = (): void => {
    if (page !== null && page.next !== null) void load([...page.trail, page.next]);
  };

  return (
    <div className={s.stack}>
      <Label size="small" weight="semibold">
        Waiting for review
      </Label>
      <div className={s.grid2}>
        <Field label="Ledger" size="small">
          <Select
            size="small"
            value={ledger}
            onChange={(_, d) => setLedger(d.value as LedgerName | '')}
            data-testid="review-ledger"
          >
            <option value="">All ledgers</option>
            {LEDGERS.map((l) => (
              <option key={l.name} value={l.name}>
                {l.title}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Maker" size="small">
          <Input
            className={s.fill}
            size="small"
            placeholder="anyone"
            value={maker}
            onChange={(_, d) => setMaker(d.value)}
            data-testid="review-maker"
          />
        </Field>
      </div>
      <div className={s.row}>
        <Button
          size="small"
          icon={<ArrowClockwiseRegular />}
          disabled={busy}
          onClick={() => void load()}
          data-testid="review-load"
        >
          {page === null ? 'Show pending changes' : 'Refresh'}
        </Button>
        <span className={s.grow} />
        <Button
          size="small"
          appearance="subtle"
          icon={<ChevronLeftRegular />}
          aria-label="Previous page"
          disabled={busy || page === null || page.trail.length < 2}
          onClick={() => void load(page?.trail.slice(0, -1))}
          data-testid="review-prev"
        />
        <Caption1 data-testid="review-page">{page === null ? '' : `page ${page.trail.length}`}</Caption1>
        <Button
          size="small"
          appearance="subtle"
          icon={<ChevronRightRegular />}
          aria-label="Next page"
          disabled={busy || page === null || page.next === null}
          onClick={nextPage}
          data-testid="review-next"
        />
      </div>

      {page !== null && rows.length > 0 && (
        <>
          <Checkbox
            label={`All ${rows.length} shown`}
            checked={allChecked ? true : checked.size > 0 ? 'mixed' : false}
            onChange={(_, d) => setChecked(d.checked === true ? new Set(rows.map(idOf)) : new Set())}
            data-testid="review-check-all"
          />
          <ul className={s.list} data-testid="review-list" aria-label="Pending changes">
            {rows.map((c) => {
              const id = idOf(c);
              const o = outcomes.get(id);
              return (
                <li
                  key={id}
                  className={`${s.item} ${current !== null && idOf(current) === id ? s.current : ''}`}
                  data-testid={`review-item-${c.ledger}-${c.key}`}
                >
                  <Checkbox
                    checked={checked.has(id)}
                    onChange={(_, d) => toggle(id, d.checked === true)}
                    aria-label={`Choose ${ledgerTitle(c.ledger)} ${c.key}`}
                    data-testid={`review-check-${c.ledger}-${c.key}`}
                  />
                  <div className={s.itemText}>
                    <Link as="button" className={s.key} onClick={() => void show(c)}>
                      {ledgerTitle(c.ledger)} {c.key}
                    </Link>
                    <Caption1 className={s.hint}>
                      {c.changedBy} · {when(c.changedAt)}
                    </Caption1>
                    {findingsOfChange(c, findings).length > 0 && (
                      <Caption1 className={s.warn} data-testid={`review-findings-${c.ledger}-${c.key}`}>
                        {plural(findingsOfChange(c, findings).length, 'invoice check finding')}
                      </Caption1>
                    )}
                    {o !== undefined && (
                      <Caption1 className={s.warn} data-testid={`review-outcome-${c.ledger}-${c.key}`}>
                        {outcomeText(o)}
                      </Caption1>
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
        </>
      )}

      {current !== null && (
        <section aria-label="Selected change" className={s.stack} data-testid="review-diff">
          <Label size="small" weight="semibold">
            {ledgerTitle(current.ledger)} {current.key}: approved → pending
          </Label>
          <Table size="extra-small" aria-label={`Fields of ${current.key}`} className={s.table}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Column</TableHeaderCell>
                <TableHeaderCell>Approved</TableHeaderCell>
                <TableHeaderCell>Pending</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {fieldChanges(current).map((f) => (
                <TableRow key={f.field}>
                  <TableCell>{f.header}</TableCell>
                  <TableCell className={s.approved}>{f.approved === '' ? '—' : f.approved}</TableCell>
                  <TableCell className={s.pending}>{f.pending === '' ? '—' : f.pending}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {findingsOfChange(current, findings).length > 0 && (
            <ul className={s.list} data-testid="review-findings" aria-label="Invoice check findings">
              {findingsOfChange(current, findings).map((f) => (
                <li key={`${String(f.lineNo)}|${f.code}`} className={s.item}>
                  {f.lineNo === null ? '' : `Line ${f.lineNo}: `}
                  {findingText(f)}
                </li>
              ))}
            </ul>
          )}
          {sheetNote !== '' && (
            <Caption1 className={s.hint} data-testid="review-sheet-note">
              {sheetNote}
            </Caption1>
          )}
        </section>
      )}

      {page !== null && rows.length > 0 && (
        <>
          <div className={s.grid2}>
            <Button
              size="small"
              appearance="primary"
              icon={<CheckmarkRegular />}
              disabled={busy || checked.size === 0}
              onClick={() => void decide('approve', 'checked')}
              data-testid="review-approve-checked"
            >
              Approve ticked ({checked.size})
            </Button>
            <Button
              size="small"
              icon={<CheckmarkRegular />}
              disabled={busy}
              onClick={() => void decide('approve', 'all')}
              data-testid="review-approve-all"
            >
              Approve all shown
            </Button>
          </div>
          <Field
            label={`Reason for a rejection (the maker sees it; up to ${MAX_REASON_LENGTH} characters)`}
            size="small"
            validationState={reasonError === '' ? 'none' : 'error'}
            validationMessage={reasonError === '' ? undefined : reasonError}
          >
            <Textarea
              size="small"
              resize="vertical"
              value={reason}
              onChange={(_, d) => setReason(d.value)}
              data-testid="review-reason"
            />
          </Field>
          <div className={s.grid2}>
            <Button
              size="small"
              icon={<DismissCircleRegular />}
              disabled={busy || checked.size === 0}
              onClick={() => void decide('reject', 'checked')}
              data-testid="review-reject-checked"
            >
              Reject ticked ({checked.size})
            </Button>
            <Button
              size="small"
              icon={<DismissCircleRegular />}
              disabled={busy}
              onClick={() => void decide('reject', 'all')}
              data-testid="review-reject-all"
            >
              Reject all shown
            </Button>
          </div>
        </>
      )}

      {decided.length > 0 && (
        <section aria-label="Decided" className={s.stack} data-testid="review-outcomes">
          <Label size="small" weight="semibold">
            Last decision
          </Label>
          <ul className={s.list}>
            {decided.map((o) => (
              <li key={idOf(o)} className={s.item}>
                <Caption1 className={tookEffect(decidedKind, o.status) ? s.ok : s.warn}>
                  {ledgerTitle(o.ledger)} {o.key}: {outcomeText(o)}
                </Caption1>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
