// The ledgers (nine, and four of the customer file): zod schemas, keys, references and the registry in dependency order (API.md, "Ledgers").

import { z } from 'zod';
import { addDays } from './dates';
import {
  bool,
  currency,
  date,
  email,
  fieldMeta,
  id,
  int,
  money,
  oneOf,
  optional,
  phone,
  rate,
  text,
  unitPrice,
  withDefault,
  type FieldMeta,
} from './fields';
import { formatMoney, formatRate, formatUnitPrice } from './money';

export const CONTRACT_STATUSES = ['active', 'completed', 'cancelled'] as const;
export const DELIVERY_KINDS = ['delivery', 'return'] as const;
export const DEFAULT_PAYMENT_TERMS_DAYS = 30;

const customers = z.strictObject({
  customerId: id('Customer ID'),
  name: text('Name'),
  region: text('Region'),
  segment: optional(text('Segment')),
  creditLimit: optional(money('Credit limit')),
  // Issue 15, additive: where to reach and bill the customer.
  address: optional(text('Address')),
  email: optional(email('Email')),
  phone: optional(phone('Phone')),
  // Dunning (issue 13): the customer's reminder terms, and a block that stops every reminder to them.
  reminderTermsCode: optional(id('Reminder terms')),
  dunningBlocked: optional(bool('Dunning blocked')),
});

const salespeople = z.strictObject({
  salespersonId: id('Salesperson ID'),
  name: text('Name'),
  region: text('Region'),
  commissionRate: optional(rate('Commission rate')),
  // Issue #14: the commission plan that applies to the salesperson (commissionPlans); without one, commissionRate.
  planId: optional(id('Commission plan')),
});

const contracts = z.strictObject({
  contractId: id('Contract ID'),
  customerId: id('Customer ID'),
  salespersonId: id('Salesperson ID'),
  region: text('Region'),
  signedOn: date('Signed on'),
  paymentTermsDays: withDefault(int('Payment terms (days)', 0), DEFAULT_PAYMENT_TERMS_DAYS),
  // The default comes from configuration, so the service fills it in (completeRow), not the schema.
  currency: optional(currency('Currency')),
  status: withDefault(oneOf('Status', CONTRACT_STATUSES), 'active'),
});

const orderLines = z.strictObject({
  contractId: id('Contract ID'),
  lineNo: int('Line', 1),
  itemCode: id('Item code'),
  description: optional(text('Description')),
  quantity: int('Quantity', 1),
  unitPrice: unitPrice('Unit price'),
});

const deliveries = z
  .strictObject({
    deliveryId: id('Delivery ID'),
    contractId: id('Contract ID'),
    itemCode: id('Item code'),
    quantity: int('Quantity', 1),
    kind: withDefault(oneOf('Kind', DELIVERY_KINDS), 'delivery'),
    date: date('Date'),
    returnReason: optional(text('Return reason')),
    redeliver: optional(bool('Redeliver')),
  })
  .superRefine((row, ctx) => {
    if (row.kind === 'return' && row.returnReason === undefined)
      ctx.addIssue({ code: 'custom', path: ['returnReason'], message: 'is required for a return' });
  });

const invoices = z.strictObject({
  invoiceNo: id('Invoice no'),
  contractId: id('Contract ID'),
  issuedOn: date('Issued on'),
  // Default: issuedOn + the contract's payment terms, filled in by completeRow where the contract is known.
  dueOn: optional(date('Due on')),
});

const invoiceLines = z.strictObject({
  invoiceNo: id('Invoice no'),
  lineNo: int('Line', 1),
  itemCode: id('Item code'),
  quantity: int('Quantity', 1),
  unitPrice: unitPrice('Unit price'),
});

const payments = z.strictObject({
  paymentId: id('Payment ID'),
  contractId: id('Contract ID'),
  invoiceNo: optional(id('Invoice no')),
  receivedOn: date('Received on'),
  // Issue #14: a negative amount is a refund paid back to the customer (shared/calc/aging.ts allocates it).
  amount: money('Amount', 'nonZero'),
});

/**
 * Issue #14: a credit note lowers what one invoice asks for, by an amount (not by lines: it is not checked against
 * returns). Its invoice must be one of its contract's (shared/references checkReferences).
 */
const creditNotes = z.strictObject({
  creditNoteNo: id('Credit note no'),
  contractId: id('Contract ID'),
  invoiceNo: id('Invoice no'),
  issuedOn: date('Issued on'),
  amount: money('Amount', 'positive'),
  // Not `reason`: a written row's `reason` is the writer's note for the history (API v1.1), like returnReason.
  creditReason: text('Credit reason'),
});

