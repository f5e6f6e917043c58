// GET /api/reports[?period=2016-11]: the reports made, newest first (any role).
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { parsePeriod } from '../../../shared/dates';
import { requireRead } from '../auth/roles';
import { authenticate } from '../auth/verify';
import { readQuery } from '../http/body';
import type { Route } from '../http/route';
import { listReports as listStored, reportInfoOf } from '../reports/service';

const listQuery = z.strictObject({
  period: z
    .string()
    .refine((p) => {
      try {
        return parsePeriod(p).label === p;
      } catch {
        return false;
      }
    }, 'must be a month (2016-11), a quarter (2016-Q4) or a year (2016)')
    .optional(),
});

export async function listReports(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  requireRead(await authenticate(req));
  const { period } = readQuery(req, listQuery);
  const base = new URL('/api/', req.url).href;
  const reports = (await listStored(period)).map((r) => reportInfoOf(r, base));
  return { status: 200, jsonBody: { reports } };
}

export const listReportsRoute: Route = {
  name: 'listReports',
  methods: ['GET'],
  route: 'reports',
  handler: listReports,
};
