// End to end against Azurite: POST/GET/list reports, the workbook in LibreOffice equals shared/calc on the approved rows, versions, timer.
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import JSZip from 'jszip';
import { HttpRequest, InvocationContext, type HttpResponseInit, type Timer } from '@azure/functions';
import { reportCreated, reportList, type ReportInfo } from '../../../shared/api';
import { computeReceivables } from '../../../shared/calc/aging';
import { ledgerData, type LedgerData } from '../../../shared/calc';
import { parsePeriod } from '../../../shared/dates';
import { checkInvoices } from '../../../shared/calc/invoiceCheck';
import { contractsWithOpenItems } from '../../../shared/calc/performance';
import { computeStatistics } from '../../../shared/calc/statistics';
import { completeRow, keyOf, parseRow, type LedgerName, type LedgerRecord } from '../../../shared/ledgers';
import { setConfigForTests, type Config } from '../../../functions/src/config';
import { signDevToken } from '../../../functions/src/auth/devKey';
import type { Role } from '../../../functions/src/auth/roles';
import { createReportRoute } from '../../../functions/src/functions/reportsCreate';
import { getReportRoute } from '../../../functions/src/functions/reportsGet';
import { listReportsRoute } from '../../../functions/src/functions/reportsList';
import {
  annualReportTimer,
  monthlyReport,
  monthlyReportTimer,
  quarterlyReportTimer,
  scheduledReport,
  TIMER_USER,
  TIMER_USERS,
} from '../../../functions/src/functions/reportTimer';
import type { StoredReport } from '../../../functions/src/reports/reportStore';
import { duePeriod, listReports, timerReportPeriod } from '../../../functions/src/reports/service';
import { startTimerScheduler } from '../../../local/scheduler';
import { main as reportCli } from '../../../functions/src/cli/report';
import { withApiBoundary, type Route } from '../../../functions/src/http/route';
import { nextOccurrence, parseNcrontab } from '../../../local/ncrontab';
import { CONTENT_TYPE, FIRST_DATA_ROW, HEADER_ROW, SHEETS } from '../../../functions/src/reports/workbook';
import { ASSESSMENT_SHEET } from '../../../functions/src/reports/assessmentSheet';
import { routes } from '../../../functions/src/routes';
import { timers } from '../../../functions/src/timers';
import { approveRows } from '../../../functions/src/services/approvals';
import { seenNow } from '../../support/seen';
import { putRows } from '../../../functions/src/services/putRows';
import { useTestConfig } from '../../support/azurite';
import {
  centsFromDisplay,
  openWithLibreOffice,
  sheet,
  type CsvSheet,
  type OpenedWorkbook,
} from '../../support/libreoffice';

const BASE = 'http://127.0.0.1:7071/api/';
const CLERK = 'clerk.kim';
const REVIEWER = 'reviewer.rui';

// Approved ledger rows (wire form), in publishing order. Worked figures for 2016-11 are in the tests below.
const APPROVED: [LedgerName, Record<string, unknown>[]][] = [
  [
    'customers',
    [
      { customerId: 'C1', name: 'Acme', region: 'East' },
      { customerId: 'C2', name: '=HYPERLINK("x")', region: 'West' },
    ],
  ],
  [
    'salespeople',
    [
      { salespersonId: 'S1', name: 'Sam', region: 'East', commissionRate: '0.03' },
      { salespersonId: 'S2', name: '+Sue', region: 'West', commissionRate: '0.025' },
    ],
  ],
  [
    'contracts',
    [
      { contractId: 'K1', customerId: 'C1', salespersonId: 'S1', region: 'East', signedOn: '2016-11-02' },
      { contractId: 'K2', customerId: 'C2', salespersonId: 'S2', region: 'West', signedOn: '2016-10-15' },
    ],
  ],
  [
    'orderLines',
    [
      { contractId: 'K1', lineNo: 1, itemCode: 'ITEM-A', quantity: 10, unitPrice: '12.50' },
      { contractId: 'K1', lineNo: 2, itemCode: 'ITEM-B', quantity: 5, unitPrice: '3.3333' },
      { contractId: 'K2', lineNo: 1, itemCode: 'ITEM-C', quantity: 4, unitPrice: '100.00' },
    ],
  ],
  [
    'deliveries',
    [
      { deliveryId: 'D1', contractId: 'K1', itemCode: 'ITEM-A', quantity: 6, date: '2016-11-05' },
      {
        deliveryId: 'D2',
        contractId: 'K1',
        itemCode: 'ITEM-A',
        quantity: 1,
        kind: 'return',
        returnReason: 'damaged',
        date: '2016-11-10',
      },
      { deliveryId: 'D3', contractId: 'K2', itemCode: 'ITEM-C', quantity: 4, date: '2016-10-20' },
      { deliveryId: 'D4', contractId: 'K1', itemCode: 'ITEM-B', quantity: 5, date: '2016-12-05' },
    ],
  ],
  [
    'invoices',
    [
      { invoiceNo: 'I1', contractId: 'K1', issuedOn: '2016-11-06' },
      { invoiceNo: 'I2', contractId: 'K2', issuedOn: '2016-10-21' },
    ],
  ],
  [
    'invoiceLines',
    [
      { invoiceNo: 'I1', lineNo: 1, itemCode: 'ITEM-A', quantity: 6, unitPrice: '12.50' },
      { invoiceNo: 'I1', lineNo: 2, itemCode: 'ITEM-B', quantity: 1, unitPrice: '3.3333' },
      { invoiceNo: 'I1', lineNo: 3, itemCode: 'ITEM-Z', quantity: 1, unitPrice: '1.00' },
      { invoiceNo: 'I2', lineNo: 1, itemCode: 'ITEM-C', quantity: 4, unitPrice: '101.00' },
    ],
  ],
  [
    'payments',
    [
      { paymentId: 'P1', contractId: 'K1', invoiceNo: 'I1', receivedOn: '2016-11-20', amount: '50.00' },
      { paymentId: 'P2', contractId: 'K2', receivedOn: '2016-11-10', amount: '150.00' },
    ],
  ],
  [
    'expenses',
    [{ expenseId: 'E1', salespersonId: 'S1', category: 'travel', incurredOn: '2016-11-08', amount: '42.42' }],
  ],
];

