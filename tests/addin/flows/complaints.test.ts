// Complaint figures written to the Complaints sheet from the local API (approved complaints only).
import type { LedgerApiClient } from '../../../addin/flows/apiClient';
import { COMPLAINTS_SPEC, writeComplaints } from '../../../addin/flows/complaints';
import { createMemoryWorkbook } from '../../../addin/excel/memoryWorkbook';
import { startLocalApi, type LocalApi } from '../support/localApi';

describe('complaint figures in the workbook', () => {
  let api: LocalApi;
  let clerk: LedgerApiClient;
  let reviewer: LedgerApiClient;
  beforeAll(async () => {
    api = await startLocalApi();
    clerk = await api.client('clara.clerk', ['clerk']);
    reviewer = await api.client('rita.reviewer', ['reviewer']);
  });
  afterAll(async () => {
    await api.close();
  });

  it('writes opened, resolved and the median days per period and group', async () => {
    const c = await clerk.putRows('customers', [{ customerId: 'C1', name: 'Acme', region: 'East' }], 'c1');
    await reviewer.approve('customers', [{ key: 'C1', etag: c.results[0]?.etag ?? '' }]);
    const base = { customerId: 'C1', kind: 'complaint', direction: 'in', subject: 's', owner: 'o' };
    const rows = [
      { ...base, interactionId: 'A', date: '2016-11-01', status: 'resolved', resolvedOn: '2016-11-04' },
      { ...base, interactionId: 'B', date: '2016-11-02', status: 'resolved', resolvedOn: '2016-11-12' },
      { ...base, interactionId: 'C', date: '2016-11-03', status: 'open' },
      // Not approved: left out.
      { ...base, interactionId: 'D', date: '2016-11-03', status: 'open' },
    ];
    const put = await clerk.putRows('interactions', rows, 'i1');
    await reviewer.approve(
      'interactions',
      ['A', 'B', 'C'].map((key, i) => ({ key, etag: put.results[i]?.etag ?? '' })),
    );
    const wb = createMemoryWorkbook();
    const n = await writeComplaints(wb, clerk, {
      period: 'month',
      from: '2016-01-01',
      to: '2016-12-31',
      groupBy: 'region',
    });
    expect(n).toBe(1);
    const t = wb.tables.get(COMPLAINTS_SPEC.table);
    expect(t?.columns.map((col) => col.name)).toEqual([
      'Period',
      'Group',
      'Opened',
      'Resolved',
      'Median days to resolve',
    ]);
    // Resolved in 3 and 10 days: the median is their mean, 6.5.
    expect(t?.rows).toEqual([['2016-11', 'East', 3, 2, 6.5]]);
  });
});
