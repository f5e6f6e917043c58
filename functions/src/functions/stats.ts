// GET /api/stats: statistics by period and group from the rollups (approved versions; provisional with includePending).
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { statsQuery } from '../../../shared/api';
import { requireRead } from '../auth/roles';
import { authenticate } from '../auth/verify';
import { readFigureQuery } from '../figures/params';
import { statistics } from '../figures/statistics';
import type { Route } from '../http/route';

export async function getStats(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  requireRead(await authenticate(req));
  const query = readFigureQuery(req, statsQuery);
  return { status: 200, jsonBody: { rows: await statistics(query) } };
}

export const statsRoute: Route = { name: 'getStats', methods: ['GET'], route: 'stats', handler: getStats };
