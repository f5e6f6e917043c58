// The pane's Collections files without the UI: make stored reminder letters (POST /api/letters), list and fetch them,
// and fetch the customer statements workbook (GET /api/statements). The Reports section's way, for collections.
import { lettersCreated, lettersList, type LettersCreated, type LettersInfo } from '../../shared/api';
import { isIsoDate } from '../../shared/dates';
import { apiRequester, type TokenProvider } from './apiClient';
import { madeWhen } from './reports';

/** Which reminders get letters: those issued on a day, or reminders by number. */
export type LettersChoice = { issuedOn: string } | { reminderNo: string[] };

export interface StatementsChoice {
  from: string;
  to: string;
  /** One customer; all customers with activity when undefined. */
  customerId?: string;
}

export interface CollectionsFilesClient {
  /** Resolves paid reminders, then makes and stores the letters of the chosen ones still issued. */
  makeLetters(choice: LettersChoice): Promise<LettersCreated>;
  /** Stored letters workbooks, newest first. */
  listLetters(): Promise<LettersInfo[]>;
  downloadLetters(lettersId: string): Promise<{ bytes: ArrayBuffer; filename: string }>;
  downloadStatements(choice: StatementsChoice): Promise<{ bytes: ArrayBuffer; filename: string }>;
}

export function createCollectionsFilesClient(options: {
  baseUrl: string;
  tokens: TokenProvider;
  fetch?: typeof fetch;
}): CollectionsFilesClient {
  const http = apiRequester(options);
  return {
    makeLetters(choice) {
      return http.json('POST', 'letters', lettersCreated, choice);
    },
    async listLetters() {
      return (await http.json('GET', 'letters', lettersList)).letters;
    },
    downloadLetters(lettersId) {
      return http.file(`letters/${encodeURIComponent(lettersId)}`, `reminder-letters-${lettersId}.xlsx`);
    },
    downloadStatements(choice) {
      const q = new URLSearchParams({ from: choice.from, to: choice.to });
      if (choice.customerId !== undefined) q.set('customerId', choice.customerId);
      return http.file(`statements?${q.toString()}`, `statements-${choice.from}-${choice.to}.xlsx`);
    },
  };
}

/**
 * What the clerk typed in "Letters for": an issue date (YYYY-MM-DD) or reminder numbers separated by commas. Throws
 * the message to show when it is neither.
 */
export function lettersChoice(text: string): LettersChoice {
  const t = text.trim();
  if (isIsoDate(t)) return { issuedOn: t };
  // A date that is not one (2016-02-30) is a typo, not a reminder number.
  const looksLikeDate = /^\d{4}-\d{2}-\d{2}$/.test(text.trim());
  const numbers = text
    .trim()
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  if (numbers.length === 0 || looksLikeDate)
    throw new Error('Type an issue date as YYYY-MM-DD, or reminder numbers separated by commas.');
  return { reminderNo: numbers };
}

/** The statements' period and customer as typed, checked; throws the message to show. */
export function statementsChoice(from: string, to: string, customerId: string): StatementsChoice {
  const [f, t, c] = [from.trim(), to.trim(), customerId.trim()];
  if (!isIsoDate(f) || !isIsoDate(t)) throw new Error('From and To must be dates as YYYY-MM-DD.');
  if (f > t) throw new Error('From must not be after To.');
  return c === '' ? { from: f, to: t } : { from: f, to: t, customerId: c };
}

/** A stored letters workbook as a row of the pane's list: day, version, who made it and when (UTC, to the minute). */
export interface LettersRow {
  lettersId: string;
  day: string;
  version: string;
  madeBy: string;
  when: string;
}

export function lettersRows(list: readonly LettersInfo[]): LettersRow[] {
  return list.map((l) => ({
    lettersId: l.lettersId,
    day: l.day,
    version: `v${l.version}`,
    madeBy: l.createdBy,
    when: madeWhen(l.createdAt),
  }));
}
