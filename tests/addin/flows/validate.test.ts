// Tests addin/flows/validate.ts and convert.ts: exact cell conversion, marked cells, messages and A1 addresses.
import { cellToWire, wireToCells } from '../../../addin/flows/convert';
import { INVALID_FILL, validateWorkbook } from '../../../addin/flows/validate';
import { columns } from '../../../shared/ledgers';
import { SAMPLE, fillAt, ledgerWorkbook, noteAt, setCell } from '../support/ledgerWorkbook';

describe('cell conversion', () => {
  const col = (ledger: 'orderLines' | 'payments' | 'contracts', field: string) => {
    const c = columns(ledger).find((x) => x.field === field);
    if (c === undefined) throw new Error(field);
    return c;
  };
  it('turns serials into dates, cell numbers into exact decimals, and keeps text as text', () => {
    expect(cellToWire(col('contracts', 'signedOn'), 42675)).toEqual({ value: '2016-11-01' });
    expect(cellToWire(col('payments', 'amount'), 1234.56)).toEqual({ value: '1234.56' });
    expect(cellToWire(col('payments', 'amount'), 0.1 + 0.2)).toEqual({ value: '0.30' });
    expect(cellToWire(col('orderLines', 'unitPrice'), 3.3333)).toEqual({ value: '3.3333' });
    expect(cellToWire(col('contracts', 'contractId'), '=1+1')).toEqual({ value: '=1+1' });
    expect(cellToWire(col('contracts', 'contractId'), 123)).toEqual({ value: '123' });
    expect(cellToWire(col('contracts', 'signedOn'), 42675.5).error).toMatch(/not a whole day/);
    expect(cellToWire(col('payments', 'amount'), 1.005).error).toMatch(/more than 2 decimals/);
    expect(cellToWire(col('payments', 'amount'), '')).toEqual({});
  });
  it('round-trips wire rows through cells', () => {
    const row = SAMPLE.orderLines?.[1] ?? {};
    expect(wireToCells('orderLines', row)).toEqual(['K1', 2, 'B', '', 5, 3.3333]);
  });
});

describe('validate', () => {
  it('passes the sample workbook', async () => {
    const wb = await ledgerWorkbook();
    const res = await validateWorkbook(wb);
    expect(res.errors).toEqual([]);
    expect(res.rowsChecked).toBe(10);
  });

  it('marks the right cells with the right messages and sheet!A1 addresses, and reports progress', async () => {
    const wb = await ledgerWorkbook({
      ...SAMPLE,
      orderLines: [
        ...(SAMPLE.orderLines ?? []),
        { contractId: 'K9', lineNo: 3, itemCode: 'C', quantity: 0, unitPrice: '1' },
      ],
      deliveries: [
        ...(SAMPLE.deliveries ?? []),
        { deliveryId: 'D2', contractId: 'K1', itemCode: 'Z', quantity: 1, date: '2016-11-06' },
        { deliveryId: 'D3', contractId: 'K1', itemCode: 'A', quantity: 1, kind: 'return', date: '2016-11-07' },
      ],
    });
    // A signed-on date with a time and a payment amount with three decimals: only the cells can be wrong like that.
    setCell(wb, 'contracts', 0, 'Signed on', 42675.25);
    setCell(wb, 'payments', 0, 'Amount', 62.505);
    const phases: string[] = [];
    const res = await validateWorkbook(wb, { onProgress: (p) => phases.push(p.phase) });
    expect(phases).toContain('Reading Order lines');
    expect(res.errors.map((e) => [e.address, e.message])).toEqual([
      ['Contracts!E2', 'Signed on Excel date 42675.25 is not a whole day'],
      ["'Order lines'!E4", 'Quantity must be greater than 0'],
      ['Deliveries!C3', 'Item code Z is not on an order line of contract K1'],
      ['Deliveries!G4', 'Return reason is required for a return'],
      ['Payments!E2', 'Amount value 62.505 has more than 2 decimals'],
    ]);
    expect(res.invalidRows).toBe(5);
    expect(fillAt(wb, 'deliveries', 1, 'Item code')).toBe(INVALID_FILL);
    expect(noteAt(wb, 'deliveries', 1, 'Item code')).toBe(
      'Ledgerdesk: Item code Z is not on an order line of contract K1',
    );
    expect(fillAt(wb, 'deliveries', 0, 'Item code')).toBeUndefined();
    expect(res.errors[3]).toMatchObject({
      table: 'Deliveries',
      row: 2,
      column: 'Return reason',
      field: 'returnReason',
    });

    // Fixing the rows and validating again clears the marks.
    setCell(wb, 'contracts', 0, 'Signed on', 42675);
    setCell(wb, 'payments', 0, 'Amount', 62.5);
    const again = await validateWorkbook(wb);
    expect(again.errors).toHaveLength(3);
    expect(fillAt(wb, 'contracts', 0, 'Signed on')).toBeUndefined();
    // The fixed cells lose their notes too; cells still wrong keep theirs.
    expect(noteAt(wb, 'contracts', 0, 'Signed on')).toBeUndefined();
    expect(noteAt(wb, 'payments', 0, 'Amount')).toBeUndefined();
    expect(noteAt(wb, 'deliveries', 1, 'Item code')).toBe(
      'Ledgerdesk: Item code Z is not on an order line of contract K1',
    );
  });

  it('reports a reference to a missing parent and a duplicate key', async () => {
    const wb = await ledgerWorkbook({
      ...SAMPLE,
      customers: [],
      expenses: [...(SAMPLE.expenses ?? []), { ...(SAMPLE.expenses?.[0] ?? {}), amount: '5.00' }],
    });
    const res = await validateWorkbook(wb);
    expect(res.errors.map((e) => [e.address, e.message])).toEqual([
      ['Contracts!B2', 'Customer ID C1 does not exist in customers'],
      ['Expenses!A3', 'Expense ID duplicate key E1: the same key is on row 2'],
    ]);
  });

  it('applies the return rule as the server does: a return beyond what was delivered up to its date is marked', async () => {
    const wb = await ledgerWorkbook({
      ...SAMPLE,
      deliveries: [
        ...(SAMPLE.deliveries ?? []), // D1: 6 × A on 2016-11-05
        {
          deliveryId: 'R1',
          contractId: 'K1',
          itemCode: 'A',
          quantity: 2,
          kind: 'return',
          date: '2016-11-04',
          returnReason: 'x',
        },
        {
          deliveryId: 'R2',
          contractId: 'K1',
          itemCode: 'A',
          quantity: 4,
          kind: 'return',
          date: '2016-11-06',
          returnReason: 'x',
        },
        {
          deliveryId: 'R3',
          contractId: 'K1',
          itemCode: 'A',
          quantity: 3,
          kind: 'return',
          date: '2016-11-07',
          returnReason: 'x',
        },
      ],
    });
    const res = await validateWorkbook(wb);
    expect(res.errors.map((e) => [e.address, e.message])).toEqual([
      [
        'Deliveries!D3',
        'Quantity 2 exceeds what can be returned of A on contract K1 on 2016-11-04: 0 delivered, 0 returned already, at most 0 can be returned',
      ],
      [
        'Deliveries!D5',
        'Quantity 3 exceeds what can be returned of A on contract K1 on 2016-11-07: 6 delivered, 4 returned already, at most 2 can be returned',
      ],
    ]);
    expect(fillAt(wb, 'deliveries', 2, 'Quantity')).toBeUndefined();
  });
});
