// The customer file's ledgers through the pane's generic flows against the local API: set up, publish (an invalid
// email stays in the sheet with its message, a formula-like role is stored as text), and pull with period and region.
import type { LedgerApiClient } from '../../../addin/flows/apiClient';
import { publish } from '../../../addin/flows/publish';
import { pull } from '../../../addin/flows/pull';
import { setupLedgerSheets } from '../../../addin/flows/setup';
import { createMemoryWorkbook } from '../../../addin/excel/memoryWorkbook';
import { cell, ledgerWorkbook } from '../support/ledgerWorkbook';
import { startLocalApi, type LocalApi } from '../support/localApi';

const touch = { direction: 'in', subject: 'Hello', owner: 'alice' };

describe('customer file ledgers in the pane', () => {
  let api: LocalApi;
  let clerk: LedgerApiClient;
  beforeAll(async () => {
    api = await startLocalApi();
    clerk = await api.client('clara.clerk', ['clerk']);
  });
  afterAll(async () => {
    await api.close();
  });

  it('publishes contacts, interactions, documents and samples; pulls them by period and by region', async () => {
    const wb = await ledgerWorkbook({
      customers: [
        { customerId: 'CE', name: 'East Co', region: 'East', email: 'office@east.example' },
        { customerId: 'CW', name: 'West Co', region: 'West' },
      ],
      contacts: [
        { contactId: 'P1', customerId: 'CE', name: 'Ann', role: '=1+2', phone: '+44 20 7946 0000', primary: true },
        { contactId: 'P2', customerId: 'CW', name: 'Wes', email: 'wes@west' },
      ],
      interactions: [
        { ...touch, interactionId: 'N1', customerId: 'CE', kind: 'call', date: '2016-11-03' },
        { ...touch, interactionId: 'N2', customerId: 'CW', kind: 'complaint', status: 'open', date: '2016-11-04' },
        { ...touch, interactionId: 'N3', customerId: 'CE', kind: 'visit', date: '2016-10-04' },
      ],
      customerDocuments: [{ documentId: 'DOC1', customerId: 'CE', kind: 'licence', validTo: '2017-01-31' }],
      samples: [
        { sampleId: 'SM1', customerId: 'CE', itemCode: 'A', quantity: 1, sentOn: '2016-11-10' },
        { sampleId: 'SM2', customerId: 'CW', itemCode: 'A', quantity: 1, sentOn: '2016-09-10' },
      ],
    });
    const res = await publish(wb, clerk);
    expect(res.counts).toMatchObject({ created: 9, invalid: 1 });
    expect(cell(wb, 'contacts', 1, 'Sync status')).toBe(
      'invalid: Contacts!E3 Email must be an email address such as name@example.com',
    );
    expect(cell(wb, 'contacts', 0, 'Sync status')).toBe('created');
    const stored = await clerk.getRows('contacts', { customerId: 'CE' });
    expect(stored.rows.map((r) => [r['contactId'], r['role'], r['phone']])).toEqual([
      ['P1', '=1+2', '+44 20 7946 0000'],
    ]);

    const byPeriod = createMemoryWorkbook();
    await setupLedgerSheets(byPeriod);
    const p = await pull(byPeriod, clerk, { filters: { period: '2016-11' } });
    const received = Object.fromEntries(p.ledgers.map((l) => [l.ledger, l.received]));
    // Interactions by date, samples by sentOn; contacts and documents have no date and come whole.
    expect(received).toMatchObject({ contacts: 1, interactions: 2, customerDocuments: 1, samples: 1 });
    expect(cell(byPeriod, 'contacts', 0, 'Role')).toBe('=1+2');

    const byRegion = createMemoryWorkbook();
    await setupLedgerSheets(byRegion);
    const r = await pull(byRegion, clerk, { filters: { region: 'West' } });
    const west = Object.fromEntries(r.ledgers.map((l) => [l.ledger, l.received]));
    expect(west).toMatchObject({ customers: 1, contacts: 0, interactions: 1, customerDocuments: 0, samples: 1 });
    expect(cell(byRegion, 'interactions', 0, 'Interaction ID')).toBe('N2');
  });
});
