// GET /api/dunning/letters on Azurite, read back by LibreOffice (figures to the cent, letter text filled in, text
// that looks like a formula kept as text) and by exceljs (A4 portrait, one page wide); only approved, issued reminders.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { ledgerData } from '../../../shared/calc';
import { setConfigForTests } from '../../../functions/src/config';
import { registerFigureProjection } from '../../../functions/src/figures/projection';
import { dunningLettersRoute } from '../../../functions/src/functions/dunningLetters';
import { CONTENT_TYPE } from '../../../functions/src/reports/workbook';
import { contract, invoice, invoiceLine, money } from '../../shared/calc/fixtures/records';
import { ledgerApi, REVIEWER, type LedgerApi } from '../../support/ledgerApi';
import { centsFromDisplay, openWithLibreOffice, sheet, type OpenedWorkbook } from '../../support/libreoffice';
import { putRecords, writeAndApprove } from '../figures/support';

jest.setTimeout(180_000);

const reminder = (
  reminderNo: string,
  customerId: string,
  level: number,
  payBy: string,
  status: 'issued' | 'cancelled' | 'resolved' = 'issued',
) => ({ reminderNo, customerId, currency: 'EUR', level, issuedOn: '2016-04-30', payBy, status });
const line = (
  reminderNo: string,
  lineNo: number,
  invoiceNo: string,
  level: number,
  o: string,
  d: number,
  i: string,
  f: string,
) => ({
  reminderNo,
  lineNo,
  invoiceNo,
  level,
  outstanding: money(o),
  daysOverdue: d,
  interest: money(i),
  fee: money(f),
});

const data = ledgerData({
  customers: [
    { customerId: 'K1', name: 'One', region: 'East', reminderTermsCode: 'STD' },
    { customerId: 'K2', name: '=2+3 Ltd', region: 'East', reminderTermsCode: 'STD' },
  ],
  reminderTerms: [
    { termsCode: 'STD', name: 'Standard', minAmount: 0, maxReminders: 0, interestRatePct: 0, interestBasisDays: '365' },
  ],
  reminderLevels: [
    {
      termsCode: 'STD',
      level: 1,
      graceDays: 0,
      payWithinDays: 10,
      feeFixed: 0,
      feePct: 0,
      chargeInterest: true,
      letterText: 'Dear {customer}, please pay {currency} {total} for {invoices} by {payBy}.',
    },
    {
      termsCode: 'STD',
      level: 2,
      graceDays: 0,
      payWithinDays: 14,
      feeFixed: 0,
      feePct: 0,
      chargeInterest: true,
      letterText:
        'Second reminder to {customer} of {asOf}: {outstanding} + {interest} + {fees} = {total} (unapplied {unapplied}).',
    },
  ],
  contracts: [contract('C1'), contract('C2', { customerId: 'K2' })],
  invoices: [
    invoice('I1', 'C1', '2016-02-01', '2016-03-01'),
    invoice('I4', 'C1', '2016-02-15', '2016-03-15'),
    invoice('I2', 'C2', '2016-02-01', '2016-03-01'),
  ],
  invoiceLines: [
    invoiceLine('I1', 1, 'A', 1, '1000.00'),
    invoiceLine('I4', 1, 'A', 1, '1234.56'),
    invoiceLine('I2', 1, 'A', 1, '200.00'),
  ],
  reminders: [
    reminder('R1', 'K1', 1, '2016-05-10'),
    reminder('R2', 'K2', 2, '2016-05-14'),
    reminder('R3', 'K1', 1, '2016-05-10', 'cancelled'),
    reminder('R5', 'K2', 1, '2016-05-10', 'resolved'),
  ],
  reminderLines: [
    line('R1', 1, 'I1', 1, '600.00', 60, '13.33', '5.00'),
    line('R1', 2, 'I4', 1, '1234.56', 46, '0.99', '0.00'),
    line('R2', 1, 'I2', 2, '200.00', 60, '3.33', '7.00'),
    line('R3', 1, 'I1', 1, '600.00', 60, '0.00', '0.00'),
  ],
});

let unregister: () => void;
let api: LedgerApi;
let dir: string;
beforeAll(async () => {
  unregister = registerFigureProjection();
  dir = await mkdtemp(path.join(tmpdir(), 'ld-letters-'));
  api = ledgerApi();
  await writeAndApprove(api, data);
  // Written but not approved: still pending review, so no letter.
  await putRecords(api, 'reminders', [reminder('R4', 'K1', 1, '2016-05-10')]);
});
afterAll(async () => {
  unregister();
  setConfigForTests(undefined);
  await rm(dir, { recursive: true, force: true });
});

async function download(query: Record<string, string>, file: string, disposition: string): Promise<string> {
  const res = await api.call(dunningLettersRoute, { query, user: REVIEWER });
  expect(res.status).toBe(200);
  const headers = new Headers(res.headers);
  expect(headers.get('content-type')).toBe(CONTENT_TYPE);
  expect(headers.get('content-disposition')).toBe(`attachment; filename="${disposition}"`);
  const out = path.join(dir, file);
  await writeFile(out, res.body as Buffer);
  return out;
}

/** A sheet's rows without trailing empty cells. */
function rows(book: OpenedWorkbook, name: string): string[][] {
  return sheet(book, name).rows.map((r) => {
    const copy = [...r];
    while (copy.length > 0 && copy[copy.length - 1] === '') copy.pop();
    return copy;
  });
}

