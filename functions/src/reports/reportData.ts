// Builds a period's ReportData from ledger records with the shared calculations (no rule of its own), ready for the writer.
import { computeReceivables } from '../../../shared/calc/aging';
import { commissionStatement } from '../../../shared/calc/commission';
import type { LedgerData } from '../../../shared/calc';
import { checkInvoices } from '../../../shared/calc/invoiceCheck';
import { contractsWithOpenItems } from '../../../shared/calc/performance';
import { computeStatistics, mergeAllPeriods } from '../../../shared/calc/statistics';
import { addDays, parsePeriod, periodOf, periodsBetween, type Period, type PeriodKind } from '../../../shared/dates';
import { assessMonth, assessmentRowToWire } from '../../../shared/calc/assessment';
import { DEFAULT_CURRENCY, formatMoney, formatRate } from '../../../shared/money';
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
  // Issue #13 §4: every figure per currency; contracts without one and expenses count in the house currency.
  const house = meta.currency;
  const statsOptions = { period: period.kind, from: period.from, to: period.to, houseCurrency: house } as const;
  const salespeople = new Map(data.salespeople.map((s) => [s.salespersonId, s]));
  const customers = new Map(data.customers.map((c) => [c.customerId, c]));
  const contracts = new Map(data.contracts.map((c) => [c.contractId, c]));

  const regions = computeStatistics(data, { ...statsOptions, groupBy: 'region' }).map(statsRowToWire);
  const periodMonths = periodsBetween(period.from, period.to, 'month');
  const people = computeStatistics(data, { ...statsOptions, groupBy: 'salesperson' }).map((f): SalespersonStatsRow => {
    const sp = f.group === null ? undefined : salespeople.get(f.group);
    const rate = sp?.commissionRate;
    // The commission statements of the period's months in the row's currency (plans, tiers, refunds and settled
    // months as the statements apply them), as of the period's last day.
    let commission: number | null = null;
    if (sp !== undefined) {
      commission = 0;
      for (const month of periodMonths)
        commission += commissionStatement(data, sp.salespersonId, month, period.to, {
          currency: f.currency,
          houseCurrency: house,
        }).commission;
    }
    return {
      ...statsRowToWire(f),
      name: sp?.name ?? null,
      commissionRate: rate === undefined ? null : formatRate(rate),
      commission: commission === null ? null : formatMoney(commission),
    };
  });

  const receivables = computeReceivables(data, { asOf: period.to, groupBy: 'customer', houseCurrency: house })
    .map((r): CustomerReceivablesRow => ({ ...receivablesRowToWire(r), name: customers.get(r.group)?.name ?? null }))
    .sort(compareReceivables);

  const open: OpenContractRow[] = [];
  for (const perf of contractsWithOpenItems(data, house)) {
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
      currency: perf.currency,
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

  const comparisons = compareByCurrency(data, period, house);
  const currencies = [
    ...new Set([
      ...regions.map((r) => r.currency ?? house),
      ...people.map((r) => r.currency ?? house),
      ...receivables.map((r) => r.currency ?? house),
      ...open.map((r) => r.currency ?? house),
      ...comparisons.keys(),
    ]),
  ].sort();
  if (currencies.length === 0) currencies.push(house);

  // Every period of each currency, zeros included.
  const breakdown = (kind: PeriodKind): StatsRow[] => {
    if (kind === period.kind || (kind === 'quarter' && period.kind !== 'year')) return [];
    const rows = new Map(
      (computeStatistics(data, { ...statsOptions, period: kind, groupBy: 'none' }) ?? []).map((r) => [
        `${r.period}|${r.currency}`,
        r,
      ]),
    );
    return currencies.flatMap((currency) =>
      periodsBetween(period.from, period.to, kind).map((label) => {
        const r = rows.get(`${label}|${currency}`);
        return r === undefined ? { period: label, group: null, currency, ...ZERO_FIGURES } : statsRowToWire(r);
      }),
    );
  };

  return {
    period,
    ...meta,
    currencies,
    comparisons: currencies.map((currency) => ({
      currency,
      comparison: comparisons.get(currency) ?? zeroComparisonOf(period),
    })),
    regions,
    months: breakdown('month'),
    quarters: breakdown('quarter'),
    comparison: comparisons.get(house) ?? zeroComparisonOf(period),
    salespeople: people,
    receivables: { asOf: period.to, rows: receivables },
    contracts: open,
    findings,
    assessment: periodsBetween(period.from, period.to, 'month').map((month) => ({
      month,
      rows: assessMonth(data, month, house).map(assessmentRowToWire),
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

/**
 * Statistics of one whole period over every group (the totals the Summary compares), per currency (issue #13 §4:
 * never one total over two currencies); contracts without a currency and expenses count in `houseCurrency`.
 */
export function periodFiguresByCurrency(
  data: LedgerData,
  period: Period,
  houseCurrency: string,
): Map<string, PeriodFigures> {
  const rows = mergeAllPeriods(data, {
    periods: [period.kind],
    from: period.from,
    to: period.to,
    groupBy: 'none',
    houseCurrency,
  })[period.kind];
  const out = new Map<string, PeriodFigures>();
  for (const row of rows ?? []) {
    if (row.period !== period.label) continue;
    const { period: _p, group: _g, currency: _c, ...figures } = statsRowToWire(row);
    out.set(row.currency, figures);
  }
  return out;
}

/** The period's figures in the house currency (ZERO_FIGURES when it has none). */
export function periodFigures(data: LedgerData, period: Period, houseCurrency = DEFAULT_CURRENCY): PeriodFigures {
  return periodFiguresByCurrency(data, period, houseCurrency).get(houseCurrency) ?? ZERO_FIGURES;
}

function zeroComparisonOf(period: Period): Comparison {
  return {
    current: { label: period.label, figures: ZERO_FIGURES },
    previous: { label: previousPeriod(period).label, figures: ZERO_FIGURES },
    yearEarlier: { label: yearEarlier(period).label, figures: ZERO_FIGURES },
  };
}

/** The Summary's comparison of each currency with figures in the period, the one before or a year earlier. */
function compareByCurrency(data: LedgerData, period: Period, houseCurrency: string): Map<string, Comparison> {
  const prev = previousPeriod(period);
  const ago = yearEarlier(period);
  const current = periodFiguresByCurrency(data, period, houseCurrency);
  const previous = periodFiguresByCurrency(data, prev, houseCurrency);
  const earlier = periodFiguresByCurrency(data, ago, houseCurrency);
  const out = new Map<string, Comparison>();
  for (const c of new Set([...current.keys(), ...previous.keys(), ...earlier.keys()]))
    out.set(c, {
      current: { label: period.label, figures: current.get(c) ?? ZERO_FIGURES },
      previous: { label: prev.label, figures: previous.get(c) ?? ZERO_FIGURES },
      yearEarlier: { label: ago.label, figures: earlier.get(c) ?? ZERO_FIGURES },
    });
  return out;
}
