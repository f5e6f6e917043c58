// Tests publish, pull, conflicts and approve against the real local API on Azurite, over a memory workbook.
import type { LedgerApiClient } from '../../../addin/flows/apiClient';
import { approveRows, selectedLedgerRows } from '../../../addin/flows/approve';
import { resolveConflict } from '../../../addin/flows/conflicts';
import { publish } from '../../../addin/flows/publish';
import { pull } from '../../../addin/flows/pull';
import { setupLedgerSheets } from '../../../addin/flows/setup';
import { createMemoryWorkbook } from '../../../addin/excel/memoryWorkbook';
import { SAMPLE, cell, ledgerCells, ledgerWorkbook, setCell } from '../support/ledgerWorkbook';
import { startLocalApi, type LocalApi } from '../support/localApi';

describe('publish, pull, conflicts and approve against the local API', () => {
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

  it('publishes parents first in chunks, writes outcomes per row, retries harmlessly and republishes failed rows only', async () => {
    const wb = await ledgerWorkbook({
      ...SAMPLE,
      // The first payment names an invoice that is only added later; the second is fine.
      payments: [
        { paymentId: 'P1', contractId: 'K1', invoiceNo: 'I9', receivedOn: '2016-11-20', amount: '62.50' },
        { paymentId: 'P2', contractId: 'K1', receivedOn: '2016-11-21', amount: '10.00' },
      ],
      expenses: [
        { expenseId: 'E1', salespersonId: 'S1', category: 'travel', incurredOn: '2016-11-03', amount: '120.00' },
        { expenseId: 'E2', salespersonId: 'S1', category: '=HYPERLINK("x")', incurredOn: '2016-11-04', amount: '1.00' },
        { expenseId: 'E3', salespersonId: 'S1', category: 'meals', incurredOn: '2016-11-05', amount: '2.00' },
      ],
    });
    const calls: string[] = [];
    const spy: LedgerApiClient = {
      ...clerk,
      putRows: (ledger, rows, key) => {
        calls.push(`${ledger}:${rows.length}`);
        return clerk.putRows(ledger, rows, key);
      },
    };
    const progress: number[] = [];
    const res = await publish(wb, spy, { maxRows: 2, runId: 'run1', onProgress: (p) => progress.push(p.done) });
    expect(calls).toEqual([
      'customers:1',
      'salespeople:1',
      'contracts:1',
      'orderLines:2',
      'deliveries:1',
      'invoices:1',
      'invoiceLines:1',
      'payments:2',
      'expenses:2',
      'expenses:1',
    ]);
    expect(res.counts).toEqual({ created: 12, updated: 0, unchanged: 0, conflict: 0, invalid: 1, error: 0 });
    expect(progress[progress.length - 1]).toBe(13);
    expect(cell(wb, 'payments', 0, 'Sync status')).toBe('invalid: invoiceNo I9 does not exist in invoices');
    expect(res.failures).toMatchObject([{ ledger: 'payments', row: 0, key: 'P1', outcome: 'invalid' }]);
    expect(cell(wb, 'payments', 1, 'Sync status')).toBe('created');
    expect(String(cell(wb, 'payments', 1, 'ETag'))).toMatch(/^W\//);
    expect(cell(wb, 'payments', 1, 'Approval')).toBe('pending');
    expect(cell(wb, 'expenses', 1, 'Category')).toBe('=HYPERLINK("x")');

    // Nothing else changed: a second publish sends only the row that has not gone through yet.
    calls.length = 0;
    const none = await publish(wb, spy);
    expect(calls).toEqual(['payments:1']);
    expect(none.counts.invalid).toBe(1);

    // A chunk retried with the same key replays the stored answer and changes nothing on the server.
    const body = [{ expenseId: 'E9', salespersonId: 'S1', category: 'x', incurredOn: '2016-11-05', amount: '2.00' }];
    const first = await clerk.putRows('expenses', body, 'retry-key-1');
    const again = await clerk.putRows('expenses', body, 'retry-key-1');
    expect(again).toEqual(first);
    expect(first.results[0]?.status).toBe('created');
    const stored = await clerk.getRows('expenses', { category: 'x' });
    expect(stored.rows).toHaveLength(1);

    // Someone else adds the missing invoice; a new local expense waits. Failed rows only: just P1 goes, and is created.
    await clerk.putRows('invoices', [{ invoiceNo: 'I9', contractId: 'K1', issuedOn: '2016-11-11' }], 'other-user-i9');
    await wb.writeRows(
      'Expenses',
      [
        ledgerCells('expenses', {
          expenseId: 'E4',
          salespersonId: 'S1',
          category: 'taxi',
          incurredOn: '2016-11-06',
          amount: '3.00',
        }),
      ],
      'append',
    );
    calls.length = 0;
    const failed = await publish(wb, spy, { failedOnly: true });
    expect(calls).toEqual(['payments:1']);
    expect(failed.counts.created).toBe(1);
    expect(cell(wb, 'payments', 0, 'Sync status')).toBe('created');
    expect(cell(wb, 'expenses', 3, 'Sync status')).toBe('');
  });

  it('pulls into an empty workbook, keeps local edits, shows a conflict cell by cell and resolves it both ways', async () => {
    // Alice's workbook publishes; Bob's workbook pulls everything.
    const alice = await ledgerWorkbook({
      customers: [
        { customerId: 'PC1', name: 'Pull One', region: 'North' },
        { customerId: 'PC2', name: 'Pull Two', region: 'North' },
        { customerId: 'PC3', name: 'Pull Three', region: 'North' },
      ],
    });
    await publish(alice, clerk);
    const bob = createMemoryWorkbook();
    await setupLedgerSheets(bob);
    const first = await pull(bob, clerk2, { filters: { region: 'North' }, ledgers: ['customers'] });
    expect(first.ledgers[0]).toMatchObject({ ledger: 'customers', received: 3, added: 3, conflicts: 0 });
    expect(cell(bob, 'customers', 0, 'Name')).toBe('Pull One');
    expect(cell(bob, 'customers', 0, 'Approval')).toBe('pending');
    expect(String(cell(bob, 'customers', 0, 'ETag'))).toMatch(/^W\//);

    // Bob edits PC1 and PC2 locally (unpublished); Alice changes PC2 and PC3 on the server.
    setCell(bob, 'customers', 0, 'Segment', 'bob-only');
    setCell(bob, 'customers', 1, 'Name', 'Bob Two');
    setCell(bob, 'customers', 1, 'Segment', 'retail');
    setCell(alice, 'customers', 1, 'Name', 'Alice Two');
    setCell(alice, 'customers', 2, 'Name', 'Alice Three');
    const pub = await publish(alice, clerk);
    expect(pub.counts.updated).toBe(2);

    const second = await pull(bob, clerk2, { filters: { region: 'North' }, ledgers: ['customers'] });
    expect(second.ledgers[0]).toMatchObject({ received: 3, added: 0, updated: 1, keptLocal: 1, conflicts: 1 });
    expect(cell(bob, 'customers', 0, 'Segment')).toBe('bob-only'); // local edit kept
    expect(cell(bob, 'customers', 2, 'Name')).toBe('Alice Three'); // server change taken
    const conflict = second.conflicts[0];
    expect(conflict?.key).toBe('PC2');
    expect(conflict?.address).toBe('Customers!B3');
    // Only the name changed on both sides: the segment Bob set (the server's is still the base's) is no conflict.
    expect(conflict?.cells).toEqual([{ field: 'name', column: 'Name', mine: 'Bob Two', theirs: 'Alice Two' }]);
    expect(cell(bob, 'customers', 1, 'Name')).toBe('Bob Two');
    expect(String(cell(bob, 'customers', 1, 'Sync status'))).toMatch(/^conflict/);
    const t = bob.tables.get('Customers');
    expect(t?.notes.get('1,1')).toBe('Ledgerdesk: Conflict. Mine: Bob Two · Theirs (server): Alice Two');

    // Keep mine: it publishes with the server's etag and overwrites knowingly.
    if (conflict === undefined) throw new Error('no conflict');
    await resolveConflict(bob, conflict, 'mine');
    expect(t?.fills.get('1,1')).toBeUndefined();
    const mine = await publish(bob, clerk2);
    expect(mine.counts).toMatchObject({ updated: 2, conflict: 0 }); // PC1's segment and PC2
    const server = await clerk.getRows('customers', { region: 'North' });
    expect(server.rows.find((r) => r['customerId'] === 'PC2')?.['name']).toBe('Bob Two');

    // Now the other way: Alice edits PC3 locally while Bob changes it on the server; Alice takes theirs.
    setCell(bob, 'customers', 2, 'Name', 'Bob Three');
    await publish(bob, clerk2);
    setCell(alice, 'customers', 2, 'Name', 'Alice Three again');
    const third = await pull(alice, clerk, { ledgers: ['customers'], filters: { region: 'North' } });
    const c3 = third.conflicts.find((c) => c.key === 'PC3');
    expect(c3?.cells).toEqual([{ field: 'name', column: 'Name', mine: 'Alice Three again', theirs: 'Bob Three' }]);
    if (c3 === undefined) throw new Error('no conflict');
    await resolveConflict(alice, c3, 'theirs');
    expect(cell(alice, 'customers', 2, 'Name')).toBe('Bob Three');
    expect(cell(alice, 'customers', 2, 'Sync status')).toBe('pulled: took theirs');
    const after = await publish(alice, clerk);
    expect(after.sent).toBe(0); // in sync: nothing to send
  });

  it('a second user approves the selected rows; approval and approver cells follow, the maker cannot approve', async () => {
    const wb = await ledgerWorkbook({
      salespeople: [
        { salespersonId: 'AS1', name: 'Ann', region: 'West' },
        { salespersonId: 'AS2', name: 'Ben', region: 'West' },
      ],
    });
    await publish(wb, clerk);
    // The maker (an admin here, so the role allows it) is refused by the four-eyes rule.
    const selfish = await api.client('clara.clerk', ['admin']);
    const refused = await approveRows(wb, selfish, { ledger: 'salespeople', rows: [0] }, 'clara.clerk');
    expect(refused.counts.self).toBe(1);
    expect(cell(wb, 'salespeople', 0, 'Approval')).toBe('pending');
    expect(String(cell(wb, 'salespeople', 0, 'Sync status'))).toMatch(/four-eyes/);

    // The reviewer selects both rows in Excel (sheet rows 2–3) and approves them.
    wb.selectedRange = { sheet: 'Salespeople', rowIndex: 1, rowCount: 2, columnIndex: 0, columnCount: 1 };
    const target = await selectedLedgerRows(wb);
    expect(target).toEqual({ ledger: 'salespeople', rows: [0, 1] });
    if (target === null) throw new Error('no selection');
    const res = await approveRows(wb, reviewer, target, 'rita.reviewer');
    expect(res.counts).toMatchObject({ approved: 2, alreadyApproved: 0, self: 0, notFound: 0, changed: 0 });
    expect(cell(wb, 'salespeople', 0, 'Approval')).toBe('approved');
    expect(cell(wb, 'salespeople', 1, 'Approved by')).toBe('rita.reviewer');
    // The server agrees, and a pull shows the same (rows come in storage order, hash buckets first: sort by key).
    const rows = await reviewer.getRows('salespeople', { region: 'West' });
    const seen = rows.rows.map((r) => [String(r['salespersonId']), r.approval.status, r.approval.approvedBy]);
    expect(seen.sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
      ['AS1', 'approved', 'rita.reviewer'],
      ['AS2', 'approved', 'rita.reviewer'],
    ]);
    const again = await approveRows(wb, reviewer, { ledger: 'salespeople', keys: ['AS1', 'NOPE'] }, 'rita.reviewer');
    // AS1 carries the etag its approval returned; NOPE is in no row of the sheet, so there is no etag to send.
    expect(again.counts).toMatchObject({ alreadyApproved: 1, noEtag: 1, notFound: 0 });
  });
});
