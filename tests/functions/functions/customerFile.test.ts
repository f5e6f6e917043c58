// The customer file, the contract file and complaints as figures over Azurite: rows written as a clerk, figures
// approved by a reviewer; contents, ordering, expiry flags, samples out, open complaints, findings on invoice lines.
import {
  customerFileQuery,
  type ComplaintsRow,
  type ContractFileResponse,
  type CustomerFileResponse,
  type ReadRow,
  type RowResult,
} from '../../../shared/api';
import { ledgerData } from '../../../shared/calc';
import type { LedgerName } from '../../../shared/ledgers';
import { setConfigForTests } from '../../../functions/src/config';
import { registerFigureProjection } from '../../../functions/src/figures/projection';
import { complaintsRoute } from '../../../functions/src/functions/complaints';
import { contractFileRoute } from '../../../functions/src/functions/contractFile';
import { customerFileRoute } from '../../../functions/src/functions/customerFile';
import { putLedgerRowsRoute } from '../../../functions/src/functions/putLedgerRows';
import { readRow } from '../../../functions/src/store/ledgerStore';
import {
  contract,
  customer,
  delivery,
  invoice,
  invoiceLine,
  orderLine,
  payment,
  salesperson,
} from '../../shared/calc/fixtures/records';
import { CLERK, ledgerApi, type LedgerApi } from '../../support/ledgerApi';
import { approveKeys, writeAndApprove } from '../figures/support';

let unregister: () => void;
let api: LedgerApi;

async function put(ledger: LedgerName, rows: Record<string, unknown>[]): Promise<RowResult[]> {
  const res = await api.call(putLedgerRowsRoute, { params: { ledger }, body: { rows }, user: CLERK });
  expect(res.status).toBe(200);
  return (res.jsonBody as { results: RowResult[] }).results;
}

const cx = { customerId: 'C1', direction: 'in', subject: 'About the order', owner: 'alice' };