// Pending rows: never approved, so no report may show them.
const PENDING: [LedgerName, Record<string, unknown>[]][] = [
  ['contracts', [{ contractId: 'K3', customerId: 'C1', salespersonId: 'S1', region: 'East', signedOn: '2016-11-20' }]],
  ['orderLines', [{ contractId: 'K3', lineNo: 1, itemCode: 'ITEM-A', quantity: 1000, unitPrice: '1000.00' }]],
  ['invoices', [{ invoiceNo: 'I3', contractId: 'K1', issuedOn: '2016-11-25' }]],
  ['invoiceLines', [{ invoiceNo: 'I3', lineNo: 1, itemCode: 'ITEM-A', quantity: 99, unitPrice: '77.00' }]],
  [
    'expenses',
    [{ expenseId: 'E2', salespersonId: 'S2', category: 'meals', incurredOn: '2016-11-09', amount: '10.00' }],
  ],
];

let config: Config;
let dir: string;
const tokens = new Map<Role, string>();
const quiet = () => new InvocationContext({ functionName: 'reports', logHandler: () => undefined });

function request(method: 'GET' | 'POST', url: string, role: Role | null, body?: unknown): HttpRequest {
  const headers: Record<string, string> = {};
  if (role !== null) headers.authorization = `Bearer ${tokens.get(role)}`;
  return new HttpRequest({
    method,
    url: new URL(url, BASE).href,
    headers,
    ...(body === undefined ? {} : { body: { string: JSON.stringify(body) } }),
    ...(url.startsWith('reports/')
      ? { params: { reportId: decodeURIComponent(url.slice('reports/'.length).split('?')[0] ?? '') } }
      : {}),
  });
}

function call(route: Route, req: HttpRequest): Promise<HttpResponseInit> {
  return withApiBoundary(route)(req, quiet());
}

async function post(period: unknown, role: Role = 'manager'): Promise<HttpResponseInit> {
  return call(createReportRoute, request('POST', 'reports', role, { period }));
}

async function download(reportId: string, file: string): Promise<HttpResponseInit> {
  const res = await call(getReportRoute, request('GET', `reports/${encodeURIComponent(reportId)}`, 'clerk'));
  expect(res.status).toBe(200);
  await pipeline(res.body as Readable, createWriteStream(file));
  return res;
}

/** The approved rows as the calculations see them, built from the test's own rows (not read back from storage). */
function approvedLedgers(until: string): LedgerData {
  const parsed = new Map<LedgerName, LedgerRecord<LedgerName>[]>();
  const contracts = new Map<string, number>();
  for (const [name, rows] of APPROVED) {
    const records = rows.map((row) => {
      const r = parseRow(name, row);
      if (!r.ok) throw new Error(`fixture ${name} ${JSON.stringify(r.errors)}`);
      return completeRow(name, r.record, {
        defaultCurrency: config.defaultCurrency,
        paymentTermsDays: (id) => contracts.get(id),
      });
    });
    if (name === 'contracts')
      for (const c of records as LedgerRecord<'contracts'>[]) contracts.set(c.contractId, c.paymentTermsDays);
    parsed.set(name, records);
  }
  const get = <L extends LedgerName>(n: L) => (parsed.get(n) ?? []) as LedgerRecord<L>[];
  const invoices = get('invoices').filter((i) => i.issuedOn <= until);
  const kept = new Set(invoices.map((i) => i.invoiceNo));
  return ledgerData({
    customers: get('customers'),
    salespeople: get('salespeople'),
    contracts: get('contracts'),
    orderLines: get('orderLines'),
    deliveries: get('deliveries').filter((d) => d.date <= until),
    invoices,
    invoiceLines: get('invoiceLines').filter((l) => kept.has(l.invoiceNo)),
    payments: get('payments').filter((p) => p.receivedOn <= until),
    expenses: get('expenses').filter((e) => e.incurredOn <= until),
  });
}

let november: ReportInfo;
let novemberAgain: ReportInfo;
let empty: ReportInfo;
let byTimer: string;
let sameDayAgain: StoredReport | undefined;
let quarter: StoredReport;
let quarterAgain: StoredReport | undefined;
let year: StoredReport;
let yearAgain: StoredReport | undefined;
let earlyMonth: StoredReport | undefined;
let firstStartCatchUp: StoredReport | undefined;
let firstStartByTimers = -1;
let lo: Map<string, OpenedWorkbook>;
let loMs: number;
const files = new Map<string, string>();

