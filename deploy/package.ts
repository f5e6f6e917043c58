// `npm run package`: the zip-deployable Functions app (one esbuild bundle + host.json + package.json) and, apart, the task pane.
import fs from 'node:fs';
import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import JSZip from 'jszip';
import { buildAddin } from '../addin/scripts/build';
import { writeProductionManifest } from './manifest';

export const repoRoot = path.resolve(__dirname, '..');
export const DEFAULT_PACKAGE_DIR = path.join(repoRoot, 'dist', 'package');
/** The bundle's file name; the package's package.json `main` points at it, which is how the Node v4 host finds it. */
export const API_ENTRY = 'main.js';
/**
 * Provided by the Functions Node worker at run time (it is no npm package): the bundle must require it, not carry it.
 * The registration test stubs it the same way.
 */
export const HOST_MODULE = '@azure/functions-core';
/**
 * Modules a dependency requires inside try/catch as optional peers it never installs (`debug`: supports-color); esbuild
 * would bundle whatever a dev tool happened to install. Left out, the require fails and the dependency does without.
 */
const UNDECLARED_OPTIONAL = ['supports-color'];

export interface ApiPackage {
  dir: string;
  zip: string;
  /** esbuild's account of every source file in the bundle (the registration test checks it holds no dev tooling). */
  metafile: Metafile;
}

/** The package's package.json: name, version and entry only. Every dependency is inside the bundle, so none is listed. */
function packageManifest(): Record<string, unknown> {
  const root = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
  return {
    name: `${String(root['name'])}-api`,
    version: root['version'],
    private: true,
    description: 'Ledgerdesk Azure Functions app (built by npm run package; do not edit)',
    main: API_ENTRY,
    engines: root['engines'],
  };
}

async function zipFolder(dir: string, zipFile: string): Promise<void> {
  const zip = new JSZip();
  for (const name of fs.readdirSync(dir).sort()) zip.file(name, fs.readFileSync(path.join(dir, name)));
  const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', platform: 'UNIX' });
  fs.writeFileSync(zipFile, bytes);
}

/**
 * Bundles functions/src/index.ts with its production dependencies into one CommonJS file. A bundle rather than
 * `tsc` output plus `npm install --omit=dev`: the root package.json also lists the task pane's browser packages
 * (React, Fluent UI, MSAL browser) as dependencies, which an install would ship to the Function App; a bundle
 * holds exactly the modules the API imports, needs no install step (nor the network) when packaging, and loads
 * as one file on a cold start. Not minified, so stack traces in Application Insights name real functions.
 */
export async function buildApiPackage(outDir: string = path.join(DEFAULT_PACKAGE_DIR, 'api')): Promise<ApiPackage> {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const result = await build({
    absWorkingDir: repoRoot,
    entryPoints: [path.join(repoRoot, 'functions', 'src', 'index.ts')],
    outfile: path.join(outDir, API_ENTRY),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: [HOST_MODULE, ...UNDECLARED_OPTIONAL],
    // ESM-only code in the Azure SDK reads import.meta.url, which a CommonJS bundle does not have.
    banner: { js: `const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;` },
    define: { 'import.meta.url': '__importMetaUrl' },
    metafile: true,
    logLevel: 'warning',
    legalComments: 'eof',
  });
  fs.copyFileSync(path.join(repoRoot, 'host.json'), path.join(outDir, 'host.json'));
  fs.writeFileSync(path.join(outDir, 'package.json'), `${JSON.stringify(packageManifest(), null, 2)}\n`);
  const zip = `${outDir}.zip`;
  await zipFolder(outDir, zip);
  return { dir: outDir, zip, metafile: result.metafile };
}

/**
 * The task pane's static files (the same build as `npm run build:addin`), to be served by the static host. With the
 * deployed URLs it also holds the production manifest (served at <pane URL>/manifest.xml for sideloading); without
 * them it holds no manifest at all, so a development manifest is never published.
 */
export async function buildTaskpanePackage(
  outDir: string = path.join(DEFAULT_PACKAGE_DIR, 'taskpane'),
  urls: { addinBaseUrl?: string | undefined; apiBaseUrl?: string | undefined } = {},
): Promise<{ dir: string; manifest?: string }> {
  await buildAddin({ outDir, log: () => undefined, baseUrl: '' });
  const paneManifest = path.join(outDir, 'manifest.xml');
  fs.rmSync(paneManifest, { force: true });
  if (urls.addinBaseUrl === undefined || urls.addinBaseUrl === '') return { dir: outDir };
  writeProductionManifest(urls.addinBaseUrl, urls.apiBaseUrl, paneManifest);
  return { dir: outDir, manifest: paneManifest };
}

async function main(): Promise<void> {
  const urls = { addinBaseUrl: process.env['ADDIN_BASE_URL'], apiBaseUrl: process.env['API_BASE_URL'] };
  const api = await buildApiPackage();
  const pane = await buildTaskpanePackage(undefined, urls);
  const size = (file: string): string => `${(fs.statSync(file).size / 1024 / 1024).toFixed(1)} MB`;
  const rel = (file: string): string => path.relative(repoRoot, file);
  console.log(`API package:       ${rel(api.dir)} (zip: ${rel(api.zip)}, ${size(api.zip)})`);
  console.log(`Task-pane package: ${rel(pane.dir)}`);
  if (pane.manifest !== undefined) {
    const manifest = path.join(DEFAULT_PACKAGE_DIR, 'manifest.xml');
    fs.copyFileSync(pane.manifest, manifest);
    console.log(`Production manifest: ${rel(manifest)} (for ${urls.addinBaseUrl})`);
  } else {
    console.log(
      'ADDIN_BASE_URL not set: no production manifest (azd provision sets it; see README "Deploy to Azure").',
    );
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
