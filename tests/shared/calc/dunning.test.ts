// Dunning rules: a worked example per rule (level progression with grace, held at the highest level, max reminders,
// minimum amount, fee once per invoice and level, piecewise interest less interest charged, possible-payment hold,
// blocked customers, one reminder per customer and currency, auto-resolution).

import {
  issuedReminders,
  levelFee,
  proposeReminders,
  resolvedReminders,
  simpleInterest,
  type DunningCustomer,
  type DunningInput,
  type IssuedReminder,
  type ReminderLevelRule,
  type ReminderTermsRule,
} from '../../../shared/calc/dunning';
import { ledgerData, type LedgerData } from '../../../shared/calc/index';
import { contract, invoice, invoiceLine, money, payment } from './fixtures/records';

const TERMS: ReminderTermsRule = {
  termsCode: 'STD',
  name: 'Standard',
  minAmount: money('10.00'),
  maxReminders: 0,
  interestRatePct: 100000, // 10 %
  interestBasisDays: 360,
};
const L1: ReminderLevelRule = {
  termsCode: 'STD',
  level: 1,
  graceDays: 5,
  payWithinDays: 10,
  feeFixed: money('5.00'),
  feePct: 0,
  chargeInterest: false,
};
const L2: ReminderLevelRule = {
  termsCode: 'STD',
  level: 2,
  graceDays: 3,
  payWithinDays: 7,
  feeFixed: money('10.00'),
  feePct: 10000, // 1 %
  feeMin: money('12.00'),
  feeMax: money('20.00'),
  chargeInterest: true,
};
const K1: DunningCustomer = { customerId: 'K1', reminderTermsCode: 'STD' };

/** Contract C1 of K1 (EUR) with invoice I1 of `amount`, due 2016-03-01. */
function oneInvoice(amount = '1000.00', extra: Partial<LedgerData> = {}): LedgerData {
  return ledgerData({
    contracts: [contract('C1'), ...(extra.contracts ?? [])],
    invoices: [invoice('I1', 'C1', '2016-02-01', '2016-03-01'), ...(extra.invoices ?? [])],
    invoiceLines: [invoiceLine('I1', 1, 'A', 1, amount), ...(extra.invoiceLines ?? [])],
    payments: [...(extra.payments ?? [])],
  });
}

function input(asOf: string, over: Partial<DunningInput> = {}): DunningInput {
  return {
    data: oneInvoice(),
    customers: [K1],
    terms: [TERMS],
    levels: [L2, L1],
    reminders: [],
    asOf,
    ...over,
  };
}

function reminder(
  no: string,
  level: number,
  issuedOn: string,
  payBy: string,
  status: IssuedReminder['status'] = 'issued',
  interest = 0,
): IssuedReminder {
  return {
    reminderNo: no,
    customerId: 'K1',
    currency: 'EUR',
    level,
    issuedOn,
    payBy,
    status,
    lines: [{ invoiceNo: 'I1', level, interest, fee: 100 }],
  };
}

const levelsOf = (i: DunningInput) => proposeReminders(i).reminders.flatMap((r) => r.lines.map((l) => l.level));

