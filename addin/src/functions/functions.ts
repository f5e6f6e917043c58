// The LEDGERDESK custom functions. Their JSDoc is the source of functions.json (custom-functions-metadata, run by
// addin/scripts/build.ts); ids are stable forever, since workbooks store them. Every function is a streaming one: it
// shows a figure and sets it again only when an approval changed it (engine.ts).
import { figureQuery, type FigureQueryInput } from '../../../shared/api';
import { fromExcelSerial } from '../../../shared/dates';
import type { CustomFunctionsRuntime } from './customFunctions';
import { FigureEngine, type Answer } from './engine';

let engine = new FigureEngine();

/** The engine the functions ask (one per runtime: the pane's sign-in connects it). */
export function figureEngine(): FigureEngine {
  return engine;
}

/** Another engine (tests and the benchmark, with their own window and poll settings). */
export function useFigureEngine(next: FigureEngine): void {
  engine.dispose();
  engine = next;
}

/** An Excel error outside Excel (tests): the code Excel shows and the message it shows beside it. */
export class FormulaError {
  constructor(
    readonly code: '#VALUE!' | '#N/A',
    readonly message: string,
  ) {}
}

type ErrorKind = 'invalidValue' | 'notAvailable';

/** `CustomFunctions.Error` where Excel provides it, else a FormulaError with the same code and message. */
export function formulaError(kind: ErrorKind, message: string): unknown {
  const cf = (globalThis as { CustomFunctions?: CustomFunctionsRuntime }).CustomFunctions;
  if (cf?.Error !== undefined) return new cf.Error(cf.ErrorCode[kind], message);
  return new FormulaError(kind === 'invalidValue' ? '#VALUE!' : '#N/A', message);
}

/** A text argument: omitted (null, undefined, empty) or as text (numbers as typed, e.g. 2016). */
function text(v: unknown): string | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  if (typeof v === 'string') return v.trim();
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

/** A date argument: a date cell (an Excel serial number) or YYYY-MM-DD text. */
function date(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v > 0) return fromExcelSerial(v);
  return text(v);
}

const pad = (n: number): string => String(n).padStart(2, '0');
const today = (): string => {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};

/** The query without its omitted arguments, or the message of the first argument the shared schema refuses. */
export function validQuery(raw: Record<string, string | undefined>): FigureQueryInput | string {
  const query = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
  const parsed = figureQuery.safeParse(query);
  if (parsed.success) return query as FigureQueryInput;
  return `${parsed.error.issues
    .map((i) => (i.path.length > 0 ? `${i.path.map(String).join('.')} ${i.message}` : i.message))
    .join('; ')}.`;
}

function cellOf(answer: Answer): unknown {
  return answer.kind === 'value' ? answer.value : formulaError(answer.code, answer.message);
}

/** Shows the figure of `raw` in the calling cell and keeps it current until Excel cancels the formula. */
function follow(invocation: CustomFunctions.StreamingInvocation<unknown>, raw: Record<string, string | undefined>) {
  const query = validQuery(raw);
  if (typeof query === 'string') {
    invocation.setResult(formulaError('invalidValue', query));
    return;
  }
  invocation.onCanceled = engine.subscribe(query, (a) => invocation.setResult(cellOf(a)));
}

/**
 * One statistics figure of approved versions, e.g. =LEDGERDESK.STAT("collected","2016-Q4","East","region").
 * @customfunction STAT
 * @param measure contractsSigned, contractValue, delivered, returned, invoiced, collected or expenses.
 * @param period A month (2016-11), a quarter (2016-Q4) or a year (2016).
 * @param [group] A region, salesperson or customer id; omitted: the total of all.
 * @param [groupBy] region (the default with a group), salesperson or customer.
 * @param [currency] A currency code such as EUR; omitted: the figure's only currency (an amount in two currencies is an error, never a sum).
 * @param invocation Streaming invocation (set by Excel).
 */
