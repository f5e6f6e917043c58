// Field builders for ledger schemas: each returns a zod schema registered with the metadata (kind, header) that
// drives Excel columns, wire formatting and key rules, so a field is described exactly once.

import { z } from 'zod';
import { DomainError } from './errors';
import { parseIsoDate } from './dates';
import { parseMoney, parseRate, parseUnitPrice } from './money';

export type FieldKind = 'id' | 'text' | 'money' | 'unitPrice' | 'rate' | 'int' | 'date' | 'enum' | 'bool' | 'currency';

export interface FieldMeta {
  kind: FieldKind;
  /** Column header in the Excel table. */
  header: string;
  required: boolean;
  /** Allowed values of an enumeration (Excel data-validation list). */
  values?: readonly string[];
  /** The value used when the field is absent (shown in the Excel table as a hint, applied by the schema). */
  defaultValue?: string | number | boolean;
}

export const fieldMeta = z.registry<FieldMeta>();

/** Azure Table Storage allows 64 KiB per string property: 32,000 UTF-16 characters stays safely inside. */
export const MAX_TEXT_LENGTH = 32_000;
export const MAX_KEY_LENGTH = 100;
// Azure forbids / \ # ? and control characters in PartitionKey and RowKey values.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_KEY_CHARS = /[/\\#?\u0000-\u001f\u007f-\u009f]/;

/** Why `value` cannot be a key part, or null when it can. */
export function keyProblem(value: string): string | null {
  if (value.length === 0) return 'must not be empty';
  if (value.length > MAX_KEY_LENGTH) return `must be at most ${MAX_KEY_LENGTH} characters`;
  // URLs resolve "." and ".." (also as %2E%2E) before any route sees them: such a row could never be read back.
  if (value === '.' || value === '..') return `must not be "${value}" (a URL path cannot address it)`;
  const bad = FORBIDDEN_KEY_CHARS.exec(value);
  if (bad) {
    const ch = bad[0];
    const shown =
      ch.charCodeAt(0) < 32 || ch.charCodeAt(0) >= 127
        ? `control character U+${ch.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`
        : `"${ch}"`;
    return `must not contain ${shown} (not allowed: / \\ # ? and control characters)`;
  }
  return null;
}

function register<T extends z.ZodType>(schema: T, meta: FieldMeta): T {
  fieldMeta.add(schema, meta);
  return schema;
}

/** Wraps a field so it may be absent; keeps its metadata. */
export function optional<T extends z.ZodType>(schema: T) {
  const meta = fieldMeta.get(schema);
  if (!meta) throw new Error('optional() needs a field built by shared/fields');
  return register(schema.optional(), { ...meta, required: false });
}

/** Wraps a field so an absent value becomes `value`; keeps its metadata. */
export function withDefault<T extends z.ZodType>(schema: T, value: z.output<T> & (string | number | boolean)) {
  const meta = fieldMeta.get(schema);
  if (!meta) throw new Error('withDefault() needs a field built by shared/fields');
  // zod 4's .default() takes the output value and skips parsing when the input is undefined.
  return register(schema.default(value as never), { ...meta, required: false, defaultValue: value });
}

/** Runs a shared parser inside zod, turning its DomainError into an issue with the parser's message. */
function parsed<T>(input: unknown, ctx: z.core.ParsePayload<unknown>, parse: (v: unknown) => T): T {
  try {
    return parse(input);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    ctx.issues.push({ code: 'custom', message: e.message, input });
    return z.NEVER;
  }
}

