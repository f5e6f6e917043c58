// The deployable Functions package: loaded the way the Azure Node worker loads it, it registers exactly the route and
// timer tables; it holds the bundle, host.json and package.json only, with no dev tooling inside.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import {
  API_ENTRY,
  buildApiPackage,
  buildTaskpanePackage,
  HOST_MODULE,
  repoRoot,
  type ApiPackage,
} from '../../../deploy/package';
import { registeredMethods } from '../../../functions/src/http/route';
import { routes } from '../../../functions/src/routes';
import { timers } from '../../../functions/src/timers';

/**
 * What the Functions Node worker does with an app: read package.json's `main`, require that file with
 * `@azure/functions-core` provided by the worker (here: a stub recording every registration), and collect the
 * function metadata. Runs in a plain Node child process, outside jest's module system, with the package folder as
 * working directory and none of the test run's settings.
 */
const WORKER_STUB = `
const Module = require('node:module');
const path = require('node:path');
const registrations = [];
const core = {
  setProgrammingModel() {},
  registerFunction(metadata, handler) {
    registrations.push({ ...metadata, handlerType: typeof handler });
    return { dispose() {} };
  },
  registerHook() { return { dispose() {} }; },
  log() {},
};
const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === ${JSON.stringify(HOST_MODULE)}) return core;
  return load.call(this, request, parent, isMain);
};
const main = require(path.resolve('package.json')).main;
try {
  require(path.resolve(main));
  process.stdout.write(JSON.stringify({ registrations }));
} catch (err) {
  process.stdout.write(JSON.stringify({ error: err && err.message }));
}
`;

interface Binding {
  type: string;
  direction: string;
  methods?: string[];
  route?: string;
  authLevel?: string;
  schedule?: string;
  runOnStartup?: boolean;
}
interface Registration {
  name: string;
  bindings: Record<string, Binding>;
  handlerType: string;
}