beforeAll(async () => {
  unregister = registerFigureProjection();
  api = ledgerApi();
  await writeAndApprove(
    api,
    ledgerData({
      customers: [customer('C1', 'East'), customer('C2', 'West')],
      salespeople: [salesperson('S1', 'East'), salesperson('S2', 'West')],
      contracts: [
        contract('K1', { customerId: 'C1', salespersonId: 'S1', signedOn: '2016-11-05' }),
        contract('K0', { customerId: 'C1', salespersonId: 'S1', signedOn: '2016-10-01' }),
        contract('K2', { customerId: 'C2', salespersonId: 'S2', region: 'West', signedOn: '2016-10-01' }),
      ],
      orderLines: [
        orderLine('K1', 2, 'B', 5, '2.00'),
        orderLine('K1', 1, 'A', 10, '10.00'),
        orderLine('K0', 1, 'A', 1, '1.00'),
      ],
      deliveries: [delivery('D2', 'K1', 'A', 1, '2016-11-07'), delivery('D1', 'K1', 'A', 4, '2016-11-05')],
      invoices: [invoice('I1', 'K1', '2016-11-06')],
      // Line 2: B at 3.00 against 2.00 ordered, and no B delivered.
      invoiceLines: [invoiceLine('I1', 1, 'A', 2, '10.00'), invoiceLine('I1', 2, 'B', 1, '3.00')],
      payments: [payment('P1', 'K1', '2016-11-20', '5.00', 'I1')],
    }),
  );
  const contacts = await put('contacts', [
    { contactId: 'CT-1', customerId: 'C1', name: 'Amy', email: 'amy@c1.example' },
    { contactId: 'CT-2', customerId: 'C1', name: 'Zed', phone: '+44 20 7946 0001', primary: true },
    { contactId: 'CT-3', customerId: 'C1', name: 'Bob', role: '=cmd|calc' },
    { contactId: 'CT-9', customerId: 'C2', name: 'Other' },
    { contactId: 'CT-X', customerId: 'C1', name: 'Bad', email: 'not-an-email' },
  ]);
  expect(contacts.map((r) => r.status)).toEqual(['created', 'created', 'created', 'created', 'invalid']);
  expect(contacts[4]?.errors).toEqual([
    { field: 'email', message: 'must be an email address such as name@example.com' },
  ]);
  const interactions = await put('interactions', [
    {
      ...cx,
      interactionId: 'IC1',
      kind: 'complaint',
      date: '2016-11-01',
      status: 'open',
      dueOn: '2016-11-15',
      contractId: 'K1',
    },
    { ...cx, interactionId: 'IC2', kind: 'complaint', date: '2016-12-01', status: 'in progress', owner: 'bob' },
    {
      ...cx,
      interactionId: 'IC3',
      kind: 'complaint',
      date: '2016-11-02',
      status: 'resolved',
      resolvedOn: '2016-11-12',
      contractId: 'K1',
    },
    { ...cx, interactionId: 'IC4', kind: 'call', date: '2016-12-19', direction: 'out' },
    {
      ...cx,
      interactionId: 'IC5',
      kind: 'complaint',
      date: '2016-11-03',
      status: 'resolved',
      resolvedOn: '2016-11-07',
      customerId: 'C2',
    },
    {
      ...cx,
      interactionId: 'IC6',
      kind: 'complaint',
      date: '2016-11-04',
      status: 'resolved',
      resolvedOn: '2016-11-30',
    },
    { ...cx, interactionId: 'IC7', kind: 'meeting', date: '2016-12-30' },
  ]);
  expect(interactions.every((r) => r.status === 'created')).toBe(true);
  await approveKeys(api, 'interactions', ['IC1', 'IC2', 'IC3', 'IC4', 'IC5', 'IC6']);
  await put('customerDocuments', [
    { documentId: 'DOC-none', customerId: 'C1', kind: 'other' },
    { documentId: 'DOC-ok', customerId: 'C1', kind: 'licence', validTo: '2017-06-30' },
    { documentId: 'DOC-soon', customerId: 'C1', kind: 'certificate', validTo: '2017-01-10' },
    { documentId: 'DOC-old', customerId: 'C1', kind: 'billing details', validTo: '2016-12-01' },
  ]);
  await put('samples', [
    { sampleId: 'S-1', customerId: 'C1', itemCode: 'A', quantity: 1, sentOn: '2016-12-01', dueBackOn: '2016-12-10' },
    { sampleId: 'S-2', customerId: 'C1', itemCode: 'B', quantity: 2, sentOn: '2016-11-01' },
    {
      sampleId: 'S-3',
      customerId: 'C1',
      itemCode: 'A',
      quantity: 1,
      sentOn: '2016-10-01',
      status: 'returned',
      returnedOn: '2016-10-09',
    },
    { sampleId: 'S-4', customerId: 'C1', itemCode: 'A', quantity: 1, sentOn: '2016-12-24' },
  ]);
});
afterAll(() => {
  unregister();
  setConfigForTests(undefined);
});

const keys = (rows: readonly ReadRow[], field: string) => rows.map((r) => r[field]);

