// POST /api/checks/expenses on Azurite: findings over approved versions (pending ones with includePending), trips,
// policies and attendance written through the generic ledger PUT, four-eyes approval of the new ledgers.
import {
  EXPENSE_FINDING_CODES,
  expenseCheckResponse,
  type ApprovalsResponse,
  type ExpenseFindingCode,
  type ExpenseFindingWire,
} from '../../../shared/api';
import { setConfigForTests } from '../../../functions/src/config';
import type { LedgerName } from '../../../shared/ledgers';
import { approveLedgerRowsRoute } from '../../../functions/src/functions/approveLedgerRows';
import { expenseCheckRoute } from '../../../functions/src/functions/expenseCheck';
import { ledgerApi, REVIEWER, type LedgerApi } from '../../support/ledgerApi';
import { approveSeededParents, put, seedParents } from '../../support/ledgerFixtures';
import { seenNow } from '../../support/seen';

let api: LedgerApi;

async function approve(ledger: LedgerName, keys: string[], user = REVIEWER): Promise<string[]> {
  const res = await api.call(approveLedgerRowsRoute, {
    params: { ledger },
    body: { rows: await seenNow(ledger, keys) },
    user,
  });
  return (res.jsonBody as ApprovalsResponse).results.map((r) => r.status);
}

async function check(body: unknown) {
  return api.call(expenseCheckRoute, { body });
}

const noFindings = Object.fromEntries(EXPENSE_FINDING_CODES.map((c) => [c, 0])) as Record<ExpenseFindingCode, number>;

const brief = (fs: ExpenseFindingWire[]) => fs.map((f) => [f.expenseId, f.code, f.limit, f.reimbursable, f.refersTo]);

beforeAll(async () => {
  api = ledgerApi();
  await seedParents(api); // salesperson SP1 (East)
  await approveSeededParents(api);
  expect(
    (
      await put(api, 'expensePolicies', [
        { policyId: 'HOTEL', category: 'hotel', effectiveFrom: '2016-01-01', limitPerClaim: '120', needsTrip: true },
        {
          policyId: 'MEALS-EAST',
          category: 'meals',
          region: 'East',
          effectiveFrom: '2016-06-01',
          limitPerDay: '50',
          receiptRequiredAbove: '25',
          weekendAllowed: false,
        },
      ])
    ).map((r) => r.status),
  ).toEqual(['created', 'created']);
  expect(
    (
      await put(api, 'trips', [
        { tripId: 'T1', salespersonId: 'SP1', departOn: '2016-11-07', returnOn: '2016-11-09', destination: 'Lyon' },
      ])
    ).map((r) => r.status),
  ).toEqual(['created']);
  expect(
    (
      await put(api, 'expenses', [
        { expenseId: 'X1', salespersonId: 'SP1', category: 'hotel', incurredOn: '2016-11-09', amount: '150' },
        { expenseId: 'X2', salespersonId: 'SP1', category: 'hotel', incurredOn: '2016-11-10', amount: '80' },
        {
          expenseId: 'X3',
          salespersonId: 'SP1',
          category: 'meals',
          incurredOn: '2016-11-08',
          amount: '30',
          merchant: 'Cafe',
        },
        {
          expenseId: 'X4',
          salespersonId: 'SP1',
          category: 'meals',
          incurredOn: '2016-11-08',
          amount: '30',
          merchant: 'Cafe',
          receipt: true,
        },
        { expenseId: 'X5', salespersonId: 'SP1', category: 'meals', incurredOn: '2016-11-12', amount: '10' },
      ])
    ).map((r) => r.status),
  ).toEqual(['created', 'created', 'created', 'created', 'created']);
  // Reimbursement state: submitted (pending) until a second person approves.
  expect(await approve('expensePolicies', ['HOTEL', 'MEALS-EAST'])).toEqual(['approved', 'approved']);
  expect(await approve('trips', ['T1'])).toEqual(['approved']);
  expect(await approve('expenses', ['X1', 'X2', 'X3'])).toEqual(['approved', 'approved', 'approved']);
});
afterAll(() => setConfigForTests(undefined));

describe('POST /api/checks/expenses', () => {
  it('checks the approved expenses against approved policies and trips', async () => {
    const res = await check({});
    expect(res.status).toBe(200);
    expect(brief((res.jsonBody as { findings: ExpenseFindingWire[] }).findings)).toEqual([
      ['X3', 'RECEIPT_MISSING', '25.00', '25.00', null],
      ['X1', 'OVER_CLAIM_LIMIT', '120.00', '120.00', null],
      ['X2', 'OUTSIDE_TRIP', null, '0.00', null],
    ]);
    // Per salesperson: 150 + 80 + 30 claimed; 120 + 0 + 25 reimbursable.
    expect(expenseCheckResponse.parse(res.jsonBody).totals).toEqual([
      {
        salespersonId: 'SP1',
        expenses: 3,
        claimed: '260.00',
        reimbursable: '145.00',
        difference: '115.00',
        findings: { ...noFindings, RECEIPT_MISSING: 1, OVER_CLAIM_LIMIT: 1, OUTSIDE_TRIP: 1 },
      },
    ]);
  });

  it('with includePending counts the pending expenses too (X4 duplicates X3, the day goes over 50)', async () => {
    const res = await check({ includePending: true, expenseIds: ['X3', 'X4', 'X5', 'NOPE'] });
    expect(res.status).toBe(200);
    const body = res.jsonBody as { findings: ExpenseFindingWire[]; notFound: string[] };
    expect(brief(body.findings)).toEqual([
      ['X3', 'OVER_DAILY_LIMIT', '50.00', '30.00', null],
      ['X3', 'RECEIPT_MISSING', '25.00', '25.00', null],
      ['X4', 'DUPLICATE', null, '0.00', 'X3'],
      ['X4', 'OVER_DAILY_LIMIT', '50.00', '20.00', null],
      ['X5', 'WEEKEND', null, '0.00', null], // 2016-11-12 is a Saturday
    ]);
    expect(body.notFound).toEqual(['NOPE']);
    // Totals over the requested expenses only: X3 30 (25 reimbursable), X4 30 (0), X5 10 (0).
    expect(expenseCheckResponse.parse(res.jsonBody).totals).toEqual([
      {
        salespersonId: 'SP1',
        expenses: 3,
        claimed: '70.00',
        reimbursable: '25.00',
        difference: '45.00',
        findings: { ...noFindings, OVER_DAILY_LIMIT: 2, RECEIPT_MISSING: 1, DUPLICATE: 1, WEEKEND: 1 },
      },
    ]);
  });

  it('refuses a bad body with 400 naming the field', async () => {
    const res = await check({ expenseIds: 'X1' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.jsonBody)).toContain('expenseIds');
  });

  it('needs a token', async () => {
    const res = await api.call(expenseCheckRoute, { body: {}, user: null });
    expect(res.status).toBe(401);
  });

  it('attendance and trips refuse impossible rows', async () => {
    const [a, t] = [
      await put(api, 'attendance', [{ salespersonId: 'SP1', month: 201613, workingDays: 20, absentDays: 21 }]),
      await put(api, 'trips', [
        { tripId: 'T2', salespersonId: 'SP1', departOn: '2016-11-07', returnOn: '2016-11-06', destination: 'X' },
      ]),
    ];
    expect(a[0]?.status).toBe('invalid');
    expect(a[0]?.errors?.map((e) => e.field).sort()).toEqual(['absentDays', 'month']);
    expect(t[0]).toMatchObject({ status: 'invalid', errors: [{ field: 'returnOn' }] });
  });
});
