// The HTTP contract of API.md as data: request and response schemas of every endpoint, shared by the add-in's
// client, scripts and the Functions handlers. Money on the wire is a decimal string with two decimals.

import { z } from 'zod';
import { isIsoDate, PERIOD_KINDS } from './dates';
import { LEDGERS, TARGET_MEASURES, type LedgerName } from './ledgers';
import { RECEIVABLES_AMOUNTS, RECEIVABLES_GROUP_BY } from './calc/aging';
import { MEASURES, STATS_GROUP_BY } from './calc/statistics';

export const MAX_ROWS_PER_REQUEST = 5_000;
export const MAX_KEYS_PER_APPROVAL = 5_000;
export const DEFAULT_PAGE_SIZE = 1_000;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
/** Figures accept ranges up to this many years: beyond it a request is almost certainly a typo. */
export const MAX_RANGE_YEARS = 20;

const moneyString = z.string().regex(/^-?\d+\.\d{2}$/);
// abort: a bad date stops the object's own checks, so "from must not be after to" is said only of two real dates.
// params.kind lets the API name the bad value (functions/src/http/errors.ts, describeIssue).
const isoDate = z
  .string()
  .refine(isIsoDate, { error: 'must be a calendar date as YYYY-MM-DD', abort: true, params: { kind: 'date' } });
const timestamp = z.string();

// ---- errors ----
export const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.unknown()).optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBody>;

export const fieldErrorSchema = z.object({ field: z.string(), message: z.string() });

// ---- rows ----
export const rowStatus = z.enum(['created', 'updated', 'unchanged', 'conflict', 'invalid']);
export type RowStatus = z.infer<typeof rowStatus>;

export const APPROVAL_STATES = ['pending', 'approved', 'rejected'] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];
/** A rejection's reason: 1-500 characters. */
export const MAX_REASON_LENGTH = 500;

export const approvalInfo = z.object({
  /** `rejected`: the latest version was rejected; the approved version (if any) stays in effect. */
  status: z.enum(APPROVAL_STATES),
  changedBy: z.string(),
  changedAt: timestamp,
  approvedBy: z.string().nullable(),
  approvedAt: timestamp.nullable(),
  rejectedBy: z.string().optional(),
  rejectedAt: timestamp.optional(),
  reason: z.string().optional(),
});
export type ApprovalInfo = z.infer<typeof approvalInfo>;

/** A row as read: its fields in wire form plus etag and approval status. */
export const readRow = z.looseObject({ etag: z.string(), approval: approvalInfo });
export type ReadRow = z.infer<typeof readRow>;

export const putRowsRequest = z.strictObject({
  rows: z
    .array(z.unknown(), { error: 'rows must be an array of row objects' })
    .max(MAX_ROWS_PER_REQUEST, { error: `at most ${MAX_ROWS_PER_REQUEST} rows per request` }),
});
export type PutRowsRequest = z.infer<typeof putRowsRequest>;

export const rowResult = z.object({
  /** The row's key, or null when the row is too malformed to have one. */
  key: z.string().nullable(),
  status: rowStatus,
  etag: z.string().optional(),
  errors: z.array(fieldErrorSchema).optional(),
  /** The stored row, on `conflict`. */
  current: readRow.optional(),
});
export type RowResult = z.infer<typeof rowResult>;
export const putRowsResponse = z.object({ results: z.array(rowResult) });
export type PutRowsResponse = z.infer<typeof putRowsResponse>;

export const getRowsResponse = z.object({ rows: z.array(readRow), continuationToken: z.string().nullable() });
export type GetRowsResponse = z.infer<typeof getRowsResponse>;

// ---- approvals (v1.1: each row names the version seen, by its etag) ----
const decisionRow = z.strictObject({
  key: z.string({ error: 'each row needs its key as a string' }).min(1, { error: 'key must not be empty' }),
  etag: z
    .string({ error: 'each row needs the etag of the version reviewed (from a read or a write)' })
    .min(1, { error: 'etag must not be empty' }),
});
const decisionRows = <T extends z.ZodType>(row: T) =>
  z
    .array(row, { error: 'rows must be an array of {key, etag}' })
    .min(1, { error: 'rows must not be empty' })
    .max(MAX_KEYS_PER_APPROVAL, { error: `at most ${MAX_KEYS_PER_APPROVAL} rows per request` });

export const approvalsRequest = z.strictObject({ rows: decisionRows(decisionRow) });
export type ApprovalsRequest = z.infer<typeof approvalsRequest>;

export const rejectionsRequest = z.strictObject({
  rows: decisionRows(
    decisionRow.extend({
      reason: z
        .string({ error: 'each rejection needs a reason' })
        .trim()
        .min(1, { error: 'reason must not be empty' })
        .max(MAX_REASON_LENGTH, { error: `reason must be at most ${MAX_REASON_LENGTH} characters` }),
    }),
  ),
});
export type RejectionsRequest = z.infer<typeof rejectionsRequest>;

/**
 * Per row: `approved`; `changed` (written after the etag named: nothing happens, `current` is the row now);
 * `self` (the caller made the pending change); `notFound`; `alreadyApproved`; `rejected` (the version named was
 * rejected, so it can no longer be approved); `parentNotApproved` (a row it references, named in `parent`, has no
 * approved version and is not approved in this request: it would count in no figure).
 */
