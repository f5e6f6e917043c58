// Six-field NCRONTAB schedules as Azure timer triggers use them: parse and find the next occurrence, in UTC.
//
// `{second} {minute} {hour} {day} {month} {day-of-week}`; each field `*`, `n`, `a-b`, lists with `,`, steps `/n`;
// month names JAN-DEC and day names SUN-SAT; day-of-week 0-6 with 0 = Sunday. As in NCrontab (the library the
// Functions host uses), a time matches only when day-of-month AND day-of-week both match, unlike Vixie cron's OR.

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  },
  { name: 'day-of-week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

export interface Schedule {
  expression: string;
  second: ReadonlySet<number>;
  minute: ReadonlySet<number>;
  hour: ReadonlySet<number>;
  day: ReadonlySet<number>;
  month: ReadonlySet<number>;
  dayOfWeek: ReadonlySet<number>;
}

function value(text: string, spec: FieldSpec, expression: string): number {
  const byName = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  const n = byName >= 0 ? byName + spec.min : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < spec.min || n > spec.max) {
    throw new Error(`NCRONTAB "${expression}": ${spec.name} value "${text}" is not in ${spec.min}-${spec.max}.`);
  }
  return n;
}

function parseField(text: string, spec: FieldSpec, expression: string): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText, extra] = part.split('/');
    if (extra !== undefined || range === '')
      throw new Error(`NCRONTAB "${expression}": ${spec.name} field "${text}" is malformed.`);
    const step = stepText === undefined ? 1 : /^\d+$/.test(stepText) ? Number(stepText) : NaN;
    if (!Number.isInteger(step) || step < 1)
      throw new Error(`NCRONTAB "${expression}": ${spec.name} step "${stepText}" must be a positive integer.`);
    let lo: number;
    let hi: number;
    if (range === '*') {
      lo = spec.min;
      hi = spec.max;
    } else if (range.includes('-')) {
      const [a = '', b = '', more] = range.split('-');
      if (more !== undefined) throw new Error(`NCRONTAB "${expression}": ${spec.name} range "${range}" is malformed.`);
      lo = value(a, spec, expression);
      hi = value(b, spec, expression);
      if (lo > hi) throw new Error(`NCRONTAB "${expression}": ${spec.name} range "${range}" runs backwards.`);
    } else {
      lo = value(range, spec, expression);
      // `5/15` means 5, 20, 35, 50: a start with a step runs to the end of the field.
      hi = stepText === undefined ? lo : spec.max;
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

export function parseNcrontab(expression: string): Schedule {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new Error(
      `NCRONTAB "${expression}" must have 6 fields ({second} {minute} {hour} {day} {month} {day-of-week}), not ${fields.length}.`,
    );
  }
  const [second, minute, hour, day, month, dayOfWeek] = fields.map((f, i) => parseField(f, FIELDS[i]!, expression)) as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  return { expression, second, minute, hour, day, month, dayOfWeek };
}

/** Whether `date` (UTC, whole second) is an occurrence of `schedule`. */
export function matches(schedule: Schedule, date: Date): boolean {
  return (
    schedule.second.has(date.getUTCSeconds()) &&
    schedule.minute.has(date.getUTCMinutes()) &&
    schedule.hour.has(date.getUTCHours()) &&
    schedule.day.has(date.getUTCDate()) &&
    schedule.month.has(date.getUTCMonth() + 1) &&
    schedule.dayOfWeek.has(date.getUTCDay())
  );
}

/**
 * First occurrence strictly after `after`, or undefined if there is none within 5 years (e.g. `0 0 0 31 2 *`).
 * Skips whole months, days, hours and minutes that cannot match, so a yearly schedule costs a few hundred steps.
 */
export function nextOccurrence(schedule: Schedule, after: Date): Date | undefined {
  const t = new Date(Math.floor(after.getTime() / 1000) * 1000 + 1000);
  const limit = after.getTime() + 5 * 366 * 24 * 3600 * 1000;
  while (t.getTime() <= limit) {
    if (!schedule.month.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0, 0);
    } else if (!schedule.day.has(t.getUTCDate()) || !schedule.dayOfWeek.has(t.getUTCDay())) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
    } else if (!schedule.hour.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
    } else if (!schedule.minute.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
    } else if (!schedule.second.has(t.getUTCSeconds())) {
      t.setUTCSeconds(t.getUTCSeconds() + 1, 0);
    } else {
      return t;
    }
  }
  return undefined;
}
