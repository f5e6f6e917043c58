// The report workbook opened by LibreOffice (recalculating): every figure, the formula totals, text kept as text, dates, properties.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { parsePeriod } from '../../../shared/dates';
import { parseMoney } from '../../../shared/money';
import { previousPeriod, yearEarlier } from '../../../functions/src/reports/reportData';
import {
  change,
  escapeXString,
  FIRST_DATA_ROW,
  HEADER_ROW,
  MONEY_FORMAT,
  SHEETS,
  writeReportWorkbook,
  type OpenContractRow,
  type ReportData,
  type ReportFinding,
} from '../../../functions/src/reports/workbook';
import {
  centsFromDisplay,
  openWithLibreOffice,
  sheet,
  type CsvSheet,
  type OpenedWorkbook,
} from '../../support/libreoffice';

const EUR = 'EUR';
const NASTY = ['=1+1', '+A1', '-2', '@SUM(A1)', '\tTabbed', '\rCarriage', 'a_x0041_b'];

const stats = (group: string, signed: number, m: [string, string, string, string, string, string]) => ({
  period: '2016-Q4',
  group,
  contractsSigned: signed,
  contractValue: m[0],
  delivered: m[1],
  returned: m[2],
  invoiced: m[3],
  collected: m[4],
  expenses: m[5],
});

// Worked example: amounts chosen so that float addition would drift (0.10 + 0.20) and commission hits exact half cents.
const REGIONS = [
  stats('East', 3, ['12345.67', '10000.10', '150.05', '9000.20', '8000.30', '420.35']),
  stats('West', 2, ['0.10', '0.20', '0.00', '0.30', '0.10', '0.20']),
  stats('North', 0, ['1234567.89', '0.00', '0.00', '0.00', '1.02', '0.00']),
  ...NASTY.map((name, i) => stats(name, i, ['1.00', '0.01', '0.00', '0.00', '0.00', '0.00'])),
];

const SALESPEOPLE = [
  {
    ...stats('SP1', 1, ['100.00', '0.00', '0.00', '0.00', '1.02', '0.00']),
    name: 'Ann =SUM(1)',
    commissionRate: '0.025',
    commission: '0.03',
  },
  {
    ...stats('SP2', 2, ['200.00', '0.00', '0.00', '0.00', '8000.30', '12.34']),
    name: 'Bo',
    commissionRate: '0.0325',
    commission: '260.01',
  },
  {
    ...stats('SP3', 0, ['0.00', '0.00', '0.00', '0.00', '99.99', '0.00']),
    name: null,
    commissionRate: null,
    commission: null,
  },
  {
    ...stats('SP4', 0, ['0.00', '0.00', '0.00', '0.00', '0.10', '0.00']),
    name: '-2',
    commissionRate: '0.05',
    commission: '0.01',
  },
];
// The commission of each row is the statements' (computed in reportData.ts); the sheet writes it and sums it.
const COMMISSIONS = SALESPEOPLE.map((p) => p.commission);

const RECEIVABLES = [
  {
    group: 'C1',
    name: '@SUM(A1)',
    current: '100.00',
    d1_30: '0.10',
    d31_60: '0.20',
    d61_90: '0.00',
    d91_120: '0.00',
    over120: '1000.00',
    total: '1100.30',
    unapplied: '0.00',
  },
  {
    group: 'C2',
    name: '+A1',
    current: '0.00',
    d1_30: '0.00',
    d31_60: '0.00',
    d61_90: '33.33',
    d91_120: '66.67',
    over120: '0.00',
    total: '100.00',
    unapplied: '25.50',
  },
];

