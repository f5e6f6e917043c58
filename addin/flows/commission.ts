// "Commission statements" (issue #14): GET /api/commission/statement for one salesperson, or for every salesperson of
// the month's assessment, written as one result table: every line of each statement, then the month's total. A
// statement is in one currency (its Currency column): a salesperson with commission in several currencies gets one
// statement per currency, the house currency's first, never one adding them.
import type { CommissionCurrencyStatementWire, CommissionStatementWire } from '../../shared/api';
import { toExcelSerial } from '../../shared/dates';
import { parseRate, scaledToCellNumber } from '../../shared/money';
import {
  DATE_FORMAT,
  INTEGER_FORMAT,
  MONEY_FORMAT,
  TEXT_FORMAT,
  type CellValue,
  type Matrix,
  type TableSpec,
  type WorkbookAdapter,
} from '../excel/workbookAdapter';
import { moneyCell } from '../excel/cells';
import type { LedgerApiClient } from './apiClient';

const PERCENT_FORMAT = '0.00%';

export const COMMISSION_SPEC: TableSpec = {
  sheet: 'Commission',
  table: 'CommissionStatements',
  columns: [
    { name: 'Salesperson ID', numberFormat: TEXT_FORMAT },
    { name: 'Name', numberFormat: TEXT_FORMAT },
    { name: 'Month', numberFormat: TEXT_FORMAT },
    { name: 'Currency', numberFormat: TEXT_FORMAT },
    { name: 'Line', numberFormat: TEXT_FORMAT },
    { name: 'Date', numberFormat: DATE_FORMAT },
    { name: 'Payment ID', numberFormat: TEXT_FORMAT },
    { name: 'Invoice no.', numberFormat: TEXT_FORMAT },
    { name: 'Contract ID', numberFormat: TEXT_FORMAT },
    { name: 'Settled months', numberFormat: TEXT_FORMAT },
    { name: 'Amount', numberFormat: MONEY_FORMAT },
    { name: 'Days after due date', numberFormat: INTEGER_FORMAT },
    { name: 'Rate', numberFormat: PERCENT_FORMAT },
    { name: 'Commission', numberFormat: MONEY_FORMAT },
  ],
};

/**
 * What a statement line is, in words: a payment's share of an invoice, an invoice, a settled month's change, or a
 * refund taking back part of a payment's share (issue #14).
 */
const LINE_KIND: Record<CommissionStatementWire['lines'][number]['kind'], string> = {
  allocation: 'Payment',
  invoice: 'Invoice',
  adjustment: 'Adjustment',
  refund: 'Refund',
  credit: 'Credit note',
};

const text = (v: string | null): CellValue => v ?? '';

/** One statement as rows: its lines, then "Month total" (or "Settled total": the commission settled for the month). */
export function statementRows(s: CommissionCurrencyStatementWire, name: string): Matrix {
  const rows: Matrix = s.lines.map((l) => [
    s.salespersonId,
    name,
    s.month,
    s.currency,
    LINE_KIND[l.kind],
    toExcelSerial(l.date),
    text(l.paymentId),
    text(l.invoiceNo),
    text(l.contractId),
    l.months.join(', '),
    moneyCell(l.amount),
    l.daysLate ?? '',
    l.rate === null ? '' : scaledToCellNumber(parseRate(l.rate), 4),
    moneyCell(l.commission),
  ]);
  rows.push([
    s.salespersonId,
    name,
    s.month,
    s.currency,
    s.settled ? 'Settled total' : 'Month total',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    moneyCell(s.commission),
  ]);
  return rows;
}

export interface CommissionWritten {
  /** Salespeople whose statements were written. */
  salespeople: number;
  /** Statements written: one per salesperson and currency with commission in the month (the house currency's always). */
  statements: number;
  /** Statement lines written (totals not counted). */
  lines: number;
}

/**
 * Writes the month's commission statements to the Commission sheet: `salespersonId`'s, or with an empty one every
 * salesperson's listed by the month's assessment (in its order). Per salesperson, the house currency's statement, then
 * one for each currency it names in otherCurrencies (in their order). A salesperson the API does not know is its 404.
 */
export async function writeCommissionStatements(
  wb: WorkbookAdapter,
  api: LedgerApiClient,
  month: string,
  salespersonId = '',
): Promise<CommissionWritten> {
  const statement = api.commissionStatement?.bind(api);
  if (statement === undefined || api.assessment === undefined)
    throw new Error('This API client cannot read commission statements.');
  const listed = (await api.assessment(month)).map((r) => ({ id: r.salespersonId, name: r.name }));
  const people =
    salespersonId === ''
      ? listed
      : [{ id: salespersonId, name: listed.find((p) => p.id === salespersonId)?.name ?? '' }];
  const matrix: Matrix = [];
  let lines = 0;
  let statements = 0;
  for (const p of people) {
    const house = await statement(p.id, month);
    for (const s of [house, ...(await Promise.all(house.otherCurrencies.map((c) => statement(p.id, month, c))))]) {
      statements++;
      lines += s.lines.length;
      matrix.push(...statementRows(s, p.name));
    }
  }
  await wb.writeResultsTable(COMMISSION_SPEC, matrix);
  return { salespeople: people.length, statements, lines };
}
