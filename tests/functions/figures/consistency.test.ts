// Incremental projection vs rebuild and vs shared/calc: generated ledgers, random edits with concurrent approvals,
// and a crash between committing a unit and applying its delta.
import { ledgerData, type LedgerData } from '../../../shared/calc';
import { computeReceivables } from '../../../shared/calc/aging';
import { checkInvoices } from '../../../shared/calc/invoiceCheck';
import { contractPerformance } from '../../../shared/calc/performance';
import { computeStatistics } from '../../../shared/calc/statistics';
import { addDays } from '../../../shared/dates';
import type {
  Contract,
  CreditNote,
  Delivery,
  Expense,
  Invoice,
  InvoiceLine,
  OrderLine,
  Payment,
} from '../../../shared/ledgers';
import { setConfigForTests } from '../../../functions/src/config';
import { computeRollups } from '../../../functions/src/figures/cells';
import {
  drainUnappliedDeltas,
  dropNextRollupApplicationForTests,
  registerFigureProjection,
} from '../../../functions/src/figures/projection';
import { readApprovedWithVersions, rebuildFromLedgers } from '../../../functions/src/figures/rebuild';
import { contractPerformanceRoute } from '../../../functions/src/functions/contractPerformance';
import { invoiceCheckRoute } from '../../../functions/src/functions/invoiceCheck';
import { receivablesRoute } from '../../../functions/src/functions/receivables';
import { statsRoute } from '../../../functions/src/functions/stats';
import { readAllDayCells } from '../../../functions/src/store/rollupStore';
import { readRow } from '../../../functions/src/store/ledgerStore';
import { seeded, intIn } from '../../../bench/support';
import { ledgerApi, REVIEWER, type LedgerApi } from '../../support/ledgerApi';
import {
  approveKeys,
  cellKey,
  expectRollupsMatchRebuild,
  keysOf,
  putRecords,
  receivablesWire,
  REVIEWER2,
  statsWire,
  writeAndApprove,
} from './support';

jest.setTimeout(300_000);

let unregister: () => void;
beforeAll(() => (unregister = registerFigureProjection()));
afterAll(() => {
  unregister();
  setConfigForTests(undefined);
});

/** Valid ledgers (every enforced reference holds): ~10 rows per contract. */
function generate(contracts: number, seed: number): LedgerData {
  const random = seeded(seed);
  const regions = ['East', 'West', 'North', 'South'];
  const salespeople = Array.from({ length: 6 }, (_, i) => ({
    salespersonId: `S${i}`,
    name: `S${i}`,
    region: regions[i % 4] as string,
  }));
  const customers = Array.from({ length: 12 }, (_, i) => ({ customerId: `K${i}`, name: `K${i}`, region: 'East' }));
  const cs: Contract[] = [];
  const ol: OrderLine[] = [];
  const dl: Delivery[] = [];
  const inv: Invoice[] = [];
  const il: InvoiceLine[] = [];
  const pay: Payment[] = [];
  const exp: Expense[] = [];
  const cn: CreditNote[] = [];
  for (let c = 0; c < contracts; c++) {
    const contractId = `C${c}`;
    const sp = intIn(random, 0, 5);
    const signedOn = addDays('2015-01-01', intIn(random, 0, 700));
    cs.push({
      contractId,
      customerId: `K${intIn(random, 0, 11)}`,
      salespersonId: `S${sp}`,
      region: regions[intIn(random, 0, 3)] as string,
      signedOn,
      paymentTermsDays: 30,
      currency: 'EUR',
      status: c % 17 === 0 ? 'cancelled' : 'active',
    });
    const lines = intIn(random, 1, 3);
    for (let l = 1; l <= lines; l++)
      ol.push({
        contractId,
        lineNo: l,
        itemCode: `IT${intIn(random, 1, 3)}`,
        quantity: intIn(random, 1, 20),
        unitPrice: intIn(random, 1, 999_999),
      });
    const items = ol.filter((o) => o.contractId === contractId).map((o) => o.itemCode);
    for (let d = 0; d < 2; d++) {
      const base = {
        deliveryId: `${contractId}-D${d}`,
        contractId,
        itemCode: items[intIn(random, 0, items.length - 1)] as string,
        quantity: intIn(random, 1, 10),
        date: addDays(signedOn, intIn(random, 1, 90)),
      };
      dl.push(
        d === 1 && random() < 0.3
          ? { ...base, kind: 'return', returnReason: 'damaged' }
          : { ...base, kind: 'delivery' },
      );
    }
    const invoiceNo = `${contractId}-I`;
    const issuedOn = addDays(signedOn, intIn(random, 10, 120));
    inv.push({ invoiceNo, contractId, issuedOn });
    // Credit notes on every fourth contract's invoice, some beyond the invoice's amount (unapplied money).
    if (c % 4 === 1)
      cn.push({
        creditNoteNo: `${contractId}-CN`,
        contractId,
        invoiceNo,
        issuedOn: addDays(issuedOn, intIn(random, 0, 90)),
        amount: intIn(random, 1, 3_000_000),
        creditReason: 'price reduction',
      });
    for (let l = 1; l <= 2; l++)
      il.push({
        invoiceNo,
        lineNo: l,
        itemCode: random() < 0.1 ? 'ZZ' : (items[0] as string),
        quantity: intIn(random, 1, 12),
        unitPrice: intIn(random, 1, 999_999),
      });
    pay.push({
      paymentId: `${contractId}-P`,
      contractId,
      invoiceNo,
      receivedOn: addDays(signedOn, intIn(random, 20, 200)),
      amount: intIn(random, 100, 5_000_000),
    });
    if (c % 3 === 0)
      exp.push({
        expenseId: `${contractId}-E`,
        salespersonId: `S${sp}`,
        category: 'travel',
        incurredOn: addDays(signedOn, 3),
        amount: intIn(random, 100, 90_000),
      });
  }
  return {
    ...ledgerData(),
    customers,
    salespeople,
    contracts: cs,
    orderLines: ol,
    deliveries: dl,
    invoices: inv,
    invoiceLines: il,
    payments: pay,
    expenses: exp,
    creditNotes: cn,
    reminderTerms: [],
    reminderLevels: [],
    reminders: [],
    reminderLines: [],
  };
}