const expenses = z.strictObject({
  expenseId: id('Expense ID'),
  salespersonId: id('Salesperson ID'),
  category: text('Category'),
  incurredOn: date('Incurred on'),
  amount: money('Amount', 'positive'),
  tripDays: optional(int('Trip days', 0)),
  receipt: optional(bool('Receipt')),
  contractId: optional(id('Contract ID')),
  description: optional(text('Description')),
  // Issue #14: the trip the expense belongs to, the receipt's number and the merchant (duplicates are found by
  // either), and the day it was paid out. Reimbursement state: submitted (pending) → approved (four eyes) → reimbursed.
  tripId: optional(id('Trip ID')),
  receiptNo: optional(text('Receipt no')),
  merchant: optional(text('Merchant')),
  reimbursedOn: optional(date('Reimbursed on')),
});

// ── Issue #14: trips, attendance, expense policies, commission plans and settlements ─────────────────────────────

const trips = z
  .strictObject({
    tripId: id('Trip ID'),
    salespersonId: id('Salesperson ID'),
    departOn: date('Depart on'),
    returnOn: date('Return on'),
    destination: text('Destination'),
    purpose: optional(text('Purpose')),
    customerId: optional(id('Customer ID')),
    contractId: optional(id('Contract ID')),
  })
  .superRefine((row, ctx) => {
    if (row.returnOn < row.departOn)
      ctx.addIssue({ code: 'custom', path: ['returnOn'], message: `must not be before departOn ${row.departOn}` });
  });

const attendance = z
  .strictObject({
    salespersonId: id('Salesperson ID'),
    month: int('Month (YYYYMM)', 190001),
    workingDays: int('Working days', 0),
    absentDays: withDefault(int('Absent days', 0), 0),
    leaveDays: withDefault(int('Leave days', 0), 0),
  })
  .superRefine((row, ctx) => {
    const mm = row.month % 100;
    if (row.month > 999912 || mm < 1 || mm > 12)
      ctx.addIssue({ code: 'custom', path: ['month'], message: 'must be a month written YYYYMM, e.g. 201611' });
    if (row.absentDays + row.leaveDays > row.workingDays)
      ctx.addIssue({
        code: 'custom',
        path: ['absentDays'],
        message: `absent and leave days (${row.absentDays + row.leaveDays}) exceed working days (${row.workingDays})`,
      });
  });

const expensePolicies = z.strictObject({
  policyId: id('Policy ID'),
  category: text('Category'),
  region: optional(text('Region')),
  effectiveFrom: date('Effective from'),
  limitPerClaim: optional(money('Limit per claim')),
  limitPerDay: optional(money('Limit per day')),
  perDiemPerTripDay: optional(money('Per diem per trip day')),
  receiptRequiredAbove: optional(money('Receipt required above')),
  needsTrip: withDefault(bool('Needs trip'), false),
  weekendAllowed: withDefault(bool('Weekend allowed'), true),
});

export const COMMISSION_BASES = ['collected', 'invoiced'] as const;
/** Tiers a commission plan may have: rate1 from 0, then rateN from fromN (a monthly amount). */
export const COMMISSION_TIERS = 4;

const commissionPlans = z
  .strictObject({
    planId: id('Plan ID'),
    basis: withDefault(oneOf('Basis', COMMISSION_BASES), 'collected'),
    rate1: rate('Rate from 0'),
    from2: optional(money('Tier 2 from')),
    rate2: optional(rate('Tier 2 rate')),
    from3: optional(money('Tier 3 from')),
    rate3: optional(rate('Tier 3 rate')),
    from4: optional(money('Tier 4 from')),
    rate4: optional(rate('Tier 4 rate')),
    lateAfterDays: optional(int('Late after (days)', 0)),
    lateRate: optional(rate('Late rate')),
  })
  .superRefine((row, ctx) => {
    const r = row as unknown as Record<string, number | undefined>;
    let previous = 0;
    let ended = false;
    for (let n = 2; n <= COMMISSION_TIERS; n++) {
      const from = r[`from${n}`];
      const tierRate = r[`rate${n}`];
      if ((from === undefined) !== (tierRate === undefined)) {
        const path = from === undefined ? `from${n}` : `rate${n}`;
        ctx.addIssue({
          code: 'custom',
          path: [path],
          message: `is required with ${path === `from${n}` ? `rate${n}` : `from${n}`}`,
        });
      } else if (from !== undefined) {
        if (ended) ctx.addIssue({ code: 'custom', path: [`from${n}`], message: `needs tier ${n - 1} first` });
        else if (from <= previous)
          ctx.addIssue({ code: 'custom', path: [`from${n}`], message: `must be above the previous tier's start` });
        previous = from;
      } else ended = true;
    }
    if ((row.lateAfterDays === undefined) !== (row.lateRate === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [row.lateRate === undefined ? 'lateRate' : 'lateAfterDays'],
        message: 'lateAfterDays and lateRate go together',
      });
  });

