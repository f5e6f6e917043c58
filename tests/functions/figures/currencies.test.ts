// Issue #13 §4 through the figure handlers on Azurite: every figure row carries its currency, a group with contracts in
// two currencies gives two rows, a contract changing currency moves its figures, and a store whose rollups were written
// before cells carried a currency (layout 2) is rebuilt from the ledgers rather than read as one sum.
import ExcelJS from 'exceljs';
import type {
  CustomerFileResponse,
  FigureResult,
  PerformanceResponse,
  ReceivablesRow,
  StatementResponse,
  StatsRow,
} from '../../../shared/api';
import { customerFileRoute } from '../../../functions/src/functions/customerFile';
import { customerStatementRoute } from '../../../functions/src/functions/customerStatement';
import { statementsWorkbookRoute } from '../../../functions/src/functions/statementsWorkbook';
import { figuresBatchRoute } from '../../../functions/src/functions/figuresBatch';
import { ledgerData } from '../../../shared/calc';
import { toWire, type Contract } from '../../../shared/ledgers';
import { readRow } from '../../../functions/src/store/ledgerStore';
import { computeRollups, splitCellGroup } from '../../../functions/src/figures/cells';
import { ensureFiguresLayout } from '../../../functions/src/figures/layout';
import { readApprovedWithVersions } from '../../../functions/src/figures/rebuild';
import { clearCellCacheForTests } from '../../../functions/src/figures/statistics';
import { contractPerformanceRoute } from '../../../functions/src/functions/contractPerformance';
import { putLedgerRowsRoute } from '../../../functions/src/functions/putLedgerRows';
import { receivablesRoute } from '../../../functions/src/functions/receivables';
import { statsRoute } from '../../../functions/src/functions/stats';
import { bulkWrite, clearTable } from '../../../functions/src/store/contractIndex';
import {
  FIGURES_LAYOUT,
  readFiguresLayout,
  rollupEntities,
  rollupTable,
} from '../../../functions/src/store/rollupStore';
import {
  contract,
  expense,
  invoice,
  invoiceLine,
  orderLine,
  payment,
  salesperson,
} from '../../shared/calc/fixtures/records';
import { CLERK } from '../../support/ledgerApi';
import { approveKeys, expectRollupsMatchRebuild, useApprovedData } from './support';

// Region West: C1 in EUR, C2 in USD, both of customer K1 and salesperson S1; an expense of S1 (house currency, EUR).
const data = ledgerData({
  salespeople: [salesperson('S1', 'West')],
  contracts: [
    contract('C1', { region: 'West', salespersonId: 'S1', signedOn: '2016-05-02' }),
    contract('C2', { region: 'West', salespersonId: 'S1', signedOn: '2016-05-03', currency: 'USD' }),
  ],
  orderLines: [orderLine('C1', 1, 'A', 2, '100.00'), orderLine('C2', 1, 'A', 1, '300.00')],
  invoices: [invoice('I1', 'C1', '2016-05-10', '2016-05-20'), invoice('I2', 'C2', '2016-05-10', '2016-05-20')],
  invoiceLines: [invoiceLine('I1', 1, 'A', 2, '100.00'), invoiceLine('I2', 1, 'A', 1, '300.00')],
  payments: [payment('P1', 'C2', '2016-05-25', '50.00')],
  expenses: [expense('E1', 'S1', '2016-05-04', '12.00')],
});

const api = useApprovedData(data);

async function stats(groupBy: string): Promise<StatsRow[]> {
  const res = await api.call(statsRoute, { query: { period: 'month', from: '2016-05-01', to: '2016-05-31', groupBy } });
  expect(res.status).toBe(200);
  return (res.jsonBody as { rows: StatsRow[] }).rows;
}

const brief = (rows: StatsRow[]) =>
  rows.map((r) => [r.group, r.currency, r.contractsSigned, r.contractValue, r.invoiced, r.collected, r.expenses]);

