// "Figures": statistics and receivables aging from the API, written as result tables with native Excel charts.
import { RECEIVABLES_AMOUNT_LABELS, RECEIVABLES_AMOUNTS } from '../../shared/calc/aging';
import { MEASURE_LABELS, MEASURES } from '../../shared/calc/statistics';
import { parseMoney, scaledToCellNumber } from '../../shared/money';
import {
  INTEGER_FORMAT,
  MONEY_FORMAT,
  TEXT_FORMAT,
  type Matrix,
  type TableSpec,
  type WorkbookAdapter,
} from '../excel/workbookAdapter';
import type { LedgerApiClient, ReceivablesParams, StatsParams } from './apiClient';

const money = (s: string): number => scaledToCellNumber(parseMoney(s), 2);

export const STATS_SPEC: TableSpec = {
  sheet: 'Statistics',
  table: 'Statistics',
  columns: [
    { name: 'Period', numberFormat: TEXT_FORMAT },
    { name: 'Group', numberFormat: TEXT_FORMAT },
    // Issue #13 §4: the currency of the row's amounts (a group in two currencies has two rows).
    { name: 'Currency', numberFormat: TEXT_FORMAT },
    ...MEASURES.map((m) => ({
      name: MEASURE_LABELS[m],
      numberFormat: m === 'contractsSigned' ? INTEGER_FORMAT : MONEY_FORMAT,
    })),
  ],
};

export const RECEIVABLES_SPEC: TableSpec = {
  sheet: 'Receivables',
  table: 'Receivables',
  columns: [
    { name: 'Group', numberFormat: TEXT_FORMAT },
    { name: 'Currency', numberFormat: TEXT_FORMAT },
    ...RECEIVABLES_AMOUNTS.map((k) => ({ name: RECEIVABLES_AMOUNT_LABELS[k], numberFormat: MONEY_FORMAT })),
  ],
};

export async function writeStatistics(wb: WorkbookAdapter, api: LedgerApiClient, params: StatsParams): Promise<number> {
  const rows = await api.stats(params);
  // Columns follow the shared measure order, so the sheet can never list a measure the API doesn't have.
  const matrix: Matrix = rows.map((r) => [
    r.period,
    r.group ?? '(all)',
    r.currency ?? '',
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
  const matrix: Matrix = res.rows.map((r) => [
    r.group,
    r.currency ?? '',
    ...RECEIVABLES_AMOUNTS.map((k) => money(r[k])),
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
