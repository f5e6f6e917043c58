// GET /api/stats?withPlan=true on Azurite: targets and budgets (four eyes like every ledger) against the statistics
// of the same group and period.
import type { ApprovalsResponse, StatsRow } from '../../../shared/api';
import type { LedgerName } from '../../../shared/ledgers';
import { setConfigForTests } from '../../../functions/src/config';
import { approveLedgerRowsRoute } from '../../../functions/src/functions/approveLedgerRows';
import { statsRoute } from '../../../functions/src/functions/stats';
import { registerFigureProjection } from '../../../functions/src/figures/projection';
import { ledgerApi, REVIEWER, type LedgerApi } from '../../support/ledgerApi';
import { approveSeededParents, put, seedParents } from '../../support/ledgerFixtures';
import { seenNow } from '../../support/seen';

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

async function stats(query: Record<string, string>): Promise<StatsRow[]> {
  const res = await api.call(statsRoute, { query });
  expect(res.status).toBe(200);
  return (res.jsonBody as { rows: StatsRow[] }).rows;
}

const NOV_DEC = { period: 'month', from: '2016-11-01', to: '2016-12-31' };
const ZEROS = {
  contractsSigned: 0,
  contractValue: '0.00',
  delivered: '0.00',
  returned: '0.00',
  invoiced: '0.00',
  collected: '0.00',
  expenses: '0.00',
};

beforeAll(async () => {
  api = ledgerApi();
  unregister = registerFigureProjection();
  await seedParents(api); // SP1 (East), contract K1 signed 2016-11-08: 3 × 10.50 + 1 × 99.00 = 130.50
  await approveSeededParents(api);
  expect(await approve('orderLines', ['K1~1', 'K1~2'])).toEqual(['approved', 'approved']);
  const targets = [
    { targetId: 'T1', groupBy: 'region', group: 'East', period: '2016-11', measure: 'contractValue', amount: '100' },
    { targetId: 'T2', groupBy: 'region', group: 'East', period: '2016-12', measure: 'collected', amount: '50' },
    { targetId: 'T3', groupBy: 'region', group: 'East', period: '2016-Q4', measure: 'contractValue', amount: '500' },
    {
      targetId: 'T4',
      groupBy: 'salesperson',
      group: 'SP1',
      period: '2016-11',
      measure: 'contractValue',
      amount: '200',
    },
  ];
  expect((await put(api, 'targets', targets)).map((r) => r.status)).toEqual(targets.map(() => 'created'));
  const budgets = [{ budgetId: 'B1', region: 'East', period: '2016-11', category: 'hotel', amount: '80' }];
  expect((await put(api, 'budgets', budgets)).map((r) => r.status)).toEqual(['created']);
  // The salesperson's target stays pending: it counts only with includePending.
  expect(await approve('targets', ['T1', 'T2', 'T3'])).toEqual(['approved', 'approved', 'approved']);
  expect(await approve('budgets', ['B1'])).toEqual(['approved']);
});
afterAll(() => {
  unregister();
  setConfigForTests(undefined);
});

describe('GET /api/stats?withPlan=true', () => {
  it("adds each month's plan, actual, variance and % of plan, and a month with a plan but no figures", async () => {
    expect(await stats({ ...NOV_DEC, groupBy: 'region', withPlan: 'true' })).toEqual([
      {
        period: '2016-11',
        group: 'East',
        currency: 'EUR',
        ...ZEROS,
        contractsSigned: 1,
        contractValue: '130.50',
        plan: [
          { measure: 'contractValue', plan: '100.00', actual: '130.50', variance: '30.50', pctOfPlan: 130.5 },
          { measure: 'expenses', plan: '80.00', actual: '0.00', variance: '-80.00', pctOfPlan: 0 },
        ],
      },
      {
        period: '2016-12',
        group: 'East',
        currency: 'EUR',
        ...ZEROS,
        plan: [{ measure: 'collected', plan: '50.00', actual: '0.00', variance: '-50.00', pctOfPlan: 0 }],
      },
    ]);
  });

  it('leaves the rows as they were without withPlan', async () => {
    expect(await stats({ ...NOV_DEC, groupBy: 'region' })).toEqual([
      { period: '2016-11', group: 'East', currency: 'EUR', ...ZEROS, contractsSigned: 1, contractValue: '130.50' },
    ]);
  });

  it("compares the quarter's target with the quarter's actual", async () => {
    expect(await stats({ ...NOV_DEC, period: 'quarter', groupBy: 'region', withPlan: 'true' })).toEqual([
      {
        period: '2016-Q4',
        group: 'East',
        currency: 'EUR',
        ...ZEROS,
        contractsSigned: 1,
        contractValue: '130.50',
        plan: [{ measure: 'contractValue', plan: '500.00', actual: '130.50', variance: '-369.50', pctOfPlan: 26.1 }],
      },
    ]);
  });

  it('counts a pending target only with includePending', async () => {
    const bySalesperson = { ...NOV_DEC, period: 'month', groupBy: 'salesperson', withPlan: 'true' };
    expect((await stats(bySalesperson)).map((r) => [r.period, r.group, r.plan])).toEqual([['2016-11', 'SP1', []]]);
    expect((await stats({ ...bySalesperson, includePending: 'true' })).map((r) => [r.period, r.group, r.plan])).toEqual(
      [
        [
          '2016-11',
          'SP1',
          [{ measure: 'contractValue', plan: '200.00', actual: '130.50', variance: '-69.50', pctOfPlan: 65.3 }],
        ],
      ],
    );
  });

  it('refuses a bad withPlan and a target for a period that is not one', async () => {
    const res = await api.call(statsRoute, { query: { ...NOV_DEC, withPlan: 'yes' } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.jsonBody)).toContain('withPlan');
    const [bad] = await put(api, 'targets', [
      { targetId: 'T5', groupBy: 'region', group: 'East', period: '2016-11-30', measure: 'invoiced', amount: '1' },
    ]);
    expect(bad?.status).toBe('invalid');
    expect(JSON.stringify(bad)).toContain('must be a month (2016-11), a quarter (2016-Q4) or a year (2016)');
  });
});
