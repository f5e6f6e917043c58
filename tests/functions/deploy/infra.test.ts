// Infrastructure and code must not drift: the app settings infra/app/api.bicep sets are exactly what config.ts reads
// and needs in azure mode, keyless. No Bicep compiler runs here, so the Bicep is read as text: its settings, module
// wiring and parameters are checked by these tests, its ARM semantics are not.
import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_SETTINGS, loadConfig } from '../../../functions/src/config';
import { DEFAULT_PACKAGE_DIR, repoRoot } from '../../../deploy/package';

const infra = path.join(repoRoot, 'infra');
const read = (rel: string): string => fs.readFileSync(path.join(infra, rel), 'utf8');

/** Strips `// …` comments (outside strings) so commented-out text never counts. */
function code(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      let inString = false;
      for (let i = 0; i < line.length; i++) {
        if (line[i] === "'") inString = !inString;
        if (!inString && line[i] === '/' && line[i + 1] === '/') return line.slice(0, i);
      }
      return line;
    })
    .join('\n');
}

/** The body of `<header> {` up to its matching `}`. */
function block(text: string, header: RegExp): string {
  const m = header.exec(text);
  if (m === null) throw new Error(`no block ${header}`);
  let depth = 0;
  const start = text.indexOf('{', m.index);
  for (let i = start; i < text.length; i++) {
    if (text[i] === '{') depth++;
    if (text[i] === '}' && --depth === 0) return text.slice(start + 1, i);
  }
  throw new Error(`unbalanced block ${header}`);
}

/** Top-level `key: value` pairs of an object body (nested objects are skipped). */
function entries(body: string): Map<string, string> {
  const out = new Map<string, string>();
  let depth = 0;
  for (const line of body.split('\n')) {
    const m = /^\s*'?([A-Za-z_][\w-]*)'?\s*:\s*(.*)$/.exec(line);
    if (depth === 0 && m !== null) out.set(m[1]!, m[2]!.trim());
    depth += (line.match(/[{[]/g) ?? []).length - (line.match(/[}\]]/g) ?? []).length;
  }
  return out;
}

const apiBicep = code(read('app/api.bicep'));
const appSettings = entries(block(apiBicep, /var ledgerdeskSettings = /));
const hostSettings = entries(block(apiBicep, /var hostSettings = /));

/** Settings of the Functions host and Application Insights (documented in README "Deploy to Azure"), not the app's. */
const HOST_SETTINGS = [
  'AzureWebJobsStorage__credential',
  'AzureWebJobsStorage__clientId',
  'AzureWebJobsStorage__blobServiceUri',
  'APPLICATIONINSIGHTS_CONNECTION_STRING',
  'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
];

/** What a deployment would put in: literals as written, `${…}` and bare expressions replaced by sample values. */
const SAMPLES: Record<string, string> = {
  tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  apiAppId: '3c1f4f0e-1b7c-4a4b-9a53-5b0a3c2e9d11',
  identityClientId: '0f4b8a4e-3c2d-4e5f-9a1b-2c3d4e5f6a7b',
  'storage.name': 'stabc123',
  taskpaneOrigin: 'https://stapp-ledgerdesk-abc.azurestaticapps.net',
  defaultCurrency: 'EUR',
};
function deployedValue(expression: string): string {
  const literal = /^'(.*)'$/.exec(expression);
  const sample = (e: string): string => {
    const v = SAMPLES[e];
    if (v === undefined) throw new Error(`no sample value for the Bicep expression ${e}; add one to SAMPLES`);
    return v;
  };
  if (literal !== null) return literal[1]!.replace(/\$\{([^}]+)\}/g, (_, e: string) => sample(e));
  return sample(expression);
}
const deployedEnv = Object.fromEntries([...appSettings].map(([k, v]) => [k, deployedValue(v)]));

