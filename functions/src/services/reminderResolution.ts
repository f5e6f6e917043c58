// A reminder resolves itself when all its invoices are paid (issue 13 §1): writes the `resolved` status to the stored
// reminders, through the ledger's history like any change.
//
// Where: at the start of every letters run (POST /api/letters), not when payments are approved. A letters run is the
// moment a reminder would go out, so a reminder the customer has paid never gets a letter; the check reads the
// receivables ledgers once per run instead of once per payment approval (an approval would otherwise scan them all),
// and a failure here cannot undo or slow an approval. Between runs the stored status may still say issued; the
// dunning proposal lists such reminders under `resolved` as it always did.
//
// How: the change is derived from approved rows only (the payments a reviewer approved), so no second person decides
// it: the row gets a new version with status resolved (history `updated`) and that version is approved at once
// (history `approved`), both by RESOLVER, naming the run's user. Two commits, each conditioned on the etag read: a
// row changed in between is left alone. A reminder with a pending change of its own is left for its reviewer.
import { issuedReminders, resolvedReminders } from '../../../shared/calc/dunning';
import type { Reminder, ReminderLine } from '../../../shared/ledgers';
import { readAllApproved } from '../figures/ledgerView';
import { RECEIVABLES_LEDGERS } from '../functions/receivables';
import { approveWrite, updateWrite, type StoredRow } from '../store/ledgerEntities';
import { commitWrites, readApprovedRecords, readRows } from '../store/ledgerStore';

/** The stable identity of automatic resolutions in the reminders' history (never a user's object id). */
export const RESOLVER = 'ledgerdesk';

export interface Resolution {
  /** Paid reminders (all their invoices paid as of the day) written as resolved now, by number. */
  resolved: string[];
  /** Paid reminders not written because they have a pending change or changed while being written. */
  leftAlone: string[];
  /** Every approved, issued reminder found paid (resolved + leftAlone): none of them gets a letter. */
  paid: string[];
  /** The approved reminders and reminder lines as read before any write, for the run's letters (services/letters.ts). */
  read: { reminders: Reminder[]; reminderLines: ReminderLine[] };
}

/** Writes `resolved` to the approved, issued reminders whose invoices are all paid as of `asOf`. */
export async function resolvePaidReminders(asOf: string, runBy: string, now: Date = new Date()): Promise<Resolution> {
  const [data, reminders, lines] = await Promise.all([
    readAllApproved(RECEIVABLES_LEDGERS),
    readApprovedRecords('reminders'),
    readApprovedRecords('reminderLines'),
  ]);
  const issued = issuedReminders(reminders, lines);
  // Paid means settled by approved payments: a reminder without lines, or with an invoice that receivables leave out
  // (its contract does not exist), is not taken for paid, whatever resolvedReminders makes of the missing figures.
  const contracts = new Set(data.contracts.map((c) => c.contractId));
  const known = new Set(data.invoices.filter((i) => contracts.has(i.contractId)).map((i) => i.invoiceNo));
  const complete = new Set(
    issued.filter((r) => r.lines.length > 0 && r.lines.every((l) => known.has(l.invoiceNo))).map((r) => r.reminderNo),
  );
  const paid = resolvedReminders(data, issued, asOf)
    .filter((no) => complete.has(no))
    .sort();
  const read = { reminders, reminderLines: lines };
  if (paid.length === 0) return { resolved: [], leftAlone: [], paid, read };
  const at = now.toISOString();
  const by = `${RESOLVER} (all invoices paid as of ${asOf}; letters run by ${runBy})`;
  const open = (row: StoredRow<'reminders'> | undefined): row is StoredRow<'reminders'> =>
    row !== undefined && row.pendingVersion === undefined && row.approved?.status === 'issued';

  const stored = [...(await readRows('reminders', paid)).values()].filter(open);
  const updates = stored.map((row) =>
    updateWrite(row, { ...(row.approved as Reminder), status: 'resolved' }, { userId: by, oid: RESOLVER }, at),
  );
  const updated = (await commitWrites('reminders', updates)).flatMap((o, i) => (o.ok ? [stored[i]!.key] : []));

  // The version just written, approved by the same automatic hand, as long as nobody wrote the row since.
  const written = [...(await readRows('reminders', updated)).values()].filter(
    (row) => row.pendingVersion !== undefined && row.changedById === RESOLVER && row.latest.status === 'resolved',
  );
  const approved = await commitWrites(
    'reminders',
    written.map((row) => approveWrite(row, by, at)),
  );
  const resolved = written.flatMap((row, i) => (approved[i]?.ok === true ? [row.key] : [])).sort();
  return { resolved, leftAlone: paid.filter((no) => !resolved.includes(no)), paid, read };
}
