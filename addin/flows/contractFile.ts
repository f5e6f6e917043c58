// The contract file sheet (issue 15): what the back office sends the customer about a contract's implementation.
// The contract as a labelled form at the top (editable and publishable), then, stacked below it, contract
// performance per line, deliveries and returns, invoice lines with the invoice check's findings marked on them,
// payments, credit notes, and last the order lines (editable, so they can grow downwards into free rows). The sheet
// is rebuilt on every open (its tables are placed by their sizes) and set up to print landscape, one page wide.
import type { ContractFileResponse } from '../../shared/api';
import { toExcelSerial } from '../../shared/dates';
import { columns } from '../../shared/ledgers';
import { parseUnitPrice, scaledToCellNumber } from '../../shared/money';
import {
  DATE_FORMAT,
  GENERAL_FORMAT,
  INTEGER_FORMAT,
  MONEY_FORMAT,
  TEXT_FORMAT,
  WorkbookError,
  type CellMark,
  type CellValue,
  type ColumnSpec,
  type Matrix,
  type TableSpec,
  type WorkbookAdapter,
} from '../excel/workbookAdapter';
import { moneyCell } from '../excel/cells';
import type { LedgerApiClient } from './apiClient';
import {
  FORM_HEADERS,
  formRows,
  ledgerRow,
  publishForm,
  unpublished,
  type FilePublishResult,
  type FormRef,
} from './customerFile';
import { BOOKKEEPING_COLUMNS, columnSpec } from './layout';
import { publish, type PublishOptions } from './publish';

export const CONTRACT_FILE_SHEET = 'Contract file';
export const CONTRACT_FORM: FormRef = { table: 'ContractFileForm', ledger: 'contracts', name: 'the contract form' };
export const CONTRACT_ORDER_LINES = { ledger: 'orderLines', table: 'ContractOrderLines' } as const;
/** 0-based sheet row of the first table's header under the form (the form has a fixed number of rows). */
export const CONTRACT_TABLES_ROW = 16;
/** Empty rows between two stacked tables. */
export const GAP_ROWS = 2;
/** The fill of an invoice line the invoice check has findings on. */
export const FINDING_FILL = '#FFC7CE';

const col = (name: string, numberFormat: string): ColumnSpec => ({ name, numberFormat });
const text = (v: unknown): CellValue =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
const date = (v: unknown): CellValue => (typeof v === 'string' && v !== '' ? toExcelSerial(v) : '');
const money = (v: unknown): CellValue => (typeof v === 'string' ? moneyCell(v) : '');
const price = (v: unknown): CellValue => (typeof v === 'string' ? scaledToCellNumber(parseUnitPrice(v), 4) : '');
const int = (v: unknown): CellValue => (typeof v === 'number' ? v : '');

interface Section {
  table: string;
  columns: ColumnSpec[];
  rows: (f: ContractFileResponse) => Matrix;
}

const SECTIONS: readonly Section[] = [
  {
    table: 'ContractPerformance',
    columns: [
      col('Line', INTEGER_FORMAT),
      col('Item code', TEXT_FORMAT),
      col('Ordered', INTEGER_FORMAT),
      col('Delivered', INTEGER_FORMAT),
      col('Returned', INTEGER_FORMAT),
      col('Net delivered', INTEGER_FORMAT),
      col('Invoiced', INTEGER_FORMAT),
      col('Ordered amount', MONEY_FORMAT),
      col('Invoiced amount', MONEY_FORMAT),
      col('Fulfilled %', GENERAL_FORMAT),
    ],
    rows: (f) =>
      (f.performance?.lines ?? []).map((l) => [
        l.lineNo,
        l.itemCode,
        l.ordered,
        l.delivered,
        l.returned,
        l.netDelivered,
        l.invoiced,
        money(l.orderedAmount),
        money(l.invoicedAmount),
        l.fulfilledPct,
      ]),
  },
  {
    table: 'ContractDeliveries',
    columns: [
      col('Delivery ID', TEXT_FORMAT),
      col('Kind', TEXT_FORMAT),
      col('Date', DATE_FORMAT),
      col('Item code', TEXT_FORMAT),
      col('Quantity', INTEGER_FORMAT),
      col('Return reason', TEXT_FORMAT),
    ],
    rows: (f) =>
      f.deliveries.map((d) => [
        text(d['deliveryId']),
        text(d['kind']),
        date(d['date']),
        text(d['itemCode']),
        int(d['quantity']),
        text(d['returnReason']),
      ]),
  },
  {
    table: 'ContractInvoiceLines',
    columns: [
      col('Invoice no', TEXT_FORMAT),
      col('Issued on', DATE_FORMAT),
      col('Due on', DATE_FORMAT),
      col('Line', INTEGER_FORMAT),
      col('Item code', TEXT_FORMAT),
      col('Quantity', INTEGER_FORMAT),
      col('Unit price', '#,##0.00##'),
      col('Findings', TEXT_FORMAT),
    ],
    rows: (f) =>
      f.invoices.flatMap(({ invoice: i, lines }) =>
        lines.map(({ line: l, findings }) => [
          text(i['invoiceNo']),
          date(i['issuedOn']),
          date(i['dueOn']),
          int(l['lineNo']),
          text(l['itemCode']),
          int(l['quantity']),
          price(l['unitPrice']),
          findings.map((x) => x.code).join(', '),
        ]),
      ),
  },
  {
    table: 'ContractPayments',
    columns: [
      col('Payment ID', TEXT_FORMAT),
      col('Invoice no', TEXT_FORMAT),
      col('Received on', DATE_FORMAT),
      col('Amount', MONEY_FORMAT),
    ],
    rows: (f) =>
      f.payments.map((p) => [text(p['paymentId']), text(p['invoiceNo']), date(p['receivedOn']), money(p['amount'])]),
  },
  {
    table: 'ContractCreditNotes',
    columns: [
      col('Credit note no', TEXT_FORMAT),
      col('Invoice no', TEXT_FORMAT),
      col('Issued on', DATE_FORMAT),
      col('Amount', MONEY_FORMAT),
      col('Credit reason', TEXT_FORMAT),
    ],
    rows: (f) =>
      (f.creditNotes ?? []).map((c) => [
        text(c['creditNoteNo']),
        text(c['invoiceNo']),
        date(c['issuedOn']),
        money(c['amount']),
        text(c['creditReason']),
      ]),
  },
];

