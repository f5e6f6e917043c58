// Benchmark entry point (`npm run bench [-- name ...]`): runs every bench/*.bench.ts module, or those named.
//
// Convention: a benchmark is a file bench/<name>.bench.ts exporting `run(): Promise<void>` that prints its own
// figures and ratios measured in the same run. Adding a file is all it takes to register one.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';

interface BenchModule {
  run(): Promise<void>;
}

function isBenchModule(m: unknown): m is BenchModule {
  return typeof m === 'object' && m !== null && typeof (m as { run?: unknown }).run === 'function';
}

async function main(): Promise<void> {
  const all = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .map((f) => f.slice(0, -'.bench.ts'.length))
    .sort();
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !all.includes(w));
  if (unknown.length > 0) throw new Error(`unknown benchmark(s) ${unknown.join(', ')}; available: ${all.join(', ')}`);
  for (const name of wanted.length > 0 ? wanted : all) {
    const m: unknown = await import(join(__dirname, `${name}.bench.ts`));
    if (!isBenchModule(m)) throw new Error(`bench/${name}.bench.ts does not export run(): Promise<void>`);
    console.log(`\n== ${name}`);
    await m.run();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
