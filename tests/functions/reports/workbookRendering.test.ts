// The report workbook's charts, Excel tables and print settings, as LibreOffice reads them back (round trip to xlsx),
// and its rendering: LibreOffice prints each sheet to PDF, the page count is what the layout promises, and one page
// of each sheet is kept in test-artifacts/ as a picture.
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import JSZip from 'jszip';
import { parsePeriod } from '../../../shared/dates';
import { formatMoney } from '../../../shared/money';
import {
  FIRST_DATA_ROW,
  HEADER_ROW,
  SHEETS,
  TOP_OVERDUE,
  writeReportWorkbook,
  type CustomerReceivablesRow,
  type OpenContractRow,
  type ReportData,
} from '../../../functions/src/reports/workbook';
import { convertWithLibreOffice, pdfPageCount, renderPdfPage } from '../../support/libreoffice';

const stats = (period: string, group: string | null, n: number, cents: number) => ({
  period,
  group,
  contractsSigned: n,
  contractValue: formatMoney(cents * 3),
  delivered: formatMoney(cents * 2),
  returned: formatMoney(cents % 7),
  invoiced: formatMoney(cents),
  collected: formatMoney(Math.round(cents * 0.8)),
  expenses: formatMoney(cents % 1000),
});
const figures = (cents: number) => {
  const { period: _p, group: _g, ...f } = stats('', null, 3, cents);
  return f;
};

const REGIONS = ['North', 'East', 'South', 'West', 'Central'].map((r, i) =>
  stats('2016', r, i + 2, 1_000_00 * (i + 3)),
);
const CUSTOMERS = 15;
const CONTRACTS = 160;

/** Customers already in the Receivables order: the first 12 have something overdue, the last 3 nothing. */
function receivables(): CustomerReceivablesRow[] {
  return Array.from({ length: CUSTOMERS }, (_, i) => {
    const overdue = i < 12;
    const over = overdue ? (CUSTOMERS - i) * 1000_00 : 0;
    return {
      group: `C${String(i + 1).padStart(3, '0')}`,
      name: `Customer ${i + 1} GmbH`,
      current: formatMoney(50_00),
      d1_30: formatMoney(overdue ? 10_00 : 0),
      d31_60: '0.00',
      d61_90: '0.00',
      d91_120: formatMoney(over),
      over120: formatMoney(overdue ? 5_00 : 0),
      total: formatMoney(50_00 + (overdue ? 15_00 + over : 0)),
      unapplied: '0.00',
    };
  });
}

function contracts(): OpenContractRow[] {
  return Array.from({ length: CONTRACTS }, (_, i) => ({
    contractId: `K-${String(i + 1).padStart(4, '0')}`,
    customerId: `C${String((i % CUSTOMERS) + 1).padStart(3, '0')}`,
    customerName: `Customer ${(i % CUSTOMERS) + 1} GmbH`,
    salespersonId: `SP${i % 4}`,
    salespersonName: `Salesperson ${i % 4}`,
    region: 'North',
    signedOn: '2016-03-01',
    status: 'active',
    orderedAmount: '12345.67',
    deliveredAmount: '10000.00',
    invoicedAmount: '9000.00',
    collected: '8000.00',
    receivable: '1000.00',
    undeliveredQty: 3,
    uninvoicedQty: 1,
  }));
}

function yearData(): ReportData {
  return {
    period: parsePeriod('2016'),
    generatedAt: new Date('2017-01-01T02:00:00.000Z'),
    generatedBy: 'timer:annualReport',
    appVersion: '0.1.0-test',
    reportVersion: 1,
    currency: 'EUR',
    regions: REGIONS,
    months: Array.from({ length: 12 }, (_, i) =>
      stats(`2016-${String(i + 1).padStart(2, '0')}`, null, i, 100_00 * (i + 1)),
    ),
    quarters: [1, 2, 3, 4].map((q) => stats(`2016-Q${q}`, null, q, 1000_00 * q)),
    comparison: {
      current: { label: '2016', figures: figures(500_000_00) },
      previous: { label: '2015', figures: figures(400_000_00) },
      yearEarlier: { label: '2015', figures: figures(400_000_00) },
    },
    salespeople: [0, 1, 2, 3].map((i) => ({
      ...stats('2016', `SP${i}`, i, 2000_00 * (i + 1)),
      name: `Salesperson ${i}`,
      commissionRate: '0.03',
      commission: '12.34',
    })),
    receivables: { asOf: '2016-12-31', rows: receivables() },
    contracts: contracts(),
    findings: [
      {
        invoiceNo: 'I-1',
        issuedOn: '2016-05-05',
        contractId: 'K-0001',
        lineNo: 1,
        itemCode: 'X',
        code: 'PRICE_MISMATCH',
        expected: '12.50',
        actual: '13.00',
      },
    ],
  };
}