const CONTRACTS: OpenContractRow[] = [
  {
    contractId: 'K-1',
    customerId: 'C1',
    customerName: 'Customer One',
    salespersonId: 'SP1',
    salespersonName: 'Ann',
    region: 'East',
    signedOn: '2016-10-03',
    status: 'active',
    orderedAmount: '1000.00',
    deliveredAmount: '600.00',
    invoicedAmount: '500.00',
    collected: '400.00',
    receivable: '100.00',
    undeliveredQty: 4,
    uninvoicedQty: 1,
  },
  {
    contractId: '=K2',
    customerId: 'C2',
    customerName: null,
    salespersonId: 'SP2',
    salespersonName: null,
    region: 'West',
    signedOn: '2015-12-31',
    status: 'completed',
    orderedAmount: '50.00',
    deliveredAmount: '50.00',
    invoicedAmount: '50.00',
    collected: '100.00',
    receivable: '-50.00',
    undeliveredQty: 0,
    uninvoicedQty: 0,
  },
];

const FINDINGS: ReportFinding[] = [
  {
    invoiceNo: 'I-1',
    issuedOn: '2016-11-05',
    contractId: 'K-1',
    lineNo: 1,
    itemCode: 'X',
    code: 'PRICE_MISMATCH',
    expected: '12.50',
    actual: '12.5001',
  },
  {
    invoiceNo: 'I-1',
    issuedOn: '2016-11-05',
    contractId: 'K-1',
    lineNo: 2,
    itemCode: 'Y',
    code: 'QTY_EXCEEDS_ORDERED',
    expected: 10,
    actual: 12,
  },
  {
    invoiceNo: 'I-2',
    issuedOn: '2016-12-31',
    contractId: 'K-9',
    lineNo: null,
    itemCode: null,
    code: 'UNKNOWN_CONTRACT',
    expected: null,
    actual: 'K-9',
  },
  {
    invoiceNo: 'I-3',
    issuedOn: '2016-10-01',
    contractId: 'K-1',
    lineNo: 1,
    itemCode: '+A1',
    code: 'ITEM_NOT_ON_ORDER',
    expected: null,
    actual: '+A1',
  },
];

async function* slowly<T>(rows: readonly T[]): AsyncIterable<T> {
  // Sections may come from storage pages: an async source must stream just like an array.
  for (const r of rows) {
    await new Promise((resolve) => setImmediate(resolve));
    yield r;
  }
}

const fig = (signed: number, m: [string, string, string, string, string, string]) => {
  const { period: _p, group: _g, ...f } = stats('', signed, m);
  return f;
};
// Comparison figures: the change and % change columns are computed below, independently, from these.
const COMPARISON = {
  current: { label: '2016-Q4', figures: fig(5, ['1000.00', '500.00', '0.00', '400.00', '300.00', '10.00']) },
  previous: { label: '2016-Q3', figures: fig(4, ['800.00', '500.00', '0.05', '0.00', '400.00', '10.00']) },
  yearEarlier: { label: '2015-Q4', figures: fig(0, ['0.00', '1000.00', '0.00', '200.00', '300.00', '0.00']) },
};
const MONTHS = [
  { ...stats('East', 1, ['10.00', '0.10', '0.00', '100.10', '50.00', '0.00']), period: '2016-10', group: null },
  { ...stats('East', 0, ['0.00', '0.00', '0.00', '0.00', '0.00', '0.00']), period: '2016-11', group: null },
  { ...stats('East', 4, ['990.00', '499.90', '0.00', '299.90', '250.00', '10.00']), period: '2016-12', group: null },
];

function fullData(): ReportData {
  return {
    months: MONTHS,
    quarters: [],
    comparison: COMPARISON,
    period: parsePeriod('2016-Q4'),
    generatedAt: new Date('2017-01-01T02:00:00.000Z'),
    generatedBy: 'timer:monthly-report',
    appVersion: '0.1.0-test',
    reportVersion: 3,
    currency: EUR,
    regions: REGIONS,
    salespeople: SALESPEOPLE,
    receivables: { asOf: '2016-12-31', rows: RECEIVABLES },
    contracts: slowly(CONTRACTS),
    findings: FINDINGS,
  };
}

