// The production manifest: manifest.xml with the development origin replaced by the deployed task pane's URL.
import fs from 'node:fs';
import path from 'node:path';
import { BaseUrlError, DEV_BASE_URL, parseBaseUrl, productionManifest } from '../addin/scripts/build';

const repoRoot = path.resolve(__dirname, '..');
export const DEFAULT_MANIFEST_OUT = path.join(repoRoot, 'dist', 'package', 'manifest.xml');

/** The local API's origin, listed in manifest.xml's AppDomains; in production the Function App's origin takes its place. */
export const DEV_API_ORIGIN = 'https://127.0.0.1:7071';

export class ManifestTransformError extends Error {
  readonly code = 'MANIFEST_TRANSFORM';
}

/**
 * Derives the production manifest from the development one, so whatever manifest.xml holds today (task pane,
 * commands, custom functions) is carried over. A transform, not a copy: the local API's origin in AppDomains becomes the
 * deployed API's, and it refuses a result that still points at this machine (an origin other than those two, e.g.
 * another port, would otherwise slip through).
 */
export function deriveProductionManifest(
  devManifest: string,
  rawBaseUrl: string | undefined,
  rawApiBaseUrl: string | undefined,
): string {
  const { baseUrl, isDefault } = parseBaseUrl(rawBaseUrl);
  if (isDefault) {
    throw new ManifestTransformError(
      'ADDIN_BASE_URL is not set: give the deployed task pane URL (azd provision sets it), e.g. https://<name>.azurestaticapps.net',
    );
  }
  let apiOrigin: string;
  try {
    const api = new URL(rawApiBaseUrl ?? '');
    if (api.protocol !== 'https:') throw new Error('not https');
    apiOrigin = api.origin;
  } catch {
    throw new ManifestTransformError(
      `API_BASE_URL "${rawApiBaseUrl ?? ''}" must be the deployed API's https URL (azd provision sets it), e.g. https://<app>.azurewebsites.net/api`,
    );
  }
  const prod = productionManifest(devManifest, baseUrl).split(DEV_API_ORIGIN).join(apiOrigin);
  const leftover = /\b(?:https?:\/\/)?(?:localhost|127\.0\.0\.1)(?::\d+)?[^\s"<]*/i.exec(prod);
  if (leftover !== null) {
    throw new ManifestTransformError(
      `manifest.xml still points at this machine after replacing ${DEV_BASE_URL}: ${leftover[0]}. Use ${DEV_BASE_URL} for every development URL.`,
    );
  }
  return prod;
}

export function writeProductionManifest(
  rawBaseUrl: string | undefined,
  rawApiBaseUrl: string | undefined,
  outFile: string = DEFAULT_MANIFEST_OUT,
  devManifestFile: string = path.join(repoRoot, 'manifest.xml'),
): string {
  const prod = deriveProductionManifest(fs.readFileSync(devManifestFile, 'utf8'), rawBaseUrl, rawApiBaseUrl);
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, prod);
  return outFile;
}

if (require.main === module) {
  try {
    const out = writeProductionManifest(
      process.env['ADDIN_BASE_URL'],
      process.env['API_BASE_URL'],
      process.argv[2] ?? DEFAULT_MANIFEST_OUT,
    );
    console.log(`Production manifest for ${process.env['ADDIN_BASE_URL']}: ${out}`);
  } catch (e) {
    console.error(e instanceof ManifestTransformError || e instanceof BaseUrlError ? e.message : e);
    process.exit(1);
  }
}
