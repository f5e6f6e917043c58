// Tests addin/flows/dunning.ts: the Dunning sheet written from a real proposal (the API handler on Azurite), and the
// client's handling of the API's answers.
import {
  createDunningClient,
  DUNNING_SPEC,
  DUNNING_STATUS,
  issueReminders,
  reminderNo,
  writeDunningProposal,
} from '../../../addin/flows/dunning';
import { createMemoryWorkbook } from '../../../addin/excel/memoryWorkbook';
import type { DunningProposalResponse, PutRowsResponse } from '../../../shared/api';
import type { LedgerName } from '../../../shared/ledgers';
import { putLedgerRowsRoute } from '../../../functions/src/functions/putLedgerRows';
import { readRow } from '../../../functions/src/store/ledgerStore';
import { ledgerData } from '../../../shared/calc';
import { toExcelSerial } from '../../../shared/dates';
import { setConfigForTests } from '../../../functions/src/config';
import { dunningProposalsRoute } from '../../../functions/src/functions/dunningProposals';
import { registerFigureProjection } from '../../../functions/src/figures/projection';
import { contract, invoice, invoiceLine, money, payment } from '../../shared/calc/fixtures/records';
import { approveKeys, writeAndApprove } from '../../functions/figures/support';
import { ledgerApi } from '../../support/ledgerApi';

jest.setTimeout(60_000);
let unregister: () => void;
beforeAll(() => (unregister = registerFigureProjection()));
afterAll(() => {
  unregister();
  setConfigForTests(undefined);
});

const tokens = { getToken: () => Promise.resolve('t'), user: () => 'erin' };

