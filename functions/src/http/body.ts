// Request parsing helpers for handlers: JSON body and query string through zod, failures as 400 with details.
import type { HttpRequest } from '@azure/functions';
import type { z } from 'zod';
import { ApiError, invalidRequest } from './errors';

/** Reads the body as JSON and validates it; 400 `invalid_json` when it is not JSON, 400 `invalid` listing issues otherwise. */
export async function readJsonBody<S extends z.ZodType>(req: HttpRequest, schema: S): Promise<z.output<S>> {
  const text = await req.text();
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
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidRequest(parsed.error.issues, 'body');
  return parsed.data;
}

/** Validates the query string as an object of strings (last value wins for repeated keys). */
export function readQuery<S extends z.ZodType>(req: HttpRequest, schema: S): z.output<S> {
  const parsed = schema.safeParse(Object.fromEntries(req.query.entries()));
  if (!parsed.success) throw invalidRequest(parsed.error.issues, 'query');
  return parsed.data;
}