const ARTIFACTS = path.resolve(__dirname, '../../../test-artifacts');
const SHEET_ORDER = Object.values(SHEETS);

let dir: string;
let original: JSZip;
/** The workbook as LibreOffice saves it again: what it understood of charts, tables and print settings. */
let roundTrip: JSZip;
/** Per sheet: its PDF (only that sheet printed) and the text of each page (pdftotext, pages split at form feeds). */
const printed = new Map<string, { pages: number; text: string[] }>();

function pdfText(pdf: string): Promise<string[]> {
  return new Promise((resolve, reject) =>
    execFile('pdftotext', ['-layout', pdf, '-'], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout) =>
      err ? reject(new Error(`pdftotext failed: ${err.message}`)) : resolve(stdout.split('\f').slice(0, -1)),
    ),
  );
}

/** The part a relationship of `part` points to, by type suffix, as a zip path. */
async function related(zip: JSZip, part: string, type: string): Promise<string[]> {
  const relsPath = part.replace(/([^/]+)$/, '_rels/$1.rels');
  const rels = (await zip.file(relsPath)?.async('string')) ?? '';
  const base = path.posix.dirname(part);
  return [...rels.matchAll(/<Relationship [^>]*>/g)]
    .map((m) => m[0])
    .filter((r) => r.includes(`/relationships/${type}"`))
    .map((r) => path.posix.normalize(path.posix.join(base, /Target="([^"]+)"/.exec(r)?.[1] ?? '')));
}

/** The worksheet part of a sheet name. */
async function sheetPart(zip: JSZip, name: string): Promise<string> {
  const workbook = (await zip.file('xl/workbook.xml')?.async('string')) ?? '';
  const esc = name.replace(/&/g, '&amp;');
  const rId = new RegExp(`<sheet [^>]*name="${esc}"[^>]*r:id="([^"]+)"`).exec(workbook)?.[1];
  const rels = (await zip.file('xl/_rels/workbook.xml.rels')?.async('string')) ?? '';
  const target =
    new RegExp(`<Relationship [^>]*Id="${rId}"[^>]*Target="([^"]+)"`).exec(rels)?.[1] ??
    new RegExp(`<Relationship [^>]*Target="([^"]+)"[^>]*Id="${rId}"`).exec(rels)?.[1];
  expect(target).toBeDefined();
  return path.posix.normalize(path.posix.join('xl', target!.replace(/^\/xl\//, '')));
}

async function chartsOf(zip: JSZip, sheetName: string): Promise<{ title: string; refs: string[]; xml: string }[]> {
  const out = [];
  for (const drawing of await related(zip, await sheetPart(zip, sheetName), 'drawing'))
    for (const chart of await related(zip, drawing, 'chart')) {
      const xml = (await zip.file(chart)?.async('string')) ?? '';
      out.push({
        title: [...xml.matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((m) => m[1]).join(''),
        refs: [...xml.matchAll(/<c:f>([^<]*)<\/c:f>/g)].map((m) => (m[1] ?? '').replace(/&apos;/g, "'")),
        xml,
      });
    }
  return out;
}

async function tablesOf(zip: JSZip, sheetName: string): Promise<{ name: string; ref: string; columns: string[] }[]> {
  const out = [];
  for (const t of await related(zip, await sheetPart(zip, sheetName), 'table')) {
    const xml = (await zip.file(t)?.async('string')) ?? '';
    out.push({
      name: / name="([^"]+)"/.exec(xml)?.[1] ?? '',
      ref: / ref="([^"]+)"/.exec(xml)?.[1] ?? '',
      columns: [...xml.matchAll(/<tableColumn [^>]*name="([^"]*)"/g)].map((m) => m[1] ?? ''),
    });
  }
  return out.sort((a, b) => a.ref.localeCompare(b.ref, 'en', { numeric: true }));
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ld-render-'));
  const file = path.join(dir, 'year.xlsx');
  const out = createWriteStream(file);
  await writeReportWorkbook(yearData(), out);
  if (!out.writableFinished) await once(out, 'finish');
  const bytes = await readFile(file);
  original = await JSZip.loadAsync(bytes);
  // One copy per sheet with every other sheet hidden: LibreOffice prints visible sheets only.
  const variants: string[] = [];
  for (const [i, name] of SHEET_ORDER.entries()) {
    const zip = await JSZip.loadAsync(bytes);
    const wbXml = (await zip.file('xl/workbook.xml')!.async('string'))
      .replace(/<sheet ([^>]*)state="visible"/g, (m, attrs: string) =>
        attrs.includes(`name="${name}"`) ? m : `<sheet ${attrs}state="hidden"`,
      )
      // The active sheet must be a visible one: LibreOffice shows (and prints) a hidden active sheet anyway.
      .replace(/<bookViews>.*?<\/bookViews>/, '')
      .replace('<sheets>', `<bookViews><workbookView activeTab="${i}"/></bookViews><sheets>`);
    zip.file('xl/workbook.xml', wbXml);
    const variant = path.join(dir, `sheet${i + 1}.xlsx`);
    await writeFile(variant, await zip.generateAsync({ type: 'nodebuffer' }));
    variants.push(variant);
  }
  const rtDir = path.join(dir, 'roundtrip');
  const pdfDir = path.join(dir, 'pdf');
  await mkdir(rtDir);
  await mkdir(pdfDir);
  const [rt] = await convertWithLibreOffice([file], 'xlsx', rtDir);
  roundTrip = await JSZip.loadAsync(await readFile(rt!));
  const pdfs = await convertWithLibreOffice(variants, 'pdf', pdfDir);
  await mkdir(ARTIFACTS, { recursive: true });
  for (const [i, name] of SHEET_ORDER.entries()) {
    const pdf = pdfs[i]!;
    printed.set(name, { pages: pdfPageCount(await readFile(pdf)), text: await pdfText(pdf) });
    await renderPdfPage(pdf, 1, path.join(ARTIFACTS, `report-${i + 1}-${name.replace(/\W+/g, '-').toLowerCase()}`));
  }
}, 300_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const S = (name: string) => `'${name}'`;

describe('charts', () => {
  test('the written chart parts reference the tables they plot', async () => {
    const summary = await chartsOf(original, SHEETS.summary);
    expect(summary.map((c) => c.title)).toEqual([
      'Invoiced and collected by region',
      'Invoiced and collected by month',
    ]);
    const last = FIRST_DATA_ROW + REGIONS.length - 1;
    // Invoiced (F) and Collected (G): money with money on one axis, never the count of contracts.
    expect(summary[0]?.refs).toEqual([
      `${S('Summary')}!$F$${HEADER_ROW}`,
      `${S('Summary')}!$A$${FIRST_DATA_ROW}:$A$${last}`,
      `${S('Summary')}!$F$${FIRST_DATA_ROW}:$F$${last}`,
      `${S('Summary')}!$G$${HEADER_ROW}`,
      `${S('Summary')}!$A$${FIRST_DATA_ROW}:$A$${last}`,
      `${S('Summary')}!$G$${FIRST_DATA_ROW}:$G$${last}`,
    ]);
    expect(summary[0]?.xml).toContain('<c:barChart>');
    expect(summary[1]?.xml).toContain('<c:lineChart>');
    const receivables = await chartsOf(original, SHEETS.receivables);
    expect(receivables.map((c) => c.title)).toEqual([
      'Receivables aging by bucket',
      `Top ${TOP_OVERDUE} overdue customers`,
    ]);
    expect(receivables[1]?.xml).toContain('<c:barDir val="bar"/><c:grouping val="stacked"/>');
    // The top 10 rows (most overdue first), names as categories, one series per overdue bucket (D..H).
    const top = FIRST_DATA_ROW + TOP_OVERDUE - 1;
    expect(receivables[1]?.refs.slice(0, 3)).toEqual([
      `${S('Receivables')}!$D$${HEADER_ROW}`,
      `${S('Receivables')}!$B$${FIRST_DATA_ROW}:$B$${top}`,
      `${S('Receivables')}!$D$${FIRST_DATA_ROW}:$D$${top}`,
    ]);
    expect(receivables[1]?.refs.filter((_, i) => i % 3 === 2).map((r) => r.split('!$')[1]?.[0])).toEqual([
      'D',
      'E',
      'F',
      'G',
      'H',
    ]);
    // Aging: one stacked column of the totals row, one series per bucket Current..Over 120 (C..H).
    const totals = FIRST_DATA_ROW + CUSTOMERS;
    expect(receivables[0]?.refs.filter((_, i) => i % 3 === 2)).toEqual(
      ['C', 'D', 'E', 'F', 'G', 'H'].map((c) => `${S('Receivables')}!$${c}$${totals}`),
    );
  });

  test('LibreOffice reads them as charts and saves them again with the same ranges', async () => {
    const summary = await chartsOf(roundTrip, SHEETS.summary);
    expect(summary).toHaveLength(2);
    const months = summary.find((c) => c.refs.some((r) => r.includes('$A$')) && c.xml.includes('lineChart'));
    expect(months).toBeDefined();
    const monthHeader = (await tablesOf(original, SHEETS.summary)).find((t) => t.name === 'ByMonth')!;
    const [, first, lastRow] = /^A(\d+):H(\d+)$/.exec(monthHeader.ref) ?? [];
    expect(first).toBeDefined();
    const headerRow = Number(first);
    expect(months!.refs).toEqual(
      expect.arrayContaining([
        `Summary!$A$${headerRow + 1}:$A$${headerRow + 12}`,
        `Summary!$F$${headerRow + 1}:$F$${headerRow + 12}`,
        `Summary!$G$${headerRow + 1}:$G$${headerRow + 12}`,
      ]),
    );
    expect(Number(lastRow)).toBe(headerRow + 12);
    const receivables = await chartsOf(roundTrip, SHEETS.receivables);
    expect(receivables).toHaveLength(2);
    expect(receivables.flatMap((c) => c.refs)).toEqual(
      expect.arrayContaining([`Receivables!$B$${FIRST_DATA_ROW}:$B$${FIRST_DATA_ROW + TOP_OVERDUE - 1}`]),
    );
    expect(await chartsOf(roundTrip, SHEETS.contracts)).toEqual([]);
  });
});

describe('Excel tables', () => {
  test('every table is an Excel table over its header and data rows, with filter buttons and banded rows', async () => {
    const expected: Record<string, { name: string; ref: string }[]> = {
      [SHEETS.salespeople]: [{ name: 'SalespeopleStats', ref: `A${HEADER_ROW}:K${HEADER_ROW + 4}` }],
      [SHEETS.receivables]: [{ name: 'ReceivablesAging', ref: `A${HEADER_ROW}:J${HEADER_ROW + CUSTOMERS}` }],
      [SHEETS.contracts]: [{ name: 'Contracts', ref: `A${HEADER_ROW}:O${HEADER_ROW + CONTRACTS}` }],
      [SHEETS.findings]: [{ name: 'Findings', ref: `A${HEADER_ROW}:I${HEADER_ROW + 1}` }],
    };
    for (const zip of [original, roundTrip]) {
      for (const [sheetName, tables] of Object.entries(expected))
        expect((await tablesOf(zip, sheetName)).map((t) => ({ name: t.name, ref: t.ref }))).toEqual(tables);
      const summary = await tablesOf(zip, SHEETS.summary);
      expect(summary.map((t) => t.name)).toEqual(['Regions', 'Comparison', 'ByMonth', 'ByQuarter']);
      expect(summary[0]?.ref).toBe(`A${HEADER_ROW}:H${HEADER_ROW + REGIONS.length}`);
    }
    // Banding every reader draws: a conditional format on every second data row (LibreOffice ignores table styles).
    const contractsXml = (await original.file(await sheetPart(original, SHEETS.contracts))?.async('string')) ?? '';
    const band = /<conditionalFormatting sqref="([^"]+)">.*?<formula>([^<]+)<\/formula>/.exec(contractsXml);
    expect(band?.slice(1)).toEqual([
      `A${FIRST_DATA_ROW}:O${HEADER_ROW + CONTRACTS}`,
      `MOD(ROW()-${FIRST_DATA_ROW},2)=1`,
    ]);
    const rtContracts = (await roundTrip.file(await sheetPart(roundTrip, SHEETS.contracts))?.async('string')) ?? '';
    expect(rtContracts).toMatch(
      new RegExp(`<conditionalFormatting sqref="A${FIRST_DATA_ROW}:O${HEADER_ROW + CONTRACTS}"`),
    );
    const written = (await original.file('xl/tables/table1.xml')?.async('string')) ?? '';
    expect(written).toContain('<autoFilter ref=');
    expect(written).toContain('showRowStripes="1"');
    // Column names are unique in each table (Excel repairs a file where they are not): a year compares with the
    // year before once, as previous period and year earlier are the same.
    // Excel compares names case-insensitively; table names are kept apart from sheet names too.
    const tableNames: string[] = [];
    for (const name of SHEET_ORDER)
      for (const t of await tablesOf(original, name)) {
        expect(new Set(t.columns.map((c) => c.toLowerCase())).size).toBe(t.columns.length);
        tableNames.push(t.name.toLowerCase());
      }
    expect(new Set(tableNames).size).toBe(tableNames.length);
    for (const name of SHEET_ORDER) expect(tableNames).not.toContain(name.toLowerCase());
    const comparison = (await tablesOf(original, SHEETS.summary)).find((t) => t.name === 'Comparison')!;
    expect(comparison.columns).toEqual(['Measure', '2016', '2015', 'Change vs 2015', '% vs 2015']);
    const contracts = (await tablesOf(original, SHEETS.contracts))[0]!;
    expect(contracts.columns.slice(0, 5)).toEqual([
      'Contract ID',
      'Customer ID',
      'Customer',
      'Salesperson ID',
      'Salesperson',
    ]);
    expect(contracts.columns).toContain('Receivable (EUR)');
  });
});

