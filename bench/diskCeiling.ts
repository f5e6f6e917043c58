// How far the local mode carries: Azurite on disk (as `npm start` runs it), loaded year after year with the demo's
// data through the PUT and approval services, until one approval request of 5,000 rows takes longer than 60 s.
//
// `npx tsx bench/diskCeiling.ts [--contracts N] [--max-rows N] [--budget-min N]`: each round writes one more demo year
// of N contracts (default 2,000, about 24,000 rows) and approves it in requests of 5,000 rows, parents first (below
// about 1,700 contracts no ledger of a round reaches 5,000 rows, so the requests measured are smaller); it
// prints the rows stored so far, the slowest approval request of the round and the size of Azurite's table database
// file (which Azurite re-serialises whole every 5 seconds). It stops at the first request over 60 s, or at the row
// or time budget. Not part of `npm run bench`: it runs for tens of minutes.

import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MAX_KEYS_PER_APPROVAL, MAX_ROWS_PER_REQUEST } from '../shared/api';
import { LEDGERS, type LedgerName } from '../shared/ledgers';
import { demoDataset } from '../local/demo/dataset';
import { registerFigureProjection } from '../functions/src/figures/projection';
import { approveRows } from '../functions/src/services/approvals';
import { putRows } from '../functions/src/services/putRows';
import { withAzurite } from './support';

const LIMIT_S = 60;

async function dbBytes(dir: string): Promise<number> {
  try {
    return (await stat(path.join(dir, '__azurite_db_table__.json'))).size;
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      contracts: { type: 'string', default: '2000' },
      'max-rows': { type: 'string', default: '400000' },
      'budget-min': { type: 'string', default: '45' },
    },
  });
  const contracts = Number(values.contracts);
  const maxRows = Number(values['max-rows']);
  const budgetMs = Number(values['budget-min']) * 60_000;
  const started = Date.now();
  const unregister = registerFigureProjection();
  try {
    await withAzurite('disk', { inMemory: false }, async ({ dir }) => {
      let stored = 0;
      for (let round = 0; ; round++) {
        const { ledgers } = demoDataset({ year: 2000 + round, contracts, seed: 2016 + round });
        let slowest = { s: 0, ledger: '' as LedgerName | '', rows: 0 };
        let written = 0;
        const roundStart = Date.now();
        for (const { name } of LEDGERS) {
          const rows = ledgers[name];
          const seen: { key: string; etag: string }[] = [];
          for (let i = 0; i < rows.length; i += MAX_ROWS_PER_REQUEST) {
            for (const r of await putRows(name, rows.slice(i, i + MAX_ROWS_PER_REQUEST), 'disk.clerk')) {
              if (r.status === 'created') written++;
              if (r.key !== null && r.etag !== undefined && r.status !== 'unchanged')
                seen.push({ key: r.key, etag: r.etag });
            }
          }
          for (let i = 0; i < seen.length; i += MAX_KEYS_PER_APPROVAL) {
            const chunk = seen.slice(i, i + MAX_KEYS_PER_APPROVAL);
            const t = performance.now();
            const outcome = await approveRows(name, chunk, 'disk.reviewer');
            const s = (performance.now() - t) / 1000;
            // A request that approved less than it was sent would time a different request.
            const refused = outcome.results.find((r) => r.status !== 'approved');
            if (refused !== undefined) throw new Error(`approve ${name}: ${JSON.stringify(refused)}`);
            if (outcome.listenerFailures.length > 0) throw outcome.listenerFailures[0] as Error;
            if (s > slowest.s) slowest = { s, ledger: name, rows: chunk.length };
          }
        }
        stored += written;
        const mb = (await dbBytes(dir)) / 1e6;
        console.log(
          `round ${round + 1}: ${stored} rows stored (+${written} in ${((Date.now() - roundStart) / 1000).toFixed(0)} s); ` +
            `slowest approval request ${slowest.s.toFixed(1)} s (${slowest.rows} ${slowest.ledger}); ` +
            `table database ${mb.toFixed(0)} MB`,
        );
        if (slowest.s > LIMIT_S) {
          console.log(`ceiling: a ${slowest.rows}-row approval took over ${LIMIT_S} s with ${stored} rows stored`);
          return;
        }
        if (stored >= maxRows || Date.now() - started > budgetMs) {
          console.log(
            `stopped at the row or time budget: no approval request passed ${LIMIT_S} s up to ${stored} rows`,
          );
          return;
        }
      }
    });
  } finally {
    unregister();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
