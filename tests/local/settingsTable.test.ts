// The README's Settings table lists exactly the settings the code reads, with the defaults config.ts applies.
import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_SETTINGS, loadConfig, parseConnectionString, type Config } from '../../functions/src/config';
import { sourceFiles } from '../architecture/importGraph';

const repo = path.resolve(__dirname, '..', '..');
const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');

/** Rows of the table in README's "## Settings" section: setting → default cell. */
function readmeSettings(): Map<string, string> {
  const section = /^## Settings\n([\s\S]*?)^## /m.exec(readme)?.[1];
  if (section === undefined) throw new Error('README has no "## Settings" section');
  const rows = new Map<string, string>();
  for (const line of section.split('\n')) {
    const cells = /^\|\s*`([A-Za-z_][A-Za-z0-9_]*)`\s*\|([^|]*)\|/.exec(line);
    if (cells !== null) rows.set(cells[1]!, cells[2]!.trim());
  }
  return rows;
}

/** Environment variables read in code outside config.ts: `process.env.X`, `process.env['X']`, `env['X']`, `env.X`. */
function readInCode(): Map<string, string> {
  const files = [
    ...sourceFiles(['functions/src', 'local', 'addin/scripts']),
    // The azd hooks (deploy/entra.ts) read azd's environment, not settings of ours.
    'deploy/manifest.ts',
    'deploy/package.ts',
  ];
  const found = new Map<string, string>();
  const pattern = /\b(?:process\.env|env)(?:\.([A-Z][A-Za-z0-9_]*)|\[\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*\])/g;
  for (const file of files) {
    for (const m of fs.readFileSync(path.join(repo, file), 'utf8').matchAll(pattern)) found.set(m[1] ?? m[2]!, file);
  }
  return found;
}

/** Names the scan finds that are not settings of ours, and why. */
const NOT_SETTINGS: Record<string, string> = {
  NODE_ENV: 'addin/scripts/build.ts: a name esbuild replaces in the bundle, not read from the environment',
  USER: "functions/src/cli/report.ts: the operating system's user name, the report's default --user",
};

describe('README Settings table', () => {
  const table = readmeSettings();

  it('lists every setting config.ts reads and every one read elsewhere, and nothing else', () => {
    const inCode = new Set([...CONFIG_SETTINGS, ...readInCode().keys()].filter((n) => !(n in NOT_SETTINGS)));
    expect([...table.keys()].sort()).toEqual([...inCode].sort());
  });

  it('finds the settings read outside config.ts (so the scan itself works)', () => {
    const found = readInCode();
    expect(found.get('LEDGERDESK_API_URL')).toBe('local/demo/cli.ts');
    expect(found.get('LEDGERDESK_MANIFEST_SCHEMAS')).toBe('addin/scripts/validate-manifest.ts');
    expect(found.has('ADDIN_BASE_URL')).toBe(true);
    expect(found.has('API_BASE_URL')).toBe(true);
    for (const name of Object.keys(NOT_SETTINGS)) expect(found.has(name)).toBe(true);
  });

  it('gives the defaults config.ts applies when nothing is set', () => {
    const config = loadConfig({}, '/repo');
    const defaults: [string, (c: Config) => string][] = [
      ['LEDGERDESK_TABLE_PREFIX', (c) => c.tablePrefix],
      ['LEDGERDESK_DEFAULT_CURRENCY', (c) => c.defaultCurrency],
      [
        'LEDGERDESK_DEV_SIGNING_KEY_FILE',
        (c) => path.relative('/repo', c.auth.mode === 'local' ? c.auth.signingKeyFile : ''),
      ],
      ['LEDGERDESK_AZURITE_DIR', (c) => path.relative('/repo', c.azuriteDir)],
      ['PORT', (c) => String(c.port)],
      ['LEDGERDESK_TASKPANE_PORT', (c) => String(c.taskpanePort)],
      ['LEDGERDESK_CORS_ORIGIN', (c) => c.corsOrigin],
      ['LEDGERDESK_MODE', (c) => c.mode],
    ];
    for (const [setting, value] of defaults) {
      const cell = table.get(setting);
      // The first code span of the default cell is the value (LEDGERDESK_MODE: its "else" value, local).
      const stated =
        setting === 'LEDGERDESK_MODE' ? /else `([^`]+)`/.exec(cell ?? '')?.[1] : /`([^`]+)`/.exec(cell ?? '')?.[1];
      expect({ setting, stated }).toEqual({ setting, stated: value(config) });
    }
    const ports = ['blobendpoint', 'queueendpoint', 'tableendpoint'].map(
      (k) => new URL(parseConnectionString(config.storageConnection).get(k)!).port,
    );
    expect(table.get('LEDGERDESK_STORAGE_CONNECTION')).toContain(`ports ${ports[0]}-${ports[2]}`);
    expect(ports).toEqual(['10000', '10001', '10002']);
  });
});