describe('app settings in infra/app/api.bicep and functions/src/config.ts', () => {
  it('the Function App gets the host settings and the app settings, nothing else', () => {
    const settingsResources = apiBicep.match(/'appsettings'/g) ?? [];
    expect(settingsResources).toHaveLength(1);
    expect(block(apiBicep, /resource appSettings 'config' = /)).toMatch(
      /properties:\s*union\(hostSettings, ledgerdeskSettings\)\s*$/,
    );
  });

  it('every app setting the Bicep sets is one config.ts reads', () => {
    expect(appSettings.size).toBeGreaterThan(0);
    for (const name of appSettings.keys()) expect(CONFIG_SETTINGS).toContain(name);
  });

  it('host settings are the documented ones, and none is read by config.ts', () => {
    expect([...hostSettings.keys()].sort()).toEqual([...HOST_SETTINGS].sort());
    for (const name of hostSettings.keys()) expect(CONFIG_SETTINGS).not.toContain(name);
    const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    for (const name of [...HOST_SETTINGS, ...appSettings.keys()]) expect(readme).toContain(name);
  });

  it('with exactly those settings, in Azure, config.ts loads azure mode with keyless storage and Entra auth', () => {
    const c = loadConfig({ WEBSITE_INSTANCE_ID: 'instance-1', ...deployedEnv });
    expect(c.mode).toBe('azure');
    expect(c.storage).toEqual({
      kind: 'identity',
      tableEndpoint: 'https://stabc123.table.core.windows.net',
      blobEndpoint: 'https://stabc123.blob.core.windows.net',
      managedIdentityClientId: SAMPLES['identityClientId'],
    });
    expect(c.auth).toEqual({
      mode: 'azure',
      issuers: [
        `https://login.microsoftonline.com/${SAMPLES['tenantId']}/v2.0`,
        `https://sts.windows.net/${SAMPLES['tenantId']}/`,
      ],
      audiences: [SAMPLES['apiAppId'], `api://${SAMPLES['apiAppId']}`],
      jwksUrl: `https://login.microsoftonline.com/${SAMPLES['tenantId']}/discovery/v2.0/keys`,
    });
    expect(c.corsOrigin).toBe(SAMPLES['taskpaneOrigin']);
  });

  it('every setting config.ts requires in azure mode is among them: dropping any one fails, naming it', () => {
    const required = Object.keys(deployedEnv).filter((name) => {
      const rest = { ...deployedEnv };
      delete rest[name];
      try {
        loadConfig({ WEBSITE_INSTANCE_ID: 'instance-1', ...rest });
        return false;
      } catch (err) {
        expect((err as Error).message).toContain(name);
        return true;
      }
    });
    expect(required.sort()).toEqual(['AUTH_AUDIENCE', 'AUTH_ISSUER', 'AUTH_JWKS_URL', 'LEDGERDESK_STORAGE_ACCOUNT']);
    // And nothing is required beyond them: with none of the app settings, the first error names one of these.
    expect(() => loadConfig({ WEBSITE_INSTANCE_ID: 'instance-1' })).toThrow(/LEDGERDESK_STORAGE_ACCOUNT is required/);
  });
});

describe('no keys, no secrets', () => {
  const files = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));

  it('no file of infra/ or azure.yaml fetches or holds a key, password or connection string with a key', () => {
    const all = [...files(infra), path.join(repoRoot, 'azure.yaml')];
    for (const file of all) {
      const text = fs.readFileSync(file, 'utf8');
      expect({
        file,
        match: /listKeys|listServiceSas|listAccountSas|AccountKey=|SharedAccessSignature|password|secret\(/i.exec(
          text,
        )?.[0],
      }).toEqual({ file, match: undefined });
    }
    const storage = code(read('app/storage.bicep'));
    expect(storage).toMatch(/allowSharedKeyAccess:\s*false/);
    expect(storage).toMatch(/allowBlobPublicAccess:\s*false/);
    expect(code(read('app/monitoring.bicep'))).toMatch(/DisableLocalAuth:\s*true/);
  });

  it('the identity gets the storage data roles the app and host need, and telemetry publishing', () => {
    const rbac = code(read('app/rbac.bicep'));
    const roleIds = entries(block(rbac, /var roles = /));
    expect(roleIds.get('storageTableDataContributor')).toBe("'0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'");
    expect(roleIds.get('storageBlobDataOwner')).toBe("'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'");
    expect(roleIds.get('monitoringMetricsPublisher')).toBe("'3913510d-42f4-4e42-8a64-420c390055eb'");
    for (const [resource, role, scope] of [
      ['apiBlobOwner', 'storageBlobDataOwner', 'storage'],
      ['apiTableContributor', 'storageTableDataContributor', 'storage'],
      ['apiMetricsPublisher', 'monitoringMetricsPublisher', 'applicationInsights'],
    ] as const) {
      const body = block(rbac, new RegExp(`resource ${resource} `));
      expect(body).toContain(`roles.${role})`);
      expect(body).toMatch(new RegExp(`scope: ${scope}\\n`));
      expect(body).toMatch(/principalId: identityPrincipalId\n/);
    }
  });
});

