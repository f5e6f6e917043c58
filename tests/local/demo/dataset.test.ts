// The demo dataset: deterministic, valid in every ledger, referentially sound, and exactly the planted invoice defects.
import { ledgerData, type LedgerData } from '../../../shared/calc';
import { computeReceivables } from '../../../shared/calc/aging';
import { commissionStatement } from '../../../shared/calc/commission';
import { checkExpenses } from '../../../shared/calc/expenseCheck';
import { checkInvoices } from '../../../shared/calc/invoiceCheck';
import { completeRow, keyOf, LEDGERS, parseRow, type LedgerName } from '../../../shared/ledgers';
import { addDays } from '../../../shared/dates';
import { lineAmount } from '../../../shared/money';
import { demoDataset, DEMO_REGIONS, type DemoDataset } from '../../../local/demo/dataset';

/** The dataset as the API would store it: parsed and completed (due dates, currency). */
function parsed(ds: DemoDataset): LedgerData {
  const terms = new Map(ds.ledgers.contracts.map((c) => [String(c.contractId), Number(c.paymentTermsDays)]));
  const out: Record<string, unknown[]> = {};
  for (const { name } of LEDGERS)
    out[name] = ds.ledgers[name].map((row) => {
      const p = parseRow(name, row);
      if (!p.ok) throw new Error(`${name} ${JSON.stringify(row)}: ${JSON.stringify(p.errors)}`);
      return completeRow(name, p.record, { defaultCurrency: 'EUR', paymentTermsDays: (id) => terms.get(id) });
    });
  return ledgerData(out);
}

const big = demoDataset();
const small = demoDataset({ contracts: 24 });

describe('demoDataset', () => {
  it('is deterministic in its options, and the seed matters', () => {
    expect(JSON.stringify(demoDataset())).toBe(JSON.stringify(big));
    expect(JSON.stringify(demoDataset({ seed: 7 }).ledgers.orderLines)).not.toBe(
      JSON.stringify(big.ledgers.orderLines),
    );
  });

  it('is 4,686 rows of 25 ledgers in the default year, as README says', () => {
    const counts = LEDGERS.map(({ name }) => big.ledgers[name].length);
    expect([counts.filter((n) => n > 0).length, counts.reduce((a, b) => a + b, 0)]).toEqual([25, 4686]);
  });

  it.each([
    ['default', big],
    ['small', small],
  ])('%s: every row parses, keys are unique, dates fall in the year', (_label, ds) => {
    const data = parsed(ds);
    for (const { name } of LEDGERS) {
      const keys = ds.ledgers[name].map((r) => keyOf(name, r));
      expect(new Set(keys).size).toBe(keys.length);
    }
    for (const field of ['signedOn', 'date', 'issuedOn', 'receivedOn', 'incurredOn'])
      for (const { name } of LEDGERS)
        for (const r of ds.ledgers[name]) if (field in r) expect(String(r[field]).slice(0, 4)).toBe(String(ds.year));
    expect(data.contracts.length).toBe(ds === big ? 303 : 27);
  });

  it.each([
    ['default', big],
    ['small', small],
  ])('%s: enforced references hold, deliveries are of ordered items', (_label, ds) => {
    const has = (ledger: LedgerName, key: string): boolean => ds.ledgers[ledger].some((r) => keyOf(ledger, r) === key);
    for (const { name, references } of LEDGERS)
      for (const ref of references.filter((r) => r.enforced))
        for (const row of ds.ledgers[name]) {
          const target = row[ref.field];
          if (target !== undefined)
            expect([name, ref.field, has(ref.ledger, String(target))]).toEqual([name, ref.field, true]);
        }
    // A delivery's item is on its contract.
    const items = new Set(ds.ledgers.orderLines.map((l) => `${String(l.contractId)}|${String(l.itemCode)}`));
    for (const d of ds.ledgers.deliveries)
      expect(items.has(`${String(d.contractId)}|${String(d.itemCode)}`)).toBe(true);
  });

  it.each([
    ['default', big],
    ['small', small],
  ])('%s: the invoice check finds exactly the planted defects', (_label, ds) => {
    const found = checkInvoices(parsed(ds)).map((f) => [f.invoiceNo, f.lineNo, f.itemCode, f.code]);
    const planted = ds.defects.map((d) => [d.invoiceNo, d.lineNo, d.itemCode, d.code]);
    expect(found.sort()).toEqual(planted.sort());
    expect(ds.defects.map((d) => d.code).sort()).toEqual([
      'ITEM_NOT_ON_ORDER',
      'PRICE_MISMATCH',
      'QTY_EXCEEDS_DELIVERED',
      'UNKNOWN_CONTRACT',
    ]);
  });

  it('has what makes the figures interesting', () => {
    const ds = big;
    const l = ds.ledgers;
    expect(new Set(l.contracts.map((c) => c.region))).toEqual(new Set(DEMO_REGIONS));
    expect(l.contracts.length).toBeGreaterThanOrEqual(300);
    const returns = l.deliveries.filter((d) => d.kind === 'return');
    expect(returns.length).toBeGreaterThan(10);
    expect(returns.every((r) => typeof r.returnReason === 'string')).toBe(true);
    expect(returns.some((r) => r.redeliver === true)).toBe(true);
    expect(returns.some((r) => r.redeliver === false)).toBe(true);
    expect(l.payments.some((p) => p.invoiceNo === undefined)).toBe(true);
    expect(small.ledgers.payments.some((p) => p.invoiceNo === undefined)).toBe(true);
    expect(l.expenses.some((e) => e.tripDays !== undefined)).toBe(true);
    expect(new Set(l.contracts.map((c) => c.status))).toEqual(new Set(['active', 'completed', 'cancelled']));

    // Payments: partial, full and overpaid ones against their invoice.
    const data = parsed(ds);
    const amounts = new Map<string, number>();
    for (const line of data.invoiceLines)
      amounts.set(line.invoiceNo, (amounts.get(line.invoiceNo) ?? 0) + lineAmount(line.quantity, line.unitPrice));
    const kinds = new Set(
      data.payments
        .filter((p) => p.invoiceNo !== undefined)
        .map((p) => {
          const owed = amounts.get(p.invoiceNo as string) as number;
          return p.amount < owed ? 'partial' : p.amount === owed ? 'full' : 'overpaid';
        }),
    );
    expect(kinds).toEqual(new Set(['partial', 'full', 'overpaid']));

    // Aging at the year's end spreads over the buckets.
    const [total] = computeReceivables(data, { asOf: `${ds.year}-12-31`, groupBy: 'region' }).reduce(
      (acc, r) => {
        acc[0].current += r.current;
        acc[0].d1_30 += r.d1_30;
        acc[0].d31_60 += r.d31_60;
        acc[0].over120 += r.over120;
        acc[0].unapplied += r.unapplied;
        return acc;
      },
      [{ current: 0, d1_30: 0, d31_60: 0, over120: 0, unapplied: 0 }],
    );
    expect(total?.current).toBeGreaterThan(0);
    expect(total?.d1_30).toBeGreaterThan(0);
    expect(total?.d31_60).toBeGreaterThan(0);
    expect(total?.over120).toBeGreaterThan(0);
    expect(total?.unapplied).toBeGreaterThan(0);
  });

  it('refuses sizes it cannot number', () => {
    expect(() => demoDataset({ contracts: 0 })).toThrow(RangeError);
    expect(() => demoDataset({ contracts: 10_000 })).toThrow(RangeError);
  });
});