export const APPROVAL_STATUSES = [
  'approved',
  'changed',
  'self',
  'notFound',
  'alreadyApproved',
  'rejected',
  'parentNotApproved',
] as const;
export const approvalStatus = z.enum(APPROVAL_STATUSES);
export type ApprovalStatus = z.infer<typeof approvalStatus>;
export const approvalResult = z.object({
  key: z.string(),
  status: approvalStatus,
  /** The row's etag after the decision (or as it stands, when nothing happened). */
  etag: z.string().optional(),
  /** On `approved`: the history version that became effective. */
  version: z.number().int().optional(),
  /** On `changed`: the row as it is now. */
  current: readRow.optional(),
  /** On `parentNotApproved`: the row referenced. */
  parent: z.object({ ledger: z.string(), key: z.string() }).optional(),
});
export type ApprovalResult = z.infer<typeof approvalResult>;
export const approvalsResponse = z.object({ results: z.array(approvalResult) });
export type ApprovalsResponse = z.infer<typeof approvalsResponse>;

/** As for approvals, with `rejected` in place of `approved` (and no parent rule: rejecting never makes a row count). */
export const REJECTION_STATUSES = ['rejected', 'changed', 'self', 'notFound', 'alreadyApproved'] as const;
export const rejectionStatus = z.enum(REJECTION_STATUSES);
export type RejectionStatus = z.infer<typeof rejectionStatus>;
export const rejectionResult = approvalResult.omit({ version: true, parent: true }).extend({ status: rejectionStatus });
export type RejectionResult = z.infer<typeof rejectionResult>;
export const rejectionsResponse = z.object({ results: z.array(rejectionResult) });
export type RejectionsResponse = z.infer<typeof rejectionsResponse>;

// ---- review queue ----
const LEDGER_NAMES = LEDGERS.map((l) => l.name) as [LedgerName, ...LedgerName[]];
export const pendingQuery = z.strictObject({
  ledger: z.enum(LEDGER_NAMES, { error: `must be one of ${LEDGER_NAMES.join(', ')}` }).optional(),
  changedBy: z.string().optional(),
  pageSize: z.coerce
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' })
    .max(MAX_ROWS_PER_REQUEST, { error: `must be at most ${MAX_ROWS_PER_REQUEST}` })
    .default(DEFAULT_PAGE_SIZE),
  continuationToken: z.string().optional(),
});
export type PendingQuery = z.infer<typeof pendingQuery>;
export const pendingChange = z.object({
  ledger: z.string(),
  key: z.string(),
  etag: z.string(),
  changedBy: z.string(),
  changedAt: timestamp,
  /** Per changed field: the approved value (null for a new row, or a field the approved version lacks) → pending. */
  changes: z.array(z.object({ field: z.string(), approved: z.unknown().nullable(), pending: z.unknown().nullable() })),
});
export type PendingChange = z.infer<typeof pendingChange>;
export const pendingResponse = z.object({ rows: z.array(pendingChange), continuationToken: z.string().nullable() });
export type PendingResponse = z.infer<typeof pendingResponse>;

// ---- history ----
export const historyEntry = z.object({
  version: z.number().int(),
  action: z.enum(['created', 'updated', 'approved', 'rejected']),
  by: z.string(),
  at: timestamp,
  /** The full row of this version (wire form); absent for approvals and rejections. */
  row: z.record(z.string(), z.unknown()).optional(),
  /** What changed against the previous version. */
  changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })).optional(),
  /** For approvals: the version approved. */
  approvedVersion: z.number().int().optional(),
  /** For rejections: the version rejected and why. */
  rejectedVersion: z.number().int().optional(),
  /** A rejection's reason, or (issue 18) the writer's reason sent with the row that made a created/updated version. */
  reason: z.string().optional(),
});
export type HistoryEntry = z.infer<typeof historyEntry>;
export const historyResponse = z.object({ ledger: z.string(), key: z.string(), entries: z.array(historyEntry) });
export type HistoryResponse = z.infer<typeof historyResponse>;

// ---- figures ----
const booleanParam = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true');

export { STATS_GROUP_BY, type StatsGroupBy } from './calc/statistics';

export const statsQuery = z
  .strictObject({
    period: z.enum(PERIOD_KINDS, { error: 'must be month, quarter or year' }),
    from: isoDate,
    to: isoDate,
    groupBy: z.enum(STATS_GROUP_BY, { error: `must be one of ${STATS_GROUP_BY.join(', ')}` }).default('none'),
    includePending: booleanParam.optional(),
    // Issue #14 §4, additive: each row's plan figures (targets and budgets of its group and period).
    withPlan: booleanParam.optional(),
  })
  .superRefine((q, ctx) => {
    if (q.from > q.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after to' });
    else if (Number(q.to.slice(0, 4)) - Number(q.from.slice(0, 4)) >= MAX_RANGE_YEARS)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `the range must span at most ${MAX_RANGE_YEARS} years` });
  });
export type StatsQuery = z.infer<typeof statsQuery>;

