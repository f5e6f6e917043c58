// The report's "Plan vs actual" sheet of a streamed report opened by LibreOffice, checked figure by figure, with its
// chart of contract value's plan and actual by region; and planRows, which fills it from the ledgers, targets and
// budgets of the report's period.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import type { StatsRow } from '../../../shared/api';
import { ledgerData } from '../../../shared/calc';
import { parsePeriod } from '../../../shared/dates';
import { ledgerSchemas } from '../../../shared/ledgers';
import { BUDGET_SHEET, PLAN_SHEET, budgetLines, planRows } from '../../../functions/src/reports/planSheet';
import { FIRST_DATA_ROW, HEADER_ROW } from '../../../functions/src/reports/workbook';
import { emptyReport, writeReportFile } from './support';
import { openWithLibreOffice, sheet } from '../../support/libreoffice';

const ZEROS = {
  contractsSigned: 0,
  contractValue: '0.00',
  delivered: '0.00',
  returned: '0.00',
  invoiced: '0.00',
  collected: '0.00',
  expenses: '0.00',
};

const ROWS: StatsRow[] = [
  {
    period: '2016-11',
    group: 'East',
    ...ZEROS,
    contractsSigned: 2,
    contractValue: '1250.00',
    invoiced: '500.00',
    expenses: '45.00',
    plan: [
      { measure: 'contractValue', plan: '1000.00', actual: '1250.00', variance: '250.00', pctOfPlan: 125 },
      { measure: 'expenses', plan: '60.00', actual: '45.00', variance: '-15.00', pctOfPlan: 75 },
    ],
  },
  {
    period: '2016-11',
    group: 'West',
    ...ZEROS,
    plan: [{ measure: 'contractValue', plan: '400.00', actual: '0.00', variance: '-400.00', pctOfPlan: 0 }],
  },
  // No plan for North: actual only.
  { period: '2016-11', group: 'North', ...ZEROS, collected: '80.00', plan: [] },
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ledgerdesk-plan-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Plan vs actual sheet', () => {
  it('opens in LibreOffice with plan, actual, variance and % of plan per region and measure, and a chart', async () => {
    const file = path.join(dir, 'plan.xlsx');
    await writeReportFile(
      file,
      emptyReport({
        plan: ROWS,
        budgets: [
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
            actual: 0,
            variance: -10_000,
            pctOfPlan: 0,
          },
        ],
      }),
    );
    const opened = (await openWithLibreOffice([file])).workbooks.get(file);
    expect(opened?.sheetNames).toContain(PLAN_SHEET);
    const s = opened === undefined ? undefined : sheet(opened, PLAN_SHEET);
    expect(s?.rows[HEADER_ROW - 1]).toEqual([
      'Region',
      'Contract value plan (EUR)',
      'Contract value actual (EUR)',
      'Contract value variance (EUR)',
      'Contract value % of plan',
      'Invoiced plan (EUR)',
      'Invoiced actual (EUR)',
      'Invoiced variance (EUR)',
      'Invoiced % of plan',
      'Collected plan (EUR)',
      'Collected actual (EUR)',
      'Collected variance (EUR)',
      'Collected % of plan',
      'Expenses plan (EUR)',
      'Expenses actual (EUR)',
      'Expenses variance (EUR)',
      'Expenses % of plan',
    ]);
    // Money in the report's format (zero as a dash), empty where a measure has no plan.
    expect(s?.rows.slice(HEADER_ROW, HEADER_ROW + 3)).toEqual([
      [
        'East',
        '1,000.00',
        '1,250.00',
        '250.00',
        '125.0%',
        '',
        '500.00',
        '',
        '',
        '',
        '–',
        '',
        '',
        '60.00',
        '45.00',
        '-15.00',
        '75.0%',
      ],
      ['West', '400.00', '–', '-400.00', '–', '', '–', '', '', '', '–', '', '', '', '–', '', ''],
      ['North', '', '–', '', '', '', '–', '', '', '', '80.00', '', '', '', '–', '', ''],
    ]);
    // The region is text; plan and actual are numbers.
    expect(s?.text[HEADER_ROW]?.slice(0, 3)).toEqual([true, false, false]);
    // Budgets vs expenses, figure by figure.
    const b = opened === undefined ? undefined : sheet(opened, BUDGET_SHEET);
    expect(b?.rows[HEADER_ROW - 1]).toEqual([
      'Region',
      'Category',
      'Budget (EUR)',
      'Expenses (EUR)',
      'Variance (EUR)',
      '% of budget',
    ]);
    expect(b?.rows.slice(HEADER_ROW, HEADER_ROW + 2)).toEqual([
      ['East', 'hotel', '300.00', '330.00', '30.00', '110.0%'],
      ['East', 'meals', '100.00', '–', '-100.00', '–'],
    ]);
    const zip = await JSZip.loadAsync(await readFile(file));
    const charts = await Promise.all(
      Object.keys(zip.files)
        .filter((n) => /^xl\/charts\/chart\d+\.xml$/.test(n))
        .map((n) => zip.file(n)!.async('string')),
    );
    const chart = charts.find((c) => c.includes('plan and actual by region'));
    expect(chart).toContain('<a:t>Contract value: plan and actual by region</a:t>');
    const last = FIRST_DATA_ROW + ROWS.length - 1;
    expect(chart).toContain(`<c:f>'Plan vs actual'!$A$${FIRST_DATA_ROW}:$A$${last}</c:f>`);
    expect(chart).toContain(`<c:f>'Plan vs actual'!$B$${FIRST_DATA_ROW}:$B$${last}</c:f>`);
    expect(chart).toContain(`<c:f>'Plan vs actual'!$C$${FIRST_DATA_ROW}:$C$${last}</c:f>`);
  }, 120_000);

  it("planRows: the period's regions with the targets and budgets of that very period", () => {
    const data = ledgerData({
      customers: [{ customerId: 'C1', name: 'Acme', region: 'East' }],
      salespeople: [{ salespersonId: 'S1', name: 'Sam', region: 'East' }],
      contracts: [
        {
          contractId: 'K1',
          customerId: 'C1',
          salespersonId: 'S1',
          region: 'East',
          signedOn: '2016-11-08',
          paymentTermsDays: 30,
          status: 'active',
        },
      ],
      orderLines: [{ contractId: 'K1', lineNo: 1, itemCode: 'A', quantity: 2, unitPrice: 500_000 }],
    });
    const targets = [
      { targetId: 'T1', groupBy: 'region', group: 'East', period: '2016-11', measure: 'contractValue', amount: '800' },
      { targetId: 'T2', groupBy: 'region', group: 'West', period: '2016-11', measure: 'contractValue', amount: '300' },
      { targetId: 'T3', groupBy: 'region', group: 'East', period: '2016-Q4', measure: 'contractValue', amount: '9000' },
    ].map((t) => ledgerSchemas.targets.parse(t));
    const budgets = [{ budgetId: 'B1', region: 'East', period: '2016-11', category: 'hotel', amount: '20' }].map((b) =>
      ledgerSchemas.budgets.parse(b),
    );
    const rows = planRows(data, parsePeriod('2016-11'), targets, budgets);
    expect(rows.map((r) => [r.group, r.contractValue, r.plan])).toEqual([
      [
        'East',
        '100.00', // 2 × 50.00
        [
          { measure: 'contractValue', plan: '800.00', actual: '100.00', variance: '-700.00', pctOfPlan: 12.5 },
          { measure: 'expenses', plan: '20.00', actual: '0.00', variance: '-20.00', pctOfPlan: 0 },
        ],
      ],
      [
        'West',
        '0.00',
        [{ measure: 'contractValue', plan: '300.00', actual: '0.00', variance: '-300.00', pctOfPlan: 0 }],
      ],
    ]);
  });

  it("planRows: plans sit on the report's house currency, which counts contracts without a currency", () => {
    // With house currency USD, K1 (no currency) counts in USD and K2 (EUR) apart: East's plan is compared with K1's
    // 100.00, never with a total in the library default EUR; the EUR row carries no plan (an empty list).
    const contract = {
      customerId: 'C1',
      salespersonId: 'S1',
      region: 'East',
      paymentTermsDays: 30,
      status: 'active' as const,
    };
    const data = ledgerData({
      customers: [{ customerId: 'C1', name: 'Acme', region: 'East' }],
      salespeople: [{ salespersonId: 'S1', name: 'Sam', region: 'East' }],
      contracts: [
        { ...contract, contractId: 'K1', signedOn: '2016-11-08' },
        { ...contract, contractId: 'K2', signedOn: '2016-11-09', currency: 'EUR' },
      ],
      orderLines: [
        { contractId: 'K1', lineNo: 1, itemCode: 'A', quantity: 2, unitPrice: 500_000 },
        { contractId: 'K2', lineNo: 1, itemCode: 'A', quantity: 1, unitPrice: 700_000 },
      ],
    });
    const targets = [
      { targetId: 'T1', groupBy: 'region', group: 'East', period: '2016-11', measure: 'contractValue', amount: '800' },
    ].map((t) => ledgerSchemas.targets.parse(t));
    const rows = planRows(data, parsePeriod('2016-11'), targets, [], 'USD');
    expect(rows.map((r) => [r.group, r.currency, r.contractValue, r.plan?.map((p) => p.plan) ?? null])).toEqual([
      ['East', 'EUR', '70.00', []],
      ['East', 'USD', '100.00', ['800.00']],
    ]);
  });

  it("budgetLines: the report period's budgets only, against their region's expenses of that category", () => {
    const data = ledgerData({
      salespeople: [{ salespersonId: 'S1', name: 'Sam', region: 'East' }],
      expenses: [
        { expenseId: 'E1', salespersonId: 'S1', category: 'hotel', incurredOn: '2016-11-03', amount: 12_000 },
        { expenseId: 'E2', salespersonId: 'S1', category: 'hotel', incurredOn: '2016-10-30', amount: 5_000 },
      ],
    });
    const budgets = [
      { budgetId: 'B1', region: 'East', period: '2016-11', category: 'hotel', amount: '100' },
      { budgetId: 'B2', region: 'East', period: '2016-Q4', category: 'hotel', amount: '900' },
    ].map((x) => ledgerSchemas.budgets.parse(x));
    expect(budgetLines(data, parsePeriod('2016-11'), budgets)).toEqual([
      {
        region: 'East',
        period: '2016-11',
        category: 'hotel',
        measure: 'expenses',
        plan: 10_000,
        actual: 12_000,
        variance: 2_000,
        pctOfPlan: 120,
      },
    ]);
  });
});
