// Per-process caches of figure inputs and results, valid while the stamps they were loaded under are unchanged.
//
// The figures generation stamp (rollupStore.ts) is replaced after every change to the contract index and after every
// rollup delta is applied; the ledger write stamps (store/ledgerStamps.ts), after writes of pending versions and
// rejections. The generation a value is kept under is one such stamp or several joined (ledgerView.pendingGeneration).
// A reader reads the stamps BEFORE the data it caches: a change committed meanwhile replaces a stamp, so the next
// reader loads again. Each instance compares with the stamp in storage, so several instances stay exact.
// Concurrent readers of one key under one stamp share one load; a failed load is not kept; the least recently used
// key is dropped beyond the bound. Cached values are shared between requests: callers must not mutate them.

export class GenerationCache<V> {
  private readonly entries = new Map<string, { generation: string; value: Promise<V> }>();
  /** Loads done through this cache (tests check hits). */
  loads = 0;

  constructor(private limit: number) {}

  /**
   * The value of `key` loaded under `generation`, or a fresh load (kept for the next reader). No generation (no
   * stamp written yet): load every time and keep nothing.
   */
  get(generation: string | undefined, key: string, load: () => Promise<V>): Promise<V> {
    if (generation === undefined) {
      this.loads++;
      return load();
    }
    const cached = this.entries.get(key);
    if (cached !== undefined) this.entries.delete(key); // re-inserted below: most recently used last
    if (cached?.generation === generation) {
      this.entries.set(key, cached);
      return cached.value;
    }
    this.loads++;
    const entry = { generation, value: load() };
    this.entries.set(key, entry);
    while (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as string);
    entry.value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return entry.value;
  }

  get size(): number {
    return this.entries.size;
  }

  /** A new bound (tests); entries beyond it go at the next insert. */
  setLimit(limit: number): void {
    this.limit = limit;
  }

  clear(): void {
    this.entries.clear();
  }
}
