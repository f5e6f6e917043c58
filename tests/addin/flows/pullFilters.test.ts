// Pull with filters against the real local API (issue #18 part 3): the API filters, so only matching rows come down
// (counted at the client), and rows a new filter no longer covers leave the sheet unless they hold unpublished edits.
import type { GetRowsResponse } from '../../../shared/api';
import type { LedgerName } from '../../../shared/ledgers';
import type { LedgerApiClient } from '../../../addin/flows/apiClient';
import { tableName } from '../../../addin/flows/layout';
import { publish } from '../../../addin/flows/publish';
import { pull } from '../../../addin/flows/pull';
import { OUTSIDE_FILTER_STATUS, filterParams, ledgerQuery, outsideFilterText } from '../../../addin/flows/pullFilters';
import { setupLedgerSheets } from '../../../addin/flows/setup';
import { createMemoryWorkbook, type MemoryTable, type MemoryWorkbook } from '../../../addin/excel/memoryWorkbook';
import { ledger as ledgerOf } from '../../../shared/ledgers';
import { cell, ledgerCells, ledgerWorkbook, setCell } from '../support/ledgerWorkbook';
import { startLocalApi, type LocalApi } from '../support/localApi';

const contract = (contractId: string, customerId: string, salespersonId: string, region: string, signedOn: string) => ({
  contractId,
  customerId,
  salespersonId,
  region,
  signedOn,
});
const line = (contractId: string) => ({ contractId, lineNo: 1, itemCode: 'A', quantity: 1, unitPrice: '1.00' });
const invLine = (invoiceNo: string) => ({ invoiceNo, lineNo: 1, itemCode: 'A', quantity: 1, unitPrice: '1.00' });

/** A client that records every row the API sent, per ledger, and the query of each read. */
function counting(client: LedgerApiClient): {
  api: LedgerApiClient;
  sent: Map<LedgerName, string[]>;
  queries: Map<LedgerName, Record<string, string>>;
} {
  const sent = new Map<LedgerName, string[]>();
  const queries = new Map<LedgerName, Record<string, string>>();
  const api: LedgerApiClient = {
    ...client,
    getRows: async (ledger, query): Promise<GetRowsResponse> => {
      const page = await client.getRows(ledger, query);
      const { pageSize: _p, continuationToken: _t, ...filters } = query;
      queries.set(ledger, filters);
      const key = ledgerOf(ledger).key;
      sent.set(ledger, [...(sent.get(ledger) ?? []), ...page.rows.map((r) => key.map((f) => String(r[f])).join('~'))]);
      return page;
    },
  };
  return { api, sent, queries };
}

/** The keys sent per ledger, sorted (storage returns them in partition order). */
const sorted = (sent: Map<LedgerName, string[]>): Record<string, string[]> =>
  Object.fromEntries([...sent].map(([l, keys]) => [l, [...keys].sort()]));

function column(wb: MemoryWorkbook, ledger: LedgerName, header: string): string[] {
  const t = wb.tables.get(tableName(ledgerOf(ledger)));
  const at = t?.columns.findIndex((c) => c.name === header) ?? -1;
  return (t?.rows ?? []).map((r) => String(r[at] ?? '')).filter((v) => v !== '');
}

