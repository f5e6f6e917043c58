// `npm start`: Azurite, the API with its timers, and the task-pane dev server, each on its default port or the next
// free one unless a setting pins it; prints where they listen and stops them cleanly.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildAddin, DEFAULT_DIST_DIR } from '../addin/scripts/build';
import { startTaskpaneServer } from '../addin/scripts/serve';
import { ConfigError, getConfig } from '../functions/src/config';
import { ensureFiguresLayout } from '../functions/src/figures/layout';
import { registerFigureProjection } from '../functions/src/figures/projection';
import { timers } from '../functions/src/timers';
import { startAzurite } from './azurite';
import { DEFAULT_PORTS, resolveLaunch, type DefaultPorts, type Launch } from './launch';
import { localManifest, saveLocalManifest } from './manifest';
import { PortError } from './ports';
import { alive, claimFolder, FolderInUseError, noteAddresses, releaseFolder } from './running';
import { startTimerScheduler } from './scheduler';
import { startApiHost } from './server';
import { nextSteps } from './nextSteps';

interface RunningService {
  /** What to print: where it listens. */
  url: string;
  close(): Promise<void>;
}

interface Service {
  name: string;
  /** A string instead of a service: not started in this configuration, and why. */
  start(launch: Launch): Promise<RunningService | string>;
}

function shortPath(dir: string): string {
  const rel = path.relative(process.cwd(), dir);
  return rel === '' ? '.' : rel.startsWith('..') ? dir : rel;
}

/** Started in this order, stopped in reverse: the API stops taking requests before storage goes away. */
const services: Service[] = [
  {
    name: 'Azurite',
    async start({ config, azurite: ports }) {
      if (ports === undefined) return 'skipped: storage connection is not a local Azurite';
      const azurite = await startAzurite({ location: config.azuriteDir, ports });
      return {
        url: `blob ${azurite.blobUrl}, table ${azurite.tableUrl} (pid ${azurite.pid}, data in ${shortPath(config.azuriteDir)})`,
        close: () => azurite.stop(),
      };
    },
  },
  {
    name: 'API',
    async start({ config }) {
      // Figures written by a version of another storage layout are rebuilt before the API serves any.
      await ensureFiguresLayout((m) => console.log(m));
      const api = await startApiHost({ port: config.port, host: '127.0.0.1' });
      const scheduler = startTimerScheduler(timers, undefined, { catchUp: true });
      return {
        url: `${api.url} (${timers.length} timer${timers.length === 1 ? '' : 's'}, CORS for ${config.corsOrigin})`,
        close: async () => {
          await scheduler.stop();
          await api.close();
        },
      };
    },
  },
  {
    name: 'Task pane',
    async start({ config, api, apiUrl }) {
      if (config.taskpanePort === 'off') return 'skipped: LEDGERDESK_TASKPANE_PORT=off';
      // The built files serve any port; only the manifest names one, and the server makes that one for itself.
      if (!existsSync(path.join(DEFAULT_DIST_DIR, 'taskpane.html'))) {
        console.log(`Task pane: building ${shortPath(DEFAULT_DIST_DIR)} (no build yet)...`);
        await buildAddin({ log: () => undefined });
      }
      const manifest = (origin: string): string => localManifest(origin, api);
      const pane = await startTaskpaneServer({
        port: config.taskpanePort,
        host: 'localhost',
        manifest,
        apiBaseUrl: apiUrl,
      });
      const saved = saveLocalManifest(pane.url, manifest(pane.url));
      return {
        url: `${pane.url}/taskpane.html, manifest ${pane.url}/manifest.xml (saved as ${shortPath(saved)})`,
        close: () => pane.close(),
      };
    },
  },
];

/**
 * `npm start` runs us as npm → sh → tsx → node. npm forwards SIGTERM to sh only, and dash dies without passing it
 * on, which would orphan us (and Azurite) when a supervisor signals just npm. So on Linux we note the launcher
 * processes up to npm and stop when one of them disappears. Elsewhere, and when not started by npm, signals reach
 * us directly (Ctrl-C signals the whole process group).
 */
function watchLauncher(onGone: () => void): void {
  if (process.platform !== 'linux') return;
  const chain: number[] = [];
  try {
    let pid = process.ppid;
    for (let depth = 0; depth < 5 && pid > 1; depth++) {
      chain.push(pid);
      // npm retitles itself ("npm start"), which replaces its argv; older npm shows "node …/npm-cli.js start".
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (/^(\S*\/)?npm(\s|$)|npm-cli\.js/.test(cmdline)) break;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (depth === 4) return; // no npm above us: nothing to watch
    }
  } catch {
    return; // no /proc access: rely on signals alone
  }
  const timer = setInterval(() => {
    if (!chain.every(alive)) {
      clearInterval(timer);
      onGone();
    }
  }, 500);
  timer.unref();
}

/** `npm start`; `defaults` moves where the port search starts (tests, so they never bind the well-known ports). */
export async function main(defaults: DefaultPorts = DEFAULT_PORTS): Promise<void> {
  // When whoever read our output is gone (npm killed), writes fail with EPIPE; that must not crash us before
  // Azurite has been stopped.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  // Configuration errors and busy pinned ports stop us before anything starts; then the picked ports become the
  // settings the API reads, so its address, CORS and the pane's manifest agree with what listens.
  const launch = await resolveLaunch(process.env, undefined, defaults);
  Object.assign(process.env, launch.filled);
  const config = getConfig();
  if (launch.azurite !== undefined) claimFolder(config.azuriteDir);
  registerFigureProjection(); // approvals keep the contract index and rollups current, as in index.ts
  const running: { name: string; service: RunningService }[] = [];
  let stopping: Promise<void> | undefined;

  const stop = (why: string): Promise<void> => {
    stopping ??= (async () => {
      console.log(`Stopping (${why})...`);
      for (const { name, service } of [...running].reverse()) {
        try {
          await service.close();
          console.log(`${name} stopped.`);
        } catch (err) {
          console.error(`${name} did not stop cleanly:`, err);
          process.exitCode = 1;
        }
      }
      if (launch.azurite !== undefined) releaseFolder(config.azuriteDir);
      console.log('Stopped.');
    })();
    return stopping;
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => void stop(signal));
  }
  watchLauncher(() => void stop('npm exited'));

  try {
    for (const service of services) {
      if (stopping) return;
      const result = await service.start(launch);
      if (typeof result === 'string') {
        console.log(`${service.name}: ${result}`);
        continue;
      }
      running.push({ name: service.name, service: result });
      console.log(`${service.name}: ${result.url}`);
    }
  } catch (err) {
    console.error(`Startup failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
    await stop('startup failed');
    return;
  }
  if (stopping) return;
  const { apiUrl } = launch;
  const paneUrl = launch.pane === 'off' ? undefined : `https://localhost:${launch.pane}`;
  if (launch.azurite !== undefined) noteAddresses(config.azuriteDir, { apiUrl, ...(paneUrl ? { paneUrl } : {}) });
  for (const line of launch.moved) console.log(`Moved: ${line}`);
  for (const line of nextSteps(launch, process.env)) console.log(line);
  console.log(`Ledgerdesk is ready (${config.mode} mode). Stop with Ctrl-C.`);
}

/** Prints why the start failed: the sentence alone when it names a setting (a stack would bury it). */
export function reportStartFailure(err: unknown): void {
  const known = err instanceof ConfigError || err instanceof PortError || err instanceof FolderInUseError;
  console.error(known ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
}

if (require.main === module) main().catch(reportStartFailure);
