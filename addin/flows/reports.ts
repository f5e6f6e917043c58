// The pane's Reports section without the UI: list stored reports, make one now, fetch one's bytes (API.md, Reports).
import { reportCreated, reportList, type ReportInfo } from '../../shared/api';
import { parsePeriod } from '../../shared/dates';
import { DomainError } from '../../shared/errors';
import { apiRequester, type TokenProvider } from './apiClient';

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

export function createReportsClient(options: ReportsClientOptions): ReportsClient {
  const http = apiRequester(options);
  return {
    async list(period) {
      const q = period === undefined ? '' : `?period=${encodeURIComponent(period)}`;
      return (await http.json('GET', `reports${q}`, reportList)).reports;
    },
    async make(period) {
      return http.json('POST', 'reports', reportCreated, { period });
    },
    download(reportId) {
      // The API's own rule names the file when the browser hides Content-Disposition: ledgerdesk-report-<id>.xlsx.
      return http.file(`reports/${encodeURIComponent(reportId)}`, `ledgerdesk-report-${reportId}.xlsx`);
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

/** When a stored workbook was made, as the pane's lists show it: UTC, to the minute ("2016-12-01 07:05 UTC"). */
export function madeWhen(createdAt: string): string {
  return `${createdAt.slice(0, 10)} ${createdAt.slice(11, 16)} UTC`;
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
    when: madeWhen(r.createdAt),
  }));
}
