// Worked examples of shared/calc/plan.ts: targets and budgets against the actual figures of the same period.
import {
  budgetsVsExpenses,
  indexPlans,
  planFigure,
  planFigures,
  withPlans,
  type PlanActuals,
} from '../../../shared/calc/plan';
import { ledgerSchemas, type Budget, type Expense, type Target } from '../../../shared/ledgers';

const target = (row: Record<string, unknown>): Target => ledgerSchemas.targets.parse(row);
const budget = (row: Record<string, unknown>): Budget => ledgerSchemas.budgets.parse(row);

const TARGETS: Target[] = [
  target({
    targetId: 'T1',
    groupBy: 'region',
    group: 'East',
    period: '2016-11',
    measure: 'contractValue',
    amount: '1000',
  }),
  target({ targetId: 'T2', groupBy: 'region', group: 'East', period: '2016-11', measure: 'collected', amount: '800' }),
  target({
    targetId: 'T3',
    groupBy: 'region',
    group: 'West',
    period: '2016-11',
    measure: 'contractValue',
    amount: '500',
  }),
  target({ targetId: 'T4', groupBy: 'region', group: 'East', period: '2016-Q4', measure: 'invoiced', amount: '3000' }),
  target({ targetId: 'T5', groupBy: 'region', group: 'East', period: '2016', measure: 'collected', amount: '12000' }),
  target({
    targetId: 'T6',
    groupBy: 'salesperson',
    group: 'S1',
    period: '2016-11',
    measure: 'contractValue',
    amount: '400',
  }),
];
const BUDGETS: Budget[] = [
  budget({ budgetId: 'B1', region: 'East', period: '2016-11', category: 'hotel', amount: '300' }),
  budget({ budgetId: 'B2', region: 'East', period: '2016-11', category: 'meals', amount: '100' }),
  budget({ budgetId: 'B3', region: 'West', period: '2016-11', category: 'hotel', amount: '50' }),
];
const actuals = (a: Partial<PlanActuals>): PlanActuals => ({
  contractValue: 0,
  invoiced: 0,
  collected: 0,
  expenses: 0,
  ...a,
});

describe('planFigure', () => {
  it.each([
    // plan, actual → variance, % of plan
    [100_000, 104_500, 4_500, 104.5],
    [80_000, 60_000, -20_000, 75],
    [30_000, 10_000, -20_000, 33.3], // 33.333… rounds down
    [30_000, 20_000, -10_000, 66.7], // 66.666… rounds up
    [0, 5_000, 5_000, null], // no % of a plan of 0
  ])('plan %i, actual %i: variance %i, %s %% of plan', (plan, actual, variance, pct) => {
    expect(planFigure('collected', plan, actual)).toEqual({
      measure: 'collected',
      plan,
      actual,
      variance,
      pctOfPlan: pct,
    });
  });
});

