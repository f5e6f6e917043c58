// GET /api/contracts/{contractId}/performance: one contract's items ordered, delivered, invoiced and paid.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { buildIndex } from '../../../shared/calc';
import { performanceOf } from '../../../shared/calc/performance';
import { performanceToWire } from '../../../shared/wire';
import type { PerformanceResponse } from '../../../shared/api';
import { requireRead } from '../auth/roles';
import { authenticate } from '../auth/verify';
import { CONTRACT_UNIT_LEDGERS, overlayPending, readPendingRows, readStamps, readUnits } from '../figures/ledgerView';
import { readFigureQuery } from '../figures/params';
import { ApiError } from '../http/errors';
import type { Route } from '../http/route';
import { getConfig } from '../config';
import { readFiguresGeneration } from '../store/rollupStore';

const query = z.strictObject({
  includePending: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
});

export async function getContractPerformance(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  requireRead(await authenticate(req));
  const contractId = req.params.contractId ?? '';
  const q = readFigureQuery(req, query);
  const perf = (await contractPerformances([contractId], q.includePending === 'true')).get(contractId);
  if (perf === undefined)
    throw new ApiError(404, 'not_found', `Contract ${contractId} does not exist (or is not approved).`);
  return { status: 200, jsonBody: perf };
}

/**
 * The performance of each contract named that exists (approved, or with includePending in effect), read in one go:
 * their units under one figures generation stamp (`stamp`, read before them), one index of them all. Also used by
 * POST /api/figures/batch.
 */
export async function contractPerformances(
  contractIds: Iterable<string>,
  includePending: boolean,
  stamp: Promise<string | undefined> = readFiguresGeneration(),
): Promise<Map<string, PerformanceResponse>> {
  const ids = new Set(contractIds);
  // The stamps are read before the unit and the pending rows they guard (ledgerView.readStamps).
  const stamps = includePending ? readStamps(stamp) : undefined;
  // The units and the pending rows are read at once.
  const [approved, pending] = await Promise.all([
    readUnits('c', ids, stamp),
    stamps === undefined ? undefined : readPendingRows(CONTRACT_UNIT_LEDGERS, stamps),
  ]);
  const data = pending === undefined ? approved : await overlayPending(approved, pending, (id) => ids.has(id));
  const out = new Map<string, PerformanceResponse>();
  for (const [id, bundle] of buildIndex(data).bundles) {
    const perf = ids.has(id) ? performanceOf(bundle, getConfig().defaultCurrency) : undefined;
    if (perf !== undefined) out.set(id, performanceToWire(perf));
  }
  return out;
}

export const contractPerformanceRoute: Route = {
  name: 'getContractPerformance',
  methods: ['GET'],
  route: 'contracts/{contractId}/performance',
  handler: getContractPerformance,
};
