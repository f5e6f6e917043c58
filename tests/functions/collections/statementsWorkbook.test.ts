// GET /api/statements on Azurite: the workbook opened by LibreOffice shows, sheet by sheet, the figures of
// GET /api/customers/{id}/statement for the same customer to the cent (opening balance, every line with its running
// balance, closing balance, aging); exceljs reads back the "Customer's lines" table and the print setup; text stays
// text; unknown customers and bad queries get a clear 404 / 400.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import type { StatementResponse } from '../../../shared/api';
import { RECEIVABLES_AMOUNTS } from '../../../shared/calc/aging';
import { parseMoney } from '../../../shared/money';
import { ROLES } from '../../../functions/src/auth/roles';
import { setConfigForTests } from '../../../functions/src/config';
import { registerFigureProjection } from '../../../functions/src/figures/projection';
import { customerStatementRoute } from '../../../functions/src/functions/customerStatement';
import { customersWithActivity, statementsWorkbookRoute } from '../../../functions/src/functions/statementsWorkbook';
import {
  AMOUNT_COL,
  CUSTOMER_BALANCE_LABEL,
  CUSTOMER_LINES_COLUMNS,
  CUSTOMER_LINES_LABEL,
  LINE_HEADERS,
  writeStatementsWorkbook,
} from '../../../functions/src/reports/statements';
import { arbLedger } from '../../shared/calc/fixtures/random';
import { centsFromDisplay, openWithLibreOffice, sheet, type CsvSheet } from '../../support/libreoffice';
import { ledgerApi } from '../../support/ledgerApi';
import { writeAndApprove } from '../figures/support';

jest.setTimeout(300_000);

let unregister: () => void;
let dir: string;
beforeAll(async () => {
  unregister = registerFigureProjection();
  dir = await mkdtemp(path.join(tmpdir(), 'ld-statements-'));
});
afterAll(async () => {
  unregister();
  setConfigForTests(undefined);
  await rm(dir, { recursive: true, force: true });
});

const FROM = '2016-01-01';
const TO = '2017-06-30';

/** Row (0-based) of the first cell in column A equal to `label`. */
function rowOf(s: CsvSheet, label: string): number {
  const i = s.rows.findIndex((r) => r[0] === label);
  if (i < 0) throw new Error(`no row labelled ${label}`);
  return i;
}

const amountAt = (s: CsvSheet, row: number, col: number): number => centsFromDisplay(s.rows[row]?.[col - 1] ?? '');

/** Every figure of `json` checked against the sheet as LibreOffice displays it. */
function expectSheetShows(s: CsvSheet, json: StatementResponse): void {
  expect(s.rows[1]?.[1]).toBe(`${json.customerId} – ${json.customerId}`);
  expect(s.rows[2]?.slice(1, 3)).toEqual([json.from, json.to]);
  expect(s.rows[3]?.[1]).toBe(json.currencies.filter((c) => c !== '').join(', '));
  expect(amountAt(s, rowOf(s, 'Opening balance'), AMOUNT_COL)).toBe(parseMoney(json.openingBalance));
  const header = rowOf(s, 'Date');
  expect(s.rows[header]?.slice(0, LINE_HEADERS.length)).toEqual(LINE_HEADERS);
  json.lines.forEach((l, i) => {
    const r = s.rows[header + 1 + i] ?? [];
    const kind = l.kind === 'creditNote' ? 'credit note' : l.kind;
    expect(r.slice(0, 6)).toEqual([l.date, kind, l.ref, l.contractId, l.currency, l.dueOn ?? '']);
    expect(amountAt(s, header + 1 + i, 7)).toBe(parseMoney(l.debit));
    expect(amountAt(s, header + 1 + i, 8)).toBe(parseMoney(l.credit));
    expect(amountAt(s, header + 1 + i, 9)).toBe(parseMoney(l.balance));
  });
  const closing = rowOf(s, 'Closing balance');
  expect(closing).toBe(header + 1 + json.lines.length);
  expect(amountAt(s, closing, AMOUNT_COL)).toBe(parseMoney(json.closingBalance));
  const aging = rowOf(s, 'Aging as of');
  expect(s.rows[aging]?.[1]).toBe(json.to);
  RECEIVABLES_AMOUNTS.forEach((k, i) => expect(amountAt(s, aging + 2, i + 1)).toBe(parseMoney(json.aging[k])));
  const balance = rowOf(s, CUSTOMER_BALANCE_LABEL);
  expect(s.rows[balance]?.[1] ?? '').toBe('');
  const lines = rowOf(s, CUSTOMER_LINES_LABEL);
  expect(s.rows[lines + 1]?.slice(0, 3)).toEqual([...CUSTOMER_LINES_COLUMNS]);
}

