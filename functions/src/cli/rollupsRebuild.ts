// `npm run rollups:rebuild`: recomputes the contract index and the statistics rollups from the ledgers' approved rows.
import { getConfig } from '../config';
import { drainUnappliedDeltas } from '../figures/projection';
import { rebuildFromLedgers } from '../figures/rebuild';

async function main(): Promise<void> {
  getConfig(); // a configuration error names the setting before anything is read
  const started = Date.now();
  const log = (message: string): void => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${message}`);
  const report = await rebuildFromLedgers(log);
  // Nothing should be left, but an approval during the rebuild may have left a rollup journal: apply it.
  const drained = await drainUnappliedDeltas();
  log(
    `done: ${report.records} approved records, ${report.indexEntities} contract index entities, ` +
      `${report.rollupEntities} rollup entities written; ${report.deleted} old entities deleted; ${drained} deltas drained`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