describe('generated ledgers of a few thousand rows', () => {
  let api: LedgerApi;
  let approved: LedgerData;
  beforeAll(async () => {
    api = ledgerApi();
    approved = await writeAndApprove(api, generate(300, 11));
  });

  it('the endpoints equal shared/calc over the same approved rows, to the cent', async () => {
    let rowCount = 0;
    for (const list of Object.values(approved) as unknown[][]) rowCount += list.length;
    expect(rowCount).toBeGreaterThan(2500);
    expect(approved.creditNotes).toHaveLength(75);
    for (const groupBy of ['region', 'salesperson', 'customer', 'none'] as const)
      for (const [period, from, to] of [
        ['quarter', '2015-01-01', '2017-12-31'],
        ['month', '2015-03-17', '2016-08-09'],
        ['year', '2015-02-02', '2015-02-27'],
      ] as const) {
        const res = await api.call(statsRoute, { query: { period, from, to, groupBy } });
        expect(res.jsonBody).toEqual({
          rows: computeStatistics(approved, { period, from, to, groupBy }).map(statsWire),
        });
      }
    for (const groupBy of ['customer', 'contract', 'region', 'salesperson'] as const) {
      const res = await api.call(receivablesRoute, { query: { asOf: '2016-06-30', groupBy } });
      expect(res.jsonBody).toEqual({
        asOf: '2016-06-30',
        rows: computeReceivables(approved, { asOf: '2016-06-30', groupBy }).map(receivablesWire),
      });
    }
    const all = await api.call(invoiceCheckRoute, { body: { priceTolerancePct: 1.5 } });
    expect((all.jsonBody as { findings: unknown[] }).findings).toEqual(
      checkInvoices(approved, { priceTolerancePct: 1.5 }),
    );
    const some = ['C3-I', 'C40-I', 'C41-I'];
    const picked = await api.call(invoiceCheckRoute, { body: { invoiceNos: some } });
    expect(picked.jsonBody).toEqual({ findings: checkInvoices(approved, { invoiceNos: some }), notFound: [] });
    const perf = await api.call(contractPerformanceRoute, { params: { contractId: 'C7' } });
    expect((perf.jsonBody as { totals: unknown }).totals).toBeDefined();
    expect(contractPerformance(approved, 'C7')?.lines.length).toBe(
      (perf.jsonBody as { lines: unknown[] }).lines.length,
    );
    await expectRollupsMatchRebuild();
  });
});

