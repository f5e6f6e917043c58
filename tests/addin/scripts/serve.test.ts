// Tests the HTTPS task pane server: dev certificates in a project folder, static files, no escape from dist.
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { startTaskpaneServer, type TaskpaneServer } from '../../../addin/scripts/serve';

function get(url: string, ca: string): Promise<{ status: number; type: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
      })
      .on('error', reject);
  });
}

describe('startTaskpaneServer', () => {
  const distDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerdesk-dist-'));
  const certDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerdesk-certs-'));
  let server: TaskpaneServer;
  let ca: string;

  beforeAll(async () => {
    fs.writeFileSync(path.join(distDir, 'taskpane.html'), '<!doctype html><title>t</title>');
    fs.writeFileSync(path.join(distDir, 'taskpane.js'), 'console.log(1)');
    fs.writeFileSync(path.join(os.tmpdir(), 'ledgerdesk-secret.txt'), 'secret');
    server = await startTaskpaneServer({ port: 0, distDir, certDir });
    ca = fs.readFileSync(path.join(certDir, 'ca.crt'), 'utf8');
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(distDir, { recursive: true, force: true });
    fs.rmSync(certDir, { recursive: true, force: true });
  });

  it('serves over HTTPS with a certificate signed by the project CA', async () => {
    expect(server.url).toMatch(/^https:\/\/localhost:\d+$/);
    const res = await get(`${server.url}/taskpane.html`, ca);
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('<title>t</title>');
    expect((await get(`${server.url}/`, ca)).body).toContain('<title>t</title>');
    expect((await get(`${server.url}/taskpane.js`, ca)).type).toBe('text/javascript; charset=utf-8');
  });

  it('wrote the certificates into the given folder', () => {
    expect(fs.readdirSync(certDir).sort()).toEqual(['ca.crt', 'localhost.crt', 'localhost.key']);
  });

  it('answers 404 for missing files and never serves outside dist', async () => {
    expect((await get(`${server.url}/nope.js`, ca)).status).toBe(404);
    const escape = await get(`${server.url}/%2e%2e/ledgerdesk-secret.txt`, ca);
    expect(escape.status).not.toBe(200);
    expect(escape.body).not.toContain('secret');
  });

  it('rejects clients that do not trust the CA', async () => {
    await expect(get(`${server.url}/taskpane.html`, '')).rejects.toThrow();
  });
});
