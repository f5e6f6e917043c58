// Provisional figures (includePending=true) against a naive computation: shared/calc over the latest version of every
// row that counts (pending versions in place of approved ones; a rejected version never), to the cent, after writes,
// approvals, a pending change to an approved row and rejections; and their per-process cache (ledgerStamps.ts).
import type { ReceivablesRow, StatsRow } from '../../../shared/api';
import { ledgerData, buildIndex, type LedgerData } from '../../../shared/calc';
import { computeReceivables } from '../../../shared/calc/aging';
import { checkInvoices } from '../../../shared/calc/invoiceCheck';
import { performanceOf } from '../../../shared/calc/performance';
import { computeStatistics } from '../../../shared/calc/statistics';
import { keyOf, LEDGERS, toWire, type LedgerName, type LedgerRecord } from '../../../shared/ledgers';
import { performanceToWire } from '../../../shared/wire';
import { setConfigForTests } from '../../../functions/src/config';
import * as ledgerStamps from '../../../functions/src/store/ledgerStamps';
import { bumpLedgerStamps, readLedgerStamps } from '../../../functions/src/store/ledgerStamps';
import {
  clearApprovedCacheForTests,
  pendingReads,
  provisionalComputations,
  setPendingMaxAgeForTests,
} from '../../../functions/src/figures/ledgerView';
import { registerFigureProjection } from '../../../functions/src/figures/projection';
import {
  clearCellCacheForTests,
  pendingCellComputations,
  setScanAboveForTests,
} from '../../../functions/src/figures/statistics';
import { contractPerformanceRoute } from '../../../functions/src/functions/contractPerformance';
import { getLedgerRowRoute } from '../../../functions/src/functions/getLedgerRow';
import { invoiceCheckRoute } from '../../../functions/src/functions/invoiceCheck';
import { putLedgerRowsRoute } from '../../../functions/src/functions/putLedgerRows';
import { receivablesRoute } from '../../../functions/src/functions/receivables';
import { rejectLedgerRowsRoute } from '../../../functions/src/functions/rejectLedgerRows';
import { statsRoute } from '../../../functions/src/functions/stats';
import { tableClient } from '../../../functions/src/store/client';
import { CLERK, ledgerApi, REVIEWER, type LedgerApi } from '../../support/ledgerApi';
import {
  contract,
  delivery,
  expense,
  invoice,
  invoiceLine,
  orderLine,
  payment,
  salesperson,
} from '../../shared/calc/fixtures/records';
import { approveKeys, putRecords, receivablesWire, statsWire, writeAndApprove } from './support';

const BASE = ledgerData({
  salespeople: [salesperson('S1', 'East'), salesperson('S2', 'West')],
  contracts: [
    contract('C1', { signedOn: '2016-11-05', salespersonId: 'S1', region: 'East' }),
    contract('C2', { signedOn: '2016-12-01', salespersonId: 'S2', region: 'West', customerId: 'K2' }),
  ],
  orderLines: [orderLine('C1', 1, 'A', 10, '10.00'), orderLine('C2', 1, 'B', 4, '25.50')],
  deliveries: [delivery('D1', 'C1', 'A', 2, '2016-11-20'), delivery('D2', 'C2', 'B', 1, '2016-12-10')],
  invoices: [invoice('I1', 'C1', '2016-11-25'), invoice('I2', 'C2', '2016-12-15')],
  invoiceLines: [invoiceLine('I1', 1, 'A', 2, '10.00'), invoiceLine('I2', 1, 'B', 1, '25.50')],
  payments: [payment('P1', 'C1', '2016-12-01', '7.00', 'I1')],
  expenses: [expense('E1', 'S1', '2016-11-03', '12.34'), expense('E2', 'S2', '2016-12-03', '5.00')],
});

let api: LedgerApi;
let unregister = (): void => undefined;
/** What the figures must equal: every ledger's latest version that counts, kept by the test beside the store. */
let counting: Record<LedgerName, LedgerRecord<LedgerName>[]>;
/** Approved versions only. */
let approved: Record<LedgerName, LedgerRecord<LedgerName>[]>;

const clone = (d: LedgerData): Record<LedgerName, LedgerRecord<LedgerName>[]> =>
  Object.fromEntries(Object.entries(d).map(([k, v]) => [k, [...(v as LedgerRecord<LedgerName>[])]])) as Record<
    LedgerName,
    LedgerRecord<LedgerName>[]
  >;

function put(into: Record<LedgerName, LedgerRecord<LedgerName>[]>, ledger: LedgerName, r: LedgerRecord<LedgerName>) {
  const key = keyOf(ledger, r);
  const list = into[ledger].filter((x) => keyOf(ledger, x as Record<string, unknown>) !== key);
  into[ledger] = [...list, r];
}

