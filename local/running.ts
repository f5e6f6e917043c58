// The running file in Azurite's folder: one `npm start` per data folder at a time, and where its API and pane listen.
import fs from 'node:fs';
import path from 'node:path';

export const RUNNING_FILE = 'ledgerdesk-running.json';

export interface Running {
  pid: number;
  /** Filled once the services listen. */
  apiUrl?: string;
  paneUrl?: string;
}

/** Whether process `pid` exists (EPERM: it does, owned by another user). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function read(file: string): Running | undefined {
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Running>;
    return typeof value.pid === 'number' ? (value as Running) : undefined;
  } catch {
    return undefined; // missing, or cut short by a crash: nobody holds it
  }
}

export class FolderInUseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FolderInUseError';
  }
}

/**
 * Claims `dir` (Azurite's data folder) for this process. Two Azurites writing one folder would overwrite each other's
 * data, so a folder held by a live process is refused with a message naming LEDGERDESK_AZURITE_DIR; a file left by a
 * process that is gone is taken over.
 */
export function claimFolder(dir: string, pid = process.pid): void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, RUNNING_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify({ pid } satisfies Running), { flag: 'wx' });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = read(file);
    if (holder !== undefined && holder.pid !== pid && alive(holder.pid)) {
      throw new FolderInUseError(
        `Azurite's data folder ${dir} is in use by another npm start (pid ${holder.pid}). ` +
          'Stop that one, or set LEDGERDESK_AZURITE_DIR to another folder for this one.',
      );
    }
    fs.rmSync(file, { force: true }); // left by a process that is gone
  }
  throw new FolderInUseError(`Could not claim Azurite's data folder ${dir}; another npm start is starting there.`);
}

/** Notes where this process's API and pane listen, for `npm run demo`. */
export function noteAddresses(dir: string, addresses: Omit<Running, 'pid'>, pid = process.pid): void {
  const file = path.join(dir, RUNNING_FILE);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify({ pid, ...addresses } satisfies Running));
  fs.renameSync(`${file}.tmp`, file);
}

/** Gives the folder up, if this process holds it. */
export function releaseFolder(dir: string, pid = process.pid): void {
  const file = path.join(dir, RUNNING_FILE);
  if (read(file)?.pid === pid) fs.rmSync(file, { force: true });
}

/** The live `npm start` holding `dir`, with its addresses; undefined when none runs there. */
export function runningIn(dir: string): Running | undefined {
  const holder = read(path.join(dir, RUNNING_FILE));
  return holder !== undefined && alive(holder.pid) ? holder : undefined;
}
