// Stored reminder letters (issue 13 §1): a letters run resolves the paid reminders, makes the letters workbook of the
// reminders asked for and stores it like a report workbook (reportStore.ts), in the `letters` table and container,
// one partition per day: the issue date asked for, or the day of the run when reminders are named by number.
import { Readable } from 'node:stream';
import type { LettersCreated, LettersInfo, LettersRequest } from '../../../shared/api';
import { isIsoDate } from '../../../shared/dates';
import { chooseLetters } from '../services/letters';
import { resolvePaidReminders } from '../services/reminderResolution';
import { lettersWorkbook } from './letters';
import {
  claimVersion,
  downloadReport,
  findReport,
  listStoredReports,
  markReady,
  releaseVersion,
  uploadReport,
  type StoredReport,
  type WorkbookStore,
} from './reportStore';

export const LETTERS_STORE: WorkbookStore = {
  name: 'letters',
  label: (text) => (isIsoDate(text) ? text : undefined),
};

export function lettersFilename(run: Pick<StoredReport, 'period' | 'version'>): string {
  return `reminder-letters-${run.period}-v${run.version}.xlsx`;
}

export function lettersInfoOf(run: StoredReport, baseUrl: string): LettersInfo {
  return {
    lettersId: run.reportId,
    day: run.period,
    version: run.version,
    createdAt: run.createdAt,
    createdBy: run.createdBy,
    sizeBytes: run.sizeBytes,
    url: new URL(`letters/${encodeURIComponent(run.reportId)}`, baseUrl).href,
  };
}

/**
 * A letters run as `user` on `now`'s day: writes resolved to every paid reminder first (reminderResolution.ts), then
 * stores the workbook of the chosen reminders still issued as the day's next version. Nothing is stored when there is
 * no letter to make (404).
 */
export async function makeLetters(
  request: LettersRequest,
  user: string,
  baseUrl: string,
  now: Date = new Date(),
): Promise<LettersCreated> {
  const today = now.toISOString().slice(0, 10);
  const resolution = await resolvePaidReminders(today, user, now);
  const letters = await chooseLetters(
    request.reminderNo !== undefined ? { reminderNo: request.reminderNo } : { issuedOn: request.issuedOn as string },
    new Set(resolution.paid),
    resolution.read,
  );
  const bytes = Buffer.from(await lettersWorkbook(letters).xlsx.writeBuffer());
  const run = await claimVersion(request.issuedOn ?? today, user, now, LETTERS_STORE);
  try {
    const size = await uploadReport(run, Readable.from([bytes]), lettersFilename(run), LETTERS_STORE);
    const ready = await markReady(run, size, LETTERS_STORE);
    return {
      lettersId: ready.reportId,
      url: lettersInfoOf(ready, baseUrl).url,
      reminders: letters.map((l) => l.reminderNo),
      resolved: resolution.resolved,
    };
  } catch (err) {
    await releaseVersion(run, LETTERS_STORE);
    throw err;
  }
}

export function listLetters(day?: string): Promise<StoredReport[]> {
  return listStoredReports(day, LETTERS_STORE);
}

/** A stored letters workbook and a stream of its bytes, or undefined when there is none by that id. */
export async function openLetters(
  lettersId: string,
): Promise<{ run: StoredReport; body: Readable; contentLength: number | undefined } | undefined> {
  const run = await findReport(lettersId, LETTERS_STORE);
  if (run === undefined) return undefined;
  const { body, contentLength } = await downloadReport(run, LETTERS_STORE);
  return { run, body: body instanceof Readable ? body : Readable.from(body), contentLength };
}
