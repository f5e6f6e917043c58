// PUT /api/ledgers/{ledger}: reference checks read in batches (order lines by contract ranges, with the sparse
// fallback; stored deliveries by OR filters or one scan), and the return rule: a return may not exceed what was
// delivered of its item on its contract up to its date, net of the returns dated up to then.
import { setConfigForTests } from '../../../functions/src/config';
import { SCAN_RETURN_CONTRACTS_ABOVE } from '../../../functions/src/services/putRows';
import * as ledgerStore from '../../../functions/src/store/ledgerStore';
import { readHistory } from '../../../functions/src/store/ledgerStore';
import type { RowResult } from '../../../shared/api';
import { ledgerApi, type LedgerApi } from '../../support/ledgerApi';
import { getRow, put, seedParents } from '../../support/ledgerFixtures';

let api: LedgerApi;

beforeAll(async () => {
  api = ledgerApi();
  await seedParents(api);
});
afterAll(() => setConfigForTests(undefined));

const statuses = (results: RowResult[]): [string | null, string][] => results.map((r) => [r.key, r.status]);

function ok(results: RowResult[]): void {
  const bad = results.filter((r) => r.status !== 'created');
  if (bad.length > 0) throw new Error(`seed failed: ${JSON.stringify(bad)}`);
}

/** Contracts with one order line per item code. */
async function contractsWithItems(ids: string[], items: string[]): Promise<void> {
  ok(
    await put(
      api,
      'contracts',
      ids.map((contractId) => ({
        contractId,
        customerId: 'CU1',
        salespersonId: 'SP1',
        region: 'East',
        signedOn: '2016-01-04',
      })),
    ),
  );
  ok(
    await put(
      api,
      'orderLines',
      ids.flatMap((contractId) =>
        items.map((itemCode, i) => ({ contractId, lineNo: i + 1, itemCode, quantity: 100, unitPrice: '1.00' })),
      ),
    ),
  );
}

const delivery = (deliveryId: string, contractId: string, itemCode: string, quantity: number, date: string) => ({
  deliveryId,
  contractId,
  itemCode,
  quantity,
  date,
});
const ret = (deliveryId: string, contractId: string, itemCode: string, quantity: number, date: string) => ({
  ...delivery(deliveryId, contractId, itemCode, quantity, date),
  kind: 'return',
  returnReason: 'damaged',
});

describe('item on the contract, read in batches', () => {
  it('checks every row of a request naming many contracts (several ranges) and stores only the valid ones', async () => {
    const ids = Array.from({ length: 1_100 }, (_, i) => `RNG-${String(i).padStart(4, '0')}`);
    await contractsWithItems(ids, ['A', 'B']);
    const rows = ids.map((id, i) =>
      delivery(`RNG-D${i}`, id, i % 100 === 7 ? 'C' : i % 2 ? 'A' : 'B', 1, '2016-02-01'),
    );
    const results = await put(api, 'deliveries', rows);
    const invalid = results.filter((r) => r.status === 'invalid');
    expect(invalid.map((r) => r.key)).toEqual(ids.flatMap((_, i) => (i % 100 === 7 ? [`RNG-D${i}`] : [])));
    expect(invalid[0]?.errors).toEqual([
      { field: 'itemCode', message: 'C is not on an order line of contract RNG-0007' },
    ]);
    expect(results.filter((r) => r.status === 'created')).toHaveLength(1_089);
    expect(await getRow(api, 'deliveries', 'RNG-D7')).toBeUndefined();
    expect((await getRow(api, 'deliveries', 'RNG-D1099'))?.itemCode).toBe('A');
  });

  it('reads the contracts a sparse range does not reach one by one, and still finds their items', async () => {
    // 2,100 order lines of SPARSE-M lie between SPARSE-A and SPARSE-Z: more than the range's page budget.
    await contractsWithItems(['SPARSE-A', 'SPARSE-M', 'SPARSE-Z'], ['A']);
    ok(
      await put(
        api,
        'orderLines',
        Array.from({ length: 2_100 }, (_, i) => ({
          contractId: 'SPARSE-M',
          lineNo: i + 2,
          itemCode: `M${i}`,
          quantity: 1,
          unitPrice: '1.00',
        })),
      ),
    );
    const results = await put(api, 'deliveries', [
      delivery('SP-D1', 'SPARSE-A', 'A', 1, '2016-02-01'),
      delivery('SP-D2', 'SPARSE-Z', 'A', 1, '2016-02-01'),
      delivery('SP-D3', 'SPARSE-Z', 'M5', 1, '2016-02-01'),
      // SPARSE-M's last line lies beyond the pages the range read: its partition is read again, whole.
      delivery('SP-D4', 'SPARSE-M', 'M2099', 1, '2016-02-01'),
    ]);
    expect(statuses(results)).toEqual([
      ['SP-D1', 'created'],
      ['SP-D2', 'created'],
      ['SP-D3', 'invalid'],
      ['SP-D4', 'created'],
    ]);
    expect(results[2]?.errors?.[0]?.field).toBe('itemCode');
  });

  it('tells a missing contract from a contract without the item', async () => {
    await contractsWithItems(['NOLINES'], []);
    const results = await put(api, 'deliveries', [
      delivery('NL-D1', 'NOLINES', 'A', 1, '2016-02-01'),
      delivery('NL-D2', 'NO-SUCH-CONTRACT', 'A', 1, '2016-02-01'),
    ]);
    expect(results.map((r) => [r.status, r.errors?.[0]?.field])).toEqual([
      ['invalid', 'itemCode'],
      ['invalid', 'contractId'],
    ]);
    expect(results[1]?.errors?.[0]?.message).toMatch(/NO-SUCH-CONTRACT does not exist in contracts/);
  });
});

