// The figures behind the LEDGERDESK functions: calls made within one window (a recalculation wave) go to the API as
// one batch request; streaming formulas are re-asked only after the figures generation stamp changed (a conditional
// request that answers 304 otherwise); when the API cannot be reached, each formula keeps its last good value and the
// engine reports since when the figures are stale. No Office.js here: plain TypeScript, tested against the real API.
import { MEASURE_LABELS, MEASURES } from '../../../shared/calc/statistics';
import { MAX_FIGURE_QUERIES, type FigureQueryInput, type FigureResult } from '../../../shared/api';
import { parseMoney, scaledToCellNumber } from '../../../shared/money';
import { FiguresRequestError, type FiguresTransport } from './transport';

export type CellValue = number | string;
export type FigureValue = CellValue | CellValue[][];

/** What a formula shows: a value (possibly the last good one, when stale) or an error with Excel's message. */
export type Answer =
  | { kind: 'value'; value: FigureValue; at: string; stale: boolean }
  | { kind: 'error'; code: 'invalidValue' | 'notAvailable'; message: string };

export type FiguresStatus = { state: 'fresh' } | { state: 'stale'; since: string };

export interface EngineOptions {
  /** How long calls are collected before one batch request goes out (a recalculation wave). Default 100 ms. */
  windowMs?: number;
  /** How often streaming formulas check the stamp (one conditional request for all of them). Default 30 s. */
  pollMs?: number;
  now?: () => Date;
}

export const DEFAULT_WINDOW_MS = 100;
export const DEFAULT_POLL_MS = 30_000;

/**
 * The header of a STATS array: the columns of /api/stats, labelled as the Statistics sheet labels them; the currency
 * of each row's amounts beside its group (a group with contracts in two currencies has two rows).
 */
export const STATS_HEADER: readonly string[] = [
  'Period',
  'Group',
  'Currency',
  ...MEASURES.map((m) => MEASURE_LABELS[m]),
];

const money = (s: string): number => scaledToCellNumber(parseMoney(s), 2);

/** A batch result as a cell value: money and counts as numbers, STATS as header + rows. */
export function cellValueOf(result: FigureResult): FigureValue {
  if (result.rows !== undefined)
    return [
      [...STATS_HEADER],
      ...result.rows.map((r) => [
        r.period,
        r.group ?? '(all)',
        r.currency ?? '',
        ...MEASURES.map((m) => (m === 'contractsSigned' ? r.contractsSigned : money(r[m]))),
      ]),
    ];
  const v = result.value;
  if (typeof v === 'string') return /^-?\d+\.\d{2}$/.test(v) ? money(v) : v;
  return v ?? '';
}

interface Waiting {
  query: FigureQueryInput;
  waiters: ((a: Answer) => void)[];
}

interface Subscription {
  key: string;
  query: FigureQueryInput;
  listener: (a: Answer) => void;
  /** What the formula shows now (JSON), so an unchanged answer is not set again. */
  shown: string | undefined;
  active: boolean;
}

export class FigureEngine {
  private transport: FiguresTransport | undefined;
  private readonly windowMs: number;
  private readonly pollMs: number;
  private readonly now: () => Date;
  private queue = new Map<string, Waiting>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private pollTimer: ReturnType<typeof setTimeout> | undefined;
  /** Per query: the last value the API gave and when. */
  private readonly lastGood = new Map<string, { value: FigureValue; at: string }>();
  private readonly subs = new Map<number, Subscription>();
  private nextSub = 1;
  /** The stamp of the figures shown (from the last batch); undefined: none known yet. */
  private generation: string | null | undefined;
  private staleSince: string | undefined;
  /** Batch requests sent and not answered yet. */
  private inFlight = 0;
  private readonly statusListeners = new Set<(s: FiguresStatus) => void>();

  constructor(options: EngineOptions = {}) {
    this.windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
    this.pollMs = options.pollMs ?? DEFAULT_POLL_MS;
    this.now = options.now ?? (() => new Date());
  }

  /** Signs the functions in (the pane's sign-in) or out (undefined); every streaming formula is asked again. */
  connect(transport: FiguresTransport | undefined): void {
    this.transport = transport;
    this.generation = undefined;
    void this.refreshAll();
    this.schedulePoll();
  }

  /** One figure, through the next batch. */
  ask(query: FigureQueryInput): Promise<Answer> {
    const key = JSON.stringify(query);
    return new Promise((resolve) => {
      let w = this.queue.get(key);
      if (w === undefined) this.queue.set(key, (w = { query, waiters: [] }));
      w.waiters.push(resolve);
      this.flushTimer ??= setTimeout(() => void this.flush(), this.windowMs);
    });
  }

  /** A streaming formula: `listener` gets the first answer, then each changed one; call the result to stop. */
  subscribe(query: FigureQueryInput, listener: (a: Answer) => void): () => void {
    const id = this.nextSub++;
    const sub: Subscription = { key: JSON.stringify(query), query, listener, shown: undefined, active: true };
    this.subs.set(id, sub);
    void this.ask(query).then((a) => this.show(sub, a));
    this.schedulePoll();
    return () => {
      sub.active = false;
      this.subs.delete(id);
      if (this.subs.size === 0) this.stopPolling();
    };
  }

  /** Streaming formulas now running. */
  get subscriptions(): number {
    return this.subs.size;
  }

  status(): FiguresStatus {
    return this.staleSince === undefined ? { state: 'fresh' } : { state: 'stale', since: this.staleSince };
  }

