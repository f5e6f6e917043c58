// End to end: the built task pane in headless Chromium on the Excel double, against the local API: open a customer
// file, edit a contact on the sheet, publish it from the file.
import { openPane, startStage, type Stage } from './harness';

interface Double {
  setCell(table: string, row: number, header: string, value: unknown): void;
  cell(table: string, row: number, header: string): unknown;
}
type DoubleWindow = Window & { __excelDouble: Double };

describe('customer file in the task pane', () => {
  let stage: Stage;
  let server: Stage['server'];
  let api: Stage['api'];

  beforeAll(async () => {
    stage = await startStage('file');
    ({ server, api } = stage);
  }, 120_000);
  afterAll(async () => {
    await stage?.close();
  });

  it('opens a customer file, edits a contact and publishes it; opens a contract file set up for print; writes complaint figures', async () => {
    const clerk = await api.client('erin.clerk', ['clerk']);
    await clerk.putRows('customers', [{ customerId: 'C1', name: 'Acme', region: 'East' }], 'e1');
    await clerk.putRows(
      'contacts',
      [{ contactId: 'P1', customerId: 'C1', name: 'Ann', phone: '+44 20 7946 0001', primary: true }],
      'e2',
    );

    const { context, page, errors, said } = await openPane(stage);
    const cell = (table: string, row: number, header: string) =>
      page.evaluate(([t, r, h]) => (window as unknown as DoubleWindow).__excelDouble.cell(t, r, h), [
        table,
        row,
        header,
      ] as const);

    await page.goto(`${server.url}/taskpane.html`);
    await page.getByTestId('host').waitFor();
    await page.getByTestId('api-url').fill(api.url);
    await page.getByTestId('dev-token').fill(await api.token('erin.clerk', ['clerk']));
    await page.getByTestId('connect').click();
    await page.getByTestId('user').waitFor();

    await page.getByTestId('tab-sheets').click();
    await page.getByTestId('file-customer').fill('C1');
    await page.getByTestId('cmd-file-open').click();
    expect(await said()).toContain('Customer file of C1');
    expect(await cell('FileContacts', 0, 'Contact ID')).toBe('P1');
    expect(await cell('FileContacts', 0, 'Phone')).toBe('+44 20 7946 0001');
    expect(await cell('CustomerFileForm', 1, 'Value')).toBe('Acme');

    // The user edits the contact's phone in the sheet, then publishes the file.
    await page.evaluate(() =>
      (window as unknown as DoubleWindow).__excelDouble.setCell('FileContacts', 0, 'Phone', '+44 20 7946 0999'),
    );
    await page.getByTestId('cmd-file-publish').click();
    const text = await said();
    expect(text).toContain('Customer form: no change.');
    expect(text).toContain('0 created, 1 updated, 0 conflict, 0 invalid, 0 failed');
    expect(await cell('FileContacts', 0, 'Sync status')).toBe('updated');
    expect(await cell('FileContacts', 0, 'Approval')).toBe('pending');
    const stored = await clerk.getRows('contacts', { contactId: 'P1' });
    expect(stored.rows[0]?.['phone']).toBe('+44 20 7946 0999');

    // The contract file: opened from the pane and set up to print landscape, one page wide.
    await clerk.putRows('salespeople', [{ salespersonId: 'S1', name: 'Sam', region: 'East' }], 'e3');
    await clerk.putRows(
      'contracts',
      [{ contractId: 'K1', customerId: 'C1', salespersonId: 'S1', region: 'East', signedOn: '2016-11-01' }],
      'e4',
    );
    await clerk.putRows(
      'orderLines',
      [{ contractId: 'K1', lineNo: 1, itemCode: 'A', quantity: 3, unitPrice: '9.50' }],
      'e5',
    );
    await page.getByTestId('file-contract').fill('K1');
    await page.getByTestId('cmd-contract-open').click();
    expect(await said()).toContain('Contract file of K1');
    expect(await cell('ContractOrderLines', 0, 'Item code')).toBe('A');
    const print = await page.evaluate(() => {
      const s = (
        window as unknown as {
          __excelDouble: { state: { sheets: Map<string, { orientation: string; zoom: unknown }> } };
        }
      ).__excelDouble.state.sheets.get('Contract file');
      return { orientation: s?.orientation, zoom: s?.zoom };
    });
    expect(print).toEqual({
      orientation: 'Landscape',
      zoom: { horizontalFitToPages: 1, verticalFitToPages: 0, scale: null },
    });

    // Complaint figures from approved complaints, written to the Complaints sheet.
    const reviewer = await api.client('rita.reviewer', ['reviewer']);
    const customer = (await clerk.getRows('customers', { customerId: 'C1' })).rows[0];
    await reviewer.approve('customers', [{ key: 'C1', etag: customer?.etag ?? '' }]);
    const complaint = await clerk.putRows(
      'interactions',
      [
        {
          interactionId: 'N1',
          customerId: 'C1',
          kind: 'complaint',
          direction: 'in',
          date: '2016-11-02',
          subject: 'Late',
          owner: 'erin',
          status: 'resolved',
          resolvedOn: '2016-11-06',
        },
      ],
      'e6',
    );
    await reviewer.approve('interactions', [{ key: 'N1', etag: complaint.results[0]?.etag ?? '' }]);
    await page.getByTestId('cmd-complaints').click();
    expect(await said()).toContain('1 row on the Complaints sheet.');
    expect(await cell('Complaints', 0, 'Median days to resolve')).toBe(4);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
