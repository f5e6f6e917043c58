// GET /api/stats: statistics by period and group from the rollups (approved versions; provisional with includePending);
// with withPlan=true each row's plan figures from the targets and budgets in effect (shared/calc/plan.ts).
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { statsQuery } from '../../../shared/api';
import { withPlans } from '../../../shared/calc/plan';
import { requireRead } from '../auth/roles';
import { getConfig } from '../config';
import { authenticate } from '../auth/verify';
import { inEffect } from '../figures/inEffect';
import { readFigureQuery } from '../figures/params';
import { statistics } from '../figures/statistics';
import type { Route } from '../http/route';

export async function getStats(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  requireRead(await authenticate(req));
  const query = readFigureQuery(req, statsQuery);
  if (query.withPlan !== true) return { status: 200, jsonBody: { rows: await statistics(query) } };
  const pendingToo = query.includePending === true;
  const [rows, targets, budgets] = await Promise.all([
    statistics(query),
    inEffect('targets', pendingToo),
    inEffect('budgets', pendingToo),
  ]);
  return { status: 200, jsonBody: { rows: withPlans(rows, query, targets, budgets, getConfig().defaultCurrency) } };
}

export const statsRoute: Route = { name: 'getStats', methods: ['GET'], route: 'stats', handler: getStats };