describe('GET /api/customers/{id}/file', () => {
  let file: CustomerFileResponse;
  beforeAll(async () => {
    const res = await api.call(customerFileRoute, {
      params: { customerId: 'C1' },
      query: { asOf: '2016-12-20', interactions: '3' },
    });
    expect(res.status).toBe(200);
    file = res.jsonBody as CustomerFileResponse;
  });

  it('shows the customer and its contacts, primary first, then by name; a bad email stored nothing', async () => {
    expect(file.asOf).toBe('2016-12-20');
    expect(file.customer).toMatchObject({ customerId: 'C1', region: 'East', approval: { status: 'approved' } });
    expect(keys(file.contacts, 'contactId')).toEqual(['CT-2', 'CT-1', 'CT-3']);
    expect(file.contacts[0]).toMatchObject({
      phone: '+44 20 7946 0001',
      primary: true,
      approval: { status: 'pending' },
    });
    expect(file.contacts[2]?.role).toBe('=cmd|calc');
    expect(typeof file.contacts[0]?.etag).toBe('string');
    expect(await readRow('contacts', 'CT-X')).toBeUndefined();
  });

  it('lists its contracts by signing date with their performance totals, and its aging', () => {
    expect(file.contracts.map((c) => c.contract.contractId)).toEqual(['K0', 'K1']);
    // K1: 10 A at 10.00 + 5 B at 2.00 ordered; 5 A delivered; I1 = 2 × 10.00 + 1 × 3.00; 5.00 paid.
    expect(file.contracts[1]?.performance).toEqual({
      orderedAmount: '110.00',
      deliveredAmount: '50.00',
      invoicedAmount: '23.00',
      collected: '5.00',
      receivable: '18.00',
    });
    // I1 due 2016-12-06 (30 days): 14 days overdue on 2016-12-20.
    expect(file.receivables).toEqual({
      group: 'C1',
      currency: 'EUR',
      current: '0.00',
      d1_30: '18.00',
      d31_60: '0.00',
      d61_90: '0.00',
      d91_120: '0.00',
      over120: '0.00',
      total: '18.00',
      unapplied: '0.00',
    });
  });

  it('gives open complaints oldest first with age, days overdue and owner, and the latest interactions', () => {
    expect(
      file.openComplaints.map((c) => [c.interaction.interactionId, c.ageDays, c.daysOverdue, c.interaction.owner]),
    ).toEqual([
      ['IC1', 49, 35, 'alice'],
      ['IC2', 19, 0, 'bob'],
    ]);
    // IC7 (2016-12-30) is the newest; the limit is 3.
    expect(keys(file.interactions, 'interactionId')).toEqual(['IC7', 'IC4', 'IC2']);
    expect(file.interactions[0]?.approval.status).toBe('pending');
  });

  it('flags documents expired or expiring within 30 days', () => {
    expect(file.documents.map((d) => [d.document.documentId, d.flag, d.daysLeft])).toEqual([
      ['DOC-old', 'expired', -19],
      ['DOC-soon', 'expiring', 21],
      ['DOC-ok', 'valid', 192],
      ['DOC-none', 'noExpiry', null],
    ]);
  });

  it('lists samples out on the day, overdue first', () => {
    expect(file.samplesOut.map((s) => [s.sample.sampleId, s.state, s.daysOut, s.daysOverdue])).toEqual([
      ['S-1', 'overdue', 19, 10],
      ['S-2', 'out', 49, 0],
    ]);
  });

  it('measures on today (UTC) without asOf, and lists 20 interactions unless told (1-500)', async () => {
    const before = new Date().toISOString().slice(0, 10);
    const res = await api.call(customerFileRoute, { params: { customerId: 'C1' } });
    const after = new Date().toISOString().slice(0, 10);
    expect([before, after]).toContain((res.jsonBody as CustomerFileResponse).asOf);
    expect((res.jsonBody as CustomerFileResponse).interactions).toHaveLength(6);
    expect(customerFileQuery.parse({}).interactions).toBe(20);
    for (const interactions of ['0', '501', 'x']) {
      const bad = await api.call(customerFileRoute, { params: { customerId: 'C1' }, query: { interactions } });
      expect(bad.status).toBe(400);
    }
  });

  it('answers 404 for an unknown customer and 400 for a bad query', async () => {
    const missing = await api.call(customerFileRoute, { params: { customerId: 'NOPE' } });
    expect(missing.status).toBe(404);
    expect((missing.jsonBody as { error: { code: string } }).error.code).toBe('not_found');
    const bad = await api.call(customerFileRoute, { params: { customerId: 'C1' }, query: { asOf: '2016-13-01' } });
    expect(bad.status).toBe(400);
    expect((bad.jsonBody as { error: { details: unknown[] } }).error.details).toEqual([
      { field: 'asOf', message: 'must be a calendar date as YYYY-MM-DD' },
    ]);
  });
});

