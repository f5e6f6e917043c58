// Tests for local/running.ts and the demo's choice of API: one npm start per Azurite folder, and where it listens.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { demoApiUrl } from '../../local/demo/cli';
import { DEFAULT_API_URL } from '../../local/demo/run';
import {
  claimFolder,
  FolderInUseError,
  noteAddresses,
  releaseFolder,
  RUNNING_FILE,
  runningIn,
} from '../../local/running';

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('the running file', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerdesk-running-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses a folder a live process holds, naming LEDGERDESK_AZURITE_DIR, and leaves its file alone', () => {
    const other = process.ppid; // alive: it started us
    claimFolder(dir, other);
    expect(() => claimFolder(dir)).toThrow(
      new FolderInUseError(
        `Azurite's data folder ${dir} is in use by another npm start (pid ${other}). Stop that one, or set LEDGERDESK_AZURITE_DIR to another folder for this one.`,
      ),
    );
    expect(JSON.parse(fs.readFileSync(path.join(dir, RUNNING_FILE), 'utf8'))).toEqual({ pid: other });
    releaseFolder(dir); // not ours: stays
    expect(runningIn(dir)).toEqual({ pid: other });
  });

  it('takes over a folder whose holder is gone, notes the addresses, and gives it up on release', () => {
    claimFolder(dir, deadPid());
    expect(runningIn(dir)).toBeUndefined();
    claimFolder(dir);
    noteAddresses(dir, { apiUrl: 'http://127.0.0.1:7072/api', paneUrl: 'https://localhost:3001' });
    expect(runningIn(dir)).toEqual({
      pid: process.pid,
      apiUrl: 'http://127.0.0.1:7072/api',
      paneUrl: 'https://localhost:3001',
    });
    releaseFolder(dir);
    expect(fs.existsSync(path.join(dir, RUNNING_FILE))).toBe(false);
    expect(runningIn(dir)).toBeUndefined();
  });

  it('gives the demo the API of the npm start running on its folder, unless LEDGERDESK_API_URL says otherwise', () => {
    expect(demoApiUrl({}, dir)).toBe(DEFAULT_API_URL);
    claimFolder(dir);
    noteAddresses(dir, { apiUrl: 'http://127.0.0.1:7072/api' });
    expect(demoApiUrl({}, dir)).toBe('http://127.0.0.1:7072/api');
    expect(demoApiUrl({ LEDGERDESK_API_URL: 'http://127.0.0.1:9000/api' }, dir)).toBe('http://127.0.0.1:9000/api');
    releaseFolder(dir);
    expect(demoApiUrl({}, dir)).toBe(DEFAULT_API_URL);
  });
});
