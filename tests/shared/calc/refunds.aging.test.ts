// Refunds (negative payments, issue #14) in the receivables allocation: worked examples of each rule in
// shared/calc/aging.ts's file comment, and properties over random ledgers with refunds.

import fc from 'fast-check';
import { ageAll, allocateContract, computeReceivables, type Allocation } from '../../../shared/calc/aging';
import { buildIndex, invoiceAmount, ledgerData, type LedgerData } from '../../../shared/calc/index';
import type { Payment } from '../../../shared/ledgers';
import { contract, invoice, invoiceLine, money, payment } from './fixtures/records';
import { arbLedger } from './fixtures/random';

/** Two invoices of one contract: I1 100.00 due 2016-02-01, I2 50.00 due 2016-03-01. */
function twoInvoices(...payments: Payment[]): LedgerData {
  return ledgerData({
    contracts: [contract('C1')],
    invoices: [invoice('I1', 'C1', '2016-01-02', '2016-02-01'), invoice('I2', 'C1', '2016-01-31', '2016-03-01')],
    invoiceLines: [invoiceLine('I1', 1, 'A', 1, '100.00'), invoiceLine('I2', 1, 'A', 1, '50.00')],
    payments,
  });
}

function outstanding(data: LedgerData, asOf: string): Record<string, [number, string]> {
  const out: Record<string, [number, string]> = {};
  for (const a of ageAll(data, asOf)) for (const i of a.invoices) out[i.invoiceNo] = [i.outstanding, i.bucket];
  return out;
}

/** The allocations of C1 as [payment, invoice, amount, the payment whose allocation a reversal takes back]. */
function steps(data: LedgerData, asOf: string): [string, string, number, string | null][] {
  const bundle = buildIndex(data).bundles.get('C1');
  if (bundle === undefined) throw new Error('no C1');
  return (allocateContract(bundle, asOf)?.allocations ?? []).map((a) => [
    a.payment.paymentId,
    a.invoice.invoiceNo,
    a.amount,
    a.reverses?.payment.paymentId ?? null,
  ]);
}

function unappliedOf(data: LedgerData, asOf: string): number {
  return ageAll(data, asOf)[0]?.unapplied ?? NaN;
}

