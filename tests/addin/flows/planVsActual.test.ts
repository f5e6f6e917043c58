// Tests addin/flows/planVsActual.ts against the real local API on Azurite: targets and budgets published and approved
// like any ledger become the Plan vs actual sheet with its chart.
import type { LedgerApiClient } from '../../../addin/flows/apiClient';
import { PLAN_CHART_SPEC, PLAN_SPEC, writePlanVsActual } from '../../../addin/flows/planVsActual';
import { createMemoryWorkbook } from '../../../addin/excel/memoryWorkbook';
import { registerFigureProjection } from '../../../functions/src/figures/projection';
import type { Rows } from '../support/ledgerWorkbook';
import { startLocalApi, type LocalApi } from '../support/localApi';
import { publishApproved } from '../support/publishApproved';

const ROWS: Rows = {
  customers: [{ customerId: 'PC1', name: 'Acme', region: 'East' }],
  salespeople: [{ salespersonId: 'PS1', name: 'Sam', region: 'East' }],
  contracts: [{ contractId: 'PK1', customerId: 'PC1', salespersonId: 'PS1', region: 'East', signedOn: '2016-11-01' }],
  orderLines: [{ contractId: 'PK1', lineNo: 1, itemCode: 'A', quantity: 10, unitPrice: '12.50' }],
  invoices: [{ invoiceNo: 'PI1', contractId: 'PK1', issuedOn: '2016-11-02' }],
  invoiceLines: [{ invoiceNo: 'PI1', lineNo: 1, itemCode: 'A', quantity: 4, unitPrice: '12.50' }],
  targets: [
    { targetId: 'PT1', groupBy: 'region', group: 'East', period: '2016-11', measure: 'contractValue', amount: '100' },
    { targetId: 'PT2', groupBy: 'region', group: 'East', period: '2016-11', measure: 'invoiced', amount: '80' },
    { targetId: 'PT3', groupBy: 'region', group: 'East', period: '2016-12', measure: 'contractValue', amount: '40' },
  ],
  budgets: [{ budgetId: 'PB1', region: 'East', period: '2016-11', category: 'hotel', amount: '30' }],
};

describe('Plan vs actual against the local API', () => {
  let api: LocalApi;
  let manager: LedgerApiClient;
  let unregister: () => void;

  beforeAll(async () => {
    api = await startLocalApi();
    unregister = registerFigureProjection();
    manager = await api.client('mia.manager', ['manager']);
    expect(await publishApproved(api, ROWS)).toBe(10);
  });
  afterAll(async () => {
    unregister();
    await api.close();
  });

  it('writes plan, actual, variance and % of plan per month, region and measure, and charts one measure', async () => {
    const wb = createMemoryWorkbook();
    const params = { period: 'month', from: '2016-11-01', to: '2016-12-31', groupBy: 'region' } as const;
    expect(await writePlanVsActual(wb, manager, params)).toEqual({ rows: 2, planned: 2 });
    const table = wb.tables.get('PlanVsActual');
    expect(table?.sheet).toBe('Plan vs actual');
    expect(table?.columns.map((c) => c.name)).toEqual(PLAN_SPEC.columns.map((c) => c.name));
    expect(table?.rows).toEqual([
      // Contract value 125.00 against 100.00; invoiced 50.00 against 80.00; hotel budget 30.00, no expenses.
      ['2016-11', 'East', 'Contract value', 100, 125, 25, 125],
      ['2016-11', 'East', 'Invoiced', 80, 50, -30, 62.5],
      ['2016-11', 'East', 'Collected', '', 0, '', ''],
      ['2016-11', 'East', 'Expenses', 30, 0, -30, 0],
      // December: a target but no figures.
      ['2016-12', 'East', 'Contract value', 40, 0, -40, 0],
      ['2016-12', 'East', 'Invoiced', '', 0, '', ''],
      ['2016-12', 'East', 'Collected', '', 0, '', ''],
      ['2016-12', 'East', 'Expenses', '', 0, '', ''],
    ]);
    const chart = wb.tables.get('PlanVsActualChart');
    expect(chart?.columns.map((c) => c.name)).toEqual(PLAN_CHART_SPEC.columns.map((c) => c.name));
    expect(chart?.rows).toEqual([
      ['2016-11 East', 100, 125],
      ['2016-12 East', 40, 0],
    ]);
    expect(wb.sheets.get('Plan vs actual')?.charts).toEqual([
      {
        name: 'PlanVsActualChart',
        kind: 'column',
        title: 'Contract value: plan vs actual by month, 2016-11-01 to 2016-12-31',
        table: 'PlanVsActualChart',
      },
    ]);
  });

  it('shows actual only where a period has no plan of its own: by quarter, the monthly targets do not count', async () => {
    const wb = createMemoryWorkbook();
    const params = { period: 'quarter', from: '2016-10-01', to: '2016-12-31', groupBy: 'region' } as const;
    expect(await writePlanVsActual(wb, manager, params, 'invoiced')).toEqual({ rows: 1, planned: 0 });
    expect(wb.tables.get('PlanVsActual')?.rows).toEqual([
      ['2016-Q4', 'East', 'Contract value', '', 125, '', ''],
      ['2016-Q4', 'East', 'Invoiced', '', 50, '', ''],
      ['2016-Q4', 'East', 'Collected', '', 0, '', ''],
      ['2016-Q4', 'East', 'Expenses', '', 0, '', ''],
    ]);
    expect(wb.tables.get('PlanVsActualChart')?.rows).toEqual([['2016-Q4 East', '', 50]]);
  });
});
