// The pane's Dunning sheet: POST /api/dunning/proposals?asOf= and the proposal written one line per invoice, with the
// invoices held and the customers skipped below, so the clerk reads what a run on that day would remind.
import { dunningProposalResponse, errorBody, type DunningProposalResponse } from '../../shared/api';
import { isIsoDate, toExcelSerial } from '../../shared/dates';
import {
  DATE_FORMAT,
  MONEY_FORMAT,
  TEXT_FORMAT,
  type CellValue,
  type Matrix,
  type TableSpec,
  type WorkbookAdapter,
} from '../excel/workbookAdapter';
import { ApiClientError, type TokenProvider } from './apiClient';

export interface DunningClient {
  propose(asOf: string): Promise<DunningProposalResponse>;
}

export function createDunningClient(options: {
  baseUrl: string;
  tokens: TokenProvider;
  fetch?: typeof fetch;
}): DunningClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  return {
    async propose(asOf) {
      const token = await options.tokens.getToken();
      let res: Response;
      try {
        res = await doFetch(`${base}/dunning/proposals?asOf=${encodeURIComponent(asOf)}`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}` },
        });
      } catch (e) {
        throw new ApiClientError(
          0,
          'network',
          `The API at ${base} cannot be reached (${e instanceof Error ? e.message : String(e)}).`,
        );
      }
      let json: unknown;
      try {
        json = await res.json();
      } catch {
        json = undefined;
      }
      if (!res.ok) {
        const err = errorBody.safeParse(json);
        if (!err.success) throw new ApiClientError(res.status, `http_${res.status}`, `The API answered ${res.status}.`);
        throw new ApiClientError(res.status, err.data.error.code, err.data.error.message);
      }
      const parsed = dunningProposalResponse.safeParse(json);
      if (!parsed.success)
        throw new ApiClientError(res.status, 'bad_response', 'Unexpected answer from POST /dunning/proposals.');
      return parsed.data;
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

const money = (wire: string): number => Number(wire);

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
        money(l.outstanding),
        money(l.interest),
        money(l.fee),
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
        -money(r.unapplied),
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
      money(h.outstanding),
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
      money(s.outstanding),
      null,
      null,
      null,
    ] as CellValue[]);
  return rows;
}

/** Proposes a run on asOf and writes the Dunning sheet; returns the proposal. */
export async function writeDunningProposal(
  wb: WorkbookAdapter,
  client: DunningClient,
  asOf: string,
): Promise<DunningProposalResponse> {
  if (!isIsoDate(asOf)) throw new Error('As of must be a date as YYYY-MM-DD.');
  const proposal = await client.propose(asOf);
  await wb.writeResultsTable(DUNNING_SPEC, dunningRows(proposal));
  return proposal;
}
