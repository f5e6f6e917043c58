// Configuration of the Functions app: read from the environment once, lazily, validated with zod; errors name the setting.
import path from 'node:path';
import { z } from 'zod';

/** Azurite's well-known development account (public, documented by Microsoft; not a secret). */
const AZURITE_ACCOUNT = 'devstoreaccount1';
const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuritePorts {
  blob: number;
  queue: number;
  table: number;
}

/** An explicit Azurite connection string. Explicit rather than `UseDevelopmentStorage=true` so ports are visible and overridable. */
export function azuriteConnectionString(
  ports: AzuritePorts = { blob: 10000, queue: 10001, table: 10002 },
  host = '127.0.0.1',
): string {
  return [
    'DefaultEndpointsProtocol=http',
    `AccountName=${AZURITE_ACCOUNT}`,
    `AccountKey=${AZURITE_KEY}`,
    `BlobEndpoint=http://${host}:${ports.blob}/${AZURITE_ACCOUNT}`,
    `QueueEndpoint=http://${host}:${ports.queue}/${AZURITE_ACCOUNT}`,
    `TableEndpoint=http://${host}:${ports.table}/${AZURITE_ACCOUNT}`,
  ].join(';');
}

/** Splits `Key=Value;Key=Value` (values may contain `=`, e.g. base64 keys). Keys are matched case-insensitively. */
export function parseConnectionString(connection: string): Map<string, string> {
  const parts = new Map<string, string>();
  for (const piece of connection.split(';')) {
    const at = piece.indexOf('=');
    if (at > 0) parts.set(piece.slice(0, at).trim().toLowerCase(), piece.slice(at + 1).trim());
  }
  return parts;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function isLoopbackUrl(url: string): boolean {
  try {
    return LOCAL_HOSTS.has(new URL(url).hostname);
  } catch {
    return false;
  }
}

const nonEmpty = z.string().trim().min(1, 'must not be empty');
/** Comma-separated list; Entra tokens may carry v1 or v2 issuers and `api://<id>` or `<id>` audiences. */
const list = nonEmpty.transform((s) =>
  s
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0),
);
const httpsOrLoopbackUrl = nonEmpty.refine((s) => {
  try {
    const u = new URL(s);
    // Plain http only for a JWKS served on this machine (tests); anything remote must be https.
    return u.protocol === 'https:' || (u.protocol === 'http:' && LOCAL_HOSTS.has(u.hostname));
  } catch {
    return false;
  }
}, 'must be an https URL (http only for 127.0.0.1/localhost)');

const storageConnection = nonEmpty.refine((s) => {
  const parts = parseConnectionString(s);
  return (
    s.toLowerCase().includes('usedevelopmentstorage=true') ||
    (parts.has('accountname') && parts.has('accountkey')) ||
    parts.has('sharedaccesssignature')
  );
}, 'must be a storage connection string with AccountName and AccountKey (or SharedAccessSignature)');

const port = z.coerce.number().int().min(0).max(65535);

/** Storage account names: 3-24 lowercase letters and digits. */
const storageAccount = z
  .string()
  .trim()
  .regex(/^[a-z0-9]{3,24}$/, 'must be a storage account name: 3-24 lowercase letters and digits');
/** A storage service endpoint reached with a token: Azure refuses bearer tokens over plain http, so https only. */
const storageEndpoint = nonEmpty.refine((s) => {
  try {
    const u = new URL(s);
    return u.protocol === 'https:' && u.search === '' && u.hash === '';
  } catch {
    return false;
  }
}, 'must be an https URL without query, e.g. https://<account>.table.core.windows.net (tokens are never sent over http)');
const guid = z
  .string()
  .trim()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a client ID (a GUID)');

/** Raw settings as they appear in the environment. Keys are the environment variable names, so zod paths name them. */
const envSchema = z.object({
  WEBSITE_INSTANCE_ID: z.string().optional(),
  LEDGERDESK_MODE: z.enum(['local', 'azure']).optional(),
  LEDGERDESK_STORAGE_CONNECTION: storageConnection.optional(),
  AzureWebJobsStorage: storageConnection.optional(),
  LEDGERDESK_STORAGE_ACCOUNT: storageAccount.optional(),
  LEDGERDESK_STORAGE_TABLE_ENDPOINT: storageEndpoint.optional(),
  LEDGERDESK_STORAGE_BLOB_ENDPOINT: storageEndpoint.optional(),
  LEDGERDESK_STORAGE_CLIENT_ID: guid.optional(),
  LEDGERDESK_TABLE_PREFIX: z
    .string()
    .regex(
      /^[A-Za-z][A-Za-z0-9]{0,29}$/,
      'must be 1-30 letters or digits, starting with a letter (table names start with a letter)',
    )
    .default('ld'),
  LEDGERDESK_DEFAULT_CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be 3 uppercase letters (ISO 4217), e.g. EUR')
    .default('EUR'),
  AUTH_ISSUER: list.optional(),
  AUTH_AUDIENCE: list.optional(),
  AUTH_JWKS_URL: httpsOrLoopbackUrl.optional(),
  LEDGERDESK_DEV_SIGNING_KEY_FILE: nonEmpty.default('.data/dev-signing-key.json'),
  LEDGERDESK_AZURITE_DIR: nonEmpty.default('.data/azurite'),
  LEDGERDESK_CORS_ORIGIN: nonEmpty
    .refine((s) => {
      try {
        return new URL(s).origin === s;
      } catch {
        return false;
      }
    }, 'must be an origin like https://localhost:3000 (scheme, host, optional port; no path or trailing slash)')
    .default('https://localhost:3000'),
  PORT: port.default(7071),
  LEDGERDESK_TASKPANE_PORT: z.union([z.literal('off'), port]).default(3000),
});

