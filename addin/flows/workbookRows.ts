// All ledger tables of the workbook read once, parsed with the shared schemas, with a reference lookup over them.
import {
  LEDGERS,
  completeRow,
  parseRow,
  type FieldError,
  type LedgerName,
  type LedgerRecord,
} from '../../shared/ledgers';
import type { ReferenceLookup } from '../../shared/references';
import type { WorkbookAdapter } from '../excel/workbookAdapter';
import { readLedger, type LedgerSheet, type SheetRow } from './ledgerSheet';
import type { ProgressFn } from './progress';

export interface ParsedRow {
  row: SheetRow;
  /** The parsed record, or undefined when the row has field errors. */
  record: LedgerRecord<LedgerName> | undefined;
  /** Cell and schema errors (references are checked separately). */
  errors: FieldError[];
}

export interface WorkbookRows {
  sheets: Map<LedgerName, LedgerSheet>;
  parsed: Map<LedgerName, ParsedRow[]>;
}

/** Parses one sheet row: the cells' own errors first, then the schema's for the other fields. */
export function parseSheetRow(ledger: LedgerName, row: SheetRow): ParsedRow {
  const result = parseRow(ledger, row.wire);
  const cellFields = new Set(row.cellErrors.map((e) => e.field));
  const schemaErrors = result.ok ? [] : result.errors.filter((e) => !cellFields.has(e.field));
  const errors = [...row.cellErrors, ...schemaErrors];
  return { row, record: result.ok && errors.length === 0 ? result.record : undefined, errors };
}

/** Reads every ledger table present, reporting progress over all of them. */
export async function readWorkbookRows(
  wb: WorkbookAdapter,
  options: { ledgers?: readonly LedgerName[]; onProgress?: ProgressFn; signal?: AbortSignal } = {},
): Promise<WorkbookRows> {
  const sheets = new Map<LedgerName, LedgerSheet>();
  const parsed = new Map<LedgerName, ParsedRow[]>();
  for (const def of LEDGERS) {
    if (options.ledgers !== undefined && !options.ledgers.includes(def.name)) continue;
    const sheet = await readLedger(wb, def.name, options.onProgress, options.signal);
    if (sheet === null) continue;
    sheets.set(def.name, sheet);
    parsed.set(
      def.name,
      sheet.rows.map((r) => parseSheetRow(def.name, r)),
    );
  }
  return { sheets, parsed };
}

/** Valid records of one ledger. */
export function recordsOf<L extends LedgerName>(rows: WorkbookRows, ledger: L): LedgerRecord<L>[] {
  return (rows.parsed.get(ledger) ?? []).flatMap((p) => (p.record === undefined ? [] : [p.record as LedgerRecord<L>]));
}

/**
 * Reference lookup over the workbook's rows (what it holds, including what was pulled into it). A parent row with
 * errors of its own still counts as existing: its errors are reported on it, not repeated on every child.
 */
export function workbookLookup(rows: WorkbookRows): ReferenceLookup {
  const keys = new Map<LedgerName, Set<string>>();
  for (const [ledger, list] of rows.parsed)
    keys.set(ledger, new Set(list.flatMap((p) => (p.row.key !== null ? [p.row.key] : []))));
  // Order lines with errors of their own still put their item on the contract (same rule as parents above).
  const items = new Set(
    (rows.parsed.get('orderLines') ?? []).map(
      (p) => `${String(p.row.wire['contractId'])}\u0000${String(p.row.wire['itemCode'])}`,
    ),
  );
  // An invoice with errors of its own still names its contract, for a credit note's cross-check.
  const invoiceContracts = new Map(
    (rows.parsed.get('invoices') ?? []).map((p) => [String(p.row.wire['invoiceNo']), String(p.row.wire['contractId'])]),
  );
  return {
    exists: (ledger, key) => keys.get(ledger)?.has(key) ?? false,
    contractHasItem: (contractId, itemCode) => items.has(`${contractId}\u0000${itemCode}`),
    invoiceContract: (invoiceNo) => invoiceContracts.get(invoiceNo),
  };
}

/** Completes records the way the server will (invoice due dates from the contract's terms). */
export function completedRecords<L extends LedgerName>(rows: WorkbookRows, ledger: L): LedgerRecord<L>[] {
  const terms = new Map(recordsOf(rows, 'contracts').map((c) => [c.contractId, c.paymentTermsDays]));
  const ctx = {
    // The currency default comes from server configuration; no calculation on the sheet depends on it.
    defaultCurrency: '',
    paymentTermsDays: (id: string) => terms.get(id),
  };
  return recordsOf(rows, ledger).map((r) => completeRow(ledger, r, ctx));
}
