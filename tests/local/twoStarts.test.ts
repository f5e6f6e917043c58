// `npm start` twice on one machine with no port pinned: both come up on different ports and each pane reaches its own
// API; a pinned busy port and a second start on one Azurite folder stop with the setting to change.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { azuriteConnectionString } from '../../functions/src/config';
import { MANIFEST_DIR } from '../../local/manifest';
import { freePort } from '../../local/ports';
import { alive, RUNNING_FILE } from '../../local/running';
import { uniqueTablePrefix } from '../support/azurite';

const repo = path.resolve(__dirname, '..', '..');
const tsx = path.join(repo, 'node_modules', '.bin', 'tsx');
/** Settings that would pin a port or an origin; removed so nothing is pinned. */
const PINNING = [
  'PORT',
  'LEDGERDESK_STORAGE_CONNECTION',
  'AzureWebJobsStorage',
  'LEDGERDESK_TASKPANE_PORT',
  'LEDGERDESK_CORS_ORIGIN',
];

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function launch(command: string, args: string[], env: NodeJS.ProcessEnv): Run {
  const child = spawn(command, args, { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function ready(run: Run): Promise<{ api: string; pane: string; azuritePid: number }> {
  const deadline = Date.now() + 120_000; // the first start may build the pane
  while (!/Ledgerdesk is ready/.test(run.output())) {
    if (run.child.exitCode !== null || Date.now() > deadline) throw new Error(`not ready:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const api = /^API: (http:\/\/127\.0\.0\.1:\d+\/api) /m.exec(run.output())?.[1];
  const pane = /^Task pane: (https:\/\/localhost:\d+)\/taskpane\.html/m.exec(run.output())?.[1];
  const pid = /^Azurite: .*\(pid (\d+)/m.exec(run.output())?.[1];
  if (api === undefined || pane === undefined || pid === undefined)
    throw new Error(`addresses missing:\n${run.output()}`);
  return { api, pane, azuritePid: Number(pid) };
}

/** GET over https from the pane's server (its certificate is our own development CA). */
function paneGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { rejectUnauthorized: false }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

const preflight = (api: string, origin: string): Promise<Response> =>
  fetch(`${api}/health`, {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': 'GET' },
  });

describe('two npm starts on one machine', () => {
  const dirs: string[] = [];
  const runs: Run[] = [];
  const azurites: number[] = [];
  /** The manifests the panes saved for sideloading, removed afterwards. */
  const manifests: string[] = [];
  let base: number;
  const envFor = (dir: string): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LEDGERDESK_MODE: 'local',
      LEDGERDESK_TABLE_PREFIX: uniqueTablePrefix(),
      LEDGERDESK_AZURITE_DIR: path.join(dir, 'azurite'),
      LEDGERDESK_DEV_SIGNING_KEY_FILE: path.join(dir, 'key.json'),
    };
    for (const name of PINNING) delete env[name];
    return env;
  };
  const newDir = (): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerdesk-twice-'));
    dirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    // The search starts at a port the OS just called free (never at 10000-10002, 7071, 3000: see support/startAt.ts).
    do base = await freePort();
    while (base > 65000);
  });
  afterAll(() => {
    for (const r of runs) if (r.child.exitCode === null) r.child.kill('SIGKILL');
    for (const pid of azurites) if (alive(pid)) process.kill(pid, 'SIGKILL');
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    for (const file of manifests) fs.rmSync(file, { force: true });
  });

  it('both answer on their own ports, each pane is served and allowed by its own API, and both stop', async () => {
    const firstDir = newDir();
    const first = launch(tsx, ['tests/local/support/startAt.ts', String(base)], envFor(firstDir));
    runs.push(first);
    const a = await ready(first);
    azurites.push(a.azuritePid);
    const second = launch(tsx, ['tests/local/support/startAt.ts', String(base)], envFor(newDir()));
    runs.push(second);
    const b = await ready(second);
    azurites.push(b.azuritePid);
    for (const pane of [a.pane, b.pane])
      manifests.push(path.join(MANIFEST_DIR, `manifest-localhost-${new URL(pane).port}.xml`));
    for (const file of manifests) expect(fs.existsSync(file)).toBe(true);

    expect(a.api).toBe(`http://127.0.0.1:${base + 3}/api`);
    expect(a.pane).toBe(`https://localhost:${base + 4}`);
    expect(first.output()).not.toContain('Moved:');
    expect(b.api).not.toBe(a.api);
    expect(b.pane).not.toBe(a.pane);
    expect(second.output()).toMatch(
      new RegExp(`^Moved: the API is on port \\d+: ${base + 3} was busy \\(PORT chooses the port\\)\\.$`, 'm'),
    );
    expect(second.output()).toContain(`Demo: LEDGERDESK_API_URL=${b.api} `);

    for (const [mine, other] of [
      [a, b],
      [b, a],
    ] as const) {
      const health = await fetch(`${mine.api}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', storage: 'ok' });
      const page = await paneGet(`${mine.pane}/taskpane.html`);
      expect(page.status).toBe(200);
      expect(page.body).toContain('<html');
      // The pane's default API address (addin/src/settings.ts) is its own API.
      expect(page.body).toContain(`<meta name="ledgerdesk-api-base-url" content="${mine.api}" />`);
      const manifest = await paneGet(`${mine.pane}/manifest.xml`);
      expect(manifest.status).toBe(200);
      expect(manifest.body).toContain(`<SourceLocation DefaultValue="${mine.pane}/taskpane.html"/>`);
      expect(manifest.body).toContain(`<AppDomain>https://127.0.0.1:${new URL(mine.api).port}</AppDomain>`);
      const own = await preflight(mine.api, mine.pane);
      expect(own.status).toBe(204);
      expect(own.headers.get('access-control-allow-origin')).toBe(mine.pane);
      const foreign = await preflight(mine.api, other.pane);
      expect(foreign.status).toBe(403);
      expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    }

    // A third start on the first one's Azurite folder would share its data files: refused, naming the setting.
    const third = launch(tsx, ['tests/local/support/startAt.ts', String(base)], {
      ...envFor(newDir()),
      LEDGERDESK_AZURITE_DIR: path.join(firstDir, 'azurite'),
    });
    runs.push(third);
    expect(await third.exited).toBe(1);
    expect(third.output()).toContain('is in use by another npm start');
    expect(third.output()).toContain('set LEDGERDESK_AZURITE_DIR to another folder');
    expect(third.output()).not.toMatch(/^(Azurite|API): /m);

    for (const run of [first, second]) run.child.kill('SIGTERM');
    for (const run of [first, second]) {
      await run.exited;
      expect(run.output()).toMatch(/Task pane stopped\.\s+API stopped\.\s+Azurite stopped\.\s+Stopped\./);
    }
    const deadline = Date.now() + 20_000;
    while (alive(a.azuritePid) || alive(b.azuritePid)) {
      if (Date.now() > deadline) throw new Error('an Azurite is still running');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(fs.existsSync(path.join(firstDir, 'azurite', RUNNING_FILE))).toBe(false);
  }, 240_000);

  it('stops before starting anything when a port pinned by a setting is busy, naming the setting', async () => {
    const holder = launch(
      process.execPath,
      [
        '-e',
        "require('net').createServer().listen(Number(process.argv[1]), '127.0.0.1', () => console.log('listening'))",
        String(base + 50),
      ],
      process.env,
    );
    runs.push(holder);
    while (!holder.output().includes('listening')) {
      if (holder.child.exitCode !== null) throw new Error(holder.output());
      await new Promise((r) => setTimeout(r, 50));
    }
    const dir = newDir();
    const [blob, queue, table] = [await freePort(), await freePort(), await freePort()];
    const run = launch('npm', ['start'], {
      ...envFor(dir),
      PORT: String(base + 50),
      LEDGERDESK_STORAGE_CONNECTION: azuriteConnectionString({ blob, queue, table }),
      LEDGERDESK_TASKPANE_PORT: 'off',
    });
    runs.push(run);
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain(
      `Port ${base + 50} for the API is in use, and PORT pins it there. Stop what uses port ${base + 50}, or change PORT (or unset it, and npm start picks a free port).`,
    );
    expect(run.output()).not.toMatch(/^(Azurite|API): /m);
    expect(fs.existsSync(path.join(dir, 'azurite'))).toBe(false);
    holder.child.kill('SIGTERM');
    await holder.exited;
  });
});
