// POST /api/figures/batch: many figure queries (one per LEDGERDESK formula cell) answered in one request.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { figuresBatchRequest } from '../../../shared/api';
import { requireRead } from '../auth/roles';
import { authenticate } from '../auth/verify';
import { answerFigureQueries } from '../figures/batch';
import { readJsonBody } from '../http/body';
import type { Route } from '../http/route';
import { stampEtag } from './figuresStamp';

export async function postFiguresBatch(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  requireRead(await authenticate(req));
  const body = await readJsonBody(req, figuresBatchRequest);
  const answer = await answerFigureQueries(body.queries);
  return { status: 200, headers: { ETag: stampEtag(answer.generation) }, jsonBody: answer };
}

export const figuresBatchRoute: Route = {
  name: 'postFiguresBatch',
  methods: ['POST'],
  route: 'figures/batch',
  handler: postFiguresBatch,
};
