// The pane's Reports section without the UI: list stored reports, make one now, fetch one's bytes (API.md, Reports).
import { errorBody, reportCreated, reportList, type ReportInfo } from '../../shared/api';
import { parsePeriod } from '../../shared/dates';
import { DomainError } from '../../shared/errors';
import { ApiClientError, errorSentence, type TokenProvider } from './apiClient';

export interface ReportsClient {
  /** Stored reports, newest first (the API's order), optionally of one period. */
  list(period?: string): Promise<ReportInfo[]>;
  /** Makes the period's report now as a new version (manager, finance or admin). */
  make(period: string): Promise<{ reportId: string; url: string }>;
  /** A stored report's workbook and the file name the API gives it. */
  download(reportId: string): Promise<{ bytes: ArrayBuffer; filename: string }>;
}

export interface ReportsClientOptions {
  baseUrl: string;
  tokens: TokenProvider;
  fetch?: typeof fetch;
}

/** The API's error body as an ApiClientError (code and message, then the details' messages). */
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

export function createReportsClient(options: ReportsClientOptions): ReportsClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  async function request(method: string, path: string, body?: unknown): Promise<Response> {
    const token = await options.tokens.getToken();
    let res: Response;
    try {
      res = await doFetch(`${base}/${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (e) {
      throw new ApiClientError(
        0,
        'network',
        `The API at ${base} cannot be reached (${e instanceof Error ? e.message : String(e)}).`,
      );
    }
    if (!res.ok) throw await failure(res);
    return res;
  }
  return {
    async list(period) {
      const q = period === undefined ? '' : `?period=${encodeURIComponent(period)}`;
      const parsed = reportList.safeParse(await (await request('GET', `reports${q}`)).json());
      if (!parsed.success) throw new ApiClientError(200, 'bad_response', 'Unexpected answer from GET /reports.');
      return parsed.data.reports;
    },
    async make(period) {
      const parsed = reportCreated.safeParse(await (await request('POST', 'reports', { period })).json());
      if (!parsed.success) throw new ApiClientError(201, 'bad_response', 'Unexpected answer from POST /reports.');
      return parsed.data;
    },
    async download(reportId) {
      const res = await request('GET', `reports/${encodeURIComponent(reportId)}`);
      // Cross-origin, the browser hides Content-Disposition unless the API exposes it; the API's own rule
      // (ledgerdesk-report-<period>-v<version>.xlsx, i.e. of the report id) names the file then.
      const disposition = res.headers.get('content-disposition') ?? '';
      const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `ledgerdesk-report-${reportId}.xlsx`;
      return { bytes: await res.arrayBuffer(), filename };
    },
  };
}

/** The period a person most likely wants a report of on `today`: the month before (2017-01-05 → 2016-12). */
export function defaultReportPeriod(today: Date): string {
  const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 0));
  return d.toISOString().slice(0, 7);
}

/** The period label as typed, checked: undefined when valid, else the message to show beside the field. */
export function periodProblem(text: string): string | undefined {
  try {
    parsePeriod(text.trim());
    return undefined;
  } catch (e) {
    if (e instanceof DomainError) return 'Type a month (2016-11), a quarter (2016-Q4) or a year (2016).';
    throw e;
  }
}

/** A stored report as a row of the pane's list: period, version, who made it and when (UTC, to the minute). */
export interface ReportRow {
  reportId: string;
  period: string;
  version: string;
  madeBy: string;
  when: string;
}

export function reportRows(reports: readonly ReportInfo[]): ReportRow[] {
  return reports.map((r) => ({
    reportId: r.reportId,
    period: r.period,
    version: `v${r.version}`,
    madeBy: r.createdBy,
    when: `${r.createdAt.slice(0, 10)} ${r.createdAt.slice(11, 16)} UTC`,
  }));
}