describe('planFigures by group and period', () => {
  it('gives a region row its targets of that month and its budgets summed over categories', () => {
    const index = indexPlans('region', TARGETS, BUDGETS);
    const figures = planFigures(
      index,
      'East',
      '2016-11',
      actuals({ contractValue: 120_000, collected: 40_000, expenses: 45_000 }),
    );
    expect(figures).toEqual([
      { measure: 'contractValue', plan: 100_000, actual: 120_000, variance: 20_000, pctOfPlan: 120 },
      { measure: 'collected', plan: 80_000, actual: 40_000, variance: -40_000, pctOfPlan: 50 },
      // hotel 300 + meals 100
      { measure: 'expenses', plan: 40_000, actual: 45_000, variance: 5_000, pctOfPlan: 112.5 },
    ]);
  });

  it("compares a quarter's and a year's target with the quarter's and the year's actual, never a month's", () => {
    const index = indexPlans('region', TARGETS, BUDGETS);
    expect(planFigures(index, 'East', '2016-Q4', actuals({ invoiced: 250_000 }))).toEqual([
      { measure: 'invoiced', plan: 300_000, actual: 250_000, variance: -50_000, pctOfPlan: 83.3 },
    ]);
    expect(planFigures(index, 'East', '2016', actuals({ collected: 1_300_000 }))).toEqual([
      { measure: 'collected', plan: 1_200_000, actual: 1_300_000, variance: 100_000, pctOfPlan: 108.3 },
    ]);
    // December has no target of its own: actual only (the quarter's target is not spread over its months).
    expect(planFigures(index, 'East', '2016-12', actuals({ invoiced: 90_000 }))).toEqual([]);
  });

  it('takes salesperson targets for salesperson rows, every region summed for ungrouped rows, none by customer', () => {
    expect(
      planFigures(indexPlans('salesperson', TARGETS, BUDGETS), 'S1', '2016-11', actuals({ contractValue: 50_000 })),
    ).toEqual([{ measure: 'contractValue', plan: 40_000, actual: 50_000, variance: 10_000, pctOfPlan: 125 }]);
    // A region's name is not a salesperson's ID.
    expect(planFigures(indexPlans('salesperson', TARGETS, BUDGETS), 'East', '2016-11', actuals({}))).toEqual([]);
    expect(
      planFigures(indexPlans('none', TARGETS, BUDGETS), null, '2016-11', actuals({ contractValue: 150_000 })),
    ).toEqual([
      // East 1000 + West 500
      { measure: 'contractValue', plan: 150_000, actual: 150_000, variance: 0, pctOfPlan: 100 },
      { measure: 'collected', plan: 80_000, actual: 0, variance: -80_000, pctOfPlan: 0 },
      // East 300 + 100, West 50
      { measure: 'expenses', plan: 45_000, actual: 0, variance: -45_000, pctOfPlan: 0 },
    ]);
    expect(planFigures(indexPlans('customer', TARGETS, BUDGETS), 'East', '2016-11', actuals({}))).toEqual([]);
  });
});

describe('budgetsVsExpenses', () => {
  it("compares each budget with its region's expenses of that period and category", () => {
    const expense = (
      expenseId: string,
      salespersonId: string,
      category: string,
      incurredOn: string,
      amount: number,
    ): Expense => ({ expenseId, salespersonId, category, incurredOn, amount });
    const lines = budgetsVsExpenses(
      [...BUDGETS, budget({ budgetId: 'B4', region: 'East', period: '2016-Q4', category: 'hotel', amount: '900' })],
      [
        expense('E1', 'S1', 'hotel', '2016-11-03', 12_000),
        expense('E2', 'S2', 'hotel', '2016-11-30', 21_000), // S2 is East too
        expense('E3', 'S1', 'meals', '2016-11-04', 2_500),
        expense('E4', 'S1', 'hotel', '2016-12-01', 40_000), // December: the quarter only
        expense('E5', 'S3', 'hotel', '2016-11-05', 7_000), // West
        expense('E6', 'S3', 'taxi', '2016-11-05', 1_000), // no taxi budget: not listed
        expense('E7', 'S9', 'hotel', '2016-11-05', 9_999), // no such salesperson: no region
      ],
      [
        { salespersonId: 'S1', name: 'A', region: 'East' },
        { salespersonId: 'S2', name: 'B', region: 'East' },
        { salespersonId: 'S3', name: 'C', region: 'West' },
      ],
    );
    expect(lines).toEqual([
      {
        region: 'East',
        period: '2016-11',
        category: 'hotel',
        measure: 'expenses',
        plan: 30_000,
        actual: 33_000,
        variance: 3_000,
        pctOfPlan: 110,
      },
      {
        region: 'East',
        period: '2016-11',
        category: 'meals',
        measure: 'expenses',
        plan: 10_000,
        actual: 2_500,
        variance: -7_500,
        pctOfPlan: 25,
      },
      {
        region: 'East',
        period: '2016-Q4',
        category: 'hotel',
        measure: 'expenses',
        plan: 90_000,
        actual: 73_000,
        variance: -17_000,
        pctOfPlan: 81.1,
      },
      {
        region: 'West',
        period: '2016-11',
        category: 'hotel',
        measure: 'expenses',
        plan: 5_000,
        actual: 7_000,
        variance: 2_000,
        pctOfPlan: 140,
      },
    ]);
  });
});

