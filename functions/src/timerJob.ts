// What a timer function is: its own module so the timer functions and the timer table (timers.ts) do not import each other.
import type { InvocationContext, Timer } from '@azure/functions';

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
