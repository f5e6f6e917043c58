// GET /api/ledgers/{ledger} with the filters a clerk means (issue #18 part 3): region (case-insensitive),
// salespersonId, customerId, contractId, from/to on the natural date; children through their contract, invoice or
// customer; 400 for a filter a ledger cannot honour; equality filters unchanged; storage round trips counted.
import type { GetRowsResponse } from '../../../shared/api';
import { setConfigForTests } from '../../../functions/src/config';
import { getLedgerRowsRoute } from '../../../functions/src/functions/getLedgerRows';
import { rowQuery } from '../../../functions/src/services/rowFilters';
import { rowQueries } from '../../../functions/src/store/filteredRows';
import { ledgerApi, type LedgerApi } from '../../support/ledgerApi';
import { getRow, put } from '../../support/ledgerFixtures';

let api: LedgerApi;
const MANAGER = { id: 'max.manager', roles: ['manager' as const] };

const contract = (contractId: string, customerId: string, salespersonId: string, region: string, signedOn: string) => ({
  contractId,
  customerId,
  salespersonId,
  region,
  signedOn,
});

beforeAll(async () => {
  api = ledgerApi();
  await put(api, 'customers', [
    { customerId: 'CU1', name: 'Acme', region: 'East' },
    { customerId: 'CU2', name: 'Bolt', region: 'West' },
    { customerId: 'CU3', name: 'Cork', region: 'east' },
    { customerId: 'CU9', name: 'North Ltd', region: 'North' },
  ]);
  await put(api, 'salespeople', [
    { salespersonId: 'SP1', name: 'Sam', region: 'East' },
    { salespersonId: 'SP2', name: 'Wes', region: 'West' },
    { salespersonId: 'SP3', name: 'Will', region: 'WEST' },
    { salespersonId: 'SP9', name: 'Nora', region: 'North' },
  ]);
  await put(api, 'contracts', [
    contract('K1', 'CU1', 'SP1', 'East', '2016-11-08'),
    contract('K2', 'CU2', 'SP2', 'West', '2016-12-01'),
    contract('K3', 'CU1', 'SP2', 'West', '2017-01-15'),
    contract('K4', 'CU3', 'SP3', 'east', '2016-10-03'),
    // More contracts in one region than one OData filter may name (Azure: 15 comparisons).
    ...Array.from({ length: 20 }, (_, i) =>
      contract(`N${String(i).padStart(2, '0')}`, 'CU9', 'SP9', 'North', '2016-11-20'),
    ),
  ]);
  const line = (contractId: string, lineNo: number) => ({
    contractId,
    lineNo,
    itemCode: 'IT',
    quantity: 1,
    unitPrice: '10',
  });
  await put(api, 'orderLines', [line('K1', 1), line('K1', 2), line('K2', 1), line('K3', 1), line('K4', 1)]);
  await put(api, 'deliveries', [
    { deliveryId: 'D1', contractId: 'K1', itemCode: 'IT', quantity: 1, date: '2016-11-10' },
    { deliveryId: 'D2', contractId: 'K2', itemCode: 'IT', quantity: 1, date: '2016-12-05' },
    { deliveryId: 'D3', contractId: 'K3', itemCode: 'IT', quantity: 1, date: '2017-01-20' },
  ]);
  await put(api, 'invoices', [
    { invoiceNo: 'I1', contractId: 'K1', issuedOn: '2016-11-15' },
    { invoiceNo: 'I2', contractId: 'K2', issuedOn: '2016-12-10' },
    { invoiceNo: 'I3', contractId: 'K3', issuedOn: '2017-01-25' },
    { invoiceNo: 'I4', contractId: 'K1', issuedOn: '2016-12-20' },
    ...Array.from({ length: 20 }, (_, i) => ({
      invoiceNo: `IN${String(i).padStart(2, '0')}`,
      contractId: `N${String(i).padStart(2, '0')}`,
      issuedOn: '2016-11-25',
    })),
  ]);
  await put(
    api,
    'invoiceLines',
    ['I1', 'I2', 'I3', 'I4'].map((invoiceNo) => ({
      invoiceNo,
      lineNo: 1,
      itemCode: 'IT',
      quantity: 1,
      unitPrice: '10',
    })),
  );
  await put(api, 'payments', [
    { paymentId: 'P1', contractId: 'K1', invoiceNo: 'I1', receivedOn: '2016-11-30', amount: '10.00' },
    { paymentId: 'P2', contractId: 'K2', receivedOn: '2016-12-31', amount: '5.00' },
  ]);
  await put(api, 'expenses', [
    { expenseId: 'E1', salespersonId: 'SP1', category: 'meals', incurredOn: '2016-11-05', amount: '12.00' },
    { expenseId: 'E2', salespersonId: 'SP2', category: 'travel', incurredOn: '2016-11-06', amount: '40.00' },
    { expenseId: 'E3', salespersonId: 'SP3', category: 'meals', incurredOn: '2016-12-01', amount: '9.50' },
    {
      expenseId: 'E4',
      salespersonId: 'SP1',
      category: 'travel',
      incurredOn: '2016-12-02',
      amount: '80.00',
      contractId: 'K1',
    },
  ]);
  await put(api, 'contacts', [
    { contactId: 'C1', customerId: 'CU1', name: 'Ann' },
    { contactId: 'C2', customerId: 'CU2', name: 'Ben' },
    { contactId: 'C3', customerId: 'CU3', name: 'Cat' },
  ]);
  const ok = (results: { status: string }[]) => expect(results.map((r) => r.status)).not.toContain('invalid');
  ok(
    await put(api, 'interactions', [
      {
        interactionId: 'X1',
        customerId: 'CU1',
        kind: 'call',
        direction: 'out',
        date: '2016-11-03',
        subject: 's',
        owner: 'o',
      },
      {
        interactionId: 'X2',
        customerId: 'CU2',
        kind: 'call',
        direction: 'in',
        date: '2016-12-03',
        subject: 's',
        owner: 'o',
      },
    ]),
  );
  ok(
    await put(api, 'customerDocuments', [
      { documentId: 'DOC1', customerId: 'CU2', kind: 'licence' },
      { documentId: 'DOC2', customerId: 'CU3', kind: 'other' },
    ]),
  );
  ok(
    await put(api, 'samples', [
      { sampleId: 'S1', customerId: 'CU1', itemCode: 'IT', quantity: 1, sentOn: '2016-11-07' },
      { sampleId: 'S2', customerId: 'CU2', itemCode: 'IT', quantity: 1, sentOn: '2016-12-07' },
    ]),
  );
  ok(
    await put(api, 'trips', [
      { tripId: 'T1', salespersonId: 'SP1', departOn: '2016-11-01', returnOn: '2016-11-02', destination: 'Ely' },
      { tripId: 'T2', salespersonId: 'SP3', departOn: '2016-12-01', returnOn: '2016-12-02', destination: 'Rye' },
    ]),
  );
  ok(
    await put(api, 'attendance', [
      { salespersonId: 'SP1', month: 201611, workingDays: 21 },
      { salespersonId: 'SP2', month: 201611, workingDays: 21 },
    ]),
  );
  ok(
    await put(api, 'commissionSettlements', [
      { salespersonId: 'SP1', month: 201611, commission: '10.00', settledOn: '2016-12-05' },
      { salespersonId: 'SP2', month: 201612, commission: '20.00', settledOn: '2017-01-05' },
    ]),
  );
  ok(
    await put(api, 'expensePolicies', [
      { policyId: 'EP1', category: 'meals', region: 'East', effectiveFrom: '2016-01-01' },
      { policyId: 'EP2', category: 'meals', effectiveFrom: '2016-01-01' },
    ]),
  );
  ok(
    await put(api, 'reminders', [
      { reminderNo: 'R1', customerId: 'CU1', currency: 'EUR', level: 1, issuedOn: '2016-12-15', payBy: '2016-12-29' },
      { reminderNo: 'R2', customerId: 'CU2', currency: 'EUR', level: 1, issuedOn: '2017-01-15', payBy: '2017-01-29' },
    ]),
  );
  ok(
    await put(api, 'reminderLines', [
      { reminderNo: 'R1', lineNo: 1, invoiceNo: 'I1', level: 1, outstanding: '10.00', daysOverdue: 5 },
      { reminderNo: 'R2', lineNo: 1, invoiceNo: 'I2', level: 1, outstanding: '10.00', daysOverdue: 5 },
    ]),
  );
});
afterAll(() => setConfigForTests(undefined));

