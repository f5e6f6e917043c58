// The one timer table: every timer function, registered with app.timer for Azure and run by the local host's scheduler.
import type { InvocationContext, Timer } from '@azure/functions';
import { figuresRepairTimer } from './functions/figuresRepairTimer';
import { annualReportTimer, monthlyReportTimer, quarterlyReportTimer } from './functions/reportTimer';

export interface TimerJob {
  /** Function name in Azure; unique, also among routes. */
  name: string;
  /** Six-field NCRONTAB in UTC: `{second} {minute} {hour} {day} {month} {day-of-week}`, e.g. `0 0 2 1 * *`. */
  schedule: string;
  handler: (timer: Timer, ctx: InvocationContext) => Promise<void>;
  /**
   * Run once when the local host starts, marked past due, so a run missed while it was down is made then. Only for
   * handlers that do nothing when their run was already made.
   */
  catchUp?: boolean;
}

/** Append timer jobs here (e.g. the monthly report at `0 0 2 1 * *`). */
export const timers: TimerJob[] = [monthlyReportTimer, figuresRepairTimer, quarterlyReportTimer, annualReportTimer];
