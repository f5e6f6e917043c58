// The customer file's ledgers (issue 15): contacts, interactions, customer documents and samples, their field rules,
// references and the additive customer fields.
import { columns, LEDGERS, parseRow, toWire, type LedgerName } from '../../shared/ledgers';
import { checkReferences, type ReferenceLookup } from '../../shared/references';

function errorsOf(name: LedgerName, row: unknown) {
  const r = parseRow(name, row);
  if (r.ok) throw new Error(`expected errors, got ${JSON.stringify(r.record)}`);
  return r.errors;
}

function recordOf<L extends LedgerName>(name: L, row: unknown) {
  const r = parseRow(name, row);
  if (!r.ok) throw new Error(`expected a record, got ${JSON.stringify(r.errors)}`);
  return r.record;
}

const complaint = {
  interactionId: 'I-1',
  customerId: 'C1',
  kind: 'complaint',
  direction: 'in',
  date: '2016-11-02',
  subject: 'Broken pallets',
  owner: 'alice',
  status: 'open',
};

describe('customers (additive fields)', () => {
  it('keeps the v1.1 fields required and accepts address, email and phone as optional', () => {
    expect(recordOf('customers', { customerId: 'C1', name: 'Acme', region: 'East' })).toEqual({
      customerId: 'C1',
      name: 'Acme',
      region: 'East',
    });
    const cols = columns('customers');
    expect(cols.map((c) => c.field)).toEqual([
      'customerId',
      'name',
      'region',
      'segment',
      'creditLimit',
      'address',
      'email',
      'phone',
      'reminderTermsCode',
      'dunningBlocked',
    ]);
    for (const f of ['address', 'email', 'phone']) expect(cols.find((c) => c.field === f)?.required).toBe(false);
  });
  it('refuses a bad email or phone with a message naming the field', () => {
    expect(errorsOf('customers', { customerId: 'C1', name: 'Acme', region: 'East', email: 'acme.com' })).toEqual([
      { field: 'email', message: 'must be an email address such as name@example.com' },
    ]);
    expect(errorsOf('customers', { customerId: 'C1', name: 'Acme', region: 'East', phone: '=1+2' })).toEqual([
      { field: 'phone', message: 'must be a phone number such as +44 20 7946 0958 (digits, spaces, + ( ) - . / only)' },
    ]);
  });
});

describe('contacts', () => {
  const contact = { contactId: 'K1', customerId: 'C1', name: 'Ada Lovelace' };
  it.each(['ada@example.com', 'a.b+tag@mail.example.co.uk'])('accepts the email %s', (email) => {
    expect(recordOf('contacts', { ...contact, email })).toMatchObject({ email });
  });
  it.each([
    ['ada@example', 'must be an email address such as name@example.com'],
    ['ada example.com', 'must be an email address such as name@example.com'],
    ['@example.com', 'must be an email address such as name@example.com'],
    ['ada@@example.com', 'must be an email address such as name@example.com'],
  ])('refuses the email %s', (email, message) => {
    expect(errorsOf('contacts', { ...contact, email })).toEqual([{ field: 'email', message }]);
  });
  it('refuses an email over 254 characters', () => {
    expect(errorsOf('contacts', { ...contact, email: `${'a'.repeat(250)}@x.io` })).toEqual([
      { field: 'email', message: 'must be an email address of at most 254 characters' },
    ]);
  });
  it('takes a + only at the start of a phone number', () => {
    expect(errorsOf('contacts', { ...contact, phone: '020 7946+0958' })).toEqual([
      { field: 'phone', message: 'must be a phone number such as +44 20 7946 0958 (digits, spaces, + ( ) - . / only)' },
    ]);
  });
  it.each(['+44 20 7946 0958', '(020) 7946-0958', '0049/30/123456'])('accepts the phone %s', (phone) => {
    expect(recordOf('contacts', { ...contact, phone })).toMatchObject({ phone });
  });
  it.each([
    ['12345', 'must be a phone number with 6 to 20 digits (it has 5)'],
    ['+1 555 CALL NOW', 'must be a phone number such as +44 20 7946 0958 (digits, spaces, + ( ) - . / only)'],
    ['=HYPERLINK("x")', 'must be a phone number such as +44 20 7946 0958 (digits, spaces, + ( ) - . / only)'],
    ['123456789012345678901', 'must be a phone number with 6 to 20 digits (it has 21)'],
  ])('refuses the phone %s', (phone, message) => {
    expect(errorsOf('contacts', { ...contact, phone })).toEqual([{ field: 'phone', message }]);
  });
  it('keeps free text as typed, formula-like text included', () => {
    expect(recordOf('contacts', { ...contact, role: '=SUM(A1)' })).toMatchObject({ role: '=SUM(A1)' });
    expect(toWire('contacts', recordOf('contacts', { ...contact, primary: true, phone: '+44 1' + '23456' }))).toEqual({
      ...contact,
      primary: true,
      phone: '+44 123456',
    });
  });
});