describe('Bicep wiring, checked as text', () => {
  const main = code(read('main.bicep'));
  const params = (text: string): Map<string, boolean> =>
    new Map([...text.matchAll(/^param (\w+) \w+( = .*)?$/gm)].map((m) => [m[1]!, m[2] !== undefined]));
  const outputs = (text: string): Set<string> => new Set([...text.matchAll(/^output (\w+) /gm)].map((m) => m[1]!));

  it('braces and brackets balance in every Bicep file', () => {
    for (const file of ['main.bicep', ...fs.readdirSync(path.join(infra, 'app')).map((f) => `app/${f}`)]) {
      const text = code(read(file)).replace(/'[^'\n]*'/g, "''");
      expect({ file, braces: (text.match(/{/g) ?? []).length - (text.match(/}/g) ?? []).length }).toEqual({
        file,
        braces: 0,
      });
      expect({ file, brackets: (text.match(/\[/g) ?? []).length - (text.match(/]/g) ?? []).length }).toEqual({
        file,
        brackets: 0,
      });
    }
  });

  it('each module exists, gets every parameter it requires and only parameters it declares; outputs used exist', () => {
    const modules = [...main.matchAll(/^module (\w+) '([^']+)' = /gm)];
    expect(modules.map((m) => m[1])).toEqual(['identity', 'storage', 'monitoring', 'taskpane', 'api', 'rbac']);
    for (const [, name, rel] of modules) {
      const file = path.join(infra, rel!);
      expect(fs.existsSync(file)).toBe(true);
      const text = code(fs.readFileSync(file, 'utf8'));
      const declared = params(text);
      const passed = [...entries(block(block(main, new RegExp(`^module ${name} `, 'm')), /params: /)).keys()];
      for (const p of passed)
        expect({ module: name, param: p, declared: declared.has(p) }).toMatchObject({ declared: true });
      for (const [p, hasDefault] of declared)
        if (!hasDefault) expect({ module: name, passed: passed.includes(p), p }).toMatchObject({ passed: true });
      const used = [...main.matchAll(new RegExp(`\\b${name}\\.outputs\\.(\\w+)`, 'g'))].map((m) => m[1]!);
      for (const o of used)
        expect({ module: name, output: o, exists: outputs(text).has(o) }).toMatchObject({ exists: true });
    }
  });

  it('main.parameters.json fills every required parameter of main.bicep and only declared ones', () => {
    const declared = params(main);
    const file = JSON.parse(read('main.parameters.json')) as { parameters: Record<string, { value: unknown }> };
    for (const p of Object.keys(file.parameters)) expect(declared.has(p)).toBe(true);
    for (const [p, hasDefault] of declared) if (!hasDefault) expect(Object.keys(file.parameters)).toContain(p);
    expect(file.parameters['apiAppId']?.value).toBe('${API_APP_ID}');
  });

  it('azure.yaml deploys the folders npm run package writes to resources tagged with the service names', () => {
    const yaml = fs.readFileSync(path.join(repoRoot, 'azure.yaml'), 'utf8');
    const relative = (dir: string): string => path.relative(repoRoot, dir).split(path.sep).join('/');
    expect(yaml).toMatch(
      new RegExp(
        `  api:\\n(    .*\\n)*?    host: function\\n    dist: ${relative(path.join(DEFAULT_PACKAGE_DIR, 'api'))}\\n`,
      ),
    );
    expect(yaml).toMatch(
      new RegExp(
        `  taskpane:\\n(    .*\\n)*?    host: staticwebapp\\n    dist: ${relative(path.join(DEFAULT_PACKAGE_DIR, 'taskpane'))}\\n`,
      ),
    );
    expect(apiBicep).toContain("'azd-service-name': 'api'");
    expect(code(read('app/taskpane.bicep'))).toContain("'azd-service-name': 'taskpane'");
    // The runtime azd deploys to: Node 20, the version package.json's engines allow.
    expect(apiBicep).toMatch(/runtime: {\s*name: 'node'\s*version: '20'\s*}/);
    // The outputs the hooks and npm run package read.
    for (const o of ['ADDIN_BASE_URL', 'API_BASE_URL', 'AZURE_TENANT_ID']) expect(outputs(main).has(o)).toBe(true);
  });
});
