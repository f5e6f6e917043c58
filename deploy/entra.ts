// azd hooks for Microsoft Entra ID: the API and add-in app registrations (roles, scope, nested app auth redirect URI)
// with the Azure CLI, and after provisioning the production manifest and the pane's sign-in settings.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { writeProductionManifest } from './manifest';

const repoRoot = path.resolve(__dirname, '..');
export const APP_ROLES_FILE = path.join(repoRoot, 'infra', 'entra', 'app-roles.json');
export const API_SCOPE_FILE = path.join(repoRoot, 'infra', 'entra', 'api-scope.json');

export interface AppRole {
  id: string;
  value: string;
  displayName: string;
  description: string;
  allowedMemberTypes: string[];
  isEnabled: boolean;
}
export interface ApiScope {
  id: string;
  value: string;
  type: string;
  adminConsentDisplayName: string;
  adminConsentDescription: string;
  userConsentDisplayName: string;
  userConsentDescription: string;
  isEnabled: boolean;
}

export function loadAppRoles(file = APP_ROLES_FILE): AppRole[] {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as AppRole[];
}
export function loadApiScope(file = API_SCOPE_FILE): ApiScope {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ApiScope;
}

/** Runs a command (`az`, `azd`) and returns its trimmed standard output; throws with its error output otherwise. */
export type Run = (command: string, args: string[]) => string;

export const runCommand: Run = (command, args) => {
  const res = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (res.error !== undefined)
    throw new Error(`${command} could not be started (${res.error.message}); is it installed?`);
  if (res.status !== 0) throw new Error(`${command} ${args.slice(0, 3).join(' ')} failed: ${res.stderr.trim()}`);
  return res.stdout.trim();
};

export const apiDisplayName = (env: string): string => `Ledgerdesk API (${env})`;
export const addinDisplayName = (env: string): string => `Ledgerdesk add-in (${env})`;

/** The API registration: its app roles, the delegated scope the add-in asks for, v2 tokens and the api:// URI. */
export function apiApplicationPatch(apiAppId: string, roles: AppRole[], scope: ApiScope): Record<string, unknown> {
  return {
    identifierUris: [`api://${apiAppId}`],
    appRoles: roles,
    api: { requestedAccessTokenVersion: 2, oauth2PermissionScopes: [scope] },
  };
}

/**
 * Pre-authorises the add-in for the scope, so users are not asked to consent to their own company's API. A second
 * request because the scope must exist first; it repeats the whole `api` object, so nothing depends on whether Graph
 * merges or replaces it.
 */
export function preAuthorizePatch(addinAppId: string, scope: ApiScope): Record<string, unknown> {
  return {
    api: {
      requestedAccessTokenVersion: 2,
      oauth2PermissionScopes: [scope],
      preAuthorizedApplications: [{ appId: addinAppId, delegatedPermissionIds: [scope.id] }],
    },
  };
}

/**
 * The add-in registration: a single-page app asking for the API scope. Nested app authentication inside Office needs
 * the redirect URI `brk-multihub://<pane host>`; the page itself is the fallback redirect for the popup.
 */
export function addinApplicationPatch(
  apiAppId: string,
  scope: ApiScope,
  paneOrigin: string | undefined,
): Record<string, unknown> {
  const redirectUris =
    paneOrigin === undefined ? [] : [`brk-multihub://${new URL(paneOrigin).host}`, `${paneOrigin}/taskpane.html`];
  return {
    signInAudience: 'AzureADMyOrg',
    spa: { redirectUris },
    requiredResourceAccess: [{ resourceAppId: apiAppId, resourceAccess: [{ id: scope.id, type: 'Scope' }] }],
  };
}

function graphPatch(run: Run, appId: string, body: Record<string, unknown>): void {
  const objectId = run('az', ['ad', 'app', 'show', '--id', appId, '--query', 'id', '-o', 'tsv']);
  run('az', [
    'rest',
    '--method',
    'PATCH',
    '--uri',
    `https://graph.microsoft.com/v1.0/applications/${objectId}`,
    '--headers',
    'Content-Type=application/json',
    '--body',
    JSON.stringify(body),
  ]);
}

