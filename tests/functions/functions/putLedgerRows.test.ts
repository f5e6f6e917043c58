// Tests for PUT /api/ledgers/{ledger} (functions/src/functions/putLedgerRows.ts) against the run's Azurite.
import { putLedgerRowsRoute } from '../../../functions/src/functions/putLedgerRows';
import { setConfigForTests } from '../../../functions/src/config';
import { readHistory, readRow } from '../../../functions/src/store/ledgerStore';
import { ADMIN, CLERK, CLERK2, ledgerApi, REVIEWER, type LedgerApi } from '../../support/ledgerApi';
import { getRow, put, seedParents } from '../../support/ledgerFixtures';

let api: LedgerApi;

beforeAll(async () => {
  api = ledgerApi({ LEDGERDESK_DEFAULT_CURRENCY: 'USD' });
  await seedParents(api);
});
afterAll(() => setConfigForTests(undefined));

describe('row statuses', () => {
  it('creates a new row as a pending version, readable with its etag', async () => {
    const [r] = await put(api, 'customers', [{ customerId: 'N1', name: 'New', region: 'North', creditLimit: 1500 }]);
    expect(r).toMatchObject({ key: 'N1', status: 'created' });
    expect(r?.etag).toEqual(expect.any(String));
    const stored = await getRow(api, 'customers', 'N1');
    expect(stored).toMatchObject({
      customerId: 'N1',
      name: 'New',
      region: 'North',
      creditLimit: '1500.00',
      etag: r?.etag,
    });
    expect(stored?.approval).toMatchObject({
      status: 'pending',
      changedBy: CLERK.id,
      approvedBy: null,
      approvedAt: null,
    });
  });

  it('updates with the current etag, and the returned etag serves the next write', async () => {
    const [c] = await put(api, 'customers', [{ customerId: 'U1', name: 'One', region: 'East' }]);
    const [u1] = await put(api, 'customers', [{ customerId: 'U1', name: 'Two', region: 'East', etag: c?.etag }]);
    expect(u1).toMatchObject({ key: 'U1', status: 'updated' });
    expect(u1?.etag).not.toBe(c?.etag);
    const [u2] = await put(api, 'customers', [{ customerId: 'U1', name: 'Three', region: 'East', etag: u1?.etag }]);
    expect(u2?.status).toBe('updated');
    expect((await getRow(api, 'customers', 'U1'))?.name).toBe('Three');
  });

  it('says unchanged for identical values, with or without etag, and writes no version', async () => {
    const [c] = await put(api, 'customers', [{ customerId: 'S1', name: 'Same', region: 'East', creditLimit: '10.5' }]);
    const results = await put(api, 'customers', [
      { customerId: 'S1', name: 'Same', region: 'East', creditLimit: '10.50' },
    ]);
    expect(results).toEqual([{ key: 'S1', status: 'unchanged', etag: c?.etag }]);
    const [again] = await put(api, 'customers', [
      { customerId: 'S1', name: 'Same', region: 'East', creditLimit: 10.5, etag: 'W/"stale"' },
    ]);
    expect(again?.status).toBe('unchanged');
    expect(await readHistory('customers', 'S1')).toHaveLength(1);
  });

  it('reports a conflict with the stored row when the etag is missing or stale, and keeps the stored row', async () => {
    const [c] = await put(api, 'customers', [{ customerId: 'C1', name: 'Orig', region: 'East' }]);
    const [noEtag] = await put(api, 'customers', [{ customerId: 'C1', name: 'Other', region: 'East' }]);
    expect(noEtag).toMatchObject({
      key: 'C1',
      status: 'conflict',
      current: { customerId: 'C1', name: 'Orig', etag: c?.etag },
    });
    await put(api, 'customers', [{ customerId: 'C1', name: 'Newer', region: 'East', etag: c?.etag }]);
    const [stale] = await put(api, 'customers', [{ customerId: 'C1', name: 'Late', region: 'East', etag: c?.etag }]);
    expect(stale).toMatchObject({ status: 'conflict', current: { name: 'Newer' } });
    expect((await getRow(api, 'customers', 'C1'))?.name).toBe('Newer');
  });

  it('accepts a row as read (etag and approval travel back) without counting them as fields', async () => {
    await put(api, 'customers', [{ customerId: 'RT1', name: 'Round', region: 'East' }]);
    const read = await getRow(api, 'customers', 'RT1');
    const [r] = await put(api, 'customers', [{ ...read, name: 'Trip' }]);
    expect(r?.status).toBe('updated');
  });

  it('stores valid rows beside invalid ones, answering in request order', async () => {
    const results = await put(api, 'customers', [
      { customerId: 'M1', name: 'Fine', region: 'East' },
      { customerId: 'M2', region: 'East' },
      { customerId: 'M3', name: 'Also fine', region: 'West' },
    ]);
    expect(results.map((r) => [r.key, r.status])).toEqual([
      ['M1', 'created'],
      ['M2', 'invalid'],
      ['M3', 'created'],
    ]);
    expect(await getRow(api, 'customers', 'M1')).toBeDefined();
    expect(await getRow(api, 'customers', 'M2')).toBeUndefined();
    expect(await getRow(api, 'customers', 'M3')).toBeDefined();
  });

  it('writes many rows across partitions and transactions (over 100 entities per partition)', async () => {
    const rows = Array.from({ length: 900 }, (_, i) => ({
      customerId: `BULK-${String(i).padStart(4, '0')}`,
      name: `Customer ${i}`,
      region: i % 2 ? 'East' : 'West',
    }));
    const results = await put(api, 'customers', rows);
    expect(results.filter((r) => r.status === 'created')).toHaveLength(900);
    expect(results[899]?.key).toBe('BULK-0899');
    expect((await getRow(api, 'customers', 'BULK-0456'))?.name).toBe('Customer 456');
  });

  it('re-publishing a sheet without etags: new rows created, identical ones unchanged, edited ones conflict', async () => {
    const first = Array.from({ length: 120 }, (_, i) => ({ customerId: `REPUB-${i}`, name: `N${i}`, region: 'East' }));
    expect((await put(api, 'customers', first)).every((r) => r.status === 'created')).toBe(true);
    // Same sheet again with every tenth row edited and 60 new rows: inserts fail for existing keys, are read and decided.
    const again = [
      ...first.map((r, i) => (i % 10 === 0 ? { ...r, name: 'edited' } : r)),
      ...Array.from({ length: 60 }, (_, i) => ({ customerId: `REPUB-NEW-${i}`, name: 'n', region: 'West' })),
    ];
    const results = await put(api, 'customers', again);
    const count = (status: string) => results.filter((r) => r.status === status).length;
    expect([count('created'), count('unchanged'), count('conflict')]).toEqual([60, 108, 12]);
    expect(results[10]).toMatchObject({ key: 'REPUB-10', status: 'conflict', current: { name: 'N10' } });
    expect(results[11]).toMatchObject({ key: 'REPUB-11', status: 'unchanged' });
    expect((await getRow(api, 'customers', 'REPUB-10'))?.name).toBe('N10');
    expect((await getRow(api, 'customers', 'REPUB-NEW-59'))?.region).toBe('West');
    expect(await readHistory('customers', 'REPUB-11')).toHaveLength(1);
  });

  it('in one partition, a stale row does not stop the others of its transaction', async () => {
    const created = await put(api, 'orderLines', [
      { contractId: 'K1', lineNo: 11, itemCode: 'X', quantity: 1, unitPrice: '1' },
      { contractId: 'K1', lineNo: 12, itemCode: 'X', quantity: 1, unitPrice: '1' },
      { contractId: 'K1', lineNo: 13, itemCode: 'X', quantity: 1, unitPrice: '1' },
    ]);
    // Someone else changes line 12 first: our etag for it is now stale, but the same-partition batch must not fail.
    await put(
      api,
      'orderLines',
      [{ contractId: 'K1', lineNo: 12, itemCode: 'X', quantity: 5, unitPrice: '1', etag: created[1]?.etag }],
      { user: CLERK2 },
    );
    const results = await put(
      api,
      'orderLines',
      created.map((c, i) => ({
        contractId: 'K1',
        lineNo: 11 + i,
        itemCode: 'X',
        quantity: 2,
        unitPrice: '1',
        etag: c.etag,
      })),
    );
    expect(results.map((r) => r.status)).toEqual(['updated', 'conflict', 'updated']);
    expect(results[1]?.current).toMatchObject({ quantity: 5 });
    expect((await getRow(api, 'orderLines', 'K1~12'))?.quantity).toBe(5);
    expect((await getRow(api, 'orderLines', 'K1~13'))?.quantity).toBe(2);
  });
});