function emptyData(): ReportData {
  return {
    ...fullData(),
    reportVersion: 1,
    regions: [],
    salespeople: [],
    receivables: { asOf: '2016-12-31', rows: [] },
    contracts: [],
    findings: [],
  };
}

const sum = (values: readonly string[]) => values.reduce((acc, v) => acc + parseMoney(v), 0);
const display = (cents: number) => {
  if (cents === 0) return '–';
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100).toLocaleString('en-US');
  return `${cents < 0 ? '-' : ''}${whole}.${String(abs % 100).padStart(2, '0')}`;
};

let dir: string;
let full: OpenedWorkbook;
let empty: OpenedWorkbook;
let fullFile: string;
let emptyFile: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ld-report-'));
  fullFile = path.join(dir, 'full.xlsx');
  emptyFile = path.join(dir, 'empty.xlsx');
  await writeReportWorkbook(fullData(), createWriteStream(fullFile));
  // Through a PassThrough as the service does when uploading: the writer must work with any Writable.
  const pass = new PassThrough();
  await Promise.all([writeReportWorkbook(emptyData(), pass), pipeline(pass, createWriteStream(emptyFile))]);
  const run = await openWithLibreOffice([fullFile, emptyFile]);
  console.info(`LibreOffice opened and exported 2 report workbooks in ${Math.round(run.elapsedMs)} ms`);
  full = run.workbooks.get(fullFile)!;
  empty = run.workbooks.get(emptyFile)!;
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Data rows of a sheet (below the header, above the totals row when there is one). */
function dataRows(s: CsvSheet, count: number): { rows: string[][]; text: boolean[][] } {
  return {
    rows: s.rows.slice(FIRST_DATA_ROW - 1, FIRST_DATA_ROW - 1 + count),
    text: s.text.slice(FIRST_DATA_ROW - 1, FIRST_DATA_ROW - 1 + count),
  };
}

function totalsRow(s: CsvSheet, count: number): string[] {
  return s.rows[FIRST_DATA_ROW - 1 + count] ?? [];
}

