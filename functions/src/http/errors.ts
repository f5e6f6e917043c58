// API errors: a small typed error with a code, and the one function that turns any throw into the API error body.
import type { HttpResponseInit, InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { plural } from '../../../shared/text';

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

/** What a value must be, for a zod `invalid_type` issue, in a clerk's words. */
const EXPECTED_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
};

/** The value at `path` inside `input`, or undefined (a zod 4 issue carries its input only when asked to). */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const p of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

/** zod's own default messages start like this; our schemas' messages are lowercase predicates ("must be …"). */
const ZOD_DEFAULT_MESSAGE = /^(Invalid|Too (big|small)|Unrecognized)/;

/** One problem as the API reports it: a detail `{field, message}` and the sentence the error message uses. */
export interface IssueText extends ErrorDetail {
  sentence: string;
}

/**
 * One zod issue in a clerk's words, never zod's phrasing: a missing value "is required", a bad date names the value
 * ("2016-13-01 is not a date"), unknown names are listed one by one. A schema's own message (a lowercase predicate
 * such as "must be month, quarter or year") is kept. `input` is what was parsed, so the offending value can be named.
 */
export function describeIssue(
  issue: z.core.$ZodIssue,
  input: unknown,
  prefix?: string,
  unknownName = 'is not a known field',
): IssueText[] {
  // Details name the location (query.pageSize); the sentence names the field as the user knows it (pageSize).
  const at = (path: readonly PropertyKey[], message: string, sentence?: string): IssueText => ({
    field: issueField(path, prefix),
    message,
    sentence: sentence ?? `${issueField(path)} ${message}`,
  });
  const value = valueAt(input, issue.path);
  if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => at([...issue.path, k], unknownName));
  // Without the input (a ZodError thrown by a handler), zod's own message still says what it received.
  const missing = input === undefined ? / received undefined$/.test(issue.message) : value === undefined;
  if (issue.code === 'invalid_type' && missing) return [at(issue.path, 'is required')];
  // A date field's refinement carries params.kind 'date' (shared/api.ts): name the value the user typed.
  if (issue.code === 'custom' && (issue.params as { kind?: unknown } | undefined)?.kind === 'date') {
    const field = issueField(issue.path);
    const shown = typeof value === 'string' ? value : JSON.stringify(value);
    return [at(issue.path, issue.message, `${shown} is not a date (${field} must be YYYY-MM-DD)`)];
  }
  if (!ZOD_DEFAULT_MESSAGE.test(issue.message)) return [at(issue.path, issue.message)];
  switch (issue.code) {
    case 'invalid_type':
      return [at(issue.path, `must be ${EXPECTED_WORDS[issue.expected] ?? issue.expected}`)];
    case 'invalid_value':
      return [at(issue.path, `must be one of ${issue.values.map(String).join(', ')}`)];
    case 'too_small':
    case 'too_big': {
      const bound = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
      const least = issue.code === 'too_small' ? 'at least' : 'at most';
      const what =
        issue.origin === 'string'
          ? plural(bound, 'character')
          : issue.origin === 'array' || issue.origin === 'set'
            ? plural(bound, 'item')
            : String(bound);
      return [at(issue.path, `must be ${least} ${what}`)];
    }
    default:
      return [at(issue.path, 'is not valid here')];
  }
}

/** Zod issues as API error details `[{field, message}]`, in zod's order (see describeIssue for the words). */
export function zodIssuesToDetails(
  issues: readonly z.core.$ZodIssue[],
  prefix?: string,
  input?: unknown,
): ErrorDetail[] {
  return describeIssues(issues, input, prefix).map(({ field, message }) => ({ field, message }));
}

export function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  prefix?: string,
  unknownName?: string,
): IssueText[] {
  return issues.flatMap((i) => describeIssue(i, input, prefix, unknownName));
}

/** The one sentence of a 400: every problem once, e.g. "from is required; to is required." */
export function problemsSentence(problems: readonly IssueText[]): string {
  return `${problems.map((p) => p.sentence).join('; ')}.`;
}

/**
 * 400 `invalid` listing every issue, e.g. for a query string that does not match its schema; `input` is what was
 * parsed, so a bad value can be named. The message states each problem once; details list them by field.
 */
export function invalidRequest(
  issues: readonly z.core.$ZodIssue[],
  location: 'body' | 'query' | 'params' | 'headers',
  input?: unknown,
): ApiError {
  const problems = describeIssues(
    issues,
    input,
    location,
    location === 'query' ? 'is not a parameter of this endpoint' : undefined,
  );
  return new ApiError(
    400,
    'invalid',
    `The request ${location} is invalid: ${problemsSentence(problems)}`,
    problems.map(({ field, message }) => ({ field, message })),
  );
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
    const problems = describeIssues(err.issues, undefined);
    const details = problems.map(({ field, message }) => ({ field, message }));
    return {
      status: 400,
      jsonBody: errorBody('invalid', `The request is invalid: ${problemsSentence(problems)}`, details),
    };
  }
  const log = context ? context.error.bind(context) : console.error;
  log('Unhandled error in handler:', err);
  return { status: 500, jsonBody: errorBody('internal', 'An internal error occurred. It has been logged.') };
}
