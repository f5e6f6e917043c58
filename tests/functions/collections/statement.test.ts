// GET /api/customers/{customerId}/statement on Azurite: its closing balance ties to GET /api/receivables
// (total − unapplied) to the cent for every customer of generated ledgers, it equals shared/calc over the approved
// rows, and bad input gets a clear 400 or 404.
import fc from 'fast-check';
import type { ReceivablesRow, StatementResponse } from '../../../shared/api';
import { customerStatement } from '../../../shared/calc/statement';
import { parseMoney } from '../../../shared/money';
import { setConfigForTests } from '../../../functions/src/config';
import { registerFigureProjection } from '../../../functions/src/figures/projection';
import { customerStatementRoute, statementToWire } from '../../../functions/src/functions/customerStatement';
import { receivablesRoute } from '../../../functions/src/functions/receivables';
import { arbLedger } from '../../shared/calc/fixtures/random';
import { ledgerApi } from '../../support/ledgerApi';
import { putRecords, writeAndApprove } from '../figures/support';
import { ledgerData } from '../../../shared/calc';
import { contract, invoice, invoiceLine, payment } from '../../shared/calc/fixtures/records';

jest.setTimeout(300_000);

let unregister: () => void;
beforeAll(() => (unregister = registerFigureProjection()));
afterAll(() => {
  unregister();
  setConfigForTests(undefined);
});

describe('customer statement over HTTP', () => {
  it('closing balance = receivables total − unapplied as of `to`, for every customer of generated ledgers', async () => {
    const samples = fc.sample(arbLedger(), { numRuns: 4, seed: 1313 });
    let nonZero = 0;
    for (const data of samples) {
      const api = ledgerApi();
      const approved = await writeAndApprove(api, data);
      for (const [from, to] of [
        ['2015-06-01', '2016-03-31'],
        ['2016-01-01', '2017-06-30'],
      ] as const) {
        const rec = await api.call(receivablesRoute, { query: { asOf: to, groupBy: 'customer' } });
        expect(rec.status).toBe(200);
        const rows = (rec.jsonBody as { rows: ReceivablesRow[] }).rows;
        for (const customerId of ['K1', 'K2', 'K3']) {
          const res = await api.call(customerStatementRoute, { params: { customerId }, query: { from, to } });
          expect(res.status).toBe(200);
          const s = res.jsonBody as StatementResponse;
          const row = rows.find((r) => r.group === customerId);
          const expected = row === undefined ? 0 : parseMoney(row.total) - parseMoney(row.unapplied);
          expect(parseMoney(s.closingBalance)).toBe(expected);
          if (expected !== 0) nonZero++;
          expect(s).toEqual(statementToWire(customerStatement(approved, customerId, from, to)));
        }
      }
    }
    // The check is not vacuous: some customers owe money.
    expect(nonZero).toBeGreaterThan(3);
  });

  it('includePending=true counts a payment not yet approved; without it the statement is of approved rows', async () => {
    const api = ledgerApi();
    const data = ledgerData({
      contracts: [contract('C1')],
      invoices: [invoice('I1', 'C1', '2016-02-01')],
      invoiceLines: [invoiceLine('I1', 1, 'A', 1, '100.00')],
    });
    await writeAndApprove(api, data);
    await putRecords(api, 'payments', [payment('P1', 'C1', '2016-02-10', '30.00')]);
    const query = { from: '2016-01-01', to: '2016-02-29' };
    const approved = await api.call(customerStatementRoute, { params: { customerId: 'K1' }, query });
    expect((approved.jsonBody as StatementResponse).closingBalance).toBe('100.00');
    const pending = await api.call(customerStatementRoute, {
      params: { customerId: 'K1' },
      query: { ...query, includePending: 'true' },
    });
    expect((pending.jsonBody as StatementResponse).closingBalance).toBe('70.00');
    expect((pending.jsonBody as StatementResponse).lines.map((l) => [l.ref, l.credit, l.balance])).toEqual([
      ['I1', '0.00', '100.00'],
      ['P1', '30.00', '70.00'],
    ]);
  });

  it('404 for an unknown customer; 400 naming a bad or missing parameter', async () => {
    const api = ledgerApi();
    await writeAndApprove(api, fc.sample(arbLedger(), { numRuns: 1, seed: 7 })[0] as never);
    const unknown = await api.call(customerStatementRoute, {
      params: { customerId: 'NOBODY' },
      query: { from: '2016-01-01', to: '2016-12-31' },
    });
    expect(unknown.status).toBe(404);
    expect(JSON.stringify(unknown.jsonBody)).toContain('Customer NOBODY does not exist');
    const reversed = await api.call(customerStatementRoute, {
      params: { customerId: 'K1' },
      query: { from: '2016-12-31', to: '2016-01-01' },
    });
    expect(reversed.status).toBe(400);
    expect(JSON.stringify(reversed.jsonBody)).toContain('from must not be after to');
    const missing = await api.call(customerStatementRoute, {
      params: { customerId: 'K1' },
      query: { from: '2016-01-01' },
    });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.jsonBody)).toMatch(/to /);
    const extra = await api.call(customerStatementRoute, {
      params: { customerId: 'K1' },
      query: { from: '2016-01-01', to: '2016-02-01', asOf: '2016-01-01' },
    });
    expect(extra.status).toBe(400);
    expect(JSON.stringify(extra.jsonBody)).toContain('asOf is not a parameter of this endpoint');
  });
});
