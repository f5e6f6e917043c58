// Where report workbooks live: the .xlsx in Blob Storage (`<period>/v<version>.xlsx`), metadata in the `reports` table.
// The reminder letters workbooks (issue 13) are stored the same way in their own table and container (LETTERS_STORE),
// partitioned by day instead of period: every function takes the store as its last argument, reports by default.
//
// Table layout: PartitionKey = the period label, RowKey = `v` + the version zero-padded to 6 digits, so one period's
// versions are one partition in version order and a version number is claimed atomically by inserting its entity
// (a concurrent maker of the same period gets 409 and takes the next number). Reports are a few per month, so
// listing them all is one small scan.
import type { Readable } from 'node:stream';
import { RestError, odata } from '@azure/data-tables';
import type { BlockBlobClient } from '@azure/storage-blob';
import type { ReportInfo } from '../../../shared/api';
import { parsePeriod } from '../../../shared/dates';
import { blobContainerClient, tableClient } from '../store/client';
import { CONTENT_TYPE } from './workbook';

export const REPORTS = 'reports';
const MAX_CLAIM_ATTEMPTS = 20;

/** A store of versioned workbooks: its table and container, and how its partitions (labels) are spelled. */
export interface WorkbookStore {
  /** Logical table and container name (store/client.ts). */
  name: string;
  /** The label itself when it is one of this store's (a period for reports, a day for letters), else undefined. */
  label(text: string): string | undefined;
}

export const REPORTS_STORE: WorkbookStore = {
  name: REPORTS,
  label(text) {
    try {
      return parsePeriod(text).label;
    } catch {
      return undefined;
    }
  },
};

/** A stored report's metadata, without the URL (which depends on who asks). */
export type StoredReport = Omit<ReportInfo, 'url'> & { blobName: string };

interface ReportEntity {
  partitionKey: string;
  rowKey: string;
  reportId: string;
  period: string;
  version: number;
  createdAt: string;
  createdBy: string;
  sizeBytes: number;
  blobName: string;
  /** `writing` while the workbook is uploaded; only `ready` reports are listed and served. */
  status: 'writing' | 'ready';
}

const rowKeyOf = (version: number) => `v${String(version).padStart(6, '0')}`;

export function reportIdOf(period: string, version: number): string {
  return `${period}-v${version}`;
}

/** `2016-Q4-v3` → period and version; undefined for anything else. */
export function parseReportId(
  reportId: string,
  store: WorkbookStore = REPORTS_STORE,
): { period: string; version: number } | undefined {
  const m = /^(.+)-v([1-9]\d{0,5})$/.exec(reportId);
  if (!m) return undefined;
  const period = store.label(m[1] as string);
  return period === undefined ? undefined : { period, version: Number(m[2]) };
}

export function blobNameOf(period: string, version: number): string {
  return `${period}/v${version}.xlsx`;
}

function toStored(e: ReportEntity): StoredReport {
  return {
    reportId: e.reportId,
    period: e.period,
    version: e.version,
    createdAt: e.createdAt,
    createdBy: e.createdBy,
    sizeBytes: e.sizeBytes,
    blobName: e.blobName,
  };
}

/** Claims the next version of `period`: inserts its `writing` entity, retrying on a concurrent claim. */
export async function claimVersion(
  period: string,
  createdBy: string,
  createdAt: Date,
  store: WorkbookStore = REPORTS_STORE,
): Promise<StoredReport> {
  const table = await tableClient(store.name);
  for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
    let last = 0;
    for await (const e of table.listEntities<ReportEntity>({
      queryOptions: { filter: odata`PartitionKey eq ${period}`, select: ['version'] },
    })) {
      last = Math.max(last, Number(e.version));
    }
    const version = last + 1;
    const entity: ReportEntity = {
      partitionKey: period,
      rowKey: rowKeyOf(version),
      reportId: reportIdOf(period, version),
      period,
      version,
      createdAt: createdAt.toISOString(),
      createdBy,
      sizeBytes: 0,
      blobName: blobNameOf(period, version),
      status: 'writing',
    };
    try {
      await table.createEntity(entity);
      return toStored(entity);
    } catch (err) {
      if (err instanceof RestError && err.statusCode === 409) continue;
      throw err;
    }
  }
  throw new Error(`Could not claim a report version for ${period} after ${MAX_CLAIM_ATTEMPTS} attempts.`);
}

