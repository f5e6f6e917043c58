// The customer file sheet (issue 15): the customer's fields as a labelled form at the top, its contacts and
// interactions as editable tables below it, then its contracts, receivables, documents, samples out and open
// complaints read-only; opened from GET /api/customers/{id}/file and published with the ledgers' publish machinery.
//
// Layout (stable, so formulas and the user's own cells around it keep their places): the form is a two-column table
// (Field, Value) at A1 with one row per customer field and then the row's bookkeeping (approval, sync status, etag,
// sync hash); every other table starts on sheet row TABLES_ROW + 1, side by side from column A with one empty column
// between them. Each table grows downwards only, so none can run into another.
import { plural } from '../../shared/text';
import type { CustomerFileResponse, ReadRow } from '../../shared/api';
import { RECEIVABLES_AMOUNT_LABELS, RECEIVABLES_AMOUNTS } from '../../shared/calc/aging';
import { toExcelSerial } from '../../shared/dates';
import { columns, type LedgerName } from '../../shared/ledgers';
import {
  DATE_FORMAT,
  GENERAL_FORMAT,
  INTEGER_FORMAT,
  MONEY_FORMAT,
  TEXT_FORMAT,
  WorkbookError,
  type CellValue,
  type ColumnSpec,
  type Matrix,
  type TableSpec,
  type WorkbookAdapter,
} from '../excel/workbookAdapter';
import { moneyCell } from '../excel/cells';
import { ApiClientError, type LedgerApiClient } from './apiClient';
import { approvalText } from './bookkeeping';
import { CONFLICT_STATUS, serverRowCells } from './conflicts';
import { rowToWire } from './convert';
import { fingerprint, rowHash } from './hash';
import { BOOKKEEPING, BOOKKEEPING_COLUMNS, columnSpec } from './layout';
import { readLedger } from './ledgerSheet';
import { isFailedStatus, publish, type PublishOptions, type PublishResult } from './publish';

export const CUSTOMER_FILE_SHEET = 'Customer file';
export const FORM_TABLE = 'CustomerFileForm';
export const FORM_HEADERS = ['Field', 'Value'] as const;
/**
 * 0-based sheet row of the header row of every table below the form: the form has a row per customer field plus its
 * header and three bookkeeping rows (15 with the 10 customer fields of issues 13 and 15), and a test keeps it below this.
 */
export const TABLES_ROW = 20;

/** The editable tables: each holds its ledger's columns and bookkeeping, so publish reads it like a ledger table. */
export const EDITABLE: readonly { ledger: LedgerName; table: string }[] = [
  { ledger: 'contacts', table: 'FileContacts' },
  { ledger: 'interactions', table: 'FileInteractions' },
];

type ReadOnlyTable = { table: string; columns: ColumnSpec[]; rows: (file: CustomerFileResponse) => Matrix };

const text = (v: unknown): CellValue =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
const date = (v: unknown): CellValue => (typeof v === 'string' && v !== '' ? toExcelSerial(v) : '');
const money = (v: unknown): CellValue => (typeof v === 'string' ? moneyCell(v) : '');
const col = (name: string, numberFormat: string): ColumnSpec => ({ name, numberFormat });