const commissionSettlements = z.strictObject({
  salespersonId: id('Salesperson ID'),
  month: int('Month (YYYYMM)', 190001),
  // The statement's total commission as the settler saw it; the settlement's four-eyes approval locks the month.
  commission: money('Commission', 'any'),
  settledOn: date('Settled on'),
  // The currency whose month it locks (shared/calc/commission.ts); absent: the house currency (configuration).
  currency: optional(currency('Currency')),
});

// ── Issue #14 §4: plans. Targets per region or salesperson and budgets of expenses per region, each for a month
// (2016-11), a quarter (2016-Q4) or a year (2016), compared with the actual figures of that very period. ──────────

export const TARGET_GROUPS = ['region', 'salesperson'] as const;
export const TARGET_MEASURES = ['contractValue', 'invoiced', 'collected'] as const;

const PLAN_PERIOD = /^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/;
const planPeriod = (row: { period: string }, ctx: z.RefinementCtx): void => {
  if (!PLAN_PERIOD.test(row.period))
    ctx.addIssue({
      code: 'custom',
      path: ['period'],
      message: 'must be a month (2016-11), a quarter (2016-Q4) or a year (2016)',
    });
};

// Keys are ids of their own (compound keys are a parent and a line number); two targets of one group, period and
// measure, or two budgets of one region, period and category, add up.
const targets = z
  .strictObject({
    targetId: id('Target ID'),
    groupBy: oneOf('Group by', TARGET_GROUPS),
    // A region's name or a salesperson's ID, as the statistics group them.
    group: id('Group'),
    period: id('Period'),
    measure: oneOf('Measure', TARGET_MEASURES),
    amount: money('Amount'),
  })
  .superRefine(planPeriod);

const budgets = z
  .strictObject({
    budgetId: id('Budget ID'),
    region: id('Region'),
    period: id('Period'),
    category: id('Category'),
    amount: money('Amount'),
  })
  .superRefine(planPeriod);

// ---- customer file ledgers (issue 15) ----

export const INTERACTION_KINDS = [
  'call',
  'letter',
  'email',
  'meeting',
  'visit',
  'complaint',
  'feedback',
  'document',
] as const;
export const DIRECTIONS = ['in', 'out'] as const;
export const CASE_STATUSES = ['open', 'in progress', 'resolved'] as const;
/** Kinds of interaction that are cases with a status, a due date and a resolution. */
export const CASE_KINDS: readonly string[] = ['complaint', 'feedback'];
export const DOCUMENT_KINDS = ['licence', 'certificate', 'billing details', 'other'] as const;
export const SAMPLE_STATUSES = ['out', 'returned', 'kept'] as const;

const contacts = z.strictObject({
  contactId: id('Contact ID'),
  customerId: id('Customer ID'),
  name: text('Name'),
  role: optional(text('Role')),
  email: optional(email('Email')),
  phone: optional(phone('Phone')),
  primary: optional(bool('Primary')),
});

const interactions = z
  .strictObject({
    interactionId: id('Interaction ID'),
    customerId: id('Customer ID'),
    contractId: optional(id('Contract ID')),
    kind: oneOf('Kind', INTERACTION_KINDS),
    direction: oneOf('Direction', DIRECTIONS),
    date: date('Date'),
    subject: text('Subject'),
    summary: optional(text('Summary')),
    owner: text('Owner'),
    status: optional(oneOf('Status', CASE_STATUSES)),
    dueOn: optional(date('Due on')),
    resolvedOn: optional(date('Resolved on')),
    resolution: optional(text('Resolution')),
  })
  .superRefine((row, ctx) => {
    const issue = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: [field], message });
    if (!CASE_KINDS.includes(row.kind)) {
      for (const field of ['status', 'dueOn', 'resolvedOn', 'resolution'] as const)
        if (row[field] !== undefined) issue(field, `is only for a complaint or feedback, not a ${row.kind}`);
      return;
    }
    if (row.status === undefined) issue('status', `is required for a ${row.kind}: open, in progress or resolved`);
    if (row.status === 'resolved' && row.resolvedOn === undefined) issue('resolvedOn', 'is required when resolved');
    if (row.status !== 'resolved' && row.resolvedOn !== undefined)
      issue('resolvedOn', 'is only for a resolved case (set Status to resolved, or clear it)');
    if (row.resolvedOn !== undefined && row.resolvedOn < row.date)
      issue('resolvedOn', `must not be before the date (${row.date})`);
    if (row.dueOn !== undefined && row.dueOn < row.date) issue('dueOn', `must not be before the date (${row.date})`);
  });

