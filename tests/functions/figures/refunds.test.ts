// Refunds (negative payments, issue #14) through the API on Azurite: PUT accepts a negative amount and refuses 0 with
// a clerk's message; once approved, the rollups lower collected in the refund's month (and agree with a rebuild),
// pending refunds count with includePending, and receivables, the customer statement and the commission statement
// show the refund by the shared rules.
import type { CommissionStatementWire, RowResult, StatementResponse, StatsRow } from '../../../shared/api';
import { ledgerData } from '../../../shared/calc';
import { commissionStatementRoute } from '../../../functions/src/functions/commissionStatement';
import { customerStatementRoute } from '../../../functions/src/functions/customerStatement';
import { putLedgerRowsRoute } from '../../../functions/src/functions/putLedgerRows';
import { receivablesRoute } from '../../../functions/src/functions/receivables';
import { statsRoute } from '../../../functions/src/functions/stats';
import { buildStatementsWorkbook, LINE_HEADERS } from '../../../functions/src/reports/statements';
import { contract, invoice, invoiceLine, payment } from '../../shared/calc/fixtures/records';
import { CLERK } from '../../support/ledgerApi';
import { expectRollupsMatchRebuild, useApprovedData } from './support';

// I1 100.00 (due 2016-12-05) paid with 120.00 in November; 50.00 paid back in December naming I1: 20.00 of it was
// unapplied, the other 30.00 reopens I1. S1 earns a flat 5 %.
const api = useApprovedData(
  ledgerData({
    customers: [{ customerId: 'K1', name: 'Customer K1', region: 'East' }],
    salespeople: [{ salespersonId: 'S1', name: 'Sam', region: 'East', commissionRate: 500 }],
    contracts: [contract('C1', { signedOn: '2016-11-05' })],
    invoices: [invoice('I1', 'C1', '2016-11-05', '2016-12-05')],
    invoiceLines: [invoiceLine('I1', 1, 'A', 1, '100.00')],
    payments: [payment('P1', 'C1', '2016-11-20', '120.00', 'I1'), payment('R1', 'C1', '2016-12-10', '-50.00', 'I1')],
  }),
);

async function putPayments(rows: Record<string, unknown>[]): Promise<RowResult[]> {
  const res = await api.call(putLedgerRowsRoute, { params: { ledger: 'payments' }, body: { rows }, user: CLERK });
  expect(res.status).toBe(200);
  return (res.jsonBody as { results: RowResult[] }).results;
}

async function collected(includePending = false): Promise<[string, string][]> {
  const query: Record<string, string> = { period: 'month', from: '2016-11-01', to: '2016-12-31', groupBy: 'none' };
  if (includePending) query.includePending = 'true';
  const res = await api.call(statsRoute, { query });
  expect(res.status).toBe(200);
  return (res.jsonBody as { rows: StatsRow[] }).rows.map((r) => [r.period, r.collected]);
}

describe('refunds through the API', () => {
  it('PUT payments: a negative amount is stored as a refund, 0 is refused with a message a clerk understands', async () => {
    const results = await putPayments([
      { paymentId: 'R9', contractId: 'C1', receivedOn: '2016-12-20', amount: '-10.00' },
      { paymentId: 'Z9', contractId: 'C1', receivedOn: '2016-12-20', amount: '0.00' },
    ]);
    expect(results.map((r) => r.status)).toEqual(['created', 'invalid']);
    expect(results[1]?.errors).toEqual([
      {
        field: 'amount',
        message: 'must not be 0: enter money received as a positive amount, a refund as a negative one',
      },
    ]);
  });

  it('stats: the approved refund lowers collected in its own month; a pending one counts with includePending', async () => {
    expect(await collected()).toEqual([
      ['2016-11', '120.00'],
      ['2016-12', '-50.00'],
    ]);
    // R9 (−10.00, written above) is pending.
    expect(await collected(true)).toEqual([
      ['2016-11', '120.00'],
      ['2016-12', '-60.00'],
    ]);
  });

  it('the rollups the approvals kept agree to the cent with a rebuild from the ledgers', async () => {
    await expectRollupsMatchRebuild();
  });

  it('receivables: the reopened 30.00 ages from I1’s due date, nothing unapplied', async () => {
    const res = await api.call(receivablesRoute, { query: { asOf: '2016-12-31', groupBy: 'customer' } });
    expect(res.status).toBe(200);
    expect(res.jsonBody).toEqual({
      asOf: '2016-12-31',
      rows: [
        {
          group: 'K1',
          currency: 'EUR',
          current: '0.00',
          d1_30: '30.00',
          d31_60: '0.00',
          d61_90: '0.00',
          d91_120: '0.00',
          over120: '0.00',
          total: '30.00',
          unapplied: '0.00',
        },
      ],
    });
  });

  it('customer statement: the refund is a refund line, a debit', async () => {
    const res = await api.call(customerStatementRoute, {
      params: { customerId: 'K1' },
      query: { from: '2016-12-01', to: '2016-12-31' },
    });
    expect(res.status).toBe(200);
    const body = res.jsonBody as StatementResponse;
    expect(body.openingBalance).toBe('-20.00');
    expect(body.lines).toEqual([
      {
        date: '2016-12-10',
        kind: 'refund',
        ref: 'R1',
        contractId: 'C1',
        currency: 'EUR',
        invoiceNo: 'I1',
        debit: '50.00',
        credit: '0.00',
        balance: '30.00',
      },
    ]);
    expect(body.closingBalance).toBe('30.00');
    // The statements workbook writes the same line: kind "refund", the money under Debit.
    const sheet = buildStatementsWorkbook([{ statement: body, name: 'Customer K1' }]).getWorksheet('K1');
    const row = sheet?.getRow(8);
    expect(LINE_HEADERS.slice(1, 5).map((_h, i) => row?.getCell(i + 2).text)).toEqual(['refund', 'R1', 'C1', 'EUR']);
    expect([7, 8, 9].map((c) => row?.getCell(c).value)).toEqual([50, 0, 30]);
    expect(LINE_HEADERS.slice(6)).toEqual(['Debit', 'Credit', 'Balance']);
  });

  it('commission statement: the reversal is clawed back in December at November’s 5 %', async () => {
    const nov = await api.call(commissionStatementRoute, { query: { salespersonId: 'S1', month: '2016-11' } });
    expect((nov.jsonBody as CommissionStatementWire).commission).toBe('5.00');
    const res = await api.call(commissionStatementRoute, { query: { salespersonId: 'S1', month: '2016-12' } });
    expect(res.status).toBe(200);
    const body = res.jsonBody as CommissionStatementWire;
    expect(body.lines.map((l) => [l.kind, l.date, l.paymentId, l.invoiceNo, l.amount, l.rate, l.commission])).toEqual([
      ['refund', '2016-12-10', 'R1', 'I1', '-30.00', '0.05', '-1.50'],
    ]);
    expect(body.commission).toBe('-1.50');
  });
});
