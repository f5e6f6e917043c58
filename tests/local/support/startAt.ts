// Test helper (not a test): `npm start`'s launcher with its port search starting at argv[2] instead of the well-known
// ports (10000-10002, 7071, 3000), which tests must never bind: blob, queue, table, API and pane from there upwards.
import { main, reportStartFailure } from '../../../local/start';

const base = Number(process.argv[2]);
if (!Number.isInteger(base) || base < 1024 || base > 65000)
  throw new Error(`usage: startAt.ts <base port>, not ${process.argv[2]}`);
main({ blob: base, queue: base + 1, table: base + 2, api: base + 3, pane: base + 4 }).catch(reportStartFailure);