describe('Dunning sheet', () => {
  it('writes each reminder line, the netted unapplied money, held invoices and skipped customers', async () => {
    const api = ledgerApi();
    await writeAndApprove(
      api,
      ledgerData({
        customers: [
          { customerId: 'K1', name: 'One', region: 'East', reminderTermsCode: 'STD' },
          { customerId: 'K2', name: 'Two', region: 'East', reminderTermsCode: 'STD', dunningBlocked: true },
        ],
        reminderTerms: [
          { termsCode: 'STD', name: 'S', minAmount: 0, maxReminders: 0, interestRatePct: 0, interestBasisDays: '365' },
        ],
        reminderLevels: [
          {
            termsCode: 'STD',
            level: 1,
            graceDays: 0,
            payWithinDays: 14,
            feeFixed: money('5.00'),
            feePct: 0,
            chargeInterest: false,
          },
        ],
        contracts: [contract('C1'), contract('C2'), contract('C3', { customerId: 'K2' })],
        invoices: [
          invoice('I1', 'C1', '2016-02-01', '2016-03-01'),
          invoice('I2', 'C1', '2016-02-01', '2016-03-02'),
          invoice('I3', 'C3', '2016-02-01', '2016-03-01'),
        ],
        invoiceLines: [
          invoiceLine('I1', 1, 'A', 1, '100.00'),
          invoiceLine('I2', 1, 'A', 1, '900.00'),
          invoiceLine('I3', 1, 'A', 1, '70.00'),
        ],
        // 150.00 unapplied on C2, received 2016-03-05: covers I1 (held), not I2.
        payments: [payment('P1', 'C2', '2016-03-05', '150.00')],
      }),
    );
    const client = {
      propose: async (asOf: string) =>
        (await api.call(dunningProposalsRoute, { query: { asOf } })).jsonBody as DunningProposalResponse,
    };
    const wb = createMemoryWorkbook();
    const p = await writeDunningProposal(wb, client, '2016-03-10');
    expect(p.reminders).toHaveLength(1);
    const t = wb.tables.get(DUNNING_SPEC.table);
    expect(t?.sheet).toBe('Dunning');
    expect(t?.rows).toEqual([
      [
        'K1',
        'EUR',
        DUNNING_STATUS.remind,
        1,
        'I2',
        toExcelSerial('2016-03-02'),
        8,
        900,
        0,
        5,
        toExcelSerial('2016-03-24'),
      ],
      ['K1', 'EUR', DUNNING_STATUS.unapplied, '', '', '', '', -150, '', '', ''],
      ['K1', 'EUR', DUNNING_STATUS.possible_payment, '', 'I1', '', '', 100, '', '', ''],
      ['K2', 'EUR', DUNNING_STATUS.blocked, '', '', '', '', 70, '', '', ''],
    ]);
    await expect(writeDunningProposal(wb, client, '10/03/2016')).rejects.toThrow('As of must be a date as YYYY-MM-DD.');
  });

  it('issues the lines left on the sheet as pending reminders; once approved, the next run goes on to level 2', async () => {
    const api = ledgerApi();
    await writeAndApprove(
      api,
      ledgerData({
        customers: [{ customerId: 'K1', name: 'One', region: 'East', reminderTermsCode: 'STD' }],
        reminderTerms: [
          { termsCode: 'STD', name: 'S', minAmount: 0, maxReminders: 0, interestRatePct: 0, interestBasisDays: '365' },
        ],
        reminderLevels: [1, 2].map((level) => ({
          termsCode: 'STD',
          level,
          graceDays: 0,
          payWithinDays: 14,
          feeFixed: money(level === 1 ? '5.00' : '9.00'),
          feePct: 0,
          chargeInterest: false,
        })),
        contracts: [contract('C1')],
        invoices: [invoice('I1', 'C1', '2016-02-01', '2016-03-01'), invoice('I2', 'C1', '2016-02-01', '2016-03-02')],
        invoiceLines: [invoiceLine('I1', 1, 'A', 1, '100.00'), invoiceLine('I2', 1, 'A', 1, '900.00')],
      }),
    );
    const proposals = {
      propose: async (asOf: string) =>
        (await api.call(dunningProposalsRoute, { query: { asOf } })).jsonBody as DunningProposalResponse,
    };
    const clerk = {
      putRows: async (ledger: LedgerName, rows: readonly object[], key: string) =>
        (
          await api.call(putLedgerRowsRoute, {
            params: { ledger },
            body: { rows },
            headers: { 'idempotency-key': key },
          })
        ).jsonBody as PutRowsResponse,
    };
    const wb = createMemoryWorkbook();
    await writeDunningProposal(wb, proposals, '2016-03-10');
    // The clerk removes I1's line before issuing.
    const t = wb.tables.get(DUNNING_SPEC.table);
    if (t === undefined) throw new Error('no Dunning table');
    expect(t.rows.map((r) => r[4])).toEqual(['I1', 'I2']);
    t.rows.splice(0, 1);
    const issued = await issueReminders(wb, clerk, '2016-03-10', 'run-1');
    expect(issued).toEqual({ reminders: 1, lines: 1, refused: [] });
    const no = reminderNo('2016-03-10', 'K1', 'EUR');
    expect(no).toBe('R-2016-03-10-K1-EUR');
    const stored = await readRow('reminders', no);
    expect(stored?.approved).toBeUndefined();
    expect(stored?.latest).toEqual({
      reminderNo: no,
      customerId: 'K1',
      currency: 'EUR',
      level: 1,
      issuedOn: '2016-03-10',
      payBy: '2016-03-24',
      status: 'issued',
    });
    expect((await readRow('reminderLines', `${no}~1`))?.latest).toEqual({
      reminderNo: no,
      lineNo: 1,
      invoiceNo: 'I2',
      level: 1,
      outstanding: money('900.00'),
      daysOverdue: 8,
      interest: 0,
      fee: money('5.00'),
    });
    // Issuing the same sheet again changes nothing.
    expect(await issueReminders(wb, clerk, '2016-03-10', 'run-2')).toEqual({ reminders: 1, lines: 1, refused: [] });
    // Pending, it is no history yet: a run on 2016-03-25 still proposes level 1 for I2.
    const before = await proposals.propose('2016-03-25');
    expect(before.reminders[0]?.lines.map((l) => [l.invoiceNo, l.level])).toEqual([
      ['I1', 1],
      ['I2', 1],
    ]);
    await approveKeys(api, 'reminders', [no]);
    await approveKeys(api, 'reminderLines', [`${no}~1`]);
    // Approved: I2 goes on to level 2 after its pay-by date (2016-03-24), with level 2's fee; I1 stays at level 1.
    const after = await proposals.propose('2016-03-25');
    expect(after.reminders[0]?.lines.map((l) => [l.invoiceNo, l.level, l.referenceDate, l.fee])).toEqual([
      ['I1', 1, '2016-03-01', '5.00'],
      ['I2', 2, '2016-03-24', '9.00'],
    ]);
    expect(after.resolved).toEqual([]);
    // I2 paid in full: the reminder has resolved itself, and I2 is not reminded again.
    await writeAndApprove(api, ledgerData({ payments: [payment('P9', 'C1', '2016-03-26', '900.00', 'I2')] }));
    const paid = await proposals.propose('2016-03-27');
    expect(paid.resolved).toEqual([no]);
    expect(paid.reminders[0]?.lines.map((l) => l.invoiceNo)).toEqual(['I1']);
  });

  it("the client posts asOf with the bearer token and passes the API's error message on", async () => {
    const calls: string[] = [];
    const client = createDunningClient({
      baseUrl: 'http://api.test/api/',
      tokens,
      fetch: (input, init) => {
        calls.push(`${init?.method} ${input as string} ${(init?.headers as Record<string, string>).Authorization}`);
        return Promise.resolve(
          new Response(
            JSON.stringify({
              error: {
                code: 'invalid',
                message: 'Invalid query parameter: asOf must be a calendar date as YYYY-MM-DD.',
              },
            }),
            {
              status: 400,
            },
          ),
        );
      },
    });
    await expect(client.propose('2016-02-30')).rejects.toThrow(
      'Invalid query parameter: asOf must be a calendar date as YYYY-MM-DD.',
    );
    expect(calls).toEqual(['POST http://api.test/api/dunning/proposals?asOf=2016-02-30 Bearer t']);
    const bad = createDunningClient({
      baseUrl: 'http://api.test/api',
      tokens,
      fetch: () => Promise.resolve(new Response('{"x":1}')),
    });
    await expect(bad.propose('2016-03-01')).rejects.toThrow('Unexpected answer from POST /dunning/proposals.');
  });
});