describe('defaults filled from configuration and other rows', () => {
  it('gives a contract the configured currency and an invoice the due date from its contract terms', async () => {
    await put(api, 'contracts', [
      { contractId: 'K-CUR', customerId: 'CU2', salespersonId: 'SP1', region: 'West', signedOn: '2016-01-01' },
    ]);
    expect(await getRow(api, 'contracts', 'K-CUR')).toMatchObject({
      currency: 'USD',
      status: 'active',
      paymentTermsDays: 30,
    });
    const results = await put(api, 'invoices', [
      { invoiceNo: 'INV-1', contractId: 'K1', issuedOn: '2016-12-01' },
      { invoiceNo: 'INV-2', contractId: 'NO-SUCH-CONTRACT', issuedOn: '2016-12-01' },
      { invoiceNo: 'INV-3', contractId: 'K1', issuedOn: '2016-12-01', dueOn: '2016-12-05' },
    ]);
    expect(results.map((r) => r.status)).toEqual(['created', 'created', 'created']);
    expect((await getRow(api, 'invoices', 'INV-1'))?.dueOn).toBe('2017-01-15'); // + 45 days
    expect((await getRow(api, 'invoices', 'INV-2'))?.dueOn).toBe('2016-12-31'); // + 30 days
    expect((await getRow(api, 'invoices', 'INV-3'))?.dueOn).toBe('2016-12-05');
  });
});

