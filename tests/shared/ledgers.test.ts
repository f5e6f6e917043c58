// Ledger schemas: required fields, defaults, keys, key rules, references, wire form and the registry.
import {
  columns,
  completeRow,
  isLedgerName,
  keyOf,
  LEDGERS,
  ledgerSchemas,
  parseRow,
  splitKey,
  toWire,
  type LedgerName,
} from '../../shared/ledgers';
import { checkReferences, referencedKeys, type ReferenceLookup } from '../../shared/references';

const contract = {
  contractId: 'CA-2016-152156',
  customerId: 'CG-12520',
  salespersonId: 'SP-1',
  region: 'South',
  signedOn: '2016-11-08',
};

function errorsOf(name: LedgerName, row: unknown) {
  const r = parseRow(name, row);
  if (r.ok) throw new Error('expected errors');
  return r.errors;
}

describe('registry', () => {
  it('lists the ledgers parents first', () => {
    expect(LEDGERS.map((l) => l.name)).toEqual([
      'customers',
      'salespeople',
      'contracts',
      'orderLines',
      'deliveries',
      'invoices',
      'invoiceLines',
      'payments',
      'creditNotes',
      'expenses',
      'contacts',
      'interactions',
      'customerDocuments',
      'samples',
      'trips',
      'attendance',
      'expensePolicies',
      'commissionPlans',
      'commissionSettlements',
      'targets',
      'budgets',
      'reminderTerms',
      'reminderLevels',
      'reminders',
      'reminderLines',
    ]);
    const position = new Map(LEDGERS.map((l, i) => [l.name, i]));
    for (const l of LEDGERS)
      for (const ref of l.references) expect(position.get(ref.ledger)).toBeLessThan(position.get(l.name) ?? -1);
  });
  it('gives every ledger one column per schema field, key fields required', () => {
    for (const l of LEDGERS) {
      const cols = columns(l.name);
      expect(cols.map((c) => c.field)).toEqual(Object.keys(ledgerSchemas[l.name].shape));
      for (const k of l.key) expect(cols.find((c) => c.field === k)?.required).toBe(true);
    }
  });
  it('describes column kinds, formats, enumerations and defaults', () => {
    const c = Object.fromEntries(columns('contracts').map((col) => [col.field, col]));
    expect(c.signedOn).toMatchObject({ kind: 'date', numberFormat: 'yyyy-mm-dd', header: 'Signed on', required: true });
    expect(c.status).toMatchObject({
      kind: 'enum',
      values: ['active', 'completed', 'cancelled'],
      defaultValue: 'active',
    });
    expect(c.paymentTermsDays).toMatchObject({ kind: 'int', required: false, defaultValue: 30 });
    const p = Object.fromEntries(columns('payments').map((col) => [col.field, col]));
    expect(p.amount).toMatchObject({ kind: 'money', numberFormat: '#,##0.00' });
    expect(p.invoiceNo).toMatchObject({ kind: 'id', required: false });
    expect(columns('orderLines').find((col) => col.field === 'unitPrice')?.kind).toBe('unitPrice');
  });
  it('knows its ledger names', () => {
    expect(isLedgerName('invoiceLines')).toBe(true);
    expect(isLedgerName('toString')).toBe(false);
    expect(isLedgerName('__proto__')).toBe(false);
  });
});

