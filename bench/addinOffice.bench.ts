// Benchmark: a 100,000 × 12 ledger table written and read through the instrumented Office.js adapter on the in-page
// Excel double (run in a VM), printing context.sync() counts and the largest request against the budget.
import { createOfficeWorkbook, OfficeStats } from '../addin/excel/officeWorkbook';
import {
  DATE_FORMAT,
  MONEY_FORMAT,
  TEXT_FORMAT,
  type CellValue,
  type ColumnSpec,
} from '../addin/excel/workbookAdapter';
import { BOOKKEEPING_COLUMNS } from '../addin/flows/layout';
import { loadExcelDouble } from '../tests/addin/support/excelDouble';
import { fmt } from './support';

const ROWS = 100_000;
const BUDGET = { readSyncs: 10, writeSyncs: 25, maxBytes: 4_000_000 };

export async function run(): Promise<void> {
  const w = loadExcelDouble();
  w.__excelDouble.addSheet('Sheet1');
  const stats = new OfficeStats();
  const wb = createOfficeWorkbook({ excel: w.Excel, stats, notesSupported: () => true });
  const columns: ColumnSpec[] = [
    { name: 'Invoice no', numberFormat: TEXT_FORMAT },
    { name: 'Line', numberFormat: '0' },
    { name: 'Item code', numberFormat: TEXT_FORMAT },
    { name: 'Quantity', numberFormat: '0' },
    { name: 'Unit price', numberFormat: MONEY_FORMAT },
    { name: 'Issued on', numberFormat: DATE_FORMAT },
    { name: 'Description', numberFormat: TEXT_FORMAT },
    ...BOOKKEEPING_COLUMNS,
  ];
  await wb.ensureTable({ sheet: 'Invoice lines', table: 'InvoiceLines', columns });
  const rows: CellValue[][] = Array.from({ length: ROWS }, (_, i) => [
    `INV-2016-${String(Math.floor(i / 5)).padStart(6, '0')}`,
    (i % 5) + 1,
    `ITEM-${i % 977}`,
    1 + (i % 40),
    Math.round(((i * 7919) % 1_000_000) / 100) / 100 + 0.25,
    42370 + (i % 365),
    i % 11 === 0 ? '=formula-like text stays text' : `Line ${i} of the sample ledger`,
    i % 3 === 0 ? 'approved' : 'pending',
    i % 3 === 0 ? 'rita.reviewer' : '',
    'created',
    `W/"datetime'2016-11-27T14%3A43%3A43.${String(i).padStart(7, '0')}Z'"`,
    `h${(i * 2654435761).toString(36).slice(0, 21)}`,
  ]);

  stats.reset();
  let t = performance.now();
  await wb.writeRows('InvoiceLines', rows, 'replace');
  const writeMs = performance.now() - t;
  const writeSyncs = stats.syncs;
  const writeMax = stats.maxBytes;

  stats.reset();
  t = performance.now();
  const data = await wb.readTable('InvoiceLines');
  const readMs = performance.now() - t;
  const readSyncs = stats.syncs;
  const readMax = stats.maxBytes;

  const intact = data.rows.length === ROWS && JSON.stringify(data.rows[77]) === JSON.stringify(rows[77]);
  const ok = (v: boolean) => (v ? 'ok' : 'OVER BUDGET');
  console.log(`${ROWS.toLocaleString('en')} × 12 through the Office.js adapter (in-page Excel double)`);
  console.log(
    `write: ${writeSyncs} syncs (budget ≤ ${BUDGET.writeSyncs}: ${ok(writeSyncs <= BUDGET.writeSyncs)}), largest request ${(writeMax / 1e6).toFixed(2)} MB, ${fmt(writeMs)}`,
  );
  console.log(
    `read:  ${readSyncs} syncs (budget ≤ ${BUDGET.readSyncs}: ${ok(readSyncs <= BUDGET.readSyncs)}), largest response ${(readMax / 1e6).toFixed(2)} MB, ${fmt(readMs)}`,
  );
  console.log(
    `no request over ${BUDGET.maxBytes / 1e6} MB: ${ok(Math.max(writeMax, readMax) <= BUDGET.maxBytes)}; values intact: ${intact ? 'yes' : 'NO'}`,
  );
  if (
    !intact ||
    writeSyncs > BUDGET.writeSyncs ||
    readSyncs > BUDGET.readSyncs ||
    Math.max(writeMax, readMax) > BUDGET.maxBytes
  )
    process.exitCode = 1;
}
