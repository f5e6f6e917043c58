// The pane's Commission settlements sheet with one month settled in two currencies, against the real local API on
// Azurite: Publish sends S1's November in the house currency (Currency empty) and in USD as two rows, keyed S1~201611
// and S1~201611~USD; a row naming EUR, the house currency, comes back invalid with the server's words. Approve, Pull
// into another workbook and a change merged back all tell the two rows apart by their keys.
import type { LedgerApiClient } from '../../../addin/flows/apiClient';
import { approveRows } from '../../../addin/flows/approve';
import { publish } from '../../../addin/flows/publish';
import { pull } from '../../../addin/flows/pull';
import type { MemoryWorkbook } from '../../../addin/excel/memoryWorkbook';
import { cell, ledgerWorkbook, setCell } from '../support/ledgerWorkbook';
import { startLocalApi, type LocalApi } from '../support/localApi';

const HEADERS = ['Salesperson ID', 'Month (YYYYMM)', 'Commission', 'Currency', 'Approval'];
/** The settlement rows of a workbook as a clerk reads them. */
function settlements(wb: MemoryWorkbook): unknown[][] {
  const out: unknown[][] = [];
  for (let i = 0; cell(wb, 'commissionSettlements', i, 'Salesperson ID') !== ''; i++)
    out.push(HEADERS.map((h) => cell(wb, 'commissionSettlements', i, h)));
  return out;
}

describe('settling one month in two currencies from the Commission settlements sheet', () => {
  let api: LocalApi;
  let clerk: LedgerApiClient;
  let clerk2: LedgerApiClient;
  let reviewer: LedgerApiClient;

  beforeAll(async () => {
    api = await startLocalApi();
    clerk = await api.client('clara.clerk', ['clerk', 'finance']);
    clerk2 = await api.client('carl.clerk', ['clerk', 'finance']);
    reviewer = await api.client('rita.reviewer', ['reviewer']);
  });
  afterAll(async () => {
    await api.close();
  });

  it('publishes, approves and pulls back two rows of one month, one per currency', async () => {
    const november = { salespersonId: 'S1', month: 201611, settledOn: '2016-12-01' };
    const wb = await ledgerWorkbook({
      salespeople: [{ salespersonId: 'S1', name: 'Sam', region: 'East', commissionRate: '0.03' }],
      commissionSettlements: [
        { ...november, commission: '1.88' },
        { ...november, commission: '6.00', currency: 'USD' },
        { ...november, commission: '1.88', currency: 'EUR' },
      ],
    });
    const published = await publish(wb, clerk);
    expect(published.counts).toMatchObject({ created: 3, invalid: 1 });
    expect([0, 1, 2].map((i) => cell(wb, 'commissionSettlements', i, 'Sync status'))).toEqual([
      'created',
      'created',
      "invalid: currency must be left empty for EUR, the house currency (the row's key is then S1~201611)",
    ]);
    expect(published.failures).toMatchObject([{ ledger: 'commissionSettlements', row: 2, key: 'S1~201611~EUR' }]);

    expect(
      (await approveRows(wb, reviewer, { ledger: 'salespeople', keys: ['S1'] }, 'rita.reviewer')).counts,
    ).toMatchObject({ approved: 1 });
    const approved = await approveRows(
      wb,
      reviewer,
      { ledger: 'commissionSettlements', keys: ['S1~201611', 'S1~201611~USD'] },
      'rita.reviewer',
    );
    expect(approved.counts).toMatchObject({ approved: 2, notFound: 0, changed: 0 });
    expect([0, 1, 2].map((i) => cell(wb, 'commissionSettlements', i, 'Approval'))).toEqual([
      'approved',
      'approved',
      '',
    ]);

    // A second clerk's empty workbook pulls both rows: two rows of one month, told apart by Currency.
    const other = await ledgerWorkbook({});
    const pulled = await pull(other, clerk2, { ledgers: ['commissionSettlements'] });
    expect(pulled.ledgers).toEqual([expect.objectContaining({ received: 2, added: 2, updated: 0, conflicts: 0 })]);
    expect(settlements(other)).toEqual([
      ['S1', 201611, 1.88, '', 'approved'],
      ['S1', 201611, 6, 'USD', 'approved'],
    ]);

    // The first clerk's pull matches both to the rows already there (no duplicates); the refused row stays local.
    const back = await pull(wb, clerk, { ledgers: ['commissionSettlements'] });
    expect(back.ledgers).toEqual([expect.objectContaining({ received: 2, added: 0, conflicts: 0 })]);
    expect(settlements(wb)).toHaveLength(3);

    // The second clerk corrects the USD row; Publish updates that row only and the first clerk's Pull takes it in.
    setCell(other, 'commissionSettlements', 1, 'Commission', 6.2);
    const corrected = await publish(other, clerk2);
    expect(corrected.counts).toMatchObject({ created: 0, updated: 1, conflict: 0, invalid: 0 });
    const merged = await pull(wb, clerk, { ledgers: ['commissionSettlements'] });
    expect(merged.ledgers).toEqual([expect.objectContaining({ received: 2, added: 0, updated: 1, conflicts: 0 })]);
    expect(settlements(wb).slice(0, 2)).toEqual([
      ['S1', 201611, 1.88, '', 'approved'],
      ['S1', 201611, 6.2, 'USD', 'pending'],
    ]);

    // The Currency is part of the key: the second clerk changing USD to CHF makes a new CHF settlement, and the USD
    // row, never deleted, comes back on the next Pull.
    setCell(other, 'commissionSettlements', 1, 'Currency', 'CHF');
    const moved = await publish(other, clerk2);
    expect(moved.counts).toMatchObject({ created: 1, updated: 0, conflict: 0, invalid: 0 });
    const again = await pull(other, clerk2, { ledgers: ['commissionSettlements'] });
    expect(again.ledgers).toEqual([expect.objectContaining({ received: 3, added: 1, conflicts: 0 })]);
    expect(settlements(other)).toEqual([
      ['S1', 201611, 1.88, '', 'approved'],
      ['S1', 201611, 6.2, 'CHF', 'pending'],
      ['S1', 201611, 6.2, 'USD', 'pending'],
    ]);
  });
});