describe('interactions', () => {
  it('accepts a call without case fields and a complaint with them', () => {
    const call = { ...complaint, interactionId: 'I-2', kind: 'call', status: undefined };
    expect(recordOf('interactions', call)).toMatchObject({ kind: 'call', direction: 'in' });
    expect(recordOf('interactions', { ...complaint, dueOn: '2016-11-30' })).toMatchObject({ status: 'open' });
  });
  it('requires a status for complaints and feedback and refuses case fields on other kinds', () => {
    expect(errorsOf('interactions', { ...complaint, status: undefined })).toEqual([
      { field: 'status', message: 'is required for a complaint: open, in progress or resolved' },
    ]);
    expect(errorsOf('interactions', { ...complaint, kind: 'meeting', resolution: 'n/a' })).toEqual([
      { field: 'status', message: 'is only for a complaint or feedback, not a meeting' },
      { field: 'resolution', message: 'is only for a complaint or feedback, not a meeting' },
    ]);
  });
  it('ties resolvedOn to the resolved status and to dates after the interaction', () => {
    expect(errorsOf('interactions', { ...complaint, status: 'resolved' })).toEqual([
      { field: 'resolvedOn', message: 'is required when resolved' },
    ]);
    expect(errorsOf('interactions', { ...complaint, status: 'in progress', resolvedOn: '2016-11-03' })).toEqual([
      { field: 'resolvedOn', message: 'is only for a resolved case (set Status to resolved, or clear it)' },
    ]);
    expect(
      errorsOf('interactions', { ...complaint, status: 'resolved', resolvedOn: '2016-11-01', dueOn: '2016-10-01' }),
    ).toEqual([
      { field: 'resolvedOn', message: 'must not be before the date (2016-11-02)' },
      { field: 'dueOn', message: 'must not be before the date (2016-11-02)' },
    ]);
  });
  it('refuses an unknown kind or direction with the allowed values', () => {
    expect(errorsOf('interactions', { ...complaint, kind: 'fax', direction: 'sideways', status: undefined })).toEqual([
      { field: 'kind', message: 'must be one of: call, letter, email, meeting, visit, complaint, feedback, document' },
      { field: 'direction', message: 'must be one of: in, out' },
    ]);
  });
});

describe('customer documents', () => {
  const doc = { documentId: 'D1', customerId: 'C1', kind: 'licence', validFrom: '2016-01-01', validTo: '2016-12-31' };
  it('accepts a document and refuses one that ends before it starts', () => {
    expect(recordOf('customerDocuments', doc)).toEqual(doc);
    expect(errorsOf('customerDocuments', { ...doc, validTo: '2015-12-31' })).toEqual([
      { field: 'validTo', message: 'must not be before Valid from (2016-01-01)' },
    ]);
    expect(errorsOf('customerDocuments', { ...doc, kind: 'passport' })[0]?.field).toBe('kind');
  });
});

describe('samples', () => {
  const sample = { sampleId: 'S1', customerId: 'C1', itemCode: 'A', quantity: 2, sentOn: '2016-11-01' };
  it('defaults the status to out', () => {
    expect(recordOf('samples', sample)).toEqual({ ...sample, status: 'out' });
  });
  it('ties returnedOn to the returned status and to dates after sending', () => {
    expect(errorsOf('samples', { ...sample, status: 'returned' })).toEqual([
      { field: 'returnedOn', message: 'is required when returned' },
    ]);
    expect(errorsOf('samples', { ...sample, returnedOn: '2016-11-05' })).toEqual([
      { field: 'returnedOn', message: 'is only for a returned sample (set Status to returned, or clear it)' },
    ]);
    expect(
      errorsOf('samples', { ...sample, status: 'returned', returnedOn: '2016-10-05', dueBackOn: '2016-10-01' }),
    ).toEqual([
      { field: 'returnedOn', message: 'must not be before Sent on (2016-11-01)' },
      { field: 'dueBackOn', message: 'must not be before Sent on (2016-11-01)' },
    ]);
    expect(errorsOf('samples', { ...sample, quantity: 0 })).toEqual([
      { field: 'quantity', message: 'must be greater than 0' },
    ]);
  });
});

describe('references', () => {
  const nothing: ReferenceLookup = {
    exists: () => false,
    contractHasItem: () => false,
    invoiceContract: () => undefined,
  };
  it('come after customers in the registry and are enforced', () => {
    const position = new Map(LEDGERS.map((l, i) => [l.name, i]));
    for (const name of ['contacts', 'interactions', 'customerDocuments', 'samples'] as const)
      expect(position.get(name)).toBeGreaterThan(position.get('contracts') ?? 99);
    expect(
      checkReferences('interactions', recordOf('interactions', { ...complaint, contractId: 'K9' }), nothing),
    ).toEqual([
      { field: 'customerId', message: 'C1 does not exist in customers' },
      { field: 'contractId', message: 'K9 does not exist in contracts' },
    ]);
    expect(
      checkReferences(
        'samples',
        recordOf('samples', { sampleId: 'S1', customerId: 'C2', itemCode: 'A', quantity: 1, sentOn: '2016-01-01' }),
        nothing,
      ),
    ).toEqual([{ field: 'customerId', message: 'C2 does not exist in customers' }]);
  });
});
