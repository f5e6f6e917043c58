// Local timer scheduler: runs the timer table on its NCRONTAB schedules (UTC) and lets a person trigger a job by hand.
import { randomUUID } from 'node:crypto';
import { InvocationContext, type Timer } from '@azure/functions';
import type { TimerJob } from '../functions/src/timerJob';
import { nextOccurrence, parseNcrontab, type Schedule } from './ncrontab';

/** setTimeout's ceiling (about 24.8 days); longer waits are chained. */
const MAX_DELAY = 2 ** 31 - 1;

export interface TimerScheduler {
  /** Runs a job now, as a timer firing would; resolves when it finishes. Throws for an unknown name. */
  trigger(name: string): Promise<void>;
  /** Next planned run per job name. */
  next(): Record<string, Date | undefined>;
  /** Resolves when the catch-up runs made at start have finished. */
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
}

interface State {
  job: TimerJob;
  schedule: Schedule;
  next?: Date;
  last?: Date;
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
}

export interface SchedulerOptions {
  /** Run the jobs marked `catchUp` once at start (past due), for a run missed while the host was down. */
  catchUp?: boolean;
}

export function startTimerScheduler(
  jobs: readonly TimerJob[],
  now: () => Date = () => new Date(),
  options: SchedulerOptions = {},
): TimerScheduler {
  // Parse everything first: a bad schedule is a startup error, as it is for the Functions host.
  const states = new Map<string, State>();
  for (const job of jobs) {
    if (states.has(job.name)) throw new Error(`Two timer jobs are named ${job.name}.`);
    states.set(job.name, { job, schedule: parseNcrontab(job.schedule) });
  }
  let stopped = false;

  async function run(state: State, isPastDue: boolean): Promise<void> {
    // Azure timers are singletons: an occurrence that comes while the job still runs is skipped, not overlapped.
    if (state.running) return state.running;
    const timer: Timer = {
      isPastDue,
      schedule: { adjustForDST: false },
      scheduleStatus: {
        last: (state.last ?? new Date(0)).toISOString(),
        next: (state.next ?? now()).toISOString(),
        lastUpdated: now().toISOString(),
      },
    };
    const ctx = new InvocationContext({
      functionName: state.job.name,
      invocationId: randomUUID(),
      options: { trigger: { type: 'timerTrigger', name: 'timer' } },
    });
    state.running = (async () => {
      try {
        await state.job.handler(timer, ctx);
      } catch (err) {
        ctx.error(`Timer ${state.job.name} failed:`, err);
      } finally {
        state.last = now();
        state.running = undefined;
      }
    })();
    return state.running;
  }

  function plan(state: State): void {
    if (stopped) return;
    state.next = nextOccurrence(state.schedule, now());
    if (state.next === undefined) return;
    const wait = () => {
      const delay = state.next!.getTime() - now().getTime();
      if (delay > MAX_DELAY) {
        state.timer = setTimeout(wait, MAX_DELAY);
        return;
      }
      state.timer = setTimeout(
        () => {
          void run(state, false).then(() => plan(state));
        },
        Math.max(0, delay),
      );
    };
    wait();
  }

  for (const state of states.values()) plan(state);
  // Catch-up runs after planning, so a scheduled occurrence that comes while one runs is skipped, not doubled.
  const caughtUp: Promise<void>[] = [];
  if (options.catchUp === true) {
    for (const state of states.values()) if (state.job.catchUp === true) caughtUp.push(run(state, true));
  }

  return {
    trigger: async (name) => {
      const state = states.get(name);
      if (state === undefined) throw new Error(`No timer job named ${name}.`);
      await run(state, false);
    },
    next: () => Object.fromEntries([...states].map(([name, s]) => [name, s.next])),
    caughtUp: async () => {
      await Promise.all(caughtUp);
    },
    stop: async () => {
      stopped = true;
      for (const s of states.values()) clearTimeout(s.timer);
      await Promise.all([...states.values()].flatMap((s) => (s.running ? [s.running] : [])));
    },
  };
}
