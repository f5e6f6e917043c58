// Helpers shared by benchmarks: a seeded random generator and a best-of-n timer.

/** The demo data's seeded PRNG (mulberry32), so generated ledgers are the same in every run. */
export { mulberry32 as seeded } from '../functions/src/demo/dataset';

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
