// Tests for functions/src/http/errors.ts: API errors, unknown throws, zod issues as details.
import { InvocationContext } from '@azure/functions';
import { z } from 'zod';
import {
  ApiError,
  describeIssues,
  issueField,
  problemsSentence,
  toErrorResponse,
  zodIssuesToDetails,
} from '../../../functions/src/http/errors';

function silentContext(): { ctx: InvocationContext; logged: unknown[][] } {
  const logged: unknown[][] = [];
  const ctx = new InvocationContext({ functionName: 't', logHandler: (_level, ...args) => logged.push(args) });
  return { ctx, logged };
}

describe('toErrorResponse', () => {
  it('keeps the status, code, message and details of an ApiError', () => {
    const res = toErrorResponse(new ApiError(409, 'conflict', 'Stale etag.', [{ field: 'etag', message: 'stale' }]));
    expect(res.status).toBe(409);
    expect(res.jsonBody).toEqual({
      error: { code: 'conflict', message: 'Stale etag.', details: [{ field: 'etag', message: 'stale' }] },
    });
  });

  it('adds WWW-Authenticate to a 401', () => {
    const res = toErrorResponse(new ApiError(401, 'unauthorized', 'No token.'));
    expect(res.headers).toEqual({ 'WWW-Authenticate': 'Bearer' });
  });

  it('turns an unknown error into a generic 500, logs it, and leaks neither message nor stack', () => {
    const { ctx, logged } = silentContext();
    const err = new Error('connection to 10.0.0.7 failed with password hunter2');
    const res = toErrorResponse(err, ctx);
    expect(res.status).toBe(500);
    expect(res.jsonBody).toEqual({
      error: { code: 'internal', message: 'An internal error occurred. It has been logged.', details: [] },
    });
    const text = JSON.stringify(res.jsonBody);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('at ');
    expect(logged[0]).toContain(err);
  });

  it('handles thrown non-errors', () => {
    const { ctx } = silentContext();
    expect(toErrorResponse('a string', ctx).status).toBe(500);
    expect(toErrorResponse(undefined, ctx).status).toBe(500);
  });

  it('turns a ZodError into 400 invalid with field details', () => {
    const schema = z.object({ rows: z.array(z.object({ signedOn: z.string() })) });
    const parsed = schema.safeParse({ rows: [{ signedOn: 'x' }, { signedOn: 3 }] });
    expect(parsed.success).toBe(false);
    const res = toErrorResponse(parsed.error);
    expect(res.status).toBe(400);
    expect(res.jsonBody).toMatchObject({ error: { code: 'invalid', details: [{ field: 'rows[1].signedOn' }] } });
  });

  it('tells a wrong type from a missing value in a ZodError, whose input it does not have', () => {
    const schema = z.object({ rows: z.array(z.object({ signedOn: z.string() })) });
    const parsed = schema.safeParse({ rows: [{ signedOn: 3 }, {}] });
    const res = toErrorResponse(parsed.error);
    expect(res.jsonBody).toEqual({
      error: {
        code: 'invalid',
        message: 'The request is invalid: rows[0].signedOn must be text; rows[1].signedOn is required.',
        details: [
          { field: 'rows[0].signedOn', message: 'must be text' },
          { field: 'rows[1].signedOn', message: 'is required' },
        ],
      },
    });
  });
});

describe('zod issues as details', () => {
  it('names fields by location', () => {
    expect(issueField(['rows', 3, 'signedOn'])).toBe('rows[3].signedOn');
    expect(issueField(['pageSize'], 'query')).toBe('query.pageSize');
    expect(issueField([], 'body')).toBe('body');
    expect(issueField([])).toBe('(root)');
  });

  it('lists every issue', () => {
    const r = z.object({ a: z.string(), b: z.number() }).safeParse({});
    expect(r.success).toBe(false);
    const details = zodIssuesToDetails(r.error!.issues, 'body');
    expect(details.map((d) => d.field)).toEqual(['body.a', 'body.b']);
    expect(details.every((d) => d.message.length > 0)).toBe(true);
  });
});

describe('zod issues in words (describeIssues)', () => {
  it("replaces zod's own phrasing and keeps a schema's own predicate", () => {
    const schema = z.strictObject({
      name: z.string().max(3),
      kind: z.enum(['a', 'b']),
      count: z.number(),
      tags: z.array(z.string()).min(1),
      period: z.enum(['month', 'year'], { error: 'must be month or year' }),
    });
    const input = { name: 'long', kind: 'c', count: 'x', tags: [], period: 'week', extra: 1 };
    const r = schema.safeParse(input);
    expect(r.success).toBe(false);
    const problems = describeIssues(r.error!.issues, input, 'body');
    expect(problems.map((p) => [p.field, p.message])).toEqual([
      ['body.name', 'must be at most 3 characters'],
      ['body.kind', 'must be one of a, b'],
      ['body.count', 'must be a number'],
      ['body.tags', 'must be at least 1 item'],
      ['body.period', 'must be month or year'],
      ['body.extra', 'is not a known field'],
    ]);
    expect(problemsSentence(problems)).toBe(
      'name must be at most 3 characters; kind must be one of a, b; count must be a number; tags must be at least 1 item; period must be month or year; extra is not a known field.',
    );
    expect(JSON.stringify(problems)).not.toMatch(/Invalid|Too (big|small)|Unrecognized/);
  });
});
