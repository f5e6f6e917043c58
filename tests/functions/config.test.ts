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
      /LEDGERDESK_STORAGE_CONNECTION is required/,
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