describe('report workbook in LibreOffice', () => {
  test('has the five sheets in order, each with its header row', () => {
    expect(full.sheetNames).toEqual([
      SHEETS.summary,
      SHEETS.salespeople,
      SHEETS.receivables,
      SHEETS.contracts,
      SHEETS.findings,
    ]);
    expect(sheet(full, SHEETS.summary).rows[HEADER_ROW - 1]).toEqual([
      'Region',
      'Contracts signed',
      'Contract value (EUR)',
      'Delivered (EUR)',
      'Returned (EUR)',
      'Invoiced (EUR)',
      'Collected (EUR)',
      'Expenses (EUR)',
    ]);
    expect(sheet(full, SHEETS.summary).rows[0]?.[0]).toBe('Statistics by region, 2016-Q4 (2016-10-01 to 2016-12-31)');
    expect(sheet(full, SHEETS.receivables).rows[0]?.[0]).toBe('Receivables aging by customer as of 2016-12-31');
  });

  test('Summary: every measure by region to the cent, and recalculated SUM totals equal the sums', () => {
    const s = sheet(full, SHEETS.summary);
    const { rows, text } = dataRows(s, REGIONS.length);
    const measures = ['contractValue', 'delivered', 'returned', 'invoiced', 'collected', 'expenses'] as const;
    REGIONS.forEach((r, i) => {
      expect(rows[i]?.[0]).toBe(r.group);
      expect(text[i]?.[0]).toBe(true);
      expect(rows[i]?.[1]).toBe(String(r.contractsSigned));
      expect(text[i]?.[1]).toBe(false);
      measures.forEach((m, j) => {
        expect(centsFromDisplay(rows[i]?.[2 + j] ?? '')).toBe(parseMoney(r[m]));
        expect(text[i]?.[2 + j]).toBe(false);
      });
    });
    const totals = totalsRow(s, REGIONS.length);
    expect(totals[0]).toBe('Total');
    expect(totals[1]).toBe(String(REGIONS.reduce((a, r) => a + r.contractsSigned, 0)));
    measures.forEach((m, j) => expect(totals[2 + j]).toBe(display(sum(REGIONS.map((r) => r[m])))));
    // The worked figures, so a wrong summing rule cannot hide behind the same rule in the test.
    expect(totals[2]).toBe('1,246,920.66');
    expect(totals[3]).toBe('10,000.37');
    // Zero shows as a dash, in data and totals: West returned nothing, NASTY rows invoiced nothing.
    expect(rows[1]?.[4]).toBe('–');
  });

  test('text that looks like a formula stays literal text', () => {
    const { rows, text } = dataRows(sheet(full, SHEETS.summary), REGIONS.length);
    const names = rows.map((r) => r[0]);
    for (const n of NASTY) expect(names).toContain(n);
    expect(text.every((t) => t[0] === true)).toBe(true);
    const people = dataRows(sheet(full, SHEETS.salespeople), SALESPEOPLE.length);
    expect(people.rows.map((r) => r[1])).toEqual(['Ann =SUM(1)', 'Bo', '', '-2']);
    expect(people.text[3]?.[1]).toBe(true);
    const rec = dataRows(sheet(full, SHEETS.receivables), RECEIVABLES.length);
    expect(rec.rows.map((r) => r[1])).toEqual(['@SUM(A1)', '+A1']);
    expect(sheet(full, SHEETS.contracts).rows[FIRST_DATA_ROW]?.[0]).toBe('=K2');
  });

  test('Salespeople: measures, the rate and the commission of each row, and their totals', () => {
    const s = sheet(full, SHEETS.salespeople);
    const { rows } = dataRows(s, SALESPEOPLE.length);
    SALESPEOPLE.forEach((p, i) => {
      expect(rows[i]?.[0]).toBe(p.group);
      expect(centsFromDisplay(rows[i]?.[7] ?? '')).toBe(parseMoney(p.collected));
      const expected = COMMISSIONS[i];
      expect(rows[i]?.[10]).toBe(expected === null || expected === undefined ? '' : display(parseMoney(expected)));
    });
    expect(rows.map((r) => r[9])).toEqual(['2.50%', '3.25%', '', '5.00%']);
    const totals = totalsRow(s, SALESPEOPLE.length);
    expect(totals[10]).toBe('260.05');
    expect(totals[7]).toBe(display(sum(SALESPEOPLE.map((p) => p.collected))));
  });

  test('Receivables: every bucket per customer and SUM totals', () => {
    const s = sheet(full, SHEETS.receivables);
    const { rows } = dataRows(s, RECEIVABLES.length);
    const fields = ['current', 'd1_30', 'd31_60', 'd61_90', 'd91_120', 'over120', 'total', 'unapplied'] as const;
    RECEIVABLES.forEach((r, i) => {
      expect(rows[i]?.[0]).toBe(r.group);
      fields.forEach((f, j) => expect(centsFromDisplay(rows[i]?.[2 + j] ?? '')).toBe(parseMoney(r[f])));
    });
    const totals = totalsRow(s, RECEIVABLES.length);
    fields.forEach((f, j) => expect(totals[2 + j]).toBe(display(sum(RECEIVABLES.map((r) => r[f])))));
    expect(totals[8]).toBe('1,200.30');
  });

  test('Contract performance: real dates, money (negative receivable) and quantities', () => {
    const s = sheet(full, SHEETS.contracts);
    const { rows, text } = dataRows(s, CONTRACTS.length);
    expect(rows[0]?.slice(0, 8)).toEqual(['K-1', 'C1', 'Customer One', 'SP1', 'Ann', 'East', '2016-10-03', 'active']);
    expect(rows[1]?.slice(0, 8)).toEqual(['=K2', 'C2', '', 'SP2', '', 'West', '2015-12-31', 'completed']);
    // A date cell is a number with a date format: LibreOffice does not quote it, as it quotes every text cell.
    expect(text[0]?.[6]).toBe(false);
    expect(rows[1]?.slice(8)).toEqual(['50.00', '50.00', '50.00', '100.00', '-50.00', '0', '0']);
    const totals = totalsRow(s, CONTRACTS.length);
    expect(totals.slice(8)).toEqual(['1,050.00', '650.00', '550.00', '500.00', '50.00', '4', '1']);
  });

  test('Invoice check: findings with prices and quantities as numbers, references as text', () => {
    const s = sheet(full, SHEETS.findings);
    const { rows, text } = dataRows(s, FINDINGS.length);
    expect(rows).toEqual([
      ['I-1', '2016-11-05', 'K-1', '1', 'X', 'Unit price differs from the order', '12.50', '12.5001', 'PRICE_MISMATCH'],
      ['I-1', '2016-11-05', 'K-1', '2', 'Y', 'Invoiced more than ordered', '10', '12', 'QTY_EXCEEDS_ORDERED'],
      ['I-2', '2016-12-31', 'K-9', '', '', 'Contract does not exist', '', 'K-9', 'UNKNOWN_CONTRACT'],
      ['I-3', '2016-10-01', 'K-1', '1', '+A1', 'Item is not on the order', '', '+A1', 'ITEM_NOT_ON_ORDER'],
    ]);
    expect(text[0]?.slice(6, 8)).toEqual([false, false]);
    expect(text[3]?.[7]).toBe(true);
    expect(s.rows).toHaveLength(FIRST_DATA_ROW - 1 + FINDINGS.length);
  });

  test('an empty period is a valid workbook with headers, an empty table row and zero totals (dashes)', () => {
    expect(empty.sheetNames).toHaveLength(5);
    for (const name of empty.sheetNames) {
      const s = sheet(empty, name);
      expect(s.rows[HEADER_ROW - 1]?.length).toBeGreaterThan(5);
      // A table needs a data row: the empty one stays blank, the totals row comes below it.
      expect((s.rows[FIRST_DATA_ROW - 1] ?? []).every((c) => c === '')).toBe(true);
      const totals = s.rows[FIRST_DATA_ROW];
      if (name === SHEETS.findings) expect(totals).toBeUndefined();
      else {
        expect(totals?.[0]).toBe('Total');
        const money = (totals ?? []).filter((c, i) => /\(EUR\)$/.test(s.rows[HEADER_ROW - 1]?.[i] ?? ''));
        expect(money.length).toBeGreaterThan(0);
        expect(money.every((c) => c === '–')).toBe(true);
      }
    }
  });
});

