// "Validate": every row of every ledger table against the shared schemas and reference rules; marks and lists errors.
import { LEDGERS, ledger as ledgerOf, type Delivery, type FieldError, type LedgerName } from '../../shared/ledgers';
import { checkReferences, checkReturns } from '../../shared/references';
import type { CellMark, WorkbookAdapter } from '../excel/workbookAdapter';
import type { LedgerSheet } from './ledgerSheet';
import { remark } from './marks';
import type { ProgressFn } from './progress';
import { readWorkbookRows, workbookLookup } from './workbookRows';

export const INVALID_FILL = '#FFC7CE';

export interface CellError {
  ledger: LedgerName;
  table: string;
  sheet: string;
  /** 0-based body row. */
  row: number;
  /** Header of the column. */
  column: string;
  field: string;
  /** `'Order lines'!C5`. */
  address: string;
  message: string;
}

export interface ValidateResult {
  rowsChecked: number;
  invalidRows: number;
  errors: CellError[];
  /** Ledgers without a table in the workbook. */
  missingTables: LedgerName[];
}

function errorAt(sheet: LedgerSheet, row: number, field: string, message: string): CellError {
  // An error without a field of this ledger (an unknown field, a malformed row) points at the key's first column.
  const keyField = ledgerOf(sheet.ledger).key[0] as string;
  const header = sheet.col(sheet.header(field)) >= 0 ? sheet.header(field) : sheet.header(keyField);
  return {
    ledger: sheet.ledger,
    table: sheet.table,
    sheet: sheet.sheet,
    row,
    column: header,
    field,
    address: sheet.address(row, header),
    message,
  };
}

export async function validateWorkbook(
  wb: WorkbookAdapter,
  options: { onProgress?: ProgressFn; signal?: AbortSignal; mark?: boolean } = {},
): Promise<ValidateResult> {
  const rows = await readWorkbookRows(wb, options);
  const lookup = workbookLookup(rows);
  const errors: CellError[] = [];
  let rowsChecked = 0;
  const invalid = new Set<string>();
  const missingTables: LedgerName[] = [];
  // The return rule as the server applies it (shared/references.ts), with the sheet as the whole store: every
  // delivery on the sheet counts, and each return may not exceed what was delivered of its item up to its date.
  const returnErrors = new Map<number, FieldError>();
  const movements = (rows.parsed.get('deliveries') ?? []).filter((p) => p.record !== undefined);
  const records = movements.map((p) => p.record as Delivery);
  checkReturns(
    records.filter((r) => r.kind !== 'return'),
    records,
  ).forEach((e, i) => {
    if (e !== null) returnErrors.set((movements[i] as (typeof movements)[number]).row.index, e);
  });
  for (const [ledger, parsedRows] of rows.parsed) {
    const sheet = rows.sheets.get(ledger) as LedgerSheet;
    const seen = new Map<string, number>();
    for (const p of parsedRows) {
      rowsChecked++;
      const found = [...p.errors];
      if (p.record !== undefined) found.push(...checkReferences(ledger, p.record, lookup));
      const returnError = ledger === 'deliveries' ? returnErrors.get(p.row.index) : undefined;
      if (returnError !== undefined) found.push(returnError);
      if (p.row.key !== null) {
        const first = seen.get(p.row.key);
        if (first !== undefined)
          found.push({
            field: ledgerOf(ledger).key[0] as string,
            message: `duplicate key ${p.row.key}: the same key is on row ${sheet.origin.row + 2 + first}`,
          });
        else seen.set(p.row.key, p.row.index);
      }
      for (const f of found) errors.push(errorAt(sheet, p.row.index, f.field, `${sheet.header(f.field)} ${f.message}`));
      if (found.length > 0) invalid.add(`${ledger}#${p.row.index}`);
    }
  }
  for (const def of LEDGERS) if (!rows.sheets.has(def.name)) missingTables.push(def.name);

  if (options.mark !== false) {
    for (const sheet of rows.sheets.values()) {
      const marks: CellMark[] = errors
        .filter((e) => e.table === sheet.table)
        .map((e) => ({ row: e.row, column: e.column, fill: INVALID_FILL, note: e.message }));
      await remark(wb, sheet.table, marks);
    }
  }
  return { rowsChecked, invalidRows: invalid.size, errors, missingTables };
}
