// Dates: strict ISO parsing, Excel serial numbers (1900 system), day arithmetic and period labels.
import {
  addDays,
  daysBetween,
  fromExcelSerial,
  isIsoDate,
  parseIsoDate,
  parsePeriod,
  periodOf,
  periodsBetween,
  previousMonth,
  toExcelSerial,
} from '../../shared/dates';

describe('strict YYYY-MM-DD', () => {
  it.each(['2016-02-29', '2016-12-31', '1900-01-01', '2000-02-29', '9999-12-31'])('accepts %s', (d) => {
    expect(isIsoDate(d)).toBe(true);
    expect(parseIsoDate(d)).toBe(d);
  });
  it.each([
    ['2016-02-30', /not a calendar date/],
    ['2015-02-29', /not a calendar date/],
    ['1900-02-29', /not a calendar date/],
    ['2016-13-01', /not a calendar date/],
    ['2016-00-10', /not a calendar date/],
    ['2016-2-3', /YYYY-MM-DD/],
    ['2016-02-03T00:00:00Z', /YYYY-MM-DD/],
    ['2016-02-03 10:00', /YYYY-MM-DD/],
    ['03/02/2016', /YYYY-MM-DD/],
    ['', /YYYY-MM-DD/],
    [20160203, /YYYY-MM-DD/],
  ])('refuses %p', (d, message) => {
    expect(isIsoDate(d)).toBe(false);
    expect(() => parseIsoDate(d)).toThrow(message);
  });
});

describe('day arithmetic', () => {
  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2016-02-28', 1)).toBe('2016-02-29');
    expect(addDays('2016-02-29', 1)).toBe('2016-03-01');
    expect(addDays('2016-12-31', 1)).toBe('2017-01-01');
    expect(addDays('2016-11-15', 30)).toBe('2016-12-15');
    expect(addDays('2016-03-01', -1)).toBe('2016-02-29');
  });
  it('counts days between dates', () => {
    expect(daysBetween('2016-01-01', '2016-12-31')).toBe(365);
    expect(daysBetween('2016-03-01', '2016-02-28')).toBe(-2);
    expect(daysBetween('2016-05-05', '2016-05-05')).toBe(0);
  });
});

describe('Excel serial numbers (1900 date system)', () => {
  it.each([
    [1, '1900-01-01'],
    [59, '1900-02-28'],
    [61, '1900-03-01'],
    [25569, '1970-01-01'],
    [42705, '2016-12-01'],
    [42429, '2016-02-29'],
    [2958465, '9999-12-31'],
  ])('serial %p is %s and back', (serial, date) => {
    expect(fromExcelSerial(serial)).toBe(date);
    expect(toExcelSerial(date)).toBe(serial);
  });
  it('refuses the phantom 1900-02-29, fractions and out-of-range serials', () => {
    expect(() => fromExcelSerial(60)).toThrow(/1900-02-29/);
    expect(() => fromExcelSerial(42705.5)).toThrow(/whole day/);
    expect(() => fromExcelSerial(0)).toThrow(/before 1900/);
    expect(() => fromExcelSerial(2958466)).toThrow(/after 9999/);
    expect(() => fromExcelSerial(NaN)).toThrow(/whole day/);
  });
});

describe('periods', () => {
  it('labels dates by month, quarter and year', () => {
    expect(periodOf('2016-11-30', 'month')).toBe('2016-11');
    expect(periodOf('2016-11-30', 'quarter')).toBe('2016-Q4');
    expect(periodOf('2016-01-01', 'quarter')).toBe('2016-Q1');
    expect(periodOf('2016-06-30', 'quarter')).toBe('2016-Q2');
    expect(periodOf('2016-07-01', 'quarter')).toBe('2016-Q3');
    expect(periodOf('2016-11-30', 'year')).toBe('2016');
  });
  it('parses labels into inclusive ranges', () => {
    expect(parsePeriod('2016-02')).toEqual({ kind: 'month', label: '2016-02', from: '2016-02-01', to: '2016-02-29' });
    expect(parsePeriod('2016-Q4')).toEqual({ kind: 'quarter', label: '2016-Q4', from: '2016-10-01', to: '2016-12-31' });
    expect(parsePeriod('2017')).toEqual({ kind: 'year', label: '2017', from: '2017-01-01', to: '2017-12-31' });
  });
  it.each(['2016-13', '2016-Q5', '16', '2016-1', '2016Q4', '', 2016, null])('refuses period %p', (label) => {
    expect(() => parsePeriod(label)).toThrow(/must be a month/);
  });
  it('lists the periods overlapping a range', () => {
    expect(periodsBetween('2016-11-15', '2017-02-01', 'month')).toEqual(['2016-11', '2016-12', '2017-01', '2017-02']);
    expect(periodsBetween('2016-02-01', '2016-11-30', 'quarter')).toEqual(['2016-Q1', '2016-Q2', '2016-Q3', '2016-Q4']);
    expect(periodsBetween('2015-12-31', '2016-01-01', 'year')).toEqual(['2015', '2016']);
  });
  it('finds the previous month across a year boundary', () => {
    expect(previousMonth('2017-01-01')).toBe('2016-12');
    expect(previousMonth('2016-03-01')).toBe('2016-02');
    expect(previousMonth('2016-03-31')).toBe('2016-02');
  });
});