describe('GET /api/contracts/{id}/file', () => {
  it('holds the contract, its lines, deliveries, invoices with findings on their lines, payments, credit notes and performance', async () => {
    // Issue #14: credit notes as GET shows them (latest versions, pending ones too), by issue date.
    const credit = (creditNoteNo: string, issuedOn: string) => ({
      creditNoteNo,
      contractId: 'K1',
      invoiceNo: 'I1',
      issuedOn,
      amount: '1.00',
      creditReason: 'price',
    });
    expect(
      (await put('creditNotes', [credit('CN2', '2016-11-21'), credit('CN1', '2016-11-25')])).map((r) => r.status),
    ).toEqual(['created', 'created']);
    const res = await api.call(contractFileRoute, { params: { contractId: 'K1' } });
    expect(res.status).toBe(200);
    const file = res.jsonBody as ContractFileResponse;
    expect(file.contract).toMatchObject({ contractId: 'K1', customerId: 'C1' });
    expect(keys(file.orderLines, 'lineNo')).toEqual([1, 2]);
    expect(keys(file.deliveries, 'deliveryId')).toEqual(['D1', 'D2']);
    expect(file.invoices.map((i) => i.invoice.invoiceNo)).toEqual(['I1']);
    expect(file.invoices[0]?.lines.map((l) => [l.line.lineNo, l.findings.map((f) => f.code)])).toEqual([
      [1, []],
      [2, ['PRICE_MISMATCH', 'QTY_EXCEEDS_DELIVERED']],
    ]);
    expect(keys(file.payments, 'paymentId')).toEqual(['P1']);
    expect(keys(file.creditNotes ?? [], 'creditNoteNo')).toEqual(['CN2', 'CN1']);
    expect(file.performance?.lines.map((l) => [l.itemCode, l.ordered, l.netDelivered, l.invoiced])).toEqual([
      ['A', 10, 5, 2],
      ['B', 5, 0, 1],
    ]);
    expect(keys(file.interactions, 'interactionId')).toEqual(['IC3', 'IC1']);
    const missing = await api.call(contractFileRoute, { params: { contractId: 'K404' } });
    expect(missing.status).toBe(404);
  });
});

describe('GET /api/complaints', () => {
  const rows = async (query: Record<string, string>) => {
    const res = await api.call(complaintsRoute, { query });
    expect(res.status).toBe(200);
    return (res.jsonBody as { rows: ComplaintsRow[] }).rows;
  };
  it('counts approved complaints opened and resolved, with the median days to resolve', async () => {
    // Approved: IC1 (open), IC2 (in progress), IC3 (10 days), IC6 (26 days) of C1 (East); IC5 (4 days) of C2 (West).
    expect(await rows({ period: 'month', from: '2016-11-01', to: '2016-12-31', groupBy: 'region' })).toEqual([
      { period: '2016-11', group: 'East', opened: 3, resolved: 2, medianDaysToResolve: 18 },
      { period: '2016-11', group: 'West', opened: 1, resolved: 1, medianDaysToResolve: 4 },
      { period: '2016-12', group: 'East', opened: 1, resolved: 0, medianDaysToResolve: null },
    ]);
    expect(await rows({ period: 'quarter', from: '2016-10-01', to: '2016-12-31' })).toEqual([
      { period: '2016-Q4', group: null, opened: 5, resolved: 3, medianDaysToResolve: 10 },
    ]);
    // By salesperson: only complaints naming a contract (IC1, IC3 on K1 of S1).
    expect(await rows({ period: 'year', from: '2016-01-01', to: '2016-12-31', groupBy: 'salesperson' })).toEqual([
      { period: '2016', group: 'S1', opened: 2, resolved: 1, medianDaysToResolve: 10 },
    ]);
  });
  it('refuses a bad query with the parameter named', async () => {
    const res = await api.call(complaintsRoute, { query: { period: 'week', from: '2016-01-01', to: '2016-12-31' } });
    expect(res.status).toBe(400);
  });
});
