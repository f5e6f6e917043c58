// The customer file and the contract file (issue 15): one customer's or one contract's rows from every ledger, with
// the figures the existing calculations give for them (performance, aging, invoice check) and the file's own flags.
//
// Rows are shown as GET shows them (latest version, etag, approval), so the pane can edit and publish them; the
// flags (expiry, samples out, open complaints) are computed on those same versions. Figures (performance, aging,
// findings) come from approved versions only, read through the figures' unit cache like their own endpoints.
//
// Cost: the customer's rows of contacts, interactions, documents, samples and contracts are found with one
// server-side filtered query per ledger (customerId eq …): storage answers it by reading that ledger's table, as it
// does for the contract's deliveries, invoices, payments and credit notes (contractId eq …). Order lines and invoice lines are
// partitioned by their contract and invoice, so those are direct partition reads.

import type { ContractFileResponse, CustomerFileQuery, CustomerFileResponse, ReadRow } from '../../../shared/api';
import { buildIndex, compareText } from '../../../shared/calc';
import { computeReceivables } from '../../../shared/calc/aging';
import { documentsWithExpiry, latestInteractions, openCases, samplesOut } from '../../../shared/calc/customerFile';
import { checkInvoices } from '../../../shared/calc/invoiceCheck';
import { performanceOf } from '../../../shared/calc/performance';
import type { LedgerName, LedgerRecord } from '../../../shared/ledgers';
import { performanceToWire, performanceTotalsToWire, receivablesRowToWire } from '../../../shared/wire';
import { readUnits } from '../figures/ledgerView';
import { ApiError } from '../http/errors';
import type { StoredRow } from '../store/ledgerEntities';
import { readByField, readPartition, readRow } from '../store/ledgerStore';
import { readFiguresGeneration } from '../store/rollupStore';
import { getConfig } from '../config';
import { readRowOf } from './wire';

/** Stored rows with their latest version, kept beside the wire row so rules can read typed fields. */
interface Shown<L extends LedgerName> {
  record: LedgerRecord<L>;
  wire: ReadRow;
}

function shown<L extends LedgerName>(rows: readonly StoredRow<L>[]): Shown<L>[] {
  return rows.map((r) => ({ record: r.latest, wire: readRowOf(r) }));
}

function sorted<L extends LedgerName>(rows: Shown<L>[], compare: (a: LedgerRecord<L>, b: LedgerRecord<L>) => number) {
  return rows.sort((a, b) => compare(a.record, b.record));
}

/** The wire row of a record taken from `rows` (records are matched by identity, so rules can return them). */
function wireLookup(rows: readonly Shown<LedgerName>[]): (record: unknown) => ReadRow {
  const byRecord = new Map<unknown, ReadRow>(rows.map((r) => [r.record, r.wire]));
  return (record) => byRecord.get(record) as ReadRow;
}

export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export async function customerFile(customerId: string, query: CustomerFileQuery): Promise<CustomerFileResponse> {
  const asOf = query.asOf ?? todayUtc();
  // The figures stamp is read before the units it guards (ledgerView.readStamps).
  const stamp = readFiguresGeneration();
  stamp.catch(() => undefined); // awaited by readUnits below; a failed read of the rows must not leave it unhandled
  const [customer, contacts, interactions, documents, samples, contracts] = await Promise.all([
    readRow('customers', customerId),
    readByField('contacts', 'customerId', customerId),
    readByField('interactions', 'customerId', customerId),
    readByField('customerDocuments', 'customerId', customerId),
    readByField('samples', 'customerId', customerId),
    readByField('contracts', 'customerId', customerId),
  ]);
  if (customer === undefined) throw new ApiError(404, 'not_found', `Customer ${customerId} does not exist.`);

  const data = await readUnits(
    'c',
    contracts.map((c) => c.key),
    stamp,
  );
  const index = buildIndex(data);
  const contractRows = sorted(
    shown(contracts),
    (a, b) => compareText(a.signedOn, b.signedOn) || compareText(a.contractId, b.contractId),
  ).map(({ record, wire }) => {
    const bundle = index.bundles.get(record.contractId);
    const perf = bundle === undefined ? undefined : performanceOf(bundle, getConfig().defaultCurrency);
    return { contract: wire, performance: perf === undefined ? null : performanceTotalsToWire(perf.totals) };
  });
  // Aging by customer over the approved contracts read: the customer's row, if its approved contracts owe anything.
  // One row per currency (issue #13 §4): amounts of two currencies are never added.
  const agingRows = computeReceivables(data, {
    asOf,
    groupBy: 'customer',
    houseCurrency: getConfig().defaultCurrency,
  }).filter((r) => r.group === customerId);
  const aging = agingRows[0];

  const interactionRows = shown(interactions);
  const documentRows = shown(documents);
  const sampleRows = shown(samples);
  const wireOf = wireLookup([...interactionRows, ...documentRows, ...sampleRows]);

  return {
    asOf,
    customer: readRowOf(customer),
    contacts: sorted(
      shown(contacts),
      (a, b) =>
        Number(b.primary === true) - Number(a.primary === true) ||
        compareText(a.name, b.name) ||
        compareText(a.contactId, b.contactId),
    ).map((r) => r.wire),
    contracts: contractRows,
    receivables: aging === undefined ? null : receivablesRowToWire(aging),
    receivablesByCurrency: agingRows.map(receivablesRowToWire),
    openComplaints: openCases(
      interactionRows.map((r) => r.record),
      asOf,
    ).map((c) => ({ interaction: wireOf(c.interaction), ageDays: c.ageDays, daysOverdue: c.daysOverdue })),
    interactions: latestInteractions(
      interactionRows.map((r) => r.record),
      query.interactions,
    ).map(wireOf),
    documents: documentsWithExpiry(
      documentRows.map((r) => r.record),
      asOf,
    ).map((d) => ({ document: wireOf(d.document), flag: d.flag, daysLeft: d.daysLeft })),
    samplesOut: samplesOut(
      sampleRows.map((r) => r.record),
      asOf,
    ).map((s) => ({ sample: wireOf(s.sample), state: s.state, daysOut: s.daysOut, daysOverdue: s.daysOverdue })),
  };
}

