// "Check invoices on the server": the API's invoice check for the sheet's invoices and lines as they stand in the
// sheet (sent as a draft, so unpublished edits count), with each contract's stored history around them (earlier
// invoices, order lines and deliveries the workbook may not hold), reported like the sheet's own check: cells marked
// and the Invoice check sheet written.
import type { FindingWire } from '../../shared/api';
import type { WorkbookAdapter } from '../excel/workbookAdapter';
import { ApiClientError, type LedgerApiClient } from './apiClient';
import { reportFindings, type LocatedFinding } from './invoiceCheck';
import { throwIfCancelled, type ProgressFn } from './progress';
import { readWorkbookRows } from './workbookRows';

/** Invoice numbers per request: a page of findings stays small and the progress bar moves on a big sheet. */
export const SERVER_CHECK_BATCH = 1_000;

export interface ServerInvoiceCheckResult {
  findings: LocatedFinding[];
  /** Invoices asked about. */
  invoicesChecked: number;
  /** Invoices of the sheet neither the sheet (its row does not parse) nor the server (never published) can supply. */
  notOnServer: string[];
}

/** The API client's server check, or an error that says this API cannot run it. */
export function serverCheck(api: LedgerApiClient): NonNullable<LedgerApiClient['checkInvoices']> {
  if (api.checkInvoices === undefined)
    throw new ApiClientError(0, 'unsupported', 'This connection cannot run the server check.');
  return (request) => (api.checkInvoices as NonNullable<LedgerApiClient['checkInvoices']>)(request);
}

/**
 * The server's findings for `invoiceNos`, asked in batches, in the order asked. Pending versions count
 * (includePending): an invoice published and not yet approved is checked as published.
 */
export async function serverFindings(
  api: LedgerApiClient,
  invoiceNos: readonly string[],
  options: {
    onProgress?: ProgressFn;
    signal?: AbortSignal;
    batchSize?: number;
    /** Unpublished rows (wire form) checked in place of the stored ones; each batch sends those of its invoices. */
    draft?: { invoices: readonly Record<string, unknown>[]; invoiceLines: readonly Record<string, unknown>[] };
  } = {},
): Promise<{ findings: FindingWire[]; notFound: string[] }> {
  const check = serverCheck(api);
  const size = options.batchSize ?? SERVER_CHECK_BATCH;
  const findings: FindingWire[] = [];
  const notFound: string[] = [];
  options.onProgress?.({ phase: 'Checking invoices on the server', done: 0, total: invoiceNos.length });
  const batches: string[][] = [];
  for (let i = 0; i < invoiceNos.length; i += size) batches.push(invoiceNos.slice(i, i + size));
  const drafts = options.draft === undefined ? undefined : draftsByBatch(options.draft, batches);
  for (const [k, batch] of batches.entries()) {
    throwIfCancelled(options.signal);
    const draft = drafts?.[k];
    const res = await check({ invoiceNos: batch, includePending: true, ...(draft ? { draft } : {}) });
    findings.push(...res.findings);
    notFound.push(...(res.notFound ?? []));
    options.onProgress?.({
      phase: 'Checking invoices on the server',
      done: Math.min((k + 1) * size, invoiceNos.length),
      total: invoiceNos.length,
    });
  }
  return { findings, notFound };
}

export async function checkInvoicesOnServer(
  wb: WorkbookAdapter,
  api: LedgerApiClient,
  options: { onProgress?: ProgressFn; signal?: AbortSignal; batchSize?: number } = {},
): Promise<ServerInvoiceCheckResult> {
  const rows = await readWorkbookRows(wb, { ledgers: ['invoices', 'invoiceLines'], ...options });
  const invoiceNos = [
    ...new Set((rows.sheets.get('invoices')?.rows ?? []).flatMap((r) => (r.key === null ? [] : [r.key]))),
  ];
  // The rows that parse go as the draft; a row that does not (Validate says why) leaves its stored version in place.
  const draftRows = (ledger: 'invoices' | 'invoiceLines') =>
    (rows.parsed.get(ledger) ?? []).flatMap((p) => (p.record === undefined ? [] : [p.row.wire]));
  const res = await serverFindings(api, invoiceNos, {
    ...options,
    draft: { invoices: draftRows('invoices'), invoiceLines: draftRows('invoiceLines') },
  });
  const findings = await reportFindings(wb, rows, res.findings);
  return { findings, invoicesChecked: invoiceNos.length, notOnServer: res.notFound };
}

/**
 * Each batch's draft: the draft rows of its invoices, in the draft's order. One pass over the rows for all batches,
 * not one per batch (a big sheet has many batches and many rows).
 */
function draftsByBatch(
  draft: { invoices: readonly Record<string, unknown>[]; invoiceLines: readonly Record<string, unknown>[] },
  batches: readonly (readonly string[])[],
): { invoices: Record<string, unknown>[]; invoiceLines: Record<string, unknown>[] }[] {
  const batchesOf = new Map<string, number[]>();
  batches.forEach((batch, k) => {
    for (const no of new Set(batch)) batchesOf.set(no, [...(batchesOf.get(no) ?? []), k]);
  });
  const out = batches.map(() => ({
    invoices: [] as Record<string, unknown>[],
    invoiceLines: [] as Record<string, unknown>[],
  }));
  for (const ledger of ['invoices', 'invoiceLines'] as const)
    for (const r of draft[ledger]) for (const k of batchesOf.get(String(r.invoiceNo)) ?? []) out[k]?.[ledger].push(r);
  return out;
}