it('GET /api/stats: a region, a salesperson and the whole company with contracts in two currencies give two rows', async () => {
  const want = [
    ['West', 'EUR', 1, '200.00', '200.00', '0.00', '12.00'],
    ['West', 'USD', 1, '300.00', '300.00', '50.00', '0.00'],
  ];
  expect(brief(await stats('region'))).toEqual(want);
  expect(brief(await stats('salesperson'))).toEqual(want.map(([, ...rest]) => ['S1', ...rest]));
  expect(brief(await stats('none'))).toEqual(want.map(([, ...rest]) => [null, ...rest]));
  // Expenses are never under a customer.
  expect(brief(await stats('customer'))).toEqual([
    ['K1', 'EUR', 1, '200.00', '200.00', '0.00', '0.00'],
    ['K1', 'USD', 1, '300.00', '300.00', '50.00', '0.00'],
  ]);
});

it('GET /api/receivables and contract performance carry the currency', async () => {
  const res = await api.call(receivablesRoute, { query: { asOf: '2016-06-01', groupBy: 'customer' } });
  expect(res.status).toBe(200);
  const rows = (res.jsonBody as { rows: ReceivablesRow[] }).rows;
  expect(rows.map((r) => [r.group, r.currency, r.d1_30, r.total])).toEqual([
    ['K1', 'EUR', '200.00', '200.00'],
    ['K1', 'USD', '250.00', '250.00'],
  ]);
  const perf = await api.call(contractPerformanceRoute, { params: { contractId: 'C2' } });
  expect(perf.status).toBe(200);
  const body = perf.jsonBody as PerformanceResponse;
  expect([body.currency, body.totals.invoicedAmount, body.totals.receivable]).toEqual(['USD', '300.00', '250.00']);
});

it('the customer file lists what the customer owes in each currency', async () => {
  const res = await api.call(customerFileRoute, { params: { customerId: 'K1' }, query: { asOf: '2016-06-01' } });
  expect(res.status).toBe(200);
  const file = res.jsonBody as CustomerFileResponse;
  expect(file.receivablesByCurrency?.map((r) => [r.currency, r.total])).toEqual([
    ['EUR', '200.00'],
    ['USD', '250.00'],
  ]);
  expect(file.receivables?.currency).toBe('EUR');
});

it('POST /api/figures/batch: a figure in two currencies is refused unless one is named; one currency says which', async () => {
  const res = await api.call(figuresBatchRoute, {
    body: {
      queries: [
        { kind: 'stat', measure: 'contractValue', period: '2016-05', group: 'West' },
        { kind: 'stat', measure: 'contractValue', period: '2016-05', group: 'West', currency: 'USD' },
        { kind: 'stat', measure: 'contractValue', period: '2016-05', group: 'West', currency: 'EUR' },
        { kind: 'stat', measure: 'contractValue', period: '2016-05', group: 'West', currency: 'GBP' },
        // Only USD moved: the figure is that currency's, and says so.
        { kind: 'stat', measure: 'collected', period: '2016-05' },
        // A count adds across currencies.
        { kind: 'stat', measure: 'contractsSigned', period: '2016-05' },
        { kind: 'receivable', id: 'K1', asOf: '2016-06-01' },
        { kind: 'receivable', id: 'K1', asOf: '2016-06-01', currency: 'USD' },
        { kind: 'contract', contractId: 'C2', field: 'receivable' },
        { kind: 'stat', measure: 'invoiced', period: '2016-05', currency: 'usd' },
      ],
    },
  });
  expect(res.status).toBe(200);
  const results = (res.jsonBody as { results: FigureResult[] }).results;
  expect(results.map((r) => [r.status, r.value ?? r.message, r.currency])).toEqual([
    [
      'invalid',
      'contractValue of 2016-05 for West is in EUR and USD: name the currency (amounts of different currencies are never added).',
      undefined,
    ],
    ['ok', '300.00', 'USD'],
    ['ok', '200.00', 'EUR'],
    ['ok', '0.00', 'GBP'],
    ['ok', '50.00', 'USD'],
    ['ok', 2, undefined],
    [
      'invalid',
      'total of customer K1 is in EUR and USD: name the currency (amounts of different currencies are never added).',
      undefined,
    ],
    ['ok', '250.00', 'USD'],
    ['ok', '250.00', 'USD'],
    ['invalid', 'currency must be a currency code such as EUR.', undefined],
  ]);
});

