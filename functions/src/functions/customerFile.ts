// GET /api/customers/{customerId}/file: the customer file (services/customerFile.ts).
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { customerFileQuery } from '../../../shared/api';
import { requireRead } from '../auth/roles';
import { authenticate } from '../auth/verify';
import { readFigureQuery } from '../figures/params';
import type { Route } from '../http/route';
import { customerFile } from '../services/customerFile';

export async function getCustomerFile(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  requireRead(await authenticate(req));
  const query = readFigureQuery(req, customerFileQuery);
  return { status: 200, jsonBody: await customerFile(req.params.customerId ?? '', query) };
}

export const customerFileRoute: Route = {
  name: 'getCustomerFile',
  methods: ['GET'],
  route: 'customers/{customerId}/file',
  handler: getCustomerFile,
};