describe('random edits and concurrent approvals', () => {
  it('leave rollups equal to a rebuild, to the cent; a dropped rollup application is repaired by the drain', async () => {
    const api = ledgerApi();
    const base = generate(8, 5);
    await writeAndApprove(api, base);
    const random = seeded(99);
    for (let round = 0; round < 4; round++) {
      // Clerk edits: price changes of order lines, new deliveries of those items, invoices moved between contracts,
      // expenses moved between salespeople, a salesperson changing region.
      const c = intIn(random, 0, 7);
      const line = base.orderLines.find((l) => l.contractId === `C${c}`) as OrderLine;
      const stored = await readRow('orderLines', `C${c}~${line.lineNo}`);
      const newLine = { ...line, unitPrice: intIn(random, 1, 999_999) };
      const delivery: Delivery = {
        deliveryId: `R${round}`,
        contractId: `C${c}`,
        itemCode: line.itemCode,
        quantity: intIn(random, 1, 9),
        kind: 'delivery',
        date: addDays('2015-06-01', intIn(random, 0, 500)),
      };
      const moved = await readRow('invoices', `C${(c + 1) % 8}-I`);
      const sp = await readRow('salespeople', `S${round % 6}`);
      const exp = base.expenses[round % base.expenses.length] as Expense;
      const storedExp = await readRow('expenses', exp.expenseId);
      await putRecords(api, 'orderLines', [{ ...newLine, etag: stored?.etag } as never]);
      await putRecords(api, 'deliveries', [delivery]);
      await putRecords(api, 'invoices', [
        { ...(moved?.latest as Invoice), contractId: `C${c}`, etag: moved?.etag } as never,
      ]);
      await putRecords(api, 'salespeople', [{ ...sp?.latest, region: `R${round}`, etag: sp?.etag } as never]);
      await putRecords(api, 'expenses', [
        { ...storedExp?.latest, salespersonId: `S${(round + 1) % 6}`, etag: storedExp?.etag } as never,
      ]);
      // A credit note on that invoice, under the contract it is filed under now, issued on any day (so in any
      // month's invoiced).
      const credited = await readRow('invoices', `C${(c + 1) % 8}-I`);
      const credit: CreditNote = {
        creditNoteNo: `CN${round}`,
        contractId: credited?.latest.contractId ?? '',
        invoiceNo: `C${(c + 1) % 8}-I`,
        issuedOn: addDays('2015-06-01', intIn(random, 0, 700)),
        amount: intIn(random, 1, 2_000_000),
        creditReason: 'goodwill',
      };
      const [written] = await putRecords(api, 'creditNotes', [credit]);
      expect([written?.key, written?.status, written?.errors]).toEqual([credit.creditNoteNo, 'created', undefined]);
      await putRecords(api, 'invoiceLines', [
        {
          invoiceNo: `C${(c + 1) % 8}-I`,
          lineNo: 3 + round,
          itemCode: line.itemCode,
          quantity: 1,
          unitPrice: 12345,
        },
      ]);
      // Two reviewers at once, on rows of the same contracts.
      await Promise.all([
        approveKeys(api, 'orderLines', keysOf('orderLines', [newLine]), REVIEWER),
        approveKeys(api, 'deliveries', [delivery.deliveryId], REVIEWER2),
        approveKeys(api, 'invoices', [`C${(c + 1) % 8}-I`], REVIEWER),
        approveKeys(api, 'invoiceLines', [`C${(c + 1) % 8}-I~${3 + round}`], REVIEWER2),
        approveKeys(api, 'salespeople', [`S${round % 6}`], REVIEWER2),
        approveKeys(api, 'expenses', [exp.expenseId], REVIEWER),
        approveKeys(api, 'creditNotes', [credit.creditNoteNo], REVIEWER2),
      ]);
      if (round === 2) {
        // A crash between committing the unit and applying its delta: simulated by dropping that application once.
        await putRecords(api, 'deliveries', [{ ...delivery, deliveryId: 'CRASH' }]);
        dropNextRollupApplicationForTests();
        await approveKeys(api, 'deliveries', ['CRASH']);
        // The dropped application leaves the rollups behind the index, until the drain applies the delta.
        const { data } = await readApprovedWithVersions();
        const want = Object.fromEntries(computeRollups(data).map((c) => [cellKey(c), c.v]));
        const got = Object.fromEntries((await readAllDayCells()).map((c) => [cellKey(c), c.v]));
        expect(got).not.toEqual(want);
        expect(await drainUnappliedDeltas()).toBe(1);
        expect(await drainUnappliedDeltas()).toBe(0);
      }
      await expectRollupsMatchRebuild();
    }
    // The rebuild itself reproduces what the increments built, and the endpoints agree with it.
    const before = await api.call(statsRoute, {
      query: { period: 'month', from: '2015-01-01', to: '2017-12-31', groupBy: 'region' },
    });
    await rebuildFromLedgers();
    await expectRollupsMatchRebuild();
    const after = await api.call(statsRoute, {
      query: { period: 'month', from: '2015-01-01', to: '2017-12-31', groupBy: 'region' },
    });
    expect(after.jsonBody).toEqual(before.jsonBody);
  });
});
