// GET /api/figures/stamp: the figures generation stamp, which every approval replaces, as an ETag. With
// If-None-Match naming the current stamp the answer is 304 with no body: one point read, for clients that re-ask
// their figures only when approvals moved them.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { requireRead } from '../auth/roles';
import { authenticate } from '../auth/verify';
import type { Route } from '../http/route';
import { readFiguresGeneration } from '../store/rollupStore';

/** The stamp as a strong ETag; `"none"` while the store has no stamp yet. */
export function stampEtag(generation: string | null | undefined): string {
  return `"${generation ?? 'none'}"`;
}

/** True when an If-None-Match header lists `etag` (or is `*`). */
function matches(header: string | null, etag: string): boolean {
  if (header === null) return false;
  return header.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

export async function getFiguresStamp(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  requireRead(await authenticate(req));
  const generation = (await readFiguresGeneration()) ?? null;
  const etag = stampEtag(generation);
  // no-cache: a browser must not answer from its own cache; the client sends If-None-Match itself.
  const headers = { ETag: etag, 'Cache-Control': 'no-cache' };
  if (matches(req.headers.get('if-none-match'), etag)) return { status: 304, headers };
  return { status: 200, headers, jsonBody: { generation } };
}

export const figuresStampRoute: Route = {
  name: 'getFiguresStamp',
  methods: ['GET'],
  route: 'figures/stamp',
  handler: getFiguresStamp,
};
