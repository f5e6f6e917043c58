// Statistics: worked examples, facts of one contract, and equivalence with a naive reference on random ledgers.

import fc from 'fast-check';
import type { StatsGroupBy } from '../../../shared/api';
import { periodOf, type IsoDate, type PeriodKind } from '../../../shared/dates';
import { buildIndex, type LedgerData } from '../../../shared/calc/index';
import {
  bucketFacts,
  bucketFactsByPeriods,
  computeStatistics,
  contractFacts,
  expenseFacts,
  mergeAllPeriods,
  negateFacts,
  MEASURES,
  type FactSet,
  type Measure,
  type StatsFigures,
  type StatsOptions,
} from '../../../shared/calc/statistics';
import { lineAmount } from '../../../shared/money';
import { row, statisticsCases } from './fixtures/statistics';
import { arbLedger } from './fixtures/random';
import { contract, delivery, invoice, invoiceLine, orderLine, payment } from './fixtures/records';
import { ledgerData } from '../../../shared/calc/index';

/** The rules of API.md read as literally as possible, with no index and no facts: slow and obviously right. */
function naiveStatistics(data: LedgerData, o: StatsOptions): StatsFigures[] {
  const rows = new Map<string, StatsFigures>();
  const add = (date: IsoDate, group: string | undefined, measure: Measure, amount: number) => {
    if (date < o.from || date > o.to) return;
    if (o.groupBy !== 'none' && group === undefined) return;
    const g = o.groupBy === 'none' ? null : (group as string);
    const period = periodOf(date, o.period);
    const key = `${period}|${g}`;
    const r = rows.get(key) ?? row(period, g, {});
    r[measure] += amount;
    rows.set(key, r);
  };
  const contractOf = (id: string) => data.contracts.find((c) => c.contractId === id);
  const groupOf = (id: string): string | undefined => {
    const c = contractOf(id);
    if (!c) return undefined;
    return { region: c.region, salesperson: c.salespersonId, customer: c.customerId, none: '' }[o.groupBy];
  };
  for (const c of data.contracts) {
    if (c.status === 'cancelled') continue;
    add(c.signedOn, groupOf(c.contractId), 'contractsSigned', 1);
    let value = 0;
    for (const l of data.orderLines) if (l.contractId === c.contractId) value += lineAmount(l.quantity, l.unitPrice);
    add(c.signedOn, groupOf(c.contractId), 'contractValue', value);
  }
  for (const d of data.deliveries) {
    if (!contractOf(d.contractId)) continue;
    const first = data.orderLines
      .filter((l) => l.contractId === d.contractId && l.itemCode === d.itemCode)
      .sort((a, b) => a.lineNo - b.lineNo)[0];
    const value = first ? lineAmount(d.quantity, first.unitPrice) : 0;
    add(d.date, groupOf(d.contractId), d.kind === 'return' ? 'returned' : 'delivered', value);
  }
  for (const l of data.invoiceLines) {
    const inv = data.invoices.find((i) => i.invoiceNo === l.invoiceNo);
    if (!inv || !contractOf(inv.contractId)) continue;
    add(inv.issuedOn, groupOf(inv.contractId), 'invoiced', lineAmount(l.quantity, l.unitPrice));
  }
  for (const p of data.payments)
    if (contractOf(p.contractId)) add(p.receivedOn, groupOf(p.contractId), 'collected', p.amount);
  // Issue #14: a credit note lowers invoiced on its own issue date.
  for (const cn of data.creditNotes)
    if (contractOf(cn.contractId)) add(cn.issuedOn, groupOf(cn.contractId), 'invoiced', -cn.amount);
  for (const e of data.expenses) {
    const sp = data.salespeople.find((s) => s.salespersonId === e.salespersonId);
    const group = { region: sp?.region, salesperson: e.salespersonId, customer: undefined, none: '' }[o.groupBy];
    add(e.incurredOn, group, 'expenses', e.amount);
  }
  return [...rows.values()]
    .filter((r) => MEASURES.some((m) => r[m] !== 0))
    .sort((a, b) =>
      a.period !== b.period ? (a.period < b.period ? -1 : 1) : (a.group ?? '') < (b.group ?? '') ? -1 : 1,
    );
}

function allFactSets(data: LedgerData): FactSet[] {
  const index = buildIndex(data);
  return [
    ...[...index.bundles.values()].map(contractFacts),
    ...data.expenses.map((e) => expenseFacts(e, index.salespeople.get(e.salespersonId))),
  ];
}

describe('computeStatistics worked examples', () => {
  it.each(statisticsCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(computeStatistics(c.data, c.options)).toEqual(c.expected);
    expect(naiveStatistics(c.data, c.options)).toEqual(c.expected);
    expect(bucketFacts(allFactSets(c.data), c.options)).toEqual(c.expected);
  });
});

