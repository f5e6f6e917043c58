// Benchmark: peak memory and time of the streamed report workbook for a year of 200,000 contracts vs building it in memory.
//
// Each case runs in a fresh Node process, so one case's garbage never counts against another and the kernel's peak
// RSS (VmHWM) is exactly that case's high-water mark. Heap is sampled every 5 ms as well.

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { parsePeriod, addDays } from '../shared/dates';
import { formatMoney } from '../shared/money';
import {
  buildReportWorkbookInMemory,
  writeReportWorkbook,
  type CustomerReceivablesRow,
  type OpenContractRow,
  type ReportData,
  type ReportFinding,
  type SalespersonStatsRow,
} from '../functions/src/reports/workbook';
import { ZERO_FIGURES } from '../functions/src/reports/reportData';
import { intIn, seeded } from './support';

const YEAR_CONTRACTS = 200_000;
const SUBSET_CONTRACTS = 20_000;
const CASE_ENV = 'LD_REPORT_BENCH_CASE';

interface Case {
  mode: 'stream' | 'memory';
  contracts: number;
}

interface Result extends Case {
  ms: number;
  bytes: number;
  /** Peak RSS minus RSS before the case started, MiB. */
  rssMiB: number;
  /** Peak sampled heapUsed minus heapUsed before, MiB. */
  heapMiB: number;
}

/**
 * A year's report with `contracts` open contracts, a customer per 10 contracts, 500 salespeople, 7 regions and a
 * finding per 20 contracts. Rows are generated lazily, as pages from storage would arrive, so only the writer's own
 * memory is measured.
 */
export function generate(contracts: number): ReportData {
  const money = (random: () => number, max: number) => formatMoney(intIn(random, 0, max));
  function* regions() {
    const r = seeded(1);
    for (let i = 0; i < 7; i++)
      yield {
        period: '2016',
        group: `Region ${i}`,
        contractsSigned: intIn(r, 1000, 40000),
        contractValue: money(r, 9e10),
        delivered: money(r, 9e10),
        returned: money(r, 1e9),
        invoiced: money(r, 9e10),
        collected: money(r, 9e10),
        expenses: money(r, 1e8),
      };
  }
  function* salespeople(): Generator<SalespersonStatsRow> {
    const r = seeded(2);
    for (let i = 0; i < 500; i++)
      yield {
        period: '2016',
        group: `SP${i}`,
        name: `Salesperson ${i}`,
        commissionRate: '0.0325',
        commission: money(r, 1e7),
        contractsSigned: intIn(r, 10, 800),
        contractValue: money(r, 1e9),
        delivered: money(r, 1e9),
        returned: money(r, 1e7),
        invoiced: money(r, 1e9),
        collected: money(r, 1e9),
        expenses: money(r, 1e6),
      };
  }
  function* receivables(): Generator<CustomerReceivablesRow> {
    const r = seeded(3);
    for (let i = 0; i < contracts / 10; i++) {
      const b = [money(r, 1e7), money(r, 1e6), money(r, 1e6), money(r, 1e5), money(r, 1e5), money(r, 1e5)];
      yield {
        group: `CUST${String(i).padStart(6, '0')}`,
        name: `Customer ${i} Ltd`,
        current: b[0]!,
        d1_30: b[1]!,
        d31_60: b[2]!,
        d61_90: b[3]!,
        d91_120: b[4]!,
        over120: b[5]!,
        total: '0.00',
        unapplied: '0.00',
      };
    }
  }
  function* open(): Generator<OpenContractRow> {
    const r = seeded(4);
    for (let i = 0; i < contracts; i++)
      yield {
        contractId: `CT${String(i).padStart(7, '0')}`,
        customerId: `CUST${String(i % (contracts / 10)).padStart(6, '0')}`,
        salespersonId: `SP${i % 500}`,
        region: `Region ${i % 7}`,
        signedOn: addDays('2016-01-01', intIn(r, 0, 365)),
        status: 'active',
        orderedAmount: money(r, 1e7),
        deliveredAmount: money(r, 1e7),
        invoicedAmount: money(r, 1e7),
        collected: money(r, 1e7),
        receivable: money(r, 1e7),
        undeliveredQty: intIn(r, 0, 50),
        uninvoicedQty: intIn(r, 0, 50),
      };
  }
  function* findings(): Generator<ReportFinding> {
    const r = seeded(5);
    for (let i = 0; i < contracts / 20; i++)
      yield {
        invoiceNo: `INV${String(i).padStart(7, '0')}`,
        issuedOn: addDays('2016-01-01', intIn(r, 0, 365)),
        contractId: `CT${String(i * 20).padStart(7, '0')}`,
        lineNo: intIn(r, 1, 9),
        itemCode: `ITEM-${intIn(r, 1, 99)}`,
        code: 'QTY_EXCEEDS_DELIVERED',
        expected: intIn(r, 0, 10),
        actual: intIn(r, 11, 20),
      };
  }
  return {
    period: parsePeriod('2016'),
    generatedAt: new Date('2017-01-01T02:00:00Z'),
    generatedBy: 'bench',
    appVersion: 'bench',
    reportVersion: 1,
    currency: 'EUR',
    regions: regions(),
    months: Array.from({ length: 12 }, (_, i) => ({
      period: `2016-${String(i + 1).padStart(2, '0')}`,
      group: null,
      contractsSigned: 1000 + i,
      contractValue: '1000000.00',
      delivered: '900000.00',
      returned: '1000.00',
      invoiced: '800000.00',
      collected: '700000.00',
      expenses: '5000.00',
    })),
    quarters: [],
    comparison: {
      current: { label: '2016', figures: ZERO_FIGURES },
      previous: { label: '2015', figures: ZERO_FIGURES },
      yearEarlier: { label: '2015', figures: ZERO_FIGURES },
    },
    salespeople: salespeople(),
    receivables: { asOf: '2016-12-31', rows: receivables() },
    contracts: open(),
    findings: findings(),
  };
}

