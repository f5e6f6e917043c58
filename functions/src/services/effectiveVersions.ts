// The hook "version V of row K became effective": how rollups and other projections learn about approvals.

import type { LedgerName, LedgerRecord } from '../../../shared/ledgers';

/** One row's approved version changed: `before` stopped counting for figures and `after` started. */
export interface EffectiveVersionEvent<L extends LedgerName = LedgerName> {
  ledger: L;
  key: string;
  /** History version (sequence number) of the version that became effective. */
  version: number;
  /** The approved version until now; undefined for a row approved for the first time. */
  before: LedgerRecord<L> | undefined;
  after: LedgerRecord<L>;
  approvedBy: string;
  approvedAt: string;
}

/**
 * Called after the approvals of one request are committed, with all their events at once (so a rollup can apply
 * them in one read-modify-write per bucket). Delivery is at least once: the approval records its events as intents
 * before committing and deletes them only when every listener took them, so events of a request that died or a
 * listener that failed are replayed later (projection.ts, replayApprovalIntents). Listeners must be idempotent.
 */
export type EffectiveVersionListener = (events: readonly EffectiveVersionEvent[]) => Promise<void> | void;

const listeners: EffectiveVersionListener[] = [];

/** Registers a listener; returns the function that removes it. */
export function onVersionEffective(listener: EffectiveVersionListener): () => void {
  listeners.push(listener);
  return () => {
    const at = listeners.indexOf(listener);
    if (at >= 0) listeners.splice(at, 1);
  };
}

/**
 * Runs every listener on `events`. A listener's failure is logged and does not undo or fail the approval, which is
 * already committed; the failures are returned for the caller to log with its context.
 */
export async function publishEffective(events: readonly EffectiveVersionEvent[]): Promise<unknown[]> {
  if (events.length === 0) return [];
  const failures: unknown[] = [];
  for (const listener of [...listeners]) {
    try {
      await listener(events);
    } catch (err) {
      failures.push(err);
    }
  }
  return failures;
}
