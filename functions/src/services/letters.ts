// Which reminders get a letter: approved reminders with status issued, by number (in the order asked) or by issue
// date (by number); the letters' content comes from reports/letters.ts. Shared by GET /api/dunning/letters and the
// stored letters runs (POST /api/letters).
import { ApiError } from '../http/errors';
import { letterData, type LetterData } from '../reports/letters';
import type { Reminder, ReminderLine } from '../../../shared/ledgers';
import { readApprovedRecords } from '../store/ledgerStore';

export type LettersChoice =
  { reminderNo: string[]; issuedOn?: undefined } | { issuedOn: string; reminderNo?: undefined };

const quoted = (nos: readonly string[]): string => nos.map((m) => JSON.stringify(m)).join(', ');

/**
 * The letters of the chosen reminders; 404 naming what is not there. `paid` are reminders found paid by this run
 * (reminderResolution.ts): they get no letter, and a request left without any letter says so. `read` are the
 * reminders and lines that run already read: the statuses it wrote since only concern `paid` reminders, which are
 * left out either way, so they are not read twice.
 */
export async function chooseLetters(
  choice: LettersChoice,
  paid: ReadonlySet<string> = new Set(),
  read?: { reminders: readonly Reminder[]; reminderLines: readonly ReminderLine[] },
): Promise<LetterData[]> {
  const [reminders, reminderLines, customers, levels, invoices] = await Promise.all([
    read?.reminders ?? readApprovedRecords('reminders'),
    read?.reminderLines ?? readApprovedRecords('reminderLines'),
    readApprovedRecords('customers'),
    readApprovedRecords('reminderLevels'),
    readApprovedRecords('invoices'),
  ]);
  // Approved and still issued: a pending reminder is not reviewed yet, a cancelled or resolved one is not sent.
  const sendable = reminders.filter((r) => r.status === 'issued' && !paid.has(r.reminderNo));
  let chosen;
  if (choice.reminderNo !== undefined) {
    const wanted = choice.reminderNo.filter((no) => !paid.has(no));
    const missing = wanted.filter((no) => !sendable.some((r) => r.reminderNo === no));
    if (missing.length > 0) {
      const why = (no: string): string => {
        const status = reminders.find((r) => r.reminderNo === no)?.status;
        return status === 'resolved'
          ? ' (resolved: all its invoices are paid)'
          : status === 'cancelled'
            ? ' (cancelled)'
            : '';
      };
      throw new ApiError(
        404,
        'not_found',
        `No approved, issued reminder ${missing.map((no) => `${JSON.stringify(no)}${why(no)}`).join(', ')}.`,
      );
    }
    chosen = wanted.map((no) => sendable.find((r) => r.reminderNo === no)!);
    if (chosen.length === 0)
      throw new ApiError(
        404,
        'not_found',
        `No letter to make: ${quoted(choice.reminderNo)} resolved (all invoices paid).`,
      );
  } else {
    chosen = sendable
      .filter((r) => r.issuedOn === choice.issuedOn)
      .sort((a, b) => (a.reminderNo < b.reminderNo ? -1 : a.reminderNo > b.reminderNo ? 1 : 0));
    if (chosen.length === 0)
      throw new ApiError(404, 'not_found', `No approved, issued reminder was issued on ${choice.issuedOn}.`);
  }
  return letterData({
    reminders: chosen,
    reminderLines,
    customers,
    levels,
    dueOn: new Map(invoices.map((i) => [i.invoiceNo, i.dueOn])),
  });
}
