// Money and other exact decimals as scaled integers: parsing, formatting and half-up line amounts.
//
// Money is integer cents, unit prices and rates are integer ten-thousandths (scale 4). Parsing works on the decimal
// text itself, never on float arithmetic, so "0.29" is exactly 29 cents.

import { DomainError } from './errors';

/** Cents, an integer. */
export type Cents = number;

/**
 * The house currency when configuration names none (LEDGERDESK_DEFAULT_CURRENCY): what contracts without a currency
 * and expenses (which have no currency column) are counted in. Figures never add amounts of different currencies.
 */
export const DEFAULT_CURRENCY = 'EUR';
/** A unit price in ten-thousandths of the currency unit (4 decimals), an integer. */
export type Price4 = number;
/** A fraction such as a commission rate in ten-thousandths (0.03 → 300), an integer. */
export type Rate4 = number;

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * Parses a decimal given as a string or a JSON number into an integer scaled by 10^maxDecimals.
 * Rejects more decimals than allowed, NaN, Infinity, exponents, thousands separators, empty strings and
 * anything that is not a plain decimal, with a message that says which.
 */
export function parseScaled(value: unknown, maxDecimals: number, what = 'value'): number {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new DomainError('invalid_decimal', `${what} must be a finite number`);
    // String(n) is the shortest text that round-trips n; an exponent only appears for |n| >= 1e21 or < 1e-6.
    text = String(value);
    if (/e/i.test(text)) throw new DomainError('invalid_decimal', `${what} ${text} is out of range`);
  } else if (typeof value === 'string') {
    text = value;
    if (text.trim() !== text || text === '')
      throw new DomainError('invalid_decimal', `${what} must be a decimal number such as "1234.50"`);
    if (/[eE]/.test(text)) throw new DomainError('invalid_decimal', `${what} "${text}" must not use an exponent`);
    if (/[,'\s_]/.test(text))
      throw new DomainError('invalid_decimal', `${what} "${text}" must not contain thousands separators`);
  } else {
    throw new DomainError('invalid_decimal', `${what} must be a decimal number or a string such as "1234.50"`);
  }
  const m = DECIMAL.exec(text);
  if (!m) throw new DomainError('invalid_decimal', `${what} "${text}" is not a decimal number`);
  const [, sign, whole = '', frac = ''] = m;
  if (frac.length > maxDecimals)
    throw new DomainError('invalid_decimal', `${what} "${text}" has more than ${maxDecimals} decimals`);
  const digits = whole + frac.padEnd(maxDecimals, '0');
  const scaled = Number(digits);
  if (!Number.isSafeInteger(scaled)) throw new DomainError('invalid_decimal', `${what} "${text}" is too large`);
  return sign === '-' && scaled !== 0 ? -scaled : scaled;
}

/** Parses an amount with at most 2 decimals into cents. */
export function parseMoney(value: unknown, what = 'amount'): Cents {
  try {
    return parseScaled(value, 2, what);
  } catch (e) {
    if (e instanceof DomainError) throw new DomainError('invalid_money', e.message);
    throw e;
  }
}

/** Parses a unit price with at most 4 decimals into ten-thousandths. */
export function parseUnitPrice(value: unknown, what = 'unit price'): Price4 {
  return parseScaled(value, 4, what);
}

/** Parses a fraction (e.g. a commission rate "0.03") with at most 4 decimals into ten-thousandths. */
export function parseRate(value: unknown, what = 'rate'): Rate4 {
  return parseScaled(value, 4, what);
}

function formatScaled(scaled: number, scale: number, minDecimals: number): string {
  if (!Number.isSafeInteger(scaled)) throw new RangeError(`not an exact scaled integer: ${scaled}`);
  const negative = scaled < 0;
  const digits = String(Math.abs(scaled)).padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  let frac = digits.slice(digits.length - scale);
  while (frac.length > minDecimals && frac.endsWith('0')) frac = frac.slice(0, -1);
  return `${negative ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

/** Cents to the wire format, always two decimals: 123450 → "1234.50". */
export function formatMoney(cents: Cents): string {
  return formatScaled(cents, 2, 2);
}

/** A unit price with at least two and at most four decimals: 125000 → "12.50", 123456 → "12.3456". */
export function formatUnitPrice(price: Price4): string {
  return formatScaled(price, 4, 2);
}

/** A rate with as few decimals as it needs: 300 → "0.03". */
export function formatRate(rate: Rate4): string {
  return formatScaled(rate, 4, 0);
}

/**
 * quantity × unitPrice in cents, rounded half-up (away from zero for negative amounts), integer arithmetic only.
 * Falls back to BigInt when the intermediate product exceeds 2^53.
 */
export function lineAmount(quantity: number, unitPrice: Price4): Cents {
  if (!Number.isSafeInteger(quantity) || !Number.isSafeInteger(unitPrice))
    throw new RangeError('quantity and unit price must be integers');
  const product = quantity * unitPrice;
  if (Number.isSafeInteger(product)) return roundHalfUpDiv(product, 100);
  const p = BigInt(quantity) * BigInt(unitPrice);
  const negative = p < 0n;
  const abs = negative ? -p : p;
  const q = (abs + 50n) / 100n;
  const result = Number(negative ? -q : q);
  if (!Number.isSafeInteger(result)) throw new RangeError('line amount too large');
  return result;
}

/** Integer division rounded half-up (half away from zero), for exact scaled integers. */
export function roundHalfUpDiv(numerator: number, divisor: number): number {
  const negative = numerator < 0 !== divisor < 0;
  const n = Math.abs(numerator);
  const d = Math.abs(divisor);
  const q = Math.floor(n / d);
  const r = n - q * d;
  const rounded = r * 2 >= d ? q + 1 : q;
  return negative ? -rounded : rounded;
}

/** Cents from an Excel cell number, tolerating binary floating-point noise only (1234.5 → 123450). */
export function centsFromCellNumber(value: number, what = 'amount'): Cents {
  return scaledFromCellNumber(value, 2, what);
}

/** A scaled integer from an Excel cell number (e.g. unit prices with scale 4), tolerating float noise only. */
export function scaledFromCellNumber(value: number, scale: number, what = 'value'): number {
  if (!Number.isFinite(value)) throw new DomainError('invalid_decimal', `${what} must be a finite number`);
  const factor = 10 ** scale;
  const scaled = value * factor;
  const rounded = Math.round(scaled);
  // Cells store doubles: 1234.56 is 1234.5599999…; anything further off than noise has too many decimals.
  if (Math.abs(scaled - rounded) > 1e-6 * Math.max(1, Math.abs(scaled) / 1e9))
    throw new DomainError('invalid_decimal', `${what} ${value} has more than ${scale} decimals`);
  if (!Number.isSafeInteger(rounded)) throw new DomainError('invalid_decimal', `${what} ${value} is too large`);
  return rounded === 0 ? 0 : rounded;
}

/** A scaled integer to an Excel cell number (123450 cents → 1234.5). */
export function scaledToCellNumber(scaled: number, scale: number): number {
  return Number(formatScaled(scaled, scale, 0));
}