describe('targets and budgets ledgers', () => {
  it('accept a month, a quarter or a year and refuse any other period', () => {
    expect(
      target({ targetId: 'T7', groupBy: 'region', group: 'East', period: '2016-Q4', measure: 'invoiced', amount: '1' })
        .amount,
    ).toBe(100);
    for (const period of ['2016-13', '2016-Q5', '16', '2016-11-01'])
      expect(
        ledgerSchemas.budgets.safeParse({ budgetId: 'B', region: 'East', period, category: 'hotel', amount: '1' }).error
          ?.issues[0]?.message,
      ).toBe('must be a month (2016-11), a quarter (2016-Q4) or a year (2016)');
    expect(
      ledgerSchemas.targets.safeParse({
        groupBy: 'customer',
        group: 'C',
        period: '2016',
        measure: 'invoiced',
        amount: '1',
      }).success,
    ).toBe(false);
    expect(
      ledgerSchemas.targets.safeParse({
        groupBy: 'region',
        group: 'E',
        period: '2016',
        measure: 'invoiced',
        amount: '-1',
      }).success,
    ).toBe(false);
  });
});

describe('budgets and targets of the same group, period and measure', () => {
  it('add up', () => {
    const extra = budget({ budgetId: 'B9', region: 'East', period: '2016-11', category: 'meals', amount: '50' });
    const expense = {
      expenseId: 'E1',
      salespersonId: 'S1',
      category: 'meals',
      incurredOn: '2016-11-04',
      amount: 6_000,
    };
    expect(
      budgetsVsExpenses(
        [BUDGETS[1] as Budget, extra],
        [expense as Expense],
        [{ salespersonId: 'S1', name: 'A', region: 'East' }],
      ),
    ).toEqual([
      {
        region: 'East',
        period: '2016-11',
        category: 'meals',
        measure: 'expenses',
        plan: 15_000,
        actual: 6_000,
        variance: -9_000,
        pctOfPlan: 40,
      },
    ]);
    const twice = [TARGETS[0] as Target, { ...(TARGETS[0] as Target), targetId: 'T9' }];
    expect(
      planFigures(indexPlans('region', twice, []), 'East', '2016-11', actuals({ contractValue: 100_000 })),
    ).toEqual([{ measure: 'contractValue', plan: 200_000, actual: 100_000, variance: -100_000, pctOfPlan: 50 }]);
  });
});

describe('plans and currencies', () => {
  it('give the plan to the house currency row only; a row in another currency has none, and a plan alone is a house row', () => {
    const zero = {
      contractsSigned: 0,
      delivered: '0.00',
      returned: '0.00',
      invoiced: '0.00',
      collected: '0.00',
      expenses: '0.00',
    };
    const rows = withPlans(
      [
        { ...zero, period: '2016-11', group: 'East', currency: 'EUR', contractValue: '1200.00' },
        { ...zero, period: '2016-11', group: 'East', currency: 'USD', contractValue: '5000.00' },
      ],
      { period: 'month', from: '2016-11-01', to: '2016-11-30', groupBy: 'region' },
      TARGETS,
      [],
      'EUR',
    );
    const contractValue = (currency: string, group: string) =>
      rows.find((r) => r.currency === currency && r.group === group)?.plan?.find((p) => p.measure === 'contractValue');
    expect(contractValue('EUR', 'East')).toMatchObject({ plan: '1000.00', actual: '1200.00', pctOfPlan: 120 });
    expect(rows.find((r) => r.currency === 'USD')?.plan).toEqual([]);
    // West has a target and no figures: a row of zeros in the house currency.
    expect(contractValue('EUR', 'West')).toMatchObject({ plan: '500.00', actual: '0.00' });
    expect(rows.map((r) => `${r.group} ${r.currency}`)).toEqual(['East EUR', 'East USD', 'West EUR']);
  });
});