describe('print settings', () => {
  test('landscape, one page wide, header row repeated, footer with period, generation time and page x of y', async () => {
    for (const zip of [original, roundTrip]) {
      const workbook = (await zip.file('xl/workbook.xml')?.async('string')) ?? '';
      for (const [i, name] of SHEET_ORDER.entries()) {
        const xml = (await zip.file(await sheetPart(zip, name))?.async('string')) ?? '';
        const setup = /<pageSetup [^>]*>/.exec(xml)?.[0] ?? '';
        expect(setup).toContain('orientation="landscape"');
        expect(setup).toContain('fitToWidth="1"');
        expect(setup).toContain(`fitToHeight="${name === SHEETS.summary ? 1 : 0}"`);
        expect(xml).toMatch(/<pageSetUpPr fitToPage="(1|true)"\/>/);
        const titles = new RegExp(
          `<definedName [^>]*localSheetId="${i}"[^>]*name="_xlnm.Print_Titles"[^>]*>[^<]*!\\$${HEADER_ROW}:\\$${HEADER_ROW}<`,
        );
        const titlesOther = new RegExp(
          `<definedName [^>]*name="_xlnm.Print_Titles"[^>]*localSheetId="${i}"[^>]*>[^<]*!\\$${HEADER_ROW}:\\$${HEADER_ROW}<`,
        );
        const hasTitles = titles.test(workbook) || titlesOther.test(workbook);
        expect(hasTitles).toBe(name !== SHEETS.summary);
      }
    }
    const sheet1 = (await original.file('xl/worksheets/sheet3.xml')?.async('string')) ?? '';
    expect(/<oddFooter>([^<]*)<\/oddFooter>/.exec(sheet1)?.[1]).toBe(
      '&amp;LLedgerdesk report 2016 v1&amp;CGenerated 2017-01-01 02:00 UTC&amp;RPage &amp;P of &amp;N',
    );
  });
});

