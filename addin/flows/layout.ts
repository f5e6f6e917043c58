// The workbook layout of the ledgers: one sheet and table per ledger, field columns from shared/ledgers, bookkeeping columns.
import { columns, LEDGERS, type Column, type LedgerDefinition } from '../../shared/ledgers';
import { TEXT_FORMAT, type ColumnSpec, type TableSpec } from '../excel/workbookAdapter';

/**
 * Bookkeeping columns after the fields. Approval and approver are visible because reviewers work from them; the sync
 * status stays visible too, because a row that failed to publish must be findable in the sheet without the pane.
 * The etag and the hash of the last published/pulled values mean nothing to users and are hidden.
 */
export const BOOKKEEPING = {
  approval: 'Approval',
  approvedBy: 'Approved by',
  status: 'Sync status',
  etag: 'ETag',
  hash: 'Sync hash',
} as const;

export const BOOKKEEPING_COLUMNS: readonly ColumnSpec[] = [
  { name: BOOKKEEPING.approval, numberFormat: TEXT_FORMAT },
  { name: BOOKKEEPING.approvedBy, numberFormat: TEXT_FORMAT },
  { name: BOOKKEEPING.status, numberFormat: TEXT_FORMAT },
  { name: BOOKKEEPING.etag, numberFormat: TEXT_FORMAT, hidden: true },
  { name: BOOKKEEPING.hash, numberFormat: TEXT_FORMAT, hidden: true },
];

export const BOOKKEEPING_HEADERS: readonly string[] = BOOKKEEPING_COLUMNS.map((c) => c.name);

/**
 * The base version of a row for the three-way merge (flows/merge.ts): the server's field values when the row was last
 * pulled or published, as JSON, in a hidden column of the ledger table itself. A column of the row rather than a
 * hidden sheet or the document's settings because it is saved with the workbook, moves with its row when the user
 * sorts or filters, is written in the same block as the row's etag and hash, and needs no second table kept in step
 * by key. Only the ledger tables have it; a table without it (the customer and contract files) merges nothing and
 * shows every cell both sides changed as a conflict.
 */
export const BASE_COLUMN: ColumnSpec = { name: 'Base version', numberFormat: TEXT_FORMAT, hidden: true };

/** Excel table names allow no spaces, so the table is the title in PascalCase ("Order lines" → "OrderLines"). */
export function tableName(def: LedgerDefinition): string {
  return def.title
    .split(/\s+/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

export function columnSpec(col: Column): ColumnSpec {
  return {
    name: col.header,
    numberFormat: col.numberFormat,
    ...(col.values !== undefined ? { list: col.values } : {}),
  };
}

export function ledgerTableSpec(def: LedgerDefinition): TableSpec {
  return {
    sheet: def.title,
    table: tableName(def),
    columns: [...columns(def.name).map(columnSpec), ...BOOKKEEPING_COLUMNS, BASE_COLUMN],
  };
}

/** The ledger shown on a worksheet, by its title. */
export function ledgerBySheet(sheet: string): LedgerDefinition | undefined {
  return LEDGERS.find((l) => l.title === sheet);
}
