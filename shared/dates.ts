// Calendar dates (strict YYYY-MM-DD strings), day arithmetic, Excel serial numbers and period labels.
//
// A date is kept as its ISO text: it sorts correctly, compares with < and needs no time zone. Day arithmetic goes
// through a day number (days since 1970-01-01) computed with Date.UTC, which is exact for whole days.

import { DomainError } from './errors';

/** A calendar date as `YYYY-MM-DD`. */
export type IsoDate = string;
export const PERIOD_KINDS = ['month', 'quarter', 'year'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** True when `text` is a real calendar date in strict `YYYY-MM-DD` form (years 1900–9999). */
export function isIsoDate(text: unknown): text is IsoDate {
  if (typeof text !== 'string') return false;
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return year >= 1900 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Returns the date or throws a DomainError saying why it is not one. */
export function parseIsoDate(text: unknown, what = 'date'): IsoDate {
  if (typeof text !== 'string') throw new DomainError('invalid_date', `${what} must be a date as YYYY-MM-DD`);
  if (!ISO_DATE.test(text)) throw new DomainError('invalid_date', `${what} "${text}" must be a date as YYYY-MM-DD`);
  const candidate: string = text;
  if (!isIsoDate(candidate)) throw new DomainError('invalid_date', `${what} "${text}" is not a calendar date`);
  return candidate;
}

/** Days since 1970-01-01 for a valid date. */
export function toDayNumber(date: IsoDate): number {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  return Math.round(Date.UTC(y, m - 1, d) / MS_PER_DAY);
}

/** The date of a day number. */
export function fromDayNumber(day: number): IsoDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** `to − from` in days (positive when `to` is later). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

// Excel's 1900 date system: serial 1 is 1900-01-01 and serial 60 is the non-existent 1900-02-29 (kept for Lotus
// 1-2-3 compatibility), so from serial 61 (1900-03-01) on, serial = days since 1899-12-30.
const EXCEL_EPOCH_DAY = toDayNumber('1899-12-30');
const LAST_DAY = toDayNumber('9999-12-31');

/** An Excel serial number (1900 date system) to a calendar date; fractions (times) are refused. */
export function fromExcelSerial(serial: number): IsoDate {
  if (!Number.isFinite(serial) || !Number.isInteger(serial))
    throw new DomainError('invalid_serial', `Excel date ${serial} is not a whole day`);
  if (serial < 1) throw new DomainError('invalid_serial', `Excel date ${serial} is before 1900-01-01`);
  if (serial === 60) throw new DomainError('invalid_serial', 'Excel date 60 is 1900-02-29, a day that does not exist');
  const day = EXCEL_EPOCH_DAY + (serial < 60 ? serial + 1 : serial);
  if (day > LAST_DAY) throw new DomainError('invalid_serial', `Excel date ${serial} is after 9999-12-31`);
  return fromDayNumber(day);
}

/** A calendar date to its Excel serial number (1900 date system). */
export function toExcelSerial(date: IsoDate): number {
  const days = toDayNumber(date) - EXCEL_EPOCH_DAY;
  return days < 61 ? days - 1 : days;
}

/** The period label a date falls in: `2016-11`, `2016-Q4` or `2016`. */
export function periodOf(date: IsoDate, kind: PeriodKind): string {
  const year = date.slice(0, 4);
  if (kind === 'year') return year;
  const month = Number(date.slice(5, 7));
  if (kind === 'month') return date.slice(0, 7);
  return `${year}-Q${Math.ceil(month / 3)}`;
}

export interface Period {
  kind: PeriodKind;
  label: string;
  /** First day, inclusive. */
  from: IsoDate;
  /** Last day, inclusive. */
  to: IsoDate;
}

const MONTH_LABEL = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER_LABEL = /^(\d{4})-Q([1-4])$/;
const YEAR_LABEL = /^(\d{4})$/;

function monthRange(year: number, firstMonth: number, lastMonth: number): { from: IsoDate; to: IsoDate } {
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    from: `${year}-${pad(firstMonth)}-01`,
    to: `${year}-${pad(lastMonth)}-${pad(daysInMonth(year, lastMonth))}`,
  };
}

/** Parses a period label (`2016-11`, `2016-Q4`, `2016`) into its kind and first and last days. */
export function parsePeriod(label: unknown): Period {
  if (typeof label === 'string') {
    let m = MONTH_LABEL.exec(label);
    if (m) {
      const month = Number(m[2]);
      return { kind: 'month', label, ...monthRange(Number(m[1]), month, month) };
    }
    m = QUARTER_LABEL.exec(label);
    if (m) {
      const q = Number(m[2]);
      return { kind: 'quarter', label, ...monthRange(Number(m[1]), q * 3 - 2, q * 3) };
    }
    m = YEAR_LABEL.exec(label);
    if (m) return { kind: 'year', label, ...monthRange(Number(m[1]), 1, 12) };
  }
  throw new DomainError(
    'invalid_period',
    `period ${JSON.stringify(label)} must be a month (2016-11), a quarter (2016-Q4) or a year (2016)`,
  );
}

/** Every period label of `kind` that overlaps [from, to], in order. */
export function periodsBetween(from: IsoDate, to: IsoDate, kind: PeriodKind): string[] {
  const labels: string[] = [];
  let cursor = parsePeriod(periodOf(from, kind));
  const last = periodOf(to, kind);
  for (;;) {
    labels.push(cursor.label);
    if (cursor.label === last || cursor.to >= to) break;
    cursor = parsePeriod(periodOf(addDays(cursor.to, 1), kind));
  }
  return labels;
}

/** The month before the one that `date` falls in, e.g. for a report run on the 1st. */
export function previousMonth(date: IsoDate): string {
  return periodOf(addDays(`${date.slice(0, 7)}-01`, -1), 'month');
}
