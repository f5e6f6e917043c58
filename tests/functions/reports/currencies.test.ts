// Issue #13 §4: a report over contracts in two currencies shows each currency in its own table, its code in the money
// headers and its own totals row, opened and recalculated by LibreOffice; no total adds EUR to USD.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { ledgerData } from '../../../shared/calc';
import { parsePeriod } from '../../../shared/dates';
import { buildReportData } from '../../../functions/src/reports/reportData';
import { SHEETS } from '../../../functions/src/reports/workbook';
import { openWithLibreOffice, sheet, type CsvSheet, type OpenedWorkbook } from '../../support/libreoffice';
import {
  contract,
  expense,
  invoice,
  invoiceLine,
  orderLine,
  payment,
  salesperson,
} from '../../shared/calc/fixtures/records';
import { writeReportFile } from './support';

// May 2016, region West, salesperson S1, customer K1: C1 in EUR, C2 in USD; an expense (house currency, EUR); and a
// contract C3 of region East in EUR only.
const data = ledgerData({
  customers: [{ customerId: 'K1', name: 'Kunde Eins', region: 'West' }],
  salespeople: [salesperson('S1', 'West')],
  contracts: [
    contract('C1', { region: 'West', salespersonId: 'S1', signedOn: '2016-05-02' }),
    contract('C2', { region: 'West', salespersonId: 'S1', signedOn: '2016-05-03', currency: 'USD' }),
    contract('C3', { region: 'East', salespersonId: 'S1', signedOn: '2016-05-04' }),
  ],
  orderLines: [
    orderLine('C1', 1, 'A', 2, '100.00'),
    orderLine('C2', 1, 'A', 1, '300.00'),
    orderLine('C3', 1, 'A', 1, '40.00'),
  ],
  invoices: [invoice('I1', 'C1', '2016-05-10', '2016-05-20'), invoice('I2', 'C2', '2016-05-10', '2016-05-20')],
  invoiceLines: [invoiceLine('I1', 1, 'A', 2, '100.00'), invoiceLine('I2', 1, 'A', 1, '300.00')],
  payments: [payment('P1', 'C2', '2016-05-25', '50.00')],
  expenses: [expense('E1', 'S1', '2016-05-04', '12.00')],
});

let dir: string;
let wb: OpenedWorkbook;
let zip: JSZip;
const reportData = buildReportData(data, parsePeriod('2016-05'), {
  generatedAt: new Date('2016-06-01T02:00:00.000Z'),
  generatedBy: 'test',
  appVersion: '0.1.0-test',
  currency: 'EUR',
});

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ld-cur-'));
  const file = path.join(dir, 'currencies.xlsx');
  await writeReportFile(file, reportData);
  wb = (await openWithLibreOffice([file])).workbooks.get(file) as OpenedWorkbook;
  zip = await JSZip.loadAsync(await readFile(file));
}, 180_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The rows of every table headed `first` in column A (up to the first empty row), in sheet order. */
function tablesAfter(s: CsvSheet, first: string): { header: string[]; rows: string[][] }[] {
  const out: { header: string[]; rows: string[][] }[] = [];
  s.rows.forEach((r, i) => {
    if (r[0] !== first) return;
    const rows: string[][] = [];
    for (let j = i + 1; j < s.rows.length && (s.rows[j]?.[0] ?? '') !== ''; j++) rows.push(s.rows[j] ?? []);
    out.push({ header: r, rows });
  });
  return out;
}

const cells = (s: CsvSheet) => s.rows.flat();

it('the data: two currencies, a comparison per currency, rows with their currency', () => {
  expect(reportData.currencies).toEqual(['EUR', 'USD']);
  expect(reportData.comparisons?.map((c) => [c.currency, c.comparison.current.figures.contractValue])).toEqual([
    ['EUR', '240.00'],
    ['USD', '300.00'],
  ]);
});