describe('report workbook file', () => {
  let book: ExcelJS.Workbook;
  beforeAll(async () => {
    book = new ExcelJS.Workbook();
    // exceljs parses with a strict XML parser: a malformed part (which LibreOffice may quietly skip) fails here.
    await book.xlsx.readFile(fullFile);
  });

  test('totals are SUM formulas over the data rows, with their cached results', () => {
    const ws = book.getWorksheet(SHEETS.summary)!;
    const last = FIRST_DATA_ROW + REGIONS.length - 1;
    const cell = ws.getCell(`C${last + 1}`);
    expect(cell.formula).toBe(`SUM(C${FIRST_DATA_ROW}:C${last})`);
    expect(cell.result).toBe(1246920.66);
    const rec = book.getWorksheet(SHEETS.receivables)!.getCell(`I${FIRST_DATA_ROW + RECEIVABLES.length}`);
    expect(rec.formula).toBe(`SUM(I${FIRST_DATA_ROW}:I${FIRST_DATA_ROW + 1})`);
  });

  test('no data cell is a formula, and text cells are strings', () => {
    const ws = book.getWorksheet(SHEETS.summary)!;
    for (let r = FIRST_DATA_ROW; r < FIRST_DATA_ROW + REGIONS.length; r++) {
      ws.getRow(r).eachCell((c) => expect(c.type).not.toBe(ExcelJS.ValueType.Formula));
      expect([ExcelJS.ValueType.String, ExcelJS.ValueType.RichText]).toContain(ws.getCell(r, 1).type);
    }
  });

  test('document properties, frozen headers, formats and widths', () => {
    expect(book.title).toBe('Ledgerdesk report 2016-Q4 v3');
    expect(book.subject).toBe('2016-Q4');
    expect(book.creator).toBe('timer:monthly-report');
    expect(book.lastModifiedBy).toBe('timer:monthly-report');
    expect(book.created.toISOString()).toBe('2017-01-01T02:00:00.000Z');
    expect(book.keywords).toContain('0.1.0-test');
    const ws = book.getWorksheet(SHEETS.contracts)!;
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: HEADER_ROW });
    expect(ws.getCell(`G${FIRST_DATA_ROW}`).numFmt).toBe('yyyy-mm-dd');
    expect(ws.getCell(`I${FIRST_DATA_ROW}`).numFmt).toBe(MONEY_FORMAT);
    expect(MONEY_FORMAT).toBe('#,##0.00;-#,##0.00;"–"');
    // Widths fitted to content: the id column fits "Contract ID" (11) and "=K2"; the customer name column fits
    // "Customer One"; hidden only where asked (the Invoice check's code column).
    expect(ws.getColumn(1).width).toBeGreaterThanOrEqual(12);
    expect(ws.getColumn(3).width).toBeGreaterThanOrEqual(12 + 3);
    expect(ws.getColumn(3).hidden).toBe(false);
    const findings = book.getWorksheet(SHEETS.findings)!;
    expect(findings.getColumn(9).hidden).toBe(true);
    expect(findings.getColumn(6).width).toBeGreaterThanOrEqual('Unit price differs from the order'.length);
    // The header row is tall enough for its wrapped lines.
    expect(book.getWorksheet(SHEETS.summary)!.getRow(HEADER_ROW).height).toBeGreaterThanOrEqual(2 * 15);
  });
});

