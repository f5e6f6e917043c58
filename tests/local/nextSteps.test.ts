// Tests for local/nextSteps.ts: the sign-in and demo commands printed for the ports and key file of this run.
import { resolveLaunch } from '../../local/launch';
import { nextSteps } from '../../local/nextSteps';

const free = (): Promise<boolean> => Promise.resolve(true);
const busy7071 = (port: number): Promise<boolean> => Promise.resolve(port !== 7071);

describe('nextSteps', () => {
  it('prints the plain commands on the default API port', async () => {
    expect(nextSteps(await resolveLaunch({}, free), {})).toEqual([
      'Sign in: API address http://127.0.0.1:7071/api, token from `npm run --silent token -- --user alice --roles clerk`',
      'Demo: npm run demo',
    ]);
  });

  it('names the moved API and a given signing key file, quoted for the shell', async () => {
    const env = { LEDGERDESK_DEV_SIGNING_KEY_FILE: "/tmp/my keys/dev's.json" };
    expect(nextSteps(await resolveLaunch(env, busy7071), env)).toEqual([
      "Sign in: API address http://127.0.0.1:7072/api, token from `LEDGERDESK_DEV_SIGNING_KEY_FILE='/tmp/my keys/dev'\\''s.json' npm run --silent token -- --user alice --roles clerk`",
      "Demo: LEDGERDESK_API_URL=http://127.0.0.1:7072/api LEDGERDESK_DEV_SIGNING_KEY_FILE='/tmp/my keys/dev'\\''s.json' npm run demo",
    ]);
  });

  it('prints no development commands in azure mode', async () => {
    const env = {
      LEDGERDESK_MODE: 'azure',
      LEDGERDESK_STORAGE_ACCOUNT: 'ledgerdesk1',
      AUTH_ISSUER: 'https://login.microsoftonline.com/t/v2.0',
      AUTH_AUDIENCE: 'api://x',
      AUTH_JWKS_URL: 'https://login.microsoftonline.com/t/discovery/v2.0/keys',
    };
    expect(nextSteps(await resolveLaunch(env, free), env)).toEqual([]);
  });
});
