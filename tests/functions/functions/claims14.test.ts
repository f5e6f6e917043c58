// Issue #14's claims about pending settlements, on Azurite: "A pending settlement locks nothing" (README, commission
// statements) also with includePending=true, and the salesperson's month "with includePending=true the latest versions
// that were not rejected, except settlements, which lock a month only once approved"; and the credit notes' "The
// customer file's contract figures and aging are net of credit notes" (once approved, like every figure); and the
// expense check's "requested ids with no version in effect come back in `notFound`" (a pending-only expense too).
import type {
  ApprovalsResponse,
  AssessmentRowWire,
  CommissionStatementWire,
  CustomerFileResponse,
} from '../../../shared/api';
import type { LedgerName } from '../../../shared/ledgers';
import { setConfigForTests } from '../../../functions/src/config';
import { approveLedgerRowsRoute } from '../../../functions/src/functions/approveLedgerRows';
import { assessmentRoute } from '../../../functions/src/functions/assessment';
import { commissionStatementRoute } from '../../../functions/src/functions/commissionStatement';
import { customerFileRoute } from '../../../functions/src/functions/customerFile';
import { expenseCheckRoute } from '../../../functions/src/functions/expenseCheck';
import { registerFigureProjection } from '../../../functions/src/figures/projection';
import { ledgerApi, REVIEWER, type LedgerApi } from '../../support/ledgerApi';
import { approveSeededParents, getRow, put, seedParents } from '../../support/ledgerFixtures';
import { seenNow } from '../../support/seen';

let api: LedgerApi;
let unregister: () => void;

async function approve(ledger: LedgerName, keys: string[]): Promise<string[]> {
  const res = await api.call(approveLedgerRowsRoute, {
    params: { ledger },
    body: { rows: await seenNow(ledger, keys) },
    user: REVIEWER,
  });
  return (res.jsonBody as ApprovalsResponse).results.map((r) => r.status);
}

async function statuses(ledger: LedgerName, rows: unknown[]): Promise<string[]> {
  return (await put(api, ledger, rows)).map((r) => r.status);
}

async function statement(query: Record<string, string>): Promise<CommissionStatementWire> {
  const res = await api.call(commissionStatementRoute, { query: { salespersonId: 'SP1', ...query } });
  expect(res.status).toBe(200);
  return res.jsonBody as CommissionStatementWire;
}

async function assessed(query: Record<string, string>): Promise<AssessmentRowWire> {
  const res = await api.call(assessmentRoute, { query });
  expect(res.status).toBe(200);
  const rows = (res.jsonBody as { rows: AssessmentRowWire[] }).rows;
  return rows.find((r) => r.salespersonId === 'SP1') as AssessmentRowWire;
}

beforeAll(async () => {
  api = ledgerApi();
  unregister = registerFigureProjection();
  await seedParents(api); // SP1 with contract K1 (ITEM-B at 99), 45 days' terms
  await approveSeededParents(api);
  const sp = await getRow(api, 'salespeople', 'SP1');
  expect(
    await statuses('salespeople', [
      { salespersonId: 'SP1', name: 'Sam', region: 'East', commissionRate: '0.02', etag: sp?.etag },
    ]),
  ).toEqual(['updated']);
  expect(await approve('salespeople', ['SP1'])).toEqual(['approved']);
  expect(await statuses('invoices', [{ invoiceNo: 'INV1', contractId: 'K1', issuedOn: '2016-11-10' }])).toEqual([
    'created',
  ]);
  expect(
    await statuses('invoiceLines', [
      { invoiceNo: 'INV1', lineNo: 1, itemCode: 'ITEM-B', quantity: 3, unitPrice: '99' },
    ]),
  ).toEqual(['created']);
  expect(
    await statuses('payments', [
      { paymentId: 'PAY1', contractId: 'K1', invoiceNo: 'INV1', receivedOn: '2016-11-20', amount: '150' },
    ]),
  ).toEqual(['created']);
  expect(await approve('invoices', ['INV1'])).toEqual(['approved']);
  expect(await approve('invoiceLines', ['INV1~1'])).toEqual(['approved']);
  expect(await approve('payments', ['PAY1'])).toEqual(['approved']);
  // November settled at 9.99 (not the 3.00 it earns, so the lock shows), still waiting for a second person.
  expect(
    await statuses('commissionSettlements', [
      { salespersonId: 'SP1', month: 201611, commission: '9.99', settledOn: '2016-12-01' },
    ]),
  ).toEqual(['created']);
});
afterAll(() => {
  unregister();
  setConfigForTests(undefined);
});

