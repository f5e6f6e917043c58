// Stored reminder letters (reports/letterRuns.ts): POST /api/letters makes and stores a letters workbook (clerk,
// finance or admin), GET /api/letters lists them newest first, GET /api/letters/{lettersId} returns one (any role).
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { lettersListQuery, lettersRequest } from '../../../shared/api';
import { requireRead, type Principal } from '../auth/roles';
import { authenticate } from '../auth/verify';
import { readJsonBody, readQuery } from '../http/body';
import { ApiError } from '../http/errors';
import type { Route } from '../http/route';
import { lettersFilename, lettersInfoOf, listLetters, makeLetters, openLetters } from '../reports/letterRuns';
import { CONTENT_TYPE } from '../reports/workbook';

/** A letters run writes the resolved status of paid reminders and stores a workbook: the roles that write reminders. */
function requireMakeLetters(principal: Principal): void {
  if (!principal.roles.some((r) => r === 'clerk' || r === 'finance' || r === 'admin'))
    throw new ApiError(403, 'forbidden', 'Making reminder letters needs the clerk, finance or admin role.');
}

export async function createLetters(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  const principal = await authenticate(req);
  requireMakeLetters(principal);
  const body = await readJsonBody(req, lettersRequest);
  const made = await makeLetters(body, principal.userId, new URL('/api/', req.url).href);
  return { status: 201, jsonBody: made, headers: { Location: made.url } };
}

export async function getLettersList(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  requireRead(await authenticate(req));
  const { day } = readQuery(req, lettersListQuery);
  const base = new URL('/api/', req.url).href;
  return { status: 200, jsonBody: { letters: (await listLetters(day)).map((r) => lettersInfoOf(r, base)) } };
}

export async function getLetters(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  requireRead(await authenticate(req));
  const lettersId = req.params.lettersId ?? '';
  const opened = await openLetters(lettersId);
  if (opened === undefined)
    throw new ApiError(404, 'not_found', `There are no stored letters ${JSON.stringify(lettersId)}.`);
  const headers: Record<string, string> = {
    'Content-Type': CONTENT_TYPE,
    'Content-Disposition': `attachment; filename="${lettersFilename(opened.run)}"`,
    // A version never changes once written.
    'Cache-Control': 'private, max-age=31536000, immutable',
  };
  if (opened.contentLength !== undefined) headers['Content-Length'] = String(opened.contentLength);
  return { status: 200, body: opened.body, headers };
}

export const createLettersRoute: Route = {
  name: 'createLetters',
  methods: ['POST'],
  route: 'letters',
  handler: createLetters,
};
export const listLettersRoute: Route = {
  name: 'listLetters',
  methods: ['GET'],
  route: 'letters',
  handler: getLettersList,
};
export const getLettersRoute: Route = {
  name: 'getLetters',
  methods: ['GET'],
  route: 'letters/{lettersId}',
  handler: getLetters,
};
