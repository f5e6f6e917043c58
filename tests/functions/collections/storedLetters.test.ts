// POST /api/letters on Azurite: a letters run writes `resolved` to paid reminders through their history (updated and
// approved by ledgerdesk), stores the letters workbook of the rest like a report (list, download, versions), and
// answers clearly for bad requests, roles and reminders that resolved themselves.
import ExcelJS from 'exceljs';
import { ledgerData } from '../../../shared/calc';
import { setConfigForTests } from '../../../functions/src/config';
import { registerFigureProjection } from '../../../functions/src/figures/projection';
import { putLedgerRowsRoute } from '../../../functions/src/functions/putLedgerRows';
import { dunningLettersRoute } from '../../../functions/src/functions/dunningLetters';
import { createLettersRoute, getLettersRoute, listLettersRoute } from '../../../functions/src/functions/letters';
import { CONTENT_TYPE } from '../../../functions/src/reports/workbook';
import { RESOLVER } from '../../../functions/src/services/reminderResolution';
import { readHistory, readRow } from '../../../functions/src/store/ledgerStore';
import { contract, invoice, invoiceLine, money, payment } from '../../shared/calc/fixtures/records';
import { CLERK, ledgerApi, REVIEWER, type LedgerApi } from '../../support/ledgerApi';
import { approveKeys, putRecords, writeAndApprove } from '../figures/support';

jest.setTimeout(120_000);

const reminder = (reminderNo: string, customerId: string, payBy: string) => ({
  reminderNo,
  customerId,
  currency: 'EUR',
  level: 1,
  issuedOn: '2016-04-30',
  payBy,
  status: 'issued' as const,
});
const line = (reminderNo: string, invoiceNo: string, o: string, i: string, f: string) => ({
  reminderNo,
  lineNo: 1,
  invoiceNo,
  level: 1,
  outstanding: money(o),
  daysOverdue: 60,
  interest: money(i),
  fee: money(f),
});

const data = ledgerData({
  customers: [
    { customerId: 'K1', name: 'One', region: 'East', reminderTermsCode: 'STD' },
    { customerId: 'K2', name: 'Two', region: 'East', reminderTermsCode: 'STD' },
    { customerId: 'K3', name: 'Three', region: 'East', reminderTermsCode: 'STD' },
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
      letterText: 'Dear {customer}, please pay {currency} {total} by {payBy}.',
    },
  ],
  contracts: [contract('C1'), contract('C2', { customerId: 'K2' }), contract('C3', { customerId: 'K3' })],
  invoices: [
    invoice('I1', 'C1', '2016-02-01', '2016-03-01'),
    invoice('I2', 'C2', '2016-02-01', '2016-03-01'),
    invoice('I3', 'C3', '2016-02-01', '2016-03-01'),
    invoice('I5', 'CX', '2016-02-01', '2016-03-01'),
  ],
  invoiceLines: [
    invoiceLine('I1', 1, 'A', 1, '1000.00'),
    invoiceLine('I2', 1, 'A', 1, '200.00'),
    invoiceLine('I3', 1, 'A', 1, '300.00'),
    invoiceLine('I5', 1, 'A', 1, '50.00'),
  ],
  // I2 paid in full (by contract, oldest invoice first), I3 paid in full, I1 paid 400.00 of 1,000.00.
  payments: [
    payment('P1', 'C2', '2016-05-05', '200.00'),
    payment('P3', 'C3', '2016-05-06', '300.00', 'I3'),
    payment('P4', 'C1', '2016-05-07', '400.00', 'I1'),
  ],
  reminders: [
    reminder('R1', 'K1', '2016-05-10'),
    reminder('R2', 'K2', '2016-05-10'),
    reminder('R3', 'K3', '2016-05-10'),
    // No lines at all: nothing shows it paid, so it is not resolved.
    { ...reminder('R4', 'K2', '2016-05-09'), issuedOn: '2016-04-29' },
    // Its invoice's contract does not exist, so receivables leave it out: not taken for paid either.
    { ...reminder('R5', 'K1', '2016-05-09'), issuedOn: '2016-04-29' },
  ],
  reminderLines: [
    line('R1', 'I1', '1000.00', '13.33', '5.00'),
    line('R2', 'I2', '200.00', '3.33', '7.00'),
    line('R3', 'I3', '300.00', '0.00', '0.00'),
    line('R5', 'I5', '50.00', '0.00', '0.00'),
  ],
});

