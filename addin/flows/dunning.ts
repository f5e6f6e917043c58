// The pane's Dunning sheet: POST /api/dunning/proposals?asOf= and the proposal written one line per invoice, with the
// invoices held and the customers skipped below, so the clerk reads what a run on that day would remind.
import { dunningProposalResponse, type DunningProposalResponse } from '../../shared/api';
import { fromExcelSerial, isIsoDate, toExcelSerial } from '../../shared/dates';
import { centsFromCellNumber, formatMoney } from '../../shared/money';
import {
  DATE_FORMAT,
  MONEY_FORMAT,
  TEXT_FORMAT,
  type CellValue,
  type Matrix,
  type TableSpec,
  type WorkbookAdapter,
} from '../excel/workbookAdapter';
import { moneyCell } from '../excel/cells';
import { apiRequester, type LedgerApiClient, type TokenProvider } from './apiClient';
import { createCollectionsFilesClient, type CollectionsFilesClient } from './collectionsFiles';

/** The pane's collections API: proposals, and the letters and statements files (collectionsFiles.ts). */
export interface DunningClient extends CollectionsFilesClient {
  propose(asOf: string): Promise<DunningProposalResponse>;
}

export function createDunningClient(options: {
  baseUrl: string;
  tokens: TokenProvider;
  fetch?: typeof fetch;
}): DunningClient {
  const http = apiRequester(options);
  return {
    ...createCollectionsFilesClient(options),
    propose(asOf) {
      return http.json('POST', `dunning/proposals?asOf=${encodeURIComponent(asOf)}`, dunningProposalResponse);
    },
  };
}

export const DUNNING_SPEC: TableSpec = {
  sheet: 'Dunning',
  table: 'Dunning',
  columns: [
    { name: 'Customer', numberFormat: TEXT_FORMAT },
    { name: 'Currency', numberFormat: TEXT_FORMAT },
    { name: 'Status', numberFormat: TEXT_FORMAT },
    { name: 'Level', numberFormat: '0' },
    { name: 'Invoice no', numberFormat: TEXT_FORMAT },
    { name: 'Due on', numberFormat: DATE_FORMAT },
    { name: 'Days overdue', numberFormat: '0' },
    { name: 'Outstanding', numberFormat: MONEY_FORMAT },
    { name: 'Interest', numberFormat: MONEY_FORMAT },
    { name: 'Fee', numberFormat: MONEY_FORMAT },
    { name: 'Pay by', numberFormat: DATE_FORMAT },
  ],
};

/** What the Status column says. */
export const DUNNING_STATUS = {
  remind: 'Remind',
  unapplied: 'Unapplied payments (netted)',
  possible_payment: 'Held: possible payment received',
  max_reminders: 'Held: max reminders reached',
  blocked: 'Skipped: dunning blocked',
  no_terms: 'Skipped: no reminder terms',
  below_min_amount: 'Skipped: below minimum amount',
} as const;

/** The proposal as sheet rows: each reminder's invoice lines (and its unapplied money), then held, then skipped. */
export function dunningRows(p: DunningProposalResponse): Matrix {
  const rows: Matrix = [];
  for (const r of p.reminders) {
    for (const l of r.lines)
      rows.push([
        r.customerId,
        r.currency,
        DUNNING_STATUS.remind,
        l.level,
        l.invoiceNo,
        toExcelSerial(l.dueOn),
        l.daysOverdue,
        moneyCell(l.outstanding),
        moneyCell(l.interest),
        moneyCell(l.fee),
        toExcelSerial(r.payBy),
      ]);
    if (r.unapplied !== '0.00')
      rows.push([
        r.customerId,
        r.currency,
        DUNNING_STATUS.unapplied,
        null,
        null,
        null,
        null,
        -moneyCell(r.unapplied),
        null,
        null,
        null,
      ]);
  }
  for (const h of p.held)
    rows.push([
      h.customerId,
      h.currency,
      DUNNING_STATUS[h.reason],
      null,
      h.invoiceNo,
      null,
      null,
      moneyCell(h.outstanding),
      null,
      null,
      null,
    ]);
  for (const s of p.skipped)
    rows.push([
      s.customerId,
      s.currency,
      DUNNING_STATUS[s.reason],
      null,
      null,
      null,
      null,
      moneyCell(s.outstanding),
      null,
      null,
      null,
    ] as CellValue[]);
  return rows;
}

