// Test support: one raw HTTP request to the local API host, headers and body exactly as given (no fetch niceties).
import http from 'node:http';

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  bytes: Buffer;
  text: string;
  /** The body parsed as JSON; undefined when it is not JSON. */
  json: unknown;
}

export interface RawRequest {
  method: string;
  /** Path under /api/, sent as is (already percent-encoded). */
  path: string;
  /** A header given as a list goes out as repeated lines. */
  headers?: Record<string, string | string[] | number>;
  body?: string | Buffer;
}

/** Sends `request` to the host on 127.0.0.1:`port` on a fresh connection and reads the whole answer. */
export function rawRequest(port: number, request: RawRequest): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: request.method,
        path: `/api/${request.path}`,
        headers: request.headers ?? {},
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => {
          const bytes = Buffer.concat(chunks);
          const text = bytes.toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(request.body);
  });
}
