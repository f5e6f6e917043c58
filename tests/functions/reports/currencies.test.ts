// Issue #13 §4: a report over contracts in two currencies shows each currency in its own table, its code in the money
// headers and its own totals row, opened and recalculated by LibreOffice; no total adds EUR to USD.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
