// GET /api/salespeople/assessment on Azurite: the month's figures of a salesperson from approved rows, and with
// includePending=true from the pending versions overlaid.
import type { ApprovalsResponse, AssessmentRowWire } from '../../../shared/api';
import type { LedgerName } from '../../../shared/ledgers';
import { setConfigForTests } from '../../../functions/src/config';
import { approveLedgerRowsRoute } from '../../../functions/src/functions/approveLedgerRows';
import { assessmentRoute } from '../../../functions/src/functions/assessment';
import { registerFigureProjection } from '../../../functions/src/figures/projection';
import { ledgerApi, REVIEWER, type LedgerApi } from '../../support/ledgerApi';
import { approveSeededParents, getRow, put, seedParents } from '../../support/ledgerFixtures';
import { seenNow } from '../../support/seen';

const TRIP = {
  tripId: 'T1',
  salespersonId: 'SP1',
  departOn: '2016-11-29',
  returnOn: '2016-12-02',
  destination: 'Lyon',
};
let api: LedgerApi;
let unregister: () => void;

async function approve(ledger: LedgerName, keys: string[]): Promise<string[]> {
  const res = await api.call(approveLedgerRowsRoute, {
    params: { ledger },
    body: { rows: await seenNow(ledger, keys) },
    user: REVIEWER,
  });
  return (res.jsonBody as ApprovalsResponse).results.map((r) => r.status);
}

async function created(ledger: LedgerName, rows: unknown[]): Promise<void> {
  expect((await put(api, ledger, rows)).map((r) => r.status)).toEqual(rows.map(() => 'created'));
}

beforeAll(async () => {
  api = ledgerApi();
  unregister = registerFigureProjection();
  await seedParents(api); // SP1 (East), contract K1 signed 2016-11-08: 3 × 10.50 + 1 × 99.00 = 130.50
  await approveSeededParents(api);
  await created('attendance', [{ salespersonId: 'SP1', month: 201611, workingDays: 21, absentDays: 2 }]);
  await created('trips', [TRIP]);
  await created('expensePolicies', [
    { policyId: 'H', category: 'hotel', effectiveFrom: '2016-01-01', limitPerClaim: '100', needsTrip: true },
  ]);
  await created('expenses', [
    { expenseId: 'X1', salespersonId: 'SP1', category: 'hotel', incurredOn: '2016-11-30', amount: '120' },
    { expenseId: 'X2', salespersonId: 'SP1', category: 'hotel', incurredOn: '2016-11-30', amount: '50' }, // pending
  ]);
  expect(await approve('attendance', ['SP1~201611'])).toEqual(['approved']);
  expect(await approve('trips', ['T1'])).toEqual(['approved']);
  expect(await approve('expensePolicies', ['H'])).toEqual(['approved']);
  expect(await approve('expenses', ['X1'])).toEqual(['approved']);
  expect(await approve('orderLines', ['K1~1', 'K1~2'])).toEqual(['approved', 'approved']);
});
afterAll(() => {
  unregister();
  setConfigForTests(undefined);
});

describe('GET /api/salespeople/assessment', () => {
  it('reports the month from approved rows', async () => {
    const res = await api.call(assessmentRoute, { query: { month: '2016-11' } });
    expect(res.status).toBe(200);
    const body = res.jsonBody as { month: string; rows: AssessmentRowWire[] };
    expect(body.month).toBe('2016-11');
    expect(body.rows).toEqual([
      {
        salespersonId: 'SP1',
        name: 'Sam',
        region: 'East',
        workingDays: 21,
        absentDays: 2,
        leaveDays: 0,
        tripDays: 2, // the 29th and 30th
        contractsSigned: 1,
        contractValue: '130.50',
        delivered: '0.00',
        invoiced: '0.00',
        collected: '0.00',
        overdue: '0.00',
        expenses: '120.00', // X2 is still pending
        reimbursable: '100.00',
        expensesPerTripDay: '60.00',
        expenseFindings: 1,
        commission: '0.00',
        currency: 'EUR',
        otherCurrencies: [],
      },
    ]);
  });

  it('overlays pending versions with includePending=true, and only then', async () => {
    const body = async (query: Record<string, string>): Promise<AssessmentRowWire> => {
      const res = await api.call(assessmentRoute, { query });
      expect(res.status).toBe(200);
      return (res.jsonBody as { rows: AssessmentRowWire[] }).rows[0] as AssessmentRowWire;
    };
    // Pending changes: the trip starts a day earlier, and the contract's second line has two units instead of one.
    const trip = { ...TRIP, departOn: '2016-11-28', etag: (await getRow(api, 'trips', 'T1'))?.etag };
    expect((await put(api, 'trips', [trip])).map((r) => r.status)).toEqual(['updated']);
    const etag = (await getRow(api, 'orderLines', 'K1~2'))?.etag;
    const line2 = { contractId: 'K1', lineNo: 2, itemCode: 'ITEM-B', quantity: 2, unitPrice: '99', etag };
    expect((await put(api, 'orderLines', [line2])).map((r) => r.status)).toEqual(['updated']);
    const provisional = await body({ month: '2016-11', includePending: 'true' });
    expect(provisional).toMatchObject({
      tripDays: 3, // the 28th, 29th and 30th of the pending trip
      expenses: '170.00', // X1 120 + the pending X2 50
      reimbursable: '150.00', // X1 capped at 100, X2 50
      expensesPerTripDay: '56.67', // 170 / 3
      expenseFindings: 1,
      contractValue: '229.50', // 3 × 10.50 + 2 × 99.00
    });
    const approved = await body({ month: '2016-11', includePending: 'false' });
    expect(approved).toMatchObject({
      tripDays: 2,
      expenses: '120.00',
      reimbursable: '100.00',
      contractValue: '130.50',
    });
  });

  it('refuses a bad includePending', async () => {
    const res = await api.call(assessmentRoute, { query: { month: '2016-11', includePending: 'yes' } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.jsonBody)).toContain('query.includePending');
  });

  it('refuses a bad month', async () => {
    const res = await api.call(assessmentRoute, { query: { month: '2016-1' } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.jsonBody)).toContain('query.month');
  });
});