/** An identifier used as a key or a reference: 1–100 characters, none of / \ # ? or control characters. */
export function id(header: string) {
  return register(
    z.string({ error: 'must be text' }).superRefine((v, ctx) => {
      const problem = keyProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    { kind: 'id', header, required: true },
  );
}

export function text(header: string) {
  return register(
    z
      .string({ error: 'must be text' })
      .min(1, { error: 'must not be empty' })
      .max(MAX_TEXT_LENGTH, { error: `must be at most ${MAX_TEXT_LENGTH} characters` }),
    { kind: 'text', header, required: true },
  );
}

type Sign = 'any' | 'nonNegative' | 'positive' | 'nonZero';

/** Why a parsed decimal is out of range, or null when it is not. */
type RangeProblem = (value: number) => string | null;

const SIGN_PROBLEMS: Record<Sign, RangeProblem> = {
  any: () => null,
  nonNegative: (v) => (v < 0 ? 'must not be negative' : null),
  positive: (v) => (v <= 0 ? 'must be greater than 0' : null),
  // Payments: money received is positive, a refund paid back to the customer negative.
  nonZero: (v) =>
    v === 0 ? 'must not be 0: enter money received as a positive amount, a refund as a negative one' : null,
};

const decimalInput = z.union([z.string(), z.number()], {
  error: 'must be a decimal number or a string such as "1234.50"',
});

/** A decimal field: `parse` makes a scaled integer; `problem` is asked only when parsing succeeded. */
function decimal(kind: FieldKind, header: string, parse: (v: unknown) => number, problem: RangeProblem) {
  return register(
    decimalInput.transform((v, ctx) => {
      const value = parsed(v, ctx, parse);
      const message = ctx.issues.length === 0 ? problem(value) : null;
      if (message !== null) ctx.issues.push({ code: 'custom', message, input: v });
      return value;
    }),
    { kind, header, required: true },
  );
}

/** An amount with at most 2 decimals; becomes integer cents. */
export function money(header: string, sign: Sign = 'nonNegative') {
  return decimal('money', header, (x) => parseMoney(x, 'amount'), SIGN_PROBLEMS[sign]);
}

/** A unit price with at most 4 decimals; becomes integer ten-thousandths. */
export function unitPrice(header: string) {
  return decimal('unitPrice', header, (x) => parseUnitPrice(x, 'unit price'), SIGN_PROBLEMS.nonNegative);
}

/** A fraction between 0 and 1 with at most 4 decimals (e.g. "0.03"); becomes integer ten-thousandths. */
export function rate(header: string) {
  return decimal(
    'rate',
    header,
    (x) => parseRate(x, 'rate'),
    (r) => (r < 0 || r > 10_000 ? 'must be a fraction between 0 and 1' : null),
  );
}

/** A whole number; `min` is the smallest allowed value. */
export function int(header: string, min: number) {
  return register(
    z
      .number({ error: 'must be a whole number' })
      .int({ error: 'must be a whole number' })
      .min(min, { error: min === 1 ? 'must be greater than 0' : `must be at least ${min}` }),
    { kind: 'int', header, required: true },
  );
}

/** A calendar date `YYYY-MM-DD`. */
export function date(header: string) {
  return register(
    z
      .string({ error: 'must be a date as YYYY-MM-DD' })
      .transform((v, ctx) => parsed(v, ctx, (x) => parseIsoDate(x, 'date'))),
    { kind: 'date', header, required: true },
  );
}

export function oneOf<const T extends readonly [string, ...string[]]>(header: string, values: T) {
  return register(z.enum(values, { error: `must be one of: ${values.join(', ')}` }), {
    kind: 'enum',
    header,
    required: true,
    values,
  });
}

export function bool(header: string) {
  return register(z.boolean({ error: 'must be true or false' }), { kind: 'bool', header, required: true });
}

/** An ISO 4217 currency code such as EUR. */
export function currency(header: string) {
  return register(
    z.string({ error: 'must be text' }).regex(/^[A-Z]{3}$/, { error: 'must be a currency code such as EUR' }),
    {
      kind: 'currency',
      header,
      required: true,
    },
  );
}

// ---- customer file fields (issue 15) ----

/**
 * An email address: one `@` with something before it and a dotted domain after it, no spaces, at most 254
 * characters. Stored as typed. A column of kind text (the sheet writes it as text).
 */
export function email(header: string) {
  return register(
    z
      .string({ error: 'must be text' })
      .max(254, { error: 'must be an email address of at most 254 characters' })
      .regex(/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/, { error: 'must be an email address such as name@example.com' }),
    { kind: 'text', header, required: true },
  );
}

/**
 * A phone number as people write it: digits, spaces and `( ) - . /`, an optional leading `+`, and 6 to 20 digits.
 * Stored as typed, and written to the sheet as text (a leading `+` would otherwise start a formula).
 */
export function phone(header: string) {
  return register(
    z.string({ error: 'must be text' }).superRefine((v, ctx) => {
      const digits = v.replace(/\D/g, '').length;
      if (!/^\+?[\d\s().\-/]+$/.test(v))
        ctx.addIssue({
          code: 'custom',
          message: 'must be a phone number such as +44 20 7946 0958 (digits, spaces, + ( ) - . / only)',
        });
      else if (digits < 6 || digits > 20)
        ctx.addIssue({ code: 'custom', message: `must be a phone number with 6 to 20 digits (it has ${digits})` });
    }),
    { kind: 'text', header, required: true },
  );
}
