// Helpers shared by benchmarks: a seeded random generator and a best-of-n timer.

/** mulberry32: a tiny seeded PRNG, so generated ledgers are the same in every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