beforeAll(async () => {
  config = useTestConfig();
  if (config.auth.mode !== 'local') throw new Error('tests run in local mode');
  const keyFile = config.auth.signingKeyFile;
  for (const role of ['manager', 'finance', 'admin', 'clerk', 'reviewer'] as Role[]) {
    tokens.set(role, await signDevToken(keyFile, { user: `${role}.user`, roles: [role] }));
  }
  dir = await mkdtemp(path.join(tmpdir(), 'ld-reports-'));

  for (const [name, rows] of APPROVED) {
    const results = await putRows(name, rows, CLERK);
    expect(results.map((r) => r.status)).toEqual(rows.map(() => 'created'));
    const approved = await approveRows(
      name,
      await seenNow(
        name,
        rows.map((r) => keyOf(name, r)),
      ),
      REVIEWER,
    );
    expect(approved.results.every((r) => r.status === 'approved')).toBe(true);
  }
  for (const [name, rows] of PENDING) {
    const results = await putRows(name, rows, CLERK);
    expect(results.map((r) => r.status)).toEqual(rows.map(() => 'created'));
  }
  // A pending change to an approved payment: the approved 150.00 stays in effect.
  const [p2] = await putRows(
    'payments',
    [{ paymentId: 'P2', contractId: 'K2', receivedOn: '2016-11-10', amount: '150.00' }],
    CLERK,
  );
  expect(p2?.status).toBe('unchanged');
  const [changed] = await putRows(
    'payments',
    [{ paymentId: 'P2', contractId: 'K2', receivedOn: '2016-11-10', amount: '999.99', etag: p2?.etag }],
    CLERK,
  );
  expect(changed?.status).toBe('updated');

  const created = await post('2016-11');
  expect(created.status).toBe(201);
  const body = reportCreated.parse(created.jsonBody);
  const again = reportCreated.parse((await post('2016-11', 'finance')).jsonBody);
  const list = reportList.parse(
    (await call(listReportsRoute, request('GET', 'reports?period=2016-11', 'reviewer'))).jsonBody,
  ).reports;
  november = list.find((r) => r.reportId === body.reportId)!;
  novemberAgain = list.find((r) => r.reportId === again.reportId)!;
  const emptyCreated = reportCreated.parse((await post('2015-02', 'admin')).jsonBody);
  empty = reportList.parse((await call(listReportsRoute, request('GET', 'reports?period=2015-02', 'clerk'))).jsonBody)
    .reports[0]!;
  expect(empty.reportId).toBe(emptyCreated.reportId);

  const timerCtx = quiet();
  // The first start of a store whose timers never ran: the past-due catch-up has nothing to make up.
  firstStartCatchUp = await scheduledReport('month', timerCtx, new Date('2016-12-03T10:00:00Z'), { pastDue: true });
  firstStartByTimers = (await listReports()).filter((r) => r.createdBy.startsWith('timer:')).length;
  await monthlyReport({} as Timer, timerCtx, new Date('2016-12-01T02:00:07Z'));
  const afterTimer = reportList.parse(
    (await call(listReportsRoute, request('GET', 'reports?period=2016-11', 'clerk'))).jsonBody,
  ).reports;
  byTimer = afterTimer.find((r) => r.createdBy === TIMER_USER)!.reportId;
  // Run again the same day: the timer's report of 2016-11 is there, no second one.
  sameDayAgain = await scheduledReport('month', timerCtx, new Date('2016-12-01T09:30:00Z'));
  // The quarter on time at 02:00 on the first day after it, then again the same afternoon.
  quarter = (await scheduledReport('quarter', timerCtx, new Date('2017-01-01T02:00:05Z')))!;
  quarterAgain = await scheduledReport('quarter', timerCtx, new Date('2017-01-01T14:00:00Z'));
  // The host was down over New Year: the annual run is caught up at the next start, two days late, once.
  year = (await scheduledReport('year', timerCtx, new Date('2017-01-03T10:00:00Z')))!;
  yearAgain = await scheduledReport('year', timerCtx, new Date('2017-01-03T11:00:00Z'));
  // A start at 01:30 on the 1st, before the monthly run is due: December is not due yet, November was made.
  earlyMonth = await scheduledReport('month', timerCtx, new Date('2017-01-01T01:30:00Z'));

  for (const [key, id] of [
    ['november', november.reportId],
    ['again', novemberAgain.reportId],
    ['empty', empty.reportId],
    ['timer', byTimer],
    ['quarter', quarter.reportId],
    ['year', year.reportId],
  ] as const) {
    const file = path.join(dir, `${key}.xlsx`);
    await download(id, file);
    files.set(key, file);
  }
  const run = await openWithLibreOffice([...files.values()]);
  lo = run.workbooks;
  loMs = run.elapsedMs;
  console.info(`LibreOffice opened and exported ${files.size} downloaded reports in ${Math.round(loMs)} ms`);
}, 180_000);

afterAll(async () => {
  setConfigForTests(undefined);
  await rm(dir, { recursive: true, force: true });
});

