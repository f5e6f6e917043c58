// Tests addin/flows/commission.ts against the real local API on Azurite: published and approved rows become the
// Commission sheet, one statement per salesperson with its lines and the month's total.
import type { LedgerApiClient } from '../../../addin/flows/apiClient';
import { COMMISSION_SPEC, statementRows, writeCommissionStatements } from '../../../addin/flows/commission';
import { createMemoryWorkbook } from '../../../addin/excel/memoryWorkbook';
import { registerFigureProjection } from '../../../functions/src/figures/projection';
import { toExcelSerial } from '../../../shared/dates';
import type { Rows } from '../support/ledgerWorkbook';
import { startLocalApi, type LocalApi } from '../support/localApi';
import { publishApproved } from '../support/publishApproved';

// CS1 earns a flat 3 %; CS2 is on plan CP: 2 % of the month's collections up to 100.00, 5 % above.
const ROWS: Rows = {
  customers: [{ customerId: 'CC1', name: 'Acme', region: 'East' }],
  commissionPlans: [{ planId: 'CP', rate1: '0.02', from2: '100', rate2: '0.05' }],
  salespeople: [
    { salespersonId: 'CS1', name: 'Sam', region: 'East', commissionRate: '0.03' },
    { salespersonId: 'CS2', name: 'Pat', region: 'East', commissionRate: '0.01', planId: 'CP' },
  ],
  contracts: [
    { contractId: 'CK1', customerId: 'CC1', salespersonId: 'CS1', region: 'East', signedOn: '2016-11-01' },
    { contractId: 'CK2', customerId: 'CC1', salespersonId: 'CS2', region: 'East', signedOn: '2016-11-01' },
  ],
  orderLines: [
    { contractId: 'CK1', lineNo: 1, itemCode: 'A', quantity: 10, unitPrice: '12.50' },
    { contractId: 'CK2', lineNo: 1, itemCode: 'A', quantity: 20, unitPrice: '10.00' },
  ],
  invoices: [
    { invoiceNo: 'CI1', contractId: 'CK1', issuedOn: '2016-11-02' },
    { invoiceNo: 'CI2', contractId: 'CK2', issuedOn: '2016-11-02' },
  ],
  invoiceLines: [
    { invoiceNo: 'CI1', lineNo: 1, itemCode: 'A', quantity: 4, unitPrice: '12.50' },
    { invoiceNo: 'CI2', lineNo: 1, itemCode: 'A', quantity: 20, unitPrice: '10.00' },
  ],
  payments: [
    { paymentId: 'CP1', contractId: 'CK1', receivedOn: '2016-11-20', amount: '50.00' },
    { paymentId: 'CP2', contractId: 'CK2', receivedOn: '2016-11-21', amount: '150.00' },
  ],
};

describe('Commission statements against the local API', () => {
  let api: LocalApi;
  let manager: LedgerApiClient;
  let unregister: () => void;

  beforeAll(async () => {
    api = await startLocalApi();
    unregister = registerFigureProjection();
    manager = await api.client('mia.manager', ['manager']);
    expect(await publishApproved(api, ROWS)).toBe(14);
  });
  afterAll(async () => {
    unregister();
    await api.close();
  });

  it("writes every salesperson's statement: its lines, then the month's total", async () => {
    const wb = createMemoryWorkbook();
    expect(await writeCommissionStatements(wb, manager, '2016-11')).toEqual({
      salespeople: 2,
      statements: 2,
      lines: 3,
    });
    const table = wb.tables.get('CommissionStatements');
    expect(table?.sheet).toBe('Commission');
    expect(table?.columns.map((c) => c.name)).toEqual(COMMISSION_SPEC.columns.map((c) => c.name));
    const nov20 = toExcelSerial('2016-11-20');
    const nov21 = toExcelSerial('2016-11-21');
    expect(table?.rows).toEqual([
      // 50.00 collected at 3 %, 12 days before the due date (issued 2016-11-02, 30 days' terms).
      ['CS1', 'Sam', '2016-11', 'EUR', 'Payment', nov20, 'CP1', 'CI1', 'CK1', '', 50, -12, 0.03, 1.5],
      ['CS1', 'Sam', '2016-11', 'EUR', 'Month total', '', '', '', '', '', '', '', '', 1.5],
      // 150.00 crosses the tier at 100.00: 100.00 at 2 % (2.00) and 50.00 at 5 % (2.50).
      ['CS2', 'Pat', '2016-11', 'EUR', 'Payment', nov21, 'CP2', 'CI2', 'CK2', '', 100, -11, 0.02, 2],
      ['CS2', 'Pat', '2016-11', 'EUR', 'Payment', nov21, 'CP2', 'CI2', 'CK2', '', 50, -11, 0.05, 2.5],
      ['CS2', 'Pat', '2016-11', 'EUR', 'Month total', '', '', '', '', '', '', '', '', 4.5],
    ]);
  });

  it("writes one salesperson's statement, and an empty month as its total of 0", async () => {
    const wb = createMemoryWorkbook();
    expect(await writeCommissionStatements(wb, manager, '2016-12', 'CS2')).toEqual({
      salespeople: 1,
      statements: 1,
      lines: 0,
    });
    expect(wb.tables.get('CommissionStatements')?.rows).toEqual([
      ['CS2', 'Pat', '2016-12', 'EUR', 'Month total', '', '', '', '', '', '', '', '', 0],
    ]);
  });

  it('says so when the salesperson does not exist', async () => {
    const wb = createMemoryWorkbook();
    await expect(writeCommissionStatements(wb, manager, '2016-11', 'NOBODY')).rejects.toThrow(
      'Salesperson NOBODY does not exist.',
    );
    expect(wb.tables.get('CommissionStatements')).toBeUndefined();
  });
});

describe('statementRows', () => {
  it("ends a settled month's statement with the commission settled, not the sum of its lines", () => {
    const rows = statementRows(
      {
        salespersonId: 'S1',
        month: '2016-10',
        currency: 'EUR',
        otherCurrencies: [],
        planId: null,
        basis: 'collected',
        settled: true,
        commission: '4.00',
        lines: [
          {
            kind: 'adjustment',
            date: '2016-10-01',
            paymentId: null,
            invoiceNo: null,
            contractId: null,
            months: ['2016-08', '2016-09'],
            amount: '0.00',
            daysLate: null,
            rate: null,
            commission: '-1.25',
          },
        ],
      },
      'Sam',
    );
    expect(rows).toEqual([
      [
        'S1',
        'Sam',
        '2016-10',
        'EUR',
        'Adjustment',
        toExcelSerial('2016-10-01'),
        '',
        '',
        '',
        '2016-08, 2016-09',
        0,
        '',
        '',
        -1.25,
      ],
      ['S1', 'Sam', '2016-10', 'EUR', 'Settled total', '', '', '', '', '', '', '', '', 4],
    ]);
  });
});