function peakRssBytes(): number {
  // VmHWM: the kernel's high-water mark of resident memory for this process.
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : process.memoryUsage().rss;
}

/** Runs one case in this process and returns its figures. */
async function runCase(c: Case): Promise<Result> {
  const data = generate(c.contracts);
  const rssBefore = process.memoryUsage().rss;
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 5);
  const sample = () => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed));
  const start = performance.now();
  let bytes = 0;
  if (c.mode === 'stream') {
    // Stands in for Blob Storage's uploadStream, which holds a bounded number of blocks.
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        done();
      },
    });
    await writeReportWorkbook(data, sink);
  } else {
    const book = await buildReportWorkbookInMemory(data);
    sample();
    const buffer = await book.xlsx.writeBuffer();
    sample();
    bytes = buffer.byteLength;
  }
  const ms = performance.now() - start;
  clearInterval(sampler);
  sample();
  const mib = (b: number) => Math.max(0, b) / 1024 / 1024;
  return { ...c, ms, bytes, rssMiB: mib(peakRssBytes() - rssBefore), heapMiB: mib(heapPeak - heapBefore) };
}

function inChild(c: Case): Promise<Result> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', __filename],
      { env: { ...process.env, [CASE_ENV]: JSON.stringify(c) }, maxBuffer: 1024 * 1024, timeout: 15 * 60_000 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${err.message}\n${stderr}`));
        else resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Result);
      },
    );
  });
}

function line(r: Result): string {
  return `${r.mode.padEnd(6)} ${String(r.contracts).padStart(7)} contracts: ${(r.ms / 1000).toFixed(1).padStart(5)} s, ${(r.bytes / 1024 / 1024).toFixed(1)} MiB xlsx, peak RSS +${r.rssMiB.toFixed(0)} MiB, peak heap +${r.heapMiB.toFixed(0)} MiB`;
}

export async function run(): Promise<void> {
  const year = await inChild({ mode: 'stream', contracts: YEAR_CONTRACTS });
  console.log(line(year));
  const streamSubset = await inChild({ mode: 'stream', contracts: SUBSET_CONTRACTS });
  console.log(line(streamSubset));
  const memorySubset = await inChild({ mode: 'memory', contracts: SUBSET_CONTRACTS });
  console.log(line(memorySubset));
  const scale = YEAR_CONTRACTS / SUBSET_CONTRACTS;
  console.log(
    `at ${SUBSET_CONTRACTS} contracts, in-memory / streaming: peak RSS ×${(memorySubset.rssMiB / Math.max(1, streamSubset.rssMiB)).toFixed(1)}, time ×${(memorySubset.ms / streamSubset.ms).toFixed(2)}`,
  );
  console.log(
    `a year of ${YEAR_CONTRACTS} contracts streamed peaks at +${year.rssMiB.toFixed(0)} MiB RSS; in memory it would need about +${(memorySubset.rssMiB * scale).toFixed(0)} MiB (×${scale} the subset): ×${((memorySubset.rssMiB * scale) / Math.max(1, year.rssMiB)).toFixed(1)}`,
  );
}

const requested = process.env[CASE_ENV];
if (requested !== undefined && require.main === module) {
  runCase(JSON.parse(requested) as Case).then(
    (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