describe('a pending commission settlement', () => {
  it('locks nothing, also with includePending=true: the statement and the salesperson’s month show what is earned', async () => {
    const nov = await statement({ month: '2016-11', includePending: 'true' });
    // 150.00 collected at the flat 2 %.
    expect(nov).toMatchObject({ settled: false, commission: '3.00' });
    expect(nov.lines.map((l) => [l.kind, l.amount, l.commission])).toEqual([['allocation', '150.00', '3.00']]);
    // No settled month before December, so no adjustment.
    expect((await statement({ month: '2016-12', includePending: 'true' })).lines).toEqual([]);
    expect((await assessed({ month: '2016-11', includePending: 'true' })).commission).toBe('3.00');
    expect((await assessed({ month: '2016-11' })).commission).toBe('3.00');
  });

  it('locks its month once approved: then both report the 9.99 settled, and December carries the difference', async () => {
    expect(await approve('commissionSettlements', ['SP1~201611'])).toEqual(['approved']);
    for (const includePending of ['true', 'false']) {
      expect(await statement({ month: '2016-11', includePending })).toMatchObject({
        settled: true,
        commission: '9.99',
      });
      expect((await assessed({ month: '2016-11', includePending })).commission).toBe('9.99');
      const dec = await statement({ month: '2016-12', includePending });
      expect(dec.lines.map((l) => [l.kind, l.months, l.commission])).toEqual([['adjustment', ['2016-11'], '-6.99']]);
    }
  });
});

describe('the customer file with a credit note', () => {
  async function file(): Promise<CustomerFileResponse> {
    const res = await api.call(customerFileRoute, { params: { customerId: 'CU1' }, query: { asOf: '2016-11-30' } });
    expect(res.status).toBe(200);
    return res.jsonBody as CustomerFileResponse;
  }

  it('shows the contract figures and the aging net of the credit note once it is approved', async () => {
    // INV1 297.00 (3 × 99.00), due 2016-12-25; PAY1 150.00. CN1 takes 47.00 off INV1.
    expect(
      await statuses('creditNotes', [
        {
          creditNoteNo: 'CN1',
          contractId: 'K1',
          invoiceNo: 'INV1',
          issuedOn: '2016-11-25',
          amount: '47',
          creditReason: 'damaged in transit',
        },
      ]),
    ).toEqual(['created']);
    const pending = await file();
    expect(pending.contracts[0]?.performance).toMatchObject({ invoicedAmount: '297.00', receivable: '147.00' });
    expect(pending.receivables).toMatchObject({ current: '147.00', total: '147.00', unapplied: '0.00' });
    expect(await approve('creditNotes', ['CN1'])).toEqual(['approved']);
    const net = await file();
    expect(net.contracts[0]?.performance).toMatchObject({
      invoicedAmount: '250.00',
      collected: '150.00',
      receivable: '100.00',
    });
    expect(net.receivables).toMatchObject({ current: '100.00', total: '100.00', unapplied: '0.00' });
  });
});

describe('the expense check with expenseIds', () => {
  it('lists an expense with only a pending version in notFound, unless includePending counts it', async () => {
    expect(
      await statuses('expenses', [
        { expenseId: 'XP', salespersonId: 'SP1', category: 'taxi', incurredOn: '2016-11-08', amount: '12' },
      ]),
    ).toEqual(['created']);
    const check = async (body: unknown) => {
      const res = await api.call(expenseCheckRoute, { body });
      expect(res.status).toBe(200);
      return res.jsonBody as { findings: { expenseId: string; code: string }[]; notFound: string[] };
    };
    const approvedOnly = await check({ expenseIds: ['XP', 'NONE'] });
    expect(approvedOnly.notFound).toEqual(['XP', 'NONE']);
    expect(approvedOnly.findings).toEqual([]);
    const withPending = await check({ expenseIds: ['XP', 'NONE'], includePending: true });
    expect(withPending.notFound).toEqual(['NONE']);
    // No policy covers taxis.
    expect(withPending.findings.map((f) => [f.expenseId, f.code])).toEqual([['XP', 'NO_POLICY']]);
  });
});
