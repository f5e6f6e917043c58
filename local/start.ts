// `npm start`: Azurite, the API on 127.0.0.1:7071 with its timers, and the task-pane dev server; stops them cleanly.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startTaskpaneServer } from '../addin/scripts/serve';
import { getConfig, isLoopbackUrl, parseConnectionString, type Config } from '../functions/src/config';
import { ensureFiguresLayout } from '../functions/src/figures/layout';
import { registerFigureProjection } from '../functions/src/figures/projection';
import { timers } from '../functions/src/timers';
import { startAzurite } from './azurite';
import { startTimerScheduler } from './scheduler';
import { startApiHost } from './server';

interface RunningService {
  /** What to print: where it listens. */
  url: string;
  close(): Promise<void>;
}

interface Service {
  name: string;
  /** A string instead of a service: not started in this configuration, and why. */
  start(config: Config): Promise<RunningService | string>;
}

function shortPath(dir: string): string {
  const rel = path.relative(process.cwd(), dir);
  return rel === '' ? '.' : rel.startsWith('..') ? dir : rel;
}

function localPort(endpoint: string | undefined): number | undefined {
  if (endpoint === undefined || !isLoopbackUrl(endpoint)) return undefined;
  return Number(new URL(endpoint).port || 80);
}

/** Started in this order, stopped in reverse: the API stops taking requests before storage goes away. */
const services: Service[] = [
  {
    name: 'Azurite',
    async start(config) {
      const parts = parseConnectionString(config.storageConnection);
      const blob = localPort(parts.get('blobendpoint'));
      const table = localPort(parts.get('tableendpoint'));
      // Only run Azurite when the configured storage is Azurite on this machine, on the ports it names.
      if (blob === undefined || table === undefined) return 'skipped: storage connection is not a local Azurite';
      const queue = localPort(parts.get('queueendpoint')) ?? 0;
      const azurite = await startAzurite({ location: config.azuriteDir, ports: { blob, table, queue } });
      return {
        url: `blob ${azurite.blobUrl}, table ${azurite.tableUrl} (pid ${azurite.pid}, data in ${shortPath(config.azuriteDir)})`,
        close: () => azurite.stop(),
      };
    },
  },
  {
    name: 'API',
    async start(config) {
      // Figures written by a version of another storage layout are rebuilt before the API serves any.
      await ensureFiguresLayout((m) => console.log(m));
      const api = await startApiHost({ port: config.port, host: '127.0.0.1' });
      const scheduler = startTimerScheduler(timers, undefined, { catchUp: true });
      return {
        url: `${api.url} (${timers.length} timer${timers.length === 1 ? '' : 's'})`,
        close: async () => {
          await scheduler.stop();
          await api.close();
        },
      };
    },
  },
  {
    name: 'Task pane',
    async start(config) {
      if (config.taskpanePort === 'off') return 'skipped: LEDGERDESK_TASKPANE_PORT=off';
      return startTaskpaneServer({ port: config.taskpanePort, host: 'localhost' });
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
  const alive = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  };
  const timer = setInterval(() => {
    if (!chain.every(alive)) {
      clearInterval(timer);
      onGone();
    }
  }, 500);
  timer.unref();
}

async function main(): Promise<void> {
  // When whoever read our output is gone (npm killed), writes fail with EPIPE; that must not crash us before
  // Azurite has been stopped.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  const config = getConfig(); // configuration errors stop us before anything starts
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
      const result = await service.start(config);
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
  if (!stopping) console.log(`Ledgerdesk is ready (${config.mode} mode). Stop with Ctrl-C.`);
}

main().catch((err: unknown) => {
  // Configuration errors name the setting; a stack trace would only bury that sentence.
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