/** Marks a claimed version as written, with its size. */
export async function markReady(
  report: StoredReport,
  sizeBytes: number,
  store: WorkbookStore = REPORTS_STORE,
): Promise<StoredReport> {
  const table = await tableClient(store.name);
  await table.updateEntity(
    { partitionKey: report.period, rowKey: rowKeyOf(report.version), sizeBytes, status: 'ready' },
    'Merge',
  );
  return { ...report, sizeBytes };
}

/** Gives a version back after a failed write, so no half-written report is ever listed. */
export async function releaseVersion(report: StoredReport, store: WorkbookStore = REPORTS_STORE): Promise<void> {
  const table = await tableClient(store.name);
  await Promise.allSettled([
    table.deleteEntity(report.period, rowKeyOf(report.version)),
    (await blobContainerClient(store.name)).deleteBlob(report.blobName, { deleteSnapshots: 'include' }),
  ]);
}

export async function reportBlob(blobName: string, store: WorkbookStore = REPORTS_STORE): Promise<BlockBlobClient> {
  return (await blobContainerClient(store.name)).getBlockBlobClient(blobName);
}

/** Uploads the stream as the report's blob (4 MiB blocks, 4 in flight) and returns the stored size in bytes. */
export async function uploadReport(
  report: StoredReport,
  body: Readable,
  filename: string,
  store: WorkbookStore = REPORTS_STORE,
): Promise<number> {
  const blob = await reportBlob(report.blobName, store);
  await blob.uploadStream(body, 4 * 1024 * 1024, 4, {
    blobHTTPHeaders: { blobContentType: CONTENT_TYPE, blobContentDisposition: `attachment; filename="${filename}"` },
    metadata: {
      reportid: report.reportId,
      period: report.period,
      version: String(report.version),
      createdby: encodeURIComponent(report.createdBy),
    },
  });
  const props = await blob.getProperties();
  return props.contentLength ?? 0;
}

/** A ready report's metadata, or undefined. */
export async function findReport(
  reportId: string,
  store: WorkbookStore = REPORTS_STORE,
): Promise<StoredReport | undefined> {
  const id = parseReportId(reportId, store);
  if (id === undefined) return undefined;
  const table = await tableClient(store.name);
  try {
    const e = await table.getEntity<ReportEntity>(id.period, rowKeyOf(id.version));
    return e.status === 'ready' ? toStored(e) : undefined;
  } catch (err) {
    if (err instanceof RestError && err.statusCode === 404) return undefined;
    throw err;
  }
}

/** Ready reports, newest first (then by period and version, so reports made in the same millisecond keep an order). */
export async function listStoredReports(
  period?: string,
  store: WorkbookStore = REPORTS_STORE,
): Promise<StoredReport[]> {
  const table = await tableClient(store.name);
  const filter =
    period === undefined ? odata`status eq ${'ready'}` : odata`PartitionKey eq ${period} and status eq ${'ready'}`;
  const out: StoredReport[] = [];
  for await (const e of table.listEntities<ReportEntity>({ queryOptions: { filter } })) out.push(toStored(e));
  return out.sort(
    (a, b) =>
      (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0) ||
      (a.period < b.period ? 1 : a.period > b.period ? -1 : 0) ||
      b.version - a.version,
  );
}

/** The report's bytes as a stream. */
export async function downloadReport(
  report: StoredReport,
  store: WorkbookStore = REPORTS_STORE,
): Promise<{ body: NodeJS.ReadableStream; contentLength: number | undefined }> {
  const blob = await reportBlob(report.blobName, store);
  const res = await blob.download();
  if (res.readableStreamBody === undefined) throw new Error(`Blob ${report.blobName} has no body.`);
  return { body: res.readableStreamBody, contentLength: res.contentLength };
}
