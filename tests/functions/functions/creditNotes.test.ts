// Credit notes through the API on Azurite (issue #14): written as a clerk, in effect only once a second person
// approves them, refused when they name another contract's invoice, and netted in /api/stats and /api/receivables.
import type { ApprovalsResponse, CustomerFileResponse, ReceivablesRow, RowResult, StatsRow } from '../../../shared/api';
import { ledgerData } from '../../../shared/calc';
import { approveLedgerRowsRoute } from '../../../functions/src/functions/approveLedgerRows';
import { customerFileRoute } from '../../../functions/src/functions/customerFile';
import { customerStatementRoute } from '../../../functions/src/functions/customerStatement';
import { receivablesRoute } from '../../../functions/src/functions/receivables';
import { statsRoute } from '../../../functions/src/functions/stats';
import { readApprovedLedgers } from '../../../functions/src/reports/approvedLedgers';
import { buildReportData } from '../../../functions/src/reports/reportData';
import { parsePeriod } from '../../../shared/dates';
import { contract, invoice, invoiceLine, payment } from '../../shared/calc/fixtures/records';
import { ADMIN, CLERK, REVIEWER } from '../../support/ledgerApi';
import { getRow, put } from '../../support/ledgerFixtures';
import { seenNow } from '../../support/seen';
import { expectRollupsMatchRebuild, useApprovedData } from '../figures/support';

// C1 (customer K1, East): I1 1,000.00 on 2016-01-10, paid in full on 2016-02-01, and I2 500.00 on 2016-01-20.
// C2 (customer K2, West): I3 300.00 on 2016-01-15.
const api = useApprovedData(
  ledgerData({
    contracts: [contract('C1'), contract('C2', { customerId: 'K2', region: 'West' })],
    invoices: [invoice('I1', 'C1', '2016-01-10'), invoice('I2', 'C1', '2016-01-20'), invoice('I3', 'C2', '2016-01-15')],
    invoiceLines: [
      invoiceLine('I1', 1, 'A', 1, '1000.00'),
      invoiceLine('I2', 1, 'A', 1, '500.00'),
      invoiceLine('I3', 1, 'A', 1, '300.00'),
    ],
    payments: [payment('P1', 'C1', '2016-02-01', '1000.00', 'I1')],
  }),
);

const creditNote = (creditNoteNo: string, invoiceNo: string, contractId: string, amount: string) => ({
  creditNoteNo,
  contractId,
  invoiceNo,
  issuedOn: '2016-03-05',
  amount,
  creditReason: 'damaged goods kept at a discount',
});

async function approve(keys: string[], user = REVIEWER): Promise<string[]> {
  const res = await api.call(approveLedgerRowsRoute, {
    params: { ledger: 'creditNotes' },
    body: { rows: await seenNow('creditNotes', keys) },
    user,
  });
  return (res.jsonBody as ApprovalsResponse).results.map((r) => r.status);
}

async function statsByMonth(): Promise<[string, string | null, string][]> {
  const res = await api.call(statsRoute, {
    query: { period: 'month', from: '2016-01-01', to: '2016-12-31', groupBy: 'region' },
  });
  return (res.jsonBody as { rows: StatsRow[] }).rows.map((r) => [r.period, r.group, r.invoiced]);
}

async function receivables(includePending = false): Promise<Pick<ReceivablesRow, 'group' | 'total' | 'unapplied'>[]> {
  const query = { asOf: '2016-03-31', groupBy: 'contract', ...(includePending ? { includePending: 'true' } : {}) };
  const res = await api.call(receivablesRoute, { query });
  return (res.jsonBody as { rows: ReceivablesRow[] }).rows.map(({ group, total, unapplied }) => ({
    group,
    total,
    unapplied,
  }));
}