describe('a return may not exceed what was delivered of its item on its contract up to its date', () => {
  it('refuses a return of 50 with nothing delivered, naming the delivered amount, and stores nothing', async () => {
    const [r] = await put(api, 'deliveries', [ret('R0-1', 'K1', 'ITEM-A', 50, '2016-11-20')]);
    expect(r).toEqual({
      key: 'R0-1',
      status: 'invalid',
      errors: [
        {
          field: 'quantity',
          message:
            '50 exceeds what can be returned of ITEM-A on contract K1 on 2016-11-20: 0 delivered, ' +
            '0 returned already, at most 0 can be returned',
        },
      ],
    });
    expect(await getRow(api, 'deliveries', 'R0-1')).toBeUndefined();
    expect(await readHistory('deliveries', 'R0-1')).toEqual([]);
  });

  it('counts deliveries up to and including the return date, net of earlier returns', async () => {
    await contractsWithItems(['RK1'], ['A', 'B']);
    ok(
      await put(api, 'deliveries', [
        delivery('RK1-D1', 'RK1', 'A', 10, '2016-03-10'),
        delivery('RK1-D2', 'RK1', 'A', 5, '2016-03-20'), // after the returns below: does not count for them
        delivery('RK1-D3', 'RK1', 'B', 30, '2016-03-01'), // another item
      ]),
    );
    const first = await put(api, 'deliveries', [
      ret('RK1-R1', 'RK1', 'A', 4, '2016-03-10'), // same day as the delivery: counts
      ret('RK1-R2', 'RK1', 'A', 7, '2016-03-15'),
    ]);
    expect(statuses(first)).toEqual([
      ['RK1-R1', 'created'],
      ['RK1-R2', 'invalid'],
    ]);
    expect(first[1]?.errors).toEqual([
      {
        field: 'quantity',
        message:
          '7 exceeds what can be returned of A on contract RK1 on 2016-03-15: 10 delivered, ' +
          '4 returned already, at most 6 can be returned',
      },
    ]);
    const second = await put(api, 'deliveries', [
      ret('RK1-R3', 'RK1', 'A', 6, '2016-03-15'),
      ret('RK1-R4', 'RK1', 'A', 5, '2016-03-20'), // the delivery of 03-20 counts now
      ret('RK1-R5', 'RK1', 'A', 1, '2016-03-21'), // nothing left
    ]);
    expect(statuses(second)).toEqual([
      ['RK1-R3', 'created'],
      ['RK1-R4', 'created'],
      ['RK1-R5', 'invalid'],
    ]);
    expect(second[2]?.errors?.[0]?.message).toMatch(/15 delivered, 15 returned already, at most 0/);
    expect(await getRow(api, 'deliveries', 'RK1-R5')).toBeUndefined();
  });

  it("counts the request's own deliveries whatever their place in the request, and its returns in date order", async () => {
    await contractsWithItems(['RK2'], ['A']);
    const results = await put(api, 'deliveries', [
      ret('RK2-R1', 'RK2', 'A', 6, '2016-05-20'),
      ret('RK2-R2', 'RK2', 'A', 6, '2016-05-10'),
      delivery('RK2-D1', 'RK2', 'A', 10, '2016-05-01'),
    ]);
    // In date order: 05-10 takes 6 of 10, then 05-20 would take 12.
    expect(statuses(results)).toEqual([
      ['RK2-R1', 'invalid'],
      ['RK2-R2', 'created'],
      ['RK2-D1', 'created'],
    ]);
    expect(results[0]?.errors?.[0]?.message).toMatch(/10 delivered, 6 returned already, at most 4/);
  });

  it('refuses a return that would leave a later stored return exceeding what was delivered', async () => {
    await contractsWithItems(['RK3'], ['A']);
    ok(await put(api, 'deliveries', [delivery('RK3-D1', 'RK3', 'A', 10, '2016-06-01')]));
    ok(await put(api, 'deliveries', [ret('RK3-R1', 'RK3', 'A', 8, '2016-06-20')]));
    const [late, small] = await put(api, 'deliveries', [
      ret('RK3-R2', 'RK3', 'A', 5, '2016-06-10'),
      ret('RK3-R3', 'RK3', 'A', 2, '2016-06-10'),
    ]);
    expect(late).toMatchObject({
      status: 'invalid',
      errors: [
        {
          field: 'quantity',
          message:
            '5 would bring the returns of A on contract RK3 to 13 by 2016-06-20, against 10 delivered up to then',
        },
      ],
    });
    expect(small?.status).toBe('created');
  });

  it('does not count a delivery of the request that was not stored (a conflict)', async () => {
    await contractsWithItems(['RK4'], ['A']);
    ok(await put(api, 'deliveries', [delivery('RK4-D1', 'RK4', 'A', 2, '2016-07-01')]));
    const results = await put(api, 'deliveries', [
      delivery('RK4-D1', 'RK4', 'A', 10, '2016-07-01'), // no etag: conflict, 2 stay delivered
      ret('RK4-R1', 'RK4', 'A', 5, '2016-07-05'),
    ]);
    expect(statuses(results)).toEqual([
      ['RK4-D1', 'conflict'],
      ['RK4-R1', 'invalid'],
    ]);
    expect(results[1]?.errors?.[0]?.message).toMatch(/2 delivered, 0 returned already, at most 2/);
  });

  it('counts an edited return at its new version only, and lets a return keep its quantity when its reason changes', async () => {
    await contractsWithItems(['RK5'], ['A']);
    ok(await put(api, 'deliveries', [delivery('RK5-D1', 'RK5', 'A', 10, '2016-08-01')]));
    const [created] = await put(api, 'deliveries', [ret('RK5-R1', 'RK5', 'A', 8, '2016-08-05')]);
    const [up] = await put(api, 'deliveries', [
      { ...ret('RK5-R1', 'RK5', 'A', 10, '2016-08-05'), etag: created?.etag },
    ]);
    expect(up?.status).toBe('updated');
    const [over] = await put(api, 'deliveries', [{ ...ret('RK5-R1', 'RK5', 'A', 11, '2016-08-05'), etag: up?.etag }]);
    expect(over).toMatchObject({ status: 'invalid', errors: [{ field: 'quantity' }] });
    const [reason] = await put(api, 'deliveries', [
      { ...ret('RK5-R1', 'RK5', 'A', 10, '2016-08-05'), returnReason: 'wrong colour', etag: up?.etag },
    ]);
    expect(reason?.status).toBe('updated');
    expect(await getRow(api, 'deliveries', 'RK5-R1')).toMatchObject({ quantity: 10, returnReason: 'wrong colour' });
  });

  it('counts a delivery turned into a return at its new version only, from its own day on', async () => {
    await contractsWithItems(['RK6'], ['A']);
    const [, d2] = await put(api, 'deliveries', [
      delivery('RK6-D1', 'RK6', 'A', 10, '2016-10-01'),
      delivery('RK6-D2', 'RK6', 'A', 5, '2016-10-05'),
    ]);
    ok(await put(api, 'deliveries', [ret('RK6-R1', 'RK6', 'A', 12, '2016-10-10')]));
    const [turned] = await put(api, 'deliveries', [{ ...ret('RK6-D2', 'RK6', 'A', 5, '2016-10-05'), etag: d2?.etag }]);
    expect(turned).toMatchObject({
      status: 'invalid',
      errors: [
        {
          field: 'quantity',
          message:
            '5 would bring the returns of A on contract RK6 to 17 by 2016-10-10, against 10 delivered up to then',
        },
      ],
    });
    expect(await getRow(api, 'deliveries', 'RK6-D2')).toMatchObject({ kind: 'delivery', etag: d2?.etag });
  });

  it.each([
    ['OR filters', 20, false],
    ['one scan of the table', SCAN_RETURN_CONTRACTS_ABOVE + 1, true],
  ])('checks the returns of many contracts at once (%s)', async (_how, count, scan) => {
    const ids = Array.from({ length: count }, (_, i) => `RM${count}-${i}`);
    await contractsWithItems(ids, ['A']);
    ok(
      await put(
        api,
        'deliveries',
        ids.map((id) => delivery(`${id}-D`, id, 'A', 3, '2016-09-01')),
      ),
    );
    const reads = jest.spyOn(ledgerStore, 'forEachRowPage');
    let results: RowResult[];
    let filters: string[];
    try {
      results = await put(
        api,
        'deliveries',
        ids.map((id, i) => ret(`${id}-R`, id, 'A', i % 2 ? 3 : 4, '2016-09-02')),
      );
      filters = reads.mock.calls.filter(([ledger]) => ledger === 'deliveries').map(([, filter]) => filter);
    } finally {
      reads.mockRestore();
    }
    // The stored deliveries were read the way the case names: one scan (no filter) or OR filters on contractId.
    expect(filters.length).toBeGreaterThan(0);
    for (const filter of filters) {
      if (scan) expect(filter).toBe('');
      else expect(filter).toMatch(/^\(contractId eq '.*' or contractId eq '.*'\)$/);
    }
    expect(results.map((r) => r.status)).toEqual(ids.map((_, i) => (i % 2 ? 'created' : 'invalid')));
    expect(results[0]?.errors?.[0]?.message).toMatch(/3 delivered, 0 returned already, at most 3/);
  });
});
