// POST /api/dunning/proposals on Azurite: reminder terms, levels and customers written and approved like every
// ledger, the proposal computed from the approved versions only, figure by figure; clear 400s.
import type { DunningProposalResponse } from '../../../shared/api';
import { ledgerData } from '../../../shared/calc';
import { setConfigForTests } from '../../../functions/src/config';
import { registerFigureProjection } from '../../../functions/src/figures/projection';
import { dunningProposalsRoute } from '../../../functions/src/functions/dunningProposals';
import { contract, invoice, invoiceLine, money, payment } from '../../shared/calc/fixtures/records';
import { ledgerApi } from '../../support/ledgerApi';
import { putRecords, writeAndApprove } from '../figures/support';

jest.setTimeout(120_000);

let unregister: () => void;
beforeAll(() => (unregister = registerFigureProjection()));
afterAll(() => {
  unregister();
  setConfigForTests(undefined);
});

const data = ledgerData({
  customers: [
    { customerId: 'K1', name: 'One', region: 'East', reminderTermsCode: 'STD' },
    { customerId: 'K2', name: 'Two', region: 'East', reminderTermsCode: 'STD', dunningBlocked: true },
    { customerId: 'K3', name: 'Three', region: 'East' },
  ],
  reminderTerms: [
    {
      termsCode: 'STD',
      name: 'Standard',
      minAmount: money('10.00'),
      maxReminders: 0,
      interestRatePct: 100000,
      interestBasisDays: '360',
    },
  ],
  reminderLevels: [
    {
      termsCode: 'STD',
      level: 1,
      graceDays: 5,
      payWithinDays: 10,
      feeFixed: money('5.00'),
      feePct: 0,
      chargeInterest: true,
      letterText: 'Dear {customer}, please pay {currency} {total} by {payBy}.',
    },
  ],
  contracts: [contract('C1'), contract('C2', { customerId: 'K2' }), contract('C3', { customerId: 'K3' })],
  invoices: [
    invoice('I1', 'C1', '2016-02-01', '2016-03-01'),
    invoice('I2', 'C2', '2016-02-01', '2016-03-01'),
    invoice('I3', 'C3', '2016-02-01', '2016-03-01'),
  ],
  invoiceLines: [
    invoiceLine('I1', 1, 'A', 1, '1000.00'),
    invoiceLine('I2', 1, 'A', 1, '200.00'),
    invoiceLine('I3', 1, 'A', 1, '300.00'),
  ],
  payments: [payment('P1', 'C1', '2016-04-01', '400.00', 'I1')],
});

describe('POST /api/dunning/proposals', () => {
  it('proposes from the approved ledgers: level, interest, fee, pay-by; blocked and term-less customers skipped', async () => {
    const api = ledgerApi();
    await writeAndApprove(api, data);
    // A pending change of the terms (not approved) does not count.
    await putRecords(api, 'reminderTerms', [{ ...data.reminderTerms[0]!, minAmount: money('100000.00') }]);
    const res = await api.call(dunningProposalsRoute, { query: { asOf: '2016-04-30' } });
    expect(res.status).toBe(200);
    const body = res.jsonBody as DunningProposalResponse;
    // I1: 1000.00 from 03-02 to 03-31 (30 days) and 600.00 from 04-01 to 04-30 (30 days) at 10 % / 360 → 13.33.
    expect(body).toEqual({
      asOf: '2016-04-30',
      resolved: [],
      reminders: [
        {
          customerId: 'K1',
          currency: 'EUR',
          termsCode: 'STD',
          level: 1,
          payBy: '2016-05-10',
          lines: [
            {
              invoiceNo: 'I1',
              contractId: 'C1',
              dueOn: '2016-03-01',
              referenceDate: '2016-03-01',
              level: 1,
              outstanding: '600.00',
              daysOverdue: 60,
              interest: '13.33',
              fee: '5.00',
            },
          ],
          outstanding: '600.00',
          interest: '13.33',
          fees: '5.00',
          unapplied: '0.00',
          total: '618.33',
          letter: 'Dear One, please pay EUR 618.33 by 2016-05-10.',
        },
      ],
      held: [],
      skipped: [
        { customerId: 'K2', currency: 'EUR', outstanding: '200.00', reason: 'blocked' },
        { customerId: 'K3', currency: 'EUR', outstanding: '300.00', reason: 'no_terms' },
      ],
    });
    // Proposing changes nothing: the same run proposes the same again.
    expect((await api.call(dunningProposalsRoute, { query: { asOf: '2016-04-30' } })).jsonBody).toEqual(body);
  });

  it('approved reminders are the history: next level from their pay-by date, fee once, interest less charged', async () => {
    const api = ledgerApi();
    const twoLevels = ledgerData({
      ...data,
      reminderLevels: [
        ...data.reminderLevels,
        { ...data.reminderLevels[0]!, level: 2, graceDays: 3, feeFixed: money('7.00'), letterText: undefined },
      ],
      reminders: [
        {
          reminderNo: 'R1',
          customerId: 'K1',
          currency: 'EUR',
          level: 1,
          issuedOn: '2016-03-10',
          payBy: '2016-03-20',
          status: 'issued',
        },
      ],
      reminderLines: [
        {
          reminderNo: 'R1',
          lineNo: 1,
          invoiceNo: 'I1',
          level: 1,
          outstanding: money('1000.00'),
          daysOverdue: 9,
          interest: money('2.50'),
          fee: money('5.00'),
        },
      ],
    });
    await writeAndApprove(api, twoLevels);
    // A second reminder written but not approved (still pending review) is not history.
    await putRecords(api, 'reminders', [
      {
        reminderNo: 'R2',
        customerId: 'K1',
        currency: 'EUR',
        level: 2,
        issuedOn: '2016-03-24',
        payBy: '2016-04-10',
        status: 'issued',
      },
    ]);
    const res = await api.call(dunningProposalsRoute, { query: { asOf: '2016-04-30' } });
    const k1 = (res.jsonBody as DunningProposalResponse).reminders.find((r) => r.customerId === 'K1');
    // Level 2 after R1 (pay-by 2016-03-20 + 3 days grace < 2016-04-30); interest 13.33 less the 2.50 charged.
    expect(k1?.lines).toEqual([
      {
        invoiceNo: 'I1',
        contractId: 'C1',
        dueOn: '2016-03-01',
        referenceDate: '2016-03-20',
        level: 2,
        outstanding: '600.00',
        daysOverdue: 60,
        interest: '10.83',
        fee: '7.00',
      },
    ]);
  });

  it('400 naming a missing or bad asOf, or an unknown parameter', async () => {
    const api = ledgerApi();
    const missing = await api.call(dunningProposalsRoute, { query: {} });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.jsonBody)).toContain('asOf');
    const bad = await api.call(dunningProposalsRoute, { query: { asOf: '2016-02-30' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.jsonBody)).toContain('must be a calendar date as YYYY-MM-DD');
    const extra = await api.call(dunningProposalsRoute, { query: { asOf: '2016-02-01', level: '2' } });
    expect(extra.status).toBe(400);
    expect(JSON.stringify(extra.jsonBody)).toContain('level is not a parameter of this endpoint');
  });
});