/** Every table of the contract file with its place for this file's sizes: the form at A1, the others stacked. */
export function contractLayout(f: ContractFileResponse): { spec: TableSpec; rows: Matrix }[] {
  const at = (row: number) => ({ row, column: 0 });
  const out: { spec: TableSpec; rows: Matrix }[] = [
    {
      spec: {
        sheet: CONTRACT_FILE_SHEET,
        table: CONTRACT_FORM.table,
        columns: [col(FORM_HEADERS[0], TEXT_FORMAT), col(FORM_HEADERS[1], GENERAL_FORMAT)],
        at: at(0),
      },
      rows: formRows('contracts', f.contract),
    },
  ];
  let row = CONTRACT_TABLES_ROW;
  const place = (table: string, cols: ColumnSpec[], rows: Matrix): void => {
    out.push({ spec: { sheet: CONTRACT_FILE_SHEET, table, columns: cols, at: at(row) }, rows });
    // The header, the body (a table keeps at least one row) and the gap.
    row += 1 + Math.max(1, rows.length) + GAP_ROWS;
  };
  for (const s of SECTIONS) place(s.table, s.columns, s.rows(f));
  place(
    CONTRACT_ORDER_LINES.table,
    [...columns('orderLines').map(columnSpec), ...BOOKKEEPING_COLUMNS],
    f.orderLines.map((l) => ledgerRow('orderLines', l)),
  );
  return out;
}

/** The tables of a contract file sheet, by name (whatever contract it shows). */
export const CONTRACT_FILE_TABLES: readonly string[] = [
  CONTRACT_FORM.table,
  ...SECTIONS.map((s) => s.table),
  CONTRACT_ORDER_LINES.table,
];

export interface ContractFileResult {
  contractId: string;
  counts: Record<string, number>;
  /** Invoice lines with findings, marked on the sheet. */
  linesWithFindings: number;
}

/**
 * Writes the contract file of `contractId`: removes the sheet's file tables, places them again for this contract's
 * sizes, marks invoice lines with findings (fill and note on the Findings cell) and sets the sheet up for printing.
 * Refuses, changing nothing, while the contract form or the order lines hold unpublished changes.
 */
export async function openContractFile(
  wb: WorkbookAdapter,
  api: LedgerApiClient,
  contractId: string,
): Promise<ContractFileResult> {
  if (api.contractFile === undefined) throw new Error('This API client cannot read contract files.');
  const pending = await unpublished(wb, CONTRACT_FORM, [CONTRACT_ORDER_LINES]);
  if (pending.length > 0)
    throw new WorkbookError(
      'BAD_SHAPE',
      `The contract file has changes that are not published (${pending.join(', ')}): publish them first, or they would be overwritten.`,
    );
  const file = await api.contractFile(contractId);
  for (const table of CONTRACT_FILE_TABLES) await wb.removeTable(table);
  const counts: Record<string, number> = {};
  for (const { spec, rows } of contractLayout(file)) {
    await wb.ensureTable(spec);
    await wb.writeRows(spec.table, rows, 'replace');
    counts[spec.table] = rows.length;
  }
  const marks: CellMark[] = [];
  let index = 0;
  for (const { lines } of file.invoices)
    for (const { findings } of lines) {
      if (findings.length > 0)
        marks.push({
          row: index,
          column: 'Findings',
          fill: FINDING_FILL,
          note: findings.map((x) => `${x.code}: expected ${String(x.expected)}, got ${String(x.actual)}`).join('; '),
        });
      index++;
    }
  if (marks.length > 0) await wb.markCells('ContractInvoiceLines', marks);
  await wb.setPrintLayout(CONTRACT_FILE_SHEET);
  return { contractId, counts, linesWithFindings: marks.length };
}

/** Publishes the contract form (when changed) and then the new and changed order lines, like the customer file. */
export async function publishContractFile(
  wb: WorkbookAdapter,
  api: LedgerApiClient,
  options: Pick<PublishOptions, 'failedOnly' | 'onProgress' | 'signal'> = {},
): Promise<FilePublishResult> {
  const form = await publishForm(
    wb,
    api,
    CONTRACT_FORM,
    options.failedOnly === true,
    'There is no contract file to publish: open one first.',
  );
  const tables = await publish(wb, api, { ...options, tables: [CONTRACT_ORDER_LINES] });
  return { form, tables };
}