it('statements are per customer and currency: two currencies need one named; the workbook has a sheet each', async () => {
  const query = { from: '2016-05-01', to: '2016-06-01' };
  const mixed = await api.call(customerStatementRoute, { params: { customerId: 'K1' }, query });
  expect(mixed.status).toBe(400);
  expect(mixed.jsonBody).toEqual({
    error: {
      code: 'mixed_currencies',
      message: 'Customer K1 has contracts in EUR and USD: ask for the statement of one currency.',
      details: [],
    },
  });
  const usd = await api.call(customerStatementRoute, {
    params: { customerId: 'K1' },
    query: { ...query, currency: 'USD' },
  });
  expect(usd.status).toBe(200);
  const s = usd.jsonBody as StatementResponse;
  // I2 300.00 USD less P1 50.00: the USD receivables row (total 250.00, nothing unapplied).
  expect([s.currencies, s.openingBalance, s.closingBalance, s.aging.currency, s.aging.total]).toEqual([
    ['USD'],
    '0.00',
    '250.00',
    'USD',
    '250.00',
  ]);
  expect(s.lines.map((l) => [l.ref, l.currency, l.balance])).toEqual([
    ['I2', 'USD', '300.00'],
    ['P1', 'USD', '250.00'],
  ]);

  const book = await api.call(statementsWorkbookRoute, { query: { ...query, customerId: 'K1' } });
  expect(book.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(book.body as unknown as ArrayBuffer);
  expect(wb.worksheets.map((w) => w.name)).toEqual(['K1 EUR', 'K1 USD']);
});

it("a contract's new currency, once approved, moves its figures to rows of that currency", async () => {
  const stored = await readRow('contracts', 'C2');
  const put = await api.call(putLedgerRowsRoute, {
    params: { ledger: 'contracts' },
    body: {
      rows: [{ ...toWire('contracts', { ...(stored?.latest as Contract), currency: 'CHF' }), etag: stored?.etag }],
    },
    user: CLERK,
  });
  expect(put.status).toBe(200);
  expect((put.jsonBody as { results: { status: string }[] }).results[0]?.status).toBe('updated');
  await approveKeys(api, 'contracts', ['C2']);
  expect(brief(await stats('region'))).toEqual([
    ['West', 'CHF', 1, '300.00', '300.00', '50.00', '0.00'],
    ['West', 'EUR', 1, '200.00', '200.00', '0.00', '12.00'],
  ]);
  await expectRollupsMatchRebuild();
});

it('rollups written before cells carried a currency (layout 2) are rebuilt, not read as one sum', async () => {
  // As layout 2 left them: cells keyed by group only, so the currencies of one group were summed in one cell.
  const { data: approved } = await readApprovedWithVersions();
  const old = computeRollups(approved).map((c) => ({ ...c, group: splitCellGroup(c.group).group }));
  const entities = rollupEntities(old);
  const [months, days] = await Promise.all([rollupTable('m'), rollupTable('d')]);
  await clearTable(months);
  await clearTable(days);
  await bulkWrite(months, entities.months, { fresh: true });
  await bulkWrite(days, entities.days, { fresh: true });
  await months.upsertEntity({ partitionKey: '~meta', rowKey: 'layout', layout: 2 }, 'Replace');
  clearCellCacheForTests();
  // Read as it is, the old cell holds CHF and EUR added together: what the rebuild exists to prevent.
  expect(brief(await stats('region'))).toEqual([['West', 'EUR', 2, '500.00', '500.00', '50.00', '12.00']]);

  const log: string[] = [];
  expect(await ensureFiguresLayout((m) => log.push(m))).toBe('rebuilt');
  expect(log[0]).toMatch(/written in layout 2; this version reads layout 3/);
  expect(await readFiguresLayout()).toBe(FIGURES_LAYOUT);
  clearCellCacheForTests();
  expect(brief(await stats('region'))).toEqual([
    ['West', 'CHF', 1, '300.00', '300.00', '50.00', '0.00'],
    ['West', 'EUR', 1, '200.00', '200.00', '0.00', '12.00'],
  ]);
  await expectRollupsMatchRebuild();
});
