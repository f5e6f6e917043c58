// Validates manifest.xml (and addin/dist/manifest.xml when built) offline against the Office add-in XSDs with xmllint-wasm.
import fs from 'node:fs';
import path from 'node:path';
import { validateXML } from 'xmllint-wasm';

export const ENTRY_SCHEMA = 'OfficeAppManifest-offline.xsd';

export interface ManifestValidation {
  file: string;
  valid: boolean;
  /** xmllint's error lines, without the expected "Skipping import of schema" parser warnings. */
  errors: string[];
}

export class SchemaFolderError extends Error {
  readonly code = 'MANIFEST_SCHEMAS_MISSING';
}

const repoRoot = path.resolve(__dirname, '..', '..');

/** The schema folder: LEDGERDESK_MANIFEST_SCHEMAS, else ../shared/manifest-schemas next to the repository. */
export function schemaFolder(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env['LEDGERDESK_MANIFEST_SCHEMAS'];
  return configured !== undefined && configured !== ''
    ? path.resolve(configured)
    : path.resolve(repoRoot, '..', 'shared', 'manifest-schemas');
}

/**
 * The entry schema plus every .xsd it imports, transitively, read into memory for xmllint's virtual file system.
 * Imports of files that do not exist are left out on purpose: the offline wrapper loads the patched copies first
 * and libxml2 then skips the later import of the same namespace (ContentAppVersionOverridesV1_0.xsd was never
 * published), so a missing file there is expected, not an error.
 */
export function loadSchemaFiles(folder: string): { fileName: string; contents: string }[] {
  const entry = path.join(folder, ENTRY_SCHEMA);
  if (!fs.existsSync(entry)) {
    throw new SchemaFolderError(
      `Manifest schemas not found: ${entry} does not exist. Point LEDGERDESK_MANIFEST_SCHEMAS at the folder holding ${ENTRY_SCHEMA}.`,
    );
  }
  const files = new Map<string, string>();
  const pending = [ENTRY_SCHEMA];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (files.has(name)) continue;
    const full = path.join(folder, name);
    if (!fs.existsSync(full)) continue;
    const contents = fs.readFileSync(full, 'utf8');
    files.set(name, contents);
    for (const m of contents.matchAll(/<xs:(?:import|include)\b[^>]*\bschemaLocation="([^"]+)"/g)) {
      const location = m[1];
      if (location !== undefined && !/^[a-z]+:/i.test(location)) pending.push(location);
    }
  }
  return [...files].map(([fileName, contents]) => ({ fileName, contents }));
}

/**
 * The manifest with every line from `<Runtimes>` to `</Runtimes>` blanked (line numbers kept): the 2017-2019 schemas
 * predate the shared runtime, which Office accepts (../shared/manifest-schemas/SOURCES.md, Caveats).
 */
export function blankRuntimes(xml: string): string {
  let inside = false;
  return xml
    .split('\n')
    .map((line) => {
      if (line.includes('<Runtimes>')) inside = true;
      const blank = inside;
      if (line.includes('</Runtimes>')) inside = false;
      return blank ? '' : line;
    })
    .join('\n');
}

export async function validateManifest(
  xml: string,
  fileLabel: string,
  folder = schemaFolder(),
): Promise<ManifestValidation> {
  const schemas = loadSchemaFiles(folder);
  const [entry, ...rest] = schemas;
  if (entry === undefined) throw new SchemaFolderError(`No schema files loaded from ${folder}.`);
  const result = await validateXML({
    xml: [{ fileName: 'manifest.xml', contents: blankRuntimes(xml) }],
    schema: [entry],
    preload: rest,
  });
  const errors = result.rawOutput
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.includes('Skipping import of schema') && !/ validates$/.test(l));
  return { file: fileLabel, valid: result.valid, errors: result.valid ? [] : errors };
}

async function main(): Promise<number> {
  let folder: string;
  try {
    folder = schemaFolder();
    loadSchemaFiles(folder);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    return 2;
  }
  console.log(
    `Schema: ${path.join(folder, ENTRY_SCHEMA)} (offline XSD check; structure only, resid/URL/store rules are not checked)`,
  );
  const targets = [path.join(repoRoot, 'manifest.xml'), path.join(repoRoot, 'addin', 'dist', 'manifest.xml')].filter(
    (f) => fs.existsSync(f),
  );
  let failed = false;
  for (const file of targets) {
    const res = await validateManifest(fs.readFileSync(file, 'utf8'), path.relative(repoRoot, file), folder);
    if (res.valid) console.log(`${res.file}: valid`);
    else {
      failed = true;
      console.error(`${res.file}: INVALID\n  ${res.errors.join('\n  ')}`);
    }
  }
  return failed ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
