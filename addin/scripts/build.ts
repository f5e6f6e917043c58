// Builds the task pane into addin/dist (esbuild bundle, pages, assets) plus a production manifest for ADDIN_BASE_URL.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { checkFunctionsMetadata, generateFunctionsMetadata } from './functionsMetadata';

export const DEV_BASE_URL = 'https://localhost:3000';
const addinDir = path.resolve(__dirname, '..');
const repoRoot = path.resolve(addinDir, '..');
export const DEFAULT_DIST_DIR = path.join(addinDir, 'dist');

export class BaseUrlError extends Error {
  readonly code = 'BAD_ADDIN_BASE_URL';
}

/** ADDIN_BASE_URL must be an absolute https URL with no trailing slash (it is glued in front of "/taskpane.html"). */
export function parseBaseUrl(raw: string | undefined): { baseUrl: string; isDefault: boolean } {
  if (raw === undefined || raw.trim() === '') return { baseUrl: DEV_BASE_URL, isDefault: true };
  const value = raw.trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new BaseUrlError(`ADDIN_BASE_URL "${value}" is not a URL; expected e.g. https://ledgerdesk.example.com`);
  }
  if (url.protocol !== 'https:')
    throw new BaseUrlError(`ADDIN_BASE_URL "${value}" must use https (Office loads add-ins only over https).`);
  if (value.endsWith('/')) throw new BaseUrlError(`ADDIN_BASE_URL "${value}" must not end with a slash.`);
  if (url.search !== '' || url.hash !== '')
    throw new BaseUrlError(`ADDIN_BASE_URL "${value}" must not carry a query or fragment.`);
  return { baseUrl: value, isDefault: false };
}

/** The manifest with every development URL replaced; the XML is otherwise untouched so line numbers match. */
export function productionManifest(devManifest: string, baseUrl: string): string {
  return devManifest.split(DEV_BASE_URL).join(baseUrl);
}

export interface BuildOptions {
  outDir?: string;
  baseUrl?: string;
  minify?: boolean;
  log?: (line: string) => void;
}

export async function buildAddin(options: BuildOptions = {}): Promise<{ outDir: string; baseUrl: string }> {
  const outDir = options.outDir ?? DEFAULT_DIST_DIR;
  const log = options.log ?? ((l: string) => console.log(l));
  const { baseUrl, isDefault } = parseBaseUrl(options.baseUrl ?? process.env['ADDIN_BASE_URL']);
  if (isDefault)
    log(`ADDIN_BASE_URL not set: addin/dist/manifest.xml keeps ${DEV_BASE_URL} (set it for a deployable manifest).`);

  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: {
      taskpane: path.join(addinDir, 'src', 'taskpane.tsx'),
      functions: path.join(addinDir, 'src', 'functions', 'entry.ts'),
    },
    bundle: true,
    minify: options.minify ?? true,
    sourcemap: true,
    format: 'iife',
    target: ['es2020', 'chrome100', 'safari15'],
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    outdir: outDir,
    logLevel: 'warning',
    legalComments: 'linked',
  });
  for (const page of ['taskpane.html', 'taskpane.css', 'help.html']) {
    fs.copyFileSync(path.join(addinDir, 'src', page), path.join(outDir, page));
  }
  fs.cpSync(path.join(addinDir, 'assets'), path.join(outDir, 'assets'), { recursive: true });
  // The custom functions' metadata, from their JSDoc; a function without metadata stops the build.
  const metadata = await generateFunctionsMetadata();
  checkFunctionsMetadata(metadata.functions);
  fs.writeFileSync(path.join(outDir, 'functions.json'), metadata.json);
  const manifest = fs.readFileSync(path.join(repoRoot, 'manifest.xml'), 'utf8');
  fs.writeFileSync(path.join(outDir, 'manifest.xml'), productionManifest(manifest, baseUrl));
  log(`Built task pane into ${path.relative(repoRoot, outDir) || outDir} for ${baseUrl}`);
  return { outDir, baseUrl };
}

if (require.main === module) {
  buildAddin().catch((e: unknown) => {
    console.error(e instanceof BaseUrlError ? e.message : e);
    process.exit(1);
  });
}
