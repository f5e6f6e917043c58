// Tests the offline manifest validation: the real manifest passes, broken copies fail with xmllint's message.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  loadSchemaFiles,
  schemaFolder,
  SchemaFolderError,
  validateManifest,
} from '../../../addin/scripts/validate-manifest';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const manifest = fs.readFileSync(path.join(repoRoot, 'manifest.xml'), 'utf8');

describe('validate-manifest', () => {
  it('loads the offline entry schema and the schemas it imports', () => {
    const names = loadSchemaFiles(schemaFolder()).map((f) => f.fileName);
    expect(names[0]).toBe('OfficeAppManifest-offline.xsd');
    expect(names).toEqual(
      expect.arrayContaining([
        'OfficeAppManifestV1_1.xmllint-patched.xsd',
        'TaskPaneAppVersionOverridesV1_0.xsd',
        'OfficeAppBasicTypesV1_0.xsd',
      ]),
    );
  });

  it('accepts the real manifest', async () => {
    const res = await validateManifest(manifest, 'manifest.xml');
    expect(res.errors).toEqual([]);
    expect(res.valid).toBe(true);
  });

  it('has the shape the product needs', () => {
    expect(manifest).toContain('xsi:type="TaskPaneApp"');
    expect(manifest).toMatch(/<Id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}<\/Id>/);
    expect(manifest).toContain('<Permissions>ReadWriteDocument</Permissions>');
    expect(manifest).toContain('<Host Name="Workbook"/>');
    expect(manifest).toContain('<Action xsi:type="ShowTaskpane">');
    for (const size of [16, 32, 64, 80]) {
      expect(manifest).toContain(`assets/icon-${size}.png`);
      expect(fs.existsSync(path.join(repoRoot, 'addin', 'assets', `icon-${size}.png`))).toBe(true);
    }
  });

  it('rejects a manifest without <Id>', async () => {
    const res = await validateManifest(manifest.replace(/\s*<Id>[^<]*<\/Id>/, ''), 'no-id.xml');
    expect(res.valid).toBe(false);
    expect(res.errors.join('\n')).toMatch(
      /Expected is \( \{http:\/\/schemas\.microsoft\.com\/office\/appforoffice\/1\.1\}Id \)/,
    );
  });

  it('rejects a bad <Version>', async () => {
    const res = await validateManifest(
      manifest.replace('<Version>1.0.0.0</Version>', '<Version>1.0.0.0.0</Version>'),
      'bad-version.xml',
    );
    expect(res.valid).toBe(false);
    expect(res.errors.join('\n')).toMatch(/Version.*not accepted by the pattern|Version.*not valid/);
  });

  it('rejects an unknown permission', async () => {
    const res = await validateManifest(
      manifest.replace('ReadWriteDocument</Permissions>', 'Everything</Permissions>'),
      'bad-perm.xml',
    );
    expect(res.valid).toBe(false);
    expect(res.errors.join('\n')).toContain('Permissions');
  });

  it('says plainly when the schema folder is missing', async () => {
    const missing = path.join(os.tmpdir(), 'ledgerdesk-no-schemas');
    await expect(validateManifest(manifest, 'manifest.xml', missing)).rejects.toThrow(SchemaFolderError);
    await expect(validateManifest(manifest, 'manifest.xml', missing)).rejects.toThrow(/Manifest schemas not found/);
    expect(schemaFolder({ LEDGERDESK_MANIFEST_SCHEMAS: missing })).toBe(missing);
  });
});
