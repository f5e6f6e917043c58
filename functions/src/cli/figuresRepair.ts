// CLI: `npm run figures:repair [-- --all]`: the figuresRepair timer's work, by hand. Projects approvals whose request
// died before the figures took them (and applies the rollup journals such requests left), drops intents of approvals
// that never committed, deletes the journals of applied requests, then old rollup markers and finished claims.
// Intents younger than two minutes may belong to a request still running and are left alone, unless --all says that
// no API is running (e.g. right after a crash, before restarting it).
import { parseArgs } from 'node:util';
import { getConfig } from '../config';
import { INTENT_GRACE_MS, repairFigures } from '../figures/projection';

const USAGE = `Usage: npm run figures:repair [-- --all]
--all  also replay intents younger than ${INTENT_GRACE_MS / 60_000} minutes (only when no API instance is running)`;

export async function main(argv: string[], now = new Date()): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    options: { all: { type: 'boolean' }, help: { type: 'boolean' } },
    strict: true,
  });
  if (values.help === true) throw new Error(USAGE);
  getConfig(); // a configuration error names the setting before anything is read
  // Moving "now" past the grace period makes every intent old enough.
  const at = values.all === true ? new Date(now.getTime() + INTENT_GRACE_MS) : now;
  const { replayed, dropped, markersDeleted } = await repairFigures(at);
  return (
    `${replayed} interrupted approvals projected into the figures, ${dropped} intents of approvals that never ` +
    `committed dropped, ${markersDeleted} old rollup markers deleted.`
  );
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (line) => process.stdout.write(`${line}\n`),
    (err: unknown) => {
      process.stderr.write(`figures:repair: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
