// Tests addin/flows/commission.ts with a salesperson in two currencies against the real local API on Azurite: the
// Commission sheet gets one statement per currency (EUR, the house currency, first), each with its Currency, its own
// lines and its own total, never one adding EUR and USD; a settled USD month shows USD's settled total only.
import type { LedgerApiClient } from '../../../addin/flows/apiClient';
import { writeCommissionStatements } from '../../../addin/flows/commission';
import { createMemoryWorkbook } from '../../../addin/excel/memoryWorkbook';
import { registerFigureProjection } from '../../../functions/src/figures/projection';
import { toExcelSerial } from '../../../shared/dates';
import type { Rows } from '../support/ledgerWorkbook';
import { startLocalApi, type LocalApi } from '../support/localApi';
import { publishApproved } from '../support/publishApproved';

// MS1 is on plan MP (2 % up to 100.00, 5 % above) with a flat 1 %: EUR contract MK1 (no currency: the house
// currency), USD contract MKU. MS2 has EUR only. MS3 has USD only, settled for November in USD.
const contract = (contractId: string, salespersonId: string, currency?: string) => ({
  contractId,
  customerId: 'MC1',
  salespersonId,
  region: 'East',
  signedOn: '2016-11-01',
  ...(currency === undefined ? {} : { currency }),
});
const ROWS: Rows = {
  customers: [{ customerId: 'MC1', name: 'Acme', region: 'East' }],
  commissionPlans: [{ planId: 'MP', rate1: '0.02', from2: '100', rate2: '0.05' }],
  salespeople: [
    { salespersonId: 'MS1', name: 'Sam', region: 'East', commissionRate: '0.01', planId: 'MP' },
    { salespersonId: 'MS2', name: 'Pat', region: 'East', commissionRate: '0.03' },
    { salespersonId: 'MS3', name: 'Uma', region: 'East', commissionRate: '0.04' },
  ],
  contracts: [
    contract('MK1', 'MS1'),
    contract('MKU', 'MS1', 'USD'),
    contract('MK2', 'MS2'),
    contract('MK3', 'MS3', 'USD'),
  ],
  orderLines: ['MK1', 'MKU', 'MK2', 'MK3'].map((contractId) => ({
    contractId,
    lineNo: 1,
    itemCode: 'A',
    quantity: 100,
    unitPrice: '10.00',
  })),
  invoices: ['MK1', 'MKU', 'MK2', 'MK3'].map((contractId) => ({
    invoiceNo: `I-${contractId}`,
    contractId,
    issuedOn: '2016-11-02',
  })),
  invoiceLines: ['MK1', 'MKU', 'MK2', 'MK3'].map((contractId) => ({
    invoiceNo: `I-${contractId}`,
    lineNo: 1,
    itemCode: 'A',
    quantity: 30,
    unitPrice: '10.00',
  })),
  payments: [
    { paymentId: 'MP1', contractId: 'MK1', receivedOn: '2016-11-20', amount: '150.00' },
    { paymentId: 'MPU', contractId: 'MKU', receivedOn: '2016-11-21', amount: '200.00' },
    { paymentId: 'MP2', contractId: 'MK2', receivedOn: '2016-11-22', amount: '50.00' },
    { paymentId: 'MP3', contractId: 'MK3', receivedOn: '2016-11-23', amount: '100.00' },
  ],
  commissionSettlements: [
    { salespersonId: 'MS3', month: 201611, commission: '5.00', settledOn: '2016-12-01', currency: 'USD' },
  ],
};

describe('Commission statements in two currencies against the local API', () => {
  let api: LocalApi;
  let manager: LedgerApiClient;
  let unregister: () => void;

  beforeAll(async () => {
    api = await startLocalApi();
    unregister = registerFigureProjection();
    manager = await api.client('mia.manager', ['manager']);
    expect(await publishApproved(api, ROWS)).toBe(26);
  });
  afterAll(async () => {
    unregister();
    await api.close();
  });

  it('writes one statement per salesperson and currency, each with only its own lines and total', async () => {
    const wb = createMemoryWorkbook();
    expect(await writeCommissionStatements(wb, manager, '2016-11')).toEqual({
      salespeople: 3,
      statements: 5,
      lines: 5,
    });
    const [nov20, nov21, nov22, nov23] = ['2016-11-20', '2016-11-21', '2016-11-22', '2016-11-23'].map(toExcelSerial);
    expect(wb.tables.get('CommissionStatements')?.rows).toEqual([
      // EUR, under the plan: 150.00 across the tier at 100.00 (2.00 + 2.50); USD 200.00 is not in it.
      ['MS1', 'Sam', '2016-11', 'EUR', 'Payment', nov20, 'MP1', 'I-MK1', 'MK1', '', 100, -12, 0.02, 2],
      ['MS1', 'Sam', '2016-11', 'EUR', 'Payment', nov20, 'MP1', 'I-MK1', 'MK1', '', 50, -12, 0.05, 2.5],
      ['MS1', 'Sam', '2016-11', 'EUR', 'Month total', '', '', '', '', '', '', '', '', 4.5],
      // USD, the flat 1 % (the plan's tier starts are EUR amounts): 200.00 → 2.00.
      ['MS1', 'Sam', '2016-11', 'USD', 'Payment', nov21, 'MPU', 'I-MKU', 'MKU', '', 200, -11, 0.01, 2],
      ['MS1', 'Sam', '2016-11', 'USD', 'Month total', '', '', '', '', '', '', '', '', 2],
      ['MS2', 'Pat', '2016-11', 'EUR', 'Payment', nov22, 'MP2', 'I-MK2', 'MK2', '', 50, -10, 0.03, 1.5],
      ['MS2', 'Pat', '2016-11', 'EUR', 'Month total', '', '', '', '', '', '', '', '', 1.5],
      // MS3: an empty EUR statement (the house currency's is always written), then USD, settled at 5.00.
      ['MS3', 'Uma', '2016-11', 'EUR', 'Month total', '', '', '', '', '', '', '', '', 0],
      ['MS3', 'Uma', '2016-11', 'USD', 'Payment', nov23, 'MP3', 'I-MK3', 'MK3', '', 100, -9, 0.04, 4],
      ['MS3', 'Uma', '2016-11', 'USD', 'Settled total', '', '', '', '', '', '', '', '', 5],
    ]);
  });

  it("one salesperson's statements; a month without USD commission has the EUR statement only", async () => {
    const wb = createMemoryWorkbook();
    expect(await writeCommissionStatements(wb, manager, '2016-11', 'MS1')).toEqual({
      salespeople: 1,
      statements: 2,
      lines: 3,
    });
    expect(wb.tables.get('CommissionStatements')?.rows.map((r) => [r[3], r[4], r[13]])).toEqual([
      ['EUR', 'Payment', 2],
      ['EUR', 'Payment', 2.5],
      ['EUR', 'Month total', 4.5],
      ['USD', 'Payment', 2],
      ['USD', 'Month total', 2],
    ]);
    const december = createMemoryWorkbook();
    expect(await writeCommissionStatements(december, manager, '2016-12', 'MS1')).toEqual({
      salespeople: 1,
      statements: 1,
      lines: 0,
    });
    expect(december.tables.get('CommissionStatements')?.rows).toEqual([
      ['MS1', 'Sam', '2016-12', 'EUR', 'Month total', '', '', '', '', '', '', '', '', 0],
    ]);
  });
});
