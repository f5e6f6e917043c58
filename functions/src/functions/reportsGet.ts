// GET /api/reports/{reportId}: streams the stored .xlsx (any role); 404 when there is no such report.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { requireRead } from '../auth/roles';
import { authenticate } from '../auth/verify';
import { ApiError } from '../http/errors';
import type { Route } from '../http/route';
import { openReport, reportFilename } from '../reports/service';
import { CONTENT_TYPE } from '../reports/workbook';

export async function getReport(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  requireRead(await authenticate(req));
  const reportId = req.params.reportId ?? '';
  const opened = await openReport(reportId);
  if (opened === undefined) throw new ApiError(404, 'not_found', `There is no report ${JSON.stringify(reportId)}.`);
  const headers: Record<string, string> = {
    'Content-Type': CONTENT_TYPE,
    'Content-Disposition': `attachment; filename="${reportFilename(opened.report)}"`,
    // A version never changes once written.
    'Cache-Control': 'private, max-age=31536000, immutable',
  };
  if (opened.contentLength !== undefined) headers['Content-Length'] = String(opened.contentLength);
  return { status: 200, body: opened.body, headers };
}

export const getReportRoute: Route = {
  name: 'getReport',
  methods: ['GET'],
  route: 'reports/{reportId}',
  handler: getReport,
};
