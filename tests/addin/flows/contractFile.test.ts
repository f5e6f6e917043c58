// The contract file sheet against the local API: the contract form, the stacked tables placed by their sizes,
// findings marked on invoice lines, the print layout (memory workbook and the Excel double), and publishing an
// order line from the sheet.
import type { LedgerApiClient } from '../../../addin/flows/apiClient';
import {
  CONTRACT_FILE_SHEET,
  CONTRACT_FORM,
  CONTRACT_TABLES_ROW,
  FINDING_FILL,
  openContractFile,
  publishContractFile,
} from '../../../addin/flows/contractFile';
import { createMemoryWorkbook, type MemoryWorkbook } from '../../../addin/excel/memoryWorkbook';
import { createOfficeWorkbook } from '../../../addin/excel/officeWorkbook';
import type { CellValue } from '../../../addin/excel/workbookAdapter';
import type { LedgerName } from '../../../shared/ledgers';
import { registerFigureProjection } from '../../../functions/src/figures/projection';
import { loadExcelDouble } from '../support/excelDouble';
import { startLocalApi, type LocalApi } from '../support/localApi';

function at(wb: MemoryWorkbook, table: string, row: number, header: string): CellValue {
  const t = wb.tables.get(table);
  const c = t?.columns.findIndex((x) => x.name === header) ?? -1;
  if (t === undefined || c < 0) throw new Error(`no ${table}.${header}`);
  return t.rows[row]?.[c] ?? '';
}

