// "Figures": statistics and receivables aging from the API, written as result tables with native Excel charts.
import { parseMoney, scaledToCellNumber } from '../../shared/money';
import { MONEY_FORMAT, TEXT_FORMAT, type Matrix, type TableSpec, type WorkbookAdapter } from '../excel/workbookAdapter';
import type { LedgerApiClient, ReceivablesParams, StatsParams } from './apiClient';

const money = (s: string): number => scaledToCellNumber(parseMoney(s), 2);

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
  const matrix: Matrix = rows.map((r) => [
    r.period,
    r.group ?? '(all)',
    r.contractsSigned,
    money(r.contractValue),
    money(r.delivered),
    money(r.returned),
    money(r.invoiced),
    money(r.collected),
    money(r.expenses),
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
  const matrix: Matrix = res.rows.map((r) => [
    r.group,
    money(r.current),
    money(r.d1_30),
    money(r.d31_60),
    money(r.d61_90),
    money(r.d91_120),
    money(r.over120),
    money(r.total),
    money(r.unapplied),
  ]);
  await wb.writeResultsTable(RECEIVABLES_SPEC, matrix);
  await wb.addChart({
    table: RECEIVABLES_SPEC.table,
    kind: 'column',
    title: `Receivables aging by ${params.groupBy} as of ${res.asOf}`,
    name: 'ReceivablesChart',
  });
  return res.rows.length;
}
