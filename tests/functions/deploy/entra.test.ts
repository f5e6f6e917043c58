// The Entra app roles as data (infra/entra/app-roles.json) match the roles the API checks, and the azd hooks of
// deploy/entra.ts issue the right Azure CLI calls, against a recording stand-in for `az` and `azd`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROLES } from '../../../functions/src/auth/roles';
import {
  addinDisplayName,
  apiDisplayName,
  loadApiScope,
  loadAppRoles,
  postprovision,
  preprovision,
  type Run,
} from '../../../deploy/entra';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('app roles and scope as data', () => {
  it('are exactly the roles the API checks, with stable unique ids, for users', () => {
    const roles = loadAppRoles();
    expect(roles.map((r) => r.value)).toEqual([...ROLES]);
    expect(new Set(roles.map((r) => r.id)).size).toBe(roles.length);
    for (const r of roles) {
      expect(r.id).toMatch(GUID);
      expect(r.allowedMemberTypes).toEqual(['User']);
      expect(r.isEnabled).toBe(true);
      expect(r.displayName.length).toBeGreaterThan(0);
      expect(r.description.length).toBeGreaterThan(0);
    }
    const scope = loadApiScope();
    expect(scope.id).toMatch(GUID);
    expect(roles.map((r) => r.id)).not.toContain(scope.id);
    expect(scope).toMatchObject({ value: 'access_as_user', type: 'User', isEnabled: true });
  });
});

/** A stand-in for the Azure CLI and azd: a directory of app registrations by display name, and a log of calls. */
function fakeCli(existing: Record<string, string> = {}): {
  run: Run;
  calls: string[][];
  patches: Map<string, unknown[]>;
  env: Map<string, string>;
} {
  const apps = new Map(Object.entries(existing)); // displayName -> appId
  const calls: string[][] = [];
  const patches = new Map<string, unknown[]>(); // appId -> bodies
  const env = new Map<string, string>();
  let next = 1;
  const run: Run = (command, args) => {
    calls.push([command, ...args]);
    const arg = (flag: string): string => args[args.indexOf(flag) + 1]!;
    if (command === 'azd' && args[0] === 'env' && args[1] === 'set') {
      env.set(args[2]!, args[3]!);
      return '';
    }
    if (command !== 'az') throw new Error(`unexpected command ${command}`);
    const verb = args.slice(0, 3).join(' ');
    if (verb.startsWith('ad app list')) return apps.get(arg('--display-name')) ?? '';
    if (verb.startsWith('ad app create')) {
      const id = `00000000-0000-4000-8000-00000000000${next++}`;
      apps.set(arg('--display-name'), id);
      return id;
    }
    if (verb.startsWith('ad app show')) return `object-of-${arg('--id')}`;
    if (verb.startsWith('rest --method PATCH')) {
      const appId = arg('--uri').replace(/^.*\/applications\/object-of-/, '');
      patches.set(appId, [...(patches.get(appId) ?? []), JSON.parse(arg('--body'))]);
      return '';
    }
    if (verb.startsWith('ad sp list')) return '';
    if (verb.startsWith('ad sp create')) return '{}';
    throw new Error(`unexpected az ${args.join(' ')}`);
  };
  return { run, calls, patches, env };
}