let unregister: () => void;
let api: LedgerApi;
beforeAll(async () => {
  unregister = registerFigureProjection();
  api = ledgerApi();
  await writeAndApprove(api, data);
  // R3 has a pending change of its own (a clerk cancels it): the run leaves it to its reviewer, and sends no letter.
  const etag = (await readRow('reminders', 'R3'))?.etag;
  const res = await api.call(putLedgerRowsRoute, {
    params: { ledger: 'reminders' },
    body: { rows: [{ ...reminder('R3', 'K3', '2016-05-10'), status: 'cancelled', etag }] },
  });
  expect((res.jsonBody as { results: { status: string }[] }).results[0]?.status).toBe('updated');
});
afterAll(() => {
  unregister();
  setConfigForTests(undefined);
});

async function workbookOf(lettersId: string): Promise<ExcelJS.Workbook> {
  const res = await api.call(getLettersRoute, { params: { lettersId }, user: REVIEWER });
  expect(res.status).toBe(200);
  const headers = new Headers(res.headers);
  expect(headers.get('content-type')).toBe(CONTENT_TYPE);
  const chunks: Buffer[] = [];
  for await (const c of res.body as AsyncIterable<Buffer>) chunks.push(Buffer.from(c));
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
  return book;
}

describe('POST /api/letters', () => {
  it('resolves the paid reminders through their history and stores the letters of the rest', async () => {
    const res = await api.call(createLettersRoute, { body: { issuedOn: '2016-04-30' }, user: CLERK });
    expect(res.status).toBe(201);
    const made = res.jsonBody as { lettersId: string; url: string; reminders: string[]; resolved: string[] };
    expect(made.lettersId).toBe('2016-04-30-v1');
    expect(made.url).toMatch(/\/api\/letters\/2016-04-30-v1$/);
    // R2 paid: resolved and no letter; R3 paid but with a pending change: no letter, not written; R1 partly paid.
    expect(made.reminders).toEqual(['R1']);
    expect(made.resolved).toEqual(['R2']);

    const r2 = await readRow('reminders', 'R2');
    expect(r2?.approved?.status).toBe('resolved');
    expect(r2?.pendingVersion).toBeUndefined();
    const history = await readHistory('reminders', 'R2');
    expect(history.map((h) => h.action)).toEqual(['created', 'approved', 'updated', 'approved']);
    expect(history[2]?.record).toMatchObject({ reminderNo: 'R2', status: 'resolved', level: 1, payBy: '2016-05-10' });
    expect(history[2]?.by).toBe(
      `${RESOLVER} (all invoices paid as of ${new Date().toISOString().slice(0, 10)}; letters run by ${CLERK.id})`,
    );
    expect(history[3]?.by).toBe(history[2]?.by);
    expect(history[3]?.approvedVersion).toBe(history[2]?.seq);
    expect(history[0]?.record).toMatchObject({ status: 'issued' });

    const r1 = await readRow('reminders', 'R1');
    expect(r1?.approved?.status).toBe('issued');
    expect((await readHistory('reminders', 'R1')).length).toBe(2);
    expect((await readRow('reminders', 'R4'))?.approved?.status).toBe('issued');
    expect((await readHistory('reminders', 'R4')).length).toBe(2);
    expect((await readRow('reminders', 'R5'))?.approved?.status).toBe('issued');
    const r3 = await readRow('reminders', 'R3');
    expect([r3?.approved?.status, r3?.latest.status, r3?.changedBy]).toEqual(['issued', 'cancelled', CLERK.id]);

    const book = await workbookOf(made.lettersId);
    expect(book.worksheets.map((w) => w.name)).toEqual(['R1']);
    const ws = book.getWorksheet('R1')!;
    // The stored line: 1,000.00 outstanding + 13.33 interest + 5.00 fee = 1,018.33.
    expect(ws.getCell('A5').text).toBe('Dear One, please pay EUR 1018.33 by 2016-05-10.');
    expect([ws.getCell('A8').text, ws.getCell('D8').value, ws.getCell('E8').value, ws.getCell('F8').value]).toEqual([
      'I1',
      1000,
      13.33,
      5,
    ]);
    expect([ws.getCell('A11').text, ws.getCell('D11').value]).toEqual(['Amount due (EUR)', 1018.33]);
  });

  it('keeps every run as a new version of its day, listed newest first with who made it', async () => {
    const again = await api.call(createLettersRoute, { body: { issuedOn: '2016-04-30' }, user: CLERK });
    expect(again.status).toBe(201);
    expect(again.jsonBody).toMatchObject({ lettersId: '2016-04-30-v2', reminders: ['R1'], resolved: [] });
    const named = await api.call(createLettersRoute, { body: { reminderNo: ['R1'] }, user: CLERK });
    const today = new Date().toISOString().slice(0, 10);
    expect(named.jsonBody).toMatchObject({ lettersId: `${today}-v1`, reminders: ['R1'], resolved: [] });

    const list = await api.call(listLettersRoute, { user: REVIEWER });
    expect(list.status).toBe(200);
    const letters = (
      list.jsonBody as { letters: { lettersId: string; day: string; version: number; createdBy: string }[] }
    ).letters;
    expect(letters.map((l) => [l.lettersId, l.day, l.version, l.createdBy])).toEqual([
      [`${today}-v1`, today, 1, CLERK.id],
      ['2016-04-30-v2', '2016-04-30', 2, CLERK.id],
      ['2016-04-30-v1', '2016-04-30', 1, CLERK.id],
    ]);
    const ofDay = await api.call(listLettersRoute, { query: { day: '2016-04-30' }, user: REVIEWER });
    expect((ofDay.jsonBody as { letters: unknown[] }).letters).toHaveLength(2);
    expect((await workbookOf('2016-04-30-v2')).worksheets.map((w) => w.name)).toEqual(['R1']);
  });

  it('a reminder paid after its review is resolved by the next run, and then gets no letter anywhere', async () => {
    await putRecords(api, 'payments', [payment('P5', 'C1', '2016-05-20', '600.00', 'I1')]);
    // Pending payment: not paid yet for the run.
    const pending = await api.call(createLettersRoute, { body: { reminderNo: ['R1'] }, user: CLERK });
    expect(pending.jsonBody).toMatchObject({ reminders: ['R1'], resolved: [] });
    await approveKeys(api, 'payments', ['P5']);
    const res = await api.call(createLettersRoute, { body: { reminderNo: ['R1'] }, user: CLERK });
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.jsonBody)).toContain('No letter to make: \\"R1\\" resolved (all invoices paid).');
    expect((await readRow('reminders', 'R1'))?.approved?.status).toBe('resolved');
    const get = await api.call(dunningLettersRoute, { query: { reminderNo: 'R1' }, user: REVIEWER });
    expect(get.status).toBe(404);
  });

  it('refuses bad bodies, readers without a writing role, and unknown letters', async () => {
    const both = await api.call(createLettersRoute, { body: { issuedOn: '2016-04-30', reminderNo: ['R1'] } });
    expect(both.status).toBe(400);
    expect(JSON.stringify(both.jsonBody)).toContain('give exactly one of reminderNo and issuedOn');
    const badDay = await api.call(createLettersRoute, { body: { issuedOn: '2016-02-30' } });
    expect(JSON.stringify(badDay.jsonBody)).toContain('must be a calendar date as YYYY-MM-DD');
    const none = await api.call(createLettersRoute, { body: { issuedOn: '2016-05-01' } });
    expect(none.status).toBe(404);
    expect(JSON.stringify(none.jsonBody)).toContain('No approved, issued reminder was issued on 2016-05-01.');
    const unknown = await api.call(createLettersRoute, { body: { reminderNo: ['R9'] } });
    expect(unknown.status).toBe(404);
    expect(JSON.stringify(unknown.jsonBody)).toContain('\\"R9\\"');
    const reviewer = await api.call(createLettersRoute, { body: { issuedOn: '2016-04-30' }, user: REVIEWER });
    expect(reviewer.status).toBe(403);
    for (const lettersId of ['2016-04-30-v9', 'nonsense', '2016-Q4-v1']) {
      const res = await api.call(getLettersRoute, { params: { lettersId } });
      expect(res.status).toBe(404);
    }
    expect((await api.call(listLettersRoute, { query: { day: '2016-13-01' } })).status).toBe(400);
  });
});