function findOrCreateApp(run: Run, displayName: string, log: (l: string) => void): string {
  const found = run('az', ['ad', 'app', 'list', '--display-name', displayName, '--query', '[0].appId', '-o', 'tsv']);
  if (found !== '') return found;
  const created = run('az', [
    'ad',
    'app',
    'create',
    '--display-name',
    displayName,
    '--sign-in-audience',
    'AzureADMyOrg',
    '--query',
    'appId',
    '-o',
    'tsv',
  ]);
  log(`Created the app registration "${displayName}" (${created}).`);
  return created;
}

function ensureServicePrincipal(run: Run, appId: string): void {
  // The enterprise application: where users are assigned the API's roles.
  const existing = run('az', ['ad', 'sp', 'list', '--filter', `appId eq '${appId}'`, '--query', '[0].id', '-o', 'tsv']);
  if (existing === '') run('az', ['ad', 'sp', 'create', '--id', appId]);
}

export interface HookEnv {
  AZURE_ENV_NAME?: string;
  ADDIN_BASE_URL?: string;
  API_BASE_URL?: string;
  API_APP_ID?: string;
  ADDIN_APP_ID?: string;
  AZURE_TENANT_ID?: string;
}

/**
 * preprovision: finds or creates both registrations by display name (so running it again updates, never duplicates),
 * sets roles, scope and pre-authorisation, and stores API_APP_ID and ADDIN_APP_ID in the azd environment.
 */
export function preprovision(env: HookEnv, run: Run = runCommand, log: (l: string) => void = console.log): void {
  const name = env.AZURE_ENV_NAME;
  if (name === undefined || name === '') throw new Error('AZURE_ENV_NAME is not set: run this through azd (azd up).');
  const roles = loadAppRoles();
  const scope = loadApiScope();
  const apiAppId = findOrCreateApp(run, apiDisplayName(name), log);
  const addinAppId = findOrCreateApp(run, addinDisplayName(name), log);
  graphPatch(run, apiAppId, apiApplicationPatch(apiAppId, roles, scope));
  graphPatch(run, apiAppId, preAuthorizePatch(addinAppId, scope));
  // Keep the redirect URIs of an earlier provision (they depend on the pane's URL, known only after it).
  graphPatch(run, addinAppId, addinApplicationPatch(apiAppId, scope, env.ADDIN_BASE_URL || undefined));
  ensureServicePrincipal(run, apiAppId);
  ensureServicePrincipal(run, addinAppId);
  run('azd', ['env', 'set', 'API_APP_ID', apiAppId]);
  run('azd', ['env', 'set', 'ADDIN_APP_ID', addinAppId]);
  log(`Entra: API ${apiAppId}, add-in ${addinAppId}; roles ${roles.map((r) => r.value).join(', ')}.`);
}

/**
 * postprovision: adds the pane's redirect URIs to the add-in registration, writes the production manifest and
 * prints what the pane's Settings need.
 */
export function postprovision(
  env: HookEnv,
  run: Run = runCommand,
  log: (l: string) => void = console.log,
  manifestOut?: string,
): string {
  const missing = (['ADDIN_BASE_URL', 'API_BASE_URL', 'API_APP_ID', 'ADDIN_APP_ID', 'AZURE_TENANT_ID'] as const).filter(
    (k) => env[k] === undefined || env[k] === '',
  );
  if (missing.length > 0) throw new Error(`Not set in the azd environment: ${missing.join(', ')} (run azd provision).`);
  const scope = loadApiScope();
  graphPatch(run, env.ADDIN_APP_ID!, addinApplicationPatch(env.API_APP_ID!, scope, env.ADDIN_BASE_URL));
  const manifest = writeProductionManifest(env.ADDIN_BASE_URL, env.API_BASE_URL, manifestOut);
  log(`Production manifest: ${manifest}`);
  log('Task pane Settings (mode Azure):');
  log(`  API URL        ${env.API_BASE_URL}`);
  log(`  Client ID      ${env.ADDIN_APP_ID}`);
  log(`  Authority      https://login.microsoftonline.com/${env.AZURE_TENANT_ID}`);
  log(`  API scope      api://${env.API_APP_ID}/${scope.value}`);
  return manifest;
}

if (require.main === module) {
  try {
    const step = process.argv[2];
    if (step === 'preprovision') preprovision(process.env);
    else if (step === 'postprovision') postprovision(process.env);
    else throw new Error('usage: tsx deploy/entra.ts preprovision|postprovision');
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
