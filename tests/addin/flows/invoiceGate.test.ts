// Tests the server's invoice check from the pane (serverInvoiceCheck.ts) and the confirm step before publishing an
// invoice with findings (invoiceGate.ts), against the real local API on Azurite over a memory workbook.
import type { LedgerApiClient } from '../../../addin/flows/apiClient';
import { FINDING_FILL, checkWorkbookInvoices } from '../../../addin/flows/invoiceCheck';
import { checkBeforePublish, gatedPublishOptions } from '../../../addin/flows/invoiceGate';
import { publish } from '../../../addin/flows/publish';
import { reviewPage } from '../../../addin/flows/review';
import { findingsOfChange, pageFindings, pageFindingsOrNote } from '../../../addin/flows/reviewFindings';
import { selectedRowHistory } from '../../../addin/flows/rowHistory';
import { checkInvoicesOnServer } from '../../../addin/flows/serverInvoiceCheck';
import { registerFigureProjection } from '../../../functions/src/figures/projection';
import { writeApproved } from '../support/approvedRows';
import { SAMPLE, cell, fillAt, ledgerWorkbook, noteAt, setCell } from '../support/ledgerWorkbook';
import { startLocalApi, type LocalApi } from '../support/localApi';

describe('invoices before money is asked for, against the local API', () => {
  let api: LocalApi;
  let clerk: LedgerApiClient;
  let reviewer: LedgerApiClient;
  let unregister: () => void;

  beforeAll(async () => {
    api = await startLocalApi();
    // The server's check reads approved rows from the contract index, which approvals feed through the projection.
    unregister = registerFigureProjection();
    clerk = await api.client('clara.clerk', ['clerk']);
    reviewer = await api.client('rita.reviewer', ['reviewer']);
    // On the server: SAMPLE's parents (6 of item A delivered on K1) and an earlier invoice I0 of 5 A that the
    // workbooks below do not hold.
    await writeApproved(clerk, reviewer, {
      customers: SAMPLE.customers ?? [],
      salespeople: SAMPLE.salespeople ?? [],
      contracts: SAMPLE.contracts ?? [],
      orderLines: SAMPLE.orderLines ?? [],
      deliveries: SAMPLE.deliveries ?? [],
      invoices: [{ invoiceNo: 'I0', contractId: 'K1', issuedOn: '2016-11-06' }],
      invoiceLines: [{ invoiceNo: 'I0', lineNo: 1, itemCode: 'A', quantity: 5, unitPrice: '12.50' }],
    });
  });
  afterAll(async () => {
    unregister();
    await api.close();
  });

  it("finds over the contract's whole history what the workbook alone misses, in batches with progress", async () => {
    const wb = await ledgerWorkbook({
      ...SAMPLE,
      invoices: [
        { invoiceNo: 'I1', contractId: 'K1', issuedOn: '2016-11-10' },
        { invoiceNo: 'I9', contractId: 'K1', issuedOn: '2016-11-11' },
        // No contract: the row does not parse, and the server has no I8 either.
        { invoiceNo: 'I8', issuedOn: '2016-11-11' },
      ],
      invoiceLines: [
        { invoiceNo: 'I1', lineNo: 1, itemCode: 'A', quantity: 5, unitPrice: '12.50' },
        { invoiceNo: 'I9', lineNo: 1, itemCode: 'B', quantity: 1, unitPrice: '3.3333' },
      ],
    });
    // The sheet alone: 5 of A invoiced, 6 delivered; B is not delivered at all.
    const local = await checkWorkbookInvoices(wb);
    expect(local.findings.map((f) => [f.invoiceNo, f.code])).toEqual([['I9', 'QTY_EXCEEDS_DELIVERED']]);

    // Nothing published yet: the server checks the sheet's rows (a draft) with K1's stored history.
    const progress: [number, number][] = [];
    const res = await checkInvoicesOnServer(wb, clerk, {
      batchSize: 2,
      onProgress: (p) => {
        if (p.phase === 'Checking invoices on the server') progress.push([p.done, p.total]);
      },
    });
    expect(progress).toEqual([
      [0, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(res.invoicesChecked).toBe(3);
    expect(res.notOnServer).toEqual(['I8']);
    // I0's 5 and I1's 5 make 10 of A invoiced against 6 delivered: only the server sees I0.
    expect(res.findings.map((f) => [f.invoiceNo, f.lineNo, f.code, f.expected, f.actual, f.address])).toEqual([
      ['I1', 1, 'QTY_EXCEEDS_DELIVERED', 6, 10, "'Invoice lines'!D2"],
      ['I9', 1, 'QTY_EXCEEDS_DELIVERED', 0, 1, "'Invoice lines'!D3"],
    ]);
    expect(fillAt(wb, 'invoiceLines', 0, 'Quantity')).toBe(FINDING_FILL);
    expect(noteAt(wb, 'invoiceLines', 0, 'Quantity')).toBe(
      'Ledgerdesk: QTY_EXCEEDS_DELIVERED: the invoiced quantity so far exceeds the net delivered quantity (expected 6, actual 10)',
    );
    expect(wb.tables.get('InvoiceCheck')?.rows).toEqual([
      ['I1', 1, 'A', 'QTY_EXCEEDS_DELIVERED', 6, 10, "'Invoice lines'!D2"],
      ['I9', 1, 'B', 'QTY_EXCEEDS_DELIVERED', 0, 1, "'Invoice lines'!D3"],
    ]);
    // The draft changed nothing on the server.
    await expect(clerk.history?.('invoices', 'I1')).rejects.toMatchObject({ status: 404 });

    // Published (pending, not approved), I1 counts for the invoices after it (the tests below); I9 and I8 stay out.
    const held = new Set(['I9', 'I9~1', 'I8']);
    const published = await publish(wb, clerk, { hold: (_l, row) => held.has(row.key ?? '') });
    expect(published.counts.created).toBe(4); // I1, its line, and SAMPLE's payment P1 and expense E1
    const again = await checkInvoicesOnServer(wb, clerk);
    expect(again.findings.map((f) => [f.invoiceNo, f.code, f.actual])).toEqual([
      ['I1', 'QTY_EXCEEDS_DELIVERED', 10],
      ['I9', 'QTY_EXCEEDS_DELIVERED', 1],
    ]);
  });

  it("lists the findings of the invoices about to be published: the server checks the sheet's rows with the contract's history", async () => {
    const wb = await ledgerWorkbook({
      ...SAMPLE,
      invoices: [
        { invoiceNo: 'I2', contractId: 'K1', issuedOn: '2016-11-12' },
        { invoiceNo: 'I3', contractId: 'K1', issuedOn: '2016-11-13' },
      ],
      invoiceLines: [
        { invoiceNo: 'I2', lineNo: 1, itemCode: 'A', quantity: 1, unitPrice: '13.00' },
        { invoiceNo: 'I3', lineNo: 1, itemCode: 'A', quantity: 1, unitPrice: '12.50' },
      ],
    });
    // I3 is on the server already (written elsewhere, say); I2 is new, so only the sheet's check sees it.
    await clerk.putRows('invoices', [{ invoiceNo: 'I3', contractId: 'K1', issuedOn: '2016-11-13' }], 'gate-i3');
    await clerk.putRows(
      'invoiceLines',
      [{ invoiceNo: 'I3', lineNo: 1, itemCode: 'A', quantity: 1, unitPrice: '12.50' }],
      'gate-i3-lines',
    );
    const gate = await checkBeforePublish(wb, clerk);
    expect(gate.invoicesToPublish).toBe(2);
    // The server checks the sheet's rows of I2 and I3 (I2 is not on the server at all) with K1's stored invoices:
    // I0 (5) and I1 (5, pending) come first, so I2 brings A to 11 and I3 to 12, against 10 ordered and 6 delivered.
    const seen = (g: typeof gate) =>
      g.invoices.map((i) => [i.invoiceNo, i.findings.map((f) => [f.source, f.lineNo, f.code, f.actual])]);
    expect(seen(gate)).toEqual([
      [
        'I2',
        [
          ['server', 1, 'PRICE_MISMATCH', '13.00'],
          ['server', 1, 'QTY_EXCEEDS_DELIVERED', 11],
          ['server', 1, 'QTY_EXCEEDS_ORDERED', 11],
        ],
      ],
      [
        'I3',
        [
          ['server', 1, 'QTY_EXCEEDS_DELIVERED', 12],
          ['server', 1, 'QTY_EXCEEDS_ORDERED', 12],
        ],
      ],
    ]);
    expect(gate.invoices[0]?.findings[0]?.text).toBe(
      'PRICE_MISMATCH: the unit price differs from the ordered unit price (expected 12.50, actual 13.00)',
    );
    // Without a connection, the workbook's rows alone: only I2's price.
    expect(seen(await checkBeforePublish(wb, null))).toEqual([['I2', [['sheet', 1, 'PRICE_MISMATCH', '13.00']]]]);
    // A draft row that does not parse, or a draft without invoiceNos, is refused with a clear error.
    await expect(
      clerk.checkInvoices?.({ invoiceNos: ['X1'], draft: { invoiceLines: [{ invoiceNo: 'X1', lineNo: 1 }] } }),
    ).rejects.toMatchObject({ status: 400, code: 'invalid_draft' });
    await expect(clerk.checkInvoices?.({ draft: { invoices: [] } })).rejects.toMatchObject({
      status: 400,
      code: 'draft_needs_invoice_nos',
    });
  });

  it('holding back sends nothing of those invoices and publishes the rest', async () => {
    const wb = await ledgerWorkbook({
      ...SAMPLE,
      invoices: [
        { invoiceNo: 'I4', contractId: 'K1', issuedOn: '2016-11-12' },
        { invoiceNo: 'I5', contractId: 'K1', issuedOn: '2016-11-12' },
      ],
      invoiceLines: [
        { invoiceNo: 'I4', lineNo: 1, itemCode: 'A', quantity: 1, unitPrice: '13.00' },
        { invoiceNo: 'I5', lineNo: 1, itemCode: 'B', quantity: 1, unitPrice: '3.3333' },
      ],
    });
    const sent: string[] = [];
    const spy: LedgerApiClient = {
      ...clerk,
      putRows: (ledger, rows, key) => {
        for (const r of rows) sent.push(`${ledger}:${String((r as { invoiceNo?: string }).invoiceNo ?? '')}`);
        return clerk.putRows(ledger, rows, key);
      },
    };
    const res = await publish(wb, spy, gatedPublishOptions({ kind: 'holdBack', invoiceNos: ['I4'] }));
    expect(sent.filter((s) => s.startsWith('invoice'))).toEqual(['invoices:I5', 'invoiceLines:I5']);
    expect(res.counts.conflict + res.counts.invalid + res.counts.error).toBe(0);
    // I4's rows were never sent: no status, no etag, and the server has no such invoice.
    expect(cell(wb, 'invoices', 0, 'Sync status')).toBe('');
    expect(cell(wb, 'invoiceLines', 0, 'Sync status')).toBe('');
    expect(cell(wb, 'invoices', 1, 'Sync status')).toBe('created');
    await expect(clerk.history?.('invoices', 'I4')).rejects.toMatchObject({ status: 404 });
    // Held rows stay unpublished, so the next publish offers them again.
    const again = await checkBeforePublish(wb, clerk);
    expect(again.invoices.map((i) => i.invoiceNo)).toEqual(['I4']);
  });

  it("publishing anyway sends the rows with the reason, kept in each row's history", async () => {
    const wb = await ledgerWorkbook({
      ...SAMPLE,
      invoices: [{ invoiceNo: 'I6', contractId: 'K1', issuedOn: '2016-11-14' }],
      invoiceLines: [{ invoiceNo: 'I6', lineNo: 1, itemCode: 'A', quantity: 1, unitPrice: '13.00' }],
    });
    expect(() => gatedPublishOptions({ kind: 'publishAnyway', invoiceNos: ['I6'], reason: '  ' })).toThrow(
      'Give a reason for publishing these invoices; it is kept in their history.',
    );
    const options = gatedPublishOptions({
      kind: 'publishAnyway',
      invoiceNos: ['I6'],
      reason: ' price agreed by phone with the customer ',
    });
    const res = await publish(wb, clerk, options);
    expect(res.counts.invalid + res.counts.error).toBe(0);
    expect(cell(wb, 'invoiceLines', 0, 'Sync status')).toBe('created');
    const invoice = await clerk.history?.('invoices', 'I6');
    const line = await clerk.history?.('invoiceLines', 'I6~1');
    expect(invoice?.entries.map((e) => [e.action, e.by, e.reason])).toEqual([
      ['created', 'clara.clerk', 'price agreed by phone with the customer'],
    ]);
    expect(line?.entries.map((e) => [e.action, e.reason])).toEqual([
      ['created', 'price agreed by phone with the customer'],
    ]);
    // The reason is history, not a field of the row.
    expect(line?.entries[0]?.row).toEqual({
      invoiceNo: 'I6',
      lineNo: 1,
      itemCode: 'A',
      quantity: 1,
      unitPrice: '13.00',
    });
    // Rows of other invoices carry no reason.
    const p1 = await clerk.history?.('payments', 'P1');
    expect(p1?.entries.map((e) => [e.action, e.reason])).toEqual([['created', undefined]]);
  });

  it('shows the selected row’s history: who changed which cells, rejections and approvals, with the reasons', async () => {
    const wb = await ledgerWorkbook({
      ...SAMPLE,
      invoices: [{ invoiceNo: 'I7', contractId: 'K1', issuedOn: '2016-11-15' }],
      invoiceLines: [{ invoiceNo: 'I7', lineNo: 1, itemCode: 'A', quantity: 1, unitPrice: '13.00' }],
    });
    await publish(wb, clerk, gatedPublishOptions({ kind: 'publishAnyway', invoiceNos: ['I7'], reason: 'agreed' }));
    const etag1 = String(cell(wb, 'invoiceLines', 0, 'ETag'));
    const rejected = await reviewer.reject('invoiceLines', [{ key: 'I7~1', etag: etag1, reason: 'price too high' }]);
    expect(rejected.results[0]?.status).toBe('rejected');
    // The clerk sees the rejection (a pull would write its etag), fixes the price, publishes, and the reviewer approves.
    setCell(wb, 'invoiceLines', 0, 'ETag', String(rejected.results[0]?.etag));
    setCell(wb, 'invoiceLines', 0, 'Unit price', 12.5);
    expect((await publish(wb, clerk)).counts.updated).toBe(1);
    const etag2 = String(cell(wb, 'invoiceLines', 0, 'ETag'));
    const invoiceEtag = String(cell(wb, 'invoices', 0, 'ETag'));
    expect((await reviewer.approve('invoices', [{ key: 'I7', etag: invoiceEtag }])).results[0]?.status).toBe(
      'approved',
    );
    expect((await reviewer.approve('invoiceLines', [{ key: 'I7~1', etag: etag2 }])).results[0]?.status).toBe(
      'approved',
    );

    // The user selects a cell of the line (sheet row 2) and asks for its history.
    wb.selectedRange = { sheet: 'Invoice lines', rowIndex: 1, rowCount: 1, columnIndex: 3, columnCount: 1 };
    const h = await selectedRowHistory(wb, clerk);
    expect([h.ledger, h.title, h.key]).toEqual(['invoiceLines', 'Invoice lines', 'I7~1']);
    expect(h.lines.map((l) => [l.version, l.what, l.by, l.changes, l.reason])).toEqual([
      [
        1,
        'Created',
        'clara.clerk',
        ['Invoice no: I7', 'Line: 1', 'Item code: A', 'Quantity: 1', 'Unit price: 13.00'],
        'agreed',
      ],
      [2, 'Rejected version 1', 'rita.reviewer', [], 'price too high'],
      [3, 'Changed', 'clara.clerk', ['Unit price: 13.00 → 12.50'], undefined],
      [4, 'Approved version 3', 'rita.reviewer', [], undefined],
    ]);

    // A row never published has an empty history; a selection off the ledger rows says what to do.
    setCell(wb, 'invoiceLines', 0, 'Line', 2);
    expect((await selectedRowHistory(wb, clerk)).lines).toEqual([]);
    wb.selectedRange = { sheet: 'Invoice lines', rowIndex: 0, rowCount: 1, columnIndex: 0, columnCount: 1 };
    await expect(selectedRowHistory(wb, clerk)).rejects.toThrow(
      'Select a row of a ledger table first (a row with data, not its header).',
    );
  });

  it("shows the reviewer the findings of the page's pending invoices beside each change", async () => {
    const wb = await ledgerWorkbook({
      ...SAMPLE,
      invoices: [{ invoiceNo: 'I8', contractId: 'K1', issuedOn: '2016-11-16' }],
      invoiceLines: [
        { invoiceNo: 'I8', lineNo: 1, itemCode: 'A', quantity: 1, unitPrice: '14.00' },
        { invoiceNo: 'I8', lineNo: 2, itemCode: 'B', quantity: 1, unitPrice: '3.3333' },
      ],
    });
    await publish(wb, clerk, gatedPublishOptions({ kind: 'publishAnyway', invoiceNos: ['I8'], reason: 'urgent' }));
    const page = await reviewPage(reviewer, { ledger: 'invoiceLines' });
    const byInvoice = await pageFindings(reviewer, page.rows);
    const change = (key: string) => {
      const c = page.rows.find((r) => r.key === key);
      if (c === undefined) throw new Error(`${key} is not on the page`);
      return c;
    };
    // The pending versions are checked: line 1's price, and A's quantity over every invoice of K1 on the server
    // (I0, I1, I3, I6, I7 and I8: 14 against 6 delivered and 10 ordered); line 2's B was never delivered, and I5
    // invoiced 1 of it before.
    expect(findingsOfChange(change('I8~1'), byInvoice).map((f) => [f.lineNo, f.code, f.actual])).toEqual([
      [1, 'PRICE_MISMATCH', '14.00'],
      [1, 'QTY_EXCEEDS_DELIVERED', 14],
      [1, 'QTY_EXCEEDS_ORDERED', 14],
    ]);
    expect(findingsOfChange(change('I8~2'), byInvoice).map((f) => [f.lineNo, f.code, f.expected, f.actual])).toEqual([
      [2, 'QTY_EXCEEDS_DELIVERED', 0, 2],
    ]);
    // Lines of other invoices on the page get only their own invoice's findings (I6, published earlier: 12 of A).
    expect(findingsOfChange(change('I6~1'), byInvoice).map((f) => [f.invoiceNo, f.code, f.actual])).toEqual([
      ['I6', 'PRICE_MISMATCH', '13.00'],
      ['I6', 'QTY_EXCEEDS_DELIVERED', 12],
      ['I6', 'QTY_EXCEEDS_ORDERED', 12],
    ]);
    // A page without invoices asks nothing.
    const calls: string[] = [];
    const spy = {
      ...reviewer,
      checkInvoices: (r: Parameters<NonNullable<LedgerApiClient['checkInvoices']>>[0]) => {
        calls.push(JSON.stringify(r));
        return (reviewer.checkInvoices as NonNullable<LedgerApiClient['checkInvoices']>)(r);
      },
    };
    expect((await pageFindings(spy, (await reviewPage(reviewer, { ledger: 'payments' })).rows)).size).toBe(0);
    expect(calls).toEqual([]);
    // A check that cannot run leaves the queue without findings, and says why.
    const down = {
      ...reviewer,
      checkInvoices: () => Promise.reject(new Error('The API at http://x cannot be reached')),
    };
    const quiet = await pageFindingsOrNote(down, page.rows);
    expect([quiet.byInvoice.size, quiet.note]).toEqual([
      0,
      'The invoice check could not run (The API at http://x cannot be reached), so no findings are shown.',
    ]);
    expect((await pageFindingsOrNote(reviewer, page.rows)).byInvoice.get('I8')?.length).toBe(4);
  });
});