async function list(ledger: string, query: Record<string, string>) {
  return api.call(getLedgerRowsRoute, { params: { ledger }, query, user: MANAGER });
}

/** Every key the filter returns (all pages), sorted. */
async function keys(ledger: string, query: Record<string, string>, key = ledgerKey(ledger)): Promise<string[]> {
  const out: string[] = [];
  let token: string | null = null;
  do {
    const res = await list(ledger, { ...query, ...(token !== null ? { continuationToken: token } : {}) });
    expect(res.status).toBe(200);
    const page = res.jsonBody as GetRowsResponse;
    out.push(...page.rows.map(key));
    token = page.continuationToken;
  } while (token !== null);
  return out.sort();
}

function ledgerKey(ledger: string): (r: Record<string, unknown>) => string {
  const fields: Record<string, string[]> = {
    customers: ['customerId'],
    salespeople: ['salespersonId'],
    contracts: ['contractId'],
    orderLines: ['contractId', 'lineNo'],
    deliveries: ['deliveryId'],
    invoices: ['invoiceNo'],
    invoiceLines: ['invoiceNo', 'lineNo'],
    payments: ['paymentId'],
    expenses: ['expenseId'],
    contacts: ['contactId'],
    interactions: ['interactionId'],
    customerDocuments: ['documentId'],
    samples: ['sampleId'],
    trips: ['tripId'],
    attendance: ['salespersonId', 'month'],
    commissionSettlements: ['salespersonId', 'month'],
    reminders: ['reminderNo'],
    reminderLines: ['reminderNo', 'lineNo'],
    expensePolicies: ['policyId'],
  };
  return (r) => (fields[ledger] ?? []).map((f) => String(r[f])).join('~');
}

