// The report's "Salespeople's month" sheet of a streamed report opened by LibreOffice: headers, text kept as text
// (formula-like names and _xHHHH_ included), money as numbers in the report's format, days empty without attendance;
// and buildReportData fills it from the shared assessment for every month of the period.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AssessmentRowWire } from '../../../shared/api';
import { ledgerData } from '../../../shared/calc';
import { parsePeriod } from '../../../shared/dates';
import { ASSESSMENT_SHEET } from '../../../functions/src/reports/assessmentSheet';
import { buildReportData } from '../../../functions/src/reports/reportData';
import { HEADER_ROW } from '../../../functions/src/reports/workbook';
import { emptyReport, writeReportFile } from './support';
import { openWithLibreOffice, sheet } from '../../support/libreoffice';

const row = (id: string, name: string, extra: Partial<AssessmentRowWire> = {}): AssessmentRowWire => ({
  salespersonId: id,
  name,
  region: 'East',
  workingDays: 21,
  absentDays: 1,
  leaveDays: 0,
  tripDays: 3,
  contractsSigned: 2,
  contractValue: '1234.50',
  delivered: '100.00',
  invoiced: '90.00',
  collected: '80.00',
  overdue: '10.00',
  expenses: '300.00',
  reimbursable: '250.00',
  expensesPerTripDay: '100.00',
  expenseFindings: 2,
  commission: '2.40',
  currency: 'EUR',
  otherCurrencies: [],
  ...extra,
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ledgerdesk-assessment-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("Salespeople's month sheet", () => {
  it('opens in LibreOffice with the rows as written', async () => {
    const file = path.join(dir, 'assessment.xlsx');
    await writeReportFile(
      file,
      emptyReport({
        assessment: [
          {
            month: '2016-11',
            rows: [
              row('SP1', '=SUM(1)'),
              row('SP2', 'a_x0041_b', {
                workingDays: null,
                absentDays: null,
                leaveDays: null,
                expensesPerTripDay: null,
                tripDays: 0,
                otherCurrencies: ['CHF', 'USD'],
              }),
            ],
          },
          { month: '2016-12', rows: [row('SP1', '=SUM(1)', { commission: '-1.50' })] },
        ],
      }),
    );
    const opened = (await openWithLibreOffice([file])).workbooks.get(file);
    expect(opened?.sheetNames).toContain(ASSESSMENT_SHEET);
    const s = opened === undefined ? undefined : sheet(opened, ASSESSMENT_SHEET);
    expect(s?.rows[HEADER_ROW - 1]?.slice(0, 5)).toEqual(['Month', 'Salesperson ID', 'Name', 'Region', 'Working days']);
    expect(s?.rows[HEADER_ROW - 1]?.[9]).toBe('Contract value (EUR)');
    expect(s?.rows.slice(HEADER_ROW)).toEqual([
      [
        '2016-11',
        'SP1',
        '=SUM(1)',
        'East',
        '21',
        '1',
        '0',
        '3',
        '2',
        '1,234.50',
        '100.00',
        '90.00',
        '80.00',
        '10.00',
        '300.00',
        '250.00',
        '100.00',
        '2',
        '2.40',
        'EUR',
        '',
      ],
      [
        '2016-11',
        'SP2',
        'a_x0041_b',
        'East',
        '',
        '',
        '',
        '0',
        '2',
        '1,234.50',
        '100.00',
        '90.00',
        '80.00',
        '10.00',
        '300.00',
        '250.00',
        '',
        '2',
        '2.40',
        'EUR',
        'CHF, USD',
      ],
      [
        '2016-12',
        'SP1',
        '=SUM(1)',
        'East',
        '21',
        '1',
        '0',
        '3',
        '2',
        '1,234.50',
        '100.00',
        '90.00',
        '80.00',
        '10.00',
        '300.00',
        '250.00',
        '100.00',
        '2',
        '-1.50',
        'EUR',
        '',
      ],
    ]);
    // Names are text cells (never formulas); the figures are numbers.
    expect(s?.text[HEADER_ROW]?.slice(0, 5)).toEqual([true, true, true, true, false]);
  }, 120_000);

  it('buildReportData gives a quarter one block per month', () => {
    const data = ledgerData({ salespeople: [{ salespersonId: 'S1', name: 'Sam', region: 'East' }] });
    const report = buildReportData(data, parsePeriod('2016-Q4'), {
      generatedAt: new Date('2017-01-01T02:00:00Z'),
      generatedBy: 'timer',
      appVersion: 'test',
      currency: 'EUR',
    });
    expect(report.assessment?.map((m) => [m.month, m.rows.map((r) => [r.salespersonId, r.commission])])).toEqual([
      ['2016-10', [['S1', '0.00']]],
      ['2016-11', [['S1', '0.00']]],
      ['2016-12', [['S1', '0.00']]],
    ]);
  });
});