describe('credit notes through the API', () => {
  it('refuses a credit note naming another contract’s invoice, or a zero amount, and keeps nothing of them', async () => {
    const results = await put(api, 'creditNotes', [
      creditNote('CN-X', 'I3', 'C1', '50.00'),
      creditNote('CN-0', 'I1', 'C1', '0.00'),
    ]);
    expect(results).toEqual<RowResult[]>([
      {
        key: 'CN-X',
        status: 'invalid',
        errors: [{ field: 'invoiceNo', message: 'I3 is an invoice of contract C2, not of C1' }],
      },
      { key: 'CN-0', status: 'invalid', errors: [{ field: 'amount', message: 'must be greater than 0' }] },
    ]);
    expect(await getRow(api, 'creditNotes', 'CN-X')).toBeUndefined();
  });

  it('counts a credit note in stats and receivables only once a second person approves it', async () => {
    const before = await receivables();
    expect(before).toEqual([
      { group: 'C1', total: '500.00', unapplied: '0.00' },
      { group: 'C2', total: '300.00', unapplied: '0.00' },
    ]);
    expect(await statsByMonth()).toEqual([
      ['2016-01', 'East', '1500.00'],
      ['2016-01', 'West', '300.00'],
      ['2016-02', 'East', '0.00'],
    ]);

    // 300.00 off the paid I1: P1's freed 300.00 settles I2 in part. 350.00 off I3 (300.00): 50.00 unapplied.
    const written = await put(
      api,
      'creditNotes',
      [creditNote('CN1', 'I1', 'C1', '300.00'), creditNote('CN2', 'I3', 'C2', '350.00')],
      { user: CLERK },
    );
    expect(written.map((r) => r.status)).toEqual(['created', 'created']);
    expect((await getRow(api, 'creditNotes', 'CN1'))?.approval).toMatchObject({ status: 'pending' });
    // Pending: the figures do not move, unless asked to include pending versions.
    expect(await receivables()).toEqual(before);
    expect(await receivables(true)).toEqual([
      { group: 'C1', total: '200.00', unapplied: '0.00' },
      { group: 'C2', total: '0.00', unapplied: '50.00' },
    ]);
    const provisional = await api.call(statsRoute, {
      query: { period: 'quarter', from: '2016-01-01', to: '2016-12-31', groupBy: 'none', includePending: 'true' },
    });
    expect((provisional.jsonBody as { rows: StatsRow[] }).rows.map((r) => [r.period, r.invoiced])).toEqual([
      ['2016-Q1', '1150.00'],
    ]);

    // Four eyes: an admin who rewrites CN2 cannot approve their own change.
    const [rewritten] = await put(
      api,
      'creditNotes',
      [{ ...creditNote('CN2', 'I3', 'C2', '350.00'), creditReason: 'goodwill' }],
      {
        user: ADMIN,
      },
    );
    expect(rewritten?.status).toBe('conflict');
    const stored = await getRow(api, 'creditNotes', 'CN2');
    const [mine] = await put(
      api,
      'creditNotes',
      [{ ...creditNote('CN2', 'I3', 'C2', '350.00'), creditReason: 'goodwill', etag: stored?.etag }],
      { user: ADMIN },
    );
    expect(mine?.status).toBe('updated');
    expect(await approve(['CN2'], ADMIN)).toEqual(['self']);
    expect(await receivables()).toEqual(before);

    expect(await approve(['CN1', 'CN2'])).toEqual(['approved', 'approved']);
    expect(await receivables()).toEqual([
      { group: 'C1', total: '200.00', unapplied: '0.00' },
      { group: 'C2', total: '0.00', unapplied: '50.00' },
    ]);
    // Invoiced is lowered in March, the credit notes' month, not in January.
    expect(await statsByMonth()).toEqual([
      ['2016-01', 'East', '1500.00'],
      ['2016-01', 'West', '300.00'],
      ['2016-02', 'East', '0.00'],
      ['2016-03', 'East', '-300.00'],
      ['2016-03', 'West', '-350.00'],
    ]);
    await expectRollupsMatchRebuild();

    // The customer statement lists the credit note as a credit and closes at total − unapplied.
    const res = await api.call(customerStatementRoute, {
      params: { customerId: 'K2' },
      query: { from: '2016-01-01', to: '2016-03-31' },
    });
    const statement = res.jsonBody as {
      lines: { kind: string; ref: string; credit: string }[];
      closingBalance: string;
    };
    expect(statement.lines.map((l) => [l.kind, l.ref, l.credit])).toEqual([
      ['invoice', 'I3', '0.00'],
      ['creditNote', 'CN2', '350.00'],
    ]);
    expect(statement.closingBalance).toBe('-50.00');

    // The customer file's contract figures and aging are net too.
    const file = await api.call(customerFileRoute, { params: { customerId: 'K1' }, query: { asOf: '2016-03-31' } });
    const body = file.jsonBody as CustomerFileResponse;
    expect(body.contracts.map((c) => [c.performance?.invoicedAmount, c.performance?.receivable])).toEqual([
      ['1200.00', '200.00'],
    ]);
    expect([body.receivables?.total, body.receivables?.unapplied]).toEqual(['200.00', '0.00']);
  });

  it('enters the March report: its statistics and receivables are net of the approved credit notes', async () => {
    expect((await readApprovedLedgers('2016-03-04')).creditNotes).toEqual([]);
    const data = await readApprovedLedgers('2016-03-31');
    expect(data.creditNotes.map((c) => [c.creditNoteNo, c.amount]).sort()).toEqual([
      ['CN1', 30_000],
      ['CN2', 35_000],
    ]);
    const report = buildReportData(data, parsePeriod('2016-03'), {
      generatedAt: new Date('2016-04-01T02:00:00Z'),
      generatedBy: 'timer',
      appVersion: 'test',
      currency: 'EUR',
    });
    expect([...(report.regions as Iterable<StatsRow>)].map((r) => [r.group, r.invoiced])).toEqual([
      ['East', '-300.00'],
      ['West', '-350.00'],
    ]);
    expect(
      [...(report.receivables.rows as Iterable<ReceivablesRow>)].map((r) => [r.group, r.total, r.unapplied]),
    ).toEqual([
      ['K1', '200.00', '0.00'],
      ['K2', '0.00', '50.00'],
    ]);
  });
});