const customerDocuments = z
  .strictObject({
    documentId: id('Document ID'),
    customerId: id('Customer ID'),
    kind: oneOf('Kind', DOCUMENT_KINDS),
    number: optional(text('Number')),
    validFrom: optional(date('Valid from')),
    validTo: optional(date('Valid to')),
    verifiedOn: optional(date('Verified on')),
  })
  .superRefine((row, ctx) => {
    if (row.validFrom !== undefined && row.validTo !== undefined && row.validTo < row.validFrom)
      ctx.addIssue({ code: 'custom', path: ['validTo'], message: `must not be before Valid from (${row.validFrom})` });
  });

const samples = z
  .strictObject({
    sampleId: id('Sample ID'),
    customerId: id('Customer ID'),
    itemCode: id('Item code'),
    quantity: int('Quantity', 1),
    sentOn: date('Sent on'),
    dueBackOn: optional(date('Due back on')),
    returnedOn: optional(date('Returned on')),
    purpose: optional(text('Purpose')),
    status: withDefault(oneOf('Status', SAMPLE_STATUSES), 'out'),
  })
  .superRefine((row, ctx) => {
    const issue = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: [field], message });
    if (row.status === 'returned' && row.returnedOn === undefined) issue('returnedOn', 'is required when returned');
    if (row.status !== 'returned' && row.returnedOn !== undefined)
      issue('returnedOn', 'is only for a returned sample (set Status to returned, or clear it)');
    if (row.returnedOn !== undefined && row.returnedOn < row.sentOn)
      issue('returnedOn', `must not be before Sent on (${row.sentOn})`);
    if (row.dueBackOn !== undefined && row.dueBackOn < row.sentOn)
      issue('dueBackOn', `must not be before Sent on (${row.sentOn})`);
  });
// ---- dunning (issue 13) ----

export const INTEREST_BASIS_DAYS = ['365', '360'] as const;

/** The placeholders a reminder level's letter text may use (filled in by shared/calc/dunning.ts fillLetter). */
export const LETTER_PLACEHOLDERS = [
  'customer',
  'invoices',
  'outstanding',
  'interest',
  'fees',
  'unapplied',
  'total',
  'currency',
  'level',
  'asOf',
  'payBy',
] as const;
export type LetterPlaceholder = (typeof LETTER_PLACEHOLDERS)[number];

/** Placeholders such as {name} in a letter text that are not LETTER_PLACEHOLDERS. */
export function unknownPlaceholders(text: string): string[] {
  const known: readonly string[] = LETTER_PLACEHOLDERS;
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string).filter((p) => !known.includes(p));
}

const reminderTerms = z.strictObject({
  termsCode: id('Terms code'),
  name: text('Name'),
  minAmount: withDefault(money('Minimum amount'), 0),
  /** 0 = no limit. */
  maxReminders: withDefault(int('Max reminders (0 = no limit)', 0), 0),
  /** Percent a year with up to 4 decimals: "8.5" is 8.5 % (stored as 85000). */
  interestRatePct: withDefault(unitPrice('Interest % a year'), 0),
  interestBasisDays: withDefault(oneOf('Interest basis (days)', INTEREST_BASIS_DAYS), '365'),
});

const reminderLevels = z
  .strictObject({
    termsCode: id('Terms code'),
    level: int('Level', 1),
    graceDays: withDefault(int('Grace days', 0), 0),
    payWithinDays: withDefault(int('Pay within (days)', 0), 14),
    feeFixed: withDefault(money('Fixed fee'), 0),
    /** Percent of the outstanding with up to 4 decimals: "1.5" is 1.5 %. */
    feePct: withDefault(unitPrice('Fee % of outstanding'), 0),
    feeMin: optional(money('Minimum fee')),
    feeMax: optional(money('Maximum fee')),
    chargeInterest: withDefault(bool('Charge interest'), false),
    letterText: optional(text('Letter text')),
  })
  .superRefine((row, ctx) => {
    if (row.feeMin !== undefined && row.feeMax !== undefined && row.feeMin > row.feeMax)
      ctx.addIssue({ code: 'custom', path: ['feeMax'], message: 'must not be below the minimum fee' });
    const unknown = row.letterText === undefined ? [] : unknownPlaceholders(row.letterText);
    if (unknown.length > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['letterText'],
        message: `unknown placeholder(s) ${unknown.map((u) => `{${u}}`).join(', ')}; use ${LETTER_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`,
      });
  });

