// Tests addin/flows/serverInvoiceCheck.ts's batching and placing with a recording client (the server's findings
// themselves are tested against the real API in invoiceGate.test.ts).
import type { InvoiceCheckRequest } from '../../../shared/api';
import type { LedgerApiClient } from '../../../addin/flows/apiClient';
import { checkInvoicesOnServer } from '../../../addin/flows/serverInvoiceCheck';
import { SAMPLE, ledgerWorkbook } from '../support/ledgerWorkbook';

it('asks 1,000 invoice numbers a request, each once, and lists a finding on a line the sheet lacks without a cell', async () => {
  const invoices = Array.from({ length: 2_001 }, (_, i) => ({
    invoiceNo: `N${String(i).padStart(4, '0')}`,
    contractId: 'K1',
    issuedOn: '2016-11-10',
  }));
  const wb = await ledgerWorkbook({ ...SAMPLE, invoices, invoiceLines: [] });
  const asked: InvoiceCheckRequest[] = [];
  const api = {
    checkInvoices: (r: InvoiceCheckRequest) => {
      asked.push(r);
      const first = r.invoiceNos?.[0] ?? '';
      return Promise.resolve({
        findings:
          first === 'N0000'
            ? [
                {
                  invoiceNo: 'N0000',
                  lineNo: 9,
                  itemCode: 'A',
                  code: 'PRICE_MISMATCH' as const,
                  expected: '12.50',
                  actual: '13.00',
                },
              ]
            : [],
        notFound: first === 'N2000' ? ['N2000'] : [],
      });
    },
  } as unknown as LedgerApiClient;
  const res = await checkInvoicesOnServer(wb, api);
  // Each request carries the sheet's rows of its own invoices as the draft.
  expect(
    asked.map((r) => [r.invoiceNos?.length, r.invoiceNos?.[0], r.includePending, r.draft?.invoices?.length]),
  ).toEqual([
    [1_000, 'N0000', true, 1_000],
    [1_000, 'N1000', true, 1_000],
    [1, 'N2000', true, 1],
  ]);
  expect(new Set(asked.flatMap((r) => r.invoiceNos ?? [])).size).toBe(2_001);
  expect(res.invoicesChecked).toBe(2_001);
  expect(res.notOnServer).toEqual(['N2000']);
  expect(res.findings.map((f) => [f.invoiceNo, f.lineNo, f.row, f.address])).toEqual([['N0000', 9, -1, '']]);
  expect(wb.tables.get('InvoiceCheck')?.rows).toEqual([['N0000', 9, 'A', 'PRICE_MISMATCH', 12.5, 13, '']]);
});
