// GET /api/contracts/{contractId}/file: the contract file (services/customerFile.ts).
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { contractFileQuery } from '../../../shared/api';
import { requireRead } from '../auth/roles';
import { authenticate } from '../auth/verify';
import { readFigureQuery } from '../figures/params';
import type { Route } from '../http/route';
import { contractFile } from '../services/customerFile';

export async function getContractFile(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  requireRead(await authenticate(req));
  readFigureQuery(req, contractFileQuery);
  return { status: 200, jsonBody: await contractFile(req.params.contractId ?? '') };
}

export const contractFileRoute: Route = {
  name: 'getContractFile',
  methods: ['GET'],
  route: 'contracts/{contractId}/file',
  handler: getContractFile,
};
