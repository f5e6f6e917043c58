// Helpers shared by benchmarks: a seeded random generator, a best-of-n timer and a throwaway Azurite.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TableTransaction, type TableClient } from '@azure/data-tables';
import { loadConfig, setConfigForTests } from '../functions/src/config';
import { startAzurite } from '../local/azurite';
import { mapLimit } from '../functions/src/store/parallel';

/** The demo data's seeded PRNG (mulberry32), so generated ledgers are the same in every run. */
export { mulberry32 as seeded } from '../local/demo/dataset';

/** An integer in [min, max]. */
export function intIn(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** The best of `runs` timings in milliseconds (after one warm-up), and the last result. */
export function best<T>(runs: number, fn: () => T): { ms: number; result: T } {
  let result = fn();
  let ms = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    result = fn();
    ms = Math.min(ms, performance.now() - start);
  }
  return { ms, result };
}

export function fmt(ms: number): string {
  return `${ms.toFixed(1)} ms`;
}

export interface BenchAzurite {
  /** The run's temporary folder (removed afterwards). */
  dir: string;
  /** The dev signing key file the configuration names, inside `dir`. */
  keyFile: string;
  connectionString: string;
}

/**
 * Runs `fn` against an Azurite of its own in a temporary folder (in memory or on disk there), with the configuration
 * pointing at it (tables named with `tablePrefix`, the dev signing key file in the folder); then clears the
 * configuration, stops Azurite and removes the folder, whatever `fn` did.
 */
export async function withAzurite<T>(
  tablePrefix: string,
  options: { inMemory: boolean },
  fn: (azurite: BenchAzurite) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `ledgerdesk-bench-${tablePrefix}-`));
  const azurite = await startAzurite({ location: dir, inMemory: options.inMemory });
  const keyFile = path.join(dir, 'dev-signing-key.json');
  try {
    setConfigForTests(
      loadConfig({
        LEDGERDESK_MODE: 'local',
        LEDGERDESK_STORAGE_CONNECTION: azurite.connectionString,
        LEDGERDESK_TABLE_PREFIX: tablePrefix,
        LEDGERDESK_DEV_SIGNING_KEY_FILE: keyFile,
      }),
    );
    return await fn({ dir, keyFile, connectionString: azurite.connectionString });
  } finally {
    setConfigForTests(undefined);
    await azurite.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Writes `entities` to `table` in raw entity-group transactions, with no reads and no checks: up to 100 entities of
 * one partition each (in their given order), `concurrency` transactions in flight, ordered round-robin over the
 * partitions so those in flight hit different partitions (the best order for raw writes). `add` puts one entity in a
 * transaction (an insert unless told). Returns the milliseconds taken.
 */
export async function submitInTransactions<E extends { partitionKey: string; rowKey: string }>(
  table: TableClient,
  entities: readonly E[],
  concurrency: number,
  add: (tx: TableTransaction, entity: E) => void = (tx, e) => tx.createEntity(e),
): Promise<number> {
  const byPartition = new Map<string, E[]>();
  for (const e of entities) {
    const list = byPartition.get(e.partitionKey);
    if (list === undefined) byPartition.set(e.partitionKey, [e]);
    else list.push(e);
  }
  const perPartition = [...byPartition.values()].map((list) => {
    const chunks: E[][] = [];
    for (let i = 0; i < list.length; i += 100) chunks.push(list.slice(i, i + 100));
    return chunks;
  });
  const batches: E[][] = [];
  for (let round = 0; perPartition.some((c) => c.length > round); round++) {
    for (const chunks of perPartition) if (chunks[round]) batches.push(chunks[round] as E[]);
  }
  const t = performance.now();
  await mapLimit(batches, concurrency, async (batch) => {
    const tx = new TableTransaction();
    for (const e of batch) add(tx, e);
    await table.submitTransaction(tx.actions);
  });
  return performance.now() - t;
}