describe('level progression with grace', () => {
  it('the first level once due date + its grace days have passed, not on the last grace day', () => {
    expect(proposeReminders(input('2016-03-06')).reminders).toEqual([]);
    const p = proposeReminders(input('2016-03-07'));
    expect(p.reminders).toHaveLength(1);
    expect(p.reminders[0]).toMatchObject({
      customerId: 'K1',
      currency: 'EUR',
      termsCode: 'STD',
      level: 1,
      payBy: '2016-03-17',
      outstanding: 100000,
      interest: 0,
      fees: 500,
      unapplied: 0,
      total: 100500,
    });
    expect(p.reminders[0]?.lines).toEqual([
      {
        invoiceNo: 'I1',
        contractId: 'C1',
        dueOn: '2016-03-01',
        referenceDate: '2016-03-01',
        level: 1,
        outstanding: 100000,
        daysOverdue: 6,
        interest: 0,
        fee: 500,
      },
    ]);
  });

  it('after an issued reminder: its pay-by date + the next level grace, then level 2', () => {
    const r1 = [reminder('R1', 1, '2016-03-07', '2016-03-17')];
    expect(levelsOf(input('2016-03-20', { reminders: r1 }))).toEqual([]);
    const p = proposeReminders(input('2016-03-21', { reminders: r1 }));
    expect(p.reminders[0]?.lines[0]).toMatchObject({ level: 2, referenceDate: '2016-03-17' });
    // A resolved reminder was sent too: it counts the same.
    const resolved = [reminder('R1', 1, '2016-03-07', '2016-03-17', 'resolved')];
    expect(proposeReminders(input('2016-03-21', { reminders: resolved })).reminders[0]?.lines[0]).toMatchObject({
      level: 2,
      referenceDate: '2016-03-17',
    });
  });

  it('held at the highest level defined; a cancelled reminder does not count, a draft neither', () => {
    const r12 = [reminder('R1', 1, '2016-03-07', '2016-03-17'), reminder('R2', 2, '2016-03-21', '2016-03-28')];
    expect(levelsOf(input('2016-04-01', { reminders: r12 }))).toEqual([2]);
    expect(proposeReminders(input('2016-04-01', { reminders: r12 })).reminders[0]?.lines[0]?.referenceDate).toBe(
      '2016-03-28',
    );
    const cancelled = [
      reminder('R1', 1, '2016-03-07', '2016-03-17'),
      reminder('R2', 2, '2016-03-21', '2016-03-28', 'cancelled'),
    ];
    const p = proposeReminders(input('2016-04-01', { reminders: cancelled }));
    expect(p.reminders[0]?.lines[0]).toMatchObject({ level: 2, referenceDate: '2016-03-17' });
    const draft = [reminder('R1', 1, '2016-03-07', '2016-03-17', 'draft')];
    expect(proposeReminders(input('2016-03-08', { reminders: draft })).reminders[0]?.lines[0]).toMatchObject({
      level: 1,
      referenceDate: '2016-03-01',
    });
  });
});

describe('max reminders', () => {
  const r12 = [reminder('R1', 1, '2016-03-07', '2016-03-17'), reminder('R2', 2, '2016-03-21', '2016-03-28')];
  it('an invoice reminded maxReminders times is held, not reminded again', () => {
    const p = proposeReminders(input('2016-04-10', { reminders: r12, terms: [{ ...TERMS, maxReminders: 2 }] }));
    expect(p.reminders).toEqual([]);
    expect(p.held).toEqual([
      { invoiceNo: 'I1', customerId: 'K1', currency: 'EUR', outstanding: 100000, reason: 'max_reminders' },
    ]);
    expect(levelsOf(input('2016-04-10', { reminders: r12, terms: [{ ...TERMS, maxReminders: 3 }] }))).toEqual([2]);
  });
  it('0 means no limit', () => {
    const many = [...r12, reminder('R3', 2, '2016-04-01', '2016-04-08'), reminder('R4', 2, '2016-04-12', '2016-04-19')];
    expect(levelsOf(input('2016-04-30', { reminders: many }))).toEqual([2]);
  });
});

describe('minimum amount', () => {
  it('no reminder when the eligible outstanding is below minAmount; one when it reaches it', () => {
    const below = proposeReminders(input('2016-03-07', { data: oneInvoice('9.99') }));
    expect(below.reminders).toEqual([]);
    expect(below.skipped).toEqual([
      { customerId: 'K1', currency: 'EUR', outstanding: 999, reason: 'below_min_amount' },
    ]);
    expect(proposeReminders(input('2016-03-07', { data: oneInvoice('10.00') })).reminders).toHaveLength(1);
  });
});