const wb = (key: string) => lo.get(files.get(key)!)!;
const EUR = () => config.defaultCurrency;
const money = (display: string | undefined) => centsFromDisplay(display ?? '');
function rowsOf(s: CsvSheet): string[][] {
  return s.rows.slice(FIRST_DATA_ROW - 1);
}
/** The first table's data rows and its totals row (the Summary has more tables below it). */
function firstTable(s: CsvSheet): string[][] {
  const rows = rowsOf(s);
  const total = rows.findIndex((r) => r[0] === 'Total');
  return total < 0 ? rows : rows.slice(0, total + 1);
}
/** The rows of the Summary table whose header row starts with `first`, up to the first blank row. */
function tableAfter(s: CsvSheet, first: string): string[][] {
  const header = s.rows.findIndex((r) => r[0] === first);
  if (header < 0) throw new Error(`no table headed ${first}`);
  const out: string[][] = [];
  for (let i = header + 1; i < s.rows.length && (s.rows[i]?.[0] ?? '') !== ''; i++) out.push(s.rows[i] ?? []);
  return out;
}

describe('POST /api/reports', () => {
  test('answers 201 with the reportId and its URL, and makes a new version each time', () => {
    expect(november.reportId).toBe('2016-11-v1');
    expect(november.url).toBe(`${BASE}reports/2016-11-v1`);
    expect(novemberAgain.reportId).toBe('2016-11-v2');
    expect(november.createdBy).toBe('manager.user');
    expect(novemberAgain.createdBy).toBe('finance.user');
    expect(november.sizeBytes).toBeGreaterThan(1000);
  });

  test('a bad period is a 400 naming period', async () => {
    for (const period of ['2016-13', '16-11', '2016-Q5', 2016, '']) {
      const res = await post(period);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.jsonBody)).toContain('body.period');
    }
    const missing = await call(createReportRoute, request('POST', 'reports', 'manager', {}));
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.jsonBody)).toContain('period');
    const future = await post('2999-01');
    expect(future.status).toBe(400);
    expect(JSON.stringify(future.jsonBody)).toContain('has not started');
    // The message names the problem itself, so the pane can show it once without repeating the details.
    expect((future.jsonBody as { error: { message: string } }).error.message).toBe(
      'The request body is invalid: period 2999-01 has not started yet.',
    );
  });

  test('needs manager, finance or admin; no token is a 401', async () => {
    expect((await post('2016-11', 'clerk')).status).toBe(403);
    expect((await post('2016-11', 'reviewer')).status).toBe(403);
    expect((await call(createReportRoute, request('POST', 'reports', null, { period: '2016-11' }))).status).toBe(401);
  });
});

describe('GET /api/reports and /api/reports/{reportId}', () => {
  test('lists reports newest first, filtered by period, and keeps old versions', async () => {
    const all = reportList.parse((await call(listReportsRoute, request('GET', 'reports', 'clerk'))).jsonBody).reports;
    const ids = all.map((r) => r.reportId);
    expect(ids).toEqual(expect.arrayContaining(['2016-11-v1', '2016-11-v2', '2016-11-v3', '2015-02-v1']));
    const created = all.map((r) => r.createdAt);
    expect([...created].sort().reverse()).toEqual(created);
    const nov = reportList.parse(
      (await call(listReportsRoute, request('GET', 'reports?period=2016-11', 'clerk'))).jsonBody,
    ).reports;
    // Newest first by createdAt: the timer's run was dated 2016-12-01, so version 3 is the oldest report.
    expect(nov.map((r) => r.version)).toEqual([2, 1, 3]);
    expect(nov[2]?.createdAt).toBe('2016-12-01T02:00:07.000Z');
    expect((await call(listReportsRoute, request('GET', 'reports?period=2016-1', 'clerk'))).status).toBe(400);
  });

  test('streams the .xlsx with its content type and a filename', async () => {
    const res = await download(november.reportId, path.join(dir, 'headers.xlsx'));
    const headers = new Headers(res.headers);
    expect(headers.get('content-type')).toBe(CONTENT_TYPE);
    expect(headers.get('content-disposition')).toBe('attachment; filename="ledgerdesk-report-2016-11-v1.xlsx"');
    expect(headers.get('content-length')).toBe(String(november.sizeBytes));
  });

  test('an unknown or malformed reportId is a 404; reading needs a token', async () => {
    for (const id of ['2016-11-v9', 'nonsense', '2016-13-v1']) {
      expect((await call(getReportRoute, request('GET', `reports/${id}`, 'clerk'))).status).toBe(404);
    }
    expect((await call(getReportRoute, request('GET', 'reports/2016-11-v1', null))).status).toBe(401);
  });
});

