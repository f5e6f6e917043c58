// The invoice check beside the review queue: the server's findings for the invoices of the queue's page, checked as
// pending (the version the reviewer is asked to approve), so approving an invoice with findings is never blind.
import type { FindingWire, PendingChange } from '../../shared/api';
import type { LedgerApiClient } from './apiClient';
import { serverFindings } from './serverInvoiceCheck';

/** The invoice a change of the invoices or invoice lines ledger belongs to (a line's key is `invoiceNo~lineNo`). */
export function invoiceOfChange(c: PendingChange): string | undefined {
  if (c.ledger === 'invoices') return c.key;
  if (c.ledger !== 'invoiceLines') return undefined;
  const cut = c.key.lastIndexOf('~');
  return cut < 0 ? undefined : c.key.slice(0, cut);
}

/**
 * The server's findings per invoice for the invoice changes of a page (one request for the page's invoices);
 * empty when the page has none or the connection cannot run the check.
 */
export async function pageFindings(
  api: LedgerApiClient,
  rows: readonly PendingChange[],
): Promise<Map<string, FindingWire[]>> {
  const invoiceNos = [...new Set(rows.flatMap((c) => invoiceOfChange(c) ?? []))];
  const byInvoice = new Map<string, FindingWire[]>();
  if (invoiceNos.length === 0 || api.checkInvoices === undefined) return byInvoice;
  for (const f of (await serverFindings(api, invoiceNos)).findings)
    byInvoice.set(f.invoiceNo, [...(byInvoice.get(f.invoiceNo) ?? []), f]);
  return byInvoice;
}

/**
 * The page's findings, or none with a sentence saying why when the check cannot run: the queue is still shown, since
 * a reviewer can decide without it (and the findings were shown when the change was published).
 */
export async function pageFindingsOrNote(
  api: LedgerApiClient,
  rows: readonly PendingChange[],
): Promise<{ byInvoice: Map<string, FindingWire[]>; note: string }> {
  try {
    return { byInvoice: await pageFindings(api, rows), note: '' };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { byInvoice: new Map(), note: `The invoice check could not run (${why}), so no findings are shown.` };
  }
}

/** The findings to show beside a change: all of its invoice's for an invoice; a line's own and the invoice's. */
export function findingsOfChange(c: PendingChange, byInvoice: ReadonlyMap<string, FindingWire[]>): FindingWire[] {
  const invoiceNo = invoiceOfChange(c);
  if (invoiceNo === undefined) return [];
  const all = byInvoice.get(invoiceNo) ?? [];
  if (c.ledger === 'invoices') return all;
  const lineNo = Number(c.key.slice(invoiceNo.length + 1));
  return all.filter((f) => f.lineNo === null || f.lineNo === lineNo);
}
