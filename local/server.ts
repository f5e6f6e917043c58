// Local API host: serves the route table under /api/ through node:http, with the same HttpRequest objects Azure builds.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { HttpRequest, HttpResponse, InvocationContext, type HttpMethod } from '@azure/functions';
import { MAX_BODY_BYTES, payloadTooLarge } from '../functions/src/http/body';
import { errorBody } from '../functions/src/http/errors';
import { withApiBoundary, type Route, type RouteHandler } from '../functions/src/http/route';
import { routes as defaultRoutes } from '../functions/src/routes';
import { RouteMatcher } from './match';

/** Request bodies above this are refused with 413 before a handler sees them: the API's limit (http/body.ts). */
export const DEFAULT_BODY_LIMIT = MAX_BODY_BYTES;

export interface ApiHostOptions {
  port?: number;
  host?: string;
  routes?: readonly Route[];
  bodyLimit?: number;
}

export interface ApiHost {
  /** Base URL including `/api`, e.g. `http://127.0.0.1:7071/api`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

interface Entry {
  name: string;
  methods: readonly HttpMethod[];
  route: string;
  handler: RouteHandler;
}

class BodyTooLarge extends Error {}

function sendError(
  res: http.ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify(errorBody(code, message));
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/**
 * Reads the body, or throws BodyTooLarge without reading further: before reading anything when Content-Length
 * declares more than `limit`, otherwise (a chunked body declares no length) as soon as the bytes read pass it. The
 * caller answers 413 with `Connection: close`, and node closes the socket once that answer is written: of the rest
 * of an oversized upload, no more is read than arrives before then. (Not a `for await` over the request: leaving
 * that loop early destroys the socket at once, before the 413 is written.)
 */
function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      req.pause();
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      stop();
      reject(new BodyTooLarge());
    };
    const onEnd = (): void => {
      stop();
      resolve(Buffer.concat(chunks));
    };
    const onError = (err: Error): void => {
      stop();
      reject(err);
    };
    const onClose = (): void => onError(new Error('the client closed the connection before sending the whole body'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/**
 * Every header line, repeated ones joined with ", " (as fetch Headers do). (`req.headers` keeps only the first
 * of a repeated Authorization, so `Bearer <valid>` followed by another token was accepted as the first caller.)
 */
function flatHeaders(req: http.IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(req.headersDistinct)) {
    if (values !== undefined) headers[name] = values.join(', ');
  }
  return headers;
}

/** Statuses that carry no body (the fetch spec's "null body statuses" that HttpResponse drops a body for). */
const NULL_BODY_STATUSES = new Set([204, 205, 304]);

/**
 * A JSON answer, written the way HttpResponse would build it (jsonBody stringified, `content-type: application/json`
 * unless the handler set one) but straight to the socket with a Content-Length, without a web stream in between.
 * Returns false for anything else (bodies, streams, cookies, null-body statuses), which goes through HttpResponse.
 */
function writeJson(res: http.ServerResponse, init: Awaited<ReturnType<RouteHandler>>, isHead: boolean): boolean {
  const status = init.status ?? 200;
  if (init.jsonBody === undefined || init.jsonBody === null || init.body !== undefined) return false;
  if (NULL_BODY_STATUSES.has(status) || (init.cookies?.length ?? 0) > 0 || init.enableContentNegotiation === true)
    return false;
  const body = Buffer.from(JSON.stringify(init.jsonBody), 'utf8');
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, name) => (headers[name] = value));
  headers['content-type'] ??= 'application/json';
  headers['content-length'] = String(body.length);
  res.writeHead(status, headers);
  res.end(isHead ? undefined : body);
  return true;
}

async function writeResponse(
  res: http.ServerResponse,
  init: Awaited<ReturnType<RouteHandler>>,
  isHead: boolean,
): Promise<void> {
  if (writeJson(res, init, isHead)) return;
  // HttpResponse applies Azure's rules (jsonBody wins over body, JSON content type, no body on 204/304).
  const response = new HttpResponse(init);
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  res.writeHead(response.status, headers);
  if (isHead || response.body === null) {
    res.end();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    body.on('error', reject);
    res.on('error', reject);
    res.on('finish', resolve);
    body.pipe(res);
  });
}

/** Starts the API host. Routes default to the app's route table; port 0 picks a free port. */
export async function startApiHost(options: ApiHostOptions = {}): Promise<ApiHost> {
  const host = options.host ?? '127.0.0.1';
  const limit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const entries: Entry[] = (options.routes ?? defaultRoutes).map((r) => ({
    name: r.name,
    methods: r.methods,
    route: r.route,
    handler: withApiBoundary(r),
  }));
  const names = new Set<string>();
  for (const e of entries) {
    if (names.has(e.name)) throw new Error(`Two routes are named ${e.name}; Azure function names must be unique.`);
    names.add(e.name);
  }
  const matcher = new RouteMatcher(entries);

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // Only reached when writing the response itself failed; the handler's own errors are already bodies.
      console.error('Local host: failed to answer', req.method, req.url, err);
      if (!res.headersSent) sendError(res, 500, 'internal', 'An internal error occurred. It has been logged.');
      else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? `${host}:${port}`}`);
    const pathname = url.pathname.replace(/\/+$/, '');
    if (!/^\/api(\/|$)/i.test(pathname)) {
      req.resume();
      return sendError(res, 404, 'not_found', `No route for ${method} ${url.pathname}; the API lives under /api/.`);
    }
    const path = pathname.slice('/api/'.length);
    // A preflight is routed by the method it asks about, so routes sharing a path each answer for their own methods.
    const asked = method === 'OPTIONS' ? req.headers['access-control-request-method']?.toUpperCase() : undefined;
    let found = matcher.find(path, asked ?? method);
    if (found.match === undefined && method === 'OPTIONS') found = matcher.find(path, '*');
    const match = found.match;
    if (match === undefined) {
      req.resume();
      if (found.allowed.length > 0) {
        return sendError(
          res,
          405,
          'method_not_allowed',
          `${method} is not allowed on /api/${path}; allowed: ${found.allowed.join(', ')}.`,
          {
            Allow: found.allowed.join(', '),
          },
        );
      }
      return sendError(res, 404, 'not_found', `No route for ${method} /api/${path}.`);
    }

    let body: Buffer;
    try {
      body = await readBody(req, limit);
    } catch (err) {
      if (!(err instanceof BodyTooLarge)) throw err;
      res.setHeader('Connection', 'close');
      const refusal = payloadTooLarge(limit);
      return sendError(res, refusal.status, refusal.code, refusal.message);
    }

    const request = new HttpRequest({
      method,
      url: url.toString(),
      headers: flatHeaders(req),
      // query is left to HttpRequest, which reads it from the URL (keeps repeated keys).
      params: match.params,
      body: { bytes: body },
    });
    const context = new InvocationContext({
      functionName: match.entry.name,
      invocationId: randomUUID(),
      options: { trigger: { type: 'httpTrigger', name: 'httpTrigger' }, extraInputs: [], extraOutputs: [] },
    });
    const init = await match.entry.handler(request, context);
    await writeResponse(res, init, method === 'HEAD');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 7071, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${shownHost}:${port}/api`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive sockets would hold close() open until they time out.
        server.closeIdleConnections();
      }),
  };
}
