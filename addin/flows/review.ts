// The review queue as the pane shows it: pages of pending changes, each field as approved → pending, and the sheet row of a change.
import type { PendingChange } from '../../shared/api';
import { columns, isLedgerName, ledger as ledgerOf, type LedgerName } from '../../shared/ledgers';
import type { WorkbookAdapter } from '../excel/workbookAdapter';
import type { LedgerApiClient, PendingParams } from './apiClient';
import { readLedger } from './ledgerSheet';

/** Changes per page of the Review tab: a page renders at once however long the queue is (5,000 and more). */
export const REVIEW_PAGE_SIZE = 100;

export interface ReviewFilters {
  ledger?: LedgerName;
  changedBy?: string;
}

/**
 * A position in the queue, as a stack of continuation tokens: the last one fetched the page shown, so "previous"
 * pops one and asks again (the API's tokens only go forward).
 */
export interface ReviewPage {
  rows: PendingChange[];
  /** Tokens of the pages before this one, and of this one (undefined for the first page). */
  trail: (string | undefined)[];
  next: string | null;
}

export async function reviewPage(
  api: LedgerApiClient,
  filters: ReviewFilters,
  trail: (string | undefined)[] = [undefined],
  pageSize = REVIEW_PAGE_SIZE,
): Promise<ReviewPage> {
  const token = trail[trail.length - 1];
  const params: PendingParams = { pageSize };
  if (filters.ledger !== undefined) params.ledger = filters.ledger;
  const maker = filters.changedBy?.trim() ?? '';
  if (maker !== '') params.changedBy = maker;
  if (token !== undefined) params.continuationToken = token;
  const res = await api.pending(params);
  return { rows: res.rows, trail, next: res.continuationToken };
}

export interface FieldChange {
  field: string;
  /** The column header in the ledger's sheet. */
  header: string;
  /** '' when the approved version lacks the field (a new row). */
  approved: string;
  pending: string;
}

function show(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The change's fields in the ledger's column order, with their sheet headers, as approved → pending. */
export function fieldChanges(change: PendingChange): FieldChange[] {
  const cols = isLedgerName(change.ledger) ? columns(change.ledger) : [];
  const header = new Map(cols.map((c) => [c.field, c.header]));
  const order = new Map(cols.map((c, i) => [c.field, i]));
  return [...change.changes]
    .sort((a, b) => (order.get(a.field) ?? 1e9) - (order.get(b.field) ?? 1e9))
    .map((c) => ({
      field: c.field,
      header: header.get(c.field) ?? c.field,
      approved: show(c.approved),
      pending: show(c.pending),
    }));
}

export type SelectOutcome = 'selected' | 'noTable' | 'notInSheet';

/** Selects the change's row in its ledger's table, when the workbook has that table and the row is in it. */
export async function selectChangeRow(wb: WorkbookAdapter, ledger: LedgerName, key: string): Promise<SelectOutcome> {
  const sheet = await readLedger(wb, ledger);
  if (sheet === null) return 'noTable';
  const row = sheet.rows.find((r) => r.key === key);
  if (row === undefined) return 'notInSheet';
  await wb.selectRow(sheet.table, row.index);
  return 'selected';
}

/** The ledger's title, as its sheet is named ("Order lines"). */
export function ledgerTitle(ledger: string): string {
  return isLedgerName(ledger) ? ledgerOf(ledger).title : ledger;
}