describe('helpers', () => {
  test('the periods a report compares with: the one before, across year boundaries, and a year earlier', () => {
    const prev = (l: string) => previousPeriod(parsePeriod(l)).label;
    const ago = (l: string) => yearEarlier(parsePeriod(l)).label;
    expect([prev('2017-01'), prev('2016-11'), prev('2017-Q1'), prev('2016-Q4'), prev('2017')]).toEqual([
      '2016-12',
      '2016-10',
      '2016-Q4',
      '2016-Q3',
      '2016',
    ]);
    expect([ago('2016-11'), ago('2016-Q4'), ago('2016'), ago('2016-02')]).toEqual([
      '2015-11',
      '2015-Q4',
      '2015',
      '2015-02',
    ]);
  });

  test('change and % change: exact cents, no percentage without a base', () => {
    expect(change(100_000, 80_000)).toEqual({ change: 20_000, percent: 0.25 });
    expect(change(0, 5)).toEqual({ change: -5, percent: -1 });
    expect(change(7, 0)).toEqual({ change: 7, percent: null });
    expect(change(-50, -100)).toEqual({ change: 50, percent: 0.5 });
  });

  test('strings are escaped only where XML cannot carry them', () => {
    expect(escapeXString('plain =1+1')).toBe('plain =1+1');
    expect(escapeXString('\rx')).toBe('_x000D_x');
    expect(escapeXString('a_x0041_b')).toBe('a_x005F_x0041_b');
    expect(escapeXString('\u0001')).toBe('_x0001_');
  });
});

