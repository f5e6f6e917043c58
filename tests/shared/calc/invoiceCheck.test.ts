// Invoice check: worked examples, exact tolerance arithmetic, and clean invoices copied from delivered orders.

import fc from 'fast-check';
import { addDays } from '../../../shared/dates';
import { checkInvoices, priceMismatch, toleranceUnits } from '../../../shared/calc/invoiceCheck';
import { ledgerData, type LedgerData } from '../../../shared/calc/index';
import type { Delivery, Invoice, InvoiceLine, OrderLine } from '../../../shared/ledgers';
import { invoiceCheckCases } from './fixtures/invoiceCheck';
import { contract } from './fixtures/records';

describe('checkInvoices worked examples', () => {
  it.each(invoiceCheckCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(checkInvoices(c.data, c.options)).toEqual(c.expected);
  });
});

describe('tolerance arithmetic', () => {
  it('scales percent to integer units of 0.0001 %', () => {
    expect(toleranceUnits(0)).toBe(0);
    expect(toleranceUnits(1.5)).toBe(15_000);
    expect(toleranceUnits(0.0001)).toBe(1);
    expect(toleranceUnits(2.3456)).toBe(23_456);
    expect(toleranceUnits(100)).toBe(1_000_000);
    expect(() => toleranceUnits(-1)).toThrow(RangeError);
    expect(() => toleranceUnits(Number.NaN)).toThrow(RangeError);
  });

  it('compares exactly at the boundary, also beyond the safe-integer range', () => {
    // 0.1 % of 12.3456 is 0.0123456: 12.3579 (Δ 0.0123) is inside, 12.3580 (Δ 0.0124) outside.
    expect(priceMismatch(123_456, 123_579, toleranceUnits(0.1))).toBe(false);
    expect(priceMismatch(123_456, 123_580, toleranceUnits(0.1))).toBe(true);
    expect(priceMismatch(123_456, 123_333, toleranceUnits(0.1))).toBe(false);
    expect(priceMismatch(123_456, 123_332, toleranceUnits(0.1))).toBe(true);
    // A price of 10^11 (10 million) with 100 %: Δ × 10^6 is beyond 2^53, so BigInt decides.
    expect(priceMismatch(1e11, 2e11, toleranceUnits(100))).toBe(false);
    expect(priceMismatch(1e11, 2e11 + 1, toleranceUnits(100))).toBe(true);
    // An ordered price of 0 tolerates nothing.
    expect(priceMismatch(0, 1, toleranceUnits(100))).toBe(true);
    expect(priceMismatch(0, 0, 0)).toBe(false);
  });
});

/** Orders per contract, delivered in full in January, then invoiced line by line (copied) from February on. */
const arbDeliveredAndCopied = fc
  .array(
    fc.record({
      // Several lines may carry one item; an item has one price on the order, as it would when copied.
      lines: fc.array(fc.record({ item: fc.integer({ min: 0, max: 3 }), quantity: fc.integer({ min: 1, max: 50 }) }), {
        minLength: 1,
        maxLength: 6,
      }),
      prices: fc.tuple(...[0, 1, 2, 3].map(() => fc.integer({ min: 0, max: 9_999_999 }))),
      invoiceOf: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 6, maxLength: 6 }),
      splitDelivery: fc.boolean(),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .map((specs): LedgerData => {
    const orderLines: OrderLine[] = [];
    const deliveries: Delivery[] = [];
    const invoices: Invoice[] = [];
    const invoiceLines: InvoiceLine[] = [];
    specs.forEach((spec, c) => {
      const contractId = `C${c}`;
      const ordered = new Map<string, number>();
      spec.lines.forEach((l, i) => {
        const itemCode = `IT${l.item}`;
        const unitPrice = spec.prices[l.item] as number;
        orderLines.push({ contractId, lineNo: i + 1, itemCode, quantity: l.quantity, unitPrice });
        ordered.set(itemCode, (ordered.get(itemCode) ?? 0) + l.quantity);
        const k = spec.invoiceOf[i] as number;
        const invoiceNo = `${contractId}-INV${k}`;
        if (!invoices.some((inv) => inv.invoiceNo === invoiceNo))
          invoices.push({ invoiceNo, contractId, issuedOn: addDays('2016-02-01', k) });
        invoiceLines.push({ invoiceNo, lineNo: i + 1, itemCode, quantity: l.quantity, unitPrice });
      });
      for (const [itemCode, quantity] of ordered) {
        const first = spec.splitDelivery && quantity > 1 ? Math.floor(quantity / 2) : quantity;
        deliveries.push({
          deliveryId: `${contractId}-${itemCode}-1`,
          contractId,
          itemCode,
          quantity: first,
          kind: 'delivery',
          date: '2016-01-10',
        });
        if (first < quantity)
          deliveries.push({
            deliveryId: `${contractId}-${itemCode}-2`,
            contractId,
            itemCode,
            quantity: quantity - first,
            kind: 'delivery',
            date: '2016-01-31',
          });
      }
    });
    return {
      ...ledgerData(),
      customers: [],
      salespeople: [],
      contracts: specs.map((_, c) => contract(`C${c}`)),
      orderLines,
      deliveries,
      invoices,
      invoiceLines,
      payments: [],
      expenses: [],
      reminderTerms: [],
      reminderLevels: [],
      reminders: [],
      reminderLines: [],
    };
  });

describe('invoice check properties', () => {
  it('invoices copied from fully delivered orders produce no findings', () => {
    fc.assert(
      fc.property(arbDeliveredAndCopied, (data) => {
        expect(checkInvoices(data)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('one extra unit on any copied line is reported as exceeding the order and the deliveries', () => {
    fc.assert(
      fc.property(arbDeliveredAndCopied, fc.nat(), (data, pick) => {
        const i = pick % data.invoiceLines.length;
        const lines = data.invoiceLines.map((l, j) => (j === i ? { ...l, quantity: l.quantity + 1 } : l));
        const codes = checkInvoices({ ...data, invoiceLines: lines }).map((f) => f.code);
        expect(codes.filter((c) => c === 'QTY_EXCEEDS_ORDERED').length).toBeGreaterThan(0);
        expect(codes.filter((c) => c === 'QTY_EXCEEDS_DELIVERED').length).toBe(
          codes.filter((c) => c === 'QTY_EXCEEDS_ORDERED').length,
        );
        expect(codes).not.toContain('PRICE_MISMATCH');
      }),
      { numRuns: 100 },
    );
  });
});