const north = Array.from({ length: 20 }, (_, i) => `N${String(i).padStart(2, '0')}`);

it('filters contracts by region (case-insensitive), salesperson, customer and signedOn', async () => {
  expect(await keys('contracts', { region: 'east' })).toEqual(['K1', 'K4']);
  expect(await keys('contracts', { region: 'WEST' })).toEqual(['K2', 'K3']);
  expect(await keys('contracts', { salespersonId: 'SP2' })).toEqual(['K2', 'K3']);
  expect(await keys('contracts', { customerId: 'CU1' })).toEqual(['K1', 'K3']);
  expect(await keys('contracts', { from: '2016-11-01', to: '2016-12-31' })).toEqual(['K1', 'K2', ...north]);
  expect(await keys('contracts', { from: '2016-12-01' })).toEqual(['K2', 'K3']);
  expect(await keys('contracts', { to: '2016-11-08', region: 'East' })).toEqual(['K1', 'K4']);
});

it('filters customers by region or by having contracts with a salesperson; salespeople by their contracts', async () => {
  expect(await keys('customers', { region: 'EAST' })).toEqual(['CU1', 'CU3']);
  expect(await keys('customers', { salespersonId: 'SP2' })).toEqual(['CU1', 'CU2']);
  expect(await keys('customers', { salespersonId: 'SP2', region: 'west' })).toEqual(['CU2']);
  expect(await keys('customers', { contractId: 'K4' })).toEqual(['CU3']);
  expect(await keys('salespeople', { customerId: 'CU1' })).toEqual(['SP1', 'SP2']);
  expect(await keys('salespeople', { region: 'west' })).toEqual(['SP2', 'SP3']);
});

it("filters expenses by the salesperson's region and by incurredOn", async () => {
  expect(await keys('expenses', { region: 'west' })).toEqual(['E2', 'E3']);
  expect(await keys('expenses', { region: 'East' })).toEqual(['E1', 'E4']);
  expect(await keys('expenses', { region: 'east', from: '2016-12-01', to: '2016-12-31' })).toEqual(['E4']);
  expect(await keys('expenses', { salespersonId: 'SP1' })).toEqual(['E1', 'E4']);
  expect(await keys('expenses', { contractId: 'K1' })).toEqual(['E4']);
});