const READ_ONLY: readonly ReadOnlyTable[] = [
  {
    table: 'FileContracts',
    columns: [
      col('Contract ID', TEXT_FORMAT),
      col('Signed on', DATE_FORMAT),
      col('Status', TEXT_FORMAT),
      col('Approval', TEXT_FORMAT),
      col('Ordered', MONEY_FORMAT),
      col('Delivered', MONEY_FORMAT),
      col('Invoiced', MONEY_FORMAT),
      col('Collected', MONEY_FORMAT),
      col('Receivable', MONEY_FORMAT),
    ],
    rows: (f) =>
      f.contracts.map(({ contract: c, performance: p }) => [
        text(c['contractId']),
        date(c['signedOn']),
        text(c['status']),
        approvalText(c.approval),
        money(p?.orderedAmount),
        money(p?.deliveredAmount),
        money(p?.invoicedAmount),
        money(p?.collected),
        money(p?.receivable),
      ]),
  },
  {
    table: 'FileReceivables',
    columns: [
      col('As of', DATE_FORMAT),
      ...RECEIVABLES_AMOUNTS.map((a) => col(RECEIVABLES_AMOUNT_LABELS[a], MONEY_FORMAT)),
    ],
    rows: (f) =>
      f.receivables === null ? [] : [[date(f.asOf), ...RECEIVABLES_AMOUNTS.map((a) => money(f.receivables?.[a]))]],
  },
  {
    table: 'FileComplaints',
    columns: [
      col('Open complaint', TEXT_FORMAT),
      col('Date', DATE_FORMAT),
      col('Subject', TEXT_FORMAT),
      col('Owner', TEXT_FORMAT),
      col('Status', TEXT_FORMAT),
      col('Due on', DATE_FORMAT),
      col('Age (days)', INTEGER_FORMAT),
      col('Days overdue', INTEGER_FORMAT),
    ],
    rows: (f) =>
      f.openComplaints.map(({ interaction: i, ageDays, daysOverdue }) => [
        text(i['interactionId']),
        date(i['date']),
        text(i['subject']),
        text(i['owner']),
        text(i['status']),
        date(i['dueOn']),
        ageDays,
        daysOverdue,
      ]),
  },
  {
    table: 'FileDocuments',
    columns: [
      col('Document ID', TEXT_FORMAT),
      col('Kind', TEXT_FORMAT),
      col('Number', TEXT_FORMAT),
      col('Valid to', DATE_FORMAT),
      col('Expiry', TEXT_FORMAT),
      col('Days left', INTEGER_FORMAT),
    ],
    rows: (f) =>
      f.documents.map(({ document: d, flag, daysLeft }) => [
        text(d['documentId']),
        text(d['kind']),
        text(d['number']),
        date(d['validTo']),
        flag,
        daysLeft ?? '',
      ]),
  },
  {
    table: 'FileSamples',
    columns: [
      col('Sample out', TEXT_FORMAT),
      col('Item code', TEXT_FORMAT),
      col('Quantity', INTEGER_FORMAT),
      col('Sent on', DATE_FORMAT),
      col('Due back on', DATE_FORMAT),
      col('State', TEXT_FORMAT),
      col('Days out', INTEGER_FORMAT),
      col('Days overdue', INTEGER_FORMAT),
    ],
    rows: (f) =>
      f.samplesOut.map(({ sample: s, state, daysOut, daysOverdue }) => [
        text(s['sampleId']),
        text(s['itemCode']),
        typeof s['quantity'] === 'number' ? s['quantity'] : '',
        date(s['sentOn']),
        date(s['dueBackOn']),
        state,
        daysOut,
        daysOverdue,
      ]),
  },
];

const BOOKKEEPING_LABELS = BOOKKEEPING_COLUMNS.map((c) => c.name);

/** The form's labels, top to bottom: the customer's field headers, then the bookkeeping. */
export function formLabels(): string[] {
  return [...columns('customers').map((c) => c.header), ...BOOKKEEPING_LABELS];
}

function editableSpec(ledger: LedgerName, table: string, column: number): TableSpec {
  return {
    sheet: CUSTOMER_FILE_SHEET,
    table,
    columns: [...columns(ledger).map(columnSpec), ...BOOKKEEPING_COLUMNS],
    at: { row: TABLES_ROW, column },
  };
}

/** Every table of the sheet with its place: the form at A1, the others side by side on TABLES_ROW. */
export function fileLayout(): { spec: TableSpec; readOnly?: ReadOnlyTable }[] {
  const out: { spec: TableSpec; readOnly?: ReadOnlyTable }[] = [
    {
      spec: {
        sheet: CUSTOMER_FILE_SHEET,
        table: FORM_TABLE,
        columns: [col(FORM_HEADERS[0], TEXT_FORMAT), col(FORM_HEADERS[1], GENERAL_FORMAT)],
        at: { row: 0, column: 0 },
      },
    },
  ];
  let column = 0;
  for (const e of EDITABLE) {
    const spec = editableSpec(e.ledger, e.table, column);
    out.push({ spec });
    column += spec.columns.length + 1;
  }
  for (const r of READ_ONLY) {
    out.push({
      spec: { sheet: CUSTOMER_FILE_SHEET, table: r.table, columns: r.columns, at: { row: TABLES_ROW, column } },
      readOnly: r,
    });
    column += r.columns.length + 1;
  }
  return out;
}

/** The form as read from the sheet: values by label, the customer row it describes, and where each label is. */
export interface FormState {
  rows: Matrix;
  byLabel: Map<string, { index: number; value: CellValue }>;
  wire: Record<string, unknown>;
  errors: { field: string; message: string }[];
  hash: string;
  etag: string;
  syncHash: string;
  status: string;
}

function str(v: CellValue | undefined): string {
  return v === undefined || v === null ? '' : String(v);
}

/** Reads the customer form by label (rows may be moved within the form); null when the sheet has no form yet. */
export function readForm(wb: WorkbookAdapter): Promise<FormState | null> {
  return readFormOf(wb, FORM_TABLE, 'customers');
}

