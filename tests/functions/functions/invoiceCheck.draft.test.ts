// Tests POST /api/checks/invoices with a draft (issue 18): unpublished invoices and lines checked in place of the
// stored rows with the same keys, with the contract's stored history around them, and nothing written.
import type { LedgerName } from '../../../shared/ledgers';
import { setConfigForTests } from '../../../functions/src/config';
import { registerFigureProjection } from '../../../functions/src/figures/projection';
import { approveLedgerRowsRoute } from '../../../functions/src/functions/approveLedgerRows';
import { invoiceCheckRoute } from '../../../functions/src/functions/invoiceCheck';
import { ledgerApi, REVIEWER, type LedgerApi } from '../../support/ledgerApi';
import { approveSeededParents, getRow, put, seedParents } from '../../support/ledgerFixtures';
import { seenNow } from '../../support/seen';

let api: LedgerApi;
let unregister: () => void;

beforeAll(async () => {
  api = ledgerApi();
  unregister = registerFigureProjection();
  await seedParents(api); // K1 orders 3 of ITEM-A at 10.50 and 1 of ITEM-B; nothing delivered
  await approveSeededParents(api);
  const approve = async (ledger: LedgerName, keys: string[]) =>
    api.call(approveLedgerRowsRoute, {
      params: { ledger },
      body: { rows: await seenNow(ledger, keys) },
      user: REVIEWER,
    });
  await approve('orderLines', ['K1~1', 'K1~2']);
  await put(api, 'invoices', [{ invoiceNo: 'V1', contractId: 'K1', issuedOn: '2016-11-10' }]);
  await put(api, 'invoiceLines', [{ invoiceNo: 'V1', lineNo: 1, itemCode: 'ITEM-A', quantity: 2, unitPrice: '10.50' }]);
  await approve('invoices', ['V1']);
  await approve('invoiceLines', ['V1~1']);
});
afterAll(() => {
  unregister();
  setConfigForTests(undefined);
});

const check = async (body: unknown) => {
  const res = await api.call(invoiceCheckRoute, { body });
  return { status: res.status, body: res.jsonBody as { findings: unknown[]; notFound?: string[]; error?: unknown } };
};

it('checks a new invoice of the draft after the stored ones, and writes nothing', async () => {
  const res = await check({
    invoiceNos: ['V2'],
    draft: {
      invoices: [{ invoiceNo: 'V2', contractId: 'K1', issuedOn: '2016-11-12' }],
      invoiceLines: [{ invoiceNo: 'V2', lineNo: 1, itemCode: 'ITEM-A', quantity: 2, unitPrice: '10.50' }],
    },
  });
  expect(res.status).toBe(200);
  // V1's 2 and V2's 2 make 4 of ITEM-A against 3 ordered; none delivered.
  expect(res.body).toEqual({
    findings: [
      { invoiceNo: 'V2', lineNo: 1, itemCode: 'ITEM-A', code: 'QTY_EXCEEDS_DELIVERED', expected: 0, actual: 4 },
      { invoiceNo: 'V2', lineNo: 1, itemCode: 'ITEM-A', code: 'QTY_EXCEEDS_ORDERED', expected: 3, actual: 4 },
    ],
    notFound: [],
  });
  expect(await getRow(api, 'invoices', 'V2')).toBeUndefined();
  // Without the draft, V2 does not exist.
  expect((await check({ invoiceNos: ['V2'] })).body).toEqual({ findings: [], notFound: ['V2'] });
});

it("replaces a stored line by the draft's line with the same key", async () => {
  const stored = await check({ invoiceNos: ['V1'] });
  expect((stored.body.findings as { code: string }[]).map((f) => f.code)).toEqual(['QTY_EXCEEDS_DELIVERED']);
  const res = await check({
    invoiceNos: ['V1'],
    draft: { invoiceLines: [{ invoiceNo: 'V1', lineNo: 1, itemCode: 'ITEM-A', quantity: 2, unitPrice: '11.00' }] },
  });
  expect(res.body.findings).toEqual([
    { invoiceNo: 'V1', lineNo: 1, itemCode: 'ITEM-A', code: 'PRICE_MISMATCH', expected: '10.50', actual: '11.00' },
    { invoiceNo: 'V1', lineNo: 1, itemCode: 'ITEM-A', code: 'QTY_EXCEEDS_DELIVERED', expected: 0, actual: 2 },
  ]);
});
