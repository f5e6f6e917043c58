// "Reconcile" (issue 13 §3): the other side's lines pasted into the Their lines table (document, date, amount) against
// one customer's invoices, credit notes and payments on the workbook's ledger sheets, matched by the shared matcher
// (shared/calc/reconcile). Writes a match status and a difference per line of theirs, and the reconciling statement
// with our lines that they lack on the Reconciliation sheet. A match confirmed with "yes" in the Confirmed column is
// kept in later runs (while its lines are still there), so a new period only matches what is new.
import { DomainError } from '../../shared/errors';
import { ledgerData } from '../../shared/calc/index';
import {
  MATCH_REASON_LABELS,
  lineKey,
  reconcile,
  type ConfirmedMatch,
  type ReconLine,
  type ReconResult,
} from '../../shared/calc/reconcile';
import { customerStatement } from '../../shared/calc/statement';
import { fromExcelSerial, isIsoDate, toExcelSerial, type IsoDate } from '../../shared/dates';
import { centsFromCellNumber, parseMoney, scaledToCellNumber } from '../../shared/money';
import {
  DATE_FORMAT,
  MONEY_FORMAT,
  TEXT_FORMAT,
  WorkbookError,
  type CellValue,
  type Matrix,
  type TableSpec,
  type WorkbookAdapter,
} from '../excel/workbookAdapter';
import { completedRecords, readWorkbookRows, recordsOf } from './workbookRows';

export const THEIR_LINES_SPEC: TableSpec = {
  sheet: 'Their lines',
  table: 'TheirLines',
  columns: [
    { name: 'Document', numberFormat: TEXT_FORMAT },
    { name: 'Date', numberFormat: DATE_FORMAT },
    { name: 'Amount', numberFormat: MONEY_FORMAT },
    { name: 'Match', numberFormat: TEXT_FORMAT },
    { name: 'Difference', numberFormat: MONEY_FORMAT },
    /** "yes" (or TRUE) keeps the line's match in later runs. */
    { name: 'Confirmed', numberFormat: TEXT_FORMAT, list: ['yes', 'no'] },
    /** The keys of our lines in the line's match (shared/calc/reconcile lineKey), for confirming it. */
    { name: 'Matched with', numberFormat: TEXT_FORMAT, hidden: true },
  ],
};

export const RECONCILIATION_SPEC: TableSpec = {
  sheet: 'Reconciliation',
  table: 'Reconciliation',
  columns: [
    { name: 'Item', numberFormat: TEXT_FORMAT },
    { name: 'Document', numberFormat: TEXT_FORMAT },
    { name: 'Date', numberFormat: DATE_FORMAT },
    { name: 'Amount', numberFormat: MONEY_FORMAT },
  ],
};

const MATCH_KEY_SEPARATOR = '; ';

/** Match column text of a line of theirs that matched nothing. */
export const ONLY_THEIRS = 'Only theirs';

export interface ReconcileParams {
  customerId: string;
  /** Our lines: the customer's invoices and credit notes issued and payments received on or before this day. */
  asOf: IsoDate;
  /** Largest amount difference accepted for the same document number, in cents (default 0). */
  amountTolerance?: number;
  /** ± days for the same-amount pass (default 3). */
  dateWindowDays?: number;
  /**
   * Issue #13 §4: our lines of the customer's contracts in this currency; needed when the customer has contracts in
   * several (their lines are then refused with a message rather than matched against two currencies at once).
   */
  currency?: string;
}

export interface ReconcileSheetResult {
  result: ReconResult;
  /** Lines of theirs that could not be read: 1-based table row and the reason. */
  unreadable: { row: number; message: string }[];
}

function dateOf(cell: CellValue): IsoDate {
  if (typeof cell === 'number') return fromExcelSerial(cell);
  if (typeof cell === 'string' && isIsoDate(cell.trim())) return cell.trim();
  throw new Error(`date "${String(cell)}" is neither a date cell nor YYYY-MM-DD`);
}

function amountOf(cell: CellValue): number {
  if (typeof cell === 'number') return centsFromCellNumber(cell);
  if (typeof cell === 'string') return parseMoney(cell.trim());
  throw new Error('amount is empty');
}

/**
 * Our lines: the customer's statement lines, invoices positive, payments and credit notes negative, with the document
 * number.
 */
export function ourLines(
  data: Parameters<typeof customerStatement>[0],
  customerId: string,
  asOf: IsoDate,
  currency?: string,
): ReconLine[] {
  let statement: ReturnType<typeof customerStatement>;
  try {
    statement = customerStatement(data, customerId, '0001-01-01', asOf, currency);
  } catch (e) {
    // Two currencies and none named: say where the pane takes one.
    if (e instanceof DomainError && e.code === 'mixed_currencies')
      throw new DomainError(
        'mixed_currencies',
        `${e.message.split(':')[0]}: enter one of them under Currency, then reconcile again.`,
      );
    throw e;
  }
  return statement.lines.map((l) => ({
    id: `${l.kind}:${l.ref}`,
    ref: l.ref,
    date: l.date,
    amount: l.debit - l.credit,
  }));
}