/** A file's form: `ledger`'s fields and the row's bookkeeping as Field/Value rows of the table `table`, by label. */
export interface FormRef {
  table: string;
  ledger: LedgerName;
  /** What the form is called in messages. */
  name: string;
}

export async function readFormOf(wb: WorkbookAdapter, table: string, ledger: LedgerName): Promise<FormState | null> {
  let data;
  try {
    data = await wb.readTable(table);
  } catch (e) {
    if (e instanceof WorkbookError && e.code === 'NOT_FOUND') return null;
    throw e;
  }
  const byLabel = new Map<string, { index: number; value: CellValue }>();
  data.rows.forEach((r, index) => {
    const label = str(r[0]).trim();
    if (label !== '' && !byLabel.has(label)) byLabel.set(label, { index, value: r[1] ?? '' });
  });
  const cols = columns(ledger);
  const missing = cols.filter((c) => !byLabel.has(c.header)).map((c) => c.header);
  if (missing.length > 0)
    throw new WorkbookError(
      'HEADER_MISMATCH',
      `The form ${table} lacks the ${missing.length === 1 ? 'field' : 'fields'} ${missing.join(', ')}: put the label back in the Field column, or open the file again.`,
    );
  const cells = cols.map((c) => byLabel.get(c.header)?.value ?? '');
  const { wire, errors } = rowToWire(
    ledger,
    cells,
    cells.map((_, i) => i),
  );
  const bk = (label: string): string => str(byLabel.get(label)?.value);
  return {
    rows: data.rows,
    byLabel,
    wire,
    errors,
    hash: rowHash(wire),
    etag: bk(BOOKKEEPING.etag),
    syncHash: bk(BOOKKEEPING.hash),
    status: bk(BOOKKEEPING.status),
  };
}

/** What on a file sheet has not been published (or failed to): re-opening would lose it. */
export async function unpublished(
  wb: WorkbookAdapter,
  form: FormRef,
  editable: readonly { ledger: LedgerName; table: string }[],
): Promise<string[]> {
  const found: string[] = [];
  const state = await readFormOf(wb, form.table, form.ledger);
  if (state !== null && (state.hash !== state.syncHash || isFailedStatus(state.status))) found.push(form.name);
  for (const e of editable) {
    const sheet = await readLedger(wb, e.ledger, undefined, undefined, e.table);
    const n = sheet?.rows.filter((r) => r.hash !== r.syncHash || isFailedStatus(r.status)).length ?? 0;
    if (n > 0) found.push(`${plural(n, `${e.ledger} row`)}`);
  }
  return found;
}

const CUSTOMER_FORM: FormRef = { table: FORM_TABLE, ledger: 'customers', name: 'the customer form' };

export function bookkeepingCells(row: ReadRow, hash: string): Record<string, CellValue> {
  return {
    [BOOKKEEPING.approval]: approvalText(row.approval),
    [BOOKKEEPING.approvedBy]: row.approval.approvedBy ?? '',
    [BOOKKEEPING.status]: 'pulled',
    [BOOKKEEPING.etag]: row.etag,
    [BOOKKEEPING.hash]: hash,
  };
}

export function ledgerRow(ledger: LedgerName, row: ReadRow): CellValue[] {
  const { cells, hash } = serverRowCells(ledger, row);
  const bk = bookkeepingCells(row, hash);
  return [...cells, ...BOOKKEEPING_LABELS.map((l) => bk[l] ?? '')];
}

/** The form's rows for a row read from the API: one per field, then the bookkeeping. */
export function formRows(ledger: LedgerName, row: ReadRow): Matrix {
  const { cells, hash } = serverRowCells(ledger, row);
  const bk = bookkeepingCells(row, hash);
  return [
    ...columns(ledger).map((c, i): CellValue[] => [c.header, cells[i] ?? '']),
    ...BOOKKEEPING_LABELS.map((l): CellValue[] => [l, bk[l] ?? '']),
  ];
}

export interface OpenFileResult {
  customerId: string;
  asOf: string;
  counts: Record<string, number>;
}

/**
 * Writes the customer file of `customerId` into the sheet, creating the sheet and its tables the first time and
 * replacing their contents in place afterwards (so re-opening adds nothing twice, and cells outside the tables are
 * never written). Refuses, changing nothing, while the sheet holds edits that were not published.
 */
