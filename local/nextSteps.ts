// What `npm start` prints once ready: the commands to sign in and load the demo against the ports it picked.
import { DEFAULT_PORTS, type Launch } from './launch';

/** Quotes a value for a POSIX shell when it needs it. */
function shellWord(value: string): string {
  return /^[\w./:@%+=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The token and demo commands, with the settings they need to reach this run: the API's address when it is not the
 * default one, and the signing key file when one was given (the demo and the token sign with the API's key).
 */
export function nextSteps(launch: Launch, env: NodeJS.ProcessEnv): string[] {
  if (launch.config.auth.mode !== 'local') return [];
  const keyFile = env.LEDGERDESK_DEV_SIGNING_KEY_FILE;
  const key = keyFile !== undefined && keyFile !== '' ? `LEDGERDESK_DEV_SIGNING_KEY_FILE=${shellWord(keyFile)} ` : '';
  const api = launch.api === DEFAULT_PORTS.api ? '' : `LEDGERDESK_API_URL=${launch.apiUrl} `;
  return [
    `Sign in: API address ${launch.apiUrl}, token from \`${key}npm run --silent token -- --user alice --roles clerk\``,
    `Demo: ${api}${key}npm run demo`,
  ];
}