function loadLikeTheWorker(
  dir: string,
  env: Record<string, string> = {},
): { registrations?: Registration[]; error?: string } {
  const res = spawnSync(process.execPath, ['-e', WORKER_STUB], {
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (res.status !== 0) throw new Error(`worker stub failed (${res.status}): ${res.stderr}`);
  return JSON.parse(res.stdout) as { registrations?: Registration[]; error?: string };
}

function trigger(reg: Registration): Binding {
  const found = Object.values(reg.bindings).filter((b) => b.direction === 'in' && b.type.endsWith('Trigger'));
  expect(found).toHaveLength(1);
  return found[0]!;
}

let pkg: ApiPackage;
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerdesk-package-'));

beforeAll(async () => {
  pkg = await buildApiPackage(path.join(outDir, 'api'));
});
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

describe('the package, loaded like the Azure host loads it', () => {
  it('registers exactly the route table and the timer table', () => {
    const { registrations, error } = loadLikeTheWorker(pkg.dir);
    expect(error).toBeUndefined();
    const regs = registrations!;
    expect(regs.map((r) => r.name)).toEqual([...routes.map((r) => r.name), ...timers.map((t) => t.name)]);
    for (const route of routes) {
      const reg = regs.find((r) => r.name === route.name)!;
      expect(reg.handlerType).toBe('function');
      const t = trigger(reg);
      expect(t.type).toBe('httpTrigger');
      expect([...(t.methods ?? [])].sort()).toEqual([...registeredMethods(route)].sort());
      expect(t.methods).toContain('OPTIONS'); // CORS preflight reaches the API boundary
      expect(t.route).toBe(route.route);
      // Callers authenticate with Entra bearer tokens, checked by the API itself; no function keys.
      expect(t.authLevel).toBe('anonymous');
      expect(Object.values(reg.bindings).some((b) => b.direction === 'out' && b.type === 'http')).toBe(true);
    }
    for (const job of timers) {
      const reg = regs.find((r) => r.name === job.name)!;
      expect(reg.handlerType).toBe('function');
      const t = trigger(reg);
      expect(t.type).toBe('timerTrigger');
      expect(t.schedule).toBe(job.schedule);
      expect(t.schedule!.split(' ')).toHaveLength(6); // NCRONTAB with seconds
      expect(t.runOnStartup).toBe(false);
    }
  });

  it('stops at startup, naming the setting, when azure mode lacks its settings', () => {
    const { registrations, error } = loadLikeTheWorker(pkg.dir, { WEBSITE_INSTANCE_ID: 'test-instance' });
    expect(registrations).toBeUndefined();
    expect(error).toMatch(/Invalid configuration: LEDGERDESK_STORAGE_/);
  });
});

describe('the package contents', () => {
  it('is the bundle, host.json and a package.json whose main is the bundle, with no dependencies to install', async () => {
    expect(fs.readdirSync(pkg.dir).sort()).toEqual([API_ENTRY, 'host.json', 'package.json'].sort());
    const manifest = JSON.parse(fs.readFileSync(path.join(pkg.dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest['main']).toBe(API_ENTRY);
    expect(manifest['dependencies']).toBeUndefined();
    expect(manifest['devDependencies']).toBeUndefined();
    expect(manifest['scripts']).toBeUndefined();
    // The zip holds the same three files, at its root (where the host looks for host.json).
    const zip = await JSZip.loadAsync(fs.readFileSync(pkg.zip));
    expect(Object.keys(zip.files).sort()).toEqual([API_ENTRY, 'host.json', 'package.json'].sort());
    expect(await zip.file('host.json')!.async('string')).toBe(
      fs.readFileSync(path.join(repoRoot, 'host.json'), 'utf8'),
    );
  });

  it('host.json is a v2 host file with the extension bundle and a timeout above the HTTP front end’s 230 s', () => {
    const host = JSON.parse(fs.readFileSync(path.join(pkg.dir, 'host.json'), 'utf8')) as {
      version: string;
      extensionBundle: { id: string; version: string };
      functionTimeout: string;
      logging: { applicationInsights: { samplingSettings: { excludedTypes: string } } };
    };
    expect(host.version).toBe('2.0');
    expect(host.extensionBundle.id).toBe('Microsoft.Azure.Functions.ExtensionBundle');
    expect(host.extensionBundle.version).toBe('[4.*, 5.0.0)');
    const m = /^(\d\d):(\d\d):(\d\d)$/.exec(host.functionTimeout);
    expect(m).not.toBeNull();
    const seconds = Number(m![1]) * 3600 + Number(m![2]) * 60 + Number(m![3]);
    expect(seconds).toBeGreaterThan(230); // timers (reports) may run longer than any HTTP request can
    expect(seconds).toBeLessThanOrEqual(30 * 60);
    expect(host.logging.applicationInsights.samplingSettings.excludedTypes.split(';')).toEqual(
      expect.arrayContaining(['Request', 'Exception']),
    );
  });

  it('bundles only the API’s own sources and production dependencies, never dev tooling, tests or .data', () => {
    const inputs = Object.keys(pkg.metafile.inputs).map((p) => path.resolve(repoRoot, p));
    const own = inputs.filter((p) => !p.split(path.sep).includes('node_modules'));
    for (const file of own) {
      const rel = path.relative(repoRoot, file);
      expect(rel === 'package.json' || /^(functions[/\\]src|shared)[/\\]/.test(rel)).toBe(true);
      expect(rel).not.toMatch(/^functions[/\\]src[/\\](host|cli|demo)[/\\]/); // the local host and scripts stay out
    }
    expect(own.some((f) => f.endsWith(path.join('functions', 'src', 'index.ts')))).toBe(true);

    // Every bundled package is reachable from package.json's dependencies (node's resolution, nested first).
    const packageDirOf = (file: string): string => {
      const parts = file.split(path.sep);
      const at = parts.lastIndexOf('node_modules');
      const name = parts[at + 1]!.startsWith('@') ? 2 : 1;
      return fs.realpathSync(parts.slice(0, at + 1 + name).join(path.sep));
    };
    const bundled = new Set(inputs.filter((p) => p.split(path.sep).includes('node_modules')).map(packageDirOf));
    const resolveFrom = (name: string, from: string): string | undefined => {
      for (let dir = from; ; dir = path.dirname(dir)) {
        const candidate = path.join(dir, 'node_modules', name, 'package.json');
        if (fs.existsSync(candidate)) return fs.realpathSync(path.dirname(candidate));
        if (dir === path.dirname(dir)) return undefined;
      }
    };
    const deps = (dir: string): string[] => {
      const p = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
      return [p['dependencies'], p['optionalDependencies'], p['peerDependencies']].flatMap((d) =>
        d !== undefined ? Object.keys(d as object) : [],
      );
    };
    const production = new Set<string>();
    const queue: string[] = [repoRoot];
    const rootModules = path.join(repoRoot, 'node_modules');
    while (queue.length > 0) {
      const dir = queue.pop()!;
      for (const name of deps(dir)) {
        const found = resolveFrom(name, dir === repoRoot ? repoRoot : dir) ?? resolveFrom(name, rootModules);
        if (found !== undefined && !production.has(found)) {
          production.add(found);
          queue.push(found);
        }
      }
    }
    const outside = [...bundled].filter((d) => !production.has(d));
    expect(outside).toEqual([]);
    // And the dev tools themselves, by name, as a second look.
    const rootPkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    const bundledNames = [...bundled].map(
      (d) => (JSON.parse(fs.readFileSync(path.join(d, 'package.json'), 'utf8')) as { name: string }).name,
    );
    for (const dev of Object.keys(rootPkg.devDependencies)) expect(bundledNames).not.toContain(dev);
    expect(bundledNames).toEqual(expect.arrayContaining(['@azure/functions', '@azure/data-tables', 'jose', 'zod']));
    // The host module is left for the worker to provide.
    expect(bundledNames).not.toContain(HOST_MODULE);
    expect(fs.readFileSync(path.join(pkg.dir, API_ENTRY), 'utf8')).toContain(`require("${HOST_MODULE}")`);
  });

  it('the root package.json main is the tsc entry (npm run build) and package is a script', () => {
    const rootPkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      main: string;
      scripts: Record<string, string>;
    };
    const build = JSON.parse(fs.readFileSync(path.join(repoRoot, 'tsconfig.json'), 'utf8')) as {
      compilerOptions: { outDir: string; rootDir: string };
    };
    const expected = path.join(build.compilerOptions.outDir, 'functions', 'src', 'index.js');
    expect(path.normalize(rootPkg.main)).toBe(expected);
    expect(build.compilerOptions.rootDir).toBe('.');
    expect(rootPkg.scripts['package']).toBe('tsx deploy/package.ts');
  });
});

describe('the task-pane package', () => {
  const files = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)).map((f) => `${e.name}/${f}`) : [e.name]));

  it('is static web files only; the production manifest only when the deployed URLs are known', async () => {
    const dir = path.join(outDir, 'taskpane');
    const bare = await buildTaskpanePackage(dir);
    expect(bare.manifest).toBeUndefined();
    const names = files(dir);
    expect(names).toEqual(
      expect.arrayContaining([
        'taskpane.html',
        'taskpane.js',
        'taskpane.css',
        'help.html',
        'functions.js',
        'functions.json',
      ]),
    );
    expect(names).not.toContain('manifest.xml'); // never the development manifest
    for (const name of names) expect(name).toMatch(/\.(html|js|json|css|png|svg|ico|map|txt)$/);

    const pane = 'https://stapp-x.azurestaticapps.net';
    const deployed = await buildTaskpanePackage(dir, {
      addinBaseUrl: pane,
      apiBaseUrl: 'https://func-x.azurewebsites.net/api',
    });
    expect(deployed.manifest).toBe(path.join(dir, 'manifest.xml'));
    const manifest = fs.readFileSync(deployed.manifest!, 'utf8');
    expect(manifest).toContain(`${pane}/taskpane.html`);
    expect(manifest).not.toMatch(/localhost|127\.0\.0\.1/);
  });
});