describe('bad rows are invalid, name the field, and store nothing', () => {
  const longText = 'x'.repeat(32_001);
  const cases: [string, string, Record<string, unknown>, string, RegExp][] = [
    [
      'unknown field',
      'customers',
      { customerId: 'B-UNK', name: 'A', region: 'E', colour: 'red' },
      'colour',
      /not a field/,
    ],
    ['missing required field', 'customers', { customerId: 'B-MISS', region: 'E' }, 'name', /required/],
    ['wrong type', 'customers', { customerId: 'B-TYPE', name: 'A', region: 5 }, 'region', /text/],
    [
      'money with 3 decimals',
      'customers',
      { customerId: 'B-3DEC', name: 'A', region: 'E', creditLimit: '1.234' },
      'creditLimit',
      /decimals/,
    ],
    [
      'NaN as money',
      'customers',
      { customerId: 'B-NAN', name: 'A', region: 'E', creditLimit: 'NaN' },
      'creditLimit',
      /decimal/,
    ],
    [
      '1e3 as money',
      'customers',
      { customerId: 'B-EXP', name: 'A', region: 'E', creditLimit: '1e3' },
      'creditLimit',
      /exponent/,
    ],
    [
      'negative quantity',
      'orderLines',
      { contractId: 'K1', lineNo: 90, itemCode: 'I', quantity: -2, unitPrice: '1' },
      'quantity',
      /greater than 0/,
    ],
    [
      'impossible date',
      'contracts',
      { contractId: 'B-DATE', customerId: 'CU1', salespersonId: 'SP1', region: 'E', signedOn: '2016-02-30' },
      'signedOn',
      /date/,
    ],
    ['key with /', 'customers', { customerId: 'B/1', name: 'A', region: 'E' }, 'customerId', /must not contain/],
    ['key with \\', 'customers', { customerId: 'B\\1', name: 'A', region: 'E' }, 'customerId', /must not contain/],
    ['key with #', 'customers', { customerId: 'B#1', name: 'A', region: 'E' }, 'customerId', /must not contain/],
    ['key with ?', 'customers', { customerId: 'B?1', name: 'A', region: 'E' }, 'customerId', /must not contain/],
    [
      'key with a control character',
      'customers',
      { customerId: 'B\u00071', name: 'A', region: 'E' },
      'customerId',
      /control character/,
    ],
    [
      'key over 100 characters',
      'customers',
      { customerId: 'K'.repeat(101), name: 'A', region: 'E' },
      'customerId',
      /at most 100/,
    ],
    [
      'string over the limit',
      'customers',
      { customerId: 'B-LONG', name: longText, region: 'E' },
      'name',
      /at most 32000/,
    ],
    [
      'row over 1 MiB',
      'customers',
      { customerId: 'B-HUGE', name: 'A', region: 'E', segment: 'y'.repeat(1_100_000) },
      'segment',
      /1 MiB/,
    ],
    [
      'dangling reference',
      'contracts',
      { contractId: 'B-REF', customerId: 'NOBODY', salespersonId: 'SP1', region: 'E', signedOn: '2016-01-01' },
      'customerId',
      /does not exist in customers/,
    ],
    [
      'delivery item not on the contract',
      'deliveries',
      { deliveryId: 'B-ITEM', contractId: 'K1', itemCode: 'ITEM-Z', quantity: 1, date: '2016-12-01' },
      'itemCode',
      /not on an order line/,
    ],
    [
      'return without a reason',
      'deliveries',
      { deliveryId: 'B-RET', contractId: 'K1', itemCode: 'ITEM-A', quantity: 1, kind: 'return', date: '2016-12-01' },
      'returnReason',
      /required/,
    ],
    [
      'payment of an unknown invoice',
      'payments',
      { paymentId: 'B-PAY', contractId: 'K1', invoiceNo: 'NO-INV', receivedOn: '2016-12-01', amount: '5' },
      'invoiceNo',
      /does not exist/,
    ],
    ['bad etag type', 'customers', { customerId: 'B-ETAG', name: 'A', region: 'E', etag: 5 }, 'etag', /etag/],
  ];

  it.each(cases)('%s', async (_label, ledger, row, field, message) => {
    const results = await put(api, ledger, [row]);
    expect(results).toHaveLength(1);
    expect(results[0]?.status).toBe('invalid');
    expect(results[0]?.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field, message: expect.stringMatching(message) as string })]),
    );
    const key = results[0]?.key;
    // Keys Azure cannot store read as absent; every other key must not have been written.
    if (typeof key === 'string') expect(await readRow(ledger as 'customers', key)).toBeUndefined();
  });

  it('refuses every occurrence of a key sent twice, naming the key, and stores neither', async () => {
    const results = await put(api, 'customers', [
      { customerId: 'DUP', name: 'First', region: 'E' },
      { customerId: 'OTHER-OK', name: 'Fine', region: 'E' },
      { customerId: 'DUP', name: 'Second', region: 'E' },
    ]);
    expect(results.map((r) => r.status)).toEqual(['invalid', 'created', 'invalid']);
    expect(results[0]?.errors?.[0]).toMatchObject({
      field: 'customerId',
      message: expect.stringContaining('DUP') as string,
    });
    expect(await getRow(api, 'customers', 'DUP')).toBeUndefined();
  });

  it('refuses a row whose stored entity would exceed 1 MiB even though every field is within its limit', async () => {
    // Control characters take 6 characters each in JSON: the version kept in history outgrows Azure's entity limit.
    const text = '\u0001'.repeat(32_000);
    const [r] = await put(api, 'customers', [{ customerId: 'B-ENTITY', name: text, region: text, segment: text }]);
    expect(r?.status).toBe('invalid');
    expect(r?.errors?.[0]?.message).toMatch(/1 MiB|over Azure's limit/);
    expect(await readRow('customers', 'B-ENTITY')).toBeUndefined();
  });

  it('refuses a row that is not an object', async () => {
    const results = await put(api, 'customers', [42, null, ['a']]);
    expect(results.map((r) => [r.key, r.status])).toEqual([
      [null, 'invalid'],
      [null, 'invalid'],
      [null, 'invalid'],
    ]);
  });
});