beforeAll(async () => {
  // No expiry of cached pending rows in the middle of a test that counts reads (the last test sets its own).
  setPendingMaxAgeForTests(1e12);
  unregister = registerFigureProjection();
  api = ledgerApi();
  const accepted = await writeAndApprove(api, BASE);
  counting = clone(accepted);
  approved = clone(accepted);
});
afterAll(() => {
  setPendingMaxAgeForTests(undefined);
  unregister();
  setConfigForTests(undefined);
});

/** New rows through PUT, then the stamp bump the write path is to make after its commit (ledgerStamps.ts). */
async function write(ledger: LedgerName, records: LedgerRecord<LedgerName>[]): Promise<void> {
  const results = await putRecords(api, ledger, records);
  expect(results.map((r) => r.status)).toEqual(records.map(() => 'created'));
  await bumpLedgerStamps([ledger]);
  for (const r of records) put(counting, ledger, r);
}

/** A change to a stored row (with its etag), then the bump. */
async function edit(ledger: LedgerName, record: LedgerRecord<LedgerName>): Promise<void> {
  const key = keyOf(ledger, record);
  const read = await api.call(getLedgerRowRoute, { params: { ledger, key } });
  const etag = (read.jsonBody as { etag: string }).etag;
  const res = await api.call(putLedgerRowsRoute, {
    params: { ledger },
    body: { rows: [{ ...toWire(ledger, record), etag }] },
    user: CLERK,
  });
  expect((res.jsonBody as { results: { status: string }[] }).results[0]?.status).toBe('updated');
  await bumpLedgerStamps([ledger]);
  put(counting, ledger, record);
}

/** Approvals bump no ledger stamp here: the figures generation, which the projection replaces, covers them. */
async function approve(ledger: LedgerName, records: LedgerRecord<LedgerName>[]): Promise<void> {
  await approveKeys(
    api,
    ledger,
    records.map((r) => keyOf(ledger, r as Record<string, unknown>)),
  );
  for (const r of records) put(approved, ledger, r);
}

/**
 * Rejects a row's latest version through the API (the version seen, with a reason), then bumps the stamp as the
 * rejection path is to do; the version counting again is the approved one (or none).
 */
async function reject(ledger: LedgerName, key: string): Promise<void> {
  const read = await api.call(getLedgerRowRoute, { params: { ledger, key } });
  const etag = (read.jsonBody as { etag: string }).etag;
  const res = await api.call(rejectLedgerRowsRoute, {
    params: { ledger },
    body: { rows: [{ key, etag, reason: 'not like this' }] },
    user: REVIEWER,
  });
  expect((res.jsonBody as { results: { status: string }[] }).results[0]?.status).toBe('rejected');
  await bumpLedgerStamps([ledger]);
  const back = approved[ledger].find((r) => keyOf(ledger, r as Record<string, unknown>) === key);
  counting[ledger] = counting[ledger].filter((r) => keyOf(ledger, r as Record<string, unknown>) !== key);
  if (back !== undefined) counting[ledger].push(back);
}

const asData = (d: Record<LedgerName, LedgerRecord<LedgerName>[]>): LedgerData => d as unknown as LedgerData;

const QUERIES = (['region', 'salesperson', 'customer', 'none'] as const).flatMap((groupBy) =>
  (['month', 'quarter'] as const).map((period) => ({ period, groupBy, from: '2016-01-01', to: '2017-12-31' })),
);

async function stats(query: Record<string, string>): Promise<StatsRow[]> {
  const res = await api.call(statsRoute, { query });
  expect(res.status).toBe(200);
  return (res.jsonBody as { rows: StatsRow[] }).rows;
}

/**
 * Every statistics query with and without includePending equals shared/calc's (the provisional delta computed both
 * from unit reads and from an index scan), and receivables, the invoice check and contract performance too.
 */
