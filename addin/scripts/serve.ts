// HTTPS static server for the built task pane (addin/dist) with office-addin-dev-certs certificates kept in .data/certs.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
// The generate module alone: it writes PEM files where we say and never touches the system trust store
// (install.js would run certutil/security/update-ca-certificates and needs root).
import { generateCertificates } from 'office-addin-dev-certs/lib/generate';
import { API_META_NAME } from '../src/settings';
import { buildAddin, DEFAULT_DIST_DIR } from './build';

const repoRoot = path.resolve(__dirname, '..', '..');
export const DEFAULT_CERT_DIR = path.join(repoRoot, '.data', 'certs');

export interface DevCertificates {
  caPath: string;
  certPath: string;
  keyPath: string;
  ca: string;
  cert: string;
  key: string;
}

/**
 * Generates (once) a development CA and a localhost/127.0.0.1 certificate under certDir; regenerates when the
 * certificate is missing or expires within a day. Nothing is installed into any trust store: browsers and Office
 * must be told to trust ca.crt by hand (or the test passes it / ignores HTTPS errors).
 */
export async function ensureDevCertificates(certDir = DEFAULT_CERT_DIR): Promise<DevCertificates> {
  const caPath = path.join(certDir, 'ca.crt');
  const certPath = path.join(certDir, 'localhost.crt');
  const keyPath = path.join(certDir, 'localhost.key');
  const fresh = (): boolean => {
    if (![caPath, certPath, keyPath].every((f) => fs.existsSync(f))) return false;
    const validTo = Date.parse(new crypto.X509Certificate(fs.readFileSync(certPath)).validTo);
    return validTo - Date.now() > 24 * 3600 * 1000;
  };
  if (!fresh()) {
    // generateCertificates skips writing when ca.crt exists, so clear stale files first.
    for (const f of [caPath, certPath, keyPath]) fs.rmSync(f, { force: true });
    fs.mkdirSync(certDir, { recursive: true });
    await generateCertificates(caPath, certPath, keyPath, 30, ['localhost', '127.0.0.1']);
  }
  return {
    caPath,
    certPath,
    keyPath,
    ca: fs.readFileSync(caPath, 'utf8'),
    cert: fs.readFileSync(certPath, 'utf8'),
    key: fs.readFileSync(keyPath, 'utf8'),
  };
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

const escapeAttribute = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A page made for the request (the manifest with this server's origin, the pane with its API address), never cached. */
function sendMade(req: http.IncomingMessage, res: http.ServerResponse, contentType: string, body: string): void {
  res.writeHead(200, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

export interface TaskpaneServerOptions {
  port?: number;
  host?: string;
  distDir?: string;
  certDir?: string;
  /**
   * When given, `/manifest.xml` is this function's answer for the server's own origin (e.g. `https://localhost:3001`)
   * instead of the built file, so a pane on another port is sideloaded with a manifest that points at it.
   */
  manifest?: (origin: string) => string;
  /**
   * When given, taskpane.html is served with `<meta name="ledgerdesk-api-base-url">` naming it, the pane's default
   * API address (addin/src/settings.ts), so a pane beside an API on another port signs in there.
   */
  apiBaseUrl?: string;
}

export interface TaskpaneServer {
  url: string;
  close(): Promise<void>;
}

export async function startTaskpaneServer({
  port = 3000,
  host = 'localhost',
  distDir = DEFAULT_DIST_DIR,
  certDir = DEFAULT_CERT_DIR,
  manifest,
  apiBaseUrl,
}: TaskpaneServerOptions = {}): Promise<TaskpaneServer> {
  const root = path.resolve(distDir);
  if (!fs.existsSync(path.join(root, 'taskpane.html'))) await buildAddin({ outDir: root });
  const certs = await ensureDevCertificates(certDir);
  let origin = ''; // known once listening, before any request can arrive

  const server = https.createServer({ key: certs.key, cert: certs.cert }, (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'https://localhost').pathname);
    } catch {
      res.writeHead(400).end('Bad request');
      return;
    }
    if (pathname === '/') pathname = '/taskpane.html';
    if (pathname === '/manifest.xml' && manifest !== undefined) {
      sendMade(req, res, CONTENT_TYPES['.xml']!, manifest(origin));
      return;
    }
    if (pathname === '/taskpane.html' && apiBaseUrl !== undefined) {
      fs.readFile(path.join(root, 'taskpane.html'), 'utf8', (err, html) => {
        if (err !== null) {
          res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
          return;
        }
        const meta = `<meta name="${API_META_NAME}" content="${escapeAttribute(apiBaseUrl)}" />`;
        sendMade(
          req,
          res,
          CONTENT_TYPES['.html']!,
          html.replace(/<head>/i, (head) => `${head}\n    ${meta}`),
        );
      });
      return;
    }
    const file = path.resolve(root, '.' + pathname);
    // Refuse anything that escapes dist (../ or encoded variants) rather than trusting the URL parser alone.
    if (file !== root && !file.startsWith(root + path.sep)) {
      res.writeHead(403).end('Forbidden');
      return;
    }
    fs.stat(file, (err, stat) => {
      if (err !== null || !stat.isFile()) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
        return;
      }
      res.writeHead(200, {
        'Content-Type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
        'Content-Length': stat.size,
        // Office caches task pane files aggressively; during development every reload must see the new build.
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      });
      if (req.method === 'HEAD') res.end();
      else fs.createReadStream(file).pipe(res);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  const urlHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  origin = `https://${urlHost}:${actualPort}`;
  return {
    url: origin,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err === undefined ? resolve() : reject(err)));
      }),
  };
}

if (require.main === module) {
  startTaskpaneServer().then(
    (s) => {
      console.log(
        `Task pane served at ${s.url}/taskpane.html (trust ${path.relative(repoRoot, DEFAULT_CERT_DIR)}/ca.crt to avoid warnings)`,
      );
      const stop = (): void => {
        s.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