export async function contractFile(contractId: string): Promise<ContractFileResponse> {
  const stamp = readFiguresGeneration();
  stamp.catch(() => undefined); // awaited by readUnits below
  const [contract, orderLines, deliveries, invoices, payments, interactions, data, creditNotes] = await Promise.all([
    readRow('contracts', contractId),
    readPartition('orderLines', contractId),
    readByField('deliveries', 'contractId', contractId),
    readByField('invoices', 'contractId', contractId),
    readByField('payments', 'contractId', contractId),
    readByField('interactions', 'contractId', contractId),
    readUnits('c', [contractId], stamp),
    readByField('creditNotes', 'contractId', contractId),
  ]);
  if (contract === undefined) throw new ApiError(404, 'not_found', `Contract ${contractId} does not exist.`);
  const invoiceRows = sorted(
    shown(invoices),
    (a, b) => compareText(a.issuedOn, b.issuedOn) || compareText(a.invoiceNo, b.invoiceNo),
  );
  const lines = await Promise.all(invoiceRows.map((i) => readPartition('invoiceLines', i.record.invoiceNo)));
  const bundle = buildIndex(data).bundles.get(contractId);
  const perf = bundle === undefined ? undefined : performanceOf(bundle, getConfig().defaultCurrency);
  // The invoice check over the contract's approved records: quantities accumulate over all of its invoices.
  const findings = checkInvoices(data, { invoiceNos: invoiceRows.map((i) => i.record.invoiceNo) });
  const contractInteractions = shown(interactions);
  return {
    contract: readRowOf(contract),
    orderLines: sorted(shown(orderLines), (a, b) => a.lineNo - b.lineNo).map((r) => r.wire),
    deliveries: sorted(
      shown(deliveries),
      (a, b) => compareText(a.date, b.date) || compareText(a.deliveryId, b.deliveryId),
    ).map((r) => r.wire),
    invoices: invoiceRows.map((inv, i) => ({
      invoice: inv.wire,
      lines: sorted(shown(lines[i] ?? []), (a, b) => a.lineNo - b.lineNo).map((l) => ({
        line: l.wire,
        findings: findings.filter((f) => f.invoiceNo === l.record.invoiceNo && f.lineNo === l.record.lineNo),
      })),
    })),
    payments: sorted(
      shown(payments),
      (a, b) => compareText(a.receivedOn, b.receivedOn) || compareText(a.paymentId, b.paymentId),
    ).map((r) => r.wire),
    creditNotes: sorted(
      shown(creditNotes),
      (a, b) => compareText(a.issuedOn, b.issuedOn) || compareText(a.creditNoteNo, b.creditNoteNo),
    ).map((r) => r.wire),
    performance: perf === undefined ? null : performanceToWire(perf),
    interactions: latestInteractions(
      contractInteractions.map((r) => r.record),
      Number.MAX_SAFE_INTEGER,
    ).map(wireLookup(contractInteractions)),
  };
}