describe('the November report in LibreOffice equals shared/calc on the approved rows', () => {
  const data = () => approvedLedgers('2016-11-30');
  const period = { period: 'month', from: '2016-11-01', to: '2016-11-30' } as const;

  test('Summary: statistics by region, to the cent, with recalculated totals', () => {
    const expected = computeStatistics(data(), { ...period, groupBy: 'region' });
    const rows = firstTable(sheet(wb('november'), SHEETS.summary));
    expect(rows.map((r) => r[0])).toEqual([...expected.map((e) => e.group), 'Total']);
    // The configured currency, once in each money column's header.
    expect(sheet(wb('november'), SHEETS.summary).rows[HEADER_ROW - 1]?.[2]).toBe(`Contract value (${EUR()})`);
    const measures = ['contractValue', 'delivered', 'returned', 'invoiced', 'collected', 'expenses'] as const;
    expected.forEach((e, i) => {
      expect(rows[i]?.[1]).toBe(String(e.contractsSigned));
      measures.forEach((m, j) => expect(money(rows[i]?.[2 + j])).toBe(e[m]));
    });
    const totals = rows[expected.length]!;
    measures.forEach((m, j) => expect(money(totals[2 + j])).toBe(expected.reduce((a, e) => a + e[m], 0)));
    // Worked by hand: East signed K1 = 10 × 12.50 + 5 × 3.3333 (16.6665 → 16.67) = 141.67; delivered 6 × 12.50,
    // returned 1 × 12.50; invoiced 75.00 + 3.33 + 1.00; West collected the approved 150.00 (not the pending 999.99);
    // the pending K3, I3 and E2 are nowhere.
    expect(rows[0]?.slice(0, 8)).toEqual(['East', '1', '141.67', '75.00', '12.50', '79.33', '50.00', '42.42']);
    expect(rows[1]?.slice(0, 8)).toEqual(['West', '0', '–', '–', '–', '–', '150.00', '–']);
    expect(totals.slice(0, 8)).toEqual(['Total', '1', '141.67', '75.00', '12.50', '79.33', '200.00', '42.42']);
  });

  test('Salespeople: statistics by salesperson and commission', () => {
    const expected = computeStatistics(data(), { ...period, groupBy: 'salesperson' });
    const rows = rowsOf(sheet(wb('november'), SHEETS.salespeople));
    expect(rows.map((r) => r[0])).toEqual([...expected.map((e) => e.group), 'Total']);
    expected.forEach((e, i) => expect(money(rows[i]?.[7])).toBe(e.collected));
    // 50.00 × 3 % = 1.50; 150.00 × 2.5 % = 3.75.
    expect(rows.map((r) => [r[1], r[9], r[10]])).toEqual([
      ['Sam', '3.00%', '1.50'],
      ['+Sue', '2.50%', '3.75'],
      ['', '', '5.25'],
    ]);
  });

  test('Receivables: aging by customer as of 2016-11-30', async () => {
    const expected = computeReceivables(data(), { asOf: '2016-11-30', groupBy: 'customer' });
    const rows = rowsOf(sheet(wb('november'), SHEETS.receivables));
    const fields = ['current', 'd1_30', 'd31_60', 'd61_90', 'd91_120', 'over120', 'total', 'unapplied'] as const;
    // Most overdue first: over 90 days, then anything overdue, then the total (the rule written out again here).
    const over90 = (e: (typeof expected)[number]) => e.d91_120 + e.over120;
    const sorted = [...expected].sort(
      (a, b) => over90(b) - over90(a) || b.total - b.current - (a.total - a.current) || b.total - a.total,
    );
    expect(rows.map((r) => r[0])).toEqual([...sorted.map((e) => e.group), 'Total']);
    sorted.forEach((e, i) => fields.forEach((f, j) => expect(money(rows[i]?.[2 + j])).toBe(e[f])));
    fields.forEach((f, j) =>
      expect(money(rows[expected.length]?.[2 + j])).toBe(expected.reduce((a, e) => a + e[f], 0)),
    );
    // C2: I2 4 × 101.00 − 150.00 = 254.00, due 2016-11-20, 10 days overdue, so first; C1: I1 79.33 − 50.00 not yet due.
    expect(rows[0]?.slice(0, 4)).toEqual(['C2', '=HYPERLINK("x")', '–', '254.00']);
    expect(rows[1]?.slice(0, 3)).toEqual(['C1', 'Acme', '29.33']);
    // The overdue chart draws the overdue customers only: C2, the first row.
    const zip = await JSZip.loadAsync(await readFile(files.get('november')!));
    const charts = await Promise.all(
      Object.keys(zip.files)
        .filter((n) => /^xl\/charts\/chart\d+\.xml$/.test(n))
        .map((n) => zip.file(n)!.async('string')),
    );
    const top = charts.find((c) => c.includes('overdue customers'));
    expect(top).toContain('<a:t>Top 1 overdue customers</a:t>');
    expect(top).toContain(`<c:f>'Receivables'!$B$${FIRST_DATA_ROW}</c:f>`);
  });

  test('Contract performance: contracts with anything open as of the period end', () => {
    const expected = contractsWithOpenItems(data());
    const rows = rowsOf(sheet(wb('november'), SHEETS.contracts));
    expect(rows.map((r) => r[0])).toEqual([...expected.map((e) => e.contractId), 'Total']);
    expected.forEach((e, i) => {
      const t = e.totals;
      expect([9, 10, 11, 12, 13].map((c) => money(rows[i]?.[c - 1]))).toEqual([
        t.orderedAmount,
        t.deliveredAmount,
        t.invoicedAmount,
        t.collected,
        t.receivable,
      ]);
    });
    // K1: ITEM-A 10 ordered, 5 net delivered, 6 invoiced; ITEM-B 5 ordered, none delivered by 2016-11-30 (D4 is
    // December), 1 invoiced → 10 undelivered, 8 uninvoiced.
    expect(rows[0]?.slice(0, 8)).toEqual(['K1', 'C1', 'Acme', 'S1', 'Sam', 'East', '2016-11-02', 'active']);
    expect(rows[0]?.slice(13)).toEqual(['10', '8']);
  });

  test('Invoice check: findings of invoices issued in November only', () => {
    const d = data();
    const nov = d.invoices.filter((i) => i.issuedOn >= '2016-11-01').map((i) => i.invoiceNo);
    const expected = checkInvoices(d, { invoiceNos: nov });
    const rows = rowsOf(sheet(wb('november'), SHEETS.findings));
    expect(rows.map((r) => [r[0], r[3], r[4], r[8]])).toEqual(
      expected.map((f) => [f.invoiceNo, String(f.lineNo ?? ''), f.itemCode ?? '', f.code]),
    );
    expect(rows).toEqual([
      ['I1', '2016-11-06', 'K1', '2', 'ITEM-B', 'Invoiced more than delivered', '0', '1', 'QTY_EXCEEDS_DELIVERED'],
      ['I1', '2016-11-06', 'K1', '3', 'ITEM-Z', 'Item is not on the order', '', 'ITEM-Z', 'ITEM_NOT_ON_ORDER'],
    ]);
  });

  test('the second version shows the same figures', () => {
    for (const name of [SHEETS.summary, SHEETS.receivables, SHEETS.contracts, SHEETS.findings]) {
      expect(rowsOf(sheet(wb('again'), name))).toEqual(rowsOf(sheet(wb('november'), name)));
    }
  });
});