it('Summary: a region table per currency with the currency in its headers and its own totals', () => {
  const s = sheet(wb, SHEETS.summary);
  expect(cells(s)).toContain(
    'Approved figures only. Generated 2016-06-01T02:00:00.000Z by test, Ledgerdesk 0.1.0-test. Amounts in EUR and USD: one table per currency, its code in the money column headers; no total adds two currencies.',
  );
  expect(cells(s)).toContain('Amounts in USD');
  const [eur, usd, ...more] = tablesAfter(s, 'Region');
  expect(more).toEqual([]);
  // Region, Contracts signed, Contract value, Delivered, Returned, Invoiced, Collected, Expenses.
  expect(eur?.header.slice(0, 3)).toEqual(['Region', 'Contracts signed', 'Contract value (EUR)']);
  expect(eur?.rows.map((r) => [r[0], r[1], r[2], r[5], r[6], r[7]])).toEqual([
    ['East', '1', '40.00', '–', '–', '–'],
    ['West', '1', '200.00', '200.00', '–', '12.00'],
    ['Total', '2', '240.00', '200.00', '–', '12.00'],
  ]);
  expect(usd?.header.slice(0, 3)).toEqual(['Region', 'Contracts signed', 'Contract value (USD)']);
  expect(usd?.rows.map((r) => [r[0], r[1], r[2], r[5], r[6], r[7]])).toEqual([
    ['West', '1', '300.00', '300.00', '50.00', '–'],
    ['Total', '1', '300.00', '300.00', '50.00', '–'],
  ]);
  // The comparison of each currency, its measures labelled with it.
  const comparisons = tablesAfter(s, 'Measure');
  expect(comparisons.map((t) => t.rows.find((r) => r[0]?.startsWith('Contract value'))?.slice(0, 2))).toEqual([
    ['Contract value (EUR)', '240.00'],
    ['Contract value (USD)', '300.00'],
  ]);
});

it('Salespeople, Receivables and Contract performance: a table per currency, totals never across currencies', () => {
  const people = tablesAfter(sheet(wb, SHEETS.salespeople), 'Salesperson ID');
  expect(people.map((t) => [t.header[3], t.rows.map((r) => [r[0], r[3]])])).toEqual([
    [
      'Contract value (EUR)',
      [
        ['S1', '240.00'],
        ['Total', '240.00'],
      ],
    ],
    [
      'Contract value (USD)',
      [
        ['S1', '300.00'],
        ['Total', '300.00'],
      ],
    ],
  ]);

  // As of 2016-05-31: K1 owes I1 200.00 EUR and 250.00 USD of I2, both 11 days overdue.
  const receivables = tablesAfter(sheet(wb, SHEETS.receivables), 'Customer ID');
  expect(receivables.map((t) => [t.header[3], t.header[8], t.rows.map((r) => [r[0], r[1], r[3], r[8]])])).toEqual([
    [
      '1–30 days (EUR)',
      'Total (EUR)',
      [
        ['K1', 'Kunde Eins', '200.00', '200.00'],
        ['Total', '', '200.00', '200.00'],
      ],
    ],
    [
      '1–30 days (USD)',
      'Total (USD)',
      [
        ['K1', 'Kunde Eins', '250.00', '250.00'],
        ['Total', '', '250.00', '250.00'],
      ],
    ],
  ]);

  const contracts = tablesAfter(sheet(wb, SHEETS.contracts), 'Contract ID');
  expect(contracts.map((t) => [t.header[8], t.rows.map((r) => [r[0], r[8], r[12]])])).toEqual([
    [
      'Ordered (EUR)',
      [
        ['C1', '200.00', '200.00'],
        ['C3', '40.00', '–'],
        ['Total', '240.00', '200.00'],
      ],
    ],
    [
      'Ordered (USD)',
      [
        ['C2', '300.00', '250.00'],
        ['Total', '300.00', '250.00'],
      ],
    ],
  ]);
});

