// Tests addin/flows/reports.ts (the pane's Reports section) against the real local API on Azurite: make, list, fetch.
import ExcelJS from 'exceljs';
import { devTokenProvider } from '../../../addin/flows/apiClient';
import { openWorkbookInExcel, toBase64 } from '../../../addin/excel/openWorkbook';
import {
  createReportsClient,
  defaultReportPeriod,
  periodProblem,
  reportRows,
  type ReportsClient,
} from '../../../addin/flows/reports';
import { SHEETS } from '../../../functions/src/reports/workbook';
import { startLocalApi, type LocalApi } from '../support/localApi';

describe('Reports section against the local API', () => {
  let api: LocalApi;
  let manager: ReportsClient;
  let clerk: ReportsClient;

  beforeAll(async () => {
    api = await startLocalApi();
    const as = async (user: string, roles: ('manager' | 'clerk')[]) =>
      createReportsClient({ baseUrl: api.url, tokens: devTokenProvider(await api.token(user, roles)) });
    manager = await as('mia.manager', ['manager']);
    clerk = await as('kim.clerk', ['clerk']);
  });
  afterAll(() => api.close());

  test('"Make report now" stores a new version each time; the list shows period, version, maker and time', async () => {
    const first = await manager.make('2014-Q2');
    const second = await manager.make('2014-Q2');
    expect([first.reportId, second.reportId]).toEqual(['2014-Q2-v1', '2014-Q2-v2']);
    const rows = reportRows(await clerk.list('2014-Q2'));
    expect(rows.map((r) => [r.reportId, r.period, r.version, r.madeBy])).toEqual([
      ['2014-Q2-v2', '2014-Q2', 'v2', 'mia.manager'],
      ['2014-Q2-v1', '2014-Q2', 'v1', 'mia.manager'],
    ]);
    expect(rows[0]?.when).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    expect(rows[0]?.when.slice(0, 10)).toBe(new Date().toISOString().slice(0, 10));
  });

  test('Open/Download fetch the workbook with the token: the report file and its name', async () => {
    const file = await clerk.download('2014-Q2-v1');
    expect(file.filename).toBe('ledgerdesk-report-2014-Q2-v1.xlsx');
    const stored = (await clerk.list('2014-Q2')).find((r) => r.reportId === '2014-Q2-v1');
    expect(file.bytes.byteLength).toBe(stored?.sizeBytes);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.bytes);
    expect(book.getWorksheet(SHEETS.summary)?.getCell('A1').text).toBe(
      'Statistics by region, 2014-Q2 (2014-04-01 to 2014-06-30)',
    );
    // What Open hands Excel.createWorkbook: the same bytes as base64.
    expect(Buffer.from(toBase64(file.bytes), 'base64').equals(Buffer.from(file.bytes))).toBe(true);
  });

  test('errors come back as the API says them: a clerk may not make reports, an unknown report is 404', async () => {
    await expect(clerk.make('2014-Q2')).rejects.toMatchObject({ status: 403, code: 'forbidden' });
    await expect(clerk.download('2014-Q2-v9')).rejects.toMatchObject({ status: 404, code: 'not_found' });
    await expect(manager.make('2014-13')).rejects.toMatchObject({ status: 400, code: 'invalid' });
  });
});

describe('Reports section helpers', () => {
  test('the default period is the month before today, across a year boundary', () => {
    expect(defaultReportPeriod(new Date('2017-01-05T10:00:00Z'))).toBe('2016-12');
    expect(defaultReportPeriod(new Date('2016-03-31T23:00:00Z'))).toBe('2016-02');
  });

  test('a period is checked before anything is sent', () => {
    expect(periodProblem('2016-Q4')).toBeUndefined();
    expect(periodProblem(' 2016 ')).toBeUndefined();
    expect(periodProblem('Q4 2016')).toBe('Type a month (2016-11), a quarter (2016-Q4) or a year (2016).');
  });

  test('base64 of a large workbook does not overflow the stack and round-trips', () => {
    const bytes = new Uint8Array(300_000).map((_, i) => (i * 7) % 256);
    expect(Buffer.from(toBase64(bytes.buffer), 'base64').equals(Buffer.from(bytes))).toBe(true);
  });
});

describe('Open in Excel (addin/excel/openWorkbook.ts)', () => {
  const g = globalThis as { Excel?: unknown };
  afterEach(() => {
    delete g.Excel;
  });

  test('hands Excel.createWorkbook the workbook as base64 where the host has it', async () => {
    const calls: string[] = [];
    g.Excel = { createWorkbook: (base64: string) => Promise.resolve(void calls.push(base64)) };
    const bytes = new Uint8Array([80, 75, 3, 4, 255, 0, 1]).buffer;
    expect(await openWorkbookInExcel(bytes)).toBe(true);
    expect(calls).toEqual([Buffer.from(bytes).toString('base64')]);
  });

  test('reports false (the pane downloads instead) where Excel cannot create a workbook', async () => {
    expect(await openWorkbookInExcel(new ArrayBuffer(4))).toBe(false);
    g.Excel = {};
    expect(await openWorkbookInExcel(new ArrayBuffer(4))).toBe(false);
  });
});
