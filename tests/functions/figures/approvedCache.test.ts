// The whole-index read behind receivables and the invoice check is cached per figures generation: an unchanged index
// is not scanned again, and an approval (or a rebuild) invalidates the cache at once.
import { indexScans, readAllApproved } from '../../../functions/src/figures/ledgerView';
import { rebuildFromLedgers } from '../../../functions/src/figures/rebuild';
import { invoiceCheckRoute } from '../../../functions/src/functions/invoiceCheck';
import { receivablesRoute } from '../../../functions/src/functions/receivables';
import { readFiguresGeneration } from '../../../functions/src/store/rollupStore';
import { invoiceLine, payment } from '../../shared/calc/fixtures/records';
import { approveKeys, oneInvoicedContract, putRecords, useApprovedData } from './support';

const api = useApprovedData(oneInvoicedContract());

const Q = { asOf: '2016-12-31', groupBy: 'contract' };

async function receivablesTotal(query: Record<string, string> = Q): Promise<string | undefined> {
  const res = await api.call(receivablesRoute, { query });
  expect(res.status).toBe(200);
  return (res.jsonBody as { rows: { total: string }[] }).rows[0]?.total;
}

it('reuses the scan while nothing changes and scans again right after an approval', async () => {
  expect(await readFiguresGeneration()).toBeDefined();
  expect(await receivablesTotal()).toBe('20.00');
  const scans = indexScans.count;
  expect(await receivablesTotal()).toBe('20.00');
  expect(indexScans.count).toBe(scans);

  // Pending rows change nothing approved: still no scan, and the provisional overlay does not leak into the cache.
  await putRecords(api, 'payments', [payment('P1', 'C1', '2016-12-03', '15.00')]);
  expect(await receivablesTotal({ ...Q, includePending: 'true' })).toBe('5.00');
  expect(await receivablesTotal()).toBe('20.00');
  expect(indexScans.count).toBe(scans);

  const before = await readFiguresGeneration();
  await approveKeys(api, 'payments', ['P1']);
  expect(await readFiguresGeneration()).not.toBe(before);
  expect(await receivablesTotal()).toBe('5.00');
  expect(indexScans.count).toBe(scans + 1);
  expect(await receivablesTotal()).toBe('5.00');
  expect(indexScans.count).toBe(scans + 1);
});

it('invalidates on invoice line approvals (the invoice check sees the new line at once)', async () => {
  const check = async (): Promise<unknown[]> => {
    const res = await api.call(invoiceCheckRoute, { body: {} });
    expect(res.status).toBe(200);
    return (res.jsonBody as { findings: unknown[] }).findings;
  };
  const before = await check();
  expect(before.some((f) => (f as { lineNo: number }).lineNo === 2)).toBe(false);
  await putRecords(api, 'invoiceLines', [invoiceLine('I1', 2, 'A', 9, '10.00')]);
  expect(await check()).toEqual(before);
  await approveKeys(api, 'invoiceLines', ['I1~2']);
  // 2 + 9 invoiced against 10 ordered (and nothing delivered): line 2 is flagged as soon as it is approved.
  expect((await check()).some((f) => (f as { lineNo: number }).lineNo === 2)).toBe(true);
});

it('shares one scan between concurrent readers and returns frozen data', async () => {
  const scans = indexScans.count;
  const ledgers = ['contracts', 'payments'] as const;
  const [a, b, c] = await Promise.all([readAllApproved(ledgers), readAllApproved(ledgers), readAllApproved(ledgers)]);
  expect(b).toBe(a);
  expect(c).toBe(a);
  expect(indexScans.count).toBe(scans + 1);
  expect(Object.isFrozen(a.payments)).toBe(true);
  expect(Object.isFrozen(a.payments[0])).toBe(true);
});

it('a rebuild invalidates the cache', async () => {
  // 5.00 left on I1's first line plus I1~2's 90.00.
  expect(await receivablesTotal()).toBe('95.00');
  const scans = indexScans.count;
  const before = await readFiguresGeneration();
  await rebuildFromLedgers();
  expect(await readFiguresGeneration()).not.toBe(before);
  expect(await receivablesTotal()).toBe('95.00');
  expect(indexScans.count).toBe(scans + 1);
});
