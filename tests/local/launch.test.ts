// Tests for local/launch.ts: which port each service gets, what is filled in for the API, and pinned busy ports.
import { ConfigError, loadConfig, parseConnectionString } from '../../functions/src/config';
import { DEFAULT_PORTS, resolveLaunch } from '../../local/launch';
import { PortError } from '../../local/ports';

/** A machine where `busy` ports are taken (on every host); records what was asked. */
function machine(busy: number[] = []): { isFree: (port: number, host: string) => Promise<boolean>; asked: number[] } {
  const asked: number[] = [];
  return {
    asked,
    isFree: (port) => {
      asked.push(port);
      return Promise.resolve(!busy.includes(port));
    },
  };
}

const storagePorts = (connection: string): number[] =>
  ['blobendpoint', 'queueendpoint', 'tableendpoint'].map((k) =>
    Number(new URL(parseConnectionString(connection).get(k)!).port),
  );

describe('resolveLaunch', () => {
  it('uses the defaults of config.ts when they are free', async () => {
    const config = loadConfig({});
    expect([config.port, config.taskpanePort]).toEqual([DEFAULT_PORTS.api, DEFAULT_PORTS.pane]);
    expect(storagePorts(config.storageConnection)).toEqual([
      DEFAULT_PORTS.blob,
      DEFAULT_PORTS.queue,
      DEFAULT_PORTS.table,
    ]);

    const launch = await resolveLaunch({}, machine().isFree);
    expect(launch.azurite).toEqual({ blob: 10000, queue: 10001, table: 10002 });
    expect([launch.api, launch.pane]).toEqual([7071, 3000]);
    expect(launch.moved).toEqual([]);
    expect(launch.config.corsOrigin).toBe('https://localhost:3000');
  });

  it('moves every busy service that no setting pins to the next free port, and the API follows', async () => {
    const { isFree } = machine([10000, 10003, 7071, 7072, 3000]);
    const launch = await resolveLaunch({}, isFree);
    // blob: 10000 busy → 10001; queue: 10001 taken by blob → 10002; table: 10002 taken, 10003 busy → 10004.
    expect(launch.azurite).toEqual({ blob: 10001, queue: 10002, table: 10004 });
    expect([launch.api, launch.pane]).toEqual([7073, 3001]);
    expect(launch.config.port).toBe(7073);
    expect(launch.config.taskpanePort).toBe(3001);
    expect(storagePorts(launch.config.storageConnection)).toEqual([10001, 10002, 10004]);
    expect(launch.config.corsOrigin).toBe('https://localhost:3001');
    expect(launch.filled).toEqual({
      LEDGERDESK_STORAGE_CONNECTION: launch.config.storageConnection,
      PORT: '7073',
      LEDGERDESK_TASKPANE_PORT: '3001',
      LEDGERDESK_CORS_ORIGIN: 'https://localhost:3001',
    });
    expect(launch.moved).toEqual([
      "Azurite's blob service is on port 10001: 10000 was busy (LEDGERDESK_STORAGE_CONNECTION chooses the port).",
      "Azurite's queue service is on port 10002: 10001 was busy (LEDGERDESK_STORAGE_CONNECTION chooses the port).",
      "Azurite's table service is on port 10004: 10002 was busy (LEDGERDESK_STORAGE_CONNECTION chooses the port).",
      'the API is on port 7073: 7071 was busy (PORT chooses the port).',
      'the task pane is on port 3001: 3000 was busy (LEDGERDESK_TASKPANE_PORT chooses the port).',
    ]);
  });

  it('keeps a CORS origin that is set, wherever the pane goes', async () => {
    const launch = await resolveLaunch({ LEDGERDESK_CORS_ORIGIN: 'https://pane.example.com' }, machine([3000]).isFree);
    expect(launch.pane).toBe(3001);
    expect(launch.config.corsOrigin).toBe('https://pane.example.com');
    expect(launch.filled.LEDGERDESK_CORS_ORIGIN).toBeUndefined();
  });

  it.each([
    ['PORT', { PORT: '7100' }, 7100, 'the API'],
    ['LEDGERDESK_TASKPANE_PORT', { LEDGERDESK_TASKPANE_PORT: '3100' }, 3100, 'the task pane'],
    [
      'LEDGERDESK_STORAGE_CONNECTION',
      {
        LEDGERDESK_STORAGE_CONNECTION:
          'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:11000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:11001/devstoreaccount1;TableEndpoint=http://127.0.0.1:11002/devstoreaccount1',
      },
      11001,
      "Azurite's queue service",
    ],
    ['AzureWebJobsStorage', { AzureWebJobsStorage: 'UseDevelopmentStorage=true' }, 10002, "Azurite's table service"],
  ])('stops when a port pinned by %s is busy, naming the setting', async (setting, env, port, what) => {
    await expect(resolveLaunch(env, machine([port]).isFree)).rejects.toThrow(
      new PortError(
        `Port ${port} for ${what} is in use, and ${setting} pins it there. Stop what uses port ${port}, or change ` +
          `${setting} (or unset it, and npm start picks a free port).`,
      ),
    );
  });

  it('uses a pinned port that is free as it is, and searches from there for nothing else', async () => {
    const launch = await resolveLaunch({ PORT: '7100', LEDGERDESK_TASKPANE_PORT: '3100' }, machine([7071]).isFree);
    expect([launch.api, launch.pane]).toEqual([7100, 3100]);
    expect(launch.moved).toEqual([]);
    expect(launch.config.corsOrigin).toBe('https://localhost:3100');
  });

  it('asks for no pane port when the pane is off, and no Azurite ports when storage is not a local Azurite', async () => {
    const m = machine();
    const launch = await resolveLaunch(
      { LEDGERDESK_TASKPANE_PORT: 'off', LEDGERDESK_STORAGE_ACCOUNT: 'ledgerdesk1' },
      m.isFree,
    );
    expect(launch.azurite).toBeUndefined();
    expect(launch.pane).toBe('off');
    expect(m.asked).toEqual([7071]);
    expect(launch.filled).toEqual({ PORT: '7071' });
    expect(launch.config.corsOrigin).toBe('https://localhost:3000'); // config.ts's default, untouched
  });

  it('starts its search where the caller says (tests keep off the well-known ports)', async () => {
    const m = machine([41000]);
    const launch = await resolveLaunch({}, m.isFree, {
      blob: 41000,
      queue: 41001,
      table: 41002,
      api: 41003,
      pane: 41004,
    });
    expect(launch.azurite).toEqual({ blob: 41001, queue: 41002, table: 41003 });
    expect([launch.api, launch.pane]).toEqual([41004, 41005]);
    expect(m.asked.some((p) => [10000, 10001, 10002, 7071, 3000].includes(p))).toBe(false);
  });

  it('reports a bad setting before looking at any port', async () => {
    const m = machine();
    await expect(resolveLaunch({ PORT: 'seventy' }, m.isFree)).rejects.toThrow(ConfigError);
    await expect(resolveLaunch({ PORT: 'seventy' }, m.isFree)).rejects.toThrow(/PORT/);
    expect(m.asked).toEqual([]);
  });
});
