// Builds a period's ReportData from ledger records with the shared calculations (no rule of its own), ready for the writer.
import { computeReceivables } from '../../../shared/calc/aging';
import type { LedgerData } from '../../../shared/calc';
import { checkInvoices } from '../../../shared/calc/invoiceCheck';
import { contractsWithOpenItems } from '../../../shared/calc/performance';
import { computeStatistics, mergeAllPeriods } from '../../../shared/calc/statistics';
import { addDays, parsePeriod, periodOf, periodsBetween, type Period, type PeriodKind } from '../../../shared/dates';
import { assessMonth, assessmentRowToWire } from '../../../shared/calc/assessment';
import { formatRate } from '../../../shared/money';
import { performanceTotalsToWire, receivablesRowToWire, statsRowToWire } from '../../../shared/wire';
import type { StatsRow } from '../../../shared/api';
import {
  compareReceivables,
  type Comparison,
  type OpenContractRow,
  type PeriodFigures,
  type ReportData,
  type ReportFinding,
  type SalespersonStatsRow,
  type CustomerReceivablesRow,
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
 * (readApprovedLedgers): statistics of the period by region and by salesperson, its totals beside those of the
 * previous period and of the same period a year earlier (both end before it, so `data` holds them), a quarter by
 * month and a year by quarter and month, receivables aging by customer as of the last day (most overdue first),
 * contracts with anything open as of that day, and the invoice check of invoices issued in the period.
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

  const receivables = computeReceivables(data, { asOf: period.to, groupBy: 'customer' })
    .map((r): CustomerReceivablesRow => ({ ...receivablesRowToWire(r), name: customers.get(r.group)?.name ?? null }))
    .sort(compareReceivables);

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
      customerName: customers.get(c.customerId)?.name ?? null,
      salespersonId: c.salespersonId,
      salespersonName: salespeople.get(c.salespersonId)?.name ?? null,
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

  const breakdown = (kind: PeriodKind): StatsRow[] => {
    if (kind === period.kind || (kind === 'quarter' && period.kind !== 'year')) return [];
    const rows = new Map(
      (computeStatistics(data, { ...statsOptions, period: kind, groupBy: 'none' }) ?? []).map((r) => [r.period, r]),
    );
    return periodsBetween(period.from, period.to, kind).map((label) => {
      const r = rows.get(label);
      return r === undefined ? { period: label, group: null, ...ZERO_FIGURES } : statsRowToWire(r);
    });
  };

  return {
    period,
    ...meta,
    regions,
    months: breakdown('month'),
    quarters: breakdown('quarter'),
    comparison: compare(data, period),
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

/** A period with nothing in it: every count 0 and every amount 0.00. */
export const ZERO_FIGURES: PeriodFigures = {
  contractsSigned: 0,
  contractValue: '0.00',
  delivered: '0.00',
  returned: '0.00',
  invoiced: '0.00',
  collected: '0.00',
  expenses: '0.00',
};

/** The period before `period` of the same kind: 2016-11 → 2016-10, 2016-Q1 → 2015-Q4, 2016 → 2015. */
export function previousPeriod(period: Period): Period {
  return parsePeriod(periodOf(addDays(period.from, -1), period.kind));
}

/** The same period a year earlier: 2016-11 → 2015-11, 2016-Q4 → 2015-Q4, 2016 → 2015. */
export function yearEarlier(period: Period): Period {
  return parsePeriod(`${Number(period.label.slice(0, 4)) - 1}${period.label.slice(4)}`);
}

/** Statistics of one whole period over every group (the totals the Summary compares). */
export function periodFigures(data: LedgerData, period: Period): PeriodFigures {
  const rows = mergeAllPeriods(data, { periods: [period.kind], from: period.from, to: period.to, groupBy: 'none' })[
    period.kind
  ];
  const row = rows?.find((r) => r.period === period.label);
  if (row === undefined) return ZERO_FIGURES;
  const { period: _p, group: _g, ...figures } = statsRowToWire(row);
  return figures;
}

function compare(data: LedgerData, period: Period): Comparison {
  const prev = previousPeriod(period);
  const ago = yearEarlier(period);
  return {
    current: { label: period.label, figures: periodFigures(data, period) },
    previous: { label: prev.label, figures: periodFigures(data, prev) },
    yearEarlier: { label: ago.label, figures: periodFigures(data, ago) },
  };
}
