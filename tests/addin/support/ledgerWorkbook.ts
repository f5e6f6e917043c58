// Test support: a memory workbook with the ledger sheets set up and filled from wire-like rows, and cell lookups.
import { wireToCells } from '../../../addin/flows/convert';
import { BOOKKEEPING_HEADERS, tableName } from '../../../addin/flows/layout';
import { setupLedgerSheets } from '../../../addin/flows/setup';
import { createMemoryWorkbook, type MemoryTable, type MemoryWorkbook } from '../../../addin/excel/memoryWorkbook';
import type { CellValue } from '../../../addin/excel/workbookAdapter';
import { ledger as ledgerOf, type LedgerName } from '../../../shared/ledgers';

export type Rows = Partial<Record<LedgerName, Record<string, unknown>[]>>;

/** The sample ledgers: one customer, salesperson and contract with two items, a delivery, invoices with findings. */
export const SAMPLE: Rows = {
  customers: [{ customerId: 'C1', name: 'Acme', region: 'East' }],
  salespeople: [{ salespersonId: 'S1', name: 'Sam', region: 'East', commissionRate: '0.03' }],
  contracts: [{ contractId: 'K1', customerId: 'C1', salespersonId: 'S1', region: 'East', signedOn: '2016-11-01' }],
  orderLines: [
    { contractId: 'K1', lineNo: 1, itemCode: 'A', quantity: 10, unitPrice: '12.50' },
    { contractId: 'K1', lineNo: 2, itemCode: 'B', quantity: 5, unitPrice: '3.3333' },
  ],
  deliveries: [{ deliveryId: 'D1', contractId: 'K1', itemCode: 'A', quantity: 6, date: '2016-11-05' }],
  invoices: [{ invoiceNo: 'I1', contractId: 'K1', issuedOn: '2016-11-10' }],
  invoiceLines: [{ invoiceNo: 'I1', lineNo: 1, itemCode: 'A', quantity: 5, unitPrice: '12.50' }],
  payments: [{ paymentId: 'P1', contractId: 'K1', invoiceNo: 'I1', receivedOn: '2016-11-20', amount: '62.50' }],
  expenses: [{ expenseId: 'E1', salespersonId: 'S1', category: 'travel', incurredOn: '2016-11-03', amount: '120.00' }],
};

export function ledgerCells(ledger: LedgerName, row: Record<string, unknown>): CellValue[] {
  return [...wireToCells(ledger, row), ...BOOKKEEPING_HEADERS.map(() => '')];
}

export async function ledgerWorkbook(rows: Rows = SAMPLE): Promise<MemoryWorkbook> {
  const wb = createMemoryWorkbook();
  await setupLedgerSheets(wb);
  for (const [ledger, list] of Object.entries(rows) as [LedgerName, Record<string, unknown>[]][])
    await wb.writeRows(
      tableName(ledgerOf(ledger)),
      list.map((r) => ledgerCells(ledger, r)),
      'replace',
    );
  return wb;
}

/** The table of a ledger and the position of a header in it (-1 when missing). */
function locate(wb: MemoryWorkbook, ledger: LedgerName, header: string): { t: MemoryTable | undefined; c: number } {
  const t = wb.tables.get(tableName(ledgerOf(ledger)));
  return { t, c: t?.columns.findIndex((x) => x.name === header) ?? -1 };
}

/** The cell of a body row under a header. */
export function cell(wb: MemoryWorkbook, ledger: LedgerName, row: number, header: string): CellValue {
  const { t, c } = locate(wb, ledger, header);
  if (t === undefined) throw new Error(`no table for ${ledger}`);
  if (c < 0) throw new Error(`no column ${header} in ${t.name}`);
  return t.rows[row]?.[c] ?? '';
}

export function setCell(wb: MemoryWorkbook, ledger: LedgerName, row: number, header: string, value: CellValue): void {
  const { t, c } = locate(wb, ledger, header);
  const r = t?.rows[row];
  if (r === undefined || c < 0) throw new Error(`no cell ${ledger}[${row}].${header}`);
  r[c] = value;
}

export function fillAt(wb: MemoryWorkbook, ledger: LedgerName, row: number, header: string): string | undefined {
  const { t, c } = locate(wb, ledger, header);
  return t?.fills.get(`${row},${c}`);
}

export function noteAt(wb: MemoryWorkbook, ledger: LedgerName, row: number, header: string): string | undefined {
  const { t, c } = locate(wb, ledger, header);
  return t?.notes.get(`${row},${c}`);
}
