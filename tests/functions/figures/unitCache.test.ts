// The per-unit reads behind contract performance and the invoice check (with invoiceNos) are cached per figures
// generation: an unchanged unit is not read again, an approval in it is visible at once, and the cache is bounded.
import { ledgerData } from '../../../shared/calc';
import {
  cachedUnitCount,
  clearApprovedCacheForTests,
  readUnits,
  setUnitCacheLimitForTests,
  unitReads,
} from '../../../functions/src/figures/ledgerView';
import { contractPerformanceRoute } from '../../../functions/src/functions/contractPerformance';
import { invoiceCheckRoute } from '../../../functions/src/functions/invoiceCheck';
import { readFiguresGeneration } from '../../../functions/src/store/rollupStore';
import { contract, invoice, invoiceLine, orderLine, payment } from '../../shared/calc/fixtures/records';
import { approveKeys, putRecords, useApprovedData } from './support';

const api = useApprovedData(
  ledgerData({
    contracts: [contract('C1', { signedOn: '2016-11-05' }), contract('C2', { signedOn: '2016-11-06' })],
    orderLines: [orderLine('C1', 1, 'A', 10, '10.00'), orderLine('C2', 1, 'A', 5, '10.00')],
    invoices: [invoice('I1', 'C1', '2016-11-25')],
    invoiceLines: [invoiceLine('I1', 1, 'A', 2, '10.00')],
  }),
);
afterEach(() => setUnitCacheLimitForTests(undefined));

async function totals(contractId: string): Promise<{ invoicedAmount: string; collected: string; receivable: string }> {
  const res = await api.call(contractPerformanceRoute, { params: { contractId } });
  expect(res.status).toBe(200);
  return (res.jsonBody as { totals: { invoicedAmount: string; collected: string; receivable: string } }).totals;
}

it('a second performance call with no change does not read the unit again', async () => {
  expect(await readFiguresGeneration()).toBeDefined();
  expect((await totals('C1')).invoicedAmount).toBe('20.00');
  const reads = unitReads.count;
  expect((await totals('C1')).invoicedAmount).toBe('20.00');
  expect(unitReads.count).toBe(reads);

  // Pending rows change nothing approved: no read, and the provisional overlay does not leak into the cache.
  await putRecords(api, 'payments', [payment('P1', 'C1', '2016-12-03', '15.00')]);
  const res = await api.call(contractPerformanceRoute, {
    params: { contractId: 'C1' },
    query: { includePending: 'true' },
  });
  expect((res.jsonBody as { totals: { collected: string } }).totals.collected).toBe('15.00');
  expect((await totals('C1')).collected).toBe('0.00');
  expect(unitReads.count).toBe(reads);
});

it('an approval in that contract is visible at once', async () => {
  await approveKeys(api, 'payments', ['P1']);
  expect(await totals('C1')).toMatchObject({ collected: '15.00', receivable: '5.00' });
  // A new invoice line (its own partition) also bumps the stamp.
  await putRecords(api, 'invoiceLines', [invoiceLine('I1', 2, 'A', 3, '10.00')]);
  await approveKeys(api, 'invoiceLines', ['I1~2']);
  expect((await totals('C1')).invoicedAmount).toBe('50.00');
  const reads = unitReads.count;
  expect((await totals('C1')).invoicedAmount).toBe('50.00');
  expect(unitReads.count).toBe(reads);
});

it('the invoice check with invoiceNos reuses unit reads and sees approvals at once', async () => {
  const check = async (): Promise<unknown[]> => {
    const res = await api.call(invoiceCheckRoute, { body: { invoiceNos: ['I1'] } });
    expect(res.status).toBe(200);
    return (res.jsonBody as { findings: unknown[] }).findings;
  };
  const before = await check();
  const reads = unitReads.count;
  expect(await check()).toEqual(before);
  expect(unitReads.count).toBe(reads);
  await putRecords(api, 'invoiceLines', [invoiceLine('I1', 3, 'A', 9, '10.00')]);
  await approveKeys(api, 'invoiceLines', ['I1~3']);
  // 2 + 3 + 9 invoiced against 10 ordered: line 3 is flagged as soon as it is approved.
  expect((await check()).some((f) => (f as { lineNo: number }).lineNo === 3)).toBe(true);
});

it('shares one read between concurrent readers of a unit, with frozen records', async () => {
  clearApprovedCacheForTests();
  const reads = unitReads.count;
  const [a, b] = await Promise.all([readUnits('c', ['C1', 'C2']), readUnits('c', ['C2', 'C1'])]);
  expect(unitReads.count).toBe(reads + 2);
  expect(a.contracts.map((c) => c.contractId)).toEqual(['C1', 'C2']);
  expect(b.contracts.map((c) => c.contractId)).toEqual(['C2', 'C1']);
  expect(Object.isFrozen(a.contracts[0])).toBe(true);
  expect(a.invoiceLines).toHaveLength(3);
  // The arrays are the caller's own.
  expect(Object.isFrozen(a.contracts)).toBe(false);
});

it('keeps at most the bound, dropping the least recently used unit', async () => {
  clearApprovedCacheForTests();
  setUnitCacheLimitForTests(3);
  await readUnits('c', ['C1', 'X1', 'X2']);
  expect(cachedUnitCount()).toBe(3);
  await readUnits('c', ['C1']); // C1 is now the most recently used; X1 the least
  const reads = unitReads.count;
  await readUnits('c', ['C2', 'X3']);
  expect(cachedUnitCount()).toBe(3);
  expect(unitReads.count).toBe(reads + 2);
  await readUnits('c', ['C1']);
  expect(unitReads.count).toBe(reads + 2); // kept
  await readUnits('c', ['X1']);
  expect(unitReads.count).toBe(reads + 3); // evicted, read again
  expect(cachedUnitCount()).toBe(3);
});