/** Every setting this module reads (infra/app/api.bicep may set only these for the app; a test checks it). */
export const CONFIG_SETTINGS: readonly string[] = Object.keys(envSchema.shape);

export type Mode = 'local' | 'azure';

export type AuthConfig =
  | { mode: 'azure'; issuers: string[]; audiences: string[]; jwksUrl: string }
  | { mode: 'local'; signingKeyFile: string };

/**
 * How the app reaches Table and Blob storage: a connection string (Azurite, or an account key a user chose), or
 * keyless, with a Microsoft Entra token for the endpoints (a managed identity in Azure; DefaultAzureCredential, e.g.
 * `az login`, elsewhere).
 */
export type StorageAccess =
  | { kind: 'connectionString'; connectionString: string }
  | { kind: 'identity'; tableEndpoint: string; blobEndpoint: string; managedIdentityClientId?: string };

export interface Config {
  mode: Mode;
  storage: StorageAccess;
  /**
   * Names the storage, for cache keys: the connection string (secret: never log it or put it in an error) or, keyless,
   * the endpoints written as `TableEndpoint=…;BlobEndpoint=…` (no credential in it).
   */
  storageConnection: string;
  tablePrefix: string;
  defaultCurrency: string;
  auth: AuthConfig;
  corsOrigin: string;
  /** Local host only: port of the API (`PORT`). */
  port: number;
  /** Local host only: where `npm start` keeps Azurite's data. Absolute. */
  azuriteDir: string;
  /** Local host only: port of the task-pane dev server (`LEDGERDESK_TASKPANE_PORT`), or `off` to not start it. */
  taskpanePort: number | 'off';
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function fail(setting: string, problem: string): never {
  throw new ConfigError(`Invalid configuration: ${setting} ${problem}`);
}

type Env = z.infer<typeof envSchema>;

/**
 * Keyless when an account name or endpoints are set; else a connection string (LEDGERDESK_STORAGE_CONNECTION, then
 * the Functions host's AzureWebJobsStorage); else, locally, Azurite. Two ways at once is refused rather than guessed.
 */
function storageAccess(e: Env, mode: Mode): StorageAccess {
  const endpoints =
    e.LEDGERDESK_STORAGE_TABLE_ENDPOINT !== undefined || e.LEDGERDESK_STORAGE_BLOB_ENDPOINT !== undefined;
  const keyless = e.LEDGERDESK_STORAGE_ACCOUNT !== undefined || endpoints;
  if (keyless) {
    if (e.LEDGERDESK_STORAGE_CONNECTION !== undefined) {
      fail(
        'LEDGERDESK_STORAGE_CONNECTION',
        'is set together with LEDGERDESK_STORAGE_ACCOUNT or the LEDGERDESK_STORAGE_*_ENDPOINT settings; set one way to reach storage',
      );
    }
    if (e.LEDGERDESK_STORAGE_ACCOUNT !== undefined && endpoints) {
      fail(
        'LEDGERDESK_STORAGE_ACCOUNT',
        'is set together with LEDGERDESK_STORAGE_TABLE_ENDPOINT/LEDGERDESK_STORAGE_BLOB_ENDPOINT; set the account name or both endpoints',
      );
    }
    let tableEndpoint: string;
    let blobEndpoint: string;
    if (e.LEDGERDESK_STORAGE_ACCOUNT !== undefined) {
      tableEndpoint = `https://${e.LEDGERDESK_STORAGE_ACCOUNT}.table.core.windows.net`;
      blobEndpoint = `https://${e.LEDGERDESK_STORAGE_ACCOUNT}.blob.core.windows.net`;
    } else {
      if (e.LEDGERDESK_STORAGE_TABLE_ENDPOINT === undefined)
        fail('LEDGERDESK_STORAGE_TABLE_ENDPOINT', 'is required when LEDGERDESK_STORAGE_BLOB_ENDPOINT is set');
      if (e.LEDGERDESK_STORAGE_BLOB_ENDPOINT === undefined)
        fail('LEDGERDESK_STORAGE_BLOB_ENDPOINT', 'is required when LEDGERDESK_STORAGE_TABLE_ENDPOINT is set');
      tableEndpoint = e.LEDGERDESK_STORAGE_TABLE_ENDPOINT.replace(/\/+$/, '');
      blobEndpoint = e.LEDGERDESK_STORAGE_BLOB_ENDPOINT.replace(/\/+$/, '');
    }
    return {
      kind: 'identity',
      tableEndpoint,
      blobEndpoint,
      ...(e.LEDGERDESK_STORAGE_CLIENT_ID !== undefined
        ? { managedIdentityClientId: e.LEDGERDESK_STORAGE_CLIENT_ID }
        : {}),
    };
  }
  if (e.LEDGERDESK_STORAGE_CLIENT_ID !== undefined) {
    fail(
      'LEDGERDESK_STORAGE_CLIENT_ID',
      'is only used with LEDGERDESK_STORAGE_ACCOUNT or the LEDGERDESK_STORAGE_*_ENDPOINT settings (keyless storage)',
    );
  }
  const connection = e.LEDGERDESK_STORAGE_CONNECTION ?? e.AzureWebJobsStorage;
  if (connection === undefined) {
    if (mode === 'azure') {
      fail(
        'LEDGERDESK_STORAGE_ACCOUNT',
        'is required in azure mode (keyless; or LEDGERDESK_STORAGE_TABLE_ENDPOINT and LEDGERDESK_STORAGE_BLOB_ENDPOINT, or a connection string in LEDGERDESK_STORAGE_CONNECTION or AzureWebJobsStorage)',
      );
    }
    return { kind: 'connectionString', connectionString: azuriteConnectionString() };
  }
  if (connection.toLowerCase().includes('usedevelopmentstorage=true')) {
    return { kind: 'connectionString', connectionString: azuriteConnectionString() };
  }
  return { kind: 'connectionString', connectionString: connection };
}

/** Validates an environment (default `process.env`) into a Config. Throws ConfigError naming every bad setting. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Config {
  // Empty strings count as unset: app settings left blank in the portal arrive as "".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'} ${i.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  const inAzure = e.WEBSITE_INSTANCE_ID !== undefined;
  const mode: Mode = e.LEDGERDESK_MODE ?? (inAzure ? 'azure' : 'local');
  if (mode === 'local' && inAzure) {
    // Local mode accepts tokens anyone with the repo can mint; never let it run on a real Function App.
    fail('LEDGERDESK_MODE', 'is "local" but the app runs in Azure (WEBSITE_INSTANCE_ID is set); use "azure"');
  }

  const storage = storageAccess(e, mode);

  let auth: AuthConfig;
  if (mode === 'azure') {
    if (e.AUTH_ISSUER === undefined) fail('AUTH_ISSUER', 'is required in azure mode');
    if (e.AUTH_AUDIENCE === undefined) fail('AUTH_AUDIENCE', 'is required in azure mode');
    if (e.AUTH_JWKS_URL === undefined) fail('AUTH_JWKS_URL', 'is required in azure mode');
    auth = { mode, issuers: e.AUTH_ISSUER, audiences: e.AUTH_AUDIENCE, jwksUrl: e.AUTH_JWKS_URL };
  } else {
    auth = { mode, signingKeyFile: path.resolve(cwd, e.LEDGERDESK_DEV_SIGNING_KEY_FILE) };
  }

  return {
    mode,
    storage,
    storageConnection:
      storage.kind === 'connectionString'
        ? storage.connectionString
        : `TableEndpoint=${storage.tableEndpoint};BlobEndpoint=${storage.blobEndpoint}`,
    tablePrefix: e.LEDGERDESK_TABLE_PREFIX,
    defaultCurrency: e.LEDGERDESK_DEFAULT_CURRENCY,
    auth,
    corsOrigin: e.LEDGERDESK_CORS_ORIGIN,
    port: e.PORT,
    azuriteDir: path.resolve(cwd, e.LEDGERDESK_AZURITE_DIR),
    taskpanePort: e.LEDGERDESK_TASKPANE_PORT,
  };
}

let current: Config | undefined;

/** The app's configuration, validated on first use and then cached for the life of the process. */
export function getConfig(): Config {
  current ??= loadConfig();
  return current;
}

/** Tests: replace the cached configuration (pass `undefined` to re-read `process.env` on next use). */
export function setConfigForTests(config: Config | undefined): void {
  current = config;
}
