// Timer: every 5 minutes, the figures repair (projection.ts): replays approvals whose request died before the figures
// took them and drains the journals they left, deletes the journals of applied deltas, old rollup markers and finished
// claims. Usually finds nothing: a few small queries (intents, claims, markers in both rollup tables).
import type { InvocationContext, Timer } from '@azure/functions';
import { repairFigures } from '../figures/projection';
import type { TimerJob } from '../timerJob';

export async function figuresRepair(_timer: Timer, ctx: InvocationContext, now: Date = new Date()): Promise<void> {
  const { replayed, dropped, markersDeleted } = await repairFigures(now);
  if (replayed + dropped + markersDeleted > 0)
    ctx.log(
      `Figures repair: ${replayed} interrupted approvals projected, ${dropped} intents of uncommitted approvals dropped, ${markersDeleted} old rollup markers deleted.`,
    );
}

export const figuresRepairTimer: TimerJob = {
  name: 'figuresRepair',
  schedule: '0 */5 * * * *',
  handler: (timer, ctx) => figuresRepair(timer, ctx),
};
