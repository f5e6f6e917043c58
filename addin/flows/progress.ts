// Progress reporting and cancellation shared by the long-running flows.

export interface Progress {
  phase: string;
  done: number;
  total: number;
}

export type ProgressFn = (p: Progress) => void;

/** Thrown when the user cancels; flows catch it at their top and report what was done so far. */
export class CancelledError extends Error {
  constructor() {
    super('Cancelled.');
    this.name = 'CancelledError';
  }
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new CancelledError();
}
