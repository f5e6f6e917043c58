// POST /api/reports: makes a period's report workbook now (manager, finance or admin) and answers 201 {reportId, url}.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { reportRequest, type ReportInfo } from '../../../shared/api';
import { parsePeriod, type Period } from '../../../shared/dates';
import { DomainError } from '../../../shared/errors';
import type { Principal, Role } from '../auth/roles';
import { authenticate } from '../auth/verify';
import { readJsonBody } from '../http/body';
import { ApiError } from '../http/errors';
import type { Route } from '../http/route';
import { makeReport, reportInfoOf } from '../reports/service';

/**
 * Making a report reads every approved ledger and writes a stored, versioned workbook, so it is kept to the roles
 * that own figures: manager (statistics), finance (receivables) and admin. Clerks and reviewers read reports.
 */
export const REPORT_MAKER_ROLES: readonly Role[] = ['manager', 'finance', 'admin'];

export function requireMakeReport(principal: Principal): void {
  if (!principal.roles.some((r) => REPORT_MAKER_ROLES.includes(r))) {
    throw new ApiError(403, 'forbidden', 'Making a report needs the manager, finance or admin role.');
  }
}

/** The requested period, or 400 naming `period`; a period that has not started yet has nothing to report. */
export function reportPeriod(label: string, today: string): Period {
  let period: Period;
  try {
    period = parsePeriod(label);
  } catch (err) {
    if (err instanceof DomainError)
      throw new ApiError(400, 'invalid', `The request body is invalid: ${err.message}.`, [
        { field: 'body.period', message: err.message },
      ]);
    throw err;
  }
  if (period.from > today) {
    throw new ApiError(400, 'invalid', `The request body is invalid: period ${label} has not started yet.`, [
      { field: 'body.period', message: `period ${label} has not started yet` },
    ]);
  }
  return period;
}

export async function createReport(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  const principal = await authenticate(req);
  requireMakeReport(principal);
  const body = await readJsonBody(req, reportRequest);
  const now = new Date();
  const period = reportPeriod(body.period, now.toISOString().slice(0, 10));
  const info: ReportInfo = reportInfoOf(
    await makeReport(period, principal.userId, now),
    new URL('/api/', req.url).href,
  );
  return { status: 201, jsonBody: { reportId: info.reportId, url: info.url }, headers: { Location: info.url } };
}

export const createReportRoute: Route = {
  name: 'createReport',
  methods: ['POST'],
  route: 'reports',
  handler: createReport,
};
