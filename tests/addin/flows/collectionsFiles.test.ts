// Tests addin/flows/collectionsFiles.ts (the pane's letters and statements files): what the clerk types, checked; and
// the client against the real local API on Azurite: make letters (resolving a paid reminder), list, download them,
// and download the statements workbook of one customer or all.
import ExcelJS from 'exceljs';
import { ApiClientError, devTokenProvider } from '../../../addin/flows/apiClient';
import {
  createCollectionsFilesClient,
  lettersChoice,
  lettersRows,
  statementsChoice,
} from '../../../addin/flows/collectionsFiles';
import { registerFigureProjection } from '../../../functions/src/figures/projection';
import { startLocalApi, type LocalApi } from '../support/localApi';
import { DUNNING_AS_OF, seedDunningCase, writeApproved } from '../support/dunningSeed';

jest.setTimeout(120_000);

describe('what the clerk types', () => {
  it('letters for an issue date or for reminder numbers; anything else is a clear error', () => {
    expect(lettersChoice(' 2016-04-30 ')).toEqual({ issuedOn: '2016-04-30' });
    expect(lettersChoice('R-1, R-2 ,')).toEqual({ reminderNo: ['R-1', 'R-2'] });
    for (const bad of ['', ' , ', '2016-02-30'])
      expect(() => lettersChoice(bad)).toThrow(
        'Type an issue date as YYYY-MM-DD, or reminder numbers separated by commas.',
      );
  });

  it('statements from and to as dates in order, one customer or all', () => {
    expect(statementsChoice('2016-01-01', '2016-04-30', ' K1 ')).toEqual({
      from: '2016-01-01',
      to: '2016-04-30',
      customerId: 'K1',
    });
    expect(statementsChoice('2016-01-01', '2016-04-30', '')).toEqual({ from: '2016-01-01', to: '2016-04-30' });
    expect(() => statementsChoice('2016-05-01', '2016-04-30', '')).toThrow('From must not be after To.');
    expect(() => statementsChoice('2016-1-1', '2016-04-30', '')).toThrow('From and To must be dates as YYYY-MM-DD.');
  });
});

describe('letters and statements against the local API', () => {
  let api: LocalApi;
  let unregister: () => void;
  beforeAll(async () => {
    unregister = registerFigureProjection();
    api = await startLocalApi();
    await seedDunningCase(api);
    const reminder = (customerId: string, payBy: string) => ({
      reminderNo: `R-${customerId}`,
      customerId,
      currency: 'EUR',
      level: 1,
      issuedOn: DUNNING_AS_OF,
      payBy,
      status: 'issued',
    });
    await writeApproved(api, 'reminders', [reminder('K1', '2016-05-14'), reminder('K2', '2016-05-14')]);
    const line = (reminderNo: string, lineNo: number, invoiceNo: string, outstanding: string) => ({
      reminderNo,
      lineNo,
      invoiceNo,
      level: 1,
      outstanding,
      daysOverdue: 90,
      interest: '0.00',
      fee: '5.00',
    });
    await writeApproved(api, 'reminderLines', [
      line('R-K1', 1, 'I1', '1000.00'),
      line('R-K1', 2, 'I2', '250.00'),
      line('R-K2', 1, 'I3', '400.00'),
    ]);
    // K2 pays I3 in full after the reminder went out.
    await writeApproved(
      api,
      'payments',
      [{ paymentId: 'P1', contractId: 'C2', invoiceNo: 'I3', receivedOn: '2016-05-03', amount: '400.00' }],
      { user: 'fay.finance', roles: ['finance'] },
    );
  });
  afterAll(async () => {
    unregister();
    await api.close();
  });

  const client = async (user: string, roles: ('clerk' | 'reviewer')[]) =>
    createCollectionsFilesClient({ baseUrl: api.url, tokens: devTokenProvider(await api.token(user, roles)) });

  it('makes letters (the paid reminder resolved, no letter), lists and downloads them with their figures', async () => {
    const clerk = await client('erin.clerk', ['clerk']);
    const made = await clerk.makeLetters(lettersChoice(DUNNING_AS_OF));
    expect(made).toMatchObject({ lettersId: `${DUNNING_AS_OF}-v1`, reminders: ['R-K1'], resolved: ['R-K2'] });

    const rows = lettersRows(await clerk.listLetters());
    expect(rows.map((r) => [r.lettersId, r.day, r.version, r.madeBy])).toEqual([
      [`${DUNNING_AS_OF}-v1`, DUNNING_AS_OF, 'v1', 'erin.clerk'],
    ]);
    expect(rows[0]?.when).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);

    const file = await clerk.downloadLetters(made.lettersId);
    expect(file.filename).toBe(`reminder-letters-${DUNNING_AS_OF}-v1.xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.bytes);
    expect(book.worksheets.map((w) => w.name)).toEqual(['R-K1']);
    const ws = book.getWorksheet('R-K1')!;
    // 1,000.00 + 250.00 outstanding + 2 × 5.00 fees = 1,260.00
    expect(ws.getCell('A5').text).toBe('Dear One Ltd, please pay EUR 1260.00 for I1, I2 by 2016-05-14.');
    expect([ws.getCell('D10').value, ws.getCell('F10').value]).toEqual([1250, 10]);
    expect([ws.getCell('A12').text, ws.getCell('D12').value]).toEqual(['Amount due (EUR)', 1260]);

    // Asked again by number: the resolved reminder is named as such.
    await expect(clerk.makeLetters(lettersChoice('R-K2'))).rejects.toThrow(
      'No approved, issued reminder "R-K2" (resolved: all its invoices are paid).',
    );
  });

  it('refuses a reviewer making letters with the API message', async () => {
    const reviewer = await client('rita.reviewer', ['reviewer']);
    const err = await reviewer.makeLetters({ issuedOn: DUNNING_AS_OF }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiClientError);
    expect((err as ApiClientError).status).toBe(403);
    expect((err as ApiClientError).message).toBe('Making reminder letters needs the clerk, finance or admin role.');
  });

  it('downloads the statements workbook of one customer or of all', async () => {
    const reviewer = await client('rita.reviewer', ['reviewer']);
    const one = await reviewer.downloadStatements(statementsChoice('2016-01-01', '2016-05-31', 'K2'));
    expect(one.filename).toBe('statements-2016-01-01-2016-05-31.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(one.bytes);
    expect(book.worksheets.map((w) => w.name)).toEqual(['K2']);
    const all = new ExcelJS.Workbook();
    await all.xlsx.load((await reviewer.downloadStatements(statementsChoice('2016-01-01', '2016-05-31', ''))).bytes);
    expect(all.worksheets.map((w) => w.name)).toEqual(['K1', 'K2']);
    await expect(
      reviewer.downloadStatements({ from: '2016-01-01', to: '2016-05-31', customerId: 'K9' }),
    ).rejects.toThrow('Customer K9 does not exist.');
  });
});
