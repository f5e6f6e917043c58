// "Figures": statistics and receivables aging from the API, written as result tables with native Excel charts.
import { AGING_BUCKETS } from '../../shared/calc/aging';
import { MEASURES } from '../../shared/calc/statistics';
import { parseMoney, scaledToCellNumber } from '../../shared/money';
import { MONEY_FORMAT, TEXT_FORMAT, type Matrix, type TableSpec, type WorkbookAdapter } from '../excel/workbookAdapter';
import type { LedgerApiClient, ReceivablesParams, StatsParams } from './apiClient';

const money = (s: string): number => scaledToCellNumber(parseMoney(s), 2);
/** The receivables amounts in column order: the shared aging buckets, then total and unapplied. */
const RECEIVABLES_AMOUNTS = [...AGING_BUCKETS, 'total', 'unapplied'] as const;

export const STATS_SPEC: TableSpec = {
  sheet: 'Statistics',
  table: 'Statistics',
  columns: [
    { name: 'Period', numberFormat: TEXT_FORMAT },
    { name: 'Group', numberFormat: TEXT_FORMAT },
    { name: 'Contracts signed', numberFormat: '0' },
    { name: 'Contract value', numberFormat: MONEY_FORMAT },
    { name: 'Delivered', numberFormat: MONEY_FORMAT },
    { name: 'Returned', numberFormat: MONEY_FORMAT },
    { name: 'Invoiced', numberFormat: MONEY_FORMAT },
    { name: 'Collected', numberFormat: MONEY_FORMAT },
    { name: 'Expenses', numberFormat: MONEY_FORMAT },
  ],
};

export const RECEIVABLES_SPEC: TableSpec = {
  sheet: 'Receivables',
  table: 'Receivables',
  columns: [
    { name: 'Group', numberFormat: TEXT_FORMAT },
    { name: 'Current', numberFormat: MONEY_FORMAT },
    { name: '1–30 days', numberFormat: MONEY_FORMAT },
    { name: '31–60 days', numberFormat: MONEY_FORMAT },
    { name: '61–90 days', numberFormat: MONEY_FORMAT },
    { name: '91–120 days', numberFormat: MONEY_FORMAT },
    { name: 'Over 120 days', numberFormat: MONEY_FORMAT },
    { name: 'Total', numberFormat: MONEY_FORMAT },
    { name: 'Unapplied', numberFormat: MONEY_FORMAT },
  ],
};

export async function writeStatistics(wb: WorkbookAdapter, api: LedgerApiClient, params: StatsParams): Promise<number> {
  const rows = await api.stats(params);
  // Columns follow the shared measure order, so the sheet can never list a measure the API doesn't have.
  const matrix: Matrix = rows.map((r) => [
    r.period,
    r.group ?? '(all)',
    ...MEASURES.map((m) => (m === 'contractsSigned' ? r.contractsSigned : money(r[m]))),
  ]);
  await wb.writeResultsTable(STATS_SPEC, matrix);
  await wb.addChart({
    table: STATS_SPEC.table,
    kind: 'column',
    title: `Statistics by ${params.period}${params.groupBy !== 'none' ? ` and ${params.groupBy}` : ''}, ${params.from} to ${params.to}`,
    name: 'StatisticsChart',
  });
  return rows.length;
}

export async function writeReceivables(
  wb: WorkbookAdapter,
  api: LedgerApiClient,
  params: ReceivablesParams,
): Promise<number> {
  const res = await api.receivables(params);
  const matrix: Matrix = res.rows.map((r) => [r.group, ...RECEIVABLES_AMOUNTS.map((k) => money(r[k]))]);
  await wb.writeResultsTable(RECEIVABLES_SPEC, matrix);
  await wb.addChart({
    table: RECEIVABLES_SPEC.table,
    kind: 'column',
    title: `Receivables aging by ${params.groupBy} as of ${res.asOf}`,
    name: 'ReceivablesChart',
  });
  return res.rows.length;
}
