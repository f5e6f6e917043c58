// Tests addin/flows/invoiceCheck.ts: the shared invoice check on the sheet's rows, marked lines and the result sheet.
import { FINDING_FILL, checkWorkbookInvoices } from '../../../addin/flows/invoiceCheck';
import { SAMPLE, fillAt, ledgerWorkbook, noteAt, setCell } from '../support/ledgerWorkbook';

describe('check invoices', () => {
  it('marks the offending lines and writes the Invoice check sheet with the exact findings', async () => {
    const wb = await ledgerWorkbook({
      ...SAMPLE,
      invoices: [...(SAMPLE.invoices ?? []), { invoiceNo: 'I2', contractId: 'KX', issuedOn: '2016-11-12' }],
      invoiceLines: [
        { invoiceNo: 'I1', lineNo: 1, itemCode: 'A', quantity: 8, unitPrice: '12.50' }, // 8 > 6 delivered
        { invoiceNo: 'I1', lineNo: 2, itemCode: 'B', quantity: 2, unitPrice: '3.50' }, // ordered at 3.3333, none delivered
        { invoiceNo: 'I1', lineNo: 3, itemCode: 'Z', quantity: 1, unitPrice: '1.00' }, // not on the order
        { invoiceNo: 'I2', lineNo: 1, itemCode: 'A', quantity: 1, unitPrice: '12.50' },
      ],
    });
    const res = await checkWorkbookInvoices(wb);
    expect(res.invoicesChecked).toBe(2);
    expect(res.findings.map((f) => [f.invoiceNo, f.lineNo, f.code, f.expected, f.actual, f.address])).toEqual([
      ['I1', 1, 'QTY_EXCEEDS_DELIVERED', 6, 8, "'Invoice lines'!D2"],
      ['I1', 2, 'PRICE_MISMATCH', '3.3333', '3.50', "'Invoice lines'!E3"],
      ['I1', 2, 'QTY_EXCEEDS_DELIVERED', 0, 2, "'Invoice lines'!D3"],
      ['I1', 3, 'ITEM_NOT_ON_ORDER', null, 'Z', "'Invoice lines'!C4"],
      ['I2', null, 'UNKNOWN_CONTRACT', null, 'KX', 'Invoices!B3'],
    ]);
    expect(fillAt(wb, 'invoiceLines', 1, 'Unit price')).toBe(FINDING_FILL);
    expect(noteAt(wb, 'invoiceLines', 1, 'Unit price')).toBe(
      'Ledgerdesk: PRICE_MISMATCH: the unit price differs from the ordered unit price (expected 3.3333, actual 3.50)',
    );
    expect(fillAt(wb, 'invoices', 1, 'Contract ID')).toBe(FINDING_FILL);
    expect(fillAt(wb, 'invoiceLines', 3, 'Quantity')).toBeUndefined();
    const sheet = wb.tables.get('InvoiceCheck');
    expect(sheet?.sheet).toBe('Invoice check');
    expect(sheet?.columns.map((c) => c.name)).toEqual([
      'Invoice no',
      'Line',
      'Item code',
      'Finding',
      'Expected',
      'Actual',
      'Cell',
    ]);
    expect(sheet?.rows).toEqual([
      ['I1', 1, 'A', 'QTY_EXCEEDS_DELIVERED', 6, 8, "'Invoice lines'!D2"],
      ['I1', 2, 'B', 'PRICE_MISMATCH', 3.3333, 3.5, "'Invoice lines'!E3"],
      ['I1', 2, 'B', 'QTY_EXCEEDS_DELIVERED', 0, 2, "'Invoice lines'!D3"],
      ['I1', 3, 'Z', 'ITEM_NOT_ON_ORDER', '', 'Z', "'Invoice lines'!C4"],
      ['I2', '', '', 'UNKNOWN_CONTRACT', '', 'KX', 'Invoices!B3'],
    ]);
  });

  it('writes ids as text (00123 stays 00123) and quantities and prices as numbers in Expected/Actual', async () => {
    const wb = await ledgerWorkbook({
      ...SAMPLE,
      invoices: [...(SAMPLE.invoices ?? []), { invoiceNo: 'I3', contractId: '00123', issuedOn: '2016-11-12' }],
      invoiceLines: [
        { invoiceNo: 'I1', lineNo: 1, itemCode: 'A', quantity: 5, unitPrice: '13.00' },
        { invoiceNo: 'I1', lineNo: 2, itemCode: '0042', quantity: 1, unitPrice: '1.00' },
      ],
    });
    await checkWorkbookInvoices(wb);
    const t = wb.tables.get('InvoiceCheck');
    expect(t?.rows).toEqual([
      ['I1', 1, 'A', 'PRICE_MISMATCH', 12.5, 13, "'Invoice lines'!E2"],
      ['I1', 2, '0042', 'ITEM_NOT_ON_ORDER', '', '0042', "'Invoice lines'!C3"],
      ['I3', '', '', 'UNKNOWN_CONTRACT', '', '00123', 'Invoices!B3'],
    ]);
    // The id cells carry the text format (numbers keep General), so Excel stores the string as typed.
    expect(t?.cellFormats.get('1,5')).toBe('@');
    expect(t?.cellFormats.get('2,5')).toBe('@');
    expect(t?.cellFormats.has('0,5')).toBe(false);
  });

  it("clears its old marks and notes when the line is fixed, keeping the user's own notes", async () => {
    const wb = await ledgerWorkbook({
      ...SAMPLE,
      invoiceLines: [{ invoiceNo: 'I1', lineNo: 1, itemCode: 'A', quantity: 5, unitPrice: '13.00' }],
    });
    await checkWorkbookInvoices(wb);
    expect(noteAt(wb, 'invoiceLines', 0, 'Unit price')).toMatch(/^Ledgerdesk: PRICE_MISMATCH/);
    wb.tables.get('InvoiceLines')?.notes.set('0,0', 'ask Bob');
    setCell(wb, 'invoiceLines', 0, 'Unit price', 12.5);
    const again = await checkWorkbookInvoices(wb);
    expect(again.findings).toEqual([]);
    expect(fillAt(wb, 'invoiceLines', 0, 'Unit price')).toBeUndefined();
    expect(noteAt(wb, 'invoiceLines', 0, 'Unit price')).toBeUndefined();
    expect(wb.tables.get('InvoiceLines')?.notes.get('0,0')).toBe('ask Bob');
  });

  it('writes an empty result table when every invoice is fine, and a second run replaces the first', async () => {
    const wb = await ledgerWorkbook();
    const res = await checkWorkbookInvoices(wb);
    expect(res.findings).toEqual([]);
    expect(wb.tables.get('InvoiceCheck')?.rows).toEqual([['', '', '', '', '', '', '']]);
  });
});
