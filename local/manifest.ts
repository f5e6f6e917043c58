// The development manifest for a task pane and API on the ports `npm start` picked, served by the pane and saved to a file.
import fs from 'node:fs';
import path from 'node:path';
import { DEV_BASE_URL } from '../addin/scripts/build';
import { DEV_API_ORIGIN } from '../deploy/manifest';

const repoRoot = path.resolve(__dirname, '..');
export const MANIFEST_DIR = path.join(repoRoot, '.data', 'manifests');

/** manifest.xml with the pane's origin for https://localhost:3000 and the API's port for 7071 (its AppDomain). */
export function localManifest(paneOrigin: string, apiPort: number, devManifest?: string): string {
  const xml = devManifest ?? fs.readFileSync(path.join(repoRoot, 'manifest.xml'), 'utf8');
  const apiOrigin = `${new URL(DEV_API_ORIGIN).protocol}//127.0.0.1:${apiPort}`;
  return xml.split(DEV_BASE_URL).join(paneOrigin).split(DEV_API_ORIGIN).join(apiOrigin);
}

/** Writes the manifest for the pane at `paneOrigin` to .data/manifests/ (to sideload it as a file); returns its path. */
export function saveLocalManifest(paneOrigin: string, xml: string, dir = MANIFEST_DIR): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `manifest-${new URL(paneOrigin).hostname}-${new URL(paneOrigin).port}.xml`);
  fs.writeFileSync(file, xml);
  return file;
}
