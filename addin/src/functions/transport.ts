// The two requests the LEDGERDESK functions make: POST /figures/batch (many queries at once) and the conditional
// GET /figures/stamp (304 while no approval moved the figures).
import {
  errorBody,
  figuresBatchResponse,
  figuresStampResponse,
  type FigureQueryInput,
  type FiguresBatchResponse,
} from '../../../shared/api';
import type { TokenProvider } from '../../flows/apiClient';

export interface FiguresTransport {
  batch(queries: readonly FigureQueryInput[]): Promise<FiguresBatchResponse>;
  /** `unchanged` when the stamp is still `known` (a 304), else the current stamp. */
  stamp(known: string | null | undefined): Promise<{ changed: false } | { changed: true; generation: string | null }>;
}

/** A failed request: `status` 0 when the API could not be reached. */
export class FiguresRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'FiguresRequestError';
  }
  /** The API could not answer (network, 5xx, 429): the last good values stand in. */
  get offline(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

export interface HttpFiguresOptions {
  baseUrl: string;
  tokens: TokenProvider;
  fetch?: typeof fetch;
}

const etagOf = (generation: string | null | undefined): string => `"${generation ?? 'none'}"`;

export function httpFiguresTransport(options: HttpFiguresOptions): FiguresTransport {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  async function send(path: string, init: RequestInit): Promise<Response> {
    const token = await options.tokens.getToken();
    let res: Response;
    try {
      res = await doFetch(`${base}/${path}`, {
        ...init,
        headers: { Authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
      });
    } catch (e) {
      throw new FiguresRequestError(
        0,
        `The API at ${base} cannot be reached (${e instanceof Error ? e.message : String(e)}).`,
      );
    }
    if (res.ok || res.status === 304) return res;
    let text = `The API answered ${res.status} ${res.statusText}.`;
    try {
      const err = errorBody.safeParse(await res.json());
      if (err.success) text = err.data.error.message;
    } catch {
      // Not JSON: the status line says it.
    }
    throw new FiguresRequestError(res.status, text);
  }

  async function json<T>(res: Response, parse: (v: unknown) => { success: boolean; data?: T }): Promise<T> {
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      body = undefined;
    }
    const parsed = parse(body);
    if (!parsed.success || parsed.data === undefined)
      throw new FiguresRequestError(res.status, `Unexpected answer from ${res.url || 'the API'}.`);
    return parsed.data;
  }

  return {
    async batch(queries) {
      const res = await send('figures/batch', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ queries }),
      });
      return json(res, (v) => figuresBatchResponse.safeParse(v));
    },
    async stamp(known) {
      const res = await send('figures/stamp', {
        method: 'GET',
        headers: known === undefined ? {} : { 'If-None-Match': etagOf(known) },
      });
      if (res.status === 304) return { changed: false };
      const body = await json(res, (v) => figuresStampResponse.safeParse(v));
      return { changed: true, generation: body.generation };
    },
  };
}
