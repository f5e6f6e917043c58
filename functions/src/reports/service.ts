// Report service: makes a period's report from approved figures, stores it as a new version, lists and opens reports.
import { PassThrough, Readable } from 'node:stream';
import packageJson from '../../../package.json';
import type { ReportInfo } from '../../../shared/api';
import { previousMonth, type Period } from '../../../shared/dates';
import { getConfig } from '../config';
import { readApprovedLedgers } from './approvedLedgers';
import { buildReportData } from './reportData';
import { openComplaintRows } from './openComplaintsSheet';
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

/** The period the monthly timer reports on when it runs at `now`: the month before (2017-01-01 → 2016-12). */
export function timerReportPeriod(now: Date): string {
  return previousMonth(now.toISOString().slice(0, 10));
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
    const ledgers = await readApprovedLedgers(period.to);
    const data = buildReportData(ledgers, period, {
      generatedAt: now,
      generatedBy: user,
      appVersion: APP_VERSION,
      reportVersion: report.version,
      currency: getConfig().defaultCurrency,
    });
    data.openComplaints = openComplaintRows(await readApprovedComplaints(), ledgers.customers, period.to);
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