export async function openCustomerFile(
  wb: WorkbookAdapter,
  api: LedgerApiClient,
  customerId: string,
  options: { asOf?: string } = {},
): Promise<OpenFileResult> {
  if (api.customerFile === undefined) throw new Error('This API client cannot read customer files.');
  const pending = await unpublished(wb, CUSTOMER_FORM, EDITABLE);
  if (pending.length > 0)
    throw new WorkbookError(
      'BAD_SHAPE',
      `The customer file has changes that are not published (${pending.join(', ')}): publish them first, or they would be overwritten.`,
    );
  const file = await api.customerFile(customerId, options);
  const counts: Record<string, number> = {};
  for (const { spec, readOnly } of fileLayout()) {
    await wb.ensureTable(spec);
    let rows: Matrix;
    if (spec.table === FORM_TABLE) {
      rows = formRows('customers', file.customer);
    } else if (readOnly !== undefined) {
      rows = readOnly.rows(file);
    } else {
      const e = EDITABLE.find((x) => x.table === spec.table) as { ledger: LedgerName; table: string };
      const list = e.ledger === 'contacts' ? file.contacts : file.interactions;
      rows = list.map((r) => ledgerRow(e.ledger, r));
    }
    await wb.writeRows(spec.table, rows, 'replace');
    counts[spec.table] = rows.length;
  }
  return { customerId, asOf: file.asOf, counts };
}

export interface FilePublishResult {
  /** The customer form's outcome: created, updated, unchanged, conflict, invalid, error, or null when not sent. */
  form: string | null;
  tables: PublishResult;
}

/** Publishes a file's form (one row of `ref.ledger`) when it changed or, with failedOnly, when it failed; its outcome. */
export async function publishForm(
  wb: WorkbookAdapter,
  api: LedgerApiClient,
  ref: FormRef,
  failedOnly: boolean,
  missingMessage: string,
): Promise<string | null> {
  const form = await readFormOf(wb, ref.table, ref.ledger);
  if (form === null) throw new WorkbookError('NOT_FOUND', missingMessage);
  let outcome: string | null = null;
  const send = failedOnly ? isFailedStatus(form.status) : form.hash !== form.syncHash || isFailedStatus(form.status);
  if (send) {
    const bk: Record<string, CellValue> = {};
    if (form.errors.length > 0) {
      outcome = 'invalid';
      bk[BOOKKEEPING.status] = `invalid: ${form.errors.map((e) => `${e.field} ${e.message}`).join('; ')}`;
    } else {
      try {
        const body = form.etag !== '' ? { ...form.wire, etag: form.etag } : form.wire;
        // A fresh key per publish, as publish.ts does per run: a later publish after fixing something gets a new answer.
        const key = `ld1-${ref.ledger}-${fingerprint(JSON.stringify([body]))}-${Date.now().toString(36)}`;
        const res = await api.putRows(ref.ledger, [body], key);
        const r = res.results[0];
        outcome = r?.status ?? 'error';
        if (r?.status === 'invalid')
          bk[BOOKKEEPING.status] = `invalid: ${(r.errors ?? []).map((e) => `${e.field} ${e.message}`).join('; ')}`;
        else if (r?.status === 'conflict') bk[BOOKKEEPING.status] = CONFLICT_STATUS;
        else if (r !== undefined) {
          bk[BOOKKEEPING.status] = r.status;
          bk[BOOKKEEPING.hash] = form.hash;
          if (r.etag !== undefined) bk[BOOKKEEPING.etag] = r.etag;
          if (r.status !== 'unchanged')
            Object.assign(bk, { [BOOKKEEPING.approval]: 'pending', [BOOKKEEPING.approvedBy]: '' });
        }
      } catch (e) {
        if (!(e instanceof ApiClientError)) throw e;
        outcome = 'error';
        bk[BOOKKEEPING.status] = `error: ${e.message}`;
      }
    }
    for (const [label, value] of Object.entries(bk)) {
      const at = form.byLabel.get(label);
      if (at !== undefined) await wb.updateColumns(ref.table, at.index, [FORM_HEADERS[1]], [[value]]);
    }
  }
  return outcome;
}

/**
 * Publishes the customer file: the form first (the parent), then new and changed rows of the contacts and
 * interactions tables with the ledgers' publish (statuses, etags and conflicts per row). `failedOnly` republishes
 * only what failed last time.
 */
export async function publishCustomerFile(
  wb: WorkbookAdapter,
  api: LedgerApiClient,
  options: Pick<PublishOptions, 'failedOnly' | 'onProgress' | 'signal'> = {},
): Promise<FilePublishResult> {
  const outcome = await publishForm(
    wb,
    api,
    CUSTOMER_FORM,
    options.failedOnly === true,
    'There is no customer file to publish: open one first.',
  );
  const tables = await publish(wb, api, { ...options, tables: EDITABLE });
  return { form: outcome, tables };
}
