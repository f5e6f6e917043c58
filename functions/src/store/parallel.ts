// Bounded concurrency for storage round trips: enough in flight to hide latency, never thousands at once.

/** Maps `items` through `fn` with at most `limit` calls in flight; results keep the input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T, i);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Shares reads of a value between concurrent callers without ever handing a caller a read that started before it
 * asked: with no read in flight a caller starts one; callers arriving while one is in flight share ONE follow-up read,
 * which starts when that read settles, or after `maxWaitMs` if it is slow (a stalled store: the follow-up then queues
 * early instead of behind everything sent during the stall). So a change committed before a call began is always seen
 * by that call, and n concurrent callers cost a few reads instead of n. A failed read fails only its callers.
 */
export function freshReads<T>(read: () => Promise<T>, maxWaitMs = 10): () => Promise<T> {
  let current: Promise<T> | undefined;
  let following: Promise<T> | undefined;
  const start = (): Promise<T> => {
    const p = read();
    current = p;
    const clear = (): void => {
      if (current === p) current = undefined;
    };
    p.then(clear, clear);
    return p;
  };
  return () => {
    const inFlight = current;
    if (inFlight === undefined) return start();
    following ??= new Promise<T>((resolve, reject) => {
      let started = false;
      const go = (): void => {
        if (started) return;
        started = true;
        clearTimeout(timer);
        following = undefined; // callers from now on need a read that starts after them
        start().then(resolve, reject);
      };
      const timer = setTimeout(go, maxWaitMs);
      inFlight.then(go, go);
    });
    return following;
  };
}
