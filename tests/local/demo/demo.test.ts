// `npm run demo` end to end: the demo loads, approves and reports through the local API host over HTTP, twice.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { getRowsResponse } from '../../../shared/api';
import { LEDGERS, type LedgerName } from '../../../shared/ledgers';
import { parseMoney } from '../../../shared/money';
import { signDevToken } from '../../../functions/src/auth/devKey';
import { setConfigForTests } from '../../../functions/src/config';
import { DEMO_USERS, DemoError, runDemo, type DemoResult } from '../../../local/demo/run';
import { registerFigureProjection } from '../../../functions/src/figures/projection';
import { startApiHost, type ApiHost } from '../../../local/server';
import { FIRST_DATA_ROW, HEADER_ROW, SHEETS } from '../../../functions/src/reports/workbook';
import { useTestConfig } from '../../support/azurite';

const CONTRACTS = 12;

let host: ApiHost;
let keyFile: string;
let outDir: string;
let unregister: () => void;
let first: DemoResult;
let firstLog: string[];

/** Every row of a ledger as the API lists it, page by page. */
async function listAll(name: LedgerName): Promise<Record<string, unknown>[]> {
  const token = await signDevToken(keyFile, { user: 'test.manager', roles: ['manager'] });
  const rows: Record<string, unknown>[] = [];
  let continuation: string | null = null;
  do {
    const qs: string = continuation === null ? '' : `&continuationToken=${encodeURIComponent(continuation)}`;
    const res = await fetch(`${host.url}/ledgers/${name}?pageSize=1000${qs}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const page = getRowsResponse.parse(await res.json());
    rows.push(...page.rows);
    continuation = page.continuationToken;
  } while (continuation !== null);
  return rows;
}

beforeAll(async () => {
  const config = useTestConfig();
  if (config.auth.mode !== 'local') throw new Error('tests run in local mode');
  keyFile = config.auth.signingKeyFile;
  // As in `npm start`: approvals keep the contract index and rollups current.
  unregister = registerFigureProjection();
  host = await startApiHost({ port: 0 });
  outDir = await mkdtemp(path.join(os.tmpdir(), 'ld-demo-'));
  firstLog = [];
  first = await runDemo({
    apiUrl: host.url,
    signingKeyFile: keyFile,
    contracts: CONTRACTS,
    outDir,
    chunkSize: 40,
    log: (l) => firstLog.push(l),
  });
}, 240_000);

afterAll(async () => {
  await host.close();
  unregister();
  setConfigForTests(undefined);
  await rm(outDir, { recursive: true, force: true });
});

describe('runDemo', () => {
  it('creates and approves every row of the dataset', async () => {
    for (const { name } of LEDGERS) {
      const n = first.dataset.ledgers[name].length;
      expect(n).toBeGreaterThan(0);
      expect([name, first.written[name]]).toEqual([name, { created: n }]);
      expect([name, first.approved[name]]).toEqual([name, { approved: n }]);
      const rows = await listAll(name);
      expect([name, rows.length]).toEqual([name, n]);
      const statuses = new Set(rows.map((r) => (r.approval as { status: string }).status));
      expect([name, [...statuses]]).toEqual([name, ['approved']]);
      const approvers = new Set(rows.map((r) => (r.approval as { approvedBy: string }).approvedBy));
      expect([...approvers]).toEqual([DEMO_USERS.reviewer.user]);
    }
  });

  it('the invoice check finds the planted defects with their codes, and nothing else', () => {
    const found = first.findings.map((f) => [f.invoiceNo, f.lineNo, f.itemCode, f.code]);
    const planted = first.dataset.defects.map((d) => [d.invoiceNo, d.lineNo, d.itemCode, d.code]);
    expect(found.sort()).toEqual(planted.sort());
    expect(first.findings.map((f) => f.code).sort()).toEqual([
      'ITEM_NOT_ON_ORDER',
      'PRICE_MISMATCH',
      'QTY_EXCEEDS_DELIVERED',
      'UNKNOWN_CONTRACT',
    ]);
  });

  it('writes a valid workbook whose Summary totals equal /api/stats, and prints its path last', async () => {
    expect(path.isAbsolute(first.file)).toBe(true);
    expect(first.file.startsWith(outDir)).toBe(true);
    expect(firstLog.at(-1)).toBe(first.file);
    expect((await stat(first.file)).size).toBe(first.report.sizeBytes);
    expect(first.report.version).toBe(1);
    expect(first.stats).toBeDefined();
    const stats = first.stats!;
    expect(parseMoney(stats.invoiced)).toBeGreaterThan(0);
    expect(parseMoney(stats.collected)).toBeGreaterThan(0);

    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(first.file);
    expect(book.worksheets.map((w) => w.name)).toEqual(expect.arrayContaining(Object.values(SHEETS)));
    const summary = book.getWorksheet(SHEETS.summary)!;
    // Text cells are inline rich text (no formula injection): compare their text.
    const headers: string[] = [];
    summary.getRow(HEADER_ROW).eachCell((cell, col) => (headers[col] = cell.text));
    const invoicedCol = headers.indexOf('Invoiced (EUR)');
    const collectedCol = headers.indexOf('Collected (EUR)');
    expect(invoicedCol).toBeGreaterThan(0);
    let totalRow: ExcelJS.Row | undefined;
    const regions: string[] = [];
    // The regions table: from the first data row to its Total row (the comparison and breakdown tables follow).
    summary.eachRow((row, n) => {
      if (n < FIRST_DATA_ROW || totalRow !== undefined) return;
      const label = row.getCell(1).text;
      if (label === 'Total') totalRow = row;
      else regions.push(label);
    });
    expect(regions.sort()).toEqual(['East', 'North', 'South', 'West']);
    const cents = (col: number): number => {
      const v = totalRow!.getCell(col).value as { formula: string; result: number };
      expect(v.formula).toMatch(/^SUM\(/);
      return Math.round(v.result * 100);
    };
    expect(cents(invoicedCol)).toBe(parseMoney(stats.invoiced));
    expect(cents(collectedCol)).toBe(parseMoney(stats.collected));
  });

  it('a second run changes nothing: rows unchanged and already approved, a new report version', async () => {
    const log: string[] = [];
    const again = await runDemo({
      apiUrl: host.url,
      signingKeyFile: keyFile,
      contracts: CONTRACTS,
      outDir,
      log: (l) => log.push(l),
    });
    for (const { name } of LEDGERS) {
      const n = first.dataset.ledgers[name].length;
      expect([name, again.written[name]]).toEqual([name, { unchanged: n }]);
      expect([name, again.approved[name]]).toEqual([name, { alreadyApproved: n }]);
      expect([name, (await listAll(name)).length]).toEqual([name, n]);
    }
    expect(again.stats).toEqual(first.stats);
    expect(again.findings).toEqual(first.findings);
    expect(again.report.version).toBe(2);
    expect(again.report.reportId).not.toBe(first.report.reportId);
    expect(again.file).toBe(first.file);
    expect(log.at(-1)).toBe(first.file);
  }, 240_000);

  it('says to run npm start when the API does not answer', async () => {
    const closed = await startApiHost({ port: 0 });
    await closed.close();
    const run = runDemo({ apiUrl: closed.url, signingKeyFile: keyFile, contracts: 1, outDir });
    await expect(run).rejects.toThrow(DemoError);
    await expect(run).rejects.toThrow(/npm start/);
  });
});
