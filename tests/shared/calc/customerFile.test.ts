// The customer file's rules: document expiry (30-day window), samples out and overdue, open cases, latest
// interactions, and complaints as figures with medians, as worked examples.
import {
  complaintFigures,
  documentsWithExpiry,
  expiryFlag,
  latestInteractions,
  median,
  openCases,
  sampleState,
  samplesOut,
} from '../../../shared/calc/customerFile';
import type { Interaction, Sample } from '../../../shared/ledgers';

const AS_OF = '2016-11-15';

describe('document expiry', () => {
  it.each([
    ['2016-11-14', 'expired'],
    ['2016-11-15', 'expiring'],
    ['2016-12-15', 'expiring'],
    ['2016-12-16', 'valid'],
    [undefined, 'noExpiry'],
  ])('validTo %s is %s on 2016-11-15', (validTo, flag) => {
    expect(expiryFlag(validTo === undefined ? {} : { validTo }, AS_OF)).toBe(flag);
  });
  it('orders expired, expiring, valid, without expiry; soonest first', () => {
    const docs = [
      { documentId: 'D1' },
      { documentId: 'D2', validTo: '2017-06-30' },
      { documentId: 'D3', validTo: '2016-12-01' },
      { documentId: 'D4', validTo: '2016-01-31' },
      { documentId: 'D5', validTo: '2016-11-20' },
    ];
    expect(documentsWithExpiry(docs, AS_OF).map((d) => [d.document.documentId, d.flag, d.daysLeft])).toEqual([
      ['D4', 'expired', -289],
      ['D5', 'expiring', 5],
      ['D3', 'expiring', 16],
      ['D2', 'valid', 227],
      ['D1', 'noExpiry', null],
    ]);
  });
});

describe('samples', () => {
  const s = (id: string, extra: Partial<Sample>): Sample => ({
    sampleId: id,
    customerId: 'C1',
    itemCode: 'A',
    quantity: 1,
    sentOn: '2016-11-01',
    status: 'out',
    ...extra,
  });
  it('is overdue only when out past its due-back day', () => {
    expect(sampleState(s('S', { dueBackOn: '2016-11-14' }), AS_OF)).toBe('overdue');
    expect(sampleState(s('S', { dueBackOn: '2016-11-15' }), AS_OF)).toBe('out');
    expect(sampleState(s('S', {}), AS_OF)).toBe('out');
    expect(sampleState(s('S', { status: 'returned', returnedOn: '2016-11-02', dueBackOn: '2016-11-03' }), AS_OF)).toBe(
      'returned',
    );
    expect(sampleState(s('S', { status: 'kept' }), AS_OF)).toBe('kept');
  });
  it('lists samples out on the day, overdue first, then longest out', () => {
    const list = [
      s('S1', { sentOn: '2016-10-01' }),
      s('S2', { sentOn: '2016-11-10', dueBackOn: '2016-11-12' }),
      s('S3', { sentOn: '2016-09-01', status: 'returned', returnedOn: '2016-09-09' }),
      s('S4', { sentOn: '2016-11-20' }),
      s('S5', { sentOn: '2016-11-05' }),
    ];
    expect(samplesOut(list, AS_OF).map((o) => [o.sample.sampleId, o.state, o.daysOut, o.daysOverdue])).toEqual([
      ['S2', 'overdue', 5, 3],
      ['S1', 'out', 45, 0],
      ['S5', 'out', 10, 0],
    ]);
  });
});

const base = {
  customerId: 'C1',
  direction: 'in' as const,
  subject: 's',
  owner: 'alice',
};
const complaint = (id: string, date: string, extra: Partial<Interaction> = {}): Interaction => ({
  ...base,
  interactionId: id,
  kind: 'complaint',
  date,
  status: 'open',
  ...extra,
});