describe('statements workbook over HTTP', () => {
  it('each sheet shows the JSON statement of its customer to the cent, with an empty Customer’s lines table', async () => {
    // The first generated ledger whose approved rows give at least two customers something in the period.
    let api = ledgerApi();
    for (const data of fc.sample(arbLedger(), { numRuns: 20, seed: 1313 })) {
      api = ledgerApi();
      if (customersWithActivity(await writeAndApprove(api, data), FROM, TO).length >= 2) break;
    }
    const all = await api.call(statementsWorkbookRoute, {
      query: { from: FROM, to: TO },
      user: { id: 'fin', roles: ['finance'] },
    });
    expect(all.status).toBe(200);
    expect(new Headers(all.headers).get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const two = await api.call(statementsWorkbookRoute, { query: { from: FROM, to: TO, customerId: 'K2,K1' } });
    expect(two.status).toBe(200);
    const allFile = path.join(dir, 'all.xlsx');
    const twoFile = path.join(dir, 'two.xlsx');
    await writeFile(allFile, all.body as Buffer);
    await writeFile(twoFile, two.body as Buffer);

    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(allFile);
    const names = book.worksheets.map((w) => w.name);
    // Customers with activity, sorted; the generated ledger has some.
    expect(names.length).toBeGreaterThanOrEqual(2);
    expect(names).toEqual([...names].sort());

    const json = new Map<string, StatementResponse>();
    for (const id of new Set([...names, 'K1', 'K2'])) {
      const res = await api.call(customerStatementRoute, { params: { customerId: id }, query: { from: FROM, to: TO } });
      expect([id, res.status]).toEqual([id, 200]);
      json.set(id, res.jsonBody as StatementResponse);
    }
    // Every customer left out has nothing in the period.
    for (const id of ['K1', 'K2', 'K3'].filter((k) => !names.includes(k))) {
      const res = await api.call(customerStatementRoute, { params: { customerId: id }, query: { from: FROM, to: TO } });
      const s = res.jsonBody as StatementResponse;
      expect([s.lines.length, s.openingBalance]).toEqual([0, '0.00']);
    }
    let lines = 0;
    book.worksheets.forEach((ws, i) => {
      expect(ws.pageSetup.fitToPage).toBe(true);
      expect(ws.pageSetup.fitToWidth).toBe(1);
      expect(ws.pageSetup.fitToHeight).toBe(0);
      const s = json.get(ws.name)!;
      lines += s.lines.length;
      // Header row 7, the lines, closing, blank, aging label, aging header, aging values, blank, balance, blank, label.
      const tableTop = 7 + s.lines.length + 1 + 2 + 2 + 2 + 2 + 1;
      const table = ws.getTable(`CustomerLines${i + 1}`) as unknown as {
        table: { ref: string; columns: { name: string }[] };
      };
      expect(table).toBeDefined();
      expect(table.table.columns.map((c) => c.name)).toEqual([...CUSTOMER_LINES_COLUMNS]);
      const model = (ws as unknown as { model: { tables: { name: string; tableRef: string }[] } }).model.tables;
      expect(model.map((t) => [t.name, t.tableRef])).toEqual([
        [`CustomerLines${i + 1}`, `A${tableTop}:C${tableTop + 1}`],
      ]);
      expect(ws.getCell(tableTop - 3, 1).text).toBe(CUSTOMER_BALANCE_LABEL);
      expect(ws.getCell(tableTop - 1, 1).text).toBe(CUSTOMER_LINES_LABEL);
    });
    expect(lines).toBeGreaterThan(3);

    const run = await openWithLibreOffice([allFile, twoFile]);
    const openedAll = run.workbooks.get(allFile)!;
    expect(openedAll.sheetNames).toEqual(names);
    for (const name of names) expectSheetShows(sheet(openedAll, name), json.get(name)!);
    const openedTwo = run.workbooks.get(twoFile)!;
    expect(openedTwo.sheetNames).toEqual(['K2', 'K1']);
    for (const name of ['K2', 'K1']) expectSheetShows(sheet(openedTwo, name), json.get(name)!);
    // The closing balance is never zero for every customer: the comparison is not vacuous.
    expect([...json.values()].some((s) => s.closingBalance !== '0.00')).toBe(true);
  });

  it('every role reads it; 404 naming an unknown customer; 400 naming a bad parameter; no Authorization is 401', async () => {
    const api = ledgerApi();
    await writeAndApprove(api, fc.sample(arbLedger(), { numRuns: 1, seed: 7 })[0] as never);
    const unknown = await api.call(statementsWorkbookRoute, {
      query: { from: FROM, to: TO, customerId: 'K1,NOBODY' },
    });
    expect(unknown.status).toBe(404);
    expect(JSON.stringify(unknown.jsonBody)).toContain('Customer NOBODY does not exist');
    const reversed = await api.call(statementsWorkbookRoute, { query: { from: TO, to: FROM } });
    expect(reversed.status).toBe(400);
    expect(JSON.stringify(reversed.jsonBody)).toContain('from must not be after to');
    const empty = await api.call(statementsWorkbookRoute, { query: { from: FROM, to: TO, customerId: 'K1,' } });
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.jsonBody)).toContain('customerId must be a comma-separated list of customer ids');
    for (const role of ROLES) {
      const res = await api.call(statementsWorkbookRoute, {
        query: { from: FROM, to: TO, customerId: 'K1' },
        user: { id: `u-${role}`, roles: [role] },
      });
      expect([role, res.status]).toEqual([role, 200]);
    }
    const anonymous = await api.call(statementsWorkbookRoute, { query: { from: FROM, to: TO }, user: null });
    expect(anonymous.status).toBe(401);
  });
});