describe('a period without data', () => {
  test('is a valid report with headers and zero totals', () => {
    const book = wb('empty');
    expect(book.sheetNames).toEqual([
      SHEETS.summary,
      SHEETS.salespeople,
      SHEETS.receivables,
      SHEETS.contracts,
      SHEETS.findings,
      ASSESSMENT_SHEET, // issue #14
      'Open complaints', // issue 15
      'Plan vs actual', // issue #14
      'Budgets vs expenses', // issue #14
    ]);
    // The regions table keeps one blank row (a table needs one), then the zero totals.
    const summary = rowsOf(sheet(book, SHEETS.summary)).slice(0, 2);
    expect(summary[0]?.every((c) => c === '')).toBe(true);
    expect(summary[1]).toEqual(['Total', '0', '–', '–', '–', '–', '–', '–']);
    expect(rowsOf(sheet(book, SHEETS.findings)).filter((r) => r.some((c) => c !== ''))).toEqual([]);
  });
});

describe('monthly timer', () => {
  test('is in the timer table at 02:00 UTC on the 1st and next fires then', () => {
    expect(timers).toContain(monthlyReportTimer);
    expect(monthlyReportTimer.schedule).toBe('0 0 2 1 * *');
    const next = nextOccurrence(parseNcrontab(monthlyReportTimer.schedule), new Date('2016-12-31T12:00:00Z'));
    expect(next?.toISOString()).toBe('2017-01-01T02:00:00.000Z');
    expect(routes.map((r) => r.name)).toEqual(expect.arrayContaining(['createReport', 'listReports', 'getReport']));
  });

  test('picks the previous month, across a year boundary', () => {
    expect(timerReportPeriod(new Date('2017-01-01T02:00:00Z'))).toBe('2016-12');
    expect(timerReportPeriod(new Date('2016-03-01T02:00:00Z'))).toBe('2016-02');
    expect(timerReportPeriod(new Date('2016-12-01T02:00:00Z'))).toBe('2016-11');
  });

  test('made the November report as a new version, by the timer', () => {
    expect(byTimer).toBe('2016-11-v3');
    expect(rowsOf(sheet(wb('timer'), SHEETS.summary))).toEqual(rowsOf(sheet(wb('november'), SHEETS.summary)));
    expect(TIMER_USER).toMatch(/^timer:/);
  });
});