describe('parseRow', () => {
  it('applies schema defaults', () => {
    const r = parseRow('contracts', contract);
    expect(r).toEqual({ ok: true, record: { ...contract, paymentTermsDays: 30, status: 'active' } });
  });
  it('turns money into cents and unit prices into ten-thousandths', () => {
    const r = parseRow('orderLines', { contractId: 'C', lineNo: 1, itemCode: 'I', quantity: 2, unitPrice: '19.9950' });
    expect(r.ok && r.record.unitPrice).toBe(199950);
    const p = parseRow('payments', { paymentId: 'P', contractId: 'C', receivedOn: '2016-01-01', amount: 12.5 });
    expect(p.ok && p.record.amount).toBe(1250);
  });
  it('treats null and empty strings as absent', () => {
    const r = parseRow('customers', { customerId: 'C', name: 'N', region: 'East', segment: '', creditLimit: null });
    expect(r).toEqual({ ok: true, record: { customerId: 'C', name: 'N', region: 'East' } });
    expect(errorsOf('customers', { customerId: 'C', name: '', region: 'East' })).toEqual([
      { field: 'name', message: 'is required' },
    ]);
  });
  it('names every bad field', () => {
    expect(
      errorsOf('contracts', {
        ...contract,
        signedOn: '2016-02-30',
        status: 'open',
        paymentTermsDays: 1.5,
        color: 'red',
      }),
    ).toEqual([
      { field: 'signedOn', message: 'date "2016-02-30" is not a calendar date' },
      { field: 'paymentTermsDays', message: 'must be a whole number' },
      { field: 'status', message: 'must be one of: active, completed, cancelled' },
      { field: 'color', message: 'is not a field of this ledger' },
    ]);
  });
  it.each([
    ['10.005', 'more than 2 decimals'],
    ['NaN', 'not a decimal number'],
    ['1e3', 'exponent'],
    ['0', 'must not be 0: enter money received as a positive amount, a refund as a negative one'],
    ['0.00', 'must not be 0'],
    ['1,000.00', 'thousands separators'],
    [true, 'decimal number or a string'],
  ])('refuses payment amount %p', (amount, message) => {
    const errors = errorsOf('payments', { paymentId: 'P', contractId: 'C', receivedOn: '2016-01-01', amount });
    expect(errors).toHaveLength(1);
    expect(errors[0]?.field).toBe('amount');
    expect(errors[0]?.message).toContain(message);
  });
  it('accepts a negative payment amount: a refund paid back to the customer (issue #14)', () => {
    const row = { paymentId: 'R', contractId: 'C', receivedOn: '2016-01-01', amount: '-5.25' };
    expect(parseRow('payments', row)).toEqual({ ok: true, record: { ...row, amount: -525 } });
  });
  it('refuses non-positive and fractional quantities and wrong types', () => {
    const base = { contractId: 'C', lineNo: 1, itemCode: 'I', unitPrice: '1.00' };
    expect(errorsOf('orderLines', { ...base, quantity: -1 })).toEqual([
      { field: 'quantity', message: 'must be greater than 0' },
    ]);
    expect(errorsOf('orderLines', { ...base, quantity: 0 })).toEqual([
      { field: 'quantity', message: 'must be greater than 0' },
    ]);
    expect(errorsOf('orderLines', { ...base, quantity: 2.5 })).toEqual([
      { field: 'quantity', message: 'must be a whole number' },
    ]);
    expect(errorsOf('orderLines', { ...base, quantity: '3' })).toEqual([
      { field: 'quantity', message: 'must be a whole number' },
    ]);
  });
  it.each([
    ['a/b', '"/"'],
    ['a\\b', '"\\"'],
    ['a#b', '"#"'],
    ['a?b', '"?"'],
    ['a\u0001b', 'U+0001'],
    ['a\u007fb', 'U+007F'],
    ['x'.repeat(101), 'at most 100 characters'],
  ])('refuses key %p', (key, message) => {
    const errors = errorsOf('customers', { customerId: key, name: 'N', region: 'E' });
    expect(errors[0]?.field).toBe('customerId');
    expect(errors[0]?.message).toContain(message);
  });
  it('accepts a key of exactly 100 characters and refuses text over 32,000', () => {
    expect(parseRow('customers', { customerId: 'x'.repeat(100), name: 'N', region: 'E' }).ok).toBe(true);
    expect(errorsOf('customers', { customerId: 'c', name: 'n'.repeat(32_001), region: 'E' })).toEqual([
      { field: 'name', message: 'must be at most 32000 characters' },
    ]);
  });
  it('requires a reason for returns', () => {
    const d = { deliveryId: 'D1', contractId: 'C', itemCode: 'I', quantity: 1, date: '2016-01-01' };
    expect(parseRow('deliveries', d).ok).toBe(true);
    expect(errorsOf('deliveries', { ...d, kind: 'return' })).toEqual([
      { field: 'returnReason', message: 'is required for a return' },
    ]);
  });
  it('keeps __proto__ as an unknown field instead of polluting anything', () => {
    const input = JSON.parse('{"customerId":"c","name":"n","region":"E","__proto__":{"polluted":true}}') as unknown;
    expect(errorsOf('customers', input)).toEqual([{ field: '__proto__', message: 'is not a field of this ledger' }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it.each([[null], [[1, 2]], ['row'], [42]])('refuses a row that is not an object: %p', (row) => {
    expect(errorsOf('customers', row)).toEqual([{ field: '', message: 'a row must be a JSON object' }]);
  });
});

describe('keys', () => {
  it('joins compound keys with ~ and splits them at the last ~', () => {
    expect(keyOf('orderLines', { contractId: 'CA-2016-152156', lineNo: 3 })).toBe('CA-2016-152156~3');
    expect(splitKey('orderLines', 'CA-2016-152156~3')).toEqual({ contractId: 'CA-2016-152156', lineNo: 3 });
    expect(splitKey('invoiceLines', 'A~B~12')).toEqual({ invoiceNo: 'A~B', lineNo: 12 });
    expect(splitKey('customers', 'A~B')).toEqual({ customerId: 'A~B' });
  });
  it.each(['C1', 'C1~', '~3', 'C1~0', 'C1~x', 'C1~03'])('refuses compound key %p', (key) => {
    expect(splitKey('orderLines', key)).toBeNull();
  });
});

describe('completeRow and toWire', () => {
  const ctx = { defaultCurrency: 'EUR', paymentTermsDays: (id: string) => (id === 'C1' ? 45 : undefined) };
  it('fills the currency from configuration and the due date from the contract terms', () => {
    const c = parseRow('contracts', contract);
    expect(c.ok && completeRow('contracts', c.record, ctx).currency).toBe('EUR');
    const inv = parseRow('invoices', { invoiceNo: 'I1', contractId: 'C1', issuedOn: '2016-12-20' });
    expect(inv.ok && completeRow('invoices', inv.record, ctx).dueOn).toBe('2017-02-03');
    const orphan = parseRow('invoices', { invoiceNo: 'I2', contractId: 'nope', issuedOn: '2016-12-20' });
    expect(orphan.ok && completeRow('invoices', orphan.record, ctx).dueOn).toBe('2017-01-19');
    const explicit = parseRow('invoices', {
      invoiceNo: 'I3',
      contractId: 'C1',
      issuedOn: '2016-12-20',
      dueOn: '2016-12-31',
    });
    expect(explicit.ok && completeRow('invoices', explicit.record, ctx).dueOn).toBe('2016-12-31');
  });
  it('formats money, prices and rates for the wire and parses back to the same record', () => {
    const s = parseRow('salespeople', { salespersonId: 'S', name: 'N', region: 'E', commissionRate: 0.035 });
    expect(s.ok && toWire('salespeople', s.record)).toEqual({
      salespersonId: 'S',
      name: 'N',
      region: 'E',
      commissionRate: '0.035',
    });
    const p = parseRow('payments', { paymentId: 'P', contractId: 'C', receivedOn: '2016-01-01', amount: '7' });
    if (!p.ok) throw new Error('parse');
    const wire = toWire('payments', p.record);
    expect(wire.amount).toBe('7.00');
    expect(parseRow('payments', wire)).toEqual(p);
  });
});

describe('references', () => {
  const existing = new Set(['customers:CG-12520', 'salespeople:SP-1', 'contracts:C1', 'invoices:I1']);
  const lookup: ReferenceLookup = {
    exists: (l, k) => existing.has(`${l}:${k}`),
    contractHasItem: (c, i) => c === 'C1' && i === 'OFF-1',
    invoiceContract: (i) => (i === 'I1' ? 'C1' : undefined),
  };
  it('accepts rows whose references exist', () => {
    const c = parseRow('contracts', contract);
    expect(c.ok && checkReferences('contracts', c.record, lookup)).toEqual([]);
  });
  it('names each dangling reference', () => {
    const c = parseRow('contracts', { ...contract, customerId: 'X', salespersonId: 'Y' });
    expect(c.ok && checkReferences('contracts', c.record, lookup)).toEqual([
      { field: 'customerId', message: 'X does not exist in customers' },
      { field: 'salespersonId', message: 'Y does not exist in salespeople' },
    ]);
  });
  it('checks a payment invoiceNo only when given, and never an invoice contract', () => {
    const p = parseRow('payments', {
      paymentId: 'P',
      contractId: 'C1',
      receivedOn: '2016-01-01',
      amount: 1,
      invoiceNo: 'I9',
    });
    expect(p.ok && checkReferences('payments', p.record, lookup)).toEqual([
      { field: 'invoiceNo', message: 'I9 does not exist in invoices' },
    ]);
    const inv = parseRow('invoices', { invoiceNo: 'I5', contractId: 'nope', issuedOn: '2016-01-01' });
    expect(inv.ok && checkReferences('invoices', inv.record, lookup)).toEqual([]);
    expect(inv.ok && referencedKeys('invoices', inv.record)).toEqual([]);
  });
  it('requires a delivered item to be on the contract', () => {
    const d = { deliveryId: 'D', contractId: 'C1', quantity: 1, date: '2016-01-01' };
    const ok = parseRow('deliveries', { ...d, itemCode: 'OFF-1' });
    expect(ok.ok && checkReferences('deliveries', ok.record, lookup)).toEqual([]);
    const bad = parseRow('deliveries', { ...d, itemCode: 'TEC-9' });
    expect(bad.ok && checkReferences('deliveries', bad.record, lookup)).toEqual([
      { field: 'itemCode', message: 'TEC-9 is not on an order line of contract C1' },
    ]);
  });
});

describe('issue #14 ledgers', () => {
  it('expenses carry trip, receipt number, merchant and the day they were reimbursed', () => {
    const e = parseRow('expenses', {
      expenseId: 'E1',
      salespersonId: 'S1',
      category: 'hotel',
      incurredOn: '2016-11-08',
      amount: '80',
      tripId: 'T1',
      receiptNo: 'R-7',
      merchant: 'Inn',
      reimbursedOn: '2016-12-01',
    });
    expect(e.ok && toWire('expenses', e.record)).toEqual({
      expenseId: 'E1',
      salespersonId: 'S1',
      category: 'hotel',
      incurredOn: '2016-11-08',
      amount: '80.00',
      tripId: 'T1',
      receiptNo: 'R-7',
      merchant: 'Inn',
      reimbursedOn: '2016-12-01',
    });
  });
  it('expense policies default to needing no trip and allowing weekends', () => {
    const p = parseRow('expensePolicies', { policyId: 'P', category: 'meals', effectiveFrom: '2016-01-01' });
    expect(p.ok && p.record).toEqual({
      policyId: 'P',
      category: 'meals',
      effectiveFrom: '2016-01-01',
      needsTrip: false,
      weekendAllowed: true,
    });
  });
  it('commission plans need ascending tiers, each start with its rate, and lateAfterDays with lateRate', () => {
    const plan = { planId: 'T', rate1: '0.02' };
    expect(parseRow('commissionPlans', { ...plan, from2: 100, rate2: '0.05' }).ok).toBe(true);
    expect(parseRow('commissionPlans', plan)).toMatchObject({
      ok: true,
      record: { planId: 'T', basis: 'collected', rate1: 200 },
    });
    expect(errorsOf('commissionPlans', { ...plan, from2: 100 })).toEqual([
      { field: 'rate2', message: 'is required with from2' },
    ]);
    expect(errorsOf('commissionPlans', { ...plan, from2: 100, rate2: '0.05', from3: 100, rate3: '0.06' })).toEqual([
      { field: 'from3', message: "must be above the previous tier's start" },
    ]);
    expect(errorsOf('commissionPlans', { ...plan, from3: 100, rate3: '0.06' })).toEqual([
      { field: 'from3', message: 'needs tier 2 first' },
    ]);
    expect(errorsOf('commissionPlans', { ...plan, lateAfterDays: 60 })).toEqual([
      { field: 'lateRate', message: 'lateAfterDays and lateRate go together' },
    ]);
  });
  it('attendance and settlements are keyed by salesperson and month (YYYYMM)', () => {
    const a = parseRow('attendance', { salespersonId: 'S1', month: 201611, workingDays: 21, absentDays: 1 });
    expect(a.ok && keyOf('attendance', a.record)).toBe('S1~201611');
    expect(splitKey('commissionSettlements', 'S1~201611')).toEqual({ salespersonId: 'S1', month: 201611 });
    expect(a.ok && a.record.leaveDays).toBe(0);
  });
});

describe('dunning ledgers (issue 13)', () => {
  it('reminder terms: defaults, a yearly percentage with decimals, the interest basis 365 or 360', () => {
    const r = parseRow('reminderTerms', { termsCode: 'STD', name: 'Standard', interestRatePct: '8.5' });
    expect(r).toEqual({
      ok: true,
      record: {
        termsCode: 'STD',
        name: 'Standard',
        minAmount: 0,
        maxReminders: 0,
        interestRatePct: 85000,
        interestBasisDays: '365',
      },
    });
    const basis = errorsOf('reminderTerms', { termsCode: 'X', name: 'X', interestBasisDays: '366' });
    expect(basis.map((e) => e.field)).toEqual(['interestBasisDays']);
    expect(basis[0]?.message).toContain('365');
    expect(errorsOf('reminderTerms', { termsCode: 'X', name: 'X', maxReminders: -1 })[0]?.field).toBe('maxReminders');
  });

  it('reminder levels: keyed by terms and level, defaults, and a maximum fee not below the minimum', () => {
    const r = parseRow('reminderLevels', { termsCode: 'STD', level: 2, feePct: '1.5' });
    expect(r).toEqual({
      ok: true,
      record: {
        termsCode: 'STD',
        level: 2,
        graceDays: 0,
        payWithinDays: 14,
        feeFixed: 0,
        feePct: 15000,
        chargeInterest: false,
      },
    });
    expect(keyOf('reminderLevels', { termsCode: 'STD', level: 2 })).toBe('STD~2');
    expect(errorsOf('reminderLevels', { termsCode: 'STD', level: 1, feeMin: '5.00', feeMax: '4.99' })).toEqual([
      { field: 'feeMax', message: 'must not be below the minimum fee' },
    ]);
    expect(errorsOf('reminderLevels', { termsCode: 'STD', level: 0 })[0]?.field).toBe('level');
  });

  it('customers may name reminder terms and be blocked from dunning', () => {
    const r = parseRow('customers', {
      customerId: 'K1',
      name: 'K',
      region: 'East',
      reminderTermsCode: 'STD',
      dunningBlocked: true,
    });
    expect(r.ok && r.record).toMatchObject({ reminderTermsCode: 'STD', dunningBlocked: true });
  });
});

describe('reminder letter text (issue 13)', () => {
  it('refuses placeholders the letters do not fill, naming them and the ones they do', () => {
    const errors = errorsOf('reminderLevels', {
      termsCode: 'STD',
      level: 1,
      letterText: 'Dear {customer}, pay {amount}',
    });
    expect(errors.map((e) => e.field)).toEqual(['letterText']);
    expect(errors[0]?.message).toMatch(/^unknown placeholder\(s\) \{amount\}; use \{customer\}, \{invoices\}/);
    expect(parseRow('reminderLevels', { termsCode: 'STD', level: 1, letterText: 'Pay {total} by {payBy}' }).ok).toBe(
      true,
    );
  });
});

describe('reminders ledgers (issue 13)', () => {
  it('a reminder: status issued by default, pay-by not before issued-on; its lines keyed by reminder and line', () => {
    const base = { reminderNo: 'R1', customerId: 'K1', currency: 'EUR', level: 1, issuedOn: '2016-03-10' };
    expect(parseRow('reminders', { ...base, payBy: '2016-03-24' })).toEqual({
      ok: true,
      record: { ...base, payBy: '2016-03-24', status: 'issued' },
    });
    expect(errorsOf('reminders', { ...base, payBy: '2016-03-09' })).toEqual([
      { field: 'payBy', message: 'must not be before issued on' },
    ]);
    expect(errorsOf('reminders', { ...base, payBy: '2016-03-24', status: 'sent' })[0]?.field).toBe('status');
    const line = parseRow('reminderLines', {
      reminderNo: 'R1',
      lineNo: 1,
      invoiceNo: 'I1',
      level: 1,
      outstanding: '100.00',
      daysOverdue: 9,
    });
    expect(line).toEqual({
      ok: true,
      record: {
        reminderNo: 'R1',
        lineNo: 1,
        invoiceNo: 'I1',
        level: 1,
        outstanding: 10000,
        daysOverdue: 9,
        interest: 0,
        fee: 0,
      },
    });
    expect(keyOf('reminderLines', { reminderNo: 'R1', lineNo: 1 })).toBe('R1~1');
  });
});