describe('contract file sheet', () => {
  let api: LocalApi;
  let clerk: LedgerApiClient;
  let reviewer: LedgerApiClient;
  const wb = createMemoryWorkbook();

  async function putApproved(
    ledger: LedgerName,
    key: (r: Record<string, unknown>) => string,
    rows: Record<string, unknown>[],
  ) {
    const res = await clerk.putRows(ledger, rows, `seed-${ledger}`);
    expect(res.results.map((r) => r.status)).toEqual(rows.map(() => 'created'));
    const approved = await reviewer.approve(
      ledger,
      rows.map((r, i) => ({ key: key(r), etag: res.results[i]?.etag ?? '' })),
    );
    expect(approved.results.map((r) => r.status)).toEqual(rows.map(() => 'approved'));
  }

  let unregister: () => void;
  beforeAll(async () => {
    // Approvals keep the contract index current, as the host's start does.
    unregister = registerFigureProjection();
    api = await startLocalApi();
    clerk = await api.client('clara.clerk', ['clerk', 'finance']);
    reviewer = await api.client('rita.reviewer', ['reviewer']);
    await putApproved('customers', (r) => String(r.customerId), [{ customerId: 'C1', name: 'Acme', region: 'East' }]);
    await putApproved('salespeople', (r) => String(r.salespersonId), [
      { salespersonId: 'S1', name: 'Sam', region: 'East' },
    ]);
    await putApproved('contracts', (r) => String(r.contractId), [
      { contractId: 'K1', customerId: 'C1', salespersonId: 'S1', region: 'East', signedOn: '2016-11-01' },
    ]);
    await putApproved('orderLines', (r) => `${String(r.contractId)}~${String(r.lineNo)}`, [
      { contractId: 'K1', lineNo: 1, itemCode: 'A', quantity: 10, unitPrice: '10.00' },
      { contractId: 'K1', lineNo: 2, itemCode: 'B', quantity: 5, unitPrice: '2.00' },
    ]);
    await putApproved('deliveries', (r) => String(r.deliveryId), [
      { deliveryId: 'D1', contractId: 'K1', itemCode: 'A', quantity: 4, date: '2016-11-05' },
      {
        deliveryId: 'D2',
        contractId: 'K1',
        itemCode: 'A',
        quantity: 1,
        date: '2016-11-07',
        kind: 'return',
        returnReason: 'dented',
      },
    ]);
    await putApproved('invoices', (r) => String(r.invoiceNo), [
      { invoiceNo: 'I1', contractId: 'K1', issuedOn: '2016-11-06' },
    ]);
    await putApproved('invoiceLines', (r) => `${String(r.invoiceNo)}~${String(r.lineNo)}`, [
      { invoiceNo: 'I1', lineNo: 1, itemCode: 'A', quantity: 2, unitPrice: '10.00' },
      { invoiceNo: 'I1', lineNo: 2, itemCode: 'B', quantity: 1, unitPrice: '3.00' },
    ]);
    await putApproved('payments', (r) => String(r.paymentId), [
      { paymentId: 'P1', contractId: 'K1', invoiceNo: 'I1', receivedOn: '2016-11-20', amount: '5.00' },
    ]);
    await putApproved('creditNotes', (r) => String(r.creditNoteNo), [
      {
        creditNoteNo: 'CN1',
        contractId: 'K1',
        invoiceNo: 'I1',
        issuedOn: '2016-11-25',
        amount: '3.00',
        creditReason: 'B billed above the order price',
      },
    ]);
  });
  afterAll(async () => {
    unregister();
    await api.close();
  });

  it('stacks the contract, performance, deliveries, invoice lines, payments, credit notes and order lines, and marks findings', async () => {
    const res = await openContractFile(wb, clerk, 'K1');
    expect(res.linesWithFindings).toBe(1);
    const form = wb.tables.get(CONTRACT_FORM.table);
    expect(form?.origin).toEqual({ row: 0, column: 0 });
    expect(form?.rows.find((r) => r[0] === 'Contract ID')?.[1]).toBe('K1');
    const places = Object.fromEntries(
      [...wb.tables.values()].filter((t) => t.sheet === CONTRACT_FILE_SHEET).map((t) => [t.name, t.origin?.row]),
    );
    // Each table: header, body (at least one row), two empty rows.
    expect(places).toEqual({
      ContractFileForm: 0,
      ContractPerformance: CONTRACT_TABLES_ROW,
      ContractDeliveries: CONTRACT_TABLES_ROW + 5,
      ContractInvoiceLines: CONTRACT_TABLES_ROW + 10,
      ContractPayments: CONTRACT_TABLES_ROW + 15,
      ContractCreditNotes: CONTRACT_TABLES_ROW + 19,
      ContractOrderLines: CONTRACT_TABLES_ROW + 23,
    });
    expect([at(wb, 'ContractPerformance', 0, 'Item code'), at(wb, 'ContractPerformance', 0, 'Net delivered')]).toEqual([
      'A',
      3,
    ]);
    expect([at(wb, 'ContractDeliveries', 1, 'Kind'), at(wb, 'ContractDeliveries', 1, 'Return reason')]).toEqual([
      'return',
      'dented',
    ]);
    expect(at(wb, 'ContractInvoiceLines', 1, 'Findings')).toBe('PRICE_MISMATCH, QTY_EXCEEDS_DELIVERED');
    expect(at(wb, 'ContractInvoiceLines', 0, 'Findings')).toBe('');
    const lines = wb.tables.get('ContractInvoiceLines');
    const findingsCol = lines?.columns.findIndex((c) => c.name === 'Findings') ?? -1;
    expect(lines?.fills.get(`1,${findingsCol}`)).toBe(FINDING_FILL);
    expect(lines?.fills.get(`0,${findingsCol}`)).toBeUndefined();
    expect(lines?.notes.get(`1,${findingsCol}`)).toBe(
      'Ledgerdesk: PRICE_MISMATCH: expected 2.00, got 3.00; QTY_EXCEEDS_DELIVERED: expected 0, got 1',
    );
    expect(at(wb, 'ContractPayments', 0, 'Amount')).toBe(5);
    expect(
      ['Credit note no', 'Invoice no', 'Amount', 'Credit reason'].map((h) => at(wb, 'ContractCreditNotes', 0, h)),
    ).toEqual(['CN1', 'I1', 3, 'B billed above the order price']);
    expect(at(wb, 'ContractOrderLines', 1, 'Unit price')).toBe(2);
    expect(wb.sheets.get(CONTRACT_FILE_SHEET)?.print).toEqual({
      orientation: 'landscape',
      fitToPagesWide: 1,
      fitToPagesTall: 0,
    });
  });

  it('publishes an edited order line and refuses to re-open over it before that', async () => {
    const t = wb.tables.get('ContractOrderLines');
    const q = t?.columns.findIndex((c) => c.name === 'Quantity') ?? -1;
    (t?.rows[1] as CellValue[])[q] = 7;
    await expect(openContractFile(wb, clerk, 'K1')).rejects.toThrow(
      'The contract file has changes that are not published (1 orderLines row)',
    );
    const res = await publishContractFile(wb, clerk);
    expect(res.form).toBeNull();
    expect(res.tables.counts).toMatchObject({ updated: 1 });
    expect(at(wb, 'ContractOrderLines', 1, 'Sync status')).toBe('updated');
    expect((await clerk.getRows('orderLines', { contractId: 'K1', lineNo: '2' })).rows[0]?.['quantity']).toBe(7);
    const again = await openContractFile(wb, clerk, 'K1');
    expect(again.counts['ContractOrderLines']).toBe(2);
    expect(wb.tables.size).toBe(7);
  });

  it('sets landscape, one page wide on the Excel double', async () => {
    const w = loadExcelDouble();
    w.__excelDouble.addSheet('Sheet1');
    const office = createOfficeWorkbook({ excel: w.Excel, notesSupported: () => true });
    await openContractFile(office, clerk, 'K1');
    const sheet = w.__excelDouble.state.sheets.get(CONTRACT_FILE_SHEET) as unknown as {
      orientation: string;
      zoom: unknown;
      grid: unknown[][];
    };
    expect(sheet.orientation).toBe('Landscape');
    expect(sheet.zoom).toEqual({ horizontalFitToPages: 1, verticalFitToPages: 0, scale: null });
    expect(sheet.grid[CONTRACT_TABLES_ROW]?.[0]).toBe('Line');
    // Opened again: the tables are removed and placed again, nothing doubles.
    await openContractFile(office, clerk, 'K1');
    expect(sheet.grid[CONTRACT_TABLES_ROW + 19]?.[0]).toBe('Credit note no');
    expect(sheet.grid[CONTRACT_TABLES_ROW + 23]?.[0]).toBe('Contract ID');
    expect(sheet.grid[CONTRACT_TABLES_ROW + 24]?.[0]).toBe('K1');
  });
});