describe('preprovision', () => {
  it('creates both registrations, sets roles, scope, v2 tokens and pre-authorisation, and stores the ids', () => {
    const cli = fakeCli();
    preprovision({ AZURE_ENV_NAME: 'prod' }, cli.run, () => undefined);
    const created = cli.calls.filter((c) => c[1] === 'ad' && c[2] === 'app' && c[3] === 'create');
    expect(created.map((c) => c[c.indexOf('--display-name') + 1])).toEqual([
      apiDisplayName('prod'),
      addinDisplayName('prod'),
    ]);
    const apiId = cli.env.get('API_APP_ID')!;
    const addinId = cli.env.get('ADDIN_APP_ID')!;
    expect(apiId).toMatch(GUID);
    expect(addinId).toMatch(GUID);
    expect(addinId).not.toBe(apiId);
    const scope = loadApiScope();
    expect(cli.patches.get(apiId)).toEqual([
      {
        identifierUris: [`api://${apiId}`],
        appRoles: loadAppRoles(),
        api: { requestedAccessTokenVersion: 2, oauth2PermissionScopes: [scope] },
      },
      {
        api: {
          requestedAccessTokenVersion: 2,
          oauth2PermissionScopes: [scope],
          preAuthorizedApplications: [{ appId: addinId, delegatedPermissionIds: [scope.id] }],
        },
      },
    ]);
    expect(cli.patches.get(addinId)).toEqual([
      {
        signInAudience: 'AzureADMyOrg',
        spa: { redirectUris: [] }, // the pane's URL is known only after provisioning
        requiredResourceAccess: [{ resourceAppId: apiId, resourceAccess: [{ id: scope.id, type: 'Scope' }] }],
      },
    ]);
    // Service principals (enterprise applications) for both, where users get their roles.
    expect(cli.calls.filter((c) => c.slice(1, 4).join(' ') === 'ad sp create').map((c) => c[5])).toEqual([
      apiId,
      addinId,
    ]);
  });

  it('run again, updates the same registrations and keeps the pane redirect URIs', () => {
    const cli = fakeCli({
      [apiDisplayName('prod')]: '11111111-1111-4111-8111-111111111111',
      [addinDisplayName('prod')]: '22222222-2222-4222-8222-222222222222',
    });
    preprovision({ AZURE_ENV_NAME: 'prod', ADDIN_BASE_URL: 'https://pane.example.net' }, cli.run, () => undefined);
    expect(cli.calls.some((c) => c[1] === 'ad' && c[2] === 'app' && c[3] === 'create')).toBe(false);
    expect(cli.env.get('API_APP_ID')).toBe('11111111-1111-4111-8111-111111111111');
    const addin = cli.patches.get('22222222-2222-4222-8222-222222222222')![0] as { spa: { redirectUris: string[] } };
    expect(addin.spa.redirectUris).toEqual([
      'brk-multihub://pane.example.net',
      'https://pane.example.net/taskpane.html',
    ]);
  });

  it('refuses to run outside azd', () => {
    expect(() => preprovision({}, fakeCli().run, () => undefined)).toThrow(/AZURE_ENV_NAME is not set/);
  });
});

describe('postprovision', () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerdesk-entra-')), 'manifest.xml');
  afterAll(() => fs.rmSync(path.dirname(out), { recursive: true, force: true }));
  const env = {
    ADDIN_BASE_URL: 'https://stapp-ledgerdesk-abc.azurestaticapps.net',
    API_BASE_URL: 'https://func-ledgerdesk-abc.azurewebsites.net/api',
    API_APP_ID: '11111111-1111-4111-8111-111111111111',
    ADDIN_APP_ID: '22222222-2222-4222-8222-222222222222',
    AZURE_TENANT_ID: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  };

  it('adds the nested-app-auth redirect URI, writes the production manifest and prints the pane settings', () => {
    const cli = fakeCli();
    const lines: string[] = [];
    expect(postprovision(env, cli.run, (l) => lines.push(l), out)).toBe(out);
    const addin = cli.patches.get(env.ADDIN_APP_ID)![0] as { spa: { redirectUris: string[] } };
    expect(addin.spa.redirectUris).toEqual([
      'brk-multihub://stapp-ledgerdesk-abc.azurestaticapps.net',
      'https://stapp-ledgerdesk-abc.azurestaticapps.net/taskpane.html',
    ]);
    const manifest = fs.readFileSync(out, 'utf8');
    expect(manifest).toContain(`${env.ADDIN_BASE_URL}/taskpane.html`);
    expect(manifest).toContain('<AppDomain>https://func-ledgerdesk-abc.azurewebsites.net</AppDomain>');
    expect(manifest).not.toMatch(/localhost|127\.0\.0\.1/);
    const printed = lines.join('\n');
    expect(printed).toContain(`API URL        ${env.API_BASE_URL}`);
    expect(printed).toContain(`Client ID      ${env.ADDIN_APP_ID}`);
    expect(printed).toContain(`Authority      https://login.microsoftonline.com/${env.AZURE_TENANT_ID}`);
    expect(printed).toContain(`API scope      api://${env.API_APP_ID}/access_as_user`);
  });

  it('names what is missing from the azd environment', () => {
    expect(() =>
      postprovision({ ...env, API_APP_ID: '', AZURE_TENANT_ID: undefined }, fakeCli().run, () => undefined, out),
    ).toThrow('Not set in the azd environment: API_APP_ID, AZURE_TENANT_ID');
  });
});
