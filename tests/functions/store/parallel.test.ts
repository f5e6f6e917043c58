// Tests for functions/src/store/parallel.ts: bounded mapping and fresh shared reads.
import { freshReads, mapLimit } from '../../../functions/src/store/parallel';

/** A read whose answer the test gives: each call is recorded with the value the "store" held when it started. */
function controlledStore() {
  let value = 0;
  const reads: { startedAt: number; resolve: () => void; reject: (e: Error) => void }[] = [];
  const read = (): Promise<number> =>
    new Promise<number>((resolve, reject) => {
      const startedAt = value;
      reads.push({ startedAt, resolve: () => resolve(startedAt), reject });
    });
  return { reads, read, set: (v: number) => (value = v) };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('freshReads', () => {
  it('shares one read between callers that arrive together, and one follow-up between later arrivals', async () => {
    const store = controlledStore();
    const get = freshReads(store.read, 60_000);
    const first = [get(), get()]; // no read in flight: the first starts one ...
    expect(store.reads).toHaveLength(1); // ... and the second, arriving while it runs, waits for a follow-up
    const later = [get(), get(), get()];
    expect(store.reads).toHaveLength(1);
    store.reads[0]!.resolve();
    await expect(first[0]).resolves.toBe(0);
    await tick();
    expect(store.reads).toHaveLength(2); // one follow-up read for all four waiting callers
    store.reads[1]!.resolve();
    await expect(Promise.all([first[1], ...later])).resolves.toEqual([0, 0, 0, 0]);
  });

  it('never gives a caller a read that started before it asked', async () => {
    const store = controlledStore();
    const get = freshReads(store.read, 60_000);
    const early = get(); // reads while the store holds 0
    store.set(1); // a change commits while that read is in flight
    const late = get(); // asked after the change: must see it
    store.reads[0]!.resolve();
    await expect(early).resolves.toBe(0);
    await tick();
    store.reads[1]!.resolve();
    await expect(late).resolves.toBe(1);
    expect(store.reads.map((r) => r.startedAt)).toEqual([0, 1]);
    // Nothing in flight: the next caller starts its own read.
    const next = get();
    expect(store.reads).toHaveLength(3);
    store.reads[2]!.resolve();
    await expect(next).resolves.toBe(1);
  });

  it('fails only the callers that shared a failed read; the follow-up still runs', async () => {
    const store = controlledStore();
    const get = freshReads(store.read, 60_000);
    const failing = get();
    const following = get();
    store.reads[0]!.reject(new Error('storage down'));
    await expect(failing).rejects.toThrow('storage down');
    await tick();
    expect(store.reads).toHaveLength(2);
    store.reads[1]!.resolve();
    await expect(following).resolves.toBe(0);
  });
  it('starts the follow-up after maxWaitMs when the read in flight is stalled, still after its callers asked', async () => {
    const store = controlledStore();
    const get = freshReads(store.read, 5);
    const stalled = get();
    store.set(1);
    const waiting = [get(), get()];
    expect(store.reads).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 30));
    expect(store.reads.map((r) => r.startedAt)).toEqual([0, 1]); // the follow-up went out while the first hangs
    store.reads[1]!.resolve();
    await expect(Promise.all(waiting)).resolves.toEqual([1, 1]);
    // The newest read settled; the stalled one no longer holds anyone up: the next caller reads at once.
    const next = get();
    expect(store.reads).toHaveLength(3);
    store.reads[2]!.resolve();
    await expect(next).resolves.toBe(1);
    store.reads[0]!.resolve();
    await expect(stalled).resolves.toBe(0);
  });
});

describe('mapLimit', () => {
  it('keeps the input order and never runs more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n, i) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, n));
      running--;
      return `${i}:${n}`;
    });
    expect(out).toEqual(['0:5', '1:1', '2:4', '3:2', '4:3']);
    expect(most).toBe(2);
  });
});
