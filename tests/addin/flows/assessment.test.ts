// Tests addin/flows/assessment.ts against the real local API on Azurite: published and approved rows of issue #14's
// ledgers become the Salespeople's month table.
import type { LedgerApiClient } from '../../../addin/flows/apiClient';
import { ASSESSMENT_SPEC, writeAssessment } from '../../../addin/flows/assessment';
import { createMemoryWorkbook } from '../../../addin/excel/memoryWorkbook';
import { registerFigureProjection } from '../../../functions/src/figures/projection';
import type { Rows } from '../support/ledgerWorkbook';
import { startLocalApi, type LocalApi } from '../support/localApi';
import { publishApproved } from '../support/publishApproved';

const ROWS: Rows = {
  customers: [{ customerId: 'AC1', name: 'Acme', region: 'East' }],
  salespeople: [{ salespersonId: 'AS1', name: 'Sam', region: 'East', commissionRate: '0.03' }],
  contracts: [
    { contractId: 'AK1', customerId: 'AC1', salespersonId: 'AS1', region: 'East', signedOn: '2016-11-01' },
    // A USD contract of January 2017: its figures are named in the last column, never added to the EUR ones.
    {
      contractId: 'AK2',
      customerId: 'AC1',
      salespersonId: 'AS1',
      region: 'East',
      signedOn: '2017-01-05',
      currency: 'USD',
    },
  ],
  orderLines: [{ contractId: 'AK1', lineNo: 1, itemCode: 'A', quantity: 10, unitPrice: '12.50' }],
  invoices: [{ invoiceNo: 'AI1', contractId: 'AK1', issuedOn: '2016-11-02' }],
  invoiceLines: [{ invoiceNo: 'AI1', lineNo: 1, itemCode: 'A', quantity: 4, unitPrice: '12.50' }],
  payments: [
    { paymentId: 'AP1', contractId: 'AK1', receivedOn: '2016-11-20', amount: '50.00' },
    { paymentId: 'AP2', contractId: 'AK2', receivedOn: '2017-01-20', amount: '80.00' },
  ],
  trips: [{ tripId: 'AT1', salespersonId: 'AS1', departOn: '2016-11-07', returnOn: '2016-11-09', destination: 'Lyon' }],
  attendance: [{ salespersonId: 'AS1', month: 201611, workingDays: 22, absentDays: 1, leaveDays: 3 }],
  expensePolicies: [{ policyId: 'AH', category: 'hotel', effectiveFrom: '2016-01-01', limitPerClaim: '90' }],
  expenses: [{ expenseId: 'AE1', salespersonId: 'AS1', category: 'hotel', incurredOn: '2016-11-08', amount: '100.00' }],
};

describe("Salespeople's month against the local API", () => {
  let api: LocalApi;
  let manager: LedgerApiClient;
  let unregister: () => void;

  beforeAll(async () => {
    api = await startLocalApi();
    unregister = registerFigureProjection();
    manager = await api.client('mia.manager', ['manager']);
    expect(await publishApproved(api, ROWS)).toBe(13);
  });
  afterAll(async () => {
    unregister();
    await api.close();
  });

  it('writes one row per salesperson with days as whole numbers and money as numbers', async () => {
    const wb = createMemoryWorkbook();
    expect(await writeAssessment(wb, manager, '2016-11')).toBe(1);
    const table = wb.tables.get('SalespeopleMonth');
    expect(table?.sheet).toBe("Salespeople's month");
    expect(table?.columns.map((c) => c.name)).toEqual(ASSESSMENT_SPEC.columns.map((c) => c.name));
    // 4 × 12.50 invoiced, 50.00 collected: 1.50 commission at 3 %; the hotel claim capped at 90.00; 3 trip days.
    expect(table?.rows).toEqual([
      ['AS1', 'Sam', 'East', 22, 1, 3, 3, 1, 125, 0, 50, 50, 0, 100, 90, 33.33, 1, 1.5, 'EUR', ''],
    ]);
    // December: no attendance row, so its days are empty cells.
    await writeAssessment(wb, manager, '2016-12');
    expect(wb.tables.get('SalespeopleMonth')?.rows).toEqual([
      ['AS1', 'Sam', 'East', '', '', '', 0, 0, 0, 0, 0, 0, 0, 0, 0, '', 0, 0, 'EUR', ''],
    ]);
  });

  it('names the currencies it did not add in, in the last column', async () => {
    const wb = createMemoryWorkbook();
    await writeAssessment(wb, manager, '2017-01');
    const [row] = wb.tables.get('SalespeopleMonth')?.rows ?? [];
    // The USD contract signed and paid in January is not counted in the EUR figures: no contract signed, nothing
    // collected, no commission; the row names USD instead.
    expect([row?.[7], row?.[8], row?.[11], row?.[17]]).toEqual([0, 0, 0, 0]);
    expect(row?.slice(18)).toEqual(['EUR', 'USD']);
  });
});
