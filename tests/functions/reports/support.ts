// A report with nothing in it (November 2016, no figures), for tests of one sheet, and streaming it to a file.
import { createWriteStream } from 'node:fs';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parsePeriod } from '../../../shared/dates';
import { ZERO_FIGURES } from '../../../functions/src/reports/reportData';
import { writeReportWorkbook, type ReportData } from '../../../functions/src/reports/workbook';

/** November 2016's report with no figures; `extra` adds the sheet under test's data. */
export function emptyReport(extra: Partial<ReportData> = {}): ReportData {
  return {
    period: parsePeriod('2016-11'),
    generatedAt: new Date('2016-12-01T02:00:00.000Z'),
    generatedBy: 'test',
    appVersion: '0.1.0-test',
    currency: 'EUR',
    regions: [],
    months: [],
    quarters: [],
    comparison: {
      current: { label: '2016-11', figures: ZERO_FIGURES },
      previous: { label: '2016-10', figures: ZERO_FIGURES },
      yearEarlier: { label: '2015-11', figures: ZERO_FIGURES },
    },
    salespeople: [],
    receivables: { asOf: '2016-11-30', rows: [] },
    contracts: [],
    findings: [],
    ...extra,
  };
}

/** Streams the report workbook to `file`, as the report service streams it to storage. */
export async function writeReportFile(file: string, data: ReportData): Promise<void> {
  const pass = new PassThrough();
  const done = pipeline(pass, createWriteStream(file));
  await writeReportWorkbook(data, pass);
  pass.end();
  await done;
}
