// Money and unit prices: parse/format round trips and half-up line amounts against a BigInt reference.

import fc from 'fast-check';
import { formatMoney, formatUnitPrice, lineAmount, parseMoney, parseUnitPrice } from '../../shared/money';

const arbSafe = fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });

describe('money round trips', () => {
  it('parseMoney(formatMoney(cents)) === cents', () => {
    fc.assert(
      fc.property(arbSafe, (cents) => {
        expect(parseMoney(formatMoney(cents))).toBe(cents === 0 ? 0 : cents);
      }),
      { numRuns: 500 },
    );
  });

  it('formatMoney(parseMoney(text)) === text for canonical two-decimal text', () => {
    const arbText = fc
      .tuple(fc.boolean(), fc.integer({ min: 0, max: 9_999_999_999_999 }), fc.integer({ min: 0, max: 99 }))
      .filter(([neg, whole, frac]) => !(neg && whole === 0 && frac === 0))
      .map(([neg, whole, frac]) => `${neg ? '-' : ''}${whole}.${String(frac).padStart(2, '0')}`);
    fc.assert(
      fc.property(arbText, (text) => {
        expect(formatMoney(parseMoney(text))).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('unit prices round-trip through formatUnitPrice', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (price) => {
        expect(parseUnitPrice(formatUnitPrice(price))).toBe(price);
      }),
      { numRuns: 500 },
    );
  });

  it('lineAmount is quantity × price rounded half-up to cents', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 10_000_000_000 }), (qty, price) => {
        // Up to 10^16 before rounding: beyond 2^53, so the BigInt path is exercised too.
        const exact = BigInt(qty) * BigInt(price);
        const expected = Number((exact + 50n) / 100n);
        expect(lineAmount(qty, price)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});