export const REMINDER_STATUSES = ['draft', 'issued', 'cancelled', 'resolved'] as const;

/** An issued reminder (four eyes: stored pending, in effect once a reviewer approves it). */
const reminders = z
  .strictObject({
    reminderNo: id('Reminder no'),
    customerId: id('Customer ID'),
    currency: currency('Currency'),
    level: int('Level', 1),
    issuedOn: date('Issued on'),
    payBy: date('Pay by'),
    status: withDefault(oneOf('Status', REMINDER_STATUSES), 'issued'),
  })
  .superRefine((row, ctx) => {
    if (row.payBy < row.issuedOn)
      ctx.addIssue({ code: 'custom', path: ['payBy'], message: 'must not be before issued on' });
  });

/** One invoice of a reminder: what it said was owed, and the interest and fee it charged. */
const reminderLines = z.strictObject({
  reminderNo: id('Reminder no'),
  lineNo: int('Line', 1),
  invoiceNo: id('Invoice no'),
  level: int('Level', 1),
  outstanding: money('Outstanding'),
  daysOverdue: int('Days overdue', 0),
  interest: withDefault(money('Interest'), 0),
  fee: withDefault(money('Fee'), 0),
});

export const ledgerSchemas = {
  customers,
  salespeople,
  contracts,
  orderLines,
  deliveries,
  invoices,
  invoiceLines,
  payments,
  creditNotes,
  expenses,
  contacts,
  interactions,
  customerDocuments,
  samples,
  trips,
  attendance,
  expensePolicies,
  commissionPlans,
  commissionSettlements,
  targets,
  budgets,
  reminderTerms,
  reminderLevels,
  reminders,
  reminderLines,
} as const;

export type LedgerName = keyof typeof ledgerSchemas;
/** A stored, parsed row: money in cents, unit prices and rates in ten-thousandths, dates as `YYYY-MM-DD`. */
export type LedgerRecord<L extends LedgerName> = z.output<(typeof ledgerSchemas)[L]>;
/** A row as a client may send it. */
export type LedgerInput<L extends LedgerName> = z.input<(typeof ledgerSchemas)[L]>;

export type Customer = LedgerRecord<'customers'>;
export type Salesperson = LedgerRecord<'salespeople'>;
export type Contract = LedgerRecord<'contracts'>;
export type OrderLine = LedgerRecord<'orderLines'>;
export type Delivery = LedgerRecord<'deliveries'>;
export type Invoice = LedgerRecord<'invoices'>;
export type InvoiceLine = LedgerRecord<'invoiceLines'>;
export type Payment = LedgerRecord<'payments'>;
export type CreditNote = LedgerRecord<'creditNotes'>;
export type Expense = LedgerRecord<'expenses'>;
export type Contact = LedgerRecord<'contacts'>;
export type Interaction = LedgerRecord<'interactions'>;
export type CustomerDocument = LedgerRecord<'customerDocuments'>;
export type Sample = LedgerRecord<'samples'>;
export type Trip = LedgerRecord<'trips'>;
export type Attendance = LedgerRecord<'attendance'>;
export type ExpensePolicy = LedgerRecord<'expensePolicies'>;
export type CommissionPlan = LedgerRecord<'commissionPlans'>;
export type CommissionSettlement = LedgerRecord<'commissionSettlements'>;
export type Target = LedgerRecord<'targets'>;
export type Budget = LedgerRecord<'budgets'>;
export type ReminderTerms = LedgerRecord<'reminderTerms'>;
export type ReminderLevel = LedgerRecord<'reminderLevels'>;
export type Reminder = LedgerRecord<'reminders'>;
export type ReminderLine = LedgerRecord<'reminderLines'>;

/** A reference from one of a ledger's fields to another ledger's key. */
export interface Reference {
  field: string;
  ledger: LedgerName;
  /** Enforced references make a row `invalid` when the target is missing; others are reported by the invoice check. */
  enforced: boolean;
}