describe('demoDataset: issue #14 ledgers', () => {
  it('settles January at the commission its statements compute, and every travel claim lies on its own trip', () => {
    const data = parsed(big);
    const unsettled = ledgerData({ ...data, commissionSettlements: [] });
    expect(data.commissionSettlements.length).toBe(data.salespeople.length);
    for (const s of data.commissionSettlements)
      expect([s.salespersonId, s.commission]).toEqual([
        s.salespersonId,
        commissionStatement(unsettled, s.salespersonId, `${big.year}-01`).commission,
      ]);
    expect(data.commissionSettlements.some((s) => s.commission > 0)).toBe(true);
    const outside = checkExpenses(data).filter((f) => f.code === 'OUTSIDE_TRIP' || f.code === 'NO_POLICY');
    expect(outside).toEqual([]);
    expect(data.trips.length).toBe(data.expenses.filter((e) => e.tripId !== undefined).length);
  });

  it('credits 10 % of every 20th invoice two weeks after it, on the invoice’s own contract', () => {
    const data = parsed(big);
    expect(data.creditNotes).toHaveLength(17);
    const invoices = new Map(data.invoices.map((i) => [i.invoiceNo, i]));
    for (const cn of data.creditNotes) {
      const inv = invoices.get(cn.invoiceNo);
      expect([cn.contractId, cn.issuedOn]).toEqual([inv?.contractId, addDays(inv?.issuedOn ?? '', 14)]);
      const billed = data.invoiceLines
        .filter((l) => l.invoiceNo === cn.invoiceNo)
        .reduce((a, l) => a + lineAmount(l.quantity, l.unitPrice), 0);
      expect(cn.amount).toBe(Math.round(billed / 10));
    }
  });

  it('refunds what a contract holds beyond what it owes, two weeks after its last record, leaving nothing unapplied', () => {
    const data = parsed(big);
    const refunds = data.payments.filter((p) => p.amount < 0);
    expect(refunds).toHaveLength(12);
    const yearEnd = `${big.year}-12-31`;
    const unapplied = new Map(
      computeReceivables(data, { asOf: yearEnd, groupBy: 'contract' }).map((r) => [r.group, r.unapplied]),
    );
    // The contract's last record before any refund: signed, delivered, invoiced, paid or credited.
    const lastRecord = (contractId: string): string =>
      [
        ...data.contracts.filter((c) => c.contractId === contractId).map((c) => c.signedOn),
        ...data.deliveries.filter((d) => d.contractId === contractId).map((d) => d.date),
        ...data.invoices.filter((i) => i.contractId === contractId).map((i) => i.issuedOn),
        ...data.payments.filter((p) => p.contractId === contractId && p.amount > 0).map((p) => p.receivedOn),
        ...data.creditNotes.filter((c) => c.contractId === contractId).map((c) => c.issuedOn),
      ]
        .sort()
        .at(-1) ?? '';
    for (const refund of refunds) {
      // The day before the refund the contract held exactly what it pays back, unapplied; at the year's end nothing.
      const before = computeReceivables(data, { asOf: addDays(refund.receivedOn, -1), groupBy: 'contract' }).find(
        (r) => r.group === refund.contractId,
      );
      expect([refund.contractId, before?.unapplied]).toEqual([refund.contractId, -refund.amount]);
      expect([refund.contractId, unapplied.get(refund.contractId) ?? 0]).toEqual([refund.contractId, 0]);
      // Two weeks after the contract's last record.
      expect([refund.contractId, refund.receivedOn]).toEqual([
        refund.contractId,
        addDays(lastRecord(refund.contractId), 14),
      ]);
    }
    // Every contract that still holds money at the year's end is one whose refund would fall in the next year.
    const holding = [...unapplied].filter(([, money]) => money > 0).map(([contractId]) => contractId);
    expect(holding.length).toBeGreaterThan(0);
    for (const contractId of holding)
      expect([contractId, addDays(lastRecord(contractId), 14) > yearEnd]).toEqual([contractId, true]);
  });
});