export const statsRow = z.object({
  period: z.string(),
  group: z.string().nullable(),
  // Issue #13 §4: the currency of every amount of the row (a group with contracts in two currencies has two rows).
  // Optional in the contract (API v1.1 adds only optional fields); this version always sends it.
  currency: z.string().optional(),
  contractsSigned: z.number().int(),
  contractValue: moneyString,
  delivered: moneyString,
  returned: moneyString,
  invoiced: moneyString,
  collected: moneyString,
  expenses: moneyString,
  /** Only with withPlan=true (issue #14 §4): one entry per measure that has a plan for this group and period. */
  plan: z.array(z.lazy(() => planFigureWire)).optional(),
});
export type StatsRow = z.infer<typeof statsRow>;
export const statsResponse = z.object({ rows: z.array(statsRow) });

export { RECEIVABLES_GROUP_BY, type ReceivablesGroupBy } from './calc/aging';

export const receivablesQuery = z.strictObject({
  asOf: isoDate,
  groupBy: z
    .enum(RECEIVABLES_GROUP_BY, { error: `must be one of ${RECEIVABLES_GROUP_BY.join(', ')}` })
    .default('customer'),
  includePending: booleanParam.optional(),
});
export type ReceivablesQuery = z.infer<typeof receivablesQuery>;

export const receivablesRow = z.object({
  group: z.string(),
  // Issue #13 §4: the currency of every amount of the row (a group with contracts in two currencies has two rows).
  // Optional in the contract (API v1.1 adds only optional fields); this version always sends it.
  currency: z.string().optional(),
  current: moneyString,
  d1_30: moneyString,
  d31_60: moneyString,
  d61_90: moneyString,
  d91_120: moneyString,
  over120: moneyString,
  total: moneyString,
  unapplied: moneyString,
});
export type ReceivablesRow = z.infer<typeof receivablesRow>;
export const receivablesResponse = z.object({ asOf: z.string(), rows: z.array(receivablesRow) });

export const performanceLine = z.object({
  lineNo: z.number().int(),
  itemCode: z.string(),
  ordered: z.number().int(),
  delivered: z.number().int(),
  returned: z.number().int(),
  netDelivered: z.number().int(),
  invoiced: z.number().int(),
  orderedAmount: moneyString,
  invoicedAmount: moneyString,
  fulfilledPct: z.number(),
});
export const performanceResponse = z.object({
  contractId: z.string(),
  // Issue #13 §4: the contract's currency, which every amount of the response is in (always sent by this version).
  currency: z.string().optional(),
  lines: z.array(performanceLine),
  totals: z.object({
    orderedAmount: moneyString,
    deliveredAmount: moneyString,
    invoicedAmount: moneyString,
    collected: moneyString,
    receivable: moneyString,
  }),
});
export type PerformanceResponse = z.infer<typeof performanceResponse>;

export const FINDING_CODES = [
  'UNKNOWN_CONTRACT',
  'ITEM_NOT_ON_ORDER',
  'PRICE_MISMATCH',
  'QTY_EXCEEDS_ORDERED',
  'QTY_EXCEEDS_DELIVERED',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

/**
 * Issue 18: rows of invoices and invoice lines not yet written (the pane's unpublished sheet rows), checked in place of
 * the stored versions with the same keys, beside the contract's stored history. Only with invoiceNos.
 */
export const invoiceCheckDraft = z.strictObject({
  invoices: z.array(z.record(z.string(), z.unknown())).max(100_000).optional(),
  invoiceLines: z.array(z.record(z.string(), z.unknown())).max(100_000).optional(),
});
export type InvoiceCheckDraft = z.infer<typeof invoiceCheckDraft>;

export const invoiceCheckRequest = z.strictObject({
  invoiceNos: z
    .array(z.string({ error: 'each invoiceNo must be a string' }))
    .max(100_000)
    .optional(),
  priceTolerancePct: z
    .number({ error: 'must be a number' })
    .min(0, { error: 'must not be negative' })
    .max(100)
    .optional(),
  includePending: z.boolean({ error: 'must be true or false' }).optional(),
  draft: invoiceCheckDraft.optional(),
});
export type InvoiceCheckRequest = z.infer<typeof invoiceCheckRequest>;

export const finding = z.object({
  invoiceNo: z.string(),
  lineNo: z.number().int().nullable(),
  itemCode: z.string().nullable(),
  code: z.enum(FINDING_CODES),
  /** Ordered unit price (PRICE_MISMATCH), ordered or net delivered quantity (QTY_*), null otherwise. */
  expected: z.union([z.string(), z.number()]).nullable(),
  /** Invoiced unit price, cumulative invoiced quantity, the itemCode or the unknown contractId. */
  actual: z.union([z.string(), z.number()]).nullable(),
});
export type FindingWire = z.infer<typeof finding>;
export const invoiceCheckResponse = z.object({ findings: z.array(finding) });

// ---- reports ----
export const reportRequest = z.strictObject({ period: z.string({ error: 'must be a period label' }) });
export const reportCreated = z.object({ reportId: z.string(), url: z.string() });
export const reportInfo = z.object({
  reportId: z.string(),
  period: z.string(),
  version: z.number().int(),
  createdAt: timestamp,
  createdBy: z.string(),
  sizeBytes: z.number().int(),
  url: z.string(),
});
export type ReportInfo = z.infer<typeof reportInfo>;
export const reportList = z.object({ reports: z.array(reportInfo) });

// ---- health ----
export const healthResponse = z.object({ status: z.literal('ok'), storage: z.literal('ok') });

// ---- figures batch and stamp (issue #16: the LEDGERDESK custom functions) ----
// One query per formula cell; POST /api/figures/batch answers many at once, GET /api/figures/stamp says whether the
// approved figures moved (the figures generation stamp, as an ETag). The custom functions validate their arguments
// with these same schemas before sending, so a bad argument is a #VALUE! with the message below.

/** Queries per batch request: a recalculation wave of up to this many distinct formulas costs one request. */
export const MAX_FIGURE_QUERIES = 5_000;

export const STAT_MEASURES = MEASURES;
export const RECEIVABLE_BUCKETS = RECEIVABLES_AMOUNTS;
export const CONTRACT_FIELDS = [
  'orderedAmount',
  'deliveredAmount',
  'invoicedAmount',
  'collected',
  'receivable',
  'fulfilledPct',
] as const;
export type ContractField = (typeof CONTRACT_FIELDS)[number];

const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });
const periodLabel = z.string({ error: 'must be a period label' }).regex(/^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/, {
  error: 'must be a month (2016-11), a quarter (2016-Q4) or a year (2016)',
});
const id = (what: string) =>
  z
    .string({ error: `${what} must be text` })
    .min(1, { error: `${what} must not be empty` })
    .max(100, { error: `${what} must be at most 100 characters` });