export interface LedgerDefinition {
  name: LedgerName;
  /** Title of the worksheet and name of the Excel table. */
  title: string;
  /** The key fields; more than one makes a compound key joined with `~`. */
  key: readonly string[];
  /**
   * A currency field that, when the row has it, ends the key as one more `~` part (`S1~201611~USD`); a row without it
   * is keyed by the key fields alone (`S1~201611`), as before the field joined the key, so stored keys stay valid.
   * Only after a compound key ending in a number: splitKey tells the two forms apart by the three capital letters.
   */
  optionalKeyTail?: string;
  references: readonly Reference[];
}

/** Every ledger, parents before children: the order in which clients publish. */
export const LEDGERS: readonly LedgerDefinition[] = [
  { name: 'customers', title: 'Customers', key: ['customerId'], references: [] },
  { name: 'salespeople', title: 'Salespeople', key: ['salespersonId'], references: [] },
  {
    name: 'contracts',
    title: 'Contracts',
    key: ['contractId'],
    references: [
      { field: 'customerId', ledger: 'customers', enforced: true },
      { field: 'salespersonId', ledger: 'salespeople', enforced: true },
    ],
  },
  {
    name: 'orderLines',
    title: 'Order lines',
    key: ['contractId', 'lineNo'],
    references: [{ field: 'contractId', ledger: 'contracts', enforced: true }],
  },
  {
    name: 'deliveries',
    title: 'Deliveries',
    key: ['deliveryId'],
    references: [{ field: 'contractId', ledger: 'contracts', enforced: true }],
  },
  {
    name: 'invoices',
    title: 'Invoices',
    key: ['invoiceNo'],
    references: [{ field: 'contractId', ledger: 'contracts', enforced: false }],
  },
  {
    name: 'invoiceLines',
    title: 'Invoice lines',
    key: ['invoiceNo', 'lineNo'],
    references: [{ field: 'invoiceNo', ledger: 'invoices', enforced: true }],
  },
  {
    name: 'payments',
    title: 'Payments',
    key: ['paymentId'],
    references: [
      { field: 'contractId', ledger: 'contracts', enforced: true },
      { field: 'invoiceNo', ledger: 'invoices', enforced: true },
    ],
  },
  {
    name: 'creditNotes',
    title: 'Credit notes',
    key: ['creditNoteNo'],
    references: [
      { field: 'contractId', ledger: 'contracts', enforced: true },
      { field: 'invoiceNo', ledger: 'invoices', enforced: true },
    ],
  },
  {
    name: 'expenses',
    title: 'Expenses',
    key: ['expenseId'],
    references: [{ field: 'salespersonId', ledger: 'salespeople', enforced: true }],
  },
  // Issue 15: the customer file.
  {
    name: 'contacts',
    title: 'Contacts',
    key: ['contactId'],
    references: [{ field: 'customerId', ledger: 'customers', enforced: true }],
  },
  {
    name: 'interactions',
    title: 'Interactions',
    key: ['interactionId'],
    references: [
      { field: 'customerId', ledger: 'customers', enforced: true },
      { field: 'contractId', ledger: 'contracts', enforced: true },
    ],
  },
  {
    name: 'customerDocuments',
    title: 'Customer documents',
    key: ['documentId'],
    references: [{ field: 'customerId', ledger: 'customers', enforced: true }],
  },
  {
    name: 'samples',
    title: 'Samples',
    key: ['sampleId'],
    references: [{ field: 'customerId', ledger: 'customers', enforced: true }],
  },
  // Issue #14.
  {
    name: 'trips',
    title: 'Trips',
    key: ['tripId'],
    references: [
      { field: 'salespersonId', ledger: 'salespeople', enforced: true },
      { field: 'customerId', ledger: 'customers', enforced: true },
      { field: 'contractId', ledger: 'contracts', enforced: true },
    ],
  },
  {
    name: 'attendance',
    title: 'Attendance',
    key: ['salespersonId', 'month'],
    references: [{ field: 'salespersonId', ledger: 'salespeople', enforced: true }],
  },
  { name: 'expensePolicies', title: 'Expense policies', key: ['policyId'], references: [] },
  { name: 'commissionPlans', title: 'Commission plans', key: ['planId'], references: [] },
  {
    name: 'commissionSettlements',
    title: 'Commission settlements',
    key: ['salespersonId', 'month'],
    // One settlement per salesperson, month and currency; the house currency's is the one without a currency.
    optionalKeyTail: 'currency',
    references: [{ field: 'salespersonId', ledger: 'salespeople', enforced: true }],
  },
  { name: 'targets', title: 'Targets', key: ['targetId'], references: [] },
  { name: 'budgets', title: 'Budgets', key: ['budgetId'], references: [] },
  { name: 'reminderTerms', title: 'Reminder terms', key: ['termsCode'], references: [] },
  {
    name: 'reminderLevels',
    title: 'Reminder levels',
    key: ['termsCode', 'level'],
    references: [{ field: 'termsCode', ledger: 'reminderTerms', enforced: true }],
  },
  {
    name: 'reminders',
    title: 'Reminders',
    key: ['reminderNo'],
    references: [{ field: 'customerId', ledger: 'customers', enforced: true }],
  },
  {
    name: 'reminderLines',
    title: 'Reminder lines',
    key: ['reminderNo', 'lineNo'],
    references: [
      { field: 'reminderNo', ledger: 'reminders', enforced: true },
      { field: 'invoiceNo', ledger: 'invoices', enforced: true },
    ],
  },
];

