// The one timer table: every timer function, registered with app.timer for Azure and run by the local host's scheduler.
import { figuresRepairTimer } from './functions/figuresRepairTimer';
import { annualReportTimer, monthlyReportTimer, quarterlyReportTimer } from './functions/reportTimer';
import type { TimerJob } from './timerJob';

export type { TimerJob } from './timerJob';

/** Append timer jobs here (e.g. the monthly report at `0 0 2 1 * *`). */
export const timers: TimerJob[] = [monthlyReportTimer, figuresRepairTimer, quarterlyReportTimer, annualReportTimer];
