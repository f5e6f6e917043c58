// Tests addin/flows/figures.ts against the real local API on Azurite: published, approved rows become statistics and aging tables with charts.
import type { LedgerApiClient } from '../../../addin/flows/apiClient';
import { approveRows } from '../../../addin/flows/approve';
import { writeReceivables, writeStatistics } from '../../../addin/flows/figures';
import { publish } from '../../../addin/flows/publish';
import { createMemoryWorkbook } from '../../../addin/excel/memoryWorkbook';
import { registerFigureProjection } from '../../../functions/src/figures/projection';
import { LEDGERS, keyOf } from '../../../shared/ledgers';
import { ledgerWorkbook, type Rows } from '../support/ledgerWorkbook';
import { startLocalApi, type LocalApi } from '../support/localApi';

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
    const clerk = await api.client('fiona.clerk', ['clerk', 'finance']);
    const reviewer = await api.client('rita.reviewer', ['reviewer']);
    manager = await api.client('mia.manager', ['manager']);
    const wb = await ledgerWorkbook(ROWS);
    const res = await publish(wb, clerk);
    expect(res.counts.created).toBe(10);
    for (const def of LEDGERS) {
      const keys = (ROWS[def.name] ?? []).map((r) => keyOf(def.name, r));
      const approved = await approveRows(wb, reviewer, { ledger: def.name, keys }, 'rita.reviewer');
      expect(approved.counts.approved).toBe(keys.length);
    }
  });
  afterAll(async () => {
    unregister();
    await api.close();
  });

  it('writes the API statistics as a table of numbers with a column chart, group names as text', async () => {
    const wb = createMemoryWorkbook();
    const n = await writeStatistics(wb, manager, {
      period: 'month',
      from: '2016-11-01',
      to: '2016-12-31',
      groupBy: 'region',
    });
    expect(n).toBe(2);
    expect(wb.tables.get('Statistics')?.rows).toEqual([
      ['2016-11', 'FigEast', 'EUR', 1, 141.67, 75, 0, 62.5, 20, 0],
      ['2016-12', 'FigEast', 'EUR', 0, 0, 0, 0, 0, 0, 120],
    ]);
    expect(wb.sheets.get('Statistics')?.charts).toEqual([
      {
        name: 'StatisticsChart',
        kind: 'column',
        title: 'Statistics by month and region, 2016-11-01 to 2016-12-31',
        table: 'Statistics',
      },
    ]);
    // No grouping: one row per period, the group shown as (all).
    await writeStatistics(wb, manager, { period: 'year', from: '2016-01-01', to: '2016-12-31', groupBy: 'none' });
    expect(wb.tables.get('Statistics')?.rows).toEqual([['2016', '(all)', 'EUR', 1, 141.67, 75, 0, 62.5, 20, 120]]);
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
  });
});
