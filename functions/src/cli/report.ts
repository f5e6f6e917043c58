// CLI: makes one period's report now against the configured storage, `npm run report -- --period 2016-Q4 [--user <id>]`.
import { parseArgs } from 'node:util';
import { parsePeriod } from '../../../shared/dates';
import { reportBlob } from '../reports/reportStore';
import { makeReport } from '../reports/service';

const USAGE = 'Usage: npm run report -- --period <2016-11 | 2016-Q4 | 2016> [--user <id>]';

export async function main(argv: string[]): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    options: { period: { type: 'string' }, user: { type: 'string' }, help: { type: 'boolean' } },
    strict: true,
  });
  if (values.help === true) throw new Error(USAGE);
  if (values.period === undefined) throw new Error(`--period is required.\n${USAGE}`);
  const period = parsePeriod(values.period);
  // Whoever runs the command on a machine with the storage connection is trusted; the name only labels the report.
  const user = values.user?.trim() || `cli:${process.env.USER ?? 'unknown'}`;
  const report = await makeReport(period, user);
  const blob = await reportBlob(report.blobName);
  return [
    `reportId  ${report.reportId}`,
    `period    ${report.period} (version ${report.version})`,
    `size      ${report.sizeBytes} bytes`,
    `blob      ${blob.containerName}/${report.blobName}`,
    `url       ${blob.url}`,
    `api       GET /api/reports/${report.reportId}`,
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