/** A currency argument of a figure query: an ISO 4217 code such as EUR. */
const currencyCode = z.string().regex(/^[A-Z]{3}$/, { error: 'must be a currency code such as EUR' });

/** STAT: one statistics figure of a period label; `group` needs a grouping (region when none is named). */
export const statFigureQuery = z
  .strictObject({
    kind: z.literal('stat'),
    measure: oneOf(STAT_MEASURES),
    period: periodLabel,
    group: id('group').optional(),
    groupBy: oneOf(STATS_GROUP_BY).optional(),
    // Issue #13 §4: the figure in this currency only; omitted, a money figure in more than one currency is refused.
    currency: currencyCode.optional(),
  })
  .superRefine((q, ctx) => {
    if (q.group !== undefined && q.groupBy === 'none')
      ctx.addIssue({ code: 'custom', path: ['groupBy'], message: 'must not be none when a group is given' });
    if (q.group === undefined && q.groupBy !== undefined && q.groupBy !== 'none')
      ctx.addIssue({ code: 'custom', path: ['group'], message: `is needed with groupBy ${q.groupBy}` });
  });

/** RECEIVABLE: one amount of the receivables aging row of a customer, contract, region or salesperson. */
export const receivableFigureQuery = z.strictObject({
  kind: z.literal('receivable'),
  id: id('id'),
  asOf: isoDate,
  bucket: oneOf(RECEIVABLE_BUCKETS).default('total'),
  groupBy: oneOf(RECEIVABLES_GROUP_BY).default('customer'),
  // Issue #13 §4: the amount in this currency only; omitted, an amount owed in more than one currency is refused.
  currency: currencyCode.optional(),
});

/** CONTRACT: a contract performance total, or fulfilledPct (Σ net delivered / Σ ordered over its items × 100). */
export const contractFigureQuery = z.strictObject({
  kind: z.literal('contract'),
  contractId: id('contractId'),
  field: oneOf(CONTRACT_FIELDS),
});

/** INVOICEFINDINGS: how many invoice-check findings an invoice has (0 when clean). */
export const invoiceFindingsFigureQuery = z.strictObject({
  kind: z.literal('invoiceFindings'),
  invoiceNo: id('invoiceNo'),
});

/** STATS: the statistics rows of a range, as /api/stats answers them. */
export const statsTableFigureQuery = z
  .strictObject({
    kind: z.literal('stats'),
    period: z.enum(PERIOD_KINDS, { error: 'must be month, quarter or year' }),
    groupBy: oneOf(STATS_GROUP_BY),
    from: isoDate,
    to: isoDate,
  })
  .superRefine((q, ctx) => {
    if (q.from > q.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after to' });
    else if (Number(q.to.slice(0, 4)) - Number(q.from.slice(0, 4)) >= MAX_RANGE_YEARS)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `the range must span at most ${MAX_RANGE_YEARS} years` });
  });

export const figureQuery = z.discriminatedUnion(
  'kind',
  [statFigureQuery, receivableFigureQuery, contractFigureQuery, invoiceFindingsFigureQuery, statsTableFigureQuery],
  { error: 'kind must be one of stat, receivable, contract, invoiceFindings, stats' },
);
export type FigureQuery = z.infer<typeof figureQuery>;
/** A query as sent (defaults not yet applied). */
export type FigureQueryInput = z.input<typeof figureQuery>;

/** Each query is validated on its own: a bad one is answered `invalid` and the others still are. */
export const figuresBatchRequest = z.strictObject({
  queries: z
    .array(z.unknown(), { error: 'queries must be an array of figure queries' })
    .min(1, { error: 'queries must not be empty' })
    .max(MAX_FIGURE_QUERIES, { error: `at most ${MAX_FIGURE_QUERIES} queries per request` }),
});