it("filters a contract's children by the contract's region, salesperson and customer, and each by its own date", async () => {
  expect(await keys('invoices', { region: 'east' })).toEqual(['I1', 'I4']);
  expect(await keys('invoices', { salespersonId: 'SP2' })).toEqual(['I2', 'I3']);
  expect(await keys('invoices', { customerId: 'CU1' })).toEqual(['I1', 'I3', 'I4']);
  expect(await keys('invoices', { region: 'EAST', from: '2016-12-01', to: '2016-12-31' })).toEqual(['I4']);
  expect(await keys('invoices', { contractId: 'K1' })).toEqual(['I1', 'I4']);
  expect(await keys('deliveries', { customerId: 'CU2' })).toEqual(['D2']);
  expect(await keys('deliveries', { from: '2016-11-01', to: '2016-12-31' })).toEqual(['D1', 'D2']);
  expect(await keys('payments', { region: 'east' })).toEqual(['P1']);
  expect(await keys('payments', { to: '2016-12-30' })).toEqual(['P1']);
  expect(await keys('orderLines', { customerId: 'CU1' })).toEqual(['K1~1', 'K1~2', 'K3~1']);
  // Order lines have no date: they follow their contract's signedOn.
  expect(await keys('orderLines', { from: '2016-11-01', to: '2016-11-30' })).toEqual(['K1~1', 'K1~2']);
  // Invoice lines follow their invoice (issuedOn), which follows its contract.
  expect(await keys('invoiceLines', { region: 'west' })).toEqual(['I2~1', 'I3~1']);
  expect(await keys('invoiceLines', { from: '2016-12-01', to: '2016-12-31' })).toEqual(['I2~1', 'I4~1']);
  expect(await keys('contacts', { salespersonId: 'SP1' })).toEqual(['C1']);
  expect(await keys('contacts', { region: 'east' })).toEqual(['C1', 'C3']);
});

it("filters the customer file, trips, attendance, settlements and reminders by their customer's or salesperson's region and their own date", async () => {
  expect(await keys('interactions', { region: 'east' })).toEqual(['X1']);
  expect(await keys('interactions', { from: '2016-12-01' })).toEqual(['X2']);
  expect(await keys('interactions', { salespersonId: 'SP2' })).toEqual(['X1', 'X2']);
  expect(await keys('customerDocuments', { region: 'east' })).toEqual(['DOC2']);
  expect(await keys('samples', { region: 'West', to: '2016-12-31' })).toEqual(['S2']);
  expect(await keys('samples', { to: '2016-11-30' })).toEqual(['S1']);
  expect(await keys('trips', { region: 'west' })).toEqual(['T2']);
  expect(await keys('trips', { from: '2016-11-15' })).toEqual(['T2']);
  expect(await keys('attendance', { region: 'West' })).toEqual(['SP2~201611']);
  expect(await keys('commissionSettlements', { region: 'east' })).toEqual(['SP1~201611']);
  expect(await keys('commissionSettlements', { from: '2017-01-01', to: '2017-01-31' })).toEqual(['SP2~201612']);
  expect(await keys('reminders', { region: 'west' })).toEqual(['R2']);
  expect(await keys('reminders', { from: '2016-12-01', to: '2016-12-31' })).toEqual(['R1']);
  // Reminder lines follow their reminder (its customer, its issuedOn).
  expect(await keys('reminderLines', { region: 'east' })).toEqual(['R1~1']);
  expect(await keys('reminderLines', { from: '2017-01-01' })).toEqual(['R2~1']);
  expect(await keys('expensePolicies', { region: 'EAST' })).toEqual(['EP1']);
});

it('pages correctly when more contracts match than one filter may name', async () => {
  const names = north.map((n) => `I${n}`);
  expect(await keys('invoices', { region: 'north', pageSize: '7' })).toEqual(names);
  const first = (await list('invoices', { region: 'north', pageSize: '7' })).jsonBody as GetRowsResponse;
  expect(first.rows.length).toBeLessThanOrEqual(7);
  expect(first.continuationToken).not.toBeNull();
});

