// Figures in cents to their wire form (API.md "Figures"): one conversion per response shape, used by the handlers,
// the report workbook and anyone else who shows figures.

import type { PerformanceResponse, ReceivablesRow, StatsRow } from './api';
import type { ReceivablesFigures } from './calc/aging';
import type { ContractPerformance } from './calc/performance';
import type { StatsFigures } from './calc/statistics';
import { formatMoney } from './money';

export function statsRowToWire(f: StatsFigures): StatsRow {
  return {
    period: f.period,
    group: f.group,
    currency: f.currency,
    contractsSigned: f.contractsSigned,
    contractValue: formatMoney(f.contractValue),
    delivered: formatMoney(f.delivered),
    returned: formatMoney(f.returned),
    invoiced: formatMoney(f.invoiced),
    collected: formatMoney(f.collected),
    expenses: formatMoney(f.expenses),
  };
}

export function receivablesRowToWire(r: ReceivablesFigures): ReceivablesRow {
  return {
    group: r.group,
    currency: r.currency,
    current: formatMoney(r.current),
    d1_30: formatMoney(r.d1_30),
    d31_60: formatMoney(r.d31_60),
    d61_90: formatMoney(r.d61_90),
    d91_120: formatMoney(r.d91_120),
    over120: formatMoney(r.over120),
    total: formatMoney(r.total),
    unapplied: formatMoney(r.unapplied),
  };
}

export function performanceTotalsToWire(totals: ContractPerformance['totals']): PerformanceResponse['totals'] {
  return {
    orderedAmount: formatMoney(totals.orderedAmount),
    deliveredAmount: formatMoney(totals.deliveredAmount),
    invoicedAmount: formatMoney(totals.invoicedAmount),
    collected: formatMoney(totals.collected),
    receivable: formatMoney(totals.receivable),
  };
}

export function performanceToWire(perf: ContractPerformance): PerformanceResponse {
  return {
    contractId: perf.contractId,
    currency: perf.currency,
    lines: perf.lines.map((l) => ({
      ...l,
      orderedAmount: formatMoney(l.orderedAmount),
      invoicedAmount: formatMoney(l.invoicedAmount),
    })),
    totals: performanceTotalsToWire(perf.totals),
  };
}