it('text that looks like a formula stays text in LibreOffice; no statement gives a sheet saying so', async () => {
  const statement: StatementResponse = {
    customerId: '=1+1',
    from: '2016-01-01',
    to: '2016-01-31',
    currencies: ['EUR'],
    openingBalance: '0.00',
    lines: [
      {
        date: '2016-01-05',
        kind: 'invoice',
        ref: '=SUM(9)',
        contractId: '+C1',
        currency: 'EUR',
        dueOn: '2016-02-04',
        debit: '1234.56',
        credit: '0.00',
        balance: '1234.56',
      },
      {
        date: '2016-01-20',
        kind: 'creditNote',
        ref: 'CN1',
        contractId: '+C1',
        currency: 'EUR',
        invoiceNo: '=SUM(9)',
        debit: '0.00',
        credit: '234.56',
        balance: '1000.00',
      },
    ],
    closingBalance: '1000.00',
    aging: {
      group: '=1+1',
      current: '1234.56',
      d1_30: '0.00',
      d31_60: '0.00',
      d61_90: '0.00',
      d91_120: '0.00',
      over120: '0.00',
      total: '1234.56',
      unapplied: '0.00',
    },
  };
  const file = path.join(dir, 'escaped.xlsx');
  const none = path.join(dir, 'none.xlsx');
  await writeFile(file, await writeStatementsWorkbook([{ statement, name: '@cmd' }]));
  await writeFile(none, await writeStatementsWorkbook([]));
  const run = await openWithLibreOffice([file, none]);
  const s = sheet(run.workbooks.get(file)!, '=1+1');
  expect(s.rows[1]?.[1]).toBe('=1+1 – @cmd');
  expect(s.rows[7]?.slice(2, 4)).toEqual(['=SUM(9)', '+C1']);
  expect(s.text[7]?.slice(2, 4)).toEqual([true, true]);
  expect(centsFromDisplay(s.rows[7]?.[8] ?? '')).toBe(123456);
  // Issue #14: a credit note is a credit, named in words a clerk reads.
  expect(s.rows[8]?.slice(0, 3)).toEqual(['2016-01-20', 'credit note', 'CN1']);
  expect([7, 8].map((c) => centsFromDisplay(s.rows[8]?.[c] ?? ''))).toEqual([23456, 100000]);
  expect(sheet(run.workbooks.get(none)!, 'Statements').rows).toEqual([['No customer has anything in the period.']]);
});
