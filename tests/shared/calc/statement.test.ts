// Customer statement: a worked example (opening balance, running balance, closing, aging) and the property that its
// closing balance is the customer's receivables as of `to`, total − unapplied, for every customer of random ledgers.

import fc from 'fast-check';
import { computeReceivables } from '../../../shared/calc/aging';
import { ledgerData } from '../../../shared/calc/index';
import { customerCurrencies, customerStatement } from '../../../shared/calc/statement';
import { addDays } from '../../../shared/dates';
import { arbDate, arbLedger } from './fixtures/random';
import { contract, invoice, invoiceLine, payment } from './fixtures/records';

describe('customerStatement worked example', () => {
  const data = ledgerData({
    contracts: [contract('C1'), contract('C2', { currency: 'USD' }), contract('C3', { customerId: 'K2' })],
    invoices: [
      invoice('I1', 'C1', '2016-01-10'),
      invoice('I2', 'C1', '2016-02-05'),
      invoice('I3', 'C2', '2016-02-05', '2016-02-20'),
      invoice('I4', 'C3', '2016-02-06'),
      invoice('I5', 'C1', '2016-03-01'),
      invoice('I6', 'NOPE', '2016-02-07'),
    ],
    invoiceLines: [
      invoiceLine('I1', 1, 'A', 10, '10.00'),
      invoiceLine('I2', 1, 'A', 3, '33.33'),
      invoiceLine('I3', 1, 'A', 1, '50.00'),
      invoiceLine('I4', 1, 'A', 1, '70.00'),
      invoiceLine('I5', 1, 'A', 1, '5.00'),
      invoiceLine('I6', 1, 'A', 1, '1.00'),
    ],
    payments: [
      payment('P1', 'C1', '2016-01-20', '40.00', 'I1'),
      payment('P2', 'C1', '2016-02-05', '60.00'),
      payment('P3', 'C2', '2016-02-10', '80.00'),
      payment('P4', 'C1', '2016-03-02', '1.00'),
    ],
  });

  it('opening balance, lines in date order (invoices first on a day) with running balance, closing and aging', () => {
    // K1 has C1 in EUR and C2 in USD: one statement per currency, never a balance adding both.
    const s = customerStatement(data, 'K1', '2016-02-01', '2016-02-29', 'EUR');
    // Before February: I1 100.00 − P1 40.00.
    expect(s.openingBalance).toBe(6000);
    expect(s.lines.map((l) => [l.date, l.kind, l.ref, l.currency, l.debit, l.credit, l.balance])).toEqual([
      ['2016-02-05', 'invoice', 'I2', 'EUR', 9999, 0, 15999],
      ['2016-02-05', 'payment', 'P2', 'EUR', 0, 6000, 9999],
    ]);
    expect(s.closingBalance).toBe(9999);
    expect(s.currencies).toEqual(['EUR']);
    // As of 2016-02-29: C1 owes I2 99.99 (due 2016-03-06, current); I1 is settled by P1 and P2.
    expect(s.aging).toEqual({
      group: 'K1',
      currency: 'EUR',
      current: 9999,
      d1_30: 0,
      d31_60: 0,
      d61_90: 0,
      d91_120: 0,
      over120: 0,
      total: 9999,
      unapplied: 0,
    });
  });

  it('the same customer in USD: its own lines, balances and aging (I3 settled, 30.00 of P3 unapplied)', () => {
    const s = customerStatement(data, 'K1', '2016-02-01', '2016-02-29', 'USD');
    expect(s.openingBalance).toBe(0);
    expect(s.lines.map((l) => [l.date, l.kind, l.ref, l.currency, l.debit, l.credit, l.balance])).toEqual([
      ['2016-02-05', 'invoice', 'I3', 'USD', 5000, 0, 5000],
      ['2016-02-10', 'payment', 'P3', 'USD', 0, 8000, -3000],
    ]);
    expect(s.closingBalance).toBe(-3000);
    expect([s.aging.currency, s.aging.total, s.aging.unapplied]).toEqual(['USD', 0, 3000]);
    expect(customerCurrencies(data, 'K1')).toEqual(['EUR', 'USD']);
  });

  it('refuses a statement over two currencies rather than adding them', () => {
    expect(() => customerStatement(data, 'K1', '2016-02-01', '2016-02-29')).toThrow(
      'Customer K1 has contracts in EUR and USD: ask for the statement of one currency.',
    );
    // One currency only: no currency needs naming.
    expect(customerStatement(data, 'K2', '2016-02-01', '2016-02-29').closingBalance).toBe(7000);
  });

  it('a customer with nothing owed gets a zero statement', () => {
    const s = customerStatement(data, 'K9', '2016-01-01', '2016-12-31');
    expect([s.openingBalance, s.lines, s.closingBalance, s.aging.total, s.aging.unapplied]).toEqual([0, [], 0, 0, 0]);
  });
});

describe('customerStatement properties', () => {
  it('closing balance = receivables total − unapplied as of `to`, and opening + Σ lines = closing, per customer', () => {
    fc.assert(
      fc.property(arbLedger(), arbDate, fc.integer({ min: 0, max: 400 }), (data, from, span) => {
        const to = addDays(from, span);
        const rows = computeReceivables(data, { asOf: to, groupBy: 'customer' });
        for (const customerId of ['K1', 'K2', 'K3']) {
          const s = customerStatement(data, customerId, from, to);
          const row = rows.find((r) => r.group === customerId);
          expect(s.closingBalance).toBe(row === undefined ? 0 : row.total - row.unapplied);
          expect(s.aging).toEqual(row ?? expect.objectContaining({ total: 0, unapplied: 0 }));
          let balance = s.openingBalance;
          for (const l of s.lines) {
            balance += l.debit - l.credit;
            expect(l.balance).toBe(balance);
            expect(l.date >= from && l.date <= to).toBe(true);
          }
          expect(balance).toBe(s.closingBalance);
        }
      }),
      { numRuns: 300 },
    );
  });
});
