// API errors: a small typed error with a code, and the one function that turns any throw into the API error body.
import type { HttpResponseInit, InvocationContext } from '@azure/functions';
import { z } from 'zod';

export interface ErrorDetail {
  field: string;
  message: string;
}

export interface ErrorBody {
  error: { code: string; message: string; details: unknown[] };
}

/** An error a client is meant to see: status, stable code, one sentence, optional details. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Path of a zod issue as a field name: `rows[3].signedOn`; `prefix` names the location (body, query, params). */
export function issueField(path: readonly PropertyKey[], prefix?: string): string {
  let field = prefix ?? '';
  for (const p of path) {
    if (typeof p === 'number') field += `[${p}]`;
    else field += field === '' ? String(p) : `.${String(p)}`;
  }
  return field === '' ? '(root)' : field;
}

/** Zod issues as API error details `[{field, message}]`, in zod's order. */
export function zodIssuesToDetails(issues: readonly z.core.$ZodIssue[], prefix?: string): ErrorDetail[] {
  return issues.map((i) => ({ field: issueField(i.path, prefix), message: i.message }));
}

/** 400 `invalid` listing every issue, e.g. for a query string that does not match its schema. */
export function invalidRequest(
  issues: readonly z.core.$ZodIssue[],
  location: 'body' | 'query' | 'params' | 'headers',
): ApiError {
  return new ApiError(400, 'invalid', `The request ${location} is invalid.`, zodIssuesToDetails(issues, location));
}

export function errorBody(code: string, message: string, details: unknown[] = []): ErrorBody {
  return { error: { code, message, details } };
}

/**
 * Normalises anything thrown by a handler into an API response. ApiErrors keep their status and code;
 * a stray ZodError is a 400 (a handler parsed client input with `parse`); anything else is a 500 whose cause is
 * logged here and never sent (stacks and messages of unknown errors can leak internals).
 */
export function toErrorResponse(err: unknown, context?: Pick<InvocationContext, 'error'>): HttpResponseInit {
  if (err instanceof ApiError) {
    const headers: Record<string, string> = {};
    // RFC 6750: a 401 for a bearer-protected resource says which scheme it wants.
    if (err.status === 401) headers['WWW-Authenticate'] = 'Bearer';
    return { status: err.status, jsonBody: errorBody(err.code, err.message, err.details), headers };
  }
  if (err instanceof z.ZodError) {
    return { status: 400, jsonBody: errorBody('invalid', 'The request is invalid.', zodIssuesToDetails(err.issues)) };
  }
  const log = context ? context.error.bind(context) : console.error;
  log('Unhandled error in handler:', err);
  return { status: 500, jsonBody: errorBody('internal', 'An internal error occurred. It has been logged.') };
}