describe('unusable requests', () => {
  const call = (ledger: string, rawBody: string, user = CLERK) =>
    api.call(putLedgerRowsRoute, { params: { ledger }, rawBody, user });

  it.each([
    ['not JSON', '{"rows": [', 'invalid_json'],
    ['an empty body', '', 'invalid_json'],
    ['rows missing', '{}', 'invalid'],
    ['rows not an array', '{"rows": {"customerId": "X"}}', 'invalid'],
    ['an extra top-level property', '{"rows": [], "dryRun": true}', 'invalid'],
  ])('answers 400 for %s', async (_label, body, code) => {
    const res = await call('customers', body);
    expect(res.status).toBe(400);
    expect(res.jsonBody).toMatchObject({ error: { code } });
    expect(JSON.stringify(res.jsonBody)).not.toMatch(/\n\s+at /);
  });

  it('answers 400 for more than 5,000 rows and stores none of them', async () => {
    const rows = Array.from({ length: 5001 }, (_, i) => ({ customerId: `OVER-${i}`, name: 'n', region: 'r' }));
    const res = await call('customers', JSON.stringify({ rows }));
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.jsonBody)).toMatch(/5000/);
    expect(await getRow(api, 'customers', 'OVER-0')).toBeUndefined();
  });

  it('answers 404 for an unknown ledger', async () => {
    const res = await call('widgets', '{"rows":[]}');
    expect(res.status).toBe(404);
    expect(res.jsonBody).toMatchObject({ error: { code: 'not_found' } });
  });
});

