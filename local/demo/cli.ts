// CLI: `npm run demo [-- --contracts 300 --seed 2016 --year 2016 --out .data/demo]` loads the demo into the running API.
import { parseArgs } from 'node:util';
import { getConfig } from '../../functions/src/config';
import { runningIn } from '../running';
import { DEMO_DEFAULTS, MAX_DEMO_CONTRACTS } from './dataset';
import { DEFAULT_API_URL, DemoError, runDemo, type DemoResult } from './run';

const USAGE = `Usage: npm run demo [-- --contracts <1-${MAX_DEMO_CONTRACTS}> --seed <n> --year <yyyy> --out <dir>]
Needs the API running (\`npm start\` in another terminal). It uses LEDGERDESK_API_URL, else the API of the npm start
running on this data folder (LEDGERDESK_AZURITE_DIR), else ${DEFAULT_API_URL}.`;

function intOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value)) throw new DemoError(`--${name} must be a whole number, not '${value}'.\n${USAGE}`);
  return Number(value);
}

/** The API the demo loads: LEDGERDESK_API_URL, else the one npm start noted in this data folder, else the default. */
export function demoApiUrl(env: NodeJS.ProcessEnv, azuriteDir: string): string {
  return env.LEDGERDESK_API_URL || runningIn(azuriteDir)?.apiUrl || DEFAULT_API_URL;
}

export async function main(argv: string[], log: (line: string) => void = console.log): Promise<DemoResult> {
  const { values } = parseArgs({
    args: argv,
    options: {
      contracts: { type: 'string' },
      seed: { type: 'string' },
      year: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help === true) throw new DemoError(USAGE);
  const config = getConfig();
  if (config.auth.mode !== 'local')
    throw new DemoError('The demo signs local development tokens: it needs LEDGERDESK_MODE=local (the default).');
  return runDemo({
    apiUrl: demoApiUrl(process.env, config.azuriteDir),
    signingKeyFile: config.auth.signingKeyFile,
    contracts: intOption('contracts', values.contracts, DEMO_DEFAULTS.contracts),
    seed: intOption('seed', values.seed, DEMO_DEFAULTS.seed),
    year: intOption('year', values.year, DEMO_DEFAULTS.year),
    ...(values.out === undefined ? {} : { outDir: values.out }),
    log,
  });
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    () => undefined,
    (err: unknown) => {
      // DemoError and RangeError carry sentences meant for the user; anything else is a bug worth its stack.
      const known =
        err instanceof DemoError ||
        err instanceof RangeError ||
        (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION';
      process.stderr.write(
        `demo: ${known && err instanceof Error ? err.message : String((err as Error).stack ?? err)}\n`,
      );
      process.exitCode = 2;
    },
  );
}
