// Report service: makes a period's report from approved figures, stores it as a new version, lists and opens reports.
import { PassThrough, Readable } from 'node:stream';
import packageJson from '../../../package.json';
import type { ReportInfo } from '../../../shared/api';
import { addDays, parsePeriod, periodOf, type Period, type PeriodKind } from '../../../shared/dates';
import { getConfig } from '../config';
import { readApprovedLedgers } from './approvedLedgers';
import { buildReportData } from './reportData';
import { openComplaintRows } from './openComplaintsSheet';
import { budgetLines, planRows } from './planSheet';
import { readApprovedRecords } from '../store/ledgerStore';
import { readApprovedComplaints } from '../services/complaints';
import {
  claimVersion,
  downloadReport,
  findReport,
  listStoredReports,
  markReady,
  releaseVersion,
  uploadReport,
  type StoredReport,
} from './reportStore';
import { writeReportWorkbook } from './workbook';

export const APP_VERSION: string = packageJson.version;

/** Hour (UTC) on the first day of a month, quarter or year at which the report timers make the period before. */
export const REPORT_HOUR_UTC = 2;

/**
 * The last period of `kind` whose scheduled report time (02:00 UTC on the first day after it) is at or before `now`:
 * 2017-01-01T02:00Z → 2016-12 (month), 2016-Q4, 2016; 2017-01-01T01:00Z → 2016-11, 2016-Q3, 2015. A run that is
 * late by hours or days (past due, or caught up at the next start) still picks the period it was due for.
 */
export function duePeriod(kind: PeriodKind, now: Date): Period {
  const today = now.toISOString().slice(0, 10);
  let start = parsePeriod(periodOf(today, kind)).from;
  if (now.getTime() < Date.parse(`${start}T0${REPORT_HOUR_UTC}:00:00Z`)) {
    start = parsePeriod(periodOf(addDays(start, -1), kind)).from;
  }
  return parsePeriod(periodOf(addDays(start, -1), kind));
}

/** The period the monthly timer reports on when it runs at `now`: the month before (2017-01-01T02:00Z → 2016-12). */
export function timerReportPeriod(now: Date): string {
  return duePeriod('month', now).label;
}

export function reportFilename(report: Pick<StoredReport, 'period' | 'version'>): string {
  return `ledgerdesk-report-${report.period}-v${report.version}.xlsx`;
}

/**
 * Makes the report of `period` as `user`: reads the approved records up to the period's last day, computes the
 * figures with shared/calc, streams the workbook straight into Blob Storage (never a whole workbook in memory) and
 * records it as the period's next version; earlier versions stay.
 */
export async function makeReport(period: Period, user: string, now: Date = new Date()): Promise<StoredReport> {
  const report = await claimVersion(period.label, user, now);
  try {
    // Every read of the report in one wave: the ledgers, complaints, targets and budgets are independent tables.
    const [ledgers, complaints, targets, budgets] = await Promise.all([
      readApprovedLedgers(period.to),
      readApprovedComplaints(),
      readApprovedRecords('targets'),
      readApprovedRecords('budgets'),
    ]);
    const data = buildReportData(ledgers, period, {
      generatedAt: now,
      generatedBy: user,
      appVersion: APP_VERSION,
      reportVersion: report.version,
      currency: getConfig().defaultCurrency,
    });
    data.openComplaints = openComplaintRows(complaints, ledgers.customers, period.to);
    data.plan = planRows(ledgers, period, targets, budgets, data.currency);
    data.budgets = budgetLines(ledgers, period, budgets);
    const pipe = new PassThrough();
    const writing = writeReportWorkbook(data, pipe).catch((err: unknown) => {
      // Ends the upload with the error instead of leaving it waiting for bytes that will never come.
      pipe.destroy(err instanceof Error ? err : new Error(String(err)));
      throw err;
    });
    const [, size] = await Promise.all([writing, uploadReport(report, pipe, reportFilename(report))]);
    return await markReady(report, size);
  } catch (err) {
    await releaseVersion(report);
    throw err;
  }
}

/** A stored report as the API shows it, with its URL under `baseUrl` (e.g. `http://127.0.0.1:7071/api/`). */
export function reportInfoOf(report: StoredReport, baseUrl: string): ReportInfo {
  return {
    reportId: report.reportId,
    period: report.period,
    version: report.version,
    createdAt: report.createdAt,
    createdBy: report.createdBy,
    sizeBytes: report.sizeBytes,
    url: new URL(`reports/${encodeURIComponent(report.reportId)}`, baseUrl).href,
  };
}

export async function listReports(period?: string): Promise<StoredReport[]> {
  return listStoredReports(period);
}

/** A ready report and a stream of its bytes, or undefined when there is no such report. */
export async function openReport(
  reportId: string,
): Promise<{ report: StoredReport; body: Readable; contentLength: number | undefined } | undefined> {
  const report = await findReport(reportId);
  if (report === undefined) return undefined;
  const { body, contentLength } = await downloadReport(report);
  return { report, body: body instanceof Readable ? body : Readable.from(body), contentLength };
}