describe('refunds in the allocation: worked examples', () => {
  it('a refund of an overpayment takes back the unapplied money and reopens nothing', () => {
    const data = twoInvoices(payment('P1', 'C1', '2016-02-10', '180.00'), payment('R1', 'C1', '2016-02-20', '-30.00'));
    expect(unappliedOf(data, '2016-02-28')).toBe(0);
    expect(outstanding(data, '2016-02-28')).toEqual({ I1: [0, 'd1_30'], I2: [0, 'current'] });
    // Only the payment's allocations: the refund took unapplied money, no reversal.
    expect(steps(data, '2016-02-28')).toEqual([
      ['P1', 'I1', money('100.00'), null],
      ['P1', 'I2', money('50.00'), null],
    ]);
    // Before the refund the 30.00 was unapplied.
    expect(unappliedOf(data, '2016-02-15')).toBe(money('30.00'));
  });

  it('a refund beyond the unapplied money reopens the invoice it names, which ages from its own due date', () => {
    const data = twoInvoices(
      payment('P1', 'C1', '2016-01-20', '160.00'),
      payment('R1', 'C1', '2016-04-05', '-40.00', 'I1'),
    );
    // 10.00 unapplied taken back first, then 30.00 of I1's allocation reversed (I1 named, though I2 is the latest due).
    expect(steps(data, '2016-04-10')).toEqual([
      ['P1', 'I1', money('100.00'), null],
      ['P1', 'I2', money('50.00'), null],
      ['R1', 'I1', -money('30.00'), 'P1'],
    ]);
    expect(unappliedOf(data, '2016-04-10')).toBe(0);
    // I1 due 2016-02-01: 69 days overdue on 2016-04-10, in 61–90, not current from the refund's date.
    expect(outstanding(data, '2016-04-10')).toEqual({ I1: [money('30.00'), 'd61_90'], I2: [0, 'd31_60'] });
    expect(computeReceivables(data, { asOf: '2016-04-10', groupBy: 'contract' })).toEqual([
      {
        group: 'C1',
        currency: 'EUR',
        current: 0,
        d1_30: 0,
        d31_60: 0,
        d61_90: money('30.00'),
        d91_120: 0,
        over120: 0,
        total: money('30.00'),
        unapplied: 0,
      },
    ]);
  });

  it('a refund without invoiceNo reverses the latest payment first, then the latest due date', () => {
    const data = twoInvoices(
      payment('P1', 'C1', '2016-01-20', '100.00'), // settles I1
      payment('P2', 'C1', '2016-02-10', '50.00'), // settles I2
      payment('R1', 'C1', '2016-02-15', '-70.00'),
    );
    expect(steps(data, '2016-02-20')).toEqual([
      ['P1', 'I1', money('100.00'), null],
      ['P2', 'I2', money('50.00'), null],
      ['R1', 'I2', -money('50.00'), 'P2'],
      ['R1', 'I1', -money('20.00'), 'P1'],
    ]);
    expect(outstanding(data, '2016-02-20')).toEqual({ I1: [money('20.00'), 'd1_30'], I2: [money('50.00'), 'current'] });

    // One payment settling both: the latest due date (I2) is reversed first.
    const one = twoInvoices(payment('P1', 'C1', '2016-01-31', '150.00'), payment('R1', 'C1', '2016-02-15', '-60.00'));
    expect(steps(one, '2016-02-20')).toEqual([
      ['P1', 'I1', money('100.00'), null],
      ['P1', 'I2', money('50.00'), null],
      ['R1', 'I2', -money('50.00'), 'P1'],
      ['R1', 'I1', -money('10.00'), 'P1'],
    ]);
  });

  it('on equal due dates the higher invoiceNo is reversed first', () => {
    const data = ledgerData({
      contracts: [contract('C1')],
      invoices: [invoice('I1', 'C1', '2016-01-02', '2016-02-01'), invoice('I2', 'C1', '2016-01-03', '2016-02-01')],
      invoiceLines: [invoiceLine('I1', 1, 'A', 1, '10.00'), invoiceLine('I2', 1, 'A', 1, '10.00')],
      payments: [payment('P1', 'C1', '2016-01-20', '20.00'), payment('R1', 'C1', '2016-01-25', '-5.00')],
    });
    expect(steps(data, '2016-01-31').slice(-1)).toEqual([['R1', 'I2', -money('5.00'), 'P1']]);
  });

  it('a later payment settles the reopened invoice again (the cursor moves back to it)', () => {
    const data = twoInvoices(
      payment('P1', 'C1', '2016-01-20', '100.00'),
      payment('P2', 'C1', '2016-02-10', '50.00'),
      payment('R1', 'C1', '2016-02-15', '-30.00', 'I1'),
      payment('P3', 'C1', '2016-03-01', '40.00'),
    );
    // Before P3: I1 owes 30.00; P3 settles it (oldest due first) and the 10.00 left is unapplied.
    expect(outstanding(data, '2016-02-20')).toEqual({ I1: [money('30.00'), 'd1_30'], I2: [0, 'current'] });
    expect(outstanding(data, '2016-03-05')).toEqual({ I1: [0, 'd31_60'], I2: [0, 'd1_30'] });
    expect(unappliedOf(data, '2016-03-05')).toBe(money('10.00'));
    expect(steps(data, '2016-03-05').slice(-1)).toEqual([['P3', 'I1', money('30.00'), null]]);
  });

  it('a refund larger than everything paid leaves negative unapplied money: the customer owes it back', () => {
    const data = twoInvoices(payment('P1', 'C1', '2016-01-20', '120.00'), payment('R1', 'C1', '2016-02-15', '-200.00'));
    // P1 settled I1 and 20.00 of I2; both reversed (I2, the latest due, first): 80.00 more than the contract held.
    expect(outstanding(data, '2016-02-20')).toEqual({
      I1: [money('100.00'), 'd1_30'],
      I2: [money('50.00'), 'current'],
    });
    expect(unappliedOf(data, '2016-02-20')).toBe(-money('80.00'));
    const [row] = computeReceivables(data, { asOf: '2016-02-20', groupBy: 'customer' });
    expect(row).toMatchObject({ group: 'K1', total: money('150.00'), unapplied: -money('80.00') });
    // A later payment settles the open invoices first; only what is left makes up the negative money.
    const later = { ...data, payments: [...data.payments, payment('P2', 'C1', '2016-03-01', '200.00')] };
    expect(outstanding(later, '2016-03-05')).toEqual({ I1: [0, 'd31_60'], I2: [0, 'd1_30'] });
    expect(unappliedOf(later, '2016-03-05')).toBe(-money('30.00'));
  });

  it('a refund naming an invoice of another contract reverses like one without invoiceNo', () => {
    const data = ledgerData({
      ...twoInvoices(payment('P1', 'C1', '2016-01-31', '150.00'), payment('R1', 'C1', '2016-02-15', '-20.00', 'X1')),
      contracts: [contract('C1'), contract('C2')],
      invoices: [
        invoice('I1', 'C1', '2016-01-02', '2016-02-01'),
        invoice('I2', 'C1', '2016-01-31', '2016-03-01'),
        invoice('X1', 'C2', '2016-01-02', '2016-02-01'),
      ],
      invoiceLines: [
        invoiceLine('I1', 1, 'A', 1, '100.00'),
        invoiceLine('I2', 1, 'A', 1, '50.00'),
        invoiceLine('X1', 1, 'A', 1, '10.00'),
      ],
    });
    expect(steps(data, '2016-02-20').slice(-1)).toEqual([['R1', 'I2', -money('20.00'), 'P1']]);
    expect(outstanding(data, '2016-02-20')).toMatchObject({ I1: [0, 'd1_30'], I2: [money('20.00'), 'current'] });
  });

  it('a refund pays out money a credit note left beyond its invoice before it reopens any invoice', () => {
    // I1 100.00 paid in full; credit notes of 30.00 on I1 and 60.00 on I2 (50.00, so 10.00 beyond it) leave 30.00 of
    // the payment and 10.00 of credit unapplied: 40.00, which the refund of 40.00 pays out.
    const data = ledgerData({
      ...twoInvoices(payment('P1', 'C1', '2016-01-20', '100.00'), payment('R1', 'C1', '2016-03-10', '-40.00')),
      creditNotes: [
        {
          creditNoteNo: 'CN1',
          contractId: 'C1',
          invoiceNo: 'I1',
          issuedOn: '2016-02-05',
          amount: money('30.00'),
          creditReason: 'price',
        },
        {
          creditNoteNo: 'CN2',
          contractId: 'C1',
          invoiceNo: 'I2',
          issuedOn: '2016-02-06',
          amount: money('60.00'),
          creditReason: 'return',
        },
      ],
    });
    expect(unappliedOf(data, '2016-03-01')).toBe(money('40.00'));
    expect(unappliedOf(data, '2016-03-31')).toBe(0);
    expect(outstanding(data, '2016-03-31')).toEqual({ I1: [0, 'd31_60'], I2: [0, 'd1_30'] });
    // Nothing reversed: the refund took only the contract's unapplied money.
    expect(steps(data, '2016-03-31').filter(([, , , reverses]) => reverses !== null)).toEqual([]);
  });

  it('a refund dated after asOf does not count yet', () => {
    const data = twoInvoices(payment('P1', 'C1', '2016-01-31', '150.00'), payment('R1', 'C1', '2016-03-01', '-20.00'));
    expect(outstanding(data, '2016-02-28')).toEqual({ I1: [0, 'd1_30'], I2: [0, 'current'] });
    expect(outstanding(data, '2016-03-01')).toEqual({ I1: [0, 'd1_30'], I2: [money('20.00'), 'current'] });
  });
});