export function stat(
  measure: string,
  period: unknown,
  group: unknown,
  groupBy: unknown,
  currency: unknown,
  invocation: CustomFunctions.StreamingInvocation<unknown>,
): void {
  follow(invocation, {
    kind: 'stat',
    measure: text(measure),
    period: text(period),
    group: text(group),
    groupBy: text(groupBy),
    currency: text(currency),
  });
}

/**
 * Outstanding receivables of a customer, contract, region or salesperson: the total or one aging bucket.
 * @customfunction RECEIVABLE
 * @param id The customer, contract, region or salesperson id.
 * @param [asOf] The day of the aging, a date or YYYY-MM-DD; omitted: today.
 * @param [bucket] total (the default), current, d1_30, d31_60, d61_90, d91_120, over120 or unapplied.
 * @param [groupBy] customer (the default), contract, region or salesperson.
 * @param [currency] A currency code such as EUR; omitted: the amount's only currency (owed in two currencies is an error, never a sum).
 * @param invocation Streaming invocation (set by Excel).
 */
export function receivable(
  id: unknown,
  asOf: unknown,
  bucket: unknown,
  groupBy: unknown,
  currency: unknown,
  invocation: CustomFunctions.StreamingInvocation<unknown>,
): void {
  follow(invocation, {
    kind: 'receivable',
    id: text(id),
    asOf: date(asOf) ?? today(),
    bucket: text(bucket),
    groupBy: text(groupBy),
    currency: text(currency),
  });
}

/**
 * A contract performance total or its fulfilment percentage.
 * @customfunction CONTRACT
 * @param contractId The contract id.
 * @param field orderedAmount, deliveredAmount, invoicedAmount, collected, receivable or fulfilledPct.
 * @param invocation Streaming invocation (set by Excel).
 */
export function contract(
  contractId: unknown,
  field: string,
  invocation: CustomFunctions.StreamingInvocation<unknown>,
): void {
  follow(invocation, { kind: 'contract', contractId: text(contractId), field: text(field) });
}

/**
 * The number of invoice-check findings of an invoice (0 when clean).
 * @customfunction INVOICEFINDINGS
 * @param invoiceNo The invoice number.
 * @param invocation Streaming invocation (set by Excel).
 */
export function invoiceFindings(invoiceNo: unknown, invocation: CustomFunctions.StreamingInvocation<unknown>): void {
  follow(invocation, { kind: 'invoiceFindings', invoiceNo: text(invoiceNo) });
}

/**
 * Statistics as an array that spills: a header row, then one row per period, group and currency.
 * @customfunction STATS
 * @param period month, quarter or year.
 * @param groupBy region, salesperson, customer or none.
 * @param [from] First day, a date or YYYY-MM-DD; omitted: 1 January of this year.
 * @param [to] Last day, a date or YYYY-MM-DD; omitted: 31 December of this year.
 * @param invocation Streaming invocation (set by Excel).
 */
export function stats(
  period: string,
  groupBy: string,
  from: unknown,
  to: unknown,
  invocation: CustomFunctions.StreamingInvocation<unknown[][]>,
): void {
  const year = new Date().getFullYear();
  follow(invocation, {
    kind: 'stats',
    period: text(period),
    groupBy: text(groupBy),
    from: date(from) ?? `${year}-01-01`,
    to: date(to) ?? `${year}-12-31`,
  });
}

/** Every function by its id: what the runtime associates, and what functions.json must describe, one for one. */
export const LEDGERDESK_FUNCTIONS = {
  STAT: stat,
  RECEIVABLE: receivable,
  CONTRACT: contract,
  INVOICEFINDINGS: invoiceFindings,
  STATS: stats,
} as const;

/** Associates every function with its id (in the shared runtime, before Excel calls any). */
export function registerLedgerdeskFunctions(cf: Pick<typeof CustomFunctions, 'associate'>): void {
  for (const [id, fn] of Object.entries(LEDGERDESK_FUNCTIONS)) cf.associate(id, fn);
}