const byName = new Map<string, LedgerDefinition>(LEDGERS.map((l) => [l.name, l]));

export function isLedgerName(name: unknown): name is LedgerName {
  return typeof name === 'string' && byName.has(name);
}

export function ledger(name: LedgerName): LedgerDefinition {
  const def = byName.get(name);
  if (!def) throw new Error(`unknown ledger ${name}`);
  return def;
}

export interface Column extends FieldMeta {
  field: string;
  /** Excel number format for the column. */
  numberFormat: string;
}

const NUMBER_FORMATS: Record<FieldMeta['kind'], string> = {
  id: '@',
  text: '@',
  currency: '@',
  enum: '@',
  money: '#,##0.00',
  unitPrice: '#,##0.00##',
  rate: '0.00##',
  int: '0',
  date: 'yyyy-mm-dd',
  bool: 'General',
};

function shapeOf(name: LedgerName): Record<string, z.ZodType> {
  return ledgerSchemas[name].shape;
}

const columnCache = new Map<LedgerName, readonly Column[]>();

/** The ledger's columns in schema order, with headers, kinds and Excel number formats. */
export function columns(name: LedgerName): readonly Column[] {
  let cols = columnCache.get(name);
  if (!cols) {
    cols = Object.entries(shapeOf(name)).map(([field, schema]) => {
      const meta = fieldMeta.get(schema);
      if (!meta) throw new Error(`${name}.${field} has no field metadata`);
      return { field, ...meta, numberFormat: NUMBER_FORMATS[meta.kind] };
    });
    columnCache.set(name, cols);
  }
  return cols;
}