describe('rendered by LibreOffice (PDF)', () => {
  test('the Summary prints on one page with all its sections', () => {
    const p = printed.get(SHEETS.summary)!;
    expect(p.pages).toBe(1);
    const text = p.text[0] ?? '';
    for (const s of [
      'Statistics by region, 2016',
      '2016 compared with the year before (2015)',
      '2016 by month',
      '2016 by quarter',
    ])
      expect(text).toContain(s);
    expect(text).toMatch(/Ledgerdesk report 2016 v1\s+Generated 2017-01-01 02:00 UTC\s+Page 1 of 1/);
  });

  test('short sheets print on one page however wide; the long one on pages one page wide with its header on each', () => {
    for (const name of [SHEETS.salespeople, SHEETS.receivables, SHEETS.findings])
      expect(printed.get(name)!.pages).toBe(1);
    const contracts = printed.get(SHEETS.contracts)!;
    expect(contracts.pages).toBeGreaterThan(1);
    expect(contracts.text).toHaveLength(contracts.pages);
    contracts.text.forEach((page, i) => {
      // Header repeated, the last column on every page (nothing split off to the right), page x of y.
      expect(page).toContain('Contract ID');
      expect(page).toContain('Uninvoiced');
      expect(page).toContain(`Page ${i + 1} of ${contracts.pages}`);
    });
    // Every contract printed once, in order, the last one on the last page.
    const ids = contracts.text.join('\n').match(/K-\d{4}/g) ?? [];
    expect(ids).toHaveLength(CONTRACTS);
    expect(contracts.text.at(-1)).toContain(`K-${String(CONTRACTS).padStart(4, '0')}`);
  });

  test('headers do not overlap the first data row, and zeros print as dashes without a currency code', () => {
    const text = printed.get(SHEETS.receivables)!.text[0] ?? '';
    expect(text).not.toMatch(/\d EUR/);
    // The first customer's row is its own line below the (wrapped) header.
    const line = text.split('\n').find((l) => l.includes('C001'));
    expect(line).toMatch(/C001\s+Customer 1 GmbH\s+50\.00\s+10\.00\s+–\s+–\s+15,000\.00\s+5\.00\s+15,065\.00\s+–/);
  });
});