/** Proposes a run on asOf and writes the Dunning sheet; returns the proposal. */
export async function writeDunningProposal(
  wb: WorkbookAdapter,
  client: Pick<DunningClient, 'propose'>,
  asOf: string,
): Promise<DunningProposalResponse> {
  if (!isIsoDate(asOf)) throw new Error('As of must be a date as YYYY-MM-DD.');
  const proposal = await client.propose(asOf);
  await wb.writeResultsTable(DUNNING_SPEC, dunningRows(proposal));
  return proposal;
}

export interface IssueResult {
  /** Reminders and reminder lines the API accepted (created, or unchanged when issued before), now pending review. */
  reminders: number;
  lines: number;
  /** Rows the API refused, with its reasons. */
  refused: { ledger: 'reminders' | 'reminderLines'; key: string | null; status: string; message: string }[];
}

/** The reminder number of a run's reminder to one customer in one currency: one per customer and currency per run. */
export function reminderNo(asOf: string, customerId: string, currency: string): string {
  return `R-${asOf}-${customerId}-${currency}`;
}

/**
 * "Issue reminders": the Dunning sheet's rows still marked Remind (the clerk deletes the lines and customers not to
 * remind) as one reminder per customer and currency, issued on asOf, with a line per invoice; written to the
 * reminders and reminderLines ledgers, where they wait for a reviewer like any row. Writing the same run again
 * changes nothing (same numbers, same rows).
 */
export async function issueReminders(
  wb: WorkbookAdapter,
  client: Pick<LedgerApiClient, 'putRows'>,
  asOf: string,
  idempotencyKey: string,
): Promise<IssueResult> {
  if (!isIsoDate(asOf)) throw new Error('As of must be a date as YYYY-MM-DD.');
  const t = await wb.readTable(DUNNING_SPEC.table);
  const at = (name: string): number => {
    const i = t.headers.indexOf(name);
    if (i < 0) throw new Error(`The Dunning sheet has no "${name}" column: propose reminders again.`);
    return i;
  };
  const [cCustomer, cCurrency, cStatus, cLevel, cInvoice, cDays, cOut, cInterest, cFee, cPayBy] = [
    'Customer',
    'Currency',
    'Status',
    'Level',
    'Invoice no',
    'Days overdue',
    'Outstanding',
    'Interest',
    'Fee',
    'Pay by',
  ].map(at) as [number, number, number, number, number, number, number, number, number, number];
  const wireMoney = (v: CellValue | undefined): string => formatMoney(centsFromCellNumber(Number(v ?? 0)));
  const reminders = new Map<string, Record<string, string | number>>();
  const lines: Record<string, string | number>[] = [];
  for (const r of t.rows) {
    if (r[cStatus] !== DUNNING_STATUS.remind) continue;
    const customerId = String(r[cCustomer]);
    const currency = String(r[cCurrency]);
    const no = reminderNo(asOf, customerId, currency);
    const level = Number(r[cLevel]);
    const rem = reminders.get(no);
    if (rem === undefined)
      reminders.set(no, {
        reminderNo: no,
        customerId,
        currency,
        level,
        issuedOn: asOf,
        payBy: fromExcelSerial(Number(r[cPayBy])),
        status: 'issued',
      });
    else rem.level = Math.max(Number(rem.level), level);
    lines.push({
      reminderNo: no,
      lineNo: lines.filter((l) => l.reminderNo === no).length + 1,
      invoiceNo: String(r[cInvoice]),
      level,
      outstanding: wireMoney(r[cOut]),
      daysOverdue: Number(r[cDays]),
      interest: wireMoney(r[cInterest]),
      fee: wireMoney(r[cFee]),
    });
  }
  if (reminders.size === 0) throw new Error('No line on the Dunning sheet is marked Remind: propose reminders first.');
  const refused: IssueResult['refused'] = [];
  const count = async (ledger: 'reminders' | 'reminderLines', rows: object[]): Promise<number> => {
    const res = await client.putRows(ledger, rows, `${idempotencyKey}-${ledger}`);
    let ok = 0;
    for (const x of res.results) {
      if (x.status === 'created' || x.status === 'unchanged' || x.status === 'updated') ok++;
      else
        refused.push({
          ledger,
          key: x.key,
          status: x.status,
          message: (x.errors ?? []).map((e) => `${e.field} ${e.message}`).join('; '),
        });
    }
    return ok;
  };
  const issued = await count('reminders', [...reminders.values()]);
  const lineCount = await count('reminderLines', lines);
  return { reminders: issued, lines: lineCount, refused };
}
