// Tests addin/flows/figures.ts against the real local API on Azurite: published, approved rows become statistics and aging tables with charts.
import type { LedgerApiClient } from '../../../addin/flows/apiClient';
import {
  keyFigures,
  previousPeriod,
  STATS_SPEC,
  writeReceivables,
  writeStatistics,
} from '../../../addin/flows/figures';
import { parsePeriod } from '../../../shared/dates';
import { createMemoryWorkbook } from '../../../addin/excel/memoryWorkbook';
import { registerFigureProjection } from '../../../functions/src/figures/projection';
import type { Rows } from '../support/ledgerWorkbook';
import { startLocalApi, type LocalApi } from '../support/localApi';
import { publishApproved } from '../support/publishApproved';

// One contract worth 10 × 12.50 + 5 × 3.3333 (16.67 after half-up) = 141.67, 6 delivered, 5 invoiced, 20.00 paid.
const ROWS: Rows = {
  customers: [{ customerId: 'FC1', name: 'Acme', region: 'FigEast' }],
  salespeople: [{ salespersonId: 'FS1', name: 'Sam', region: 'FigEast', commissionRate: '0.03' }],
  contracts: [
    { contractId: 'FK1', customerId: 'FC1', salespersonId: 'FS1', region: 'FigEast', signedOn: '2016-11-01' },
  ],
  orderLines: [
    { contractId: 'FK1', lineNo: 1, itemCode: 'A', quantity: 10, unitPrice: '12.50' },
    { contractId: 'FK1', lineNo: 2, itemCode: 'B', quantity: 5, unitPrice: '3.3333' },
  ],
  deliveries: [{ deliveryId: 'FD1', contractId: 'FK1', itemCode: 'A', quantity: 6, date: '2016-11-05' }],
  invoices: [{ invoiceNo: 'FI1', contractId: 'FK1', issuedOn: '2016-11-10' }],
  invoiceLines: [{ invoiceNo: 'FI1', lineNo: 1, itemCode: 'A', quantity: 5, unitPrice: '12.50' }],
  payments: [{ paymentId: 'FP1', contractId: 'FK1', invoiceNo: 'FI1', receivedOn: '2016-11-20', amount: '20.00' }],
  expenses: [
    { expenseId: 'FE1', salespersonId: 'FS1', category: 'travel', incurredOn: '2016-12-03', amount: '120.00' },
  ],
};

