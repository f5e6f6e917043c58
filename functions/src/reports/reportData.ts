// Builds a period's ReportData from ledger records with the shared calculations (no rule of its own), ready for the writer.
import { computeReceivables } from '../../../shared/calc/aging';
import type { LedgerData } from '../../../shared/calc';
import { checkInvoices } from '../../../shared/calc/invoiceCheck';
import { contractsWithOpenItems } from '../../../shared/calc/performance';
import { computeStatistics } from '../../../shared/calc/statistics';
import { periodsBetween, type Period } from '../../../shared/dates';
import { assessMonth, assessmentRowToWire } from '../../../shared/calc/assessment';
import { formatRate } from '../../../shared/money';
import { performanceTotalsToWire, receivablesRowToWire, statsRowToWire } from '../../../shared/wire';
import type {
  OpenContractRow,
  ReportData,
  ReportFinding,
  SalespersonStatsRow,
  CustomerReceivablesRow,
} from './workbook';

export interface ReportMeta {
  generatedAt: Date;
  generatedBy: string;
  appVersion: string;
  reportVersion?: number;
  currency: string;
}

/**
 * The report of `period` over `data`, which should hold the approved records up to the period's last day
 * (readApprovedLedgers): statistics of the period by region and by salesperson, receivables aging by customer as of
 * the last day, contracts with anything open as of that day, and the invoice check of invoices issued in the period.
 */
export function buildReportData(data: LedgerData, period: Period, meta: ReportMeta): ReportData {
  const statsOptions = { period: period.kind, from: period.from, to: period.to } as const;
  const salespeople = new Map(data.salespeople.map((s) => [s.salespersonId, s]));
  const customers = new Map(data.customers.map((c) => [c.customerId, c]));
  const contracts = new Map(data.contracts.map((c) => [c.contractId, c]));

  const regions = computeStatistics(data, { ...statsOptions, groupBy: 'region' }).map(statsRowToWire);
  const people = computeStatistics(data, { ...statsOptions, groupBy: 'salesperson' }).map((f): SalespersonStatsRow => {
    const sp = f.group === null ? undefined : salespeople.get(f.group);
    const rate = sp?.commissionRate;
    return {
      ...statsRowToWire(f),
      name: sp?.name ?? null,
      commissionRate: rate === undefined ? null : formatRate(rate),
    };
  });

  const receivables = computeReceivables(data, { asOf: period.to, groupBy: 'customer' }).map(
    (r): CustomerReceivablesRow => ({ ...receivablesRowToWire(r), name: customers.get(r.group)?.name ?? null }),
  );

  const open: OpenContractRow[] = [];
  for (const perf of contractsWithOpenItems(data)) {
    const c = contracts.get(perf.contractId);
    if (c === undefined) continue; // contractsWithOpenItems lists existing contracts only
    let undelivered = 0;
    let uninvoiced = 0;
    // What is still to deliver or to invoice against the order; an item delivered or invoiced beyond its order
    // has nothing open (the invoice check reports the excess).
    for (const l of perf.lines) {
      undelivered += Math.max(0, l.ordered - l.netDelivered);
      uninvoiced += Math.max(0, l.ordered - l.invoiced);
    }
    open.push({
      contractId: c.contractId,
      customerId: c.customerId,
      salespersonId: c.salespersonId,
      region: c.region,
      signedOn: c.signedOn,
      status: c.status,
      ...performanceTotalsToWire(perf.totals),
      undeliveredQty: undelivered,
      uninvoicedQty: uninvoiced,
    });
  }

  const inPeriod = data.invoices.filter((i) => i.issuedOn >= period.from && i.issuedOn <= period.to);
  const invoices = new Map(inPeriod.map((i) => [i.invoiceNo, i]));
  const findings: ReportFinding[] = [];
  if (inPeriod.length > 0) {
    for (const f of checkInvoices(data, { invoiceNos: inPeriod.map((i) => i.invoiceNo) })) {
      const inv = invoices.get(f.invoiceNo);
      if (inv !== undefined) findings.push({ ...f, issuedOn: inv.issuedOn, contractId: inv.contractId });
    }
  }

  return {
    period,
    ...meta,
    regions,
    salespeople: people,
    receivables: { asOf: period.to, rows: receivables },
    contracts: open,
    findings,
    assessment: periodsBetween(period.from, period.to, 'month').map((month) => ({
      month,
      rows: assessMonth(data, month).map(assessmentRowToWire),
    })),
  };
}
