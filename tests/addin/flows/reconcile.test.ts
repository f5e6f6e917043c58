// Tests addin/flows/reconcile.ts on the memory workbook: their pasted lines against one customer's invoices and
// payments on the ledger sheets; match status and difference per line, and the reconciling statement that ties.
import { ONLY_THEIRS, RECONCILIATION_SPEC, THEIR_LINES_SPEC, reconcileSheet } from '../../../addin/flows/reconcile';
import { toExcelSerial } from '../../../shared/dates';
import { SAMPLE, ledgerCells, ledgerWorkbook } from '../support/ledgerWorkbook';

describe('Reconcile', () => {
  it('writes match status and difference per line of theirs and a reconciling statement that ties', async () => {
    const wb = await ledgerWorkbook({
      ...SAMPLE,
      invoices: [
        { invoiceNo: 'I1', contractId: 'K1', issuedOn: '2016-11-10' },
        { invoiceNo: 'I2', contractId: 'K1', issuedOn: '2016-11-15' },
        { invoiceNo: 'I3', contractId: 'K1', issuedOn: '2016-11-25' },
        { invoiceNo: 'I4', contractId: 'K1', issuedOn: '2016-12-05' },
      ],
      invoiceLines: [
        { invoiceNo: 'I1', lineNo: 1, itemCode: 'A', quantity: 5, unitPrice: '12.50' },
        { invoiceNo: 'I2', lineNo: 1, itemCode: 'A', quantity: 8, unitPrice: '12.50' },
        { invoiceNo: 'I3', lineNo: 1, itemCode: 'A', quantity: 1, unitPrice: '40.00' },
        { invoiceNo: 'I4', lineNo: 1, itemCode: 'A', quantity: 1, unitPrice: '9.00' },
      ],
      payments: [{ paymentId: 'P1', contractId: 'K1', receivedOn: '2016-11-20', amount: '62.50' }],
    });
    await wb.ensureTable(THEIR_LINES_SPEC);
    await wb.writeRows(
      THEIR_LINES_SPEC.table,
      [
        ['i-001', toExcelSerial('2016-11-10'), 62.5, '', null],
        ['I2', '2016-11-15', 99.5, '', null],
        ['BANK 77', toExcelSerial('2016-11-21'), -62.5, '', null],
        ['CN9', toExcelSerial('2016-11-28'), -5, '', null],
        ['X', 'tomorrow', 1, '', null],
      ],
      'replace',
    );
    const { result, unreadable } = await reconcileSheet(wb, {
      customerId: 'C1',
      asOf: '2016-11-30',
      amountTolerance: 100,
    });
    expect(unreadable).toEqual([{ row: 5, message: 'date "tomorrow" is neither a date cell nor YYYY-MM-DD' }]);
    // I4 is issued after asOf: not one of our lines.
    expect(result.onlyOurs.map((o) => o.ref)).toEqual(['I3']);
    const theirs = wb.tables.get(THEIR_LINES_SPEC.table);
    expect(theirs?.rows.map((r) => [r[3], r[4]])).toEqual([
      ['Same document and amount: I1', ''],
      ['Same document, amount differs: I2', -0.5],
      ['Probable: same amount, near date: P1', ''],
      [ONLY_THEIRS, ''],
      ['Not read: date "tomorrow" is neither a date cell nor YYYY-MM-DD', ''],
    ]);
    const statement = wb.tables.get(RECONCILIATION_SPEC.table);
    expect(statement?.sheet).toBe('Reconciliation');
    // Ours: 62.50 + 100.00 − 62.50 + 40.00 = 140.00; theirs: 62.50 + 99.50 − 62.50 − 5.00 = 94.50.
    expect(statement?.rows).toEqual([
      ['Our balance', '', '', 140],
      ['Only ours (less)', 'I3', toExcelSerial('2016-11-25'), -40],
      ['Only theirs (add)', 'CN9', toExcelSerial('2016-11-28'), -5],
      ['Difference', 'I2', '', -0.5],
      ['Their balance', '', '', 94.5],
      ['Ties', 'yes', '', ''],
    ]);
    // The amounts from our balance through the differences add up to their balance.
    const amounts = (statement?.rows ?? []).slice(0, 4).map((r) => Math.round(Number(r[3]) * 100));
    expect(amounts.reduce((a, b) => a + b, 0)).toBe(9450);

    // A person confirms the probable match of BANK 77 with P1. A second payment of 62.50 on 2016-11-21 then makes the
    // same-amount pass ambiguous, yet the confirmed match is kept; an unconfirmed one would become "Only theirs".
    const t3 = theirs?.rows[2];
    if (t3 === undefined) throw new Error('row missing');
    t3[5] = 'yes';
    await wb.writeRows(
      'Payments',
      [ledgerCells('payments', { paymentId: 'P2', contractId: 'K1', receivedOn: '2016-11-21', amount: '62.50' })],
      'append',
    );
    const again = await reconcileSheet(wb, { customerId: 'C1', asOf: '2016-11-30', amountTolerance: 100 });
    expect(again.result.matches.map((m) => [m.reason, m.ours.map((o) => o.ref), m.theirs.map((x) => x.ref)])).toEqual([
      ['confirmed', ['P1'], ['BANK 77']],
      ['reference_amount', ['I1'], ['i-001']],
      ['reference_difference', ['I2'], ['I2']],
    ]);
    expect(theirs?.rows.map((r) => [r[3], r[5]])).toEqual([
      ['Same document and amount: I1', ''],
      ['Same document, amount differs: I2', ''],
      ['Confirmed earlier: P1', 'yes'],
      [ONLY_THEIRS, ''],
      ['Not read: date "tomorrow" is neither a date cell nor YYYY-MM-DD', ''],
    ]);
    expect(again.result.onlyOurs.map((o) => o.ref)).toEqual(['I3', 'P2']);
    expect(again.result.statement.ties).toBe(true);

    // Without the confirmation, the ambiguous payment is matched by nothing.
    t3[5] = '';
    const unconfirmed = await reconcileSheet(wb, { customerId: 'C1', asOf: '2016-11-30', amountTolerance: 100 });
    expect(unconfirmed.result.onlyTheirs.map((x) => x.ref)).toEqual(['BANK 77', 'CN9']);
  });
});
