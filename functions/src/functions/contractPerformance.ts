// GET /api/contracts/{contractId}/performance: one contract's items ordered, delivered, invoiced and paid.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { buildIndex } from '../../../shared/calc';
import { performanceOf } from '../../../shared/calc/performance';
import { performanceToWire } from '../../../shared/wire';
import { requireRead } from '../auth/roles';
import { authenticate } from '../auth/verify';
import { CONTRACT_UNIT_LEDGERS, overlayPending, readPendingRows, readStamps, readUnits } from '../figures/ledgerView';
import { readFigureQuery } from '../figures/params';
import { ApiError } from '../http/errors';
import type { Route } from '../http/route';
import { readFiguresGeneration } from '../store/rollupStore';

const query = z.strictObject({
  includePending: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
});

export async function getContractPerformance(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  requireRead(await authenticate(req));
  const contractId = req.params.contractId ?? '';
  const q = readFigureQuery(req, query);
  // The stamps are read before the unit and the pending rows they guard (ledgerView.readStamps).
  const stamp = readFiguresGeneration();
  const stamps = q.includePending === 'true' ? readStamps(stamp) : undefined;
  // The unit and the pending rows are read at once.
  const [approved, pending] = await Promise.all([
    readUnits('c', [contractId], stamp),
    stamps === undefined ? undefined : readPendingRows(CONTRACT_UNIT_LEDGERS, stamps),
  ]);
  const data = pending === undefined ? approved : await overlayPending(approved, pending, (id) => id === contractId);
  const bundle = buildIndex(data).bundles.get(contractId);
  const perf = bundle === undefined ? undefined : performanceOf(bundle);
  if (perf === undefined)
    throw new ApiError(404, 'not_found', `Contract ${contractId} does not exist (or is not approved).`);
  return { status: 200, jsonBody: performanceToWire(perf) };
}

export const contractPerformanceRoute: Route = {
  name: 'getContractPerformance',
  methods: ['GET'],
  route: 'contracts/{contractId}/performance',
  handler: getContractPerformance,
};