describe('GET /api/dunning/letters', () => {
  it('issuedOn: one print-ready sheet per approved, issued reminder, figures to the cent, letter filled in', async () => {
    const file = await download({ issuedOn: '2016-04-30' }, 'day.xlsx', 'reminder-letters-2016-04-30.xlsx');

    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    expect(book.worksheets.map((w) => w.name)).toEqual(['R1', 'R2']);
    for (const ws of book.worksheets) {
      expect(ws.pageSetup.paperSize).toBe(9);
      expect(ws.pageSetup.orientation).toBe('portrait');
      expect(ws.pageSetup.fitToPage).toBe(true);
      expect(ws.pageSetup.fitToWidth).toBe(1);
    }

    const run = await openWithLibreOffice([file]);
    const opened = run.workbooks.get(file)!;
    expect(opened.sheetNames).toEqual(['R1', 'R2']);
    const r1 = rows(opened, 'R1');
    expect(r1[0]).toEqual(['Reminder R1 (level 1)']);
    expect(r1[1]).toEqual(['One (K1)']);
    expect(r1[2]).toEqual(['Issued on', '2016-04-30']);
    // 600.00 + 1,234.56 + 13.33 + 0.99 + 5.00 = 1,853.88
    expect(r1[4]).toEqual(['Dear One, please pay EUR 1853.88 for I1, I4 by 2016-05-10.']);
    expect(r1[6]).toEqual(['Invoice no', 'Due on', 'Days overdue', 'Outstanding (EUR)', 'Interest (EUR)', 'Fee (EUR)']);
    expect(r1[7]).toEqual(['I1', '2016-03-01', '60', '600.00', '13.33', '5.00']);
    expect(r1[8]).toEqual(['I4', '2016-03-15', '46', '1,234.56', '0.99', '–']);
    expect(r1[9]).toEqual(['Total', '', '', '1,834.56', '14.32', '5.00']);
    expect(r1[11]).toEqual(['Amount due (EUR)', '', '', '1,853.88']);
    expect(centsFromDisplay(r1[11]![3]!)).toBe(185388);
    expect(r1[12]).toEqual(['Pay by', '', '', '2016-05-10']);

    const r2 = rows(opened, 'R2');
    // A customer name starting with "=" stays text.
    expect(r2[1]).toEqual(['=2+3 Ltd (K2)']);
    expect(sheet(opened, 'R2').text[1]?.[0]).toBe(true);
    expect(r2[4]).toEqual([
      'Second reminder to =2+3 Ltd of 2016-04-30: 200.00 + 3.33 + 7.00 = 210.33 (unapplied 0.00).',
    ]);
    expect(r2[7]).toEqual(['I2', '2016-03-01', '60', '200.00', '3.33', '7.00']);
    // One line: the totals one row higher than on R1.
    expect(r2[8]).toEqual(['Total', '', '', '200.00', '3.33', '7.00']);
    expect(r2[10]).toEqual(['Amount due (EUR)', '', '', '210.33']);
    expect(r2[11]).toEqual(['Pay by', '', '', '2016-05-14']);
  });

  it('reminderNo: the reminders named, in the order named', async () => {
    const file = await download({ reminderNo: 'R2,R1' }, 'named.xlsx', 'reminder-letters.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    expect(book.worksheets.map((w) => w.name)).toEqual(['R2', 'R1']);
  });

  it('404 for a pending, cancelled, resolved or unknown reminder and for a day without any; 400 for bad parameters', async () => {
    for (const no of ['R4', 'R3', 'R5', 'R9']) {
      const res = await api.call(dunningLettersRoute, { query: { reminderNo: `R1,${no}` } });
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.jsonBody)).toContain(`\\"${no}\\"`);
    }
    const named = async (no: string) =>
      ((await api.call(dunningLettersRoute, { query: { reminderNo: no } })).jsonBody as { error: { message: string } })
        .error.message;
    expect(await named('R3')).toBe('No approved, issued reminder "R3" (cancelled).');
    expect(await named('R5')).toBe('No approved, issued reminder "R5" (resolved: all its invoices are paid).');
    expect(await named('R4')).toBe('No approved, issued reminder "R4".');
    expect((await api.call(dunningLettersRoute, { query: { issuedOn: '2016-05-01' } })).status).toBe(404);
    const neither = await api.call(dunningLettersRoute, { query: {} });
    expect(neither.status).toBe(400);
    expect(JSON.stringify(neither.jsonBody)).toContain('give exactly one of reminderNo and issuedOn');
    const both = await api.call(dunningLettersRoute, { query: { reminderNo: 'R1', issuedOn: '2016-04-30' } });
    expect(both.status).toBe(400);
    const bad = await api.call(dunningLettersRoute, { query: { issuedOn: '2016-02-30' } });
    expect(JSON.stringify(bad.jsonBody)).toContain('must be a calendar date as YYYY-MM-DD');
    const empty = await api.call(dunningLettersRoute, { query: { reminderNo: 'R1,' } });
    expect(JSON.stringify(empty.jsonBody)).toContain('must be reminder numbers separated by commas');
    expect((await api.call(dunningLettersRoute, { query: { issuedOn: '2016-04-30' }, user: null })).status).toBe(401);
  });
});
