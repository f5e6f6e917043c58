// GET /api/budgets/vsExpenses on Azurite: budgets of one period against the expenses of their region and category,
// approved versions only unless includePending=true, narrowed to one region on request.
import { budgetsVsExpensesResponse, type ApprovalsResponse, type BudgetsVsExpensesResponse } from '../../../shared/api';
import type { LedgerName } from '../../../shared/ledgers';
import { setConfigForTests } from '../../../functions/src/config';
import { approveLedgerRowsRoute } from '../../../functions/src/functions/approveLedgerRows';
import { budgetsVsExpensesRoute } from '../../../functions/src/functions/budgetsVsExpenses';
import { ledgerApi, REVIEWER, type LedgerApi } from '../../support/ledgerApi';
import { approveSeededParents, put, seedParents } from '../../support/ledgerFixtures';
import { seenNow } from '../../support/seen';

let api: LedgerApi;

async function approve(ledger: LedgerName, keys: string[]): Promise<string[]> {
  const res = await api.call(approveLedgerRowsRoute, {
    params: { ledger },
    body: { rows: await seenNow(ledger, keys) },
    user: REVIEWER,
  });
  return (res.jsonBody as ApprovalsResponse).results.map((r) => r.status);
}

async function lines(query: Record<string, string>): Promise<BudgetsVsExpensesResponse> {
  const res = await api.call(budgetsVsExpensesRoute, { query });
  expect(res.status).toBe(200);
  return budgetsVsExpensesResponse.parse(res.jsonBody);
}

beforeAll(async () => {
  api = ledgerApi();
  await seedParents(api); // SP1 (East)
  await approveSeededParents(api);
  expect((await put(api, 'salespeople', [{ salespersonId: 'SP2', name: 'Wes', region: 'West' }]))[0]?.status).toBe(
    'created',
  );
  expect(await approve('salespeople', ['SP2'])).toEqual(['approved']);
  const budgets = [
    { budgetId: 'B1', region: 'East', period: '2016-11', category: 'hotel', amount: '100' },
    { budgetId: 'B2', region: 'East', period: '2016-11', category: 'meals', amount: '50' },
    // A second meals budget of the same region and month adds up: 70.00.
    { budgetId: 'B3', region: 'East', period: '2016-11', category: 'meals', amount: '20' },
    { budgetId: 'B4', region: 'West', period: '2016-11', category: 'hotel', amount: '200' },
    { budgetId: 'B5', region: 'East', period: '2016-Q4', category: 'hotel', amount: '300' },
    { budgetId: 'B6', region: 'East', period: '2016-12', category: 'hotel', amount: '0' },
  ];
  expect((await put(api, 'budgets', budgets)).map((r) => r.status)).toEqual(budgets.map(() => 'created'));
  const expenses = [
    { expenseId: 'X1', salespersonId: 'SP1', category: 'hotel', incurredOn: '2016-11-09', amount: '150' },
    { expenseId: 'X2', salespersonId: 'SP1', category: 'meals', incurredOn: '2016-11-10', amount: '35' },
    { expenseId: 'X3', salespersonId: 'SP1', category: 'hotel', incurredOn: '2016-12-01', amount: '40' },
    { expenseId: 'X4', salespersonId: 'SP2', category: 'hotel', incurredOn: '2016-11-03', amount: '80' },
    // A category without a budget is not listed.
    { expenseId: 'X5', salespersonId: 'SP1', category: 'taxi', incurredOn: '2016-11-10', amount: '12' },
  ];
  expect((await put(api, 'expenses', expenses)).map((r) => r.status)).toEqual(expenses.map(() => 'created'));
  // West's budget and expense stay pending: they count only with includePending.
  expect(await approve('budgets', ['B1', 'B2', 'B3', 'B5', 'B6'])).toEqual(Array(5).fill('approved'));
  expect(await approve('expenses', ['X1', 'X2', 'X3', 'X5'])).toEqual(Array(4).fill('approved'));
});
afterAll(() => setConfigForTests(undefined));

describe('GET /api/budgets/vsExpenses', () => {
  it("compares each approved budget of the month with its region's approved expenses of that category", async () => {
    expect(await lines({ period: '2016-11' })).toEqual({
      period: '2016-11',
      region: null,
      currency: 'EUR',
      lines: [
        {
          region: 'East',
          period: '2016-11',
          category: 'hotel',
          budget: '100.00',
          expenses: '150.00',
          variance: '50.00',
          pctOfBudget: 150,
        },
        {
          region: 'East',
          period: '2016-11',
          category: 'meals',
          budget: '70.00',
          expenses: '35.00',
          variance: '-35.00',
          pctOfBudget: 50,
        },
      ],
    });
  });

  it('with includePending counts the pending budget and expense of West too', async () => {
    const body = await lines({ period: '2016-11', includePending: 'true' });
    expect(body.lines.map((l) => [l.region, l.category, l.budget, l.expenses, l.variance, l.pctOfBudget])).toEqual([
      ['East', 'hotel', '100.00', '150.00', '50.00', 150],
      ['East', 'meals', '70.00', '35.00', '-35.00', 50],
      ['West', 'hotel', '200.00', '80.00', '-120.00', 40],
    ]);
  });

  it("takes a quarter's own budgets and the quarter's expenses; a zero budget has no % of budget", async () => {
    // 150.00 in November and 40.00 in December against 300.00: 63.3 %.
    expect((await lines({ period: '2016-Q4' })).lines).toEqual([
      {
        region: 'East',
        period: '2016-Q4',
        category: 'hotel',
        budget: '300.00',
        expenses: '190.00',
        variance: '-110.00',
        pctOfBudget: 63.3,
      },
    ]);
    expect((await lines({ period: '2016-12', region: 'east' })).lines).toEqual([
      {
        region: 'East',
        period: '2016-12',
        category: 'hotel',
        budget: '0.00',
        expenses: '40.00',
        variance: '40.00',
        pctOfBudget: null,
      },
    ]);
    expect(await lines({ period: '2016', region: 'East' })).toEqual({
      period: '2016',
      region: 'East',
      currency: 'EUR',
      lines: [],
    });
  });

  it('narrows to one region: West has no approved budget in November', async () => {
    expect((await lines({ period: '2016-11', region: 'West' })).lines).toEqual([]);
    expect((await lines({ period: '2016-11', region: 'West', includePending: 'true' })).lines).toHaveLength(1);
  });

  it('refuses a bad period, an unknown parameter and a missing token', async () => {
    const bad = await api.call(budgetsVsExpensesRoute, { query: { period: '2016-13' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.jsonBody)).toContain('must be a month (2016-11), a quarter (2016-Q4) or a year (2016)');
    expect(JSON.stringify(bad.jsonBody)).toContain('period');
    const missing = await api.call(budgetsVsExpensesRoute, { query: {} });
    expect(missing.status).toBe(400);
    expect((missing.jsonBody as { error: { details: { field: string }[] } }).error.details.map((d) => d.field)).toEqual(
      ['period'],
    );
    const unknown = await api.call(budgetsVsExpensesRoute, { query: { period: '2016-11', from: '2016-11-01' } });
    expect(unknown.status).toBe(400);
    expect((unknown.jsonBody as { error: { details: { field: string; message: string }[] } }).error.details).toEqual([
      { field: 'from', message: 'is not a parameter of this endpoint' },
    ]);
    const anonymous = await api.call(budgetsVsExpensesRoute, { query: { period: '2016-11' }, user: null });
    expect(anonymous.status).toBe(401);
  });
});
