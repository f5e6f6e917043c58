// End to end against Azurite: POST/GET/list reports, the workbook in LibreOffice equals shared/calc on the approved rows, versions, timer.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HttpRequest, InvocationContext, type HttpResponseInit, type Timer } from '@azure/functions';
import { reportCreated, reportList, type ReportInfo } from '../../../shared/api';
import { computeReceivables } from '../../../shared/calc/aging';
import { ledgerData, type LedgerData } from '../../../shared/calc';
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
import { monthlyReport, monthlyReportTimer, TIMER_USER } from '../../../functions/src/functions/reportTimer';
import { withApiBoundary, type Route } from '../../../functions/src/http/route';
import { nextOccurrence, parseNcrontab } from '../../../functions/src/host/ncrontab';
import { timerReportPeriod } from '../../../functions/src/reports/service';
import { CONTENT_TYPE, FIRST_DATA_ROW, SHEETS } from '../../../functions/src/reports/workbook';
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
  await monthlyReport({} as Timer, timerCtx, new Date('2016-12-01T02:00:07Z'));
  const afterTimer = reportList.parse(
    (await call(listReportsRoute, request('GET', 'reports?period=2016-11', 'clerk'))).jsonBody,
  ).reports;
  byTimer = afterTimer.find((r) => r.createdBy === TIMER_USER)!.reportId;

  for (const [key, id] of [
    ['november', november.reportId],
    ['again', novemberAgain.reportId],
    ['empty', empty.reportId],
    ['timer', byTimer],
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
const money = (display: string | undefined) => centsFromDisplay(display ?? '', EUR());
function rowsOf(s: CsvSheet): string[][] {
  return s.rows.slice(FIRST_DATA_ROW - 1);
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
    const rows = rowsOf(sheet(wb('november'), SHEETS.summary));
    expect(rows.map((r) => r[0])).toEqual([...expected.map((e) => e.group), 'Total']);
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
    expect(rows[0]?.slice(0, 8)).toEqual([
      'East',
      '1',
      '141.67 EUR',
      '75.00 EUR',
      '12.50 EUR',
      '79.33 EUR',
      '50.00 EUR',
      '42.42 EUR',
    ]);
    expect(rows[1]?.slice(0, 8)).toEqual([
      'West',
      '0',
      '0.00 EUR',
      '0.00 EUR',
      '0.00 EUR',
      '0.00 EUR',
      '150.00 EUR',
      '0.00 EUR',
    ]);
    expect(totals.slice(0, 8)).toEqual([
      'Total',
      '1',
      '141.67 EUR',
      '75.00 EUR',
      '12.50 EUR',
      '79.33 EUR',
      '200.00 EUR',
      '42.42 EUR',
    ]);
  });

  test('Salespeople: statistics by salesperson and commission', () => {
    const expected = computeStatistics(data(), { ...period, groupBy: 'salesperson' });
    const rows = rowsOf(sheet(wb('november'), SHEETS.salespeople));
    expect(rows.map((r) => r[0])).toEqual([...expected.map((e) => e.group), 'Total']);
    expected.forEach((e, i) => expect(money(rows[i]?.[7])).toBe(e.collected));
    // 50.00 × 3 % = 1.50; 150.00 × 2.5 % = 3.75.
    expect(rows.map((r) => [r[1], r[9], r[10]])).toEqual([
      ['Sam', '3.00%', '1.50 EUR'],
      ['+Sue', '2.50%', '3.75 EUR'],
      ['', '', '5.25 EUR'],
    ]);
  });

  test('Receivables: aging by customer as of 2016-11-30', () => {
    const expected = computeReceivables(data(), { asOf: '2016-11-30', groupBy: 'customer' });
    const rows = rowsOf(sheet(wb('november'), SHEETS.receivables));
    const fields = ['current', 'd1_30', 'd31_60', 'd61_90', 'd91_120', 'over120', 'total', 'unapplied'] as const;
    expect(rows.map((r) => r[0])).toEqual([...expected.map((e) => e.group), 'Total']);
    expected.forEach((e, i) => fields.forEach((f, j) => expect(money(rows[i]?.[2 + j])).toBe(e[f])));
    fields.forEach((f, j) =>
      expect(money(rows[expected.length]?.[2 + j])).toBe(expected.reduce((a, e) => a + e[f], 0)),
    );
    // C1: I1 79.33 − 50.00 not yet due; C2: I2 4 × 101.00 − 150.00 = 254.00, due 2016-11-20, 10 days overdue.
    expect(rows[0]?.slice(1, 3)).toEqual(['Acme', '29.33 EUR']);
    expect(rows[1]?.slice(1, 4)).toEqual(['=HYPERLINK("x")', '0.00 EUR', '254.00 EUR']);
  });

  test('Contract performance: contracts with anything open as of the period end', () => {
    const expected = contractsWithOpenItems(data());
    const rows = rowsOf(sheet(wb('november'), SHEETS.contracts));
    expect(rows.map((r) => r[0])).toEqual([...expected.map((e) => e.contractId), 'Total']);
    expected.forEach((e, i) => {
      const t = e.totals;
      expect([7, 8, 9, 10, 11].map((c) => money(rows[i]?.[c - 1]))).toEqual([
        t.orderedAmount,
        t.deliveredAmount,
        t.invoicedAmount,
        t.collected,
        t.receivable,
      ]);
    });
    // K1: ITEM-A 10 ordered, 5 net delivered, 6 invoiced; ITEM-B 5 ordered, none delivered by 2016-11-30 (D4 is
    // December), 1 invoiced → 10 undelivered, 8 uninvoiced.
    expect(rows[0]?.slice(0, 6)).toEqual(['K1', 'C1', 'S1', 'East', '2016-11-02', 'active']);
    expect(rows[0]?.slice(11)).toEqual(['10', '8']);
  });

  test('Invoice check: findings of invoices issued in November only', () => {
    const d = data();
    const nov = d.invoices.filter((i) => i.issuedOn >= '2016-11-01').map((i) => i.invoiceNo);
    const expected = checkInvoices(d, { invoiceNos: nov });
    const rows = rowsOf(sheet(wb('november'), SHEETS.findings));
    expect(rows.map((r) => [r[0], r[3], r[4], r[5]])).toEqual(
      expected.map((f) => [f.invoiceNo, String(f.lineNo ?? ''), f.itemCode ?? '', f.code]),
    );
    expect(rows).toEqual([
      ['I1', '2016-11-06', 'K1', '2', 'ITEM-B', 'QTY_EXCEEDS_DELIVERED', '0', '1'],
      ['I1', '2016-11-06', 'K1', '3', 'ITEM-Z', 'ITEM_NOT_ON_ORDER', '', 'ITEM-Z'],
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
      ASSESSMENT_SHEET,
    ]);
    const summary = rowsOf(sheet(book, SHEETS.summary));
    expect(summary).toEqual([['Total', '0', '0.00 EUR', '0.00 EUR', '0.00 EUR', '0.00 EUR', '0.00 EUR', '0.00 EUR']]);
    expect(rowsOf(sheet(book, SHEETS.findings))).toEqual([]);
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
