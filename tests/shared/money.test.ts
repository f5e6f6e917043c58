// Money: parsing into cents, unit prices, rates, half-up line amounts and formatting.
import {
  centsFromCellNumber,
  formatMoney,
  formatRate,
  formatUnitPrice,
  lineAmount,
  parseMoney,
  parseRate,
  parseUnitPrice,
  roundHalfUpDiv,
  scaledToCellNumber,
} from '../../shared/money';
import { DomainError } from '../../shared/errors';

describe('parseMoney', () => {
  it.each([
    ['1234.50', 123450],
    ['1234.5', 123450],
    ['0.29', 29],
    ['0', 0],
    ['-12.30', -1230],
    ['-0.00', 0],
    ['007.10', 710],
    [1234.5, 123450],
    [0.29, 29],
    [100, 10000],
    [-0.01, -1],
  ])('%p → %p cents', (input, cents) => {
    expect(parseMoney(input)).toBe(cents);
  });

  it.each([
    ['10.005', /more than 2 decimals/],
    [10.005, /more than 2 decimals/],
    [0.1 + 0.2, /more than 2 decimals/],
    ['NaN', /not a decimal/],
    [NaN, /finite/],
    [Infinity, /finite/],
    ['Infinity', /not a decimal/],
    ['1e3', /exponent/],
    [1e21, /out of range/],
    ['1,234.50', /thousands separators/],
    ['1 234.50', /thousands separators/],
    ["1'234.50", /thousands separators/],
    ['', /decimal number/],
    [' 12', /decimal number/],
    ['12.', /not a decimal/],
    ['.5', /not a decimal/],
    ['+5', /not a decimal/],
    ['0x10', /not a decimal/],
    ['99999999999999999', /too large/],
    [true, /decimal number/],
    [null, /decimal number/],
  ])('%p is refused (%p)', (input, message) => {
    expect(() => parseMoney(input)).toThrow(DomainError);
    expect(() => parseMoney(input)).toThrow(message);
  });
});

describe('unit prices and rates', () => {
  it('keeps four decimals of a unit price exactly', () => {
    expect(parseUnitPrice('12.3456')).toBe(123456);
    expect(parseUnitPrice(0.0001)).toBe(1);
    expect(() => parseUnitPrice('1.23456')).toThrow(/more than 4 decimals/);
  });
  it('formats unit prices with two to four decimals', () => {
    expect(formatUnitPrice(125000)).toBe('12.50');
    expect(formatUnitPrice(123456)).toBe('12.3456');
    expect(formatUnitPrice(123450)).toBe('12.345');
    expect(formatUnitPrice(1)).toBe('0.0001');
  });
  it('parses and formats rates', () => {
    expect(parseRate('0.03')).toBe(300);
    expect(formatRate(300)).toBe('0.03');
    expect(formatRate(10000)).toBe('1');
    expect(formatRate(0)).toBe('0');
  });
});

describe('lineAmount (half-up to cents, integers only)', () => {
  it.each([
    [3, 123456, 3704], // 37.0368 → 37.04
    [1, 5, 0], // 0.0005 → 0.00
    [1, 50, 1], // 0.005 → 0.01 (half up)
    [1, 49, 0], // 0.0049 → 0.00
    [2, 25, 1], // 0.005 → 0.01
    [7, 14285, 1000], // 9.9995 → 10.00
    [1000, 19999, 199990],
  ])('%p × %p/10⁴ = %p cents', (qty, price, cents) => {
    expect(lineAmount(qty, price)).toBe(cents);
  });
  it('stays exact beyond 2^53 through BigInt', () => {
    // 9,000,000 × 99,999,999,999.9999 = 899,999,999,999,999,999.1 → cents 89,999,999,999,999,999,910 is too large
    expect(() => lineAmount(9_000_000, 999_999_999_999_999)).toThrow(RangeError);
    // 2,000,000 × 1,000,000.0050 = 2,000,000,010,000.00 (product 2e16 > 2^53)
    expect(lineAmount(2_000_000, 10_000_000_050)).toBe(200_000_001_000_000);
  });
  it('rounds half away from zero in roundHalfUpDiv', () => {
    expect(roundHalfUpDiv(5, 10)).toBe(1);
    expect(roundHalfUpDiv(-5, 10)).toBe(-1);
    expect(roundHalfUpDiv(4, 10)).toBe(0);
    expect(roundHalfUpDiv(15, 10)).toBe(2);
  });
});

describe('formatMoney', () => {
  it.each([
    [123450, '1234.50'],
    [0, '0.00'],
    [5, '0.05'],
    [-1230, '-12.30'],
    [-5, '-0.05'],
    [100000000000, '1000000000.00'],
  ])('%p cents → %p', (cents, text) => {
    expect(formatMoney(cents)).toBe(text);
  });
});

describe('Excel cell numbers', () => {
  it('reads doubles back to exact cents', () => {
    expect(centsFromCellNumber(1234.56)).toBe(123456);
    expect(centsFromCellNumber(0.1 + 0.2)).toBe(30);
    expect(centsFromCellNumber(-0.01)).toBe(-1);
    expect(() => centsFromCellNumber(1.234)).toThrow(/more than 2 decimals/);
    expect(() => centsFromCellNumber(NaN)).toThrow(/finite/);
  });
  it('writes cents as the nearest double', () => {
    expect(scaledToCellNumber(123456, 2)).toBe(1234.56);
    expect(scaledToCellNumber(123456, 4)).toBe(12.3456);
  });
});
