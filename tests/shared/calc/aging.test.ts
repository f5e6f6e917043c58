// Receivables aging: worked examples from fixtures/aging.ts and allocation properties on random ledgers.

import fc from 'fast-check';
import {
  ageAll,
  agingBucket,
  computeReceivables,
  outstandingInvoices,
  type AgingBucket,
} from '../../../shared/calc/aging';
import { buildIndex, invoiceAmount } from '../../../shared/calc/index';
import { agingCases } from './fixtures/aging';
import { arbLedger } from './fixtures/random';

describe('computeReceivables worked examples', () => {
  it.each(agingCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(computeReceivables(c.data, { asOf: c.asOf, groupBy: c.groupBy })).toEqual(c.expected);
    if (c.expectedInvoices) {
      const invoices = ageAll(c.data, c.asOf).flatMap((a) => a.invoices);
      expect(invoices.map(({ invoiceNo, outstanding, bucket }) => ({ invoiceNo, outstanding, bucket }))).toEqual(
        c.expectedInvoices,
      );
    }
  });
});

describe('agingBucket', () => {
  it.each<[number, AgingBucket]>([
    [-1, 'current'],
    [0, 'current'],
    [1, 'd1_30'],
    [30, 'd1_30'],
    [31, 'd31_60'],
    [60, 'd31_60'],
    [61, 'd61_90'],
    [90, 'd61_90'],
    [91, 'd91_120'],
    [120, 'd91_120'],
    [121, 'over120'],
  ])('%i days overdue → %s', (days, bucket) => {
    expect(agingBucket(days)).toBe(bucket);
  });
});

describe('outstandingInvoices', () => {
  it('lists only invoices still owed, oldest due first', () => {
    const c = agingCases.find((x) => x.name.startsWith('a payment without invoiceNo'));
    if (!c) throw new Error('fixture missing');
    const open = outstandingInvoices(c.data, c.asOf);
    expect(open).toEqual([
      {
        invoiceNo: 'I1',
        contractId: 'C1',
        customerId: 'K1',
        issuedOn: '2016-02-01',
        dueOn: '2016-03-01',
        amount: 10000,
        outstanding: 7000,
        daysOverdue: 14,
        bucket: 'd1_30',
      },
    ]);
  });
});

describe('receivables properties', () => {
  it('buckets sum to total; per contract total − unapplied = invoiced − credited − paid; never negative', () => {
    fc.assert(
      fc.property(arbLedger(), fc.integer({ min: 0, max: 800 }), (data, offset) => {
        const asOf = new Date(Date.UTC(2016, 0, 1 + offset)).toISOString().slice(0, 10);
        const rows = computeReceivables(data, { asOf, groupBy: 'contract' });
        const index = buildIndex(data);
        const expected = new Map<string, { invoiced: number; paid: number; credited: number }>();
        const of = (contractId: string) => {
          const e = expected.get(contractId) ?? { invoiced: 0, paid: 0, credited: 0 };
          expected.set(contractId, e);
          return e;
        };
        for (const inv of data.invoices) {
          if (inv.issuedOn > asOf || !index.contracts.has(inv.contractId)) continue;
          of(inv.contractId).invoiced += invoiceAmount(index.linesByInvoice.get(inv.invoiceNo) ?? []);
        }
        for (const p of data.payments) {
          if (p.receivedOn > asOf || !index.contracts.has(p.contractId)) continue;
          of(p.contractId).paid += p.amount;
        }
        // Issue #14: credit notes issued by asOf; what exceeds their invoice is unapplied, like an overpayment.
        const creditedByInvoice = new Map<string, { contractId: string; amount: number }>();
        for (const cn of data.creditNotes) {
          if (cn.issuedOn > asOf || !index.contracts.has(cn.contractId)) continue;
          of(cn.contractId).credited += cn.amount;
          const c = creditedByInvoice.get(cn.invoiceNo) ?? { contractId: cn.contractId, amount: 0 };
          c.amount += cn.amount;
          creditedByInvoice.set(cn.invoiceNo, c);
        }
        // What credit notes give beyond their invoice's amount (all of it when the invoice is not the contract's or
        // not issued by asOf): the only unapplied money that is not paid money.
        const overCredited = new Map<string, number>();
        for (const [invoiceNo, c] of creditedByInvoice) {
          const inv = index.invoices.get(invoiceNo);
          const billed =
            inv === undefined || inv.issuedOn > asOf || inv.contractId !== c.contractId
              ? 0
              : invoiceAmount(index.linesByInvoice.get(invoiceNo) ?? []);
          overCredited.set(c.contractId, (overCredited.get(c.contractId) ?? 0) + Math.max(0, c.amount - billed));
        }
        for (const r of rows) {
          const buckets = r.current + r.d1_30 + r.d31_60 + r.d61_90 + r.d91_120 + r.over120;
          expect(buckets).toBe(r.total);
          for (const v of [r.current, r.d1_30, r.d31_60, r.d61_90, r.d91_120, r.over120, r.unapplied])
            expect(v).toBeGreaterThanOrEqual(0);
          const e = expected.get(r.group) ?? { invoiced: 0, paid: 0, credited: 0 };
          expect(r.total - r.unapplied).toBe(e.invoiced - e.credited - e.paid);
          // Paid money is unapplied only when nothing of the contract is left to settle (a credit beyond its invoice
          // stays unapplied while other invoices are open).
          if (r.unapplied > (overCredited.get(r.group) ?? 0)) expect(r.total).toBe(0);
        }
        // Contracts without a row owe nothing and hold nothing.
        for (const [contractId, e] of expected)
          if (!rows.some((r) => r.group === contractId)) expect(e.invoiced - e.credited).toBe(e.paid);
      }),
      { numRuns: 200 },
    );
  });

  it('grouping by customer sums the contract rows', () => {
    fc.assert(
      fc.property(arbLedger(), (data) => {
        const asOf = '2016-12-31';
        const byContract = computeReceivables(data, { asOf, groupBy: 'contract' });
        const byCustomer = computeReceivables(data, { asOf, groupBy: 'customer' });
        const customerOf = new Map(data.contracts.map((c) => [c.contractId, c.customerId]));
        const sums = new Map<string, { total: number; unapplied: number }>();
        for (const r of byContract) {
          const k = customerOf.get(r.group) as string;
          const s = sums.get(k) ?? { total: 0, unapplied: 0 };
          s.total += r.total;
          s.unapplied += r.unapplied;
          sums.set(k, s);
        }
        expect(byCustomer.map((r) => [r.group, r.total, r.unapplied])).toEqual(
          [...sums.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, s]) => [k, s.total, s.unapplied]),
        );
      }),
      { numRuns: 100 },
    );
  });
});