describe('comparisons against figures computed independently', () => {
  const totals = (until: string, label: string, kind: 'month' | 'quarter' | 'year') => {
    const p = parsePeriod(label);
    const rows = computeStatistics(approvedLedgers(until), { period: kind, from: p.from, to: p.to, groupBy: 'none' });
    return rows.find((r) => r.period === label);
  };
  const MEASURE_ROWS = ['contractValue', 'delivered', 'returned', 'invoiced', 'collected', 'expenses'] as const;

  test('November: the month, October and November 2015, with change and % change', () => {
    const rows = tableAfter(sheet(wb('november'), SHEETS.summary), 'Measure');
    const cur = totals('2016-11-30', '2016-11', 'month');
    const prev = totals('2016-11-30', '2016-10', 'month');
    const ago = totals('2016-11-30', '2015-11', 'month');
    expect(cur).toBeDefined();
    expect(prev).toBeDefined();
    expect(ago).toBeUndefined(); // nothing in November 2015
    MEASURE_ROWS.forEach((m, j) => {
      const r = rows[j + 1] ?? [];
      const c = cur?.[m] ?? 0;
      const p = prev?.[m] ?? 0;
      expect([money(r[1]), money(r[2]), money(r[3]), money(r[5]), money(r[6])]).toEqual([c, p, c - p, 0, c]);
      expect(r[4]).toBe(p === 0 ? '' : c === p ? '–' : `${(((c - p) / Math.abs(p)) * 100).toFixed(1)}%`);
      expect(r[7]).toBe('');
    });
    // Worked by hand: invoiced 79.33 in November against I2's 4 × 101.00 = 404.00 in October: -324.67, -80.4 %.
    expect(rows[4]?.slice(0, 5)).toEqual(['Invoiced (EUR)', '79.33', '404.00', '-324.67', '-80.4%']);
    // Contracts signed: K1 in November, K2 in October.
    expect(rows[0]?.slice(0, 5)).toEqual(['Contracts signed', '1', '1', '0', '–']);
  });

  test('a quarter report breaks down by month; a year report by quarter and by month', () => {
    const q = sheet(wb('quarter'), SHEETS.summary);
    const months = tableAfter(q, 'Period');
    expect(months.map((r) => r[0])).toEqual(['2016-10', '2016-11', '2016-12', 'Total']);
    for (const [i, label] of ['2016-10', '2016-11', '2016-12'].entries())
      expect(money(months[i]?.[5])).toBe(totals('2016-12-31', label, 'month')?.invoiced ?? 0);
    expect(months.map((r) => r[5])).toEqual(['404.00', '79.33', '–', '483.33']);
    const cmp = tableAfter(q, 'Measure');
    expect(money(cmp[4]?.[1])).toBe(totals('2016-12-31', '2016-Q4', 'quarter')?.invoiced);
    expect(cmp[4]?.slice(1, 4)).toEqual(['483.33', '–', '483.33']);
    const y = sheet(wb('year'), SHEETS.summary);
    expect(y.rows.filter((r) => r[0] === 'Period')).toHaveLength(2);
    const yMonths = tableAfter(y, 'Period');
    expect(yMonths.map((r) => r[0])).toEqual([
      ...Array.from({ length: 12 }, (_, i) => `2016-${String(i + 1).padStart(2, '0')}`),
      'Total',
    ]);
    const yHeaderRows = y.rows.flatMap((r, i) => (r[0] === 'Period' ? [i] : []));
    const quarters = y.rows.slice((yHeaderRows[1] ?? 0) + 1, (yHeaderRows[1] ?? 0) + 6);
    expect(quarters.map((r) => [r[0], r[5]])).toEqual([
      ['2016-Q1', '–'],
      ['2016-Q2', '–'],
      ['2016-Q3', '–'],
      ['2016-Q4', '483.33'],
      ['Total', '483.33'],
    ]);
    // A year compares with the year before once (previous period and a year earlier are the same year).
    expect(y.rows.find((r) => r[0] === 'Measure')).toEqual([
      'Measure',
      '2016',
      '2015',
      'Change vs 2015',
      '% vs 2015',
      '',
      '',
      '',
    ]);
    expect(tableAfter(y, 'Measure')[4]?.slice(0, 5)).toEqual(['Invoiced (EUR)', '483.33', '–', '483.33', '']);
  });
});

