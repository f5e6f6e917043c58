// The rows of the report workbook's "Open complaints" sheet (issue 15): complaints not resolved at the period's end,
// oldest first. The sheet itself is laid out by reports/workbook.ts (openComplaintsSheet) like every other sheet.
import { openCases } from '../../../shared/calc/customerFile';
import { type IsoDate } from '../../../shared/dates';
import type { Customer, Interaction } from '../../../shared/ledgers';

export const OPEN_COMPLAINTS_SHEET = 'Open complaints';

export interface OpenComplaintRow {
  interactionId: string;
  customerId: string;
  customerName: string | null;
  contractId: string | null;
  date: IsoDate;
  dueOn: IsoDate | null;
  status: string;
  owner: string;
  subject: string;
  ageDays: number;
  daysOverdue: number;
}

/**
 * The complaints open on `asOf` (approved versions: status open or in progress, dated on or before it), oldest
 * first, with their customer's name, age and days past their due date (shared/calc/customerFile openCases).
 */
export function openComplaintRows(
  complaints: readonly Interaction[],
  customers: readonly Pick<Customer, 'customerId' | 'name'>[],
  asOf: IsoDate,
): OpenComplaintRow[] {
  const names = new Map(customers.map((c) => [c.customerId, c.name]));
  return openCases(complaints, asOf).map(({ interaction: i, ageDays, daysOverdue }) => ({
    interactionId: i.interactionId,
    customerId: i.customerId,
    customerName: names.get(i.customerId) ?? null,
    contractId: i.contractId ?? null,
    date: i.date,
    dueOn: i.dueOn ?? null,
    // A complaint resolved after asOf was open on it; its status now says when it was resolved.
    status: i.status === 'resolved' ? `resolved on ${i.resolvedOn ?? ''}` : (i.status ?? 'open'),
    owner: i.owner,
    subject: i.subject,
    ageDays,
    daysOverdue,
  }));
}