describe('filtered pull against the local API', () => {
  let local: LocalApi;
  let clerk: LedgerApiClient;

  beforeAll(async () => {
    local = await startLocalApi();
    clerk = await local.client('clara.clerk', ['clerk']);
    const alice = await ledgerWorkbook({
      customers: [
        { customerId: 'FC1', name: 'Acme', region: 'East' },
        { customerId: 'FC2', name: 'Bolt', region: 'West' },
      ],
      salespeople: [
        { salespersonId: 'FS1', name: 'Sam', region: 'East' },
        { salespersonId: 'FS2', name: 'Wes', region: 'West' },
      ],
      contracts: [
        contract('FK1', 'FC1', 'FS1', 'East', '2016-11-05'),
        contract('FK2', 'FC2', 'FS2', 'West', '2016-11-20'),
        contract('FK3', 'FC1', 'FS2', 'West', '2016-12-03'),
      ],
      orderLines: [line('FK1'), line('FK2'), line('FK3')],
      invoices: [
        { invoiceNo: 'FI1', contractId: 'FK1', issuedOn: '2016-11-10' },
        { invoiceNo: 'FI2', contractId: 'FK2', issuedOn: '2016-11-25' },
        { invoiceNo: 'FI3', contractId: 'FK3', issuedOn: '2016-12-05' },
      ],
      invoiceLines: [invLine('FI1'), invLine('FI2'), invLine('FI3')],
      expenses: [
        { expenseId: 'FE1', salespersonId: 'FS1', category: 'taxi', incurredOn: '2016-11-02', amount: '3.00' },
        { expenseId: 'FE2', salespersonId: 'FS2', category: 'taxi', incurredOn: '2016-11-03', amount: '4.00' },
      ],
    });
    expect((await publish(alice, clerk)).counts.created).toBe(18);
  });
  afterAll(async () => {
    await local.close();
  });

  it('filtered pull downloads only matching rows: the API sends East and its children, nothing else', async () => {
    const bob = createMemoryWorkbook();
    await setupLedgerSheets(bob);
    const { api, sent, queries } = counting(clerk);
    const res = await pull(bob, api, { filters: { region: 'east' } });
    expect(sorted(sent)).toMatchObject({
      customers: ['FC1'],
      salespeople: ['FS1'],
      contracts: ['FK1'],
      orderLines: ['FK1~1'],
      invoices: ['FI1'],
      invoiceLines: ['FI1~1'],
      expenses: ['FE1'],
      deliveries: [],
      payments: [],
    });
    // 7 rows came down of the 18 stored; the query carried the filter, not the pane.
    expect([...sent.values()].reduce((n, keys) => n + keys.length, 0)).toBe(7);
    expect(queries.get('invoices')).toEqual({ region: 'east' });
    expect(queries.get('commissionPlans')).toEqual({}); // a ledger without region is read whole
    expect(res.ledgers.find((l) => l.ledger === 'invoices')).toMatchObject({ received: 1, added: 1, removed: 0 });
    expect(column(bob, 'invoices', 'Invoice no')).toEqual(['FI1']);
  });

  it('sends customer, salesperson, contract and the period as from/to, each to the ledgers that honour it', async () => {
    const params = filterParams({ customerId: 'FC1', period: '2016-Q4' });
    expect(params).toEqual({ customerId: 'FC1', from: '2016-10-01', to: '2016-12-31' });
    expect(ledgerQuery('customers', params)).toEqual({ query: { customerId: 'FC1' }, filtered: true });
    expect(ledgerQuery('orderLines', params).query).toEqual(params);
    expect(ledgerQuery('expenses', params)).toEqual({
      query: { from: '2016-10-01', to: '2016-12-31' },
      filtered: true,
    });
    expect(ledgerQuery('commissionPlans', params)).toEqual({ query: {}, filtered: false });
    expect(ledgerQuery('customers', filterParams({ period: '2016-11' }))).toEqual({ query: {}, filtered: false });
    expect(() => filterParams({ period: 'November' })).toThrow(/period/i);

    const carol = createMemoryWorkbook();
    await setupLedgerSheets(carol);
    const { api, sent } = counting(clerk);
    await pull(carol, api, { filters: { salespersonId: 'FS2', period: '2016-12' } });
    expect(sorted(sent)).toMatchObject({
      customers: ['FC1', 'FC2'], // customers with a contract of FS2 (customers have no date)
      contracts: ['FK3'], // signed in December
      orderLines: ['FK3~1'],
      invoices: ['FI3'],
      invoiceLines: ['FI3~1'],
      expenses: [], // FS2's expense is from November
    });
    const dan = createMemoryWorkbook();
    await setupLedgerSheets(dan);
    const byContract = counting(clerk);
    await pull(dan, byContract.api, { filters: { contractId: 'FK2' }, ledgers: ['customers', 'invoices'] });
    expect(sorted(byContract.sent)).toEqual({ customers: ['FC2'], invoices: ['FI2'] });
  });

  it('removes rows a new filter no longer covers; one with unpublished edits stays, marked', async () => {
    const erin = createMemoryWorkbook();
    await setupLedgerSheets(erin);
    await pull(erin, clerk);
    expect(column(erin, 'contracts', 'Contract ID')).toEqual(['FK1', 'FK2', 'FK3']);
    // Erin edits FK2 (not published) and starts a contract of her own (never published).
    setCell(erin, 'contracts', 1, 'Payment terms (days)', 60);
    await erin.writeRows(
      tableName(ledgerOf('contracts')),
      [ledgerCells('contracts', contract('FK9', 'FC2', 'FS2', 'West', '2016-12-24'))],
      'append',
    );

    // Her own formula column beside the contracts: its formulas follow their rows when rows are taken out.
    const contracts = erin.tables.get(tableName(ledgerOf('contracts'))) as MemoryTable;
    contracts.columns.push({ name: 'My note', numberFormat: 'General', hidden: false, width: 80 });
    for (const r of contracts.rows) r.push('');
    const note = contracts.columns.length - 1;
    await erin.writeFormulas(
      tableName(ledgerOf('contracts')),
      0,
      ['My note'],
      [['="one"'], ['="two"'], ['="three"'], ['="nine"']],
    );

    const east = await pull(erin, clerk, { filters: { region: 'East' } });
    const counts = (l: LedgerName) => east.ledgers.find((x) => x.ledger === l);
    // FK3 went: FK9's formula moved up with its row, and FK1's and FK2's stayed on theirs.
    expect([0, 1, 2].map((r) => contracts.formulas.get(`${r},${note}`))).toEqual(['="one"', '="two"', '="nine"']);
    expect(counts('contracts')).toMatchObject({ received: 1, removed: 1, keptOutside: 1 });
    expect(column(erin, 'contracts', 'Contract ID')).toEqual(['FK1', 'FK2', 'FK9']);
    expect(cell(erin, 'contracts', 1, 'Payment terms (days)')).toBe(60);
    expect(cell(erin, 'contracts', 1, 'Sync status')).toBe(OUTSIDE_FILTER_STATUS);
    expect(cell(erin, 'contracts', 2, 'Sync status')).toBe('');
    expect(counts('invoices')).toMatchObject({ received: 1, removed: 2, keptOutside: 0 });
    expect(column(erin, 'invoices', 'Invoice no')).toEqual(['FI1']);
    expect(column(erin, 'invoiceLines', 'Invoice no')).toEqual(['FI1']);
    expect(column(erin, 'customers', 'Customer ID')).toEqual(['FC1']);
    expect(outsideFilterText(east.ledgers)).toBe(
      '10 rows outside the filter removed, 1 row outside the filter kept because it holds unpublished edits',
    );

    // The same pull again changes nothing; the marked row is still there, still marked.
    const again = await pull(erin, clerk, { filters: { region: 'East' } });
    expect(again.ledgers.find((x) => x.ledger === 'contracts')).toMatchObject({ removed: 0, keptOutside: 1 });
    expect(outsideFilterText(again.ledgers)).toBe('1 row outside the filter kept because it holds unpublished edits');
    expect(cell(erin, 'contracts', 1, 'Sync status')).toBe(OUTSIDE_FILTER_STATUS);

    // Published, the edit reaches the server; a pull without a filter removes nothing and brings the rest back.
    const sentOut = await publish(erin, clerk);
    expect(sentOut.counts).toMatchObject({ updated: 1, created: 1, conflict: 0 });
    const all = await pull(erin, clerk);
    expect(all.ledgers.every((l) => l.removed === 0)).toBe(true);
    expect(outsideFilterText(all.ledgers)).toBe('');
    expect(column(erin, 'contracts', 'Contract ID').sort()).toEqual(['FK1', 'FK2', 'FK3', 'FK9']);
    expect(column(erin, 'invoices', 'Invoice no').sort()).toEqual(['FI1', 'FI2', 'FI3']);
  });
});