/** Random ledgers whose payments are each turned into a refund with some probability. */
function arbLedgerWithRefunds(): fc.Arbitrary<LedgerData> {
  // Without credit notes: these properties count payments and refunds only (credit notes have their own properties in
  // creditNotes.test.ts and aging.test.ts, and a worked example below shows a refund taking back credited money).
  return fc.tuple(arbLedger(), fc.array(fc.boolean(), { minLength: 10, maxLength: 10 })).map(([data, flips]) => ({
    ...data,
    creditNotes: [],
    payments: data.payments.map((p, i) => (flips[i] === true ? { ...p, amount: -Math.ceil(p.amount / 3) } : p)),
  }));
}

describe('refunds in the allocation: properties', () => {
  it('what each invoice holds is its allocations net of reversals; no reversal takes back more than was allocated', () => {
    fc.assert(
      fc.property(arbLedgerWithRefunds(), fc.integer({ min: 0, max: 800 }), (data, offset) => {
        const asOf = new Date(Date.UTC(2016, 0, 1 + offset)).toISOString().slice(0, 10);
        for (const bundle of buildIndex(data).bundles.values()) {
          const a = allocateContract(bundle, asOf);
          if (a === undefined) continue;
          const netByInvoice = new Map<string, number>();
          const reversed = new Map<Allocation, number>();
          for (const step of a.allocations) {
            netByInvoice.set(step.invoice.invoiceNo, (netByInvoice.get(step.invoice.invoiceNo) ?? 0) + step.amount);
            // Reversals are the refunds' and negative; payments' allocations positive.
            expect(step.amount < 0).toBe(step.payment.amount < 0);
            expect(step.reverses !== undefined).toBe(step.amount < 0);
            if (step.reverses !== undefined) {
              expect(step.reverses.invoice).toBe(step.invoice);
              expect(step.reverses.payment.receivedOn <= step.payment.receivedOn).toBe(true);
              reversed.set(step.reverses, (reversed.get(step.reverses) ?? 0) - step.amount);
            }
          }
          for (const [original, taken] of reversed) expect(taken).toBeLessThanOrEqual(original.amount);
          for (const o of a.open) {
            expect(o.outstanding).toBeGreaterThanOrEqual(0);
            expect(o.outstanding).toBeLessThanOrEqual(o.amount);
            expect(o.amount - o.outstanding).toBe(netByInvoice.get(o.invoice.invoiceNo) ?? 0);
          }
          // Every cent received or paid back is either on an invoice or unapplied.
          const paid = bundle.payments.filter((p) => p.receivedOn <= asOf).reduce((s, p) => s + p.amount, 0);
          const applied = a.allocations.reduce((s, x) => s + x.amount, 0);
          expect(applied + a.unapplied).toBe(paid);
          // Money is unapplied (positive) only when nothing of the contract is left to settle.
          if (a.unapplied > 0) expect(a.open.every((o) => o.outstanding === 0)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('receivables rows: buckets sum to total and are never negative; total = invoiced − (paid − unapplied)', () => {
    fc.assert(
      fc.property(arbLedgerWithRefunds(), (data) => {
        const asOf = '2016-12-31';
        const index = buildIndex(data);
        for (const r of computeReceivables(data, { asOf, groupBy: 'contract' })) {
          const buckets = [r.current, r.d1_30, r.d31_60, r.d61_90, r.d91_120, r.over120];
          for (const b of buckets) expect(b).toBeGreaterThanOrEqual(0);
          expect(buckets.reduce((s, b) => s + b, 0)).toBe(r.total);
          const invoiced = data.invoices
            .filter((i) => i.contractId === r.group && i.issuedOn <= asOf)
            .reduce((s, i) => s + invoiceAmount(index.linesByInvoice.get(i.invoiceNo) ?? []), 0);
          const paid = data.payments
            .filter((p) => p.contractId === r.group && p.receivedOn <= asOf)
            .reduce((s, p) => s + p.amount, 0);
          expect(r.total).toBe(invoiced - (paid - r.unapplied));
        }
      }),
      { numRuns: 200 },
    );
  });
});
