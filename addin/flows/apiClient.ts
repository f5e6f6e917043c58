// The ledger API as the task pane sees it: an interface the flows use, and its fetch implementation over API.md.
import type { z } from 'zod';
import {
  approvalsResponse,
  errorBody,
  getRowsResponse,
  pendingResponse,
  putRowsResponse,
  receivablesResponse,
  rejectionsResponse,
  statsResponse,
  customerFileResponse,
  contractFileResponse,
  complaintsResponse,
  type ApprovalsResponse,
  type ComplaintsRow,
  type ContractFileResponse,
  type CustomerFileResponse,
  type GetRowsResponse,
  type PendingResponse,
  type PutRowsResponse,
  type ReceivablesRow,
  type RejectionsResponse,
  type StatsRow,
} from '../../shared/api';
import { commissionCurrencyStatementResponse, type CommissionCurrencyStatementWire } from '../../shared/api';
import { assessmentResponse, type AssessmentRowWire } from '../../shared/api';
import {
  historyResponse,
  listedInvoiceCheckResponse,
  type HistoryResponse,
  type InvoiceCheckRequest,
  type ListedInvoiceCheckResponse,
} from '../../shared/api';
import { budgetsVsExpensesResponse, type BudgetsVsExpensesResponse } from '../../shared/api';
import type { LedgerName } from '../../shared/ledgers';

export interface StatsParams {
  period: 'month' | 'quarter' | 'year';
  from: string;
  to: string;
  groupBy: 'region' | 'salesperson' | 'customer' | 'none';
}

export interface ReceivablesParams {
  asOf: string;
  groupBy: 'customer' | 'contract' | 'region' | 'salesperson';
}

/** A row version a reviewer decides on: its key and the etag of the version they saw. */
export interface SeenRow {
  key: string;
  etag: string;
}

export interface RejectedRow extends SeenRow {
  /** 1-500 characters (API.md, Reject). */
  reason: string;
}

/** The review queue's query (API.md, Review queue); every part optional. */
export interface PendingParams {
  ledger?: LedgerName;
  changedBy?: string;
  pageSize?: number;
  continuationToken?: string;
}

export interface LedgerApiClient {
  putRows(ledger: LedgerName, rows: readonly object[], idempotencyKey: string): Promise<PutRowsResponse>;
  getRows(ledger: LedgerName, query: Record<string, string>): Promise<GetRowsResponse>;
  /** Approves exactly the versions named by their etags (API v1.1). */
  approve(ledger: LedgerName, rows: readonly SeenRow[]): Promise<ApprovalsResponse>;
  reject(ledger: LedgerName, rows: readonly RejectedRow[]): Promise<RejectionsResponse>;
  /** One page of the review queue: pending changes the caller may decide, oldest first. */
  pending(params: PendingParams): Promise<PendingResponse>;
  stats(params: StatsParams): Promise<StatsRow[]>;
  receivables(params: ReceivablesParams): Promise<{ asOf: string; rows: ReceivablesRow[] }>;
  /** Issue 15: GET /api/customers/{id}/file (optional, so test doubles of the other calls need not have it). */
  customerFile?(customerId: string, query?: { asOf?: string }): Promise<CustomerFileResponse>;
  /** Issue 15: GET /api/contracts/{id}/file. */
  contractFile?(contractId: string): Promise<ContractFileResponse>;
  /** Issue 15: GET /api/complaints. */
  complaints?(params: ComplaintsParams): Promise<ComplaintsRow[]>;
  /** Issue #14: the salesperson's month (GET /api/salespeople/assessment). */
  assessment?(month: string): Promise<AssessmentRowWire[]>;
  /** Issue 18: the server's invoice check (POST /api/checks/invoices) over the contracts' whole history. */
  checkInvoices?(request: InvoiceCheckRequest): Promise<ListedInvoiceCheckResponse>;
  /** Issue 18: a row's history (GET /api/ledgers/{ledger}/{key}/history). */
  history?(ledger: LedgerName, key: string): Promise<HistoryResponse>;
  /**
   * Issue #14: a salesperson's monthly commission statement in one currency (GET /api/commission/statement); without
   * `currency`, the house currency's.
   */
  commissionStatement?(
    salespersonId: string,
    month: string,
    currency?: string,
  ): Promise<CommissionCurrencyStatementWire>;
  /** Issue #14 §4: GET /api/stats?withPlan=true, each row with its plan figures. */
  statsWithPlan?(params: StatsParams): Promise<StatsRow[]>;
  /** Issue #14 §4: GET /api/budgets/vsExpenses, one period's budgets against expenses by region and category. */
  budgetsVsExpenses?(params: { period: string; region?: string }): Promise<BudgetsVsExpensesResponse>;
}

export interface ComplaintsParams {
  period: string;
  from: string;
  to: string;
  groupBy: string;
}

