// Before Publish: the invoices about to be sent that have invoice-check findings, so the user confirms them with a
// reason ("publish anyway", the reason going into each row's history) or holds them back (nothing of them is sent).
import { MAX_REASON_LENGTH, type FindingWire } from '../../shared/api';
import { checkInvoices } from '../../shared/calc/invoiceCheck';
import type { LedgerName } from '../../shared/ledgers';
import type { WorkbookAdapter } from '../excel/workbookAdapter';
import type { LedgerApiClient } from './apiClient';
import { CHECKED_LEDGERS, checkedLedgerData, findingText } from './invoiceCheck';
import type { SheetRow } from './ledgerSheet';
import type { ProgressFn } from './progress';
import { isFailedStatus, type PublishOptions } from './publish';
import { serverFindings } from './serverInvoiceCheck';
import { readWorkbookRows } from './workbookRows';

export interface GateFinding extends FindingWire {
  /** `server`: the server's check of the sheet's rows with the contract's stored history; `sheet`: the workbook's
   * rows alone (no connection that can run the server's check). */
  source: 'sheet' | 'server';
  text: string;
}

export interface HeldInvoice {
  invoiceNo: string;
  findings: GateFinding[];
}

export interface GateCheck {
  /** Invoices about to be published that have findings, in the order of their first finding. */
  invoices: HeldInvoice[];
  /** Invoices about to be published (with or without findings). */
  invoicesToPublish: number;
}

/** The invoice a row of the invoices or invoice lines ledger belongs to; undefined for other ledgers. */
export function invoiceOf(ledger: LedgerName, row: SheetRow): string | undefined {
  if (ledger === 'invoices') return row.key ?? undefined;
  if (ledger !== 'invoiceLines') return undefined;
  const no = row.wire.invoiceNo;
  return typeof no === 'string' || typeof no === 'number' ? String(no) : undefined;
}

/** The rows Publish would send, by the same rule as publish.ts. */
function toPublish(row: SheetRow, failedOnly: boolean): boolean {
  return failedOnly ? isFailedStatus(row.status) : row.hash !== row.syncHash || isFailedStatus(row.status);
}

/**
 * The findings of the invoices Publish would send. Signed in, the server checks the sheet's rows of those invoices
 * (the versions about to be sent, as a draft) with their contracts' whole stored history: earlier invoices, order
 * lines and deliveries the workbook may not hold. Without a connection that can run it, the shared check runs over
 * the workbook's rows alone.
 */
export async function checkBeforePublish(
  wb: WorkbookAdapter,
  api: LedgerApiClient | null,
  options: { failedOnly?: boolean; onProgress?: ProgressFn; signal?: AbortSignal } = {},
): Promise<GateCheck> {
  const rows = await readWorkbookRows(wb, { ledgers: CHECKED_LEDGERS, ...options });
  const wanted = new Set<string>();
  for (const ledger of ['invoices', 'invoiceLines'] as const)
    for (const row of rows.sheets.get(ledger)?.rows ?? []) {
      const no = invoiceOf(ledger, row);
      if (no !== undefined && toPublish(row, options.failedOnly === true)) wanted.add(no);
    }
  if (wanted.size === 0) return { invoices: [], invoicesToPublish: 0 };
  const invoiceNos = [...wanted];
  let found: GateFinding[];
  if (api?.checkInvoices !== undefined) {
    // The sheet's rows of those invoices that parse (Publish refuses the others itself), in wire form.
    const draftRows = (ledger: 'invoices' | 'invoiceLines') =>
      (rows.parsed.get(ledger) ?? []).flatMap((p) => {
        const no = invoiceOf(ledger, p.row);
        return p.record !== undefined && no !== undefined && wanted.has(no) ? [p.row.wire] : [];
      });
    const server = await serverFindings(api, invoiceNos, {
      ...options,
      draft: { invoices: draftRows('invoices'), invoiceLines: draftRows('invoiceLines') },
    });
    found = server.findings.map((f) => ({ ...f, source: 'server', text: findingText(f) }));
  } else {
    found = checkInvoices(checkedLedgerData(rows), { invoiceNos }).map((f) => ({
      ...f,
      source: 'sheet',
      text: findingText(f),
    }));
  }
  const byInvoice = new Map<string, GateFinding[]>();
  for (const f of found) byInvoice.set(f.invoiceNo, [...(byInvoice.get(f.invoiceNo) ?? []), f]);
  return {
    invoices: [...byInvoice].map(([invoiceNo, findings]) => ({ invoiceNo, findings })),
    invoicesToPublish: wanted.size,
  };
}

/** The user's answer to "publish anyway?" for the invoices listed. */
export type GateDecision =
  | { kind: 'publishAnyway'; invoiceNos: readonly string[]; reason: string }
  | { kind: 'holdBack'; invoiceNos: readonly string[] };

/**
 * Publish options that carry out a decision: held invoices' rows (the invoice and its lines) are left out of the run;
 * confirmed ones are sent with the reason, which must be 1-500 characters (an error otherwise, and nothing is sent).
 */
export function gatedPublishOptions(decision: GateDecision): Pick<PublishOptions, 'hold' | 'reasonFor'> {
  const listed = new Set(decision.invoiceNos);
  const inList = (ledger: LedgerName, row: SheetRow): boolean => {
    const no = invoiceOf(ledger, row);
    return no !== undefined && listed.has(no);
  };
  if (decision.kind === 'holdBack') return { hold: inList };
  const reason = decision.reason.trim();
  if (reason === '') throw new Error('Give a reason for publishing these invoices; it is kept in their history.');
  if (reason.length > MAX_REASON_LENGTH)
    throw new Error(`The reason has ${reason.length} characters; at most ${MAX_REASON_LENGTH}.`);
  return { reasonFor: (ledger, row) => (inList(ledger, row) ? reason : undefined) };
}
