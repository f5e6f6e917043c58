// Tests for local/scheduler.ts: jobs run on schedule, by hand, never overlapping, and stop cleanly.
import { startTimerScheduler } from '../../local/scheduler';
import type { TimerJob } from '../../functions/src/timers';

describe('timer scheduler', () => {
  it('runs a job on its schedule and by hand', async () => {
    const runs: { pastDue: boolean; name: string }[] = [];
    const job: TimerJob = {
      name: 'tick',
      schedule: '* * * * * *',
      handler: (timer, ctx) => {
        runs.push({ pastDue: timer.isPastDue, name: ctx.functionName });
        return Promise.resolve();
      },
    };
    const scheduler = startTimerScheduler([job]);
    try {
      expect(scheduler.next().tick).toBeInstanceOf(Date);
      await new Promise((r) => setTimeout(r, 2300));
      expect(runs.length).toBeGreaterThanOrEqual(1);
      const before = runs.length;
      await scheduler.trigger('tick');
      expect(runs.length).toBe(before + 1);
      expect(runs[0]).toEqual({ pastDue: false, name: 'tick' });
      await expect(scheduler.trigger('nope')).rejects.toThrow(/No timer job named nope/);
    } finally {
      await scheduler.stop();
    }
    const after = runs.length;
    await new Promise((r) => setTimeout(r, 1200));
    expect(runs.length).toBe(after);
  });

  it('does not overlap a running job and survives a failing one', async () => {
    const errorSpy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    let active = 0;
    let maxActive = 0;
    let calls = 0;
    const scheduler = startTimerScheduler([
      {
        name: 'slow',
        schedule: '0 0 0 1 1 *',
        handler: async (_t, _ctx) => {
          calls++;
          active++;
          maxActive = Math.max(maxActive, active);
          await new Promise((r) => setTimeout(r, 100));
          active--;
          throw new Error('job failed');
        },
      },
    ]);
    await Promise.all([scheduler.trigger('slow'), scheduler.trigger('slow')]);
    expect(maxActive).toBe(1);
    expect(calls).toBe(1);
    await scheduler.trigger('slow'); // runs again after the failure
    expect(calls).toBe(2);
    expect(errorSpy).toHaveBeenCalledWith('Timer slow failed:', expect.any(Error));
    errorSpy.mockRestore();
    await scheduler.stop();
  });

  it('refuses a bad schedule at startup', () => {
    expect(() =>
      startTimerScheduler([{ name: 'bad', schedule: '0 0 2 1 *', handler: () => Promise.resolve() }]),
    ).toThrow(/6 fields/);
  });
});
