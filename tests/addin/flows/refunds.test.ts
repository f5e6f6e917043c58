// Refunds in the pane (issue #14): a refund is a payment row with a negative amount. The sheet check (the shared
// schema) passes it and marks an amount of 0 with its message; Reconcile reads a refund as money the customer owes us;
// the Commission sheet names a clawback line Refund.
import { statementRows } from '../../../addin/flows/commission';
import { THEIR_LINES_SPEC, reconcileSheet } from '../../../addin/flows/reconcile';
import { validateWorkbook } from '../../../addin/flows/validate';
import { toExcelSerial } from '../../../shared/dates';
import { SAMPLE, ledgerWorkbook, noteAt, setCell } from '../support/ledgerWorkbook';

// P1 pays I1 (62.50) with 82.50; R1 pays the 20.00 beyond it back.
const WITH_REFUND = {
  ...SAMPLE,
  payments: [
    { paymentId: 'P1', contractId: 'K1', invoiceNo: 'I1', receivedOn: '2016-11-20', amount: '82.50' },
    { paymentId: 'R1', contractId: 'K1', receivedOn: '2016-11-25', amount: '-20.00' },
  ],
};

describe('a refund row on the Payments sheet', () => {
  it('passes the check with a negative amount; an amount of 0 is marked with what to enter instead', async () => {
    const wb = await ledgerWorkbook(WITH_REFUND);
    const ok = await validateWorkbook(wb);
    expect(ok.errors).toEqual([]);
    expect(ok.rowsChecked).toBe(11);

    setCell(wb, 'payments', 1, 'Amount', 0);
    const res = await validateWorkbook(wb);
    const message = 'Amount must not be 0: enter money received as a positive amount, a refund as a negative one';
    expect(res.errors.map((e) => [e.address, e.message])).toEqual([['Payments!E3', message]]);
    expect(noteAt(wb, 'payments', 1, 'Amount')).toBe(`Ledgerdesk: ${message}`);
  });

  it('Reconcile: our refund is a line the customer owes (positive) and matches theirs by its number', async () => {
    const wb = await ledgerWorkbook(WITH_REFUND);
    await wb.ensureTable(THEIR_LINES_SPEC);
    await wb.writeRows(
      THEIR_LINES_SPEC.table,
      [
        ['I1', toExcelSerial('2016-11-10'), 62.5, '', null],
        ['P1', toExcelSerial('2016-11-20'), -82.5, '', null],
        ['R1', toExcelSerial('2016-11-25'), 20, '', null],
      ],
      'replace',
    );
    const { result } = await reconcileSheet(wb, { customerId: 'C1', asOf: '2016-11-30' });
    expect(result.matches.map((m) => [m.reason, m.ours.map((o) => [o.id, o.amount])])).toEqual([
      ['reference_amount', [['invoice:I1', 6250]]],
      ['reference_amount', [['payment:P1', -8250]]],
      ['reference_amount', [['refund:R1', 2000]]],
    ]);
    // 62.50 − 82.50 + 20.00: nothing owed either way, and it ties.
    expect(result.statement).toMatchObject({ ourBalance: 0, theirBalance: 0, ties: true });
  });
});

describe('the Commission sheet', () => {
  it('names a refund line Refund, with its negative amount and commission', () => {
    const rows = statementRows(
      {
        salespersonId: 'S1',
        month: '2016-12',
        currency: 'EUR',
        otherCurrencies: [],
        planId: null,
        basis: 'collected',
        settled: false,
        commission: '-1.50',
        lines: [
          {
            kind: 'refund',
            date: '2016-12-10',
            paymentId: 'R1',
            invoiceNo: 'I1',
            contractId: 'K1',
            months: [],
            amount: '-30.00',
            daysLate: null,
            rate: '0.05',
            commission: '-1.50',
          },
        ],
      },
      'Sam',
    );
    expect(rows[0]?.slice(3, 9)).toEqual(['EUR', 'Refund', toExcelSerial('2016-12-10'), 'R1', 'I1', 'K1']);
    expect(rows[0]?.slice(10)).toEqual([-30, '', 0.05, -1.5]);
  });
});