describe('facts', () => {
  const data = ledgerData({
    contracts: [contract('C1', { signedOn: '2016-03-01', region: 'North', salespersonId: 'S2', customerId: 'K3' })],
    orderLines: [orderLine('C1', 1, 'A', 4, '2.50')],
    deliveries: [delivery('D1', 'C1', 'A', 4, '2016-03-05'), delivery('D2', 'C1', 'A', 1, '2016-03-09', 'return')],
    invoices: [invoice('I1', 'C1', '2016-03-10')],
    invoiceLines: [invoiceLine('I1', 1, 'A', 3, '2.50')],
    payments: [payment('P1', 'C1', '2016-04-02', '7.50')],
  });

  it("lists everything hanging off one contract under the contract's groups", () => {
    const bundle = buildIndex(data).bundles.get('C1');
    if (!bundle) throw new Error('no bundle');
    expect(contractFacts(bundle)).toEqual({
      groups: { region: 'North', salesperson: 'S2', customer: 'K3', currency: 'EUR' },
      facts: [
        { date: '2016-03-01', measure: 'contractsSigned', amount: 1 },
        { date: '2016-03-01', measure: 'contractValue', amount: 1000 },
        { date: '2016-03-05', measure: 'delivered', amount: 1000 },
        { date: '2016-03-09', measure: 'returned', amount: 250 },
        { date: '2016-03-10', measure: 'invoiced', amount: 750 },
        { date: '2016-04-02', measure: 'collected', amount: 750 },
      ],
    });
  });

  it('gives no facts for an unknown contract and no region for an unknown salesperson', () => {
    const index = buildIndex(ledgerData({ invoices: [invoice('I1', 'NOPE', '2016-01-01')] }));
    const bundle = index.bundles.get('NOPE');
    if (!bundle) throw new Error('no bundle');
    expect(contractFacts(bundle).facts).toEqual([]);
    expect(
      expenseFacts(
        { expenseId: 'E1', salespersonId: 'S9', category: 'x', incurredOn: '2016-01-01', amount: 5 },
        undefined,
      ),
    ).toEqual({
      // Expenses have no currency column: '' stands for the house currency.
      groups: { region: undefined, salesperson: 'S9', customer: undefined, currency: '' },
      facts: [{ date: '2016-01-01', measure: 'expenses', amount: 5 }],
    });
  });

  it('applies a change of one contract as negated old facts plus new facts', () => {
    const before = buildIndex(data).bundles.get('C1');
    const changed = { ...data, payments: [payment('P1', 'C1', '2016-03-20', '9.00')] };
    const after = buildIndex(changed).bundles.get('C1');
    if (!before || !after) throw new Error('no bundle');
    const options = { period: 'month', from: '2016-01-01', to: '2016-12-31', groupBy: 'region' } as const;
    const rollup = bucketFacts(
      [contractFacts(before), negateFacts(contractFacts(before)), contractFacts(after)],
      options,
    );
    expect(rollup).toEqual(computeStatistics(changed, options));
    expect(rollup.map((r) => [r.period, r.collected])).toEqual([['2016-03', 900]]);
  });
});

describe('mergeAllPeriods', () => {
  it('computes month, quarter and year in one call, each as computeStatistics would', () => {
    const c = statisticsCases[2];
    if (!c) throw new Error('fixture missing');
    const all = mergeAllPeriods(c.data, { from: '2016-01-01', to: '2016-12-31', groupBy: 'salesperson' });
    for (const period of ['month', 'quarter', 'year'] as const)
      expect(all[period]).toEqual(
        computeStatistics(c.data, { period, from: '2016-01-01', to: '2016-12-31', groupBy: 'salesperson' }),
      );
    expect(all.year?.map((r) => r.period)).toEqual(['2016']);
    expect(all.month?.map((r) => [r.period, r.invoiced, r.collected])).toEqual([
      ['2016-01', 0, 0],
      ['2016-02', 2013, 0],
      ['2016-03', 0, 5000],
    ]);
  });

  it('returns only the kinds asked for', () => {
    const c = statisticsCases[0];
    if (!c) throw new Error('fixture missing');
    expect(Object.keys(mergeAllPeriods(c.data, { ...c.options, periods: ['quarter'] }))).toEqual(['quarter']);
  });
});

const arbGroupBy = fc.constantFrom<StatsGroupBy>('region', 'salesperson', 'customer', 'none');
const arbKind = fc.constantFrom<PeriodKind>('month', 'quarter', 'year');

describe('statistics properties', () => {
  it('equal the naive reference, and the facts bucketed, on random ledgers', () => {
    fc.assert(
      fc.property(
        arbLedger(),
        arbGroupBy,
        arbKind,
        fc.integer({ min: 0, max: 400 }),
        (data, groupBy, period, start) => {
          const from = new Date(Date.UTC(2015, 5, 1 + start)).toISOString().slice(0, 10);
          const options = { period, from, to: '2017-03-31', groupBy };
          const expected = naiveStatistics(data, options);
          expect(computeStatistics(data, options)).toEqual(expected);
          expect(bucketFacts(allFactSets(data), options)).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a year equals the sum of its quarters equals the sum of its months, for every measure', () => {
    fc.assert(
      fc.property(arbLedger(), arbGroupBy, (data, groupBy) => {
        const all = bucketFactsByPeriods(allFactSets(data), { from: '2015-01-01', to: '2017-12-31', groupBy });
        const sumBy = (rows: StatsFigures[] | undefined) => {
          const sums = new Map<string, number[]>();
          for (const r of rows ?? []) {
            const key = `${r.period.slice(0, 4)}|${r.group}`;
            const s = sums.get(key) ?? MEASURES.map(() => 0);
            MEASURES.forEach((m, i) => (s[i] = (s[i] as number) + r[m]));
            sums.set(key, s);
          }
          return sums;
        };
        const years = sumBy(all.year);
        expect(sumBy(all.quarter)).toEqual(years);
        expect(sumBy(all.month)).toEqual(years);
        // Something was actually compared whenever the ledger had a contract or an expense.
        if (data.expenses.length > 0 && groupBy === 'none') expect(years.size).toBeGreaterThan(0);
      }),
      { numRuns: 150 },
    );
  });
});
