// Credit notes in the pane (issue #14): "Set up ledger sheets" makes the Credit notes sheet from the ledger's
// declaration, Validate refuses a credit note naming another contract's invoice, and Reconcile counts credit notes
// among our lines, as the customer statement does.
import { statementRows } from '../../../addin/flows/commission';
import { THEIR_LINES_SPEC, reconcileSheet } from '../../../addin/flows/reconcile';
import { setupLedgerSheets } from '../../../addin/flows/setup';
import { validateWorkbook } from '../../../addin/flows/validate';
import { createMemoryWorkbook } from '../../../addin/excel/memoryWorkbook';
import { toExcelSerial } from '../../../shared/dates';
import { SAMPLE, ledgerWorkbook } from '../support/ledgerWorkbook';

const CREDIT = {
  creditNoteNo: 'CN1',
  contractId: 'K1',
  invoiceNo: 'I1',
  issuedOn: '2016-11-25',
  amount: '12.50',
  creditReason: 'one item damaged, kept at a discount',
};

describe('Credit notes sheet', () => {
  it('is set up like every ledger: its own sheet and table, money formatted, bookkeeping hidden', async () => {
    const wb = createMemoryWorkbook();
    const results = await setupLedgerSheets(wb);
    expect(results.find((r) => r.ledger === 'creditNotes')).toMatchObject({
      table: 'CreditNotes',
      created: true,
      rows: 0,
    });
    const t = wb.tables.get('CreditNotes');
    expect(t?.sheet).toBe('Credit notes');
    expect(t?.columns.filter((c) => !c.hidden).map((c) => [c.name, c.numberFormat])).toEqual([
      ['Credit note no', '@'],
      ['Contract ID', '@'],
      ['Invoice no', '@'],
      ['Issued on', 'yyyy-mm-dd'],
      ['Amount', '#,##0.00'],
      ['Credit reason', '@'],
      ['Approval', expect.any(String)],
      ['Approved by', expect.any(String)],
      ['Sync status', expect.any(String)],
    ]);
    // The sheet comes after Payments and Invoices, which a credit note refers to (publish order: parents first).
    const sheets = [...wb.sheets.keys()];
    expect(sheets.indexOf('Credit notes')).toBe(sheets.indexOf('Payments') + 1);
  });

  it('validates a credit note against its invoice’s contract and its amount', async () => {
    const wb = await ledgerWorkbook({
      ...SAMPLE,
      contracts: [
        ...(SAMPLE.contracts ?? []),
        { contractId: 'K2', customerId: 'C1', salespersonId: 'S1', region: 'East', signedOn: '2016-11-02' },
      ],
      invoices: [...(SAMPLE.invoices ?? []), { invoiceNo: 'I2', contractId: 'K2', issuedOn: '2016-11-12' }],
      creditNotes: [
        CREDIT,
        { ...CREDIT, creditNoteNo: 'CN2', invoiceNo: 'I2' },
        { ...CREDIT, creditNoteNo: 'CN3', amount: '-1.00' },
      ],
    });
    const res = await validateWorkbook(wb);
    expect(res.errors.map((e) => [e.address, e.message])).toEqual([
      ["'Credit notes'!C3", 'Invoice no I2 is an invoice of contract K2, not of K1'],
      ["'Credit notes'!E4", 'Amount must be greater than 0'],
    ]);
  });

  it('counts credit notes among our lines when reconciling, negative like payments', async () => {
    const wb = await ledgerWorkbook({ ...SAMPLE, payments: [], creditNotes: [CREDIT] });
    await wb.ensureTable(THEIR_LINES_SPEC);
    await wb.writeRows(
      THEIR_LINES_SPEC.table,
      [
        ['I1', toExcelSerial('2016-11-10'), 62.5, '', null],
        ['CN1', toExcelSerial('2016-11-25'), -12.5, '', null],
      ],
      'replace',
    );
    const { result } = await reconcileSheet(wb, { customerId: 'C1', asOf: '2016-11-30' });
    expect(result.matches.map((m) => [m.reason, m.ours.map((o) => [o.ref, o.amount])])).toEqual([
      ['reference_amount', [['CN1', -1250]]],
      ['reference_amount', [['I1', 6250]]],
    ]);
    expect(result.onlyOurs).toEqual([]);
  });

  it('shows a commission statement’s credit lines as Credit note on the Commission sheet', () => {
    const rows = statementRows(
      {
        salespersonId: 'S1',
        month: '2016-03',
        currency: 'EUR',
        otherCurrencies: [],
        planId: 'TIERED',
        basis: 'invoiced',
        settled: false,
        lines: [
          {
            kind: 'credit',
            date: '2016-03-10',
            paymentId: null,
            invoiceNo: 'I2',
            contractId: 'C1',
            months: [],
            amount: '-300.00',
            daysLate: null,
            rate: '0.05',
            commission: '-15.00',
            creditNoteNo: 'CN1',
          },
        ],
        commission: '-15.00',
      },
      'Sam',
    );
    expect(rows[0]?.slice(3, 14)).toEqual([
      'EUR',
      'Credit note',
      toExcelSerial('2016-03-10'),
      '',
      'I2',
      'C1',
      '',
      -300,
      '',
      0.05,
      -15,
    ]);
  });
});
