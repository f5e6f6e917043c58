// Tests for functions/src/config.ts: defaults, mode rules, and errors that name the setting.
import path from 'node:path';
import {
  azuriteConnectionString,
  ConfigError,
  getConfig,
  loadConfig,
  setConfigForTests,
} from '../../functions/src/config';

const azureAuth = {
  AUTH_ISSUER: 'https://login.microsoftonline.com/tid/v2.0',
  AUTH_AUDIENCE: 'api://ledgerdesk',
  AUTH_JWKS_URL: 'https://login.microsoftonline.com/tid/discovery/v2.0/keys',
};
const azureStorage = 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5;EndpointSuffix=core.windows.net';

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults to local mode with explicit Azurite storage when not in Azure', () => {
    const c = loadConfig({}, '/repo');
    expect(c.mode).toBe('local');
    expect(c.storageConnection).toBe(azuriteConnectionString());
    expect(c.storageConnection).toContain('BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1');
    expect(c.storageConnection).toContain('QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1');
    expect(c.storageConnection).toContain('TableEndpoint=http://127.0.0.1:10002/devstoreaccount1');
    expect(c.tablePrefix).toBe('ld');
    expect(c.defaultCurrency).toBe('EUR');
    expect(c.corsOrigin).toBe('https://localhost:3000');
    expect(c.port).toBe(7071);
    expect(c.auth).toEqual({ mode: 'local', signingKeyFile: path.resolve('/repo', '.data/dev-signing-key.json') });
    expect(c.azuriteDir).toBe(path.resolve('/repo', '.data/azurite'));
  });

  it('defaults to azure mode in Azure and then requires storage and auth settings, by name', () => {
    expect(errorOf(() => loadConfig({ WEBSITE_INSTANCE_ID: 'abc', ...azureAuth }))).toMatch(
      /LEDGERDESK_STORAGE_ACCOUNT is required in azure mode \(keyless; .*LEDGERDESK_STORAGE_CONNECTION/,
    );
    expect(errorOf(() => loadConfig({ WEBSITE_INSTANCE_ID: 'abc', AzureWebJobsStorage: azureStorage }))).toMatch(
      /AUTH_ISSUER/,
    );
    const missingAudience = {
      WEBSITE_INSTANCE_ID: 'abc',
      AzureWebJobsStorage: azureStorage,
      AUTH_ISSUER: 'https://x',
      AUTH_JWKS_URL: 'https://x/keys',
    };
    expect(errorOf(() => loadConfig(missingAudience))).toMatch(/AUTH_AUDIENCE/);
    const c = loadConfig({ WEBSITE_INSTANCE_ID: 'abc', AzureWebJobsStorage: azureStorage, ...azureAuth });
    expect(c.mode).toBe('azure');
    expect(c.storageConnection).toBe(azureStorage);
    expect(c.auth).toEqual({
      mode: 'azure',
      issuers: [azureAuth.AUTH_ISSUER],
      audiences: ['api://ledgerdesk'],
      jwksUrl: azureAuth.AUTH_JWKS_URL,
    });
  });

  it('prefers LEDGERDESK_STORAGE_CONNECTION over AzureWebJobsStorage', () => {
    const mine = azuriteConnectionString({ blob: 1, queue: 2, table: 3 });
    expect(
      loadConfig({ LEDGERDESK_STORAGE_CONNECTION: mine, AzureWebJobsStorage: azureStorage }).storageConnection,
    ).toBe(mine);
    expect(loadConfig({ AzureWebJobsStorage: azureStorage }).storageConnection).toBe(azureStorage);
  });

  it('refuses local mode inside Azure', () => {
    expect(errorOf(() => loadConfig({ WEBSITE_INSTANCE_ID: 'abc', LEDGERDESK_MODE: 'local' }))).toMatch(
      /LEDGERDESK_MODE/,
    );
  });

  it.each([
    ['LEDGERDESK_MODE', 'cloud'],
    ['LEDGERDESK_TABLE_PREFIX', 'ld-test'],
    ['LEDGERDESK_TABLE_PREFIX', '1ld'],
    ['LEDGERDESK_DEFAULT_CURRENCY', 'eur'],
    ['LEDGERDESK_DEFAULT_CURRENCY', 'EURO'],
    ['LEDGERDESK_CORS_ORIGIN', 'https://localhost:3000/'],
    ['LEDGERDESK_CORS_ORIGIN', 'localhost:3000'],
    ['PORT', 'seventy'],
    ['PORT', '70000'],
    ['LEDGERDESK_STORAGE_CONNECTION', 'not a connection string'],
    ['AUTH_JWKS_URL', 'http://login.example.com/keys'],
  ])('names %s when it is %p', (name, value) => {
    const env: NodeJS.ProcessEnv = { ...azureAuth, [name]: value };
    expect(errorOf(() => loadConfig(env))).toContain(name);
  });

  it('never puts the storage secret into an error', () => {
    const message = errorOf(() => loadConfig({ LEDGERDESK_STORAGE_CONNECTION: 'AccountKey=supersecret' }));
    expect(message).toContain('LEDGERDESK_STORAGE_CONNECTION');
    expect(message).not.toContain('supersecret');
  });

  it('accepts comma-separated issuers and audiences, and http JWKS only on loopback', () => {
    const c = loadConfig({
      LEDGERDESK_MODE: 'azure',
      LEDGERDESK_STORAGE_CONNECTION: azureStorage,
      AUTH_ISSUER: 'https://a/v2.0, https://sts.windows.net/t/',
      AUTH_AUDIENCE: 'api://x,x',
      AUTH_JWKS_URL: 'http://127.0.0.1:9999/keys',
    });
    expect(c.auth).toMatchObject({
      issuers: ['https://a/v2.0', 'https://sts.windows.net/t/'],
      audiences: ['api://x', 'x'],
    });
  });

  it('treats empty strings as unset and maps UseDevelopmentStorage to the explicit Azurite string', () => {
    const c = loadConfig({ LEDGERDESK_TABLE_PREFIX: '', AzureWebJobsStorage: 'UseDevelopmentStorage=true' });
    expect(c.tablePrefix).toBe('ld');
    expect(c.storageConnection).toBe(azuriteConnectionString());
  });
});

