// Issue #14, credit notes in reports: "every figure of the report workbook ... is computed from the approved rows
// dated up to the period's end, credit notes included, so they are net. No sheet lists credit notes one by one."
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { ledgerData } from '../../../shared/calc';
import { parsePeriod } from '../../../shared/dates';
import { buildReportData } from '../../../functions/src/reports/reportData';
import type { ReceivablesRow, StatsRow } from '../../../shared/api';
import { contract, invoice, invoiceLine, money, payment } from '../../shared/calc/fixtures/records';
import { writeReportFile } from './support';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ledgerdesk-claims14-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// C1 (customer K1): I1 500.00 in November, 100.00 paid; credit note CN77 of 120.00 on I1 in November.
const data = ledgerData({
  customers: [{ customerId: 'K1', name: 'Kunde', region: 'East' }],
  salespeople: [{ salespersonId: 'S1', name: 'Sam', region: 'East' }],
  contracts: [contract('C1', { signedOn: '2016-11-01' })],
  invoices: [invoice('I1', 'C1', '2016-11-05', '2016-12-05')],
  invoiceLines: [invoiceLine('I1', 1, 'A', 1, '500.00')],
  payments: [payment('P1', 'C1', '2016-11-10', '100.00')],
  creditNotes: [
    {
      creditNoteNo: 'CN77',
      contractId: 'C1',
      invoiceNo: 'I1',
      issuedOn: '2016-11-20',
      amount: money('120.00'),
      creditReason: 'Wrong colour delivered',
    },
  ],
});
const meta = {
  generatedAt: new Date('2016-12-01T02:00:00Z'),
  generatedBy: 'test',
  appVersion: 'test',
  currency: 'EUR',
};

describe('a report over a credit note', () => {
  it('has net figures and lists the credit note on no sheet', async () => {
    const report = buildReportData(data, parsePeriod('2016-11'), meta);
    expect([...(report.regions as Iterable<StatsRow>)].map((r) => [r.group, r.invoiced, r.collected])).toEqual([
      ['East', '380.00', '100.00'],
    ]);
    expect([...(report.receivables.rows as Iterable<ReceivablesRow>)].map((r) => [r.group, r.total])).toEqual([
      ['K1', '280.00'],
    ]);
    const file = path.join(dir, 'report.xlsx');
    await writeReportFile(file, report);
    const zip = await JSZip.loadAsync(await readFile(file));
    const parts = await Promise.all(
      Object.keys(zip.files)
        .filter((n) => n.endsWith('.xml'))
        .map(async (n) => (await zip.file(n)?.async('string')) ?? ''),
    );
    const text = parts.join('\n');
    // The search finds what the sheets hold (the customer's name on Receivables), but neither the credit note's
    // number nor its reason.
    expect(text).toContain('Kunde');
    expect(text).not.toContain('CN77');
    expect(text).not.toContain('Wrong colour delivered');
  });
});
