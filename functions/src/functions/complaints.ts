// GET /api/complaints: complaints opened, resolved and median days to resolve by period and group (services/complaints.ts).
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { complaintsQuery } from '../../../shared/api';
import { requireRead } from '../auth/roles';
import { authenticate } from '../auth/verify';
import { readFigureQuery } from '../figures/params';
import type { Route } from '../http/route';
import { complaintStatistics } from '../services/complaints';

export async function getComplaints(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  requireRead(await authenticate(req));
  const query = readFigureQuery(req, complaintsQuery);
  return { status: 200, jsonBody: { rows: await complaintStatistics(query) } };
}

export const complaintsRoute: Route = {
  name: 'getComplaints',
  methods: ['GET'],
  route: 'complaints',
  handler: getComplaints,
};
