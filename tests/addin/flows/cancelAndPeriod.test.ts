// Tests publish with Cancel mid-run and pull with the period filter, against the real local API on Azurite.
import type { LedgerApiClient } from '../../../addin/flows/apiClient';
import { publish } from '../../../addin/flows/publish';
import { pull } from '../../../addin/flows/pull';
import { setupLedgerSheets } from '../../../addin/flows/setup';
import { createMemoryWorkbook } from '../../../addin/excel/memoryWorkbook';
import { cell, ledgerWorkbook, setCell } from '../support/ledgerWorkbook';
import { startLocalApi, type LocalApi } from '../support/localApi';

describe('publish cancel and pull period against the local API', () => {
  let api: LocalApi;
  let clerk: LedgerApiClient;

  beforeAll(async () => {
    api = await startLocalApi();
    clerk = await api.client('clara.clerk', ['clerk', 'finance']);
  });
  afterAll(async () => {
    await api.close();
  });

  it('Cancel mid-run: later chunks are not sent, sent rows get outcomes, the rest keep their status and go next time', async () => {
    const customers = Array.from({ length: 6 }, (_, i) => ({ customerId: `X${i}`, name: `Name ${i}`, region: 'Cx' }));
    const wb = await ledgerWorkbook({ customers });
    expect((await publish(wb, clerk)).counts.created).toBe(6);
    customers.forEach((_, i) => setCell(wb, 'customers', i, 'Name', `Renamed ${i}`));

    // The user presses Cancel while the first chunk is on its way.
    const controller = new AbortController();
    const chunks: string[][] = [];
    const cancelling: LedgerApiClient = {
      ...clerk,
      putRows: async (ledger, rows, key) => {
        chunks.push(rows.map((r) => String((r as Record<string, unknown>)['customerId'])));
        const res = await clerk.putRows(ledger, rows, key);
        controller.abort();
        return res;
      },
    };
    const res = await publish(wb, cancelling, { maxRows: 2, signal: controller.signal });
    expect(res.cancelled).toBe(true);
    expect(res.sent).toBe(2);
    expect(chunks).toEqual([['X0', 'X1']]);
    expect(res.counts).toMatchObject({ updated: 2, created: 0 });
    expect([0, 1, 2, 3, 4, 5].map((i) => cell(wb, 'customers', i, 'Sync status'))).toEqual([
      'updated',
      'updated',
      'created',
      'created',
      'created',
      'created',
    ]);
    const server = await clerk.getRows('customers', { region: 'Cx' });
    const names = new Map(server.rows.map((r) => [String(r['customerId']), String(r['name'])]));
    expect([...names.entries()].sort()).toEqual([
      ['X0', 'Renamed 0'],
      ['X1', 'Renamed 1'],
      ['X2', 'Name 2'],
      ['X3', 'Name 3'],
      ['X4', 'Name 4'],
      ['X5', 'Name 5'],
    ]);

    // The next publish sends exactly the rows that were not sent.
    chunks.length = 0;
    const spy: LedgerApiClient = {
      ...clerk,
      putRows: (ledger, rows, key) => {
        chunks.push(rows.map((r) => String((r as Record<string, unknown>)['customerId'])));
        return clerk.putRows(ledger, rows, key);
      },
    };
    const rest = await publish(wb, spy);
    expect(chunks).toEqual([['X2', 'X3', 'X4', 'X5']]);
    expect(rest.counts.updated).toBe(4);
  });

  it('Pull with a period brings the dated rows of that period only, invoice lines with their invoices', async () => {
    const alice = await ledgerWorkbook({
      customers: [{ customerId: 'PC1', name: 'Acme', region: 'Pr' }],
      salespeople: [{ salespersonId: 'PS1', name: 'Sam', region: 'Pr' }],
      contracts: [{ contractId: 'PK1', customerId: 'PC1', salespersonId: 'PS1', region: 'Pr', signedOn: '2016-09-01' }],
      orderLines: [{ contractId: 'PK1', lineNo: 1, itemCode: 'A', quantity: 100, unitPrice: '1.00' }],
      deliveries: [
        { deliveryId: 'PD10', contractId: 'PK1', itemCode: 'A', quantity: 1, date: '2016-10-31' },
        { deliveryId: 'PD11', contractId: 'PK1', itemCode: 'A', quantity: 1, date: '2016-11-01' },
        { deliveryId: 'PD12', contractId: 'PK1', itemCode: 'A', quantity: 1, date: '2016-12-01' },
      ],
      invoices: [
        { invoiceNo: 'PI10', contractId: 'PK1', issuedOn: '2016-10-15' },
        { invoiceNo: 'PI11', contractId: 'PK1', issuedOn: '2016-11-30' },
      ],
      invoiceLines: [
        { invoiceNo: 'PI10', lineNo: 1, itemCode: 'A', quantity: 1, unitPrice: '1.00' },
        { invoiceNo: 'PI11', lineNo: 1, itemCode: 'A', quantity: 1, unitPrice: '1.00' },
        { invoiceNo: 'PI11', lineNo: 2, itemCode: 'A', quantity: 1, unitPrice: '1.00' },
      ],
      payments: [
        { paymentId: 'PP10', contractId: 'PK1', receivedOn: '2016-10-20', amount: '1.00' },
        { paymentId: 'PP11', contractId: 'PK1', receivedOn: '2016-11-15', amount: '1.00' },
      ],
      expenses: [
        { expenseId: 'PE11', salespersonId: 'PS1', category: 'taxi', incurredOn: '2016-11-02', amount: '3.00' },
        { expenseId: 'PE12', salespersonId: 'PS1', category: 'taxi', incurredOn: '2016-12-02', amount: '3.00' },
      ],
    });
    expect((await publish(alice, clerk)).counts.created).toBe(16);

    const bob = createMemoryWorkbook();
    await setupLedgerSheets(bob);
    const res = await pull(bob, clerk, { filters: { period: '2016-11' } });
    const received = Object.fromEntries(res.ledgers.map((l) => [l.ledger, l.received]));
    // Undated ledgers come whole; dated ones only within 2016-11-01..2016-11-30. Contracts by signedOn (PK1 was
    // signed in September), order lines with their contract (issue #18).
    expect(received).toEqual({
      customers: 7, // with the six of the Cancel test: customers have no date
      salespeople: 1,
      contracts: 0,
      orderLines: 0,
      deliveries: 1,
      invoices: 1,
      invoiceLines: 2,
      payments: 1,
      creditNotes: 0,
      expenses: 1,
      contacts: 0,
      interactions: 0,
      customerDocuments: 0,
      samples: 0,
      trips: 0,
      attendance: 0,
      expensePolicies: 0,
      commissionPlans: 0,
      commissionSettlements: 0,
      targets: 0,
      budgets: 0,
      // Undated, and none written by this test.
      reminderTerms: 0,
      reminderLevels: 0,
      reminders: 0,
      reminderLines: 0,
    });
    expect(cell(bob, 'deliveries', 0, 'Delivery ID')).toBe('PD11');
    expect(cell(bob, 'invoices', 0, 'Invoice no')).toBe('PI11');
    expect([cell(bob, 'invoiceLines', 0, 'Invoice no'), cell(bob, 'invoiceLines', 1, 'Line')]).toEqual(['PI11', 2]);
    expect(cell(bob, 'payments', 0, 'Payment ID')).toBe('PP11');
    expect(cell(bob, 'expenses', 0, 'Expense ID')).toBe('PE11');

    // A quarter takes October to December; a bad period is refused before anything is read.
    const carol = createMemoryWorkbook();
    await setupLedgerSheets(carol);
    const q = await pull(carol, clerk, { filters: { period: '2016-Q4' }, ledgers: ['deliveries'] });
    expect(q.ledgers[0]?.received).toBe(3);
    await expect(pull(bob, clerk, { filters: { period: 'November' } })).rejects.toThrow(/period/i);
  });
});
