// Test support: a small dunning case written through the local API as a clerk and approved by a reviewer, for the
// pane's collections flows and the browser e2e run. As of 2016-04-30 the proposal reminds K1 of I1 (1,000.00) and I2
// (250.00) and K2 of I3 (400.00), each at level 1 with a 5.00 fee and no interest.
import type { LedgerName } from '../../../shared/ledgers';
import type { LocalApi } from './localApi';

export const DUNNING_AS_OF = '2016-04-30';

const SEED: [LedgerName, object[]][] = [
  ['salespeople', [{ salespersonId: 'S1', name: 'Sam', region: 'East' }]],
  [
    'reminderTerms',
    [
      {
        termsCode: 'STD',
        name: 'Standard',
        minAmount: '0.00',
        maxReminders: 0,
        interestRatePct: '0',
        interestBasisDays: '365',
      },
    ],
  ],
  [
    'reminderLevels',
    [
      {
        termsCode: 'STD',
        level: 1,
        graceDays: 0,
        payWithinDays: 14,
        feeFixed: '5.00',
        feePct: '0',
        chargeInterest: false,
        letterText: 'Dear {customer}, please pay {currency} {total} for {invoices} by {payBy}.',
      },
    ],
  ],
  [
    'customers',
    [
      { customerId: 'K1', name: 'One Ltd', region: 'East', reminderTermsCode: 'STD' },
      { customerId: 'K2', name: 'Two Ltd', region: 'East', reminderTermsCode: 'STD' },
    ],
  ],
  [
    'contracts',
    [
      {
        contractId: 'C1',
        customerId: 'K1',
        salespersonId: 'S1',
        region: 'East',
        signedOn: '2015-12-01',
        currency: 'EUR',
      },
      {
        contractId: 'C2',
        customerId: 'K2',
        salespersonId: 'S1',
        region: 'East',
        signedOn: '2015-12-01',
        currency: 'EUR',
      },
    ],
  ],
  [
    'invoices',
    [
      { invoiceNo: 'I1', contractId: 'C1', issuedOn: '2016-01-01', dueOn: '2016-01-31' },
      { invoiceNo: 'I2', contractId: 'C1', issuedOn: '2016-02-01', dueOn: '2016-03-02' },
      { invoiceNo: 'I3', contractId: 'C2', issuedOn: '2016-01-01', dueOn: '2016-01-31' },
    ],
  ],
  [
    'invoiceLines',
    [
      { invoiceNo: 'I1', lineNo: 1, itemCode: 'A', quantity: 1, unitPrice: '1000.00' },
      { invoiceNo: 'I2', lineNo: 1, itemCode: 'A', quantity: 1, unitPrice: '250.00' },
      { invoiceNo: 'I3', lineNo: 1, itemCode: 'A', quantity: 1, unitPrice: '400.00' },
    ],
  ],
];

/** Writes rows as `clerk` (or another writer) and has `rita.reviewer` approve exactly those versions. */
export async function writeApproved(
  api: LocalApi,
  ledger: LedgerName,
  rows: object[],
  writer: { user: string; roles: ('clerk' | 'finance')[] } = { user: 'erin.clerk', roles: ['clerk'] },
): Promise<void> {
  const maker = await api.client(writer.user, writer.roles);
  const reviewer = await api.client('rita.reviewer', ['reviewer']);
  const res = await maker.putRows(ledger, rows, `seed-${ledger}-${Date.now()}-${Math.random()}`);
  const seen = res.results.map((r) => {
    if (r.status !== 'created' && r.status !== 'updated') throw new Error(`${ledger} ${r.key}: ${JSON.stringify(r)}`);
    return { key: r.key as string, etag: r.etag as string };
  });
  const approved = await reviewer.approve(ledger, seen);
  const refused = approved.results.filter((r) => r.status !== 'approved');
  if (refused.length > 0) throw new Error(`${ledger}: ${JSON.stringify(refused)}`);
}

/** The case above, approved. */
export async function seedDunningCase(api: LocalApi): Promise<void> {
  for (const [ledger, rows] of SEED) await writeApproved(api, ledger, rows);
}
