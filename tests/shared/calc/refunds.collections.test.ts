// Refunds (negative payments, issue #14) in collections: a customer statement shows a refund as a refund, a debit
// (never a payment with a negative credit); dunning reminds an invoice a refund reopened from its due date, charges
// interest on it from the refund's day, and a refund of an advance does not leave a "possible payment" hold behind.

import fc from 'fast-check';
import { proposeReminders, type DunningInput, type IssuedReminder } from '../../../shared/calc/dunning';
import { computeReceivables } from '../../../shared/calc/aging';
import { ledgerData, type LedgerData } from '../../../shared/calc/index';
import { contractPerformance } from '../../../shared/calc/performance';
import { customerStatement } from '../../../shared/calc/statement';
import { addDays } from '../../../shared/dates';
import { arbDate, arbLedger } from './fixtures/random';
import { contract, invoice, invoiceLine, money, payment } from './fixtures/records';

describe('customer statement with refunds', () => {
  // I1 100.00 due 2016-02-09; P1 pays 120.00 (20.00 unapplied); R1 pays back those 20.00; R2 pays back 30.00 of I1.
  const data = ledgerData({
    contracts: [contract('C1')],
    invoices: [invoice('I1', 'C1', '2016-01-10', '2016-02-09')],
    invoiceLines: [invoiceLine('I1', 1, 'A', 1, '100.00')],
    payments: [
      payment('P1', 'C1', '2016-01-20', '120.00', 'I1'),
      payment('R1', 'C1', '2016-02-10', '-20.00'),
      payment('R2', 'C1', '2016-02-15', '-30.00', 'I1'),
    ],
  });

  it('a refund is a refund line with a debit, and the closing balance is the receivables total − unapplied', () => {
    const s = customerStatement(data, 'K1', '2016-02-01', '2016-02-29');
    // Before February: I1 100.00 − P1 120.00: the customer is 20.00 in credit.
    expect(s.openingBalance).toBe(-money('20.00'));
    expect(s.lines.map((l) => [l.date, l.kind, l.ref, l.invoiceNo ?? null, l.debit, l.credit, l.balance])).toEqual([
      ['2016-02-10', 'refund', 'R1', null, money('20.00'), 0, 0],
      ['2016-02-15', 'refund', 'R2', 'I1', money('30.00'), 0, money('30.00')],
    ]);
    expect(s.closingBalance).toBe(money('30.00'));
    // I1 reopened by 30.00, due 2016-02-09: 20 days overdue on 2016-02-29.
    expect(s.aging).toMatchObject({ d1_30: money('30.00'), total: money('30.00'), unapplied: 0 });
    const [row] = computeReceivables(data, { asOf: '2016-02-29', groupBy: 'customer' });
    expect(s.closingBalance).toBe((row?.total ?? NaN) - (row?.unapplied ?? NaN));
  });

  it('a refund before the period raises the opening balance', () => {
    const s = customerStatement(data, 'K1', '2016-02-12', '2016-02-29');
    expect(s.openingBalance).toBe(0); // 100.00 − 120.00 + 20.00
    expect(s.lines.map((l) => [l.kind, l.ref, l.debit, l.balance])).toEqual([
      ['refund', 'R2', money('30.00'), money('30.00')],
    ]);
  });

  it('a refund beyond everything paid: the balance says the customer owes it back, as unapplied does', () => {
    const over = { ...data, payments: [...data.payments, payment('R3', 'C1', '2016-02-20', '-90.00')] };
    const s = customerStatement(over, 'K1', '2016-02-01', '2016-02-29');
    expect(s.closingBalance).toBe(money('120.00'));
    // I1 wholly reopened (100.00), and 20.00 more than the contract held: unapplied −20.00.
    expect(s.aging).toMatchObject({ total: money('100.00'), unapplied: -money('20.00') });
  });
});

