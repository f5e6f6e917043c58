// The production manifest is derived from manifest.xml (whatever it holds), never copied; it must not point home.
import fs from 'node:fs';
import path from 'node:path';
import { DEV_API_ORIGIN, deriveProductionManifest, ManifestTransformError } from '../../../deploy/manifest';
import { repoRoot } from '../../../deploy/package';
import { validateManifest } from '../../../addin/scripts/validate-manifest';

const dev = fs.readFileSync(path.join(repoRoot, 'manifest.xml'), 'utf8');
const pane = 'https://stapp-x.azurestaticapps.net';
const api = 'https://func-x.azurewebsites.net/api';

it('replaces the development pane origin and the local API origin, keeps everything else, and stays valid', async () => {
  const prod = deriveProductionManifest(dev, pane, api);
  const devPaneUrls = dev.split('https://localhost:3000').length - 1;
  expect(devPaneUrls).toBeGreaterThan(0);
  expect(prod.split(pane).length - 1).toBe(devPaneUrls);
  expect(prod.split('https://func-x.azurewebsites.net').length - 1).toBe(dev.split(DEV_API_ORIGIN).length - 1);
  expect(prod).not.toMatch(/localhost|127\.0\.0\.1/);
  expect(await validateManifest(prod, 'production manifest')).toMatchObject({ valid: true, errors: [] });
  // A transform: elements added to manifest.xml later (custom functions, commands) come along.
  const extended = dev.replace('</OfficeApp>', '<!-- https://localhost:3000/functions.json --></OfficeApp>');
  expect(deriveProductionManifest(extended, pane, api)).toContain(`${pane}/functions.json`);
});

it.each([
  [undefined, api, /ADDIN_BASE_URL is not set/],
  ['http://pane.example.net', api, /must use https/],
  [pane, undefined, /API_BASE_URL "" must be the deployed API's https URL/],
  [pane, 'http://func-x.azurewebsites.net/api', /API_BASE_URL .* must be the deployed API's https URL/],
])('refuses pane %s and API %s with a sentence naming the setting', (p, a, message) => {
  expect(() => deriveProductionManifest(dev, p, a)).toThrow(message);
});

it('refuses a manifest that would still point at this machine', () => {
  const other = dev.replace('</OfficeApp>', '<!-- http://localhost:8080/x.js --></OfficeApp>');
  expect(() => deriveProductionManifest(other, pane, api)).toThrow(ManifestTransformError);
  expect(() => deriveProductionManifest(other, pane, api)).toThrow(/still points at this machine.*localhost:8080/);
});