it('keeps equality filters on top-level fields as they were', async () => {
  expect(await keys('expenses', { category: 'travel' })).toEqual(['E2', 'E4']);
  expect(await keys('expenses', { amount: '9.5' })).toEqual(['E3']);
  expect(await keys('invoices', { issuedOn: '2016-12-10' })).toEqual(['I2']);
  expect(await keys('contracts', { status: 'active', customerId: 'CU2' })).toEqual(['K2']);
  expect(await keys('orderLines', { contractId: 'K1', lineNo: '2' })).toEqual(['K1~2']);
  expect(await keys('customers', { name: 'Cork' })).toEqual(['CU3']);
  // Ids compare exactly, as equality always did.
  expect(await keys('contracts', { customerId: 'cu1' })).toEqual([]);
});

it('answers 400 naming a filter the ledger cannot honour or a bad value, never an empty page', async () => {
  const cases: [string, Record<string, string>, string, RegExp][] = [
    ['expenses', { customerId: 'CU1' }, 'query.customerId', /expenses can be filtered by .*region/],
    ['customers', { from: '2016-01-01' }, 'query.from', /not a filter customers can honour/],
    ['commissionPlans', { region: 'East' }, 'query.region', /not a filter commissionPlans can honour/],
    ['invoices', { from: '2016-13-01' }, 'query.from', /2016-13-01 is not one/],
    ['invoices', { from: '2016-12-01', to: '2016-11-01' }, 'query.from', /must not be after to/],
    ['contracts', { region: '' }, 'query.region', /must not be empty/],
    ['invoices', { colour: 'red' }, 'query.colour', /not a field of invoices/],
  ];
  for (const [ledger, query, field, message] of cases) {
    const res = await list(ledger, query);
    expect(res.status).toBe(400);
    expect(res.jsonBody).toMatchObject({
      error: { code: 'invalid', details: [{ field, message: expect.stringMatching(message) as unknown }] },
    });
  }
});

it('pushes filters down: one storage request per ledger read, none for an empty set of contracts', async () => {
  const count = async (ledger: string, query: Record<string, string>): Promise<number> => {
    const before = rowQueries.count;
    await list(ledger, query);
    return rowQueries.count - before;
  };
  expect(await count('invoices', { contractId: 'K1' })).toBe(1);
  // The contracts of the region (one page), then the invoices with `contractId eq …` pushed down (one page).
  expect(await count('invoices', { region: 'east' })).toBe(2);
  // Invoice lines: contracts, then invoices, then lines.
  expect(await count('invoiceLines', { region: 'west' })).toBe(3);
  // No contract of customer NOPE: the invoices are not read at all.
  expect(await count('invoices', { customerId: 'NOPE' })).toBe(1);
  expect((await list('invoices', { customerId: 'NOPE' })).jsonBody).toEqual({ rows: [], continuationToken: null });
});

it('sends a small set of contracts and the date range as the OData filter; region and large sets are checked here', async () => {
  const east = await rowQuery('invoices', { region: 'east', from: '2016-12-01' });
  expect(east.clauses.map((c) => c.text).sort()).toEqual([
    "(contractId eq 'K1' or contractId eq 'K4')",
    "issuedOn ge '2016-12-01'",
  ]);
  expect(east.checks).toHaveLength(0);
  const north = await rowQuery('invoices', { region: 'north' });
  expect(north.clauses).toEqual([]);
  expect(north.checks).toHaveLength(1);
  expect([...north.reads]).toEqual(['contractId']);
  const contracts = await rowQuery('contracts', { region: 'east', salespersonId: 'SP1' });
  expect(contracts.clauses.map((c) => c.text)).toEqual(["salespersonId eq 'SP1'"]);
  expect([...contracts.reads]).toEqual(['region']);
});

it("compares each row's latest version: a contract changed to another region takes its invoices along", async () => {
  const k2 = await getRow(api, 'contracts', 'K2');
  const [result] = await put(api, 'contracts', [
    { ...contract('K2', 'CU2', 'SP2', 'East', '2016-12-01'), etag: k2?.etag },
  ]);
  expect(result?.status).toBe('updated');
  expect(await keys('invoices', { region: 'east' })).toEqual(['I1', 'I2', 'I4']);
  expect(await keys('invoices', { region: 'west' })).toEqual(['I3']);
});