describe('fees', () => {
  it('feeFixed + feePct of the outstanding, clamped to feeMin and feeMax', () => {
    expect(levelFee(L2, money('100.00'))).toBe(money('12.00')); // 10.00 + 1.00 → at least 12.00
    expect(levelFee(L2, money('500.00'))).toBe(money('15.00')); // 10.00 + 5.00
    expect(levelFee(L2, money('2000.00'))).toBe(money('20.00')); // 10.00 + 20.00 → at most 20.00
    expect(levelFee({ ...L2, feeFixed: 0, feeMin: undefined }, 12345)).toBe(123); // 1 % of 123.45 = 1.2345 → 1.23
  });

  it('charged once per invoice and level: held at the highest level, the repeat carries no fee', () => {
    const r1 = [reminder('R1', 1, '2016-03-07', '2016-03-17')];
    expect(proposeReminders(input('2016-03-21', { reminders: r1 })).reminders[0]?.lines[0]?.fee).toBe(money('20.00'));
    const r12 = [...r1, reminder('R2', 2, '2016-03-21', '2016-03-28')];
    expect(proposeReminders(input('2016-04-01', { reminders: r12 })).reminders[0]?.lines[0]?.fee).toBe(0);
  });
});

describe('interest', () => {
  it('simple interest on the outstanding day by day, a partial payment lowering it from its date', () => {
    // 1000.00 from 2016-03-02 to 2016-03-31 (30 days), 600.00 from 2016-04-01 to 2016-04-30 (30 days):
    // (100000 × 30 + 60000 × 30) cent-days × 10 % / 360 = 1333.33 cents → 13.33.
    const data = oneInvoice('1000.00', { payments: [payment('P1', 'C1', '2016-04-01', '400.00', 'I1')] });
    const r1 = [reminder('R1', 1, '2016-03-07', '2016-03-17')];
    const p = proposeReminders(input('2016-04-30', { data, reminders: r1 }));
    expect(p.reminders[0]?.lines[0]).toMatchObject({ level: 2, outstanding: 60000, interest: 1333 });
    // Interest charged on earlier reminders (5.00) is deducted.
    const charged = [reminder('R1', 1, '2016-03-07', '2016-03-17', 'issued', 500)];
    expect(proposeReminders(input('2016-04-30', { data, reminders: charged })).reminders[0]?.lines[0]?.interest).toBe(
      833,
    );
    // Levels without chargeInterest charge none.
    expect(proposeReminders(input('2016-04-30', { data })).reminders[0]?.lines[0]).toMatchObject({
      level: 1,
      interest: 0,
    });
  });

  it('simpleInterest: the basis and the day count', () => {
    const whole = [{ from: '2016-01-01', outstanding: 36000 }];
    // 360.00 over 36 days at 10 % / 360 → 3.60; over 365 → 3.5506… → 3.55.
    expect(simpleInterest('2016-01-01', '2016-02-06', whole, 100000, 360)).toBe(360);
    expect(simpleInterest('2016-01-01', '2016-02-06', whole, 100000, 365)).toBe(355);
    expect(simpleInterest('2016-01-01', '2016-01-01', whole, 100000, 360)).toBe(0);
  });
});

describe('possible payment received', () => {
  const withAdvance = (receivedOn: string, amount: string) =>
    oneInvoice('400.00', {
      contracts: [contract('C2')],
      payments: [payment('P9', 'C2', receivedOn, amount)],
    });

  it('an unapplied payment of the customer within 14 days that covers the invoice holds it', () => {
    const p = proposeReminders(input('2016-03-10', { data: withAdvance('2016-02-26', '500.00') }));
    expect(p.reminders).toEqual([]);
    expect(p.held).toEqual([
      { invoiceNo: 'I1', customerId: 'K1', currency: 'EUR', outstanding: 40000, reason: 'possible_payment' },
    ]);
  });

  it('older than 14 days, or too small to cover: reminded, with the unapplied money shown and netted', () => {
    const old = proposeReminders(input('2016-03-11', { data: withAdvance('2016-02-26', '500.00') }));
    expect(old.held).toEqual([]);
    expect(old.reminders[0]).toMatchObject({ outstanding: 40000, fees: 500, unapplied: 50000, total: -9500 });
    const small = proposeReminders(input('2016-03-10', { data: withAdvance('2016-03-05', '399.99') }));
    expect(small.held).toEqual([]);
    expect(small.reminders[0]).toMatchObject({ unapplied: 39999, total: 40000 + 500 - 39999 });
  });
});

