// Tests for local/ncrontab.ts: worked examples and a brute-force property check of nextOccurrence.
import fc from 'fast-check';
import { matches, nextOccurrence, parseNcrontab } from '../../local/ncrontab';

const at = (iso: string) => new Date(iso);

describe('NCRONTAB', () => {
  it.each([
    ['0 0 2 1 * *', '2016-11-15T10:00:00Z', '2016-12-01T02:00:00.000Z'], // the monthly report
    ['0 0 2 1 * *', '2016-12-01T02:00:00Z', '2017-01-01T02:00:00.000Z'], // strictly after
    ['*/15 * * * * *', '2020-01-01T00:00:07Z', '2020-01-01T00:00:15.000Z'],
    ['0 */5 * * * *', '2020-01-01T00:07:00Z', '2020-01-01T00:10:00.000Z'],
    ['0 30 9 * * MON-FRI', '2024-06-07T10:00:00Z', '2024-06-10T09:30:00.000Z'], // Friday after 9:30 → Monday
    ['0 0 0 29 FEB *', '2021-03-01T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['5/20 0 0 * * *', '2020-01-01T00:00:06Z', '2020-01-01T00:00:25.000Z'],
    ['0 0 12 1-7 * 1', '2024-01-01T13:00:00Z', '2024-02-05T12:00:00.000Z'], // day AND weekday: first Monday
    ['0 0 0 1,15 JAN,jul *', '2024-01-02T00:00:00Z', '2024-01-15T00:00:00.000Z'],
  ])('%s after %s is %s', (expr, after, next) => {
    expect(nextOccurrence(parseNcrontab(expr), at(after))?.toISOString()).toBe(next);
  });

  it('returns undefined for a schedule that never occurs', () => {
    expect(nextOccurrence(parseNcrontab('0 0 0 31 2 *'), at('2024-01-01T00:00:00Z'))).toBeUndefined();
  });

  it.each([
    ['0 0 2 1 *', /6 fields/],
    ['60 * * * * *', /second value "60"/],
    ['* * * 0 * *', /day value "0"/],
    ['* * * * 13 *', /month/],
    ['* * * * * 7', /day-of-week/],
    ['*/0 * * * * *', /step/],
    ['5-1 * * * * *', /backwards/],
    ['a * * * * *', /second/],
  ])('refuses %p', (expr, message) => {
    expect(() => parseNcrontab(expr)).toThrow(message);
  });

  it('finds the first matching second (brute force over short windows)', () => {
    const field = (max: number) =>
      fc.oneof(
        fc.constant('*'),
        fc.integer({ min: 0, max }).map(String),
        fc.integer({ min: 1, max: 9 }).map((s) => `*/${s}`),
      );
    fc.assert(
      fc.property(field(59), field(2), fc.integer({ min: 0, max: 10_000_000 }), (sec, min, offset) => {
        const schedule = parseNcrontab(`${sec} ${min} * * * *`);
        const after = new Date(Date.UTC(2024, 0, 1) + offset * 1000);
        const next = nextOccurrence(schedule, after);
        // Brute force: every second up to 4 hours ahead.
        let expected: Date | undefined;
        for (let t = after.getTime() + 1000; t <= after.getTime() + 4 * 3600 * 1000; t += 1000) {
          if (matches(schedule, new Date(t))) {
            expected = new Date(t);
            break;
          }
        }
        expect(next?.toISOString()).toBe(expected?.toISOString());
      }),
      { numRuns: 60 },
    );
  });
});
