// Request parsing helpers for handlers: JSON body and query string through zod, failures as 400 with details.
import type { HttpRequest } from '@azure/functions';
import type { z } from 'zod';
import { ApiError, invalidRequest, issueField } from './errors';

/**
 * JSON.parse accepts any depth, but JSON.stringify and zod recurse: a row value nested 10,000 levels deep overflowed
 * the stack (a 500). Real bodies are a few levels deep (`{rows:[{field:value}]}`).
 */
export const MAX_JSON_DEPTH = 32;

/** The path to a value nested deeper than `max` levels, or null; recursion stops at `max`, so it cannot overflow. */
function tooDeep(value: unknown, max: number, path: (string | number)[] = []): (string | number)[] | null {
  if (typeof value !== 'object' || value === null) return null;
  if (path.length >= max) return path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const deep = tooDeep(value[i], max, [...path, i]);
      if (deep) return deep;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    const deep = tooDeep(v, max, [...path, k]);
    if (deep) return deep;
  }
  return null;
}

/**
 * The largest request body the API reads: 8 MiB, well above a request of 5,000 rows. A larger body is refused with 413
 * before it is parsed, here (readJsonBody) and by the local host before a handler sees it (local/server.ts).
 */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

export function payloadTooLarge(limit: number = MAX_BODY_BYTES): ApiError {
  return new ApiError(
    413,
    'payload_too_large',
    `The request body is larger than ${limit} bytes, the most the API reads in one request; send fewer rows per request.`,
  );
}

/**
 * The body's bytes, refused with 413 when they pass `limit`: a declared Content-Length over the limit before reading
 * anything, and a body without one (chunked) as soon as the bytes read pass it, without reading the rest.
 */
async function readBytes(req: HttpRequest, limit: number): Promise<Uint8Array> {
  const declared = req.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) throw payloadTooLarge(limit);
  if (req.body === null) return new Uint8Array(0);
  const reader = (req.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw payloadTooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function unsupported(message: string): ApiError {
  return new ApiError(415, 'unsupported_media_type', message, [{ field: 'headers.Content-Type', message }]);
}

/**
 * A body declared as something else (a form, XML) or in another charset is refused rather than guessed at. No
 * Content-Type and text/plain are read as JSON: text/plain is what fetch and HttpRequest give a string body that
 * declares nothing.
 */
function mustBeJson(contentType: string | null): void {
  if (contentType === null || contentType.trim() === '') return;
  const [media = '', ...params] = contentType.split(';').map((p) => p.trim().toLowerCase());
  if (media !== 'application/json' && media !== 'text/plain' && !/^application\/[a-z0-9.+-]+\+json$/.test(media))
    throw unsupported(`Content-Type must be application/json, not ${media}.`);
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')
    throw unsupported(`Content-Type charset must be utf-8, not ${charset}.`);
}

/**
 * Reads the body as UTF-8 JSON and validates it; 415 for another Content-Type or charset, 413 `payload_too_large` for
 * a body over MAX_BODY_BYTES, 400 `invalid_encoding` for bytes that are not UTF-8, 400 `invalid_json` when it is not
 * JSON, 400 `invalid` when it is nested too deeply or does not match `schema` (listing the issues).
 */
export async function readJsonBody<S extends z.ZodType>(req: HttpRequest, schema: S): Promise<z.output<S>> {
  mustBeJson(req.headers.get('content-type'));
  // fatal: invalid bytes are an error, not U+FFFD stored in place of the client's text. A leading BOM is dropped.
  const bytes = await readBytes(req, MAX_BODY_BYTES);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError(400, 'invalid_encoding', 'The request body is not valid UTF-8; send JSON encoded as UTF-8.');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError(
      400,
      'invalid_json',
      text.trim() === '' ? 'The request body is empty; JSON expected.' : 'The request body is not valid JSON.',
    );
  }
  const deep = tooDeep(value, MAX_JSON_DEPTH);
  if (deep !== null) {
    // Name where it starts: the row field, not a path 32 levels long.
    const field = issueField(deep.slice(0, 4), 'body') + (deep.length > 4 ? '…' : '');
    const message = `is nested more than ${MAX_JSON_DEPTH} levels deep`;
    throw new ApiError(400, 'invalid', `The request body ${message}.`, [{ field, message }]);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidRequest(parsed.error.issues, 'body', value);
  return parsed.data;
}

/**
 * The query string as one value per name. A repeated name is a 400 naming it: `?region=East&region=West` must not
 * quietly mean West. (Object.fromEntries defines own properties, so `__proto__` stays a plain name.)
 */
export function queryParams(req: HttpRequest): Record<string, string> {
  const names = [...req.query.keys()];
  const repeated = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  if (repeated.length > 0) {
    const details = repeated.map((n) => ({ field: `query.${n}`, message: 'is given more than once; give it once' }));
    throw new ApiError(
      400,
      'invalid',
      `The request query is invalid: ${repeated.join(', ')} given more than once.`,
      details,
    );
  }
  return Object.fromEntries(req.query.entries());
}

/** Validates the query string as an object of strings (a repeated name is a 400). */
export function readQuery<S extends z.ZodType>(req: HttpRequest, schema: S): z.output<S> {
  const query = queryParams(req);
  const parsed = schema.safeParse(query);
  if (!parsed.success) throw invalidRequest(parsed.error.issues, 'query', query);
  return parsed.data;
}
