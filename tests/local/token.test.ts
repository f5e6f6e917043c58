// Tests for local/token.ts: argument handling, and the printed token through npm run.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { main } from '../../local/token';
import { setConfigForTests } from '../../functions/src/config';
import { verifyToken } from '../../functions/src/auth/verify';
import { useTestConfig } from '../support/azurite';

const run = promisify(execFile);

describe('token CLI', () => {
  afterEach(() => setConfigForTests(undefined));

  it('signs a token the API accepts, with the given user, roles and expiry', async () => {
    useTestConfig();
    const token = await main(['--user', 'alice', '--roles', 'clerk,reviewer', '--expires', '30m']);
    await expect(verifyToken(token)).resolves.toEqual({ userId: 'alice', oid: 'alice', roles: ['clerk', 'reviewer'] });
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
      exp: number;
      iat: number;
    };
    expect(payload.exp - payload.iat).toBe(30 * 60);
  });

  it.each<[string[], RegExp]>([
    [['--roles', 'clerk'], /--user is required/],
    [['--user', 'a'], /--roles is required/],
    [['--user', 'a', '--roles', 'boss'], /Unknown role 'boss'. Roles are: clerk, reviewer, finance, manager, admin/],
    [['--user', 'a', '--roles', ''], /at least one role/],
    [['--user', 'a', '--roles', 'clerk', '--expires', 'soon'], /--expires/],
  ])('refuses %p', async (args, message) => {
    useTestConfig();
    await expect(main(args)).rejects.toThrow(message);
  });

  it('refuses to mint tokens in azure mode', async () => {
    useTestConfig({
      LEDGERDESK_MODE: 'azure',
      AUTH_ISSUER: 'https://i',
      AUTH_AUDIENCE: 'a',
      AUTH_JWKS_URL: 'https://i/keys',
    });
    await expect(main(['--user', 'a', '--roles', 'clerk'])).rejects.toThrow(/azure/);
  });

  it('npm run --silent token prints only the token; errors go to stderr with a non-zero exit', async () => {
    const keyFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'ledgerdesk-cli-')), 'key.json');
    const env = { ...process.env, LEDGERDESK_DEV_SIGNING_KEY_FILE: keyFile, LEDGERDESK_MODE: 'local' };
    const { stdout } = await run('npm', ['run', '--silent', 'token', '--', '--user', 'bob', '--roles', 'finance'], {
      env,
    });
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const auth = useTestConfig({ LEDGERDESK_DEV_SIGNING_KEY_FILE: keyFile }).auth;
    await expect(verifyToken(stdout.trim(), auth)).resolves.toEqual({ userId: 'bob', oid: 'bob', roles: ['finance'] });
    await expect(
      run('npm', ['run', '--silent', 'token', '--', '--user', 'bob', '--roles', 'boss'], { env }),
    ).rejects.toMatchObject({
      stdout: '',
      stderr: expect.stringContaining("Unknown role 'boss'") as unknown,
    });
  });
});