/**
 * Per query, in request order: `ok` with `value` (money as a decimal string, counts and fulfilledPct as numbers) or,
 * for `stats`, `rows`; `notFound` (no such customer, contract, region, salesperson or invoice among approved rows);
 * `invalid` with the message naming the argument.
 */
export const figureResult = z.object({
  status: z.enum(['ok', 'notFound', 'invalid']),
  value: z.union([z.string(), z.number()]).optional(),
  rows: z.array(statsRow).optional(),
  message: z.string().optional(),
  // Issue #13 §4: the currency of a money `value` (absent for counts, percentages and zeros of no currency).
  currency: z.string().optional(),
});
export type FigureResult = z.infer<typeof figureResult>;
/** `generation`: the figures generation stamp read before the figures (null on a store that has none yet). */
export const figuresBatchResponse = z.object({ generation: z.string().nullable(), results: z.array(figureResult) });
export type FiguresBatchResponse = z.infer<typeof figuresBatchResponse>;
export const figuresStampResponse = z.object({ generation: z.string().nullable() });

// ---- issue 15: customer and contract files, complaints as figures ----

/** The customer file lists this many of the latest interactions unless `interactions` says otherwise (1-500). */
export const DEFAULT_FILE_INTERACTIONS = 20;
export const MAX_FILE_INTERACTIONS = 500;

export const customerFileQuery = z.strictObject({
  /** The day expiry, ages, samples out and aging are measured on; default today (UTC). */
  asOf: isoDate.optional(),
  interactions: z.coerce
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' })
    .max(MAX_FILE_INTERACTIONS, { error: `must be at most ${MAX_FILE_INTERACTIONS}` })
    .default(DEFAULT_FILE_INTERACTIONS),
});
export type CustomerFileQuery = z.infer<typeof customerFileQuery>;

export const EXPIRY_FLAGS = ['expired', 'expiring', 'valid', 'noExpiry'] as const;

export const customerFileResponse = z.object({
  asOf: z.string(),
  customer: readRow,
  /** Primary contacts first, then by name and contactId. */
  contacts: z.array(readRow),
  /** By signedOn, then contractId; `performance` from approved versions, null while the contract has none. */
  contracts: z.array(z.object({ contract: readRow, performance: performanceResponse.shape.totals.nullable() })),
  /** Aging of the customer's approved invoices and payments as of asOf; null when nothing is outstanding or unapplied. */
  receivables: receivablesRow.nullable(),
  // Issue #13 §4: every currency the customer owes in, one row each (`receivables` is the first of them).
  receivablesByCurrency: z.array(receivablesRow).optional(),
  /** Unresolved complaints dated on or before asOf, oldest first. */
  openComplaints: z.array(z.object({ interaction: readRow, ageDays: z.number().int(), daysOverdue: z.number().int() })),
  /** The latest interactions, newest first. */
  interactions: z.array(readRow),
  /** Expired first, then expiring within 30 days, valid, and without validTo; soonest validTo first. */
  documents: z.array(
    z.object({ document: readRow, flag: z.enum(EXPIRY_FLAGS), daysLeft: z.number().int().nullable() }),
  ),
  /** Samples out on asOf: overdue first, then longest out. */
  samplesOut: z.array(
    z.object({
      sample: readRow,
      state: z.enum(['out', 'overdue']),
      daysOut: z.number().int(),
      daysOverdue: z.number().int(),
    }),
  ),
});
export type CustomerFileResponse = z.infer<typeof customerFileResponse>;

export const contractFileQuery = z.strictObject({});

export const contractFileResponse = z.object({
  contract: readRow,
  /** By lineNo. */
  orderLines: z.array(readRow),
  /** Deliveries and returns by date, then deliveryId. */
  deliveries: z.array(readRow),
  /** By issuedOn, then invoiceNo; each line with the invoice check's findings on it (approved versions). */
  invoices: z.array(
    z.object({
      invoice: readRow,
      lines: z.array(z.object({ line: readRow, findings: z.array(finding) })),
    }),
  ),
  /** By receivedOn, then paymentId. */
  payments: z.array(readRow),
  /** Issue #14: the contract's credit notes by issuedOn, then creditNoteNo (always sent by this version). */
  creditNotes: z.array(readRow).optional(),
  /** Contract performance from approved versions; null while the contract has no approved version. */
  performance: performanceResponse.nullable(),
  /** The contract's interactions, newest first. */
  interactions: z.array(readRow),
});
export type ContractFileResponse = z.infer<typeof contractFileResponse>;

export const COMPLAINT_GROUP_BY = ['region', 'salesperson', 'customer', 'none'] as const;
export const complaintsQuery = z
  .strictObject({
    period: z.enum(PERIOD_KINDS, { error: 'must be month, quarter or year' }),
    from: isoDate,
    to: isoDate,
    groupBy: z.enum(COMPLAINT_GROUP_BY, { error: `must be one of ${COMPLAINT_GROUP_BY.join(', ')}` }).default('none'),
  })
  .superRefine((q, ctx) => {
    if (q.from > q.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after to' });
    else if (Number(q.to.slice(0, 4)) - Number(q.from.slice(0, 4)) >= MAX_RANGE_YEARS)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `the range must span at most ${MAX_RANGE_YEARS} years` });
  });