/** The value of a row's optional key tail, or undefined when the ledger has none or the row leaves it empty. */
function keyTailOf(def: LedgerDefinition, row: Record<string, unknown>): string | undefined {
  if (def.optionalKeyTail === undefined) return undefined;
  const v = row[def.optionalKeyTail];
  if (v === undefined || v === null || v === '') return undefined;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The key of a parsed or wire row: key fields joined with `~`, then the optional key tail when the row has one. */
export function keyOf(name: LedgerName, row: Record<string, unknown>): string {
  const def = ledger(name);
  const parts = def.key.map((f) => String(row[f]));
  const tail = keyTailOf(def, row);
  if (tail !== undefined) parts.push(tail);
  return parts.join('~');
}

/** An optional key tail as splitKey recognises it: a currency code after the last `~`. */
const KEY_TAIL = /~([A-Z]{3})$/;

/**
 * Splits a key from a URL into its key fields. Compound keys end in a line number, so the split is at the last `~`
 * and ids may themselves contain `~`. A ledger with an optional key tail takes a final `~` and three capital letters
 * after the number as the tail (`S~1~201611~USD`: salesperson `S~1`, month 201611, currency USD). Returns null when
 * the key cannot be one of this ledger's.
 */
export function splitKey(name: LedgerName, key: string): Record<string, string | number> | null {
  const def = ledger(name);
  const fields = def.key;
  if (fields.length === 1) return { [fields[0] as string]: key };
  const tail = def.optionalKeyTail === undefined ? null : KEY_TAIL.exec(key);
  if (tail !== null) {
    const parts = splitCompound(fields, key.slice(0, tail.index));
    if (parts !== null) return { ...parts, [def.optionalKeyTail as string]: tail[1] as string };
  }
  return splitCompound(fields, key);
}

function splitCompound(fields: readonly string[], key: string): Record<string, string | number> | null {
  const at = key.lastIndexOf('~');
  if (at <= 0) return null;
  const lineNo = key.slice(at + 1);
  if (!/^[1-9]\d{0,14}$/.test(lineNo)) return null;
  return { [fields[0] as string]: key.slice(0, at), [fields[1] as string]: Number(lineNo) };
}

export interface FieldError {
  field: string;
  message: string;
}

/**
 * A row naming the house currency in its optional key tail is refused: it would be keyed apart from the row that
 * leaves the currency empty (which means the house currency), and two rows would then settle one month. The clerk
 * is told to leave the field empty and which key the row then has (`S1~201611`). Null when the row is fine.
 */
export function houseCurrencyTailProblem(
  name: LedgerName,
  row: Record<string, unknown>,
  houseCurrency: string,
): FieldError | null {
  const def = ledger(name);
  if (def.optionalKeyTail === undefined || keyTailOf(def, row) !== houseCurrency) return null;
  const key = keyOf(name, { ...row, [def.optionalKeyTail]: undefined });
  return {
    field: def.optionalKeyTail,
    message: `must be left empty for ${houseCurrency}, the house currency (the row's key is then ${key})`,
  };
}

export type ParseResult<L extends LedgerName> =
  { ok: true; record: LedgerRecord<L> } | { ok: false; errors: FieldError[] };

/**
 * Parses one wire row. `null` and `""` count as absent (what an empty Excel cell or a JSON null means), so a
 * required field left empty is reported as required. Unknown fields are errors, never dropped.
 */
export function parseRow<L extends LedgerName>(name: L, input: unknown): ParseResult<L> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return { ok: false, errors: [{ field: '', message: 'a row must be a JSON object' }] };
  // Object.fromEntries defines own properties, so a "__proto__" key stays a key (and is refused as unknown)
  // instead of replacing the prototype.
  const cleaned: Record<string, unknown> = Object.fromEntries(
    Object.entries(input).filter(([, v]) => v !== null && v !== ''),
  );
  const result = ledgerSchemas[name].safeParse(cleaned);
  if (result.success) return { ok: true, record: result.data as LedgerRecord<L> };
  return { ok: false, errors: result.error.issues.flatMap((i) => issueToErrors(i, cleaned)) };
}

function issueToErrors(issue: z.core.$ZodIssue, row: Record<string, unknown>): FieldError[] {
  if (issue.code === 'unrecognized_keys')
    return issue.keys.map((k) => ({ field: k, message: 'is not a field of this ledger' }));
  const field = issue.path.map(String).join('.');
  if (issue.code === 'invalid_type' && issue.path.length === 1 && !Object.hasOwn(row, field))
    return [{ field, message: 'is required' }];
  return [{ field, message: issue.message }];
}

/** What the service or the sheet knows when completing a row: configuration and the row's contract. */
export interface CompletionContext {
  defaultCurrency: string;
  /** The payment terms of a contract, or undefined when the contract does not exist. */
  paymentTermsDays(contractId: string): number | undefined;
}

/** Fills in defaults that depend on configuration or on other rows (contract currency, invoice due date). */
export function completeRow<L extends LedgerName>(
  name: L,
  record: LedgerRecord<L>,
  ctx: CompletionContext,
): LedgerRecord<L> {
  if (name === 'contracts') {
    const c = record as Contract;
    if (c.currency === undefined) return { ...c, currency: ctx.defaultCurrency } as LedgerRecord<L>;
  }
  if (name === 'invoices') {
    const inv = record as Invoice;
    if (inv.dueOn === undefined) {
      const terms = ctx.paymentTermsDays(inv.contractId) ?? DEFAULT_PAYMENT_TERMS_DAYS;
      return { ...inv, dueOn: addDays(inv.issuedOn, terms) } as LedgerRecord<L>;
    }
  }
  return record;
}

/** A parsed row in wire form: money as "1234.50", unit prices and rates as decimal strings. */
export function toWire<L extends LedgerName>(
  name: L,
  record: LedgerRecord<L>,
): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  const values = record as Record<string, unknown>;
  for (const col of columns(name)) {
    const v = values[col.field];
    if (v === undefined || v === null) continue;
    if (col.kind === 'money') out[col.field] = formatMoney(v as number);
    else if (col.kind === 'unitPrice') out[col.field] = formatUnitPrice(v as number);
    else if (col.kind === 'rate') out[col.field] = formatRate(v as number);
    else out[col.field] = v as string | number | boolean;
  }
  return out;
}