export async function reconcileSheet(wb: WorkbookAdapter, params: ReconcileParams): Promise<ReconcileSheetResult> {
  await wb.ensureTable(THEIR_LINES_SPEC);
  const table = await wb.readTable(THEIR_LINES_SPEC.table);
  const col = (name: string) => {
    const i = table.headers.indexOf(name);
    if (i < 0) throw new WorkbookError('HEADER_MISMATCH', `The Their lines table has no "${name}" column.`);
    return i;
  };
  const [docCol, dateCol, amountCol] = [col('Document'), col('Date'), col('Amount')];
  const [confirmedCol, keysCol] = [col('Confirmed'), col('Matched with')];
  const theirs: ReconLine[] = [];
  const confirmed: ConfirmedMatch[] = [];
  const unreadable: { row: number; message: string }[] = [];
  table.rows.forEach((r, i) => {
    const doc = r[docCol];
    if ((doc === '' || doc === null) && (r[amountCol] === '' || r[amountCol] === null)) return;
    try {
      const line: ReconLine = {
        id: String(i),
        ref: String(doc ?? ''),
        date: dateOf(r[dateCol] ?? ''),
        amount: amountOf(r[amountCol] ?? ''),
      };
      theirs.push(line);
      const yes =
        r[confirmedCol] === true ||
        String(r[confirmedCol] ?? '')
          .trim()
          .toLowerCase() === 'yes';
      const keys = String(r[keysCol] ?? '')
        .split(MATCH_KEY_SEPARATOR)
        .filter((k) => k !== '');
      if (yes && keys.length > 0) confirmed.push({ ours: keys, theirs: [lineKey(line)] });
    } catch (e) {
      unreadable.push({ row: i + 1, message: e instanceof Error ? e.message : String(e) });
    }
  });

  const rows = await readWorkbookRows(wb, {
    ledgers: ['contracts', 'invoices', 'invoiceLines', 'payments', 'creditNotes'],
  });
  const data = ledgerData({
    contracts: recordsOf(rows, 'contracts'),
    invoices: completedRecords(rows, 'invoices'),
    invoiceLines: recordsOf(rows, 'invoiceLines'),
    payments: recordsOf(rows, 'payments'),
    creditNotes: recordsOf(rows, 'creditNotes'),
  });
  const result = reconcile(ourLines(data, params.customerId, params.asOf, params.currency), theirs, {
    amountTolerance: params.amountTolerance ?? 0,
    dateWindowDays: params.dateWindowDays ?? 3,
    confirmed,
  });

  // Match status, difference and our lines' keys per line of theirs, in table order; unreadable lines say why.
  // Confirmed reads "yes" on the lines of confirmed matches kept in this run and is cleared on every other line.
  const status: Matrix = table.rows.map(() => ['', null, null, null]);
  for (const m of result.matches)
    m.theirs.forEach((t, k) => {
      const ours = m.ours.map((o) => o.ref).join(', ');
      status[Number(t.id)] = [
        `${MATCH_REASON_LABELS[m.reason]}: ${ours}`,
        k === 0 && m.difference !== 0 ? scaledToCellNumber(m.difference, 2) : null,
        m.reason === 'confirmed' ? 'yes' : null,
        m.ours.map(lineKey).join(MATCH_KEY_SEPARATOR),
      ];
    });
  for (const t of result.onlyTheirs) status[Number(t.id)] = [ONLY_THEIRS, null, null, null];
  for (const u of unreadable) status[u.row - 1] = [`Not read: ${u.message}`, null, null, null];
  if (status.length > 0)
    await wb.updateColumns(THEIR_LINES_SPEC.table, 0, ['Match', 'Difference', 'Confirmed', 'Matched with'], status);

  const s = result.statement;
  const money = (c: number) => scaledToCellNumber(c, 2);
  const statement: Matrix = [
    ['Our balance', '', null, money(s.ourBalance)],
    ...result.onlyOurs.map((o): CellValue[] => ['Only ours (less)', o.ref, toExcelSerial(o.date), money(-o.amount)]),
    ...result.onlyTheirs.map((t): CellValue[] => ['Only theirs (add)', t.ref, toExcelSerial(t.date), money(t.amount)]),
    ...result.matches
      .filter((m) => m.difference !== 0)
      .map((m): CellValue[] => ['Difference', m.theirs.map((t) => t.ref).join(', '), null, money(m.difference)]),
    ['Their balance', '', null, money(s.theirBalance)],
    ['Ties', s.ties ? 'yes' : 'NO', null, null],
  ];
  await wb.writeResultsTable(RECONCILIATION_SPEC, statement);
  return { result, unreadable };
}
