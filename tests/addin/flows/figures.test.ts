// Tests addin/flows/figures.ts: statistics and aging tables with native charts. The figures endpoints have not landed
// yet, so the API is an in-process stand-in answering exactly what API.md promises; switch to the local API when it does.
import type { LedgerApiClient, ReceivablesParams, StatsParams } from '../../../addin/flows/apiClient';
import { writeReceivables, writeStatistics } from '../../../addin/flows/figures';
import { createMemoryWorkbook } from '../../../addin/excel/memoryWorkbook';

function figuresApi(seen: unknown[]): LedgerApiClient {
  const unused = () => Promise.reject(new Error('not used'));
  return {
    putRows: unused,
    getRows: unused,
    approve: unused,
    stats: (p: StatsParams) => {
      seen.push(p);
      return Promise.resolve([
        {
          period: '2016-11',
          group: 'East',
          contractsSigned: 2,
          contractValue: '1234.50',
          delivered: '75.00',
          returned: '0.00',
          invoiced: '62.50',
          collected: '62.50',
          expenses: '120.00',
        },
        {
          period: '2016-12',
          group: '=cmd',
          contractsSigned: 0,
          contractValue: '0.00',
          delivered: '0.00',
          returned: '12.50',
          invoiced: '0.00',
          collected: '0.01',
          expenses: '0.00',
        },
      ]);
    },
    receivables: (p: ReceivablesParams) => {
      seen.push(p);
      return Promise.resolve({
        asOf: p.asOf,
        rows: [
          {
            group: 'C1',
            current: '10.00',
            d1_30: '20.00',
            d31_60: '0.00',
            d61_90: '0.00',
            d91_120: '0.00',
            over120: '5.55',
            total: '35.55',
            unapplied: '0.00',
          },
        ],
      });
    },
  };
}

describe('figures', () => {
  it('writes statistics as a table of numbers with a column chart, group names as text', async () => {
    const wb = createMemoryWorkbook();
    const seen: unknown[] = [];
    const params: StatsParams = { period: 'month', from: '2016-11-01', to: '2016-12-31', groupBy: 'region' };
    expect(await writeStatistics(wb, figuresApi(seen), params)).toBe(2);
    expect(seen).toEqual([params]);
    expect(wb.tables.get('Statistics')?.rows).toEqual([
      ['2016-11', 'East', 2, 1234.5, 75, 0, 62.5, 62.5, 120],
      ['2016-12', '=cmd', 0, 0, 0, 12.5, 0, 0.01, 0],
    ]);
    expect(wb.sheets.get('Statistics')?.charts).toEqual([
      {
        name: 'StatisticsChart',
        kind: 'column',
        title: 'Statistics by month and region, 2016-11-01 to 2016-12-31',
        table: 'Statistics',
      },
    ]);
  });

  it('writes receivables aging buckets with a chart, replacing an earlier run', async () => {
    const wb = createMemoryWorkbook();
    const api = figuresApi([]);
    await writeReceivables(wb, api, { asOf: '2016-12-31', groupBy: 'customer' });
    await writeReceivables(wb, api, { asOf: '2017-01-31', groupBy: 'customer' });
    const t = wb.tables.get('Receivables');
    expect(t?.columns.map((c) => c.name)).toEqual([
      'Group',
      'Current',
      '1–30 days',
      '31–60 days',
      '61–90 days',
      '91–120 days',
      'Over 120 days',
      'Total',
      'Unapplied',
    ]);
    expect(t?.rows).toEqual([['C1', 10, 20, 0, 0, 0, 5.55, 35.55, 0]]);
    expect(wb.sheets.get('Receivables')?.charts.map((c) => c.title)).toEqual([
      'Receivables aging by customer as of 2017-01-31',
    ]);
  });
});