/** Supplies bearer tokens; the dev provider holds a pasted token, the Azure one asks MSAL (nested app auth). */
export interface TokenProvider {
  getToken(): Promise<string>;
  /** The signed-in user's id as the API sees it (preferred_username), when known. */
  user(): string | undefined;
}

/** 'network', 'bad_response', 'http_<status>' or the API's own error code (API.md, Errors). */
export type ApiErrorCode = string;

/** A failed call: the API's error code and sentence, never a stack. */
export class ApiClientError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiClientError';
  }
  /** Worth retrying with the same idempotency key: the network or the server failed, not the request. */
  get transient(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

/** The `preferred_username` (else `sub`) of a JWT, read without verifying: only for showing who is signed in. */
export function userOfToken(token: string): string | undefined {
  const part = token.split('.')[1];
  if (part === undefined) return undefined;
  try {
    const json = atob(
      part
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(part.length / 4) * 4, '='),
    );
    const claims = JSON.parse(json) as { preferred_username?: unknown; sub?: unknown };
    const user = claims.preferred_username ?? claims.sub;
    return typeof user === 'string' ? user : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The API's error as one text, each problem once: the message, plus any detail it does not already name (the
 * API's 400s name every field in the message; details then only repeat it).
 */
export function errorSentence(error: { message: string; details?: unknown[] | undefined }): string {
  const extra = (error.details ?? []).flatMap((d) => {
    if (typeof d !== 'object' || d === null || !('message' in d)) return [];
    const field = 'field' in d ? String(d.field).replace(/^(body|query|params)\./, '') : '';
    const message = String(d.message);
    const text = field === '' || message.startsWith(`${field} `) ? message : `${field} ${message}`;
    return field !== '' && error.message.includes(field) ? [] : [text];
  });
  return [error.message, ...extra].join(' ');
}

export function devTokenProvider(token: string): TokenProvider {
  const trimmed = token.trim();
  return { getToken: () => Promise.resolve(trimmed), user: () => userOfToken(trimmed) };
}

export const DEFAULT_API_BASE_URL = 'http://127.0.0.1:7071/api';

/** The API's error body of a failed answer as an ApiClientError (code and message, then the details' messages). */
export async function failure(res: Response): Promise<ApiClientError> {
  let json: unknown;
  try {
    json = JSON.parse(await res.text());
  } catch {
    json = undefined;
  }
  const err = errorBody.safeParse(json);
  if (!err.success) return new ApiClientError(res.status, `http_${res.status}`, `The API answered ${res.status}.`);
  return new ApiClientError(res.status, err.data.error.code, errorSentence(err.data.error));
}

/**
 * One authenticated request to the API and nothing more (no retries): the pane's smaller clients (reports, letters,
 * dunning) share it. `send` gives any answer and throws only when the API cannot be reached; `request` also turns a
 * failed answer into its ApiClientError; `json` parses the answer; `file` fetches a workbook with its file name.
 */
export function apiRequester(options: { baseUrl: string; tokens: TokenProvider; fetch?: typeof fetch }) {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  async function send(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const token = await options.tokens.getToken();
    try {
      return await doFetch(`${base}/${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (e) {
      throw new ApiClientError(
        0,
        'network',
        `The API at ${base} cannot be reached (${e instanceof Error ? e.message : String(e)}).`,
      );
    }
  }
  async function request(method: string, path: string, body?: unknown): Promise<Response> {
    const res = await send(method, path, body);
    if (!res.ok) throw await failure(res);
    return res;
  }
  async function json<T>(method: string, path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
    const res = await request(method, path, body);
    const parsed = schema.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success) {
      const route = `/${path.split('?')[0] ?? path}`;
      throw new ApiClientError(res.status, 'bad_response', `Unexpected answer from ${method} ${route}.`);
    }
    return parsed.data;
  }
  async function file(path: string, fallback: string): Promise<{ bytes: ArrayBuffer; filename: string }> {
    const res = await request('GET', path);
    // Cross-origin the browser hides Content-Disposition unless the API exposes it; the caller's fallback (the API's
    // own naming rule) names the file then.
    const filename = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallback;
    return { bytes: await res.arrayBuffer(), filename };
  }
  return { base, send, request, json, file };
}

export interface HttpClientOptions {
  baseUrl: string;
  tokens: TokenProvider;
  fetch?: typeof fetch;
  /** Attempts for transient failures (same request, same idempotency key). Default 3. */
  attempts?: number;
  /** First wait before a retry, doubled each time. Default 200 ms. */
  retryDelayMs?: number;
  /**
   * How long to keep asking while the API answers 409 `idempotency_in_progress` (the same request, e.g. an earlier
   * attempt whose answer was lost, is still running; its answer is replayed once it is done, or the API runs ours
   * once that attempt is known dead, within 15 s). Default 30 s.
   */
  inProgressWaitMs?: number;
}

export function createHttpApiClient(options: HttpClientOptions): LedgerApiClient {
  const http = apiRequester(options);
  const attempts = options.attempts ?? 3;
  const retryDelay = options.retryDelayMs ?? 200;
  const inProgressWait = options.inProgressWaitMs ?? 30_000;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  async function once<T>(
    method: string,
    path: string,
    schema: z.ZodType<T>,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const res = await http.send(method, path, body, headers);
    const text = await res.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const err = errorBody.safeParse(json);
      if (err.success) {
        throw new ApiClientError(res.status, err.data.error.code, errorSentence(err.data.error));
      }
      throw new ApiClientError(res.status, `http_${res.status}`, `The API answered ${res.status} ${res.statusText}.`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new ApiClientError(res.status, 'bad_response', `Unexpected answer from ${method} /${path}.`);
    return parsed.data;
  }

  async function call<T>(
    method: string,
    path: string,
    schema: z.ZodType<T>,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<T> {
    const started = Date.now();
    let failures = 0;
    let waits = 0;
    for (;;) {
      try {
        return await once(method, path, schema, body, headers);
      } catch (e) {
        if (!(e instanceof ApiClientError)) throw e;
        if (e.code === 'idempotency_in_progress') {
          const delay = Math.min(retryDelay * 2 ** ++waits, 10 * retryDelay);
          if (Date.now() - started + delay > inProgressWait) throw e;
          await sleep(delay);
          continue;
        }
        if (!e.transient || ++failures >= attempts) throw e;
        await sleep(retryDelay * 2 ** failures);
      }
    }
  }

  return {
    putRows: (ledger, rows, idempotencyKey) =>
      call('PUT', `ledgers/${ledger}`, putRowsResponse, { rows }, { 'Idempotency-Key': idempotencyKey }),
    getRows: (ledger, query) => {
      const qs = new URLSearchParams(query).toString();
      return call('GET', `ledgers/${ledger}${qs ? `?${qs}` : ''}`, getRowsResponse);
    },
    approve: (ledger, rows) =>
      call('POST', `ledgers/${ledger}/approvals`, approvalsResponse, {
        rows: rows.map((r) => ({ key: r.key, etag: r.etag })),
      }),
    reject: (ledger, rows) =>
      call('POST', `ledgers/${ledger}/rejections`, rejectionsResponse, {
        rows: rows.map((r) => ({ key: r.key, etag: r.etag, reason: r.reason })),
      }),
    pending: (p) => {
      const query: Record<string, string> = {};
      if (p.ledger !== undefined) query.ledger = p.ledger;
      if (p.changedBy !== undefined && p.changedBy !== '') query.changedBy = p.changedBy;
      if (p.pageSize !== undefined) query.pageSize = String(p.pageSize);
      if (p.continuationToken !== undefined) query.continuationToken = p.continuationToken;
      const qs = new URLSearchParams(query).toString();
      return call('GET', `approvals/pending${qs ? `?${qs}` : ''}`, pendingResponse);
    },
    stats: async (p) => (await call('GET', `stats?${new URLSearchParams({ ...p }).toString()}`, statsResponse)).rows,
    receivables: (p) => call('GET', `receivables?${new URLSearchParams({ ...p }).toString()}`, receivablesResponse),
    customerFile: (customerId, q = {}) => {
      const qs = new URLSearchParams(q.asOf !== undefined ? { asOf: q.asOf } : {}).toString();
      return call('GET', `customers/${encodeURIComponent(customerId)}/file${qs ? `?${qs}` : ''}`, customerFileResponse);
    },
    contractFile: (contractId) => call('GET', `contracts/${encodeURIComponent(contractId)}/file`, contractFileResponse),
    complaints: async (p) =>
      (await call('GET', `complaints?${new URLSearchParams({ ...p }).toString()}`, complaintsResponse)).rows,
    assessment: async (month) =>
      (await call('GET', `salespeople/assessment?${new URLSearchParams({ month }).toString()}`, assessmentResponse))
        .rows,
    checkInvoices: (request) => call('POST', 'checks/invoices', listedInvoiceCheckResponse, request),
    history: (ledger, key) => call('GET', `ledgers/${ledger}/${encodeURIComponent(key)}/history`, historyResponse),
    statsWithPlan: async (p) =>
      (await call('GET', `stats?${new URLSearchParams({ ...p, withPlan: 'true' }).toString()}`, statsResponse)).rows,
    budgetsVsExpenses: (p) =>
      call(
        'GET',
        `budgets/vsExpenses?${new URLSearchParams(p.region === undefined ? { period: p.period } : { period: p.period, region: p.region }).toString()}`,
        budgetsVsExpensesResponse,
      ),
    commissionStatement: (salespersonId, month, currency) =>
      call(
        'GET',
        `commission/statement?${new URLSearchParams({ salespersonId, month, ...(currency === undefined ? {} : { currency }) }).toString()}`,
        commissionCurrencyStatementResponse,
      ),
  };
}
