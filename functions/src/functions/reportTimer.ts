// Timer: at 02:00 UTC on the 1st of each month, makes the previous month's report.
import type { InvocationContext, Timer } from '@azure/functions';
import { parsePeriod } from '../../../shared/dates';
import { makeReport, timerReportPeriod } from '../reports/service';
import type { TimerJob } from '../timers';

/** Who the timer's reports are made by, in metadata and document properties. */
export const TIMER_USER = 'timer:monthlyReport';

export async function monthlyReport(_timer: Timer, ctx: InvocationContext, now: Date = new Date()): Promise<void> {
  // The run time, not the schedule time, picks the month: a run that is late by hours (past due) is still on the
  // 1st or later in the same month, so "the month before" is the same.
  const period = parsePeriod(timerReportPeriod(now));
  const report = await makeReport(period, TIMER_USER, now);
  ctx.log(`Made report ${report.reportId} (${report.sizeBytes} bytes) at ${report.blobName}.`);
}

export const monthlyReportTimer: TimerJob = {
  name: 'monthlyReport',
  schedule: '0 0 2 1 * *',
  handler: (timer, ctx) => monthlyReport(timer, ctx),
};
