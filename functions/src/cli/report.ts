// CLI: makes one period's report now against the configured storage and writes the workbook to a file,
// `npm run report -- --period 2016-Q4 [--out file.xlsx] [--user <id>]`.
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { parsePeriod } from '../../../shared/dates';
import { makeReport, openReport, reportFilename } from '../reports/service';

const USAGE = 'Usage: npm run report -- --period <2016-11 | 2016-Q4 | 2016> [--out <file.xlsx>] [--user <id>]';

/** Where the workbook goes without --out: `.data/reports/` under the directory the command runs in. */
export const DEFAULT_REPORT_DIR = path.join('.data', 'reports');

export async function main(argv: string[], cwd: string = process.cwd()): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    options: {
      period: { type: 'string' },
      out: { type: 'string' },
      user: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help === true) throw new Error(USAGE);
  if (values.period === undefined) throw new Error(`--period is required.\n${USAGE}`);
  const period = parsePeriod(values.period);
  if (values.out !== undefined && !values.out.toLowerCase().endsWith('.xlsx'))
    throw new Error(`--out must name an .xlsx file, not ${JSON.stringify(values.out)}.\n${USAGE}`);
  // Whoever runs the command on a machine with the storage connection is trusted; the name only labels the report.
  const user = values.user?.trim() || `cli:${process.env.USER ?? 'unknown'}`;
  const report = await makeReport(period, user);
  const file = path.resolve(cwd, values.out ?? path.join(DEFAULT_REPORT_DIR, reportFilename(report)));
  try {
    const opened = await openReport(report.reportId);
    if (opened === undefined) throw new Error('it cannot be read back');
    await mkdir(path.dirname(file), { recursive: true });
    await pipeline(opened.body, createWriteStream(file));
  } catch (err) {
    // The stored version stays: say where it is, so nothing made is lost to a bad --out.
    throw new Error(
      `Report ${report.reportId} is stored (GET /api/reports/${encodeURIComponent(report.reportId)}), but writing ${file} failed: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return [
    `reportId  ${report.reportId}`,
    `period    ${report.period} (version ${report.version})`,
    `size      ${report.sizeBytes} bytes`,
    `api       GET /api/reports/${encodeURIComponent(report.reportId)}`,
    `file      ${file}`,
  ].join('\n');
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (text) => process.stdout.write(`${text}\n`),
    (err: unknown) => {
      process.stderr.write(`report: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