describe('open cases and latest interactions', () => {
  const list: Interaction[] = [
    complaint('I1', '2016-11-01', { dueOn: '2016-11-10', owner: 'bob' }),
    complaint('I2', '2016-10-01', { status: 'in progress' }),
    complaint('I3', '2016-09-01', { status: 'resolved', resolvedOn: '2016-09-05' }),
    { ...base, interactionId: 'I4', kind: 'call', date: '2016-11-14' },
    { ...base, interactionId: 'I5', kind: 'feedback', date: '2016-11-02', status: 'open' },
    complaint('I6', '2016-11-16'),
    complaint('I7', '2016-11-10', { status: 'resolved', resolvedOn: '2016-11-20' }),
  ];
  it('lists unresolved complaints opened by the day, oldest first, with age and days overdue', () => {
    expect(openCases(list, AS_OF).map((c) => [c.interaction.interactionId, c.ageDays, c.daysOverdue])).toEqual([
      ['I2', 45, 0],
      ['I1', 14, 5],
      ['I7', 5, 0], // resolved on 2016-11-20, so still open on 2016-11-15
    ]);
    expect(openCases(list, AS_OF, ['complaint', 'feedback']).map((c) => c.interaction.interactionId)).toEqual([
      'I2',
      'I1',
      'I5',
      'I7',
    ]);
  });
  it('gives the latest interactions newest first', () => {
    expect(latestInteractions(list, 3).map((i) => i.interactionId)).toEqual(['I6', 'I4', 'I7']);
  });
});

describe('complaints as figures', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([])).toBeNull();
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 10, 2])).toBe(3);
    expect(median([1, 2])).toBe(1.5);
  });
  const regionOf: Record<string, string> = { C1: 'East', C2: 'West' };
  const complaints: Interaction[] = [
    complaint('A', '2016-10-03', { status: 'resolved', resolvedOn: '2016-10-05' }), // 2 days, Oct
    complaint('B', '2016-10-10', { status: 'resolved', resolvedOn: '2016-11-09' }), // 30 days, resolved Nov
    complaint('C', '2016-11-01', { status: 'resolved', resolvedOn: '2016-11-11' }), // 10 days, Nov
    complaint('D', '2016-11-02', { customerId: 'C2', status: 'resolved', resolvedOn: '2016-11-06' }), // 4 days West
    complaint('E', '2016-11-20', { customerId: 'C2' }), // open
    complaint('F', '2016-12-31', { status: 'resolved', resolvedOn: '2017-01-02' }), // resolved outside the range
    { ...base, interactionId: 'G', kind: 'feedback', date: '2016-11-03', status: 'resolved', resolvedOn: '2016-11-04' },
  ];
  it('counts opened by date and resolved by resolvedOn, per month and region', () => {
    const rows = complaintFigures(complaints, {
      period: 'month',
      from: '2016-10-01',
      to: '2016-12-31',
      groupOf: (c) => regionOf[c.customerId] ?? null,
    });
    expect(rows).toEqual([
      { period: '2016-10', group: 'East', opened: 2, resolved: 1, medianDaysToResolve: 2 },
      { period: '2016-11', group: 'East', opened: 1, resolved: 2, medianDaysToResolve: 20 },
      { period: '2016-11', group: 'West', opened: 2, resolved: 1, medianDaysToResolve: 4 },
      { period: '2016-12', group: 'East', opened: 1, resolved: 0, medianDaysToResolve: null },
    ]);
  });
  it('takes the median over the whole period, not a mean of monthly medians', () => {
    const rows = complaintFigures(complaints, {
      period: 'quarter',
      from: '2016-01-01',
      to: '2016-12-31',
      groupOf: () => null,
      none: true,
    });
    // Resolved in Q4: 2, 30, 10, 4 days → median (4 + 10) / 2 = 7.
    expect(rows).toEqual([{ period: '2016-Q4', group: null, opened: 6, resolved: 4, medianDaysToResolve: 7 }]);
  });
  it('leaves out complaints whose group is null', () => {
    const rows = complaintFigures(complaints, {
      period: 'year',
      from: '2016-01-01',
      to: '2016-12-31',
      groupOf: (c) => (c.customerId === 'C2' ? 'C2' : null),
    });
    expect(rows).toEqual([{ period: '2016', group: 'C2', opened: 2, resolved: 1, medianDaysToResolve: 4 }]);
  });
});
