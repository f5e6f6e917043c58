// Tests for local/manifest.ts: the development manifest pointed at the pane and API ports npm start picked.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { localManifest, saveLocalManifest } from '../../local/manifest';

const repoManifest = fs.readFileSync(path.join(__dirname, '..', '..', 'manifest.xml'), 'utf8');
const count = (text: string, part: string): number => text.split(part).length - 1;

describe('localManifest', () => {
  it('points every task pane URL at the pane origin and the API AppDomain at the API port', () => {
    const panes = count(repoManifest, 'https://localhost:3000');
    expect(panes).toBeGreaterThanOrEqual(10);
    expect(count(repoManifest, 'https://127.0.0.1:7071')).toBe(1);

    const xml = localManifest('https://localhost:3001', 7072);
    expect(count(xml, 'https://localhost:3001/')).toBe(panes - 1); // all but the bare AppDomain end in a path
    expect(xml).toContain('<AppDomain>https://localhost:3001</AppDomain>');
    expect(xml).toContain('<AppDomain>https://127.0.0.1:7072</AppDomain>');
    expect(xml).toContain('<SourceLocation DefaultValue="https://localhost:3001/taskpane.html"/>');
    expect(xml).not.toMatch(/localhost:3000|127\.0\.0\.1:7071/);
    // Nothing else changes: same lines, same length apart from the ports.
    expect(xml.split('\n')).toHaveLength(repoManifest.split('\n').length);
  });

  it('is manifest.xml itself on the default ports', () => {
    expect(localManifest('https://localhost:3000', 7071)).toBe(repoManifest);
  });

  it('saves one file per pane origin', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerdesk-manifest-'));
    try {
      const file = saveLocalManifest('https://localhost:3001', 'xml for 3001', dir);
      expect(file).toBe(path.join(dir, 'manifest-localhost-3001.xml'));
      expect(fs.readFileSync(file, 'utf8')).toBe('xml for 3001');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
