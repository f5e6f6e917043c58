// What `npm start` runs on: the settings as given, checked, plus the ports it picked for whatever no setting pins.
import {
  azuriteConnectionString,
  isLoopbackUrl,
  loadConfig,
  parseConnectionString,
  type AzuritePorts,
  type Config,
} from '../functions/src/config';
import { pickPorts, portIsFree, type PortWish } from './ports';

/** Where the search for each port starts when no setting pins it; the defaults of functions/src/config.ts. */
export interface DefaultPorts {
  blob: number;
  queue: number;
  table: number;
  api: number;
  pane: number;
}

/** The ports `npm start` starts from when no setting names one. */
export const DEFAULT_PORTS: DefaultPorts = { blob: 10000, queue: 10001, table: 10002, api: 7071, pane: 3000 };

export interface Launch {
  /** The configuration the API runs with: the settings given, with the picked ports filled in. */
  config: Config;
  /** Settings npm start fills in for this run (PORT, LEDGERDESK_STORAGE_CONNECTION, …), to be put in the environment. */
  filled: Record<string, string>;
  /** Azurite's ports when the storage is Azurite on this machine; undefined when it is not ours to start. */
  azurite: AzuritePorts | undefined;
  api: number;
  /** The API's base URL on that port, as the pane, the demo and the printed commands use it. */
  apiUrl: string;
  pane: number | 'off';
  /** One sentence per service that did not get its default port because that port was busy. */
  moved: string[];
}

function localPort(endpoint: string | undefined): number | undefined {
  if (endpoint === undefined || !isLoopbackUrl(endpoint)) return undefined;
  return Number(new URL(endpoint).port || 80);
}

const given = (env: NodeJS.ProcessEnv, name: string): boolean => env[name] !== undefined && env[name] !== '';

/**
 * Checks the settings (a ConfigError names a bad one), then picks the ports: a port a setting pins is used as it is
 * (busy: a PortError naming the setting), any other is the first free one from its default upwards. The CORS origin
 * follows the task pane's port unless LEDGERDESK_CORS_ORIGIN is set.
 */
export async function resolveLaunch(
  env: NodeJS.ProcessEnv,
  isFree: (port: number, host: string) => Promise<boolean> = portIsFree,
  defaults: DefaultPorts = DEFAULT_PORTS,
): Promise<Launch> {
  const base = loadConfig(env);
  const wishes: PortWish[] = [];
  const local = ['127.0.0.1'];

  let azuriteAt: AzuritePorts | undefined;
  const storageSetting = given(env, 'LEDGERDESK_STORAGE_CONNECTION')
    ? 'LEDGERDESK_STORAGE_CONNECTION'
    : given(env, 'AzureWebJobsStorage')
      ? 'AzureWebJobsStorage'
      : undefined;
  if (base.storage.kind === 'connectionString') {
    const parts = parseConnectionString(base.storage.connectionString);
    const blob = localPort(parts.get('blobendpoint'));
    const table = localPort(parts.get('tableendpoint'));
    // Only run Azurite when the configured storage is Azurite on this machine.
    if (blob !== undefined && table !== undefined) {
      azuriteAt =
        storageSetting === undefined
          ? { blob: defaults.blob, queue: defaults.queue, table: defaults.table }
          : { blob, queue: localPort(parts.get('queueendpoint')) ?? 0, table };
      for (const service of ['blob', 'queue', 'table'] as const) {
        wishes.push({
          what: `Azurite's ${service} service`,
          setting: storageSetting ?? 'LEDGERDESK_STORAGE_CONNECTION',
          port: azuriteAt[service],
          pinned: storageSetting !== undefined,
          hosts: local,
        });
      }
    }
  }
  const apiPinned = given(env, 'PORT');
  wishes.push({
    what: 'the API',
    setting: 'PORT',
    port: apiPinned ? base.port : defaults.api,
    pinned: apiPinned,
    hosts: local,
  });
  if (base.taskpanePort !== 'off') {
    const panePinned = given(env, 'LEDGERDESK_TASKPANE_PORT');
    wishes.push({
      what: 'the task pane',
      setting: 'LEDGERDESK_TASKPANE_PORT',
      port: panePinned ? base.taskpanePort : defaults.pane,
      pinned: panePinned,
      // The pane listens on "localhost", which may be either address.
      hosts: ['127.0.0.1', '::1'],
    });
  }

  const picked = await pickPorts(wishes, isFree);
  const moved = wishes
    .map((w, i) =>
      picked[i] === w.port
        ? undefined
        : `${w.what} is on port ${picked[i]}: ${w.port} was busy (${w.setting} chooses the port).`,
    )
    .filter((m): m is string => m !== undefined);
  const filled: Record<string, string> = {};
  let next = 0;
  let azurite: AzuritePorts | undefined;
  if (azuriteAt !== undefined) {
    azurite = { blob: picked[next]!, queue: picked[next + 1]!, table: picked[next + 2]! };
    next += 3;
    if (storageSetting === undefined) filled.LEDGERDESK_STORAGE_CONNECTION = azuriteConnectionString(azurite);
  }
  const api = picked[next++]!;
  filled.PORT = String(api);
  let pane: number | 'off' = 'off';
  if (base.taskpanePort !== 'off') {
    pane = picked[next++]!;
    filled.LEDGERDESK_TASKPANE_PORT = String(pane);
    if (!given(env, 'LEDGERDESK_CORS_ORIGIN')) filled.LEDGERDESK_CORS_ORIGIN = `https://localhost:${pane}`;
  }
  const apiUrl = `http://127.0.0.1:${api}/api`;
  return { config: loadConfig({ ...env, ...filled }), filled, azurite, api, apiUrl, pane, moved };
}
