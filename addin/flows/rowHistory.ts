// "History of the selected row": the server's audit trail of the ledger row selected in Excel, in words a clerk reads
// (who changed which cells, who approved or rejected it, and the reasons given).
import type { HistoryEntry } from '../../shared/api';
import { columns, ledger as ledgerOf, type LedgerName } from '../../shared/ledgers';
import type { WorkbookAdapter } from '../excel/workbookAdapter';
import { ApiClientError, type LedgerApiClient } from './apiClient';
import { selectedLedgerRows } from './approve';
import { readLedger } from './ledgerSheet';

export interface HistoryLine {
  version: number;
  /** Created, Changed, Approved, Rejected. */
  what: string;
  by: string;
  at: string;
  /** The cells changed (`Quantity: 2 → 4`), for created and changed versions. */
  changes: string[];
  /** The writer's reason (PUT's optional reason) or the reviewer's reason for a rejection. */
  reason?: string;
}

export interface RowHistory {
  ledger: LedgerName;
  /** The ledger's title ("Invoice lines"). */
  title: string;
  key: string;
  /** Oldest first; empty when the server has never had the row. */
  lines: HistoryLine[];
}

const WHAT: Record<HistoryEntry['action'], string> = {
  created: 'Created',
  updated: 'Changed',
  approved: 'Approved',
  rejected: 'Rejected',
};

function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '(empty)';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The entries as lines: cells by their sheet headers, in the ledger's column order. */
export function historyLines(ledger: LedgerName, entries: readonly HistoryEntry[]): HistoryLine[] {
  const cols = columns(ledger);
  const header = new Map(cols.map((c) => [c.field, c.header]));
  const order = new Map(cols.map((c, i) => [c.field, i]));
  return entries.map((e) => {
    const changes = [...(e.changes ?? [])]
      .sort((a, b) => (order.get(a.field) ?? 1e9) - (order.get(b.field) ?? 1e9))
      .map((c) =>
        e.action === 'created'
          ? `${header.get(c.field) ?? c.field}: ${show(c.to)}`
          : `${header.get(c.field) ?? c.field}: ${show(c.from)} → ${show(c.to)}`,
      );
    let what = WHAT[e.action];
    if (e.approvedVersion !== undefined) what += ` version ${e.approvedVersion}`;
    if (e.rejectedVersion !== undefined) what += ` version ${e.rejectedVersion}`;
    const line: HistoryLine = { version: e.version, what, by: e.by, at: e.at, changes };
    if (e.reason !== undefined) line.reason = e.reason;
    return line;
  });
}

/**
 * The history of the first ledger row in the Excel selection. Errors say what to do: select a row of a ledger table,
 * fill in its key. A row the server does not have yet has an empty history.
 */
export async function selectedRowHistory(wb: WorkbookAdapter, api: LedgerApiClient): Promise<RowHistory> {
  const target = await selectedLedgerRows(wb);
  if (target === null) throw new Error('Select a row of a ledger table first (a row with data, not its header).');
  const sheet = await readLedger(wb, target.ledger);
  const row = sheet?.rows.find((r) => r.index === target.rows?.[0]);
  const title = ledgerOf(target.ledger).title;
  if (row === undefined || row.key === null)
    throw new Error(`The selected row of ${title} has no key yet: fill in its key columns.`);
  if (api.history === undefined) throw new Error('This connection cannot read row histories.');
  try {
    const res = await api.history(target.ledger, row.key);
    return { ledger: target.ledger, title, key: row.key, lines: historyLines(target.ledger, res.entries) };
  } catch (e) {
    if (e instanceof ApiClientError && e.status === 404)
      return { ledger: target.ledger, title, key: row.key, lines: [] };
    throw e;
  }
}