describe('Summary comparisons and breakdown in LibreOffice', () => {
  /** The rows of the table whose header row starts with `first`, up to the first blank row. */
  function tableAfter(s: CsvSheet, first: string): string[][] {
    const header = s.rows.findIndex((r) => r[0] === first);
    expect(header).toBeGreaterThan(0);
    const out: string[][] = [];
    for (let i = header + 1; i < s.rows.length && (s.rows[i]?.[0] ?? '') !== ''; i++) out.push(s.rows[i] ?? []);
    return out;
  }

  test('this period, the previous one and a year earlier, with change and % change computed independently', () => {
    const s = sheet(full, SHEETS.summary);
    const header = s.rows.find((r) => r[0] === 'Measure');
    expect(header).toEqual([
      'Measure',
      '2016-Q4',
      '2016-Q3',
      'Change vs 2016-Q3',
      '% vs 2016-Q3',
      '2015-Q4',
      'Change vs 2015-Q4',
      '% vs 2015-Q4',
    ]);
    const rows = tableAfter(s, 'Measure');
    const measures = ['contractValue', 'delivered', 'returned', 'invoiced', 'collected', 'expenses'] as const;
    expect(rows.map((r) => r[0])).toEqual([
      'Contracts signed',
      ...['Contract value', 'Delivered', 'Returned', 'Invoiced', 'Collected', 'Expenses'].map((m) => `${m} (EUR)`),
    ]);
    // No base, no percentage; no change shows as a dash like every zero.
    const pct = (cur: number, base: number) =>
      base === 0 ? '' : cur === base ? '–' : `${(((cur - base) / Math.abs(base)) * 100).toFixed(1)}%`;
    measures.forEach((m, j) => {
      const cur = parseMoney(COMPARISON.current.figures[m]);
      const prev = parseMoney(COMPARISON.previous.figures[m]);
      const ago = parseMoney(COMPARISON.yearEarlier.figures[m]);
      const r = rows[j + 1] ?? [];
      expect(centsFromDisplay(r[1] ?? '')).toBe(cur);
      expect(centsFromDisplay(r[2] ?? '')).toBe(prev);
      expect(centsFromDisplay(r[3] ?? '')).toBe(cur - prev);
      expect(r[4]).toBe(pct(cur, prev));
      expect(centsFromDisplay(r[5] ?? '')).toBe(ago);
      expect(centsFromDisplay(r[6] ?? '')).toBe(cur - ago);
      expect(r[7]).toBe(pct(cur, ago));
    });
    // Worked by hand: contract value 1,000.00 vs 800.00 is +200.00, +25.0 %; invoiced 400.00 vs 0.00 has no %;
    // returned 0.00 vs 0.05 is -0.05, -100.0 %; contracts 5 vs 4 is +1, +25.0 %.
    expect(rows[1]?.slice(1, 5)).toEqual(['1,000.00', '800.00', '200.00', '25.0%']);
    expect(rows[4]?.slice(3, 5)).toEqual(['400.00', '']);
    expect(rows[3]?.slice(2, 5)).toEqual(['0.05', '-0.05', '-100.0%']);
    expect(rows[0]?.slice(1, 5)).toEqual(['5', '4', '1', '25.0%']);
  });

  test('a quarter breaks down by month with a SUM total; no quarter table for a quarter', () => {
    const s = sheet(full, SHEETS.summary);
    const rows = tableAfter(s, 'Period');
    expect(rows.map((r) => r[0])).toEqual(['2016-10', '2016-11', '2016-12', 'Total']);
    expect(rows[1]?.slice(1)).toEqual(['0', '–', '–', '–', '–', '–', '–']);
    expect(centsFromDisplay(rows[3]?.[5] ?? '')).toBe(sum(MONTHS.map((m) => m.invoiced)));
    expect(rows[3]?.[5]).toBe('400.00');
    expect(s.rows.some((r) => r[0] === '2016-Q4 by quarter')).toBe(false);
  });
});