describe('figures against the local API', () => {
  let api: LocalApi;
  let manager: LedgerApiClient;
  let unregister: () => void;

  beforeAll(async () => {
    api = await startLocalApi();
    // As in `npm start`: approvals keep the contract index and rollups current.
    unregister = registerFigureProjection();
    manager = await api.client('mia.manager', ['manager']);
    expect(await publishApproved(api, ROWS)).toBe(10);
  });
  afterAll(async () => {
    unregister();
    await api.close();
  });

  it('writes the API statistics as a table of numbers with a column chart of the money only, group names as text', async () => {
    const wb = createMemoryWorkbook();
    const n = await writeStatistics(wb, manager, {
      period: 'month',
      from: '2016-11-01',
      to: '2016-12-31',
      groupBy: 'region',
    });
    expect(n).toBe(2);
    expect(wb.tables.get('Statistics')?.rows).toEqual([
      ['2016-11', 'FigEast', 'EUR', 141.67, 75, 0, 62.5, 20, 0, 1],
      ['2016-12', 'FigEast', 'EUR', 0, 0, 0, 0, 0, 120, 0],
    ]);
    // The count comes last and off the chart: it plots Period, Group and the six money measures on one axis.
    expect(STATS_SPEC.columns.map((c) => c.name)).toEqual([
      'Period',
      'Group',
      'Currency',
      'Contract value',
      'Delivered',
      'Returned',
      'Invoiced',
      'Collected',
      'Expenses',
      'Contracts signed',
    ]);
    expect(wb.sheets.get('Statistics')?.charts).toEqual([
      {
        name: 'StatisticsChart',
        kind: 'column',
        title: 'Statistics by month and region, 2016-11-01 to 2016-12-31',
        table: 'Statistics',
        columns: 9,
      },
    ]);
    // No grouping: one row per period, the group shown as (all).
    await writeStatistics(wb, manager, { period: 'year', from: '2016-01-01', to: '2016-12-31', groupBy: 'none' });
    expect(wb.tables.get('Statistics')?.rows).toEqual([['2016', '(all)', 'EUR', 141.67, 75, 0, 62.5, 20, 120, 1]]);
    expect(wb.sheets.get('Statistics')?.charts).toHaveLength(1);
  });

  it('writes receivables aging from the API with a chart, replacing an earlier run', async () => {
    const wb = createMemoryWorkbook();
    // Due 2016-12-10 (30 days' terms): on 2016-12-31 the 42.50 left is 21 days overdue; on 2016-12-05 it is current.
    expect(await writeReceivables(wb, manager, { asOf: '2016-12-05', groupBy: 'customer' })).toBe(1);
    expect(wb.tables.get('Receivables')?.rows).toEqual([['FC1', 'EUR', 42.5, 0, 0, 0, 0, 0, 42.5, 0]]);
    await writeReceivables(wb, manager, { asOf: '2016-12-31', groupBy: 'customer' });
    const t = wb.tables.get('Receivables');
    expect(t?.columns.map((c) => c.name)).toEqual([
      'Group',
      'Currency',
      'Current',
      '1–30 days',
      '31–60 days',
      '61–90 days',
      '91–120 days',
      'Over 120 days',
      'Total',
      'Unapplied',
    ]);
    expect(t?.rows).toEqual([['FC1', 'EUR', 0, 42.5, 0, 0, 0, 0, 42.5, 0]]);
    expect(wb.sheets.get('Receivables')?.charts.map((c) => c.title)).toEqual([
      'Receivables aging by customer as of 2016-12-31',
    ]);
    // The chart plots Group, Currency and the six buckets, not the total beside its own buckets, nor unapplied payments.
    expect(wb.sheets.get('Receivables')?.charts.map((c) => c.columns)).toEqual([8]);
  });

  it('gives the key figures of the period holding the date beside the previous one, as the API counts them', async () => {
    const key = await keyFigures(manager, { period: 'month', date: '2016-12-15' });
    expect([key.current.label, key.previous.label]).toEqual(['2016-12', '2016-11']);
    expect([key.currency, key.currencies]).toEqual(['EUR', ['EUR']]);
    expect(key.figures.map((f) => [f.measure, f.unit, f.current, f.previous])).toEqual([
      ['contractsSigned', 'count', 0, 1],
      ['contractValue', 'money', 0, 14167],
      ['invoiced', 'money', 0, 6250],
      ['collected', 'money', 0, 2000],
      ['expenses', 'money', 12000, 0],
      // 42.50 open, due 2016-12-10: overdue on 2016-12-31, not yet on 2016-11-30.
      ['overdue', 'money', 4250, 0],
    ]);
    // The same numbers as the API's own statistics for November.
    const [nov] = await manager.stats({ period: 'month', from: '2016-11-01', to: '2016-11-30', groupBy: 'none' });
    const prev = Object.fromEntries(key.figures.map((f) => [f.measure, f.previous]));
    expect(nov).toMatchObject({ contractsSigned: prev.contractsSigned, contractValue: '141.67', collected: '20.00' });
    expect([prev.contractValue, prev.collected]).toEqual([14167, 2000]);
    // A quarter: 2016-Q4 holds all of it, 2016-Q3 nothing.
    const q = await keyFigures(manager, { period: 'quarter', date: '2016-10-01' });
    expect(q.figures.map((f) => [f.current, f.previous])).toEqual([
      [1, 0],
      [14167, 0],
      [6250, 0],
      [2000, 0],
      [12000, 0],
      [4250, 0],
    ]);
  });

  it('refuses a To that is not a date, asking the API nothing', async () => {
    const asked: string[] = [];
    const spy = { ...manager, stats: (p: never) => (asked.push('stats'), manager.stats(p)) };
    await expect(keyFigures(spy, { period: 'month', date: '2016-13-01' })).rejects.toThrow(
      '2016-13-01 is not a date: give the day as YYYY-MM-DD.',
    );
    expect(asked).toEqual([]);
  });

  it('steps back over a year end', () => {
    expect(previousPeriod(parsePeriod('2016-01')).label).toBe('2015-12');
    expect(previousPeriod(parsePeriod('2016-Q1')).label).toBe('2015-Q4');
    expect(previousPeriod(parsePeriod('2016')).label).toBe('2015');
  });
});

describe('key figures in two currencies', () => {
  // Rows as the API gives them for data in EUR and USD: the key figures are one currency's, never a sum of both.
  const zero = {
    contractsSigned: 0,
    contractValue: '0.00',
    delivered: '0.00',
    returned: '0.00',
    invoiced: '0.00',
    collected: '0.00',
    expenses: '0.00',
  };
  const bucket = {
    current: '0.00',
    d1_30: '0.00',
    d31_60: '0.00',
    d61_90: '0.00',
    d91_120: '0.00',
    over120: '0.00',
    total: '0.00',
    unapplied: '0.00',
  };
  const api = {
    stats: () =>
      Promise.resolve([
        { ...zero, period: '2016-12', group: null, currency: 'EUR', contractsSigned: 1, contractValue: '100.00' },
        { ...zero, period: '2016-12', group: null, currency: 'USD', contractsSigned: 2, contractValue: '900.00' },
      ]),
    receivables: () =>
      Promise.resolve({
        asOf: '2016-12-31',
        rows: [
          { ...bucket, group: 'K1', currency: 'EUR', d1_30: '10.00', total: '10.00' },
          { ...bucket, group: 'K2', currency: 'USD', d1_30: '70.00', total: '70.00' },
        ],
      }),
  } as unknown as LedgerApiClient;

  it('shows the first currency by default and names the others; a currency asked for gives its own figures', async () => {
    const eur = await keyFigures(api, { period: 'month', date: '2016-12-15' });
    expect([eur.currency, eur.currencies]).toEqual(['EUR', ['EUR', 'USD']]);
    expect(
      eur.figures
        .filter((f) => f.measure !== 'invoiced' && f.measure !== 'collected' && f.measure !== 'expenses')
        .map((f) => [f.measure, f.current]),
    ).toEqual([
      ['contractsSigned', 1],
      ['contractValue', 10000],
      ['overdue', 1000],
    ]);
    const usd = await keyFigures(api, { period: 'month', date: '2016-12-15', currency: 'USD' });
    expect(usd.figures.find((f) => f.measure === 'contractValue')?.current).toBe(90000);
    expect(usd.figures.find((f) => f.measure === 'overdue')?.current).toBe(7000);
  });
});
