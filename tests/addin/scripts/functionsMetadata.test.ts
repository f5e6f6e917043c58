// functions.json against the source: generated from the JSDoc by custom-functions-metadata, one entry per associated
// function with its parameters; a function without metadata (or the reverse) fails. And the manifest's shared runtime
// and CustomFunctions extension point, schema-valid offline.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validateXML } from 'xmllint-wasm';
import {
  checkFunctionsMetadata,
  FUNCTIONS_SOURCE,
  FunctionsMetadataError,
  generateFunctionsMetadata,
  type FunctionMetadata,
} from '../../../addin/scripts/functionsMetadata';
import {
  blankRuntimes,
  loadSchemaFiles,
  schemaFolder,
  validateManifest,
} from '../../../addin/scripts/validate-manifest';
import { LEDGERDESK_FUNCTIONS } from '../../../addin/src/functions/functions';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const manifest = fs.readFileSync(path.join(repoRoot, 'manifest.xml'), 'utf8');

describe('functions metadata', () => {
  let functions: FunctionMetadata[];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerdesk-cf-'));
  beforeAll(async () => {
    functions = (await generateFunctionsMetadata()).functions;
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('describes every associated function, streaming, with its arguments in order', () => {
    expect(() => checkFunctionsMetadata(functions)).not.toThrow();
    const brief = functions.map((f) => ({
      id: f.id,
      name: f.name,
      stream: f.options?.stream,
      params: f.parameters.map((p) => (p.optional === true ? `[${p.name}]` : p.name)).join(','),
      matrix: f.result.dimensionality === 'matrix',
    }));
    expect(brief).toEqual([
      { id: 'STAT', name: 'STAT', stream: true, params: 'measure,period,[group],[groupBy],[currency]', matrix: false },
      {
        id: 'RECEIVABLE',
        name: 'RECEIVABLE',
        stream: true,
        params: 'id,[asOf],[bucket],[groupBy],[currency]',
        matrix: false,
      },
      { id: 'CONTRACT', name: 'CONTRACT', stream: true, params: 'contractId,field', matrix: false },
      { id: 'INVOICEFINDINGS', name: 'INVOICEFINDINGS', stream: true, params: 'invoiceNo', matrix: false },
      { id: 'STATS', name: 'STATS', stream: true, params: 'period,groupBy,[from],[to]', matrix: true },
    ]);
    expect(functions.every((f) => (f.description ?? '').length > 20)).toBe(true);
  });

  it('fails when an associated function has no @customfunction JSDoc', async () => {
    const copy = path.join(tmp, 'functions.ts');
    const source = fs.readFileSync(FUNCTIONS_SOURCE, 'utf8');
    expect(source).toContain(' * @customfunction INVOICEFINDINGS\n');
    fs.writeFileSync(copy, source.replace(' * @customfunction INVOICEFINDINGS\n', ''));
    const stripped = (await generateFunctionsMetadata(copy)).functions;
    expect(() => checkFunctionsMetadata(stripped)).toThrow(FunctionsMetadataError);
    expect(() => checkFunctionsMetadata(stripped)).toThrow(
      'INVOICEFINDINGS is associated but has no metadata (add a JSDoc block with @customfunction INVOICEFINDINGS)',
    );
  });

  it('fails when the metadata and the function disagree on parameters, or metadata has no function', () => {
    const fewer = functions.map((f) => (f.id === 'CONTRACT' ? { ...f, parameters: f.parameters.slice(0, 1) } : f));
    expect(() => checkFunctionsMetadata(fewer)).toThrow('CONTRACT takes 3 parameters but its metadata describes 2');
    const { STATS: _dropped, ...rest } = LEDGERDESK_FUNCTIONS;
    expect(() => checkFunctionsMetadata(functions, rest)).toThrow(
      'STATS has metadata but is not associated (LEDGERDESK_FUNCTIONS)',
    );
  });

  it('reports the generator’s own errors', async () => {
    const copy = path.join(tmp, 'bad.ts');
    fs.writeFileSync(
      copy,
      '/**\n * Two ids.\n * @customfunction SAME\n */\nexport function a(x: number): number { return x; }\n' +
        '/**\n * Again.\n * @customfunction SAME\n */\nexport function b(x: number): number { return x; }\n',
    );
    await expect(generateFunctionsMetadata(copy)).rejects.toThrow(/duplicate id: SAME/);
  });
});

describe('manifest: shared runtime and custom functions', () => {
  it('declares the CustomFunctions extension point on the task pane page, with namespace LEDGERDESK', () => {
    expect(manifest).toContain('<Set Name="SharedRuntime" MinVersion="1.1"/>');
    expect(manifest).toMatch(/<Runtimes>\s*<Runtime resid="Taskpane.Url" lifetime="long"\/>\s*<\/Runtimes>/);
    expect(manifest).toMatch(
      /<ExtensionPoint xsi:type="CustomFunctions">\s*<Script>\s*<SourceLocation resid="Functions.Script.Url"\/>\s*<\/Script>\s*<Page>\s*<SourceLocation resid="Taskpane.Url"\/>/,
    );
    expect(manifest).toContain('<bt:String id="Functions.Namespace" DefaultValue="LEDGERDESK"/>');
    expect(manifest).toContain(
      '<bt:Url id="Functions.Metadata.Url" DefaultValue="https://localhost:3000/functions.json"/>',
    );
    expect(manifest).toContain(
      '<bt:Url id="Functions.Script.Url" DefaultValue="https://localhost:3000/functions.js"/>',
    );
    // The task pane opens the same page as the runtime: one runtime, one sign-in.
    expect(manifest).toMatch(/<Action xsi:type="ShowTaskpane">[\s\S]*?<SourceLocation resid="Taskpane.Url"\/>/);
    // Every URL of the add-in under the development origin, which the production manifest replaces.
    for (const m of manifest.matchAll(/DefaultValue="(https:[^"]+)"/g))
      expect(m[1]).toMatch(/^https:\/\/localhost:3000\//);
  });

  it('validates offline with the Runtimes block blanked, line numbers kept; without blanking the 2019 schemas refuse it', async () => {
    expect((await validateManifest(manifest, 'manifest.xml')).errors).toEqual([]);
    const blanked = blankRuntimes(manifest);
    expect(blanked.split('\n')).toHaveLength(manifest.split('\n').length);
    expect(blanked).not.toContain('<Runtime');
    expect(blanked).toContain('xsi:type="CustomFunctions"');
    const [entry, ...rest] = loadSchemaFiles(schemaFolder());
    const raw = await validateXML({
      xml: [{ fileName: 'manifest.xml', contents: manifest }],
      schema: [entry as { fileName: string; contents: string }],
      preload: rest,
    });
    expect(raw.valid).toBe(false);
    expect(raw.rawOutput).toContain('Runtimes');
  });

  it('refuses a CustomFunctions extension point without its Page', async () => {
    const broken = manifest.replace(/\s*<Page>\s*<SourceLocation resid="Taskpane.Url"\/>\s*<\/Page>/, '');
    expect(broken).not.toBe(manifest);
    const res = await validateManifest(broken, 'no-page.xml');
    expect(res.valid).toBe(false);
    expect(res.errors.join('\n')).toMatch(/Page/);
  });
});
