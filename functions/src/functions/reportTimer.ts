// Timers: at 02:00 UTC on the 1st of each month the previous month's report, on the first day of a quarter the
// previous quarter's, on 1 January the previous year's. Each makes its period's report once: a second run (the same
// day, or a catch-up at the next start of the local host) finds the timer's report stored and adds no version. A
// catch-up (a past-due run) is made only by a timer that has made a report before: on a store that never ran the
// timers (a fresh `npm start`), there is no missed run to make up, and the first report comes on schedule.
import type { InvocationContext, Timer } from '@azure/functions';
import type { PeriodKind } from '../../../shared/dates';
import { duePeriod, listReports, makeReport } from '../reports/service';
import type { StoredReport } from '../reports/reportStore';
import type { TimerJob } from '../timerJob';

/** Who the timers' reports are made by, in metadata and document properties. */
export const TIMER_USERS: Record<PeriodKind, string> = {
  month: 'timer:monthlyReport',
  quarter: 'timer:quarterlyReport',
  year: 'timer:annualReport',
};
export const TIMER_USER = TIMER_USERS.month;

/**
 * Makes the report of the period of `kind` due at `now` (duePeriod), unless this timer already made one: returns the
 * report made, or undefined when there was nothing to do. Reports made by hand do not count: the scheduled version
 * is made anyway. `pastDue` (a catch-up) makes nothing unless this timer has made a report of some period before.
 */
export async function scheduledReport(
  kind: PeriodKind,
  ctx: InvocationContext,
  now: Date = new Date(),
  options: { pastDue?: boolean } = {},
): Promise<StoredReport | undefined> {
  const period = duePeriod(kind, now);
  const user = TIMER_USERS[kind];
  if (options.pastDue === true && !(await listReports()).some((r) => r.createdBy === user)) {
    ctx.log(`${user} has never made a report here: nothing to catch up; the first one comes on schedule.`);
    return undefined;
  }
  const existing = (await listReports(period.label)).find((r) => r.createdBy === user);
  if (existing !== undefined) {
    ctx.log(`Report ${existing.reportId} was made by ${user} at ${existing.createdAt}; nothing to do.`);
    return undefined;
  }
  const report = await makeReport(period, user, now);
  ctx.log(`Made report ${report.reportId} (${report.sizeBytes} bytes) at ${report.blobName}.`);
  return report;
}

export async function monthlyReport(timer: Timer, ctx: InvocationContext, now: Date = new Date()): Promise<void> {
  await scheduledReport('month', ctx, now, { pastDue: timer.isPastDue === true });
}

export const monthlyReportTimer: TimerJob = {
  name: 'monthlyReport',
  schedule: '0 0 2 1 * *',
  handler: (timer, ctx) => monthlyReport(timer, ctx),
  catchUp: true,
};

export const quarterlyReportTimer: TimerJob = {
  name: 'quarterlyReport',
  schedule: '0 0 2 1 1,4,7,10 *',
  handler: async (timer, ctx) =>
    void (await scheduledReport('quarter', ctx, new Date(), { pastDue: timer.isPastDue === true })),
  catchUp: true,
};

export const annualReportTimer: TimerJob = {
  name: 'annualReport',
  schedule: '0 0 2 1 1 *',
  handler: async (timer, ctx) =>
    void (await scheduledReport('year', ctx, new Date(), { pastDue: timer.isPastDue === true })),
  catchUp: true,
};
