// Azurite as a child process: start (Table + Blob on 127.0.0.1), wait until it answers, stop with SIGINT so it flushes.
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { azuriteConnectionString, type AzuritePorts } from '../functions/src/config';

export interface AzuriteOptions {
  /** Folder for Azurite's data; created if missing. */
  location: string;
  /** Ports; 0 or omitted picks a free one (Azurite reports what it bound). */
  ports?: Partial<AzuritePorts>;
  /** Milliseconds to wait for startup before giving up. */
  startTimeoutMs?: number;
  /**
   * Keep data in memory only (`--inMemoryPersistence`): for benchmarks, whose million-entity tables would otherwise be
   * re-serialised to disk every few seconds by Azurite's autosave.
   */
  inMemory?: boolean;
}

export interface RunningAzurite {
  pid: number;
  ports: AzuritePorts;
  connectionString: string;
  blobUrl: string;
  tableUrl: string;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string | null>;
  /** SIGINT, then wait for exit (SIGKILL after `timeoutMs`, default 15 s). Safe to call twice. */
  stop(timeoutMs?: number): Promise<void>;
}

function azuriteBin(): string {
  const pkg = require.resolve('azurite/package.json');
  return path.join(path.dirname(pkg), 'dist', 'src', 'azurite.js');
}

/** One HTTP round trip; any HTTP answer (even 400) proves the server is serving. */
function probe(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve();
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url}`)));
    req.on('error', reject);
  });
}

export async function startAzurite(options: AzuriteOptions): Promise<RunningAzurite> {
  await fs.mkdir(options.location, { recursive: true });
  const wanted = { blob: 0, queue: 0, table: 0, ...options.ports };
  const args = [
    azuriteBin(),
    '--silent',
    '--skipApiVersionCheck', // storage-blob 12.32 speaks a newer API version than Azurite 3.35 knows
    '--disableTelemetry',
    // Azurite refuses --location together with --inMemoryPersistence.
    ...(options.inMemory === true ? ['--inMemoryPersistence'] : ['--location', options.location]),
    '--blobHost',
    '127.0.0.1',
    '--queueHost',
    '127.0.0.1',
    '--tableHost',
    '127.0.0.1',
    '--blobPort',
    String(wanted.blob),
    '--queuePort',
    String(wanted.queue),
    '--tablePort',
    String(wanted.table),
  ];
  // Own process group: a terminal's Ctrl-C must not reach Azurite directly. It handles only the first SIGINT
  // gracefully; a second one (ours, while it is still flushing) would kill it mid-write.
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );

  const ports = await new Promise<AzuritePorts>((resolve, reject) => {
    const found: Partial<AzuritePorts> = {};
    const timer = setTimeout(() => fail(new Error('Azurite did not start in time.')), options.startTimeoutMs ?? 30_000);
    function fail(err: Error): void {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${err.message}\nAzurite output:\n${output}`));
    }
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      for (const m of output.matchAll(
        /Azurite (Blob|Queue|Table) service is successfully listening at http:\/\/[^:]+:(\d+)/g,
      )) {
        found[m[1]!.toLowerCase() as keyof AzuritePorts] = Number(m[2]);
      }
      if (found.blob !== undefined && found.queue !== undefined && found.table !== undefined) {
        clearTimeout(timer);
        resolve(found as AzuritePorts);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', fail);
    void exited.then((code) => fail(new Error(`Azurite exited during startup (${String(code)}).`)));
  });
  // Keep draining output so a full pipe never blocks Azurite.
  child.stdout!.resume();
  child.stderr!.resume();

  const blobUrl = `http://127.0.0.1:${ports.blob}/devstoreaccount1`;
  const tableUrl = `http://127.0.0.1:${ports.table}/devstoreaccount1`;
  await Promise.all([probe(`${blobUrl}?comp=list`), probe(`${tableUrl}/Tables`)]);

  let stopping: Promise<void> | undefined;
  return {
    pid: child.pid!,
    ports,
    connectionString: azuriteConnectionString(ports),
    blobUrl,
    tableUrl,
    exited,
    stop(timeoutMs = 15_000) {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}
