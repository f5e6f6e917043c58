// POST /api/checks/invoices: every invoice line against its contract's order and deliveries (shared/calc check).
//
// With invoiceNos, only those invoices' contracts are read (the invoices found with batched key reads), and findings
// are reported for those invoices while quantities still accumulate over all of each contract's invoices. Requested
// invoices that do not exist, or have no version in effect (without includePending: no approved version; with it: a
// rejected version and no approved one), are listed in `notFound` beside the findings, rather than failing the request.
//
// A `draft` (issue 18) holds invoices and invoice lines not yet written: they are checked in place of the stored
// versions with the same keys, with their contracts' stored history around them, so the pane can check an invoice
// before it is published. A draft row that does not parse is a 400 naming it.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { invoiceCheckRequest, type FindingWire, type InvoiceCheckDraft } from '../../../shared/api';
import type { LedgerData } from '../../../shared/calc';
import { checkInvoices } from '../../../shared/calc/invoiceCheck';
import { completeRow, keyOf, parseRow, type LedgerName, type LedgerRecord } from '../../../shared/ledgers';
import { getConfig } from '../config';
import { ApiError } from '../http/errors';
import { requireRead } from '../auth/roles';
import { authenticate } from '../auth/verify';
import {
  overlayPending,
  provisionalFigure,
  readAllApproved,
  readPendingRows,
  readStamps,
  readUnits,
} from '../figures/ledgerView';
import { readJsonBody } from '../http/body';
import type { Route } from '../http/route';
import { isRejected } from '../store/ledgerEntities';
import { readRows } from '../store/ledgerStore';
import { readFiguresGeneration } from '../store/rollupStore';

const LEDGERS: readonly LedgerName[] = ['contracts', 'orderLines', 'deliveries', 'invoices', 'invoiceLines'];

export async function postInvoiceCheck(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  requireRead(await authenticate(req));
  const body = await readJsonBody(req, invoiceCheckRequest);
  const pendingToo = body.includePending === true;
  const options = { priceTolerancePct: body.priceTolerancePct ?? 0 };
  if (body.invoiceNos === undefined && body.draft !== undefined)
    throw new ApiError(400, 'draft_needs_invoice_nos', 'A draft is checked only with invoiceNos naming its invoices.');
  if (body.invoiceNos === undefined) {
    const check = (data: LedgerData) => checkInvoices(data, options);
    const findings = pendingToo
      ? await provisionalFigure(LEDGERS, `invoiceCheck|${options.priceTolerancePct}`, check)
      : check(await readAllApproved(LEDGERS));
    return { status: 200, jsonBody: { findings } };
  }
  const draft = body.draft === undefined ? undefined : parseDraft(body.draft);
  return { status: 200, jsonBody: await checkListedInvoices(body.invoiceNos, options, pendingToo, undefined, draft) };
}

/** Draft invoices and lines as records; a row that does not parse is a 400 naming it and its fields. */
export interface Draft {
  invoices: LedgerRecord<'invoices'>[];
  invoiceLines: LedgerRecord<'invoiceLines'>[];
}

function parseDraft(draft: InvoiceCheckDraft): Draft {
  const completion = { defaultCurrency: getConfig().defaultCurrency, paymentTermsDays: () => undefined };
  const parse = <L extends 'invoices' | 'invoiceLines'>(name: L, rows: readonly unknown[]): LedgerRecord<L>[] =>
    rows.map((raw, i) => {
      const parsed = parseRow(name, raw);
      if (!parsed.ok)
        throw new ApiError(
          400,
          'invalid_draft',
          `draft.${name}[${i}] is not a valid row.`,
          parsed.errors.map((e) => ({ field: `draft.${name}[${i}].${e.field}`, message: e.message })),
        );
      return completeRow(name, parsed.record, completion);
    });
  return {
    invoices: parse('invoices', draft.invoices ?? []),
    invoiceLines: parse('invoiceLines', draft.invoiceLines ?? []),
  };
}

/** The data with the draft's rows in place of the rows with the same keys. */
function overlayDraft(data: LedgerData, draft: Draft): LedgerData {
  const invoices = new Set(draft.invoices.map((r) => r.invoiceNo));
  const lines = new Set(draft.invoiceLines.map((r) => keyOf('invoiceLines', r)));
  return {
    ...data,
    invoices: [...data.invoices.filter((r) => !invoices.has(r.invoiceNo)), ...draft.invoices],
    invoiceLines: [...data.invoiceLines.filter((r) => !lines.has(keyOf('invoiceLines', r))), ...draft.invoiceLines],
  };
}

/**
 * The findings of the invoices named (quantities accumulated over all of each contract's invoices) and those not
 * found; also used by POST /api/figures/batch. `stamp`: a figures generation read the caller already started.
 */
export async function checkListedInvoices(
  invoiceNos: readonly string[],
  options: { priceTolerancePct: number },
  pendingToo: boolean,
  stamp: Promise<string | undefined> = readFiguresGeneration(),
  draft?: Draft,
): Promise<{ findings: FindingWire[]; notFound: string[] }> {
  // The stamps are read alongside the invoices (not after them): they only have to precede the unit and pending reads.
  stamp.catch(() => undefined); // awaited below; a failure of the invoice read must not leave it unhandled
  const stamps = pendingToo ? readStamps(stamp) : undefined;
  // The pending rows do not depend on the invoices found: they are read alongside them.
  const pending = stamps === undefined ? undefined : readPendingRows(LEDGERS, stamps);
  pending?.catch(() => undefined); // awaited below; a failure of the invoice read must not leave it unhandled
  const stored = await readRows('invoices', invoiceNos);
  const contracts = new Set<string>();
  const notFound: string[] = [];
  const drafted = new Map((draft?.invoices ?? []).map((r) => [r.invoiceNo, r]));
  for (const invoiceNo of new Set(invoiceNos)) {
    const row = stored.get(invoiceNo);
    const inDraft = drafted.get(invoiceNo);
    if (inDraft !== undefined) {
      contracts.add(inDraft.contractId);
      if (row?.approved !== undefined) contracts.add(row.approved.contractId);
      continue;
    }
    // With includePending the latest version counts, unless it was rejected: then the approved one stays in effect.
    const inEffect = pendingToo && row !== undefined && !isRejected(row) ? row.latest : row?.approved;
    if (inEffect === undefined) notFound.push(invoiceNo);
    else contracts.add(inEffect.contractId);
    // A pending move leaves the invoice's approved contract in the picture too.
    if (pendingToo && row?.approved !== undefined) contracts.add(row.approved.contractId);
  }
  let data = await readUnits('c', contracts, stamp);
  if (pending !== undefined) data = await overlayPending(data, await pending, (id) => contracts.has(id));
  if (draft !== undefined) data = overlayDraft(data, draft);
  const findings = checkInvoices(data, { ...options, invoiceNos });
  return { findings, notFound };
}

export const invoiceCheckRoute: Route = {
  name: 'postInvoiceCheck',
  methods: ['POST'],
  route: 'checks/invoices',
  handler: postInvoiceCheck,
};
