// CLI: prints a local development token, `npm run --silent token -- --user <id> --roles <role,role> [--expires 8h]`.
import { parseArgs } from 'node:util';
import { getConfig } from '../functions/src/config';
import { signDevToken } from '../functions/src/auth/devKey';
import { parseRoles, ROLES } from '../functions/src/auth/roles';

const USAGE = `Usage: npm run --silent token -- --user <id> --roles <role,role> [--expires 8h]
Roles: ${ROLES.join(', ')}. Expiry: a number with s, m, h or d (default 8h).`;

/** jose accepts more spellings; the CLI keeps to the ones a person types, so typos fail loudly. */
const EXPIRES = /^\d+(s|m|h|d)$/;

export async function main(argv: string[]): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    options: {
      user: { type: 'string' },
      roles: { type: 'string' },
      expires: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help === true) throw new Error(USAGE);
  const user = values.user?.trim();
  if (user === undefined || user === '') throw new Error(`--user is required.\n${USAGE}`);
  // eslint-disable-next-line no-control-regex
  if (user.length > 256 || /[\u0000-\u001f\u007f]/.test(user))
    throw new Error('--user must be 1-256 characters without control characters.');
  if (values.roles === undefined) throw new Error(`--roles is required.\n${USAGE}`);
  const roles = parseRoles(values.roles);
  if (roles.length === 0) throw new Error(`--roles needs at least one role: ${ROLES.join(', ')}.`);
  const expiresIn = values.expires ?? '8h';
  if (!EXPIRES.test(expiresIn)) throw new Error(`--expires must look like 30m, 8h or 2d, not '${expiresIn}'.`);

  const config = getConfig();
  if (config.auth.mode !== 'local') {
    throw new Error('LEDGERDESK_MODE is azure: local development tokens would be refused; use tokens from Entra ID.');
  }
  return signDevToken(config.auth.signingKeyFile, { user, roles, expiresIn });
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (token) => process.stdout.write(`${token}\n`),
    (err: unknown) => {
      process.stderr.write(`token: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