async function expectFiguresExact(): Promise<void> {
  // As cached so far (a stale cache fails here); then recomputed through an index scan, then through unit reads.
  for (const [pass, scanAbove] of [undefined, 0, undefined].entries()) {
    if (pass > 0) clearCellCacheForTests();
    setScanAboveForTests(scanAbove);
    try {
      for (const q of QUERIES)
        expect(await stats({ ...q, includePending: 'true' })).toEqual(
          computeStatistics(asData(counting), q).map(statsWire),
        );
    } finally {
      setScanAboveForTests(undefined);
    }
  }
  for (const q of QUERIES) expect(await stats(q)).toEqual(computeStatistics(asData(approved), q).map(statsWire));
  for (const groupBy of ['customer', 'contract'] as const) {
    const res = await api.call(receivablesRoute, { query: { asOf: '2017-06-30', groupBy, includePending: 'true' } });
    expect((res.jsonBody as { rows: ReceivablesRow[] }).rows).toEqual(
      computeReceivables(asData(counting), { asOf: '2017-06-30', groupBy }).map(receivablesWire),
    );
  }
  const check = await api.call(invoiceCheckRoute, { body: { includePending: true } });
  expect((check.jsonBody as { findings: unknown }).findings).toEqual(
    JSON.parse(JSON.stringify(checkInvoices(asData(counting), {}))),
  );
  // With invoiceNos: every invoice ever written, and one that never was.
  const invoiceNos = ['I1', 'I2', 'I3', 'NOPE'];
  const some = await api.call(invoiceCheckRoute, { body: { includePending: true, invoiceNos } });
  const counted = new Set(counting.invoices.map((i) => (i as { invoiceNo: string }).invoiceNo));
  expect(some.jsonBody).toEqual({
    findings: JSON.parse(JSON.stringify(checkInvoices(asData(counting), { invoiceNos }))) as unknown,
    notFound: invoiceNos.filter((n) => !counted.has(n)),
  });
  for (const id of ['C1', 'C2', 'C3']) {
    const bundle = buildIndex(asData(counting)).bundles.get(id);
    const perf = bundle === undefined ? undefined : performanceOf(bundle);
    const res = await api.call(contractPerformanceRoute, {
      params: { contractId: id },
      query: { includePending: 'true' },
    });
    if (perf === undefined) expect(res.status).toBe(404);
    else expect(res.jsonBody).toEqual(performanceToWire(perf));
  }
}

it('equals shared/calc over the latest versions with no pending row, without stamps (nothing cached)', async () => {
  // The seeding's writes bumped their ledgers' stamps; a store written before stamps existed has none.
  const client = await tableClient('ledgerStamps');
  for (const ledger of (await readLedgerStamps()).keys()) await client.deleteEntity('stamp', ledger);
  expect((await readLedgerStamps()).size).toBe(0);
  await expectFiguresExact();
});

it('a PUT bumps its ledger stamp: cached provisional figures see the write at once', async () => {
  const QUERY = QUERIES[0] as (typeof QUERIES)[number];
  const q = { ...QUERY, includePending: 'true' };
  await bumpLedgerStamps(LEDGERS.map((l) => l.name));
  await stats(q);
  await stats(q);
  const reads = pendingReads.count;
  const before = (await readLedgerStamps()).get('payments');
  const next = payment('P7', 'C1', '2017-06-01', '4.00');
  expect((await putRecords(api, 'payments', [next]))[0]?.status).toBe('created');
  expect((await readLedgerStamps()).get('payments')).not.toBe(before);
  put(counting, 'payments', next);
  expect(await stats(q)).toEqual(computeStatistics(asData(counting), QUERY).map(statsWire));
  expect(pendingReads.count).toBe(reads + 1);
});

it('after pending writes: new rows, new contracts, new expenses', async () => {
  await write('contracts', [contract('C3', { signedOn: '2017-01-10', salespersonId: 'S2', region: 'West' })]);
  await write('orderLines', [orderLine('C3', 1, 'A', 3, '99.99'), orderLine('C1', 2, 'B', 5, '1.05')]);
  await write('deliveries', [
    delivery('D3', 'C3', 'A', 3, '2017-01-20'),
    delivery('D4', 'C1', 'A', 1, '2016-12-20', 'return'),
  ]);
  await write('invoices', [invoice('I3', 'C3', '2017-02-01')]);
  await write('invoiceLines', [invoiceLine('I3', 1, 'A', 4, '99.99'), invoiceLine('I1', 2, 'A', 1, '10.00')]);
  await write('payments', [payment('P2', 'C3', '2017-02-20', '100.00'), payment('P3', 'C2', '2017-01-05', '30.00')]);
  await write('expenses', [expense('E3', 'S2', '2017-01-04', '8.88')]);
  await expectFiguresExact();
});

it('after a pending change to approved rows (price, region, contract moves)', async () => {
  await edit('orderLines', orderLine('C1', 1, 'A', 10, '12.34'));
  await edit(
    'contracts',
    contract('C2', { signedOn: '2016-12-01', salespersonId: 'S1', region: 'North', customerId: 'K2' }),
  );
  await edit('payments', payment('P1', 'C2', '2016-12-02', '7.50'));
  await edit('invoices', invoice('I2', 'C1', '2016-12-15'));
  await edit('salespeople', salesperson('S2', 'South'));
  await edit('expenses', expense('E1', 'S2', '2016-11-04', '12.35'));
  await expectFiguresExact();
});