describe('customer statements of random ledgers with refunds', () => {
  it('closing = receivables total − unapplied; refunds are debit lines, payments credit lines, never negative', () => {
    const withRefunds = fc
      .tuple(arbLedger(), fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }))
      .map(([d, flips]) => ({
        ...d,
        payments: d.payments.map((p, i) => (flips[i] === true ? { ...p, amount: -Math.ceil(p.amount / 3) } : p)),
      }));
    fc.assert(
      fc.property(withRefunds, arbDate, fc.integer({ min: 0, max: 400 }), (data, from, span) => {
        const to = addDays(from, span);
        const rows = computeReceivables(data, { asOf: to, groupBy: 'customer' });
        for (const customerId of ['K1', 'K2', 'K3']) {
          const s = customerStatement(data, customerId, from, to);
          const row = rows.find((r) => r.group === customerId);
          expect(s.closingBalance).toBe(row === undefined ? 0 : row.total - row.unapplied);
          for (const l of s.lines) {
            expect(l.debit).toBeGreaterThanOrEqual(0);
            expect(l.credit).toBeGreaterThanOrEqual(0);
            if (l.kind === 'refund') expect([l.debit > 0, l.credit]).toEqual([true, 0]);
            if (l.kind === 'payment') expect([l.debit, l.credit > 0]).toEqual([0, true]);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('contract performance with refunds', () => {
  it('collected is net of refunds and receivable grows by what was paid back', () => {
    const data = ledgerData({
      contracts: [contract('C1')],
      invoices: [invoice('I1', 'C1', '2016-01-10', '2016-02-09')],
      invoiceLines: [invoiceLine('I1', 1, 'A', 1, '100.00')],
      payments: [payment('P1', 'C1', '2016-01-20', '100.00'), payment('R1', 'C1', '2016-02-15', '-30.00')],
    });
    expect(contractPerformance(data, 'C1')?.totals).toMatchObject({
      invoicedAmount: money('100.00'),
      collected: money('70.00'),
      receivable: money('30.00'),
    });
  });
});

describe('dunning with refunds', () => {
  const TERMS = {
    termsCode: 'STD',
    name: 'Standard',
    minAmount: money('10.00'),
    maxReminders: 0,
    interestRatePct: 100000, // 10 %
    interestBasisDays: 360,
  };
  const levels = [
    {
      termsCode: 'STD',
      level: 1,
      graceDays: 5,
      payWithinDays: 10,
      feeFixed: money('5.00'),
      feePct: 0,
      chargeInterest: false,
    },
    {
      termsCode: 'STD',
      level: 2,
      graceDays: 3,
      payWithinDays: 7,
      feeFixed: 0,
      feePct: 0,
      chargeInterest: true,
    },
  ];
  const run = (data: LedgerData, asOf: string, reminders: DunningInput['reminders'] = []) =>
    proposeReminders({
      data,
      customers: [{ customerId: 'K1', reminderTermsCode: 'STD' }],
      terms: [TERMS],
      levels,
      reminders,
      asOf,
    });
  // I1 1,000.00 due 2016-03-01, paid on 2016-02-20, 400.00 of it paid back on 2016-03-05.
  const reopened = ledgerData({
    contracts: [contract('C1')],
    invoices: [invoice('I1', 'C1', '2016-02-01', '2016-03-01')],
    invoiceLines: [invoiceLine('I1', 1, 'A', 1, '1000.00')],
    payments: [payment('P1', 'C1', '2016-02-20', '1000.00', 'I1'), payment('R1', 'C1', '2016-03-05', '-400.00', 'I1')],
  });

  it('an invoice a refund reopened is reminded from its own due date', () => {
    const p = run(reopened, '2016-03-10');
    expect(p.reminders[0]?.lines).toEqual([
      expect.objectContaining({ invoiceNo: 'I1', level: 1, outstanding: money('400.00'), daysOverdue: 9 }),
    ]);
  });

  it('interest runs on the reopened money from the refund’s day', () => {
    const issued: IssuedReminder = {
      reminderNo: 'M1',
      customerId: 'K1',
      currency: 'EUR',
      level: 1,
      issuedOn: '2016-03-07',
      payBy: '2016-03-17',
      status: 'issued',
      lines: [{ invoiceNo: 'I1', level: 1, interest: 0, fee: money('5.00') }],
    };
    const p = run(reopened, '2016-03-31', [issued]);
    // 400.00 from 2016-03-05 to 2016-03-31 (27 days) at 10 % / 360: 3.00; nothing owed from 03-02 to 03-04.
    expect(p.reminders[0]?.lines[0]).toMatchObject({ level: 2, outstanding: money('400.00'), interest: 300 });
  });

  it('a refund of part of an advance leaves only the rest to hold an invoice as a possible payment', () => {
    // I1 400.00 on C1 unpaid; C2 got an advance of 500.00 on 2016-02-26, 150.00 of it paid back on 2016-03-08.
    const data = ledgerData({
      contracts: [contract('C1'), contract('C2')],
      invoices: [invoice('I1', 'C1', '2016-02-01', '2016-03-01')],
      invoiceLines: [invoiceLine('I1', 1, 'A', 1, '400.00')],
      payments: [payment('P9', 'C2', '2016-02-26', '500.00'), payment('R9', 'C2', '2016-03-08', '-150.00')],
    });
    const p = run(data, '2016-03-10');
    // 350.00 left unapplied does not cover 400.00: reminded, the 350.00 netted.
    expect(p.held).toEqual([]);
    expect(p.reminders[0]).toMatchObject({ outstanding: money('400.00'), unapplied: money('350.00') });
  });
});