describe('customers', () => {
  it('a blocked customer gets no reminder, a customer without terms neither; both are listed', () => {
    const blocked = proposeReminders(input('2016-03-07', { customers: [{ ...K1, dunningBlocked: true }] }));
    expect(blocked.reminders).toEqual([]);
    expect(blocked.skipped).toEqual([{ customerId: 'K1', currency: 'EUR', outstanding: 100000, reason: 'blocked' }]);
    const none = proposeReminders(input('2016-03-07', { customers: [{ customerId: 'K1' }] }));
    expect(none.reminders).toEqual([]);
    expect(none.skipped).toEqual([{ customerId: 'K1', currency: 'EUR', outstanding: 100000, reason: 'no_terms' }]);
  });

  it('one reminder per customer and currency, invoices oldest due first', () => {
    const data = oneInvoice('100.00', {
      contracts: [contract('C2', { currency: 'USD' })],
      invoices: [invoice('I2', 'C2', '2016-02-01', '2016-03-01'), invoice('I3', 'C1', '2016-01-15', '2016-02-15')],
      invoiceLines: [invoiceLine('I2', 1, 'A', 1, '50.00'), invoiceLine('I3', 1, 'A', 1, '70.00')],
    });
    const p = proposeReminders(input('2016-03-07', { data }));
    expect(p.reminders.map((r) => [r.currency, r.lines.map((l) => l.invoiceNo), r.outstanding])).toEqual([
      ['EUR', ['I3', 'I1'], 17000],
      ['USD', ['I2'], 5000],
    ]);
  });
});

describe('auto-resolution', () => {
  it('an issued reminder resolves when all its invoices are paid; not before, and never a cancelled one', () => {
    const r1 = reminder('R1', 1, '2016-03-07', '2016-03-17');
    const paid = oneInvoice('1000.00', { payments: [payment('P1', 'C1', '2016-03-20', '1000.00')] });
    expect(resolvedReminders(paid, [r1], '2016-03-19')).toEqual([]);
    expect(resolvedReminders(paid, [r1], '2016-03-20')).toEqual(['R1']);
    const part = oneInvoice('1000.00', { payments: [payment('P1', 'C1', '2016-03-20', '999.99')] });
    expect(resolvedReminders(part, [r1], '2016-03-31')).toEqual([]);
    expect(resolvedReminders(paid, [{ ...r1, status: 'cancelled' }], '2016-03-31')).toEqual([]);
  });
});

describe('letters', () => {
  it("the level's letter text with customer, invoices, amounts, currency, level and dates filled in", () => {
    const levels = [
      {
        ...L1,
        letterText:
          'Dear {customer}: {currency} {total} ({outstanding} + fees {fees}) for {invoices}, level {level} of {asOf}, pay by {payBy}. {unknown}',
      },
    ];
    const p = proposeReminders(input('2016-03-07', { levels, customers: [{ ...K1, name: 'Acme Ltd' }] }));
    expect(p.reminders[0]?.letter).toBe(
      'Dear Acme Ltd: EUR 1005.00 (1000.00 + fees 5.00) for I1, level 1 of 2016-03-07, pay by 2016-03-17. {unknown}',
    );
    expect(proposeReminders(input('2016-03-07')).reminders[0]?.letter).toBe('');
  });
});

describe('issuedReminders', () => {
  it('joins stored reminders with their lines in line order', () => {
    const r = {
      reminderNo: 'R1',
      customerId: 'K1',
      currency: 'EUR',
      level: 2,
      issuedOn: '2016-03-10',
      payBy: '2016-03-20',
      status: 'issued' as const,
    };
    const line = (lineNo: number, invoiceNo: string) => ({
      reminderNo: 'R1',
      lineNo,
      invoiceNo,
      level: 2,
      outstanding: 100,
      daysOverdue: 9,
      interest: lineNo,
      fee: 50,
    });
    expect(issuedReminders([r, { ...r, reminderNo: 'R2' }], [line(2, 'I2'), line(1, 'I1')])).toEqual([
      {
        ...r,
        lines: [
          { invoiceNo: 'I1', level: 2, interest: 1, fee: 50 },
          { invoiceNo: 'I2', level: 2, interest: 2, fee: 50 },
        ],
      },
      { ...r, reminderNo: 'R2', lines: [] },
    ]);
  });
});