it('after approvals', async () => {
  await approve('orderLines', [orderLine('C1', 1, 'A', 10, '12.34')]);
  await approve('contracts', [contract('C3', { signedOn: '2017-01-10', salespersonId: 'S2', region: 'West' })]);
  await approve('payments', [payment('P1', 'C2', '2016-12-02', '7.50')]);
  await expectFiguresExact();
});

it('a rejected version does not count: the approved one stays in effect, and a new row rejected counts not at all', async () => {
  await reject('contracts', 'C2');
  await reject('invoices', 'I2');
  await reject('invoices', 'I3');
  await reject('deliveries', 'D3');
  await reject('expenses', 'E1');
  await expectFiguresExact();
  // The maker fixes a rejected change and writes it again: a new pending version, counted again.
  await edit('deliveries', delivery('D3', 'C3', 'A', 2, '2017-01-21'));
  await expectFiguresExact();
});

it('keeps the provisional figures while nothing changes, and recomputes after a write, an approval or a rejection', async () => {
  const q = { ...QUERIES[0], includePending: 'true' } as Record<string, string>;
  await stats(q);
  const computed = pendingCellComputations.count;
  const reads = pendingReads.count;
  const receivables = { asOf: '2017-06-30', groupBy: 'customer', includePending: 'true' };
  await api.call(receivablesRoute, { query: receivables });
  const provisional = provisionalComputations();
  // Repeated: the stamps are unchanged, so neither the pending rows nor the delta are read or computed again.
  for (let i = 0; i < 3; i++) {
    await stats(q);
    await api.call(receivablesRoute, { query: receivables });
  }
  expect(pendingCellComputations.count).toBe(computed);
  expect(pendingReads.count).toBe(reads);
  expect(provisionalComputations()).toBe(provisional);

  // A write of one ledger re-reads that ledger's pending rows only, and the figures move at once.
  await write('payments', [payment('P4', 'C1', '2017-03-01', '3.21')]);
  await stats(q);
  expect(pendingCellComputations.count).toBe(computed + 1);
  expect(pendingReads.count).toBe(reads + 1);
  await expectFiguresExact();
  await approve('payments', [payment('P4', 'C1', '2017-03-01', '3.21')]);
  await expectFiguresExact();
  await reject('orderLines', 'C1~2');
  await expectFiguresExact();
  // With the caches emptied (another instance): the same figures.
  clearApprovedCacheForTests();
  clearCellCacheForTests();
  await expectFiguresExact();
});

it('a ledger whose stamp was never written is read on every request (exact, uncached)', async () => {
  // Delete the payments stamp: the write path is then not known to bump it.
  const client = await tableClient('ledgerStamps');
  await client.deleteEntity('stamp', 'payments');
  const q = { ...QUERIES[0], includePending: 'true' } as Record<string, string>;
  await stats(q);
  const reads = pendingReads.count;
  const computed = pendingCellComputations.count;
  await stats(q);
  expect(pendingReads.count).toBe(reads + 1);
  expect(pendingCellComputations.count).toBe(computed + 1);
  // A write that bumps no stamp is seen at once.
  const results = await putRecords(api, 'payments', [payment('P5', 'C3', '2017-04-01', '1.00')]);
  expect(results[0]?.status).toBe('created');
  put(counting, 'payments', payment('P5', 'C3', '2017-04-01', '1.00'));
  await expectFiguresExact();
});

it('a write that bumps no stamp is seen once the cached pending rows are older than the maximum age', async () => {
  const QUERY = QUERIES[0] as (typeof QUERIES)[number];
  const q = { ...QUERY, includePending: 'true' };
  await bumpLedgerStamps(['payments']);
  await stats(q);
  const late = payment('P6', 'C1', '2017-05-01', '2.00');
  // The writer dies between its commit and its bump.
  const noBump = jest.spyOn(ledgerStamps, 'bumpLedgerStamps').mockResolvedValueOnce(undefined);
  try {
    expect((await putRecords(api, 'payments', [late]))[0]?.status).toBe('created');
    expect(noBump).toHaveBeenCalledTimes(1);
  } finally {
    noBump.mockRestore();
  }
  // Within the age: the cached rows (a writer that died before its bump leaves them stale).
  const before = computeStatistics(asData(counting), QUERY).map(statsWire);
  expect(await stats(q)).toEqual(before);
  put(counting, 'payments', late);
  setPendingMaxAgeForTests(1);
  try {
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await stats(q)).toEqual(computeStatistics(asData(counting), QUERY).map(statsWire));
  } finally {
    setPendingMaxAgeForTests(1e12);
  }
  await expectFiguresExact();
});