describe('authorisation', () => {
  it('answers 401 without a token and with a bad one', async () => {
    const body = { rows: [{ customerId: 'AUTH-1', name: 'A', region: 'E' }] };
    expect((await api.call(putLedgerRowsRoute, { params: { ledger: 'customers' }, body, user: null })).status).toBe(
      401,
    );
    const bad = await api.call(putLedgerRowsRoute, {
      params: { ledger: 'customers' },
      body,
      user: null,
      headers: { authorization: 'Bearer not.a.token' },
    });
    expect(bad.status).toBe(401);
    expect(await getRow(api, 'customers', 'AUTH-1')).toBeUndefined();
  });

  it('answers 403 to reviewers and managers, and to finance outside payments', async () => {
    const body = { rows: [{ customerId: 'AUTH-2', name: 'A', region: 'E' }] };
    for (const user of [
      REVIEWER,
      { id: 'max.manager', roles: ['manager' as const] },
      { id: 'fin', roles: ['finance' as const] },
    ]) {
      const res = await api.call(putLedgerRowsRoute, { params: { ledger: 'customers' }, body, user });
      expect(res.status).toBe(403);
      expect(res.jsonBody).toMatchObject({ error: { code: 'forbidden' } });
    }
    expect(await getRow(api, 'customers', 'AUTH-2')).toBeUndefined();
  });

  it('lets finance write payments and admins write anything', async () => {
    const fin = { id: 'fin', roles: ['finance' as const] };
    const [p] = await put(
      api,
      'payments',
      [{ paymentId: 'PAY-F', contractId: 'K1', receivedOn: '2016-12-02', amount: '100.00' }],
      { user: fin },
    );
    expect(p?.status).toBe('created');
    const [c] = await put(api, 'customers', [{ customerId: 'ADM-1', name: 'A', region: 'E' }], { user: ADMIN });
    expect(c?.status).toBe('created');
  });
});

describe('concurrency', () => {
  it('two edits from the same etag: exactly one updated, one conflict carrying the winner, no lost update', async () => {
    const [c] = await put(api, 'customers', [{ customerId: 'RACE', name: 'Start', region: 'East' }]);
    const [a, b] = await Promise.all([
      put(api, 'customers', [{ customerId: 'RACE', name: 'Alice', region: 'East', etag: c?.etag }]),
      put(api, 'customers', [{ customerId: 'RACE', name: 'Bob', region: 'East', etag: c?.etag }], { user: CLERK2 }),
    ]);
    const statuses = [a[0]?.status, b[0]?.status].sort();
    expect(statuses).toEqual(['conflict', 'updated']);
    const winner = a[0]?.status === 'updated' ? 'Alice' : 'Bob';
    const loser = a[0]?.status === 'conflict' ? a[0] : b[0];
    expect(loser?.current).toMatchObject({ name: winner });
    expect((await getRow(api, 'customers', 'RACE'))?.name).toBe(winner);
    const history = await readHistory('customers', 'RACE');
    expect(history.map((h) => h.action)).toEqual(['created', 'updated']);
  });

  it('two creates of the same key at once: one created, the other unchanged or conflict', async () => {
    const [a, b] = await Promise.all([
      put(api, 'customers', [{ customerId: 'RACE-NEW', name: 'Alice', region: 'East' }]),
      put(api, 'customers', [{ customerId: 'RACE-NEW', name: 'Bob', region: 'East' }], { user: CLERK2 }),
    ]);
    expect([a[0]?.status, b[0]?.status].sort()).toEqual(['conflict', 'created']);
    expect(await readHistory('customers', 'RACE-NEW')).toHaveLength(1);
  });
});