/** A sheet's charts as written: title, the rows its ranges read, and the rows its anchor spans (1-based). */
async function charts(sheetIndex: number): Promise<{ title: string; rows: number[]; top: number; bottom: number }[]> {
  const rels = (await zip.file(`xl/worksheets/_rels/sheet${sheetIndex}.xml.rels`)?.async('string')) ?? '';
  const drawing = /Target="\.\.\/drawings\/(drawing\d+\.xml)"/.exec(rels)?.[1];
  if (drawing === undefined) return [];
  const anchors = (await zip.file(`xl/drawings/${drawing}`)?.async('string')) ?? '';
  const drawingRels = (await zip.file(`xl/drawings/_rels/${drawing}.rels`)?.async('string')) ?? '';
  const out = [];
  for (const a of anchors.matchAll(/<xdr:twoCellAnchor[^>]*>([\s\S]*?)<\/xdr:twoCellAnchor>/g)) {
    const body = a[1] ?? '';
    const [top, bottom] = [...body.matchAll(/<xdr:row>(\d+)<\/xdr:row>/g)].map((m) => Number(m[1]) + 1);
    const rId = /r:id="([^"]+)"/.exec(body)?.[1];
    const target = new RegExp(`Id="${rId}"[^>]*Target="\\.\\./charts/(chart\\d+\\.xml)"`).exec(drawingRels)?.[1];
    const xml = (await zip.file(`xl/charts/${target}`)?.async('string')) ?? '';
    out.push({
      title: [...xml.matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((m) => m[1]).join(''),
      rows: [
        ...new Set(
          [...xml.matchAll(/<c:f>[^<]*?\$(\d+)(?::\$[A-Z]+\$(\d+))?<\/c:f>/g)].flatMap((m) => [
            Number(m[1]),
            Number(m[2] ?? m[1]),
          ]),
        ),
      ].sort((x, y) => x - y),
      top: top ?? 0,
      bottom: bottom ?? 0,
    });
  }
  return out;
}

/** The 1-based rows where each table headed `first` starts (its header) and ends (its last row), in sheet order. */
function tableRows(s: CsvSheet, first: string): [number, number][] {
  const out: [number, number][] = [];
  s.rows.forEach((r, i) => {
    if (r[0] !== first) return;
    let j = i + 1;
    while (j < s.rows.length && (s.rows[j]?.[0] ?? '') !== '') j++;
    out.push([i + 1, j]);
  });
  return out;
}

it('each currency has its own charts, reading only its own table, the next currency starting below them', async () => {
  const names = wb.sheetNames;
  const summary = await charts(names.indexOf(SHEETS.summary) + 1);
  expect(summary.map((c) => c.title)).toEqual([
    'Invoiced and collected by region in EUR',
    'Invoiced and collected by region in USD',
  ]);
  const [eurRegions, usdRegions] = tableRows(sheet(wb, SHEETS.summary), 'Region');
  for (const c of summary) expect(c.rows.length).toBeGreaterThan(1);
  // Each chart reads the header row and the rows of its own currency's region table.
  expect(summary[0]?.rows.every((r) => r >= eurRegions![0] && r <= eurRegions![1])).toBe(true);
  expect(summary[1]?.rows.every((r) => r >= usdRegions![0] && r <= usdRegions![1])).toBe(true);
  // The USD block starts below the EUR chart: charts never overlap.
  expect(summary[1]!.top).toBeGreaterThan(summary[0]!.bottom);
  expect(usdRegions![0]).toBeGreaterThan(summary[0]!.bottom);

  const receivables = await charts(names.indexOf(SHEETS.receivables) + 1);
  expect(receivables.map((c) => c.title)).toEqual([
    'Receivables aging by bucket in EUR',
    'Top 1 overdue customers in EUR',
    'Receivables aging by bucket in USD',
    'Top 1 overdue customers in USD',
  ]);
  const [eurRec, usdRec] = tableRows(sheet(wb, SHEETS.receivables), 'Customer ID');
  for (const c of receivables) expect(c.rows.length).toBeGreaterThan(1);
  for (const c of receivables.slice(0, 2)) expect(c.rows.every((r) => r >= eurRec![0] && r <= eurRec![1])).toBe(true);
  for (const c of receivables.slice(2)) expect(c.rows.every((r) => r >= usdRec![0] && r <= usdRec![1])).toBe(true);
  expect(Math.min(...receivables.slice(2).map((c) => c.top))).toBeGreaterThan(
    Math.max(...receivables.slice(0, 2).map((c) => c.bottom)),
  );
});
