// The LibreOffice harness itself: it must recalculate formulas on load, tell text from numbers, and fail on files it cannot open.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import {
  centsFromDisplay,
  LibreOfficeError,
  openWithLibreOffice,
  parseCsv,
  pdfPageCount,
  sheet,
} from '../../support/libreoffice';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ld-lo-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('recalculates formulas on load instead of showing the cached result, and exports every sheet', async () => {
  const book = new ExcelJS.Workbook();
  const ws = book.addWorksheet('First sheet');
  ws.addRow([1.1]);
  ws.addRow([2.2]);
  // A wrong cached result: only a recalculating reader shows 3.3.
  ws.addRow([{ formula: 'SUM(A1:A2)', result: 99 }]);
  book.addWorksheet('Second').addRow(['x']);
  const file = path.join(dir, 'recalc.xlsx');
  await book.xlsx.writeFile(file);

  const run = await openWithLibreOffice([file]);
  const opened = run.workbooks.get(file)!;
  expect(opened.sheetNames).toEqual(['First sheet', 'Second']);
  expect(sheet(opened, 'First sheet').rows[2]).toEqual(['3.3']);
  expect(sheet(opened, 'Second').rows).toEqual([['x']]);
  expect(sheet(opened, 'Second').text).toEqual([[true]]);
  expect(run.elapsedMs).toBeGreaterThan(0);
});

test('a file LibreOffice cannot load is an error naming it', async () => {
  const file = path.join(dir, 'broken.xlsx');
  await writeFile(file, 'this is not a zip package');
  const error: unknown = await openWithLibreOffice([file]).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(LibreOfficeError);
  expect((error as Error).message).toMatch(/broken\.xlsx/);
});

test('parseCsv keeps quoting, embedded separators, quotes and line breaks', () => {
  const parsed = parseCsv('"a\tb"\t1,234.50 EUR\n"say ""hi"""\t\n"line\nbreak"\t-2\n', '\t');
  expect(parsed.rows).toEqual([
    ['a\tb', '1,234.50 EUR'],
    ['say "hi"', ''],
    ['line\nbreak', '-2'],
  ]);
  expect(parsed.text).toEqual([
    [true, false],
    [true, false],
    [true, false],
  ]);
});

test('centsFromDisplay accepts only the report money format, zero as a dash', () => {
  expect(centsFromDisplay('1,234,567.89')).toBe(123456789);
  expect(centsFromDisplay('-0.05')).toBe(-5);
  expect(centsFromDisplay('–')).toBe(0);
  expect(() => centsFromDisplay('0.00')).toThrow(LibreOfficeError);
  expect(() => centsFromDisplay('1234.5')).toThrow(LibreOfficeError);
  expect(() => centsFromDisplay('1.00 EUR')).toThrow(LibreOfficeError);
});

test('pdfPageCount counts page objects, not the page tree', () => {
  const pdf = Buffer.from(
    '1 0 obj <</Type /Pages /Kids [2 0 R 3 0 R]>> 2 0 obj <</Type/Page>> 3 0 obj <</Type /Page /X 1>>',
  );
  expect(pdfPageCount(pdf)).toBe(2);
});