describe('schedule: month, quarter and year reports, idempotent, caught up after downtime', () => {
  test('quarter reports at 02:00 UTC on the first day after a quarter, annual on 1 January, besides the monthly', () => {
    expect(timers).toEqual(expect.arrayContaining([monthlyReportTimer, quarterlyReportTimer, annualReportTimer]));
    expect(quarterlyReportTimer.schedule).toBe('0 0 2 1 1,4,7,10 *');
    expect(annualReportTimer.schedule).toBe('0 0 2 1 1 *');
    const next = (schedule: string, after: string) =>
      nextOccurrence(parseNcrontab(schedule), new Date(after))?.toISOString();
    // Across the year boundary and from quarter to quarter.
    expect(next(quarterlyReportTimer.schedule, '2016-12-31T23:59:59Z')).toBe('2017-01-01T02:00:00.000Z');
    expect(next(quarterlyReportTimer.schedule, '2017-01-01T02:00:00Z')).toBe('2017-04-01T02:00:00.000Z');
    expect(next(quarterlyReportTimer.schedule, '2017-09-30T12:00:00Z')).toBe('2017-10-01T02:00:00.000Z');
    expect(next(annualReportTimer.schedule, '2016-06-15T00:00:00Z')).toBe('2017-01-01T02:00:00.000Z');
    expect(next(annualReportTimer.schedule, '2017-01-01T02:00:00Z')).toBe('2018-01-01T02:00:00.000Z');
    expect(next(monthlyReportTimer.schedule, '2017-01-01T02:00:00Z')).toBe('2017-02-01T02:00:00.000Z');
  });

  test('each run picks the period due at its time, across quarter and year boundaries', () => {
    const due = (kind: 'month' | 'quarter' | 'year', at: string) => duePeriod(kind, new Date(at)).label;
    expect(due('quarter', '2017-01-01T02:00:00Z')).toBe('2016-Q4');
    expect(due('quarter', '2017-01-01T01:59:59Z')).toBe('2016-Q3');
    expect(due('quarter', '2017-04-01T02:00:00Z')).toBe('2017-Q1');
    expect(due('quarter', '2017-03-31T23:00:00Z')).toBe('2016-Q4');
    expect(due('year', '2017-01-01T02:00:00Z')).toBe('2016');
    expect(due('year', '2017-01-01T01:00:00Z')).toBe('2015');
    expect(due('year', '2017-12-31T23:00:00Z')).toBe('2016');
    expect(due('month', '2017-01-01T02:00:00Z')).toBe('2016-12');
    expect(due('month', '2017-03-01T01:00:00Z')).toBe('2017-01');
  });

  test('a second run the same day adds no version; a late run makes the period it was due for, once', async () => {
    expect(sameDayAgain).toBeUndefined();
    expect(quarter.reportId).toBe('2016-Q4-v1');
    expect(quarter.createdBy).toBe(TIMER_USERS.quarter);
    expect(quarterAgain).toBeUndefined();
    expect(year.reportId).toBe('2016-v1');
    expect(year.createdBy).toBe(TIMER_USERS.year);
    expect(yearAgain).toBeUndefined();
    expect(earlyMonth).toBeUndefined();
    expect((await listReports('2016-Q4')).map((r) => r.reportId)).toEqual(['2016-Q4-v1']);
    expect((await listReports('2016')).map((r) => r.reportId)).toEqual(['2016-v1']);
    expect((await listReports('2016-11')).filter((r) => r.createdBy === TIMER_USER)).toHaveLength(1);
    expect(await listReports('2016-12')).toEqual([]);
  });

  test('a first start catches nothing up: a timer that never made a report waits for its schedule', () => {
    expect(firstStartCatchUp).toBeUndefined();
    expect(firstStartByTimers).toBe(0);
  });

  test('the local host catches up missed report runs at start, and a second start adds nothing', async () => {
    const now = new Date();
    const due = (['month', 'quarter', 'year'] as const).map((k) => duePeriod(k, now).label);
    const count = async () => (await Promise.all(due.map((p) => listReports(p)))).map((l) => l.length);
    const before = await count();
    const jobs = timers.filter((t) => t.catchUp === true);
    expect(jobs.map((j) => j.name).sort()).toEqual(['annualReport', 'monthlyReport', 'quarterlyReport']);
    for (const expected of [1, 1]) {
      const scheduler = startTimerScheduler(jobs, undefined, { catchUp: true });
      await scheduler.caughtUp();
      await scheduler.stop();
      expect(await count()).toEqual(before.map((b) => (b === 0 ? expected : b)));
    }
    const made = await Promise.all(due.map((p) => listReports(p)));
    expect(made.map((l) => l[0]?.createdBy)).toEqual([TIMER_USERS.month, TIMER_USERS.quarter, TIMER_USERS.year]);
  }, 60_000);

  test('the scheduler runs only jobs marked catchUp at start, once, as past due', async () => {
    const calls: [string, boolean][] = [];
    const job = (name: string, catchUp?: boolean) => ({
      name,
      schedule: '0 0 2 1 * *',
      catchUp,
      handler: (timer: Timer) => {
        calls.push([name, timer.isPastDue]);
        return Promise.resolve();
      },
    });
    const off = startTimerScheduler([job('a', true), job('b')], () => new Date('2017-01-03T10:00:00Z'));
    await off.caughtUp();
    await off.stop();
    expect(calls).toEqual([]);
    const on = startTimerScheduler([job('a', true), job('b')], () => new Date('2017-01-03T10:00:00Z'), {
      catchUp: true,
    });
    await on.caughtUp();
    expect(on.next().a?.toISOString()).toBe('2017-02-01T02:00:00.000Z');
    await on.stop();
    expect(calls).toEqual([['a', true]]);
  });
});

describe('npm run report', () => {
  test('writes the workbook to --out and prints its path and the API URL', async () => {
    const out = path.join(dir, 'cli', 'q4.xlsx');
    const text = await reportCli(['--period', '2016-Q4', '--out', out, '--user', 'cli:test']);
    expect(text).toMatch(/^reportId {2}2016-Q4-v2$/m);
    expect(text).toMatch(/^api {7}GET \/api\/reports\/2016-Q4-v2$/m);
    expect(text).toContain(`file      ${out}`);
    expect(text).not.toMatch(/blob\.core|devstoreaccount|127\.0\.0\.1:\d+\/devstore/);
    const bytes = await readFile(out);
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    const stored = (await listReports('2016-Q4')).find((r) => r.reportId === '2016-Q4-v2');
    expect(stored?.sizeBytes).toBe(bytes.length);
    expect(stored?.createdBy).toBe('cli:test');
  });

  test('without --out writes under .data/reports/ of the working directory; bad input is a clear error', async () => {
    const cwd = path.join(dir, 'cwd');
    const text = await reportCli(['--period', '2016-10'], cwd);
    const file = path.join(cwd, '.data', 'reports', 'ledgerdesk-report-2016-10-v1.xlsx');
    expect(text).toContain(`file      ${file}`);
    expect((await readFile(file)).subarray(0, 2).toString()).toBe('PK');
    await expect(reportCli(['--period', '2016-13'])).rejects.toThrow(/period "2016-13" must be a month/);
    await expect(reportCli(['--period', '2016-10', '--out', 'x.csv'])).rejects.toThrow(
      /--out must name an \.xlsx file/,
    );
    await expect(reportCli([])).rejects.toThrow(/--period is required/);
    // A file where a directory should be: the report is stored anyway, and the error says where.
    const blocked = path.join(cwd, '.data', 'reports', 'ledgerdesk-report-2016-10-v1.xlsx', 'x.xlsx');
    await expect(reportCli(['--period', '2016-10', '--out', blocked], cwd)).rejects.toThrow(
      /^Report 2016-10-v2 is stored \(GET \/api\/reports\/2016-10-v2\), but writing .*x\.xlsx failed: /,
    );
    expect((await listReports('2016-10')).map((r) => r.reportId)).toEqual(['2016-10-v2', '2016-10-v1']);
  });
});
