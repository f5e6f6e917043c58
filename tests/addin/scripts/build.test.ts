// Tests the task pane build: ADDIN_BASE_URL validation, the production manifest, and the bundle layout.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BaseUrlError, buildAddin, DEV_BASE_URL, parseBaseUrl, productionManifest } from '../../../addin/scripts/build';
import { validateManifest } from '../../../addin/scripts/validate-manifest';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

describe('parseBaseUrl', () => {
  it('defaults to the development URL', () => {
    expect(parseBaseUrl(undefined)).toEqual({ baseUrl: DEV_BASE_URL, isDefault: true });
    expect(parseBaseUrl('  ')).toEqual({ baseUrl: DEV_BASE_URL, isDefault: true });
  });
  it('accepts an https URL with an optional path', () => {
    expect(parseBaseUrl('https://ledgerdesk.example.com/app')).toEqual({
      baseUrl: 'https://ledgerdesk.example.com/app',
      isDefault: false,
    });
  });
  it.each([
    ['http://example.com', /must use https/],
    ['https://example.com/', /must not end with a slash/],
    ['example.com', /is not a URL/],
    ['https://example.com?x=1', /query or fragment/],
  ])('rejects %s', (raw, message) => {
    expect(() => parseBaseUrl(raw)).toThrow(BaseUrlError);
    expect(() => parseBaseUrl(raw)).toThrow(message);
  });
});

describe('buildAddin', () => {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerdesk-build-'));
  afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

  it('bundles the task pane and writes a valid production manifest', async () => {
    const lines: string[] = [];
    await buildAddin({ outDir, baseUrl: 'https://addin.example.com', log: (l) => lines.push(l) });
    for (const f of [
      'taskpane.html',
      'taskpane.js',
      'taskpane.css',
      'help.html',
      'assets/icon-80.png',
      'manifest.xml',
    ]) {
      expect(fs.existsSync(path.join(outDir, f))).toBe(true);
    }
    const js = fs.readFileSync(path.join(outDir, 'taskpane.js'), 'utf8');
    expect(js).toContain('Office.onReady');
    // Minified: long lines. Not a line count: MSAL and zod keep newlines inside template literals.
    expect(js.length / js.split('\n').length).toBeGreaterThan(1000);
    const prod = fs.readFileSync(path.join(outDir, 'manifest.xml'), 'utf8');
    expect(prod).not.toContain('localhost:3000');
    expect(prod).toContain('https://addin.example.com/taskpane.html');
    expect(prod).toContain('https://addin.example.com/assets/icon-32.png');
    expect((await validateManifest(prod, 'dist/manifest.xml')).valid).toBe(true);
    expect(lines.join('\n')).toContain('https://addin.example.com');
  });

  it('productionManifest replaces every development URL and nothing else', () => {
    const dev = fs.readFileSync(path.join(repoRoot, 'manifest.xml'), 'utf8');
    const count = dev.split(DEV_BASE_URL).length - 1;
    expect(count).toBeGreaterThanOrEqual(8);
    const prod = productionManifest(dev, 'https://x.example');
    expect(prod.split('https://x.example').length - 1).toBe(count);
    expect(prod.split('\n').length).toBe(dev.split('\n').length);
  });
});