export type ComplaintsQuery = z.infer<typeof complaintsQuery>;
export const complaintsRow = z.object({
  period: z.string(),
  group: z.string().nullable(),
  opened: z.number().int(),
  resolved: z.number().int(),
  medianDaysToResolve: z.number().nullable(),
});
export const complaintsResponse = z.object({ rows: z.array(complaintsRow) });
export type ComplaintsRow = z.infer<typeof complaintsRow>;

// ---- issue #14: expense check, commission statements ----
export const EXPENSE_FINDING_CODES = [
  'NO_POLICY',
  'DUPLICATE',
  'OVER_CLAIM_LIMIT',
  'OVER_DAILY_LIMIT',
  'RECEIPT_MISSING',
  'OUTSIDE_TRIP',
  'PER_DIEM_DAYS_EXCEEDED',
  'WEEKEND',
] as const;
export type ExpenseFindingCode = (typeof EXPENSE_FINDING_CODES)[number];

export const expenseCheckRequest = z.strictObject({
  expenseIds: z
    .array(z.string({ error: 'each expenseId must be a string' }))
    .max(100_000)
    .optional(),
  includePending: z.boolean({ error: 'must be true or false' }).optional(),
});
export type ExpenseCheckRequest = z.infer<typeof expenseCheckRequest>;

export const expenseFinding = z.object({
  expenseId: z.string(),
  salespersonId: z.string(),
  incurredOn: z.string(),
  code: z.enum(EXPENSE_FINDING_CODES),
  policyId: z.string().nullable(),
  /** Money as a decimal string; days (a number) for PER_DIEM_DAYS_EXCEEDED; null when the rule has no figure. */
  limit: z.union([z.string(), z.number()]).nullable(),
  actual: z.union([z.string(), z.number()]).nullable(),
  refersTo: z.string().nullable(),
  claimed: moneyString,
  reimbursable: moneyString,
});
export type ExpenseFindingWire = z.infer<typeof expenseFinding>;
/** Issue #14, additive: a salesperson's totals of one check (shared/calc/expenseTotals.ts); money in the house currency. */
export const expenseTotalsLine = z.object({
  salespersonId: z.string(),
  expenses: z.number().int(),
  claimed: moneyString,
  reimbursable: moneyString,
  /** claimed − reimbursable. */
  difference: moneyString,
  /** Findings per rule code, every code present. */
  findings: z.record(z.enum(EXPENSE_FINDING_CODES), z.number().int()),
});
export type ExpenseTotalsLineWire = z.infer<typeof expenseTotalsLine>;
export const expenseCheckResponse = z.object({
  findings: z.array(expenseFinding),
  /** Requested expenseIds with no version in effect. */
  notFound: z.array(z.string()).optional(),
  /** Issue #14, additive: per salesperson, over the expenses whose findings are reported. */
  totals: z.array(expenseTotalsLine).optional(),
});

export const commissionQuery = z.strictObject({
  salespersonId: z.string({ error: 'is required' }).min(1, { error: 'is required' }),
  month: z.string({ error: 'is required' }).regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'must be a month as YYYY-MM' }),
  includePending: booleanParam.optional(),
});

export const commissionLine = z.object({
  // Issue #14: 'refund' is a refund's reversal of an allocation, 'credit' a credit note's clawback (invoiced basis);
  // both have a negative amount and commission.
  kind: z.enum(['allocation', 'invoice', 'adjustment', 'refund', 'credit']),
  date: z.string(),
  paymentId: z.string().nullable(),
  invoiceNo: z.string().nullable(),
  contractId: z.string().nullable(),
  months: z.array(z.string()),
  amount: moneyString,
  daysLate: z.number().int().nullable(),
  /** A fraction as a decimal string ("0.05"), null for an adjustment. */
  rate: z.string().nullable(),
  commission: moneyString,
  /** Issue #14: the credit note a `credit` line claws back for. */
  creditNoteNo: z.string().optional(),
});
export const commissionStatementResponse = z.object({
  salespersonId: z.string(),
  month: z.string(),
  planId: z.string().nullable(),
  basis: z.enum(['collected', 'invoiced']),
  settled: z.boolean(),
  lines: z.array(commissionLine),
  commission: moneyString,
});
export type CommissionStatementWire = z.infer<typeof commissionStatementResponse>;

export const assessmentQuery = z.strictObject({
  month: z.string({ error: 'is required' }).regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'must be a month as YYYY-MM' }),
  includePending: booleanParam.optional(),
});
export const assessmentRow = z.object({
  salespersonId: z.string(),
  name: z.string(),
  region: z.string(),
  workingDays: z.number().int().nullable(),
  absentDays: z.number().int().nullable(),
  leaveDays: z.number().int().nullable(),
  tripDays: z.number().int(),
  contractsSigned: z.number().int(),
  contractValue: moneyString,
  delivered: moneyString,
  invoiced: moneyString,
  collected: moneyString,
  overdue: moneyString,
  expenses: moneyString,
  reimbursable: moneyString,
  expensesPerTripDay: moneyString.nullable(),
  expenseFindings: z.number().int(),
  commission: moneyString,
  /** The currency of the money figures (the house currency); the salesperson's figures in others are not added in. */
  currency: z.string(),
  otherCurrencies: z.array(z.string()),
});
export type AssessmentRowWire = z.infer<typeof assessmentRow>;
export const assessmentResponse = z.object({ month: z.string(), rows: z.array(assessmentRow) });