  onStatus(listener: (s: FiguresStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /**
   * One stamp check now (the poller calls this every pollMs while streaming formulas run): when the stamp moved,
   * every streaming formula is asked again, in one batch; when it did not, nothing else is requested.
   */
  async checkStamp(): Promise<'unchanged' | 'changed' | 'offline' | 'skipped'> {
    const transport = this.transport;
    if (transport === undefined || this.subs.size === 0) return 'skipped';
    // No stamp known yet but a batch on its way: its answer brings the stamp (asking now would re-ask everything).
    if (this.generation === undefined && (this.queue.size > 0 || this.inFlight > 0)) return 'skipped';
    try {
      const res = await transport.stamp(this.generation);
      if (!res.changed) {
        this.setStale(undefined);
        return 'unchanged';
      }
      // The batch that follows brings the new stamp.
      this.generation = undefined;
      await this.refreshAll();
      return 'changed';
    } catch (e) {
      if (!(e instanceof FiguresRequestError && e.offline)) throw e;
      this.markStale(this.oldestShown());
      return 'offline';
    }
  }

  /** Stops the poller and forgets pending calls' timer (tests; the pane's runtime never ends). */
  dispose(): void {
    this.stopPolling();
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.subs.clear();
  }

  private refreshAll(): Promise<void> {
    return Promise.all([...this.subs.values()].map(async (s) => this.show(s, await this.ask(s.query)))).then(
      () => undefined,
    );
  }

  private show(sub: Subscription, answer: Answer): void {
    // A stale answer keeps the value shown; only what changes is set again.
    const shown = JSON.stringify(answer.kind === 'value' ? answer.value : answer);
    if (shown === sub.shown || !sub.active) return;
    sub.shown = shown;
    sub.listener(answer);
  }

  private async flush(): Promise<void> {
    this.flushTimer = undefined;
    const batch = [...this.queue.entries()];
    this.queue = new Map();
    const transport = this.transport;
    if (transport === undefined) {
      for (const [, w] of batch)
        this.answer(w, {
          kind: 'error',
          code: 'notAvailable',
          message: 'Not signed in: sign in in the Ledgerdesk pane.',
        });
      return;
    }
    for (let i = 0; i < batch.length; i += MAX_FIGURE_QUERIES) {
      const part = batch.slice(i, i + MAX_FIGURE_QUERIES);
      await this.send(
        transport,
        part.map(([key]) => key),
        part.map(([, w]) => w),
      );
    }
  }

  private async send(transport: FiguresTransport, keys: string[], waiting: Waiting[]): Promise<void> {
    const at = this.now().toISOString();
    this.inFlight++;
    try {
      const res = await transport.batch(waiting.map((w) => w.query));
      // Another stamp than the one the formulas shown were asked under: an approval came between, so they are all
      // asked again (one more batch) once these answers are given.
      const moved = this.generation !== undefined && res.generation !== this.generation;
      this.generation = res.generation;
      const recovered = this.staleSince !== undefined;
      this.setStale(undefined);
      waiting.forEach((w, i) => {
        const key = keys[i] as string;
        const r = res.results[i];
        if (r === undefined) return this.answer(w, { kind: 'error', code: 'notAvailable', message: 'No answer.' });
        if (r.status === 'ok') {
          const value = cellValueOf(r);
          this.lastGood.set(key, { value, at });
          return this.answer(w, { kind: 'value', value, at, stale: false });
        }
        this.answer(w, {
          kind: 'error',
          code: r.status === 'invalid' ? 'invalidValue' : 'notAvailable',
          message: r.message ?? (r.status === 'invalid' ? 'Invalid argument.' : 'Not found.'),
        });
      });
      // Back online, the formulas that kept old values are asked again too.
      if (moved || recovered) void this.refreshAll();
    } catch (e) {
      const offline = e instanceof FiguresRequestError && e.offline;
      const message = e instanceof Error ? e.message : String(e);
      waiting.forEach((w, i) => {
        const last = offline ? this.lastGood.get(keys[i] as string) : undefined;
        if (last === undefined)
          return this.answer(w, {
            kind: 'error',
            code: 'notAvailable',
            message: offline ? `${message} No earlier value of this formula is kept.` : message,
          });
        this.markStale(last.at);
        this.answer(w, { kind: 'value', value: last.value, at: last.at, stale: true });
      });
    } finally {
      this.inFlight--;
    }
  }

  private answer(w: Waiting, a: Answer): void {
    for (const resolve of w.waiters) resolve(a);
  }

  /** The oldest time of a value a streaming formula shows (what stays on screen while the API is away). */
  private oldestShown(): string {
    let oldest: string | undefined;
    for (const s of this.subs.values()) {
      const at = this.lastGood.get(s.key)?.at;
      if (at !== undefined && (oldest === undefined || at < oldest)) oldest = at;
    }
    return oldest ?? this.now().toISOString();
  }

  private markStale(at: string): void {
    if (this.staleSince === undefined || at < this.staleSince) this.setStale(at);
  }

  private setStale(since: string | undefined): void {
    if (since === this.staleSince) return;
    this.staleSince = since;
    const s = this.status();
    for (const l of this.statusListeners) l(s);
  }

  private schedulePoll(): void {
    if (this.pollTimer !== undefined || this.subs.size === 0 || this.transport === undefined) return;
    this.pollTimer = setTimeout(() => {
      this.pollTimer = undefined;
      void this.checkStamp()
        .catch(() => undefined)
        .finally(() => this.schedulePoll());
    }, this.pollMs);
  }

  private stopPolling(): void {
    if (this.pollTimer !== undefined) clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
  }
}
