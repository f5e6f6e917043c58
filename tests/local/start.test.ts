// Tests for `npm start` (local/start.ts) as a child process without a terminal: ready, health, SIGTERM, restart.
import { freePort } from '../../local/ports';
import { alive } from '../../local/running';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { azuriteConnectionString, setConfigForTests } from '../../functions/src/config';
import { tableClient } from '../../functions/src/store/client';
import { uniqueTablePrefix, useTestConfig } from '../support/azurite';

interface Started {
  child: ChildProcess;
  output: () => string;
  azuritePid: number;
  exited: Promise<number | null>;
}

async function npmStart(env: NodeJS.ProcessEnv): Promise<Started> {
  const child = spawn('npm', ['start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  // 'close', not 'exit': npm exits at once on SIGTERM; close waits for every process holding its pipes.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const deadline = Date.now() + 45_000;
  while (!/Ledgerdesk is ready/.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`npm start did not become ready:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const pid = /Azurite: .*\(pid (\d+)/.exec(output)?.[1];
  if (pid === undefined) throw new Error(`no Azurite pid in:\n${output}`);
  return { child, output: () => output, azuritePid: Number(pid), exited };
}

async function stop(started: Started): Promise<void> {
  started.child.kill('SIGTERM'); // npm only, as a supervisor would
  const deadline = Date.now() + 20_000;
  while (alive(started.azuritePid)) {
    if (Date.now() > deadline)
      throw new Error(`Azurite (pid ${started.azuritePid}) still running:\n${started.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await started.exited;
}

describe('npm start', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ledgerdesk-start-'));
  let env: NodeJS.ProcessEnv;
  let apiPort: number;
  const running: Started[] = [];

  beforeAll(async () => {
    const [blob, queue, table] = [await freePort(), await freePort(), await freePort()];
    apiPort = await freePort();
    env = {
      ...process.env,
      PORT: String(apiPort),
      LEDGERDESK_MODE: 'local',
      LEDGERDESK_STORAGE_CONNECTION: azuriteConnectionString({ blob, queue, table }),
      LEDGERDESK_TABLE_PREFIX: uniqueTablePrefix(),
      LEDGERDESK_AZURITE_DIR: path.join(dir, 'azurite'),
      LEDGERDESK_DEV_SIGNING_KEY_FILE: path.join(dir, 'key.json'),
      LEDGERDESK_TASKPANE_PORT: 'off', // the add-in's own tests cover its server
    };
  });
  afterAll(() => {
    for (const s of running) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    for (const s of running) if (alive(s.azuritePid)) process.kill(s.azuritePid, 'SIGKILL');
    setConfigForTests(undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts, serves health, stops everything on SIGTERM, and finds its data again after a restart', async () => {
    const first = await npmStart(env);
    running.push(first);
    expect(first.output()).toContain(`API: http://127.0.0.1:${apiPort}/api`);
    const health = await fetch(`http://127.0.0.1:${apiPort}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', storage: 'ok' });

    useTestConfig({
      LEDGERDESK_STORAGE_CONNECTION: env.LEDGERDESK_STORAGE_CONNECTION,
      LEDGERDESK_TABLE_PREFIX: env.LEDGERDESK_TABLE_PREFIX,
    });
    const table = await tableClient('restart');
    await table.createEntity({ partitionKey: 'p', rowKey: 'kept', amountCents: { value: '4200', type: 'Int64' } });

    await stop(first);
    expect(first.output()).toMatch(/API stopped\.\s+Azurite stopped\.\s+Stopped\./);
    await expect(fetch(`http://127.0.0.1:${apiPort}/api/health`)).rejects.toThrow();

    const second = await npmStart(env);
    running.push(second);
    expect(second.azuritePid).not.toBe(first.azuritePid);
    const entity = await (
      await tableClient('restart')
    ).getEntity<{ amountCents: { value: string } | number }>('p', 'kept', { disableTypeConversion: false });
    expect(String(typeof entity.amountCents === 'object' ? entity.amountCents.value : entity.amountCents)).toBe('4200');
    await stop(second);
  });
});