// ---- collections (issue 13): customer statements ----

export const statementQuery = z
  .strictObject({
    from: isoDate,
    to: isoDate,
    includePending: booleanParam.optional(),
    // Issue #13 §4: the statement of the customer's contracts in this currency; needed when they have several.
    currency: currencyCode.optional(),
  })
  .superRefine((q, ctx) => {
    if (q.from > q.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after to' });
  });
export type StatementQuery = z.infer<typeof statementQuery>;

export const statementLine = z.object({
  date: z.string(),
  // Issue #14: 'refund', money paid back to the customer, is a debit; 'creditNote' a credit.
  kind: z.enum(['invoice', 'payment', 'refund', 'creditNote']),
  ref: z.string(),
  contractId: z.string(),
  currency: z.string(),
  dueOn: z.string().optional(),
  invoiceNo: z.string().optional(),
  debit: moneyString,
  credit: moneyString,
  balance: moneyString,
});
export type StatementLineWire = z.infer<typeof statementLine>;

/** GET /api/customers/{customerId}/statement: closingBalance = that customer's receivables total − unapplied as of `to`. */
export const statementResponse = z.object({
  customerId: z.string(),
  from: z.string(),
  to: z.string(),
  currencies: z.array(z.string()),
  openingBalance: moneyString,
  lines: z.array(statementLine),
  closingBalance: moneyString,
  aging: receivablesRow,
});
export type StatementResponse = z.infer<typeof statementResponse>;

// ---- collections (issue 13): dunning proposals ----

export const dunningProposalQuery = z.strictObject({ asOf: isoDate });
export type DunningProposalQuery = z.infer<typeof dunningProposalQuery>;

export const proposedReminderLine = z.object({
  invoiceNo: z.string(),
  contractId: z.string(),
  dueOn: z.string(),
  referenceDate: z.string(),
  level: z.number().int(),
  outstanding: moneyString,
  daysOverdue: z.number().int(),
  interest: moneyString,
  fee: moneyString,
});
export const proposedReminder = z.object({
  customerId: z.string(),
  currency: z.string(),
  termsCode: z.string(),
  level: z.number().int(),
  payBy: z.string(),
  lines: z.array(proposedReminderLine),
  outstanding: moneyString,
  interest: moneyString,
  fees: moneyString,
  unapplied: moneyString,
  total: moneyString,
  /** The level's letter text with its placeholders filled in ("" when the level has none). */
  letter: z.string(),
});
export type ProposedReminderWire = z.infer<typeof proposedReminder>;

/** POST /api/dunning/proposals?asOf=: what a dunning run on asOf would issue; nothing is stored. */
export const dunningProposalResponse = z.object({
  asOf: z.string(),
  /** Issued reminders whose invoices are all paid as of asOf: they have resolved themselves. */
  resolved: z.array(z.string()),
  reminders: z.array(proposedReminder),
  held: z.array(
    z.object({
      invoiceNo: z.string(),
      customerId: z.string(),
      currency: z.string(),
      outstanding: moneyString,
      reason: z.enum(['possible_payment', 'max_reminders']),
    }),
  ),
  skipped: z.array(
    z.object({
      customerId: z.string(),
      currency: z.string(),
      outstanding: moneyString,
      reason: z.enum(['blocked', 'no_terms', 'below_min_amount']),
    }),
  ),
});
export type DunningProposalResponse = z.infer<typeof dunningProposalResponse>;

// ---- issue 13: reminder letters ----

/**
 * GET /api/dunning/letters?reminderNo=R1,R2 or ?issuedOn=YYYY-MM-DD (exactly one of the two): the letters workbook
 * (.xlsx) of those approved, issued reminders.
 */
export const dunningLettersQuery = z
  .strictObject({
    reminderNo: z
      .string()
      .transform((s) => s.split(',').map((n) => n.trim()))
      .refine((list) => list.every((n) => n !== ''), { error: 'must be reminder numbers separated by commas' })
      .optional(),
    issuedOn: isoDate.optional(),
  })
  .refine((q) => (q.reminderNo === undefined) !== (q.issuedOn === undefined), {
    error: 'give exactly one of reminderNo and issuedOn',
  });
export type DunningLettersQuery = z.output<typeof dunningLettersQuery>;

// ---- collections (issue 13 §2): customer statements workbook ----

/** GET /api/statements?from&to&customerId=C1,C2: the statements workbook (.xlsx); customerId optional. */
export const statementsWorkbookQuery = z
  .strictObject({
    from: isoDate,
    to: isoDate,
    customerId: z
      .string()
      .transform((s) => s.split(',').map((id) => id.trim()))
      .refine((ids) => ids.every((id) => id !== ''), 'must be a comma-separated list of customer ids')
      .optional(),
  })
  .superRefine((q, ctx) => {
    if (q.from > q.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after to' });
  });
export type StatementsWorkbookQuery = z.infer<typeof statementsWorkbookQuery>;

// ---- collections (issue 13 §1): stored reminder letters ----

/**
 * POST /api/letters: first writes `resolved` to the approved, issued reminders whose invoices are all paid today, then
 * makes the letters workbook of the reminders asked for (exactly one of reminderNo and issuedOn) that are still
 * issued, stored like report workbooks.
 */
export const lettersRequest = z
  .strictObject({
    reminderNo: z
      .array(z.string().trim().min(1, 'must not be empty'))
      .min(1, 'must name at least one reminder')
      .max(MAX_ROWS_PER_REQUEST)
      .optional(),
    issuedOn: isoDate.optional(),
  })
  .refine((q) => (q.reminderNo === undefined) !== (q.issuedOn === undefined), {
    error: 'give exactly one of reminderNo and issuedOn',
  });
export type LettersRequest = z.output<typeof lettersRequest>;

export const lettersCreated = z.object({
  lettersId: z.string(),
  url: z.string(),
  /** The reminders in the workbook, one sheet each, in sheet order. */
  reminders: z.array(z.string()),
  /** Reminders this run found paid and wrote as resolved (any day, not only those asked for). */
  resolved: z.array(z.string()),
});
export type LettersCreated = z.infer<typeof lettersCreated>;

/** A stored letters workbook; `day` is the issue date asked for, or the day of the run for reminder numbers. */
export const lettersInfo = z.object({
  lettersId: z.string(),
  day: z.string(),
  version: z.number().int(),
  createdAt: timestamp,
  createdBy: z.string(),
  sizeBytes: z.number().int(),
  url: z.string(),
});
export type LettersInfo = z.infer<typeof lettersInfo>;
export const lettersList = z.object({ letters: z.array(lettersInfo) });
export const lettersListQuery = z.strictObject({ day: isoDate.optional() });
// ---- issue 18 part 7: invoices before money is asked for; row history ----

/** POST /api/checks/invoices with invoiceNos: the findings, and the invoices named that have no version in effect. */
export const listedInvoiceCheckResponse = invoiceCheckResponse.extend({ notFound: z.array(z.string()).optional() });
export type ListedInvoiceCheckResponse = z.infer<typeof listedInvoiceCheckResponse>;
// ---- issue 18 (honest status): GET /api/me ----
/** The caller as the API sees the token: readable name, stable id, and roles (empty when the token has none). */
export const meResponse = z.object({ userId: z.string(), oid: z.string(), roles: z.array(z.string()) });
export type MeResponse = z.infer<typeof meResponse>;
// ---- issue #14 §4: plans vs actual (targets and budgets) ----

/** The target measures (ledgers.ts TARGET_MEASURES), then `expenses`, whose plan is the budgets. */
export const PLAN_MEASURE_NAMES = [...TARGET_MEASURES, 'expenses'] as const;
export const planFigureWire = z.object({
  measure: z.enum(PLAN_MEASURE_NAMES),
  plan: moneyString,
  actual: moneyString,
  /** actual − plan. */
  variance: moneyString,
  /** Actual as a percentage of plan with one decimal (104.5); null when the plan is 0. */
  pctOfPlan: z.number().nullable(),
});
export type PlanFigureWire = z.infer<typeof planFigureWire>;
// ---- issue #14: commission per currency (GET /api/commission/statement) ----

/** The statement's query: `currency` (optional) names the currency of the statement; absent, the house currency. */
export const commissionCurrencyQuery = commissionQuery.extend({ currency: currencyCode.optional() });
/**
 * A statement in one currency (`currency`): only the salesperson's contracts in it count. `otherCurrencies` names the
 * salesperson's other currencies with commission in the month (lines or a settlement), each its own statement.
 */
export const commissionCurrencyStatementResponse = commissionStatementResponse.extend({
  currency: z.string(),
  otherCurrencies: z.array(z.string()),
});
export type CommissionCurrencyStatementWire = z.infer<typeof commissionCurrencyStatementResponse>;

// ---- issue #14: budgets vs expenses by region and category (the pane's Figures → Write budgets vs expenses) ----
/** GET /api/budgets/vsExpenses: one period label; a region narrows it to that region (upper and lower case ignored). */
export const budgetsVsExpensesQuery = z.strictObject({
  period: periodLabel,
  region: z
    .string()
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(100, { error: 'must be at most 100 characters' })
    .optional(),
  includePending: booleanParam.optional(),
});
export type BudgetsVsExpensesQuery = z.infer<typeof budgetsVsExpensesQuery>;
export const budgetLineWire = z.object({
  region: z.string(),
  period: z.string(),
  category: z.string(),
  budget: moneyString,
  expenses: moneyString,
  /** expenses − budget. */
  variance: moneyString,
  /** Expenses as a percentage of the budget with one decimal (104.5); null when the budget is 0. */
  pctOfBudget: z.number().nullable(),
});
export type BudgetLineWire = z.infer<typeof budgetLineWire>;
export const budgetsVsExpensesResponse = z.object({
  period: z.string(),
  /** The region asked for, as given; null for every region. */
  region: z.string().nullable(),
  /** The house currency: budgets and expenses carry none of their own. */
  currency: z.string(),
  lines: z.array(budgetLineWire),
});
export type BudgetsVsExpensesResponse = z.infer<typeof budgetsVsExpensesResponse>;