describe('getConfig', () => {
  afterEach(() => setConfigForTests(undefined));

  it('reads once and can be overridden by tests', () => {
    const override = loadConfig({ LEDGERDESK_TABLE_PREFIX: 'override' });
    setConfigForTests(override);
    expect(getConfig()).toBe(override);
    expect(getConfig()).toBe(getConfig());
  });
});

describe('keyless storage (azure mode without account keys)', () => {
  const inAzure = { WEBSITE_INSTANCE_ID: 'abc', ...azureAuth };
  const clientId = '0f4b8a4e-3c2d-4e5f-9a1b-2c3d4e5f6a7b';

  it('an account name gives the account’s https table and blob endpoints and no connection string', () => {
    const c = loadConfig({
      ...inAzure,
      LEDGERDESK_STORAGE_ACCOUNT: 'stledger01',
      LEDGERDESK_STORAGE_CLIENT_ID: clientId,
    });
    expect(c.storage).toEqual({
      kind: 'identity',
      tableEndpoint: 'https://stledger01.table.core.windows.net',
      blobEndpoint: 'https://stledger01.blob.core.windows.net',
      managedIdentityClientId: clientId,
    });
    // The cache key names the endpoints and holds no credential.
    expect(c.storageConnection).toBe(
      'TableEndpoint=https://stledger01.table.core.windows.net;BlobEndpoint=https://stledger01.blob.core.windows.net',
    );
    expect(c.storageConnection).not.toMatch(/AccountKey|SharedAccessSignature/i);
  });

  it('explicit endpoints (sovereign clouds, private DNS) are taken as given, a trailing slash dropped; no client ID means DefaultAzureCredential', () => {
    const c = loadConfig({
      ...inAzure,
      LEDGERDESK_STORAGE_TABLE_ENDPOINT: 'https://acct.table.core.chinacloudapi.cn/',
      LEDGERDESK_STORAGE_BLOB_ENDPOINT: 'https://acct.blob.core.chinacloudapi.cn',
    });
    expect(c.storage).toEqual({
      kind: 'identity',
      tableEndpoint: 'https://acct.table.core.chinacloudapi.cn',
      blobEndpoint: 'https://acct.blob.core.chinacloudapi.cn',
    });
    // Keyless works in local mode too (a developer's az login against a real account).
    expect(loadConfig({ LEDGERDESK_STORAGE_ACCOUNT: 'stdev' }).storage.kind).toBe('identity');
  });

  it('keyless settings win over the host’s AzureWebJobsStorage, which the app never needs then', () => {
    const c = loadConfig({ ...inAzure, LEDGERDESK_STORAGE_ACCOUNT: 'stledger01', AzureWebJobsStorage: azureStorage });
    expect(c.storage.kind).toBe('identity');
    // And a connection string still works for those who choose one.
    expect(loadConfig({ ...inAzure, LEDGERDESK_STORAGE_CONNECTION: azureStorage }).storage).toEqual({
      kind: 'connectionString',
      connectionString: azureStorage,
    });
  });

  it.each([
    [{ LEDGERDESK_STORAGE_ACCOUNT: 'St_Ledger' }, /LEDGERDESK_STORAGE_ACCOUNT must be a storage account name/],
    [{ LEDGERDESK_STORAGE_ACCOUNT: 'ab' }, /LEDGERDESK_STORAGE_ACCOUNT must be a storage account name/],
    [
      {
        LEDGERDESK_STORAGE_TABLE_ENDPOINT: 'http://acct.table.core.windows.net',
        LEDGERDESK_STORAGE_BLOB_ENDPOINT: 'https://b',
      },
      /LEDGERDESK_STORAGE_TABLE_ENDPOINT must be an https URL/,
    ],
    [
      { LEDGERDESK_STORAGE_TABLE_ENDPOINT: 'https://acct.table.core.windows.net' },
      /LEDGERDESK_STORAGE_BLOB_ENDPOINT is required/,
    ],
    [
      { LEDGERDESK_STORAGE_BLOB_ENDPOINT: 'https://acct.blob.core.windows.net' },
      /LEDGERDESK_STORAGE_TABLE_ENDPOINT is required/,
    ],
    [
      { LEDGERDESK_STORAGE_ACCOUNT: 'acct', LEDGERDESK_STORAGE_BLOB_ENDPOINT: 'https://acct.blob.core.windows.net' },
      /LEDGERDESK_STORAGE_ACCOUNT is set together with/,
    ],
    [
      { LEDGERDESK_STORAGE_ACCOUNT: 'acct', LEDGERDESK_STORAGE_CONNECTION: azureStorage },
      /LEDGERDESK_STORAGE_CONNECTION is set together with LEDGERDESK_STORAGE_ACCOUNT/,
    ],
    [
      { LEDGERDESK_STORAGE_ACCOUNT: 'acct', LEDGERDESK_STORAGE_CLIENT_ID: 'not-a-guid' },
      /LEDGERDESK_STORAGE_CLIENT_ID must be a client ID/,
    ],
    [
      { LEDGERDESK_STORAGE_CONNECTION: azureStorage, LEDGERDESK_STORAGE_CLIENT_ID: clientId },
      /LEDGERDESK_STORAGE_CLIENT_ID is only used with/,
    ],
  ])('names the setting: %j', (settings, message) => {
    const error = errorOf(() => loadConfig({ ...inAzure, ...settings }));
    expect(error).toMatch(message);
    expect(error).not.toContain('a2V5'); // the account key of a connection string never appears
  });
});
