// The engine's timing defaults with Jest's fake clock and a recording transport: calls within 100 ms share one batch,
// later ones make the next; more than 5,000 distinct calls split into requests of 5,000; streaming formulas check the
// stamp every 30 s and nothing else while it is unchanged.
import { MAX_FIGURE_QUERIES, type FigureQueryInput, type FiguresBatchResponse } from '../../../shared/api';
import { DEFAULT_POLL_MS, DEFAULT_WINDOW_MS, FigureEngine, type Answer } from '../../../addin/src/functions/engine';
import type { FiguresTransport } from '../../../addin/src/functions/transport';

/** Answers every query with its position in the batch; records what was sent. */
function recordingTransport(): FiguresTransport & { batches: FigureQueryInput[][]; stamps: number } {
  const t = {
    batches: [] as FigureQueryInput[][],
    stamps: 0,
    batch(queries: readonly FigureQueryInput[]): Promise<FiguresBatchResponse> {
      t.batches.push([...queries]);
      return Promise.resolve({
        generation: 'g1',
        results: queries.map((_q, i) => ({ status: 'ok' as const, value: `${i}.00` })),
      });
    },
    stamp() {
      t.stamps++;
      return Promise.resolve({ changed: false as const });
    },
  };
  return t;
}

const q = (n: number): FigureQueryInput => ({ kind: 'invoiceFindings', invoiceNo: `I${n}` });

describe('FigureEngine timing', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('collects calls for 100 ms into one batch; a call after the window goes in the next', async () => {
    expect(DEFAULT_WINDOW_MS).toBe(100);
    const t = recordingTransport();
    const engine = new FigureEngine();
    engine.connect(t);
    const answers: Promise<Answer>[] = [engine.ask(q(1))];
    await jest.advanceTimersByTimeAsync(99);
    answers.push(engine.ask(q(2)), engine.ask(q(1)));
    expect(t.batches).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(t.batches).toEqual([[q(1), q(2)]]); // the same formula twice is asked once
    answers.push(engine.ask(q(3)));
    await jest.advanceTimersByTimeAsync(100);
    expect(t.batches).toHaveLength(2);
    expect((await Promise.all(answers)).map((a) => (a.kind === 'value' ? a.value : a.message))).toEqual([0, 1, 0, 0]);
    engine.dispose();
  });

  it('splits a wave of more than 5,000 distinct calls into requests of 5,000', async () => {
    const t = recordingTransport();
    const engine = new FigureEngine();
    engine.connect(t);
    const all = Array.from({ length: MAX_FIGURE_QUERIES + 1000 }, (_, i) => engine.ask(q(i)));
    await jest.advanceTimersByTimeAsync(100);
    await Promise.all(all);
    expect(t.batches.map((b) => b.length)).toEqual([MAX_FIGURE_QUERIES, 1000]);
    engine.dispose();
  });

  it('checks the stamp every 30 s while streaming formulas run, and asks for no figure while it is unchanged', async () => {
    expect(DEFAULT_POLL_MS).toBe(30_000);
    const t = recordingTransport();
    const engine = new FigureEngine();
    engine.connect(t);
    const shown: Answer[] = [];
    const stop = engine.subscribe(q(7), (a) => shown.push(a));
    await jest.advanceTimersByTimeAsync(100);
    expect(shown).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(29_800);
    expect(t.stamps).toBe(0);
    await jest.advanceTimersByTimeAsync(200);
    expect(t.stamps).toBe(1);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(t.stamps).toBe(3);
    expect(t.batches).toHaveLength(1);
    stop();
    await jest.advanceTimersByTimeAsync(120_000);
    expect(t.stamps).toBe(3);
    engine.dispose();
  });

  it('does not check the stamp while the first answer is on its way (its answer brings the stamp)', async () => {
    const t = recordingTransport();
    const batch = t.batch.bind(t);
    // The API takes 500 ms to answer; the poller runs every 150 ms.
    t.batch = (queries) => new Promise((resolve) => setTimeout(() => resolve(batch(queries)), 500));
    const engine = new FigureEngine({ pollMs: 150 });
    engine.connect(t);
    const shown: Answer[] = [];
    engine.subscribe(q(1), (a) => shown.push(a));
    await jest.advanceTimersByTimeAsync(590);
    expect(shown).toHaveLength(0);
    expect(t.stamps).toBe(0);
    await jest.advanceTimersByTimeAsync(20);
    expect(shown).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(300);
    expect(t.stamps).toBeGreaterThanOrEqual(1);
    expect(t.batches).toHaveLength(1);
    engine.dispose();
  });
});
