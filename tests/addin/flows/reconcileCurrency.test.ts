// Issue #13 §4: reconciliation is per customer and currency. Our lines are those of the customer's contracts in the
// currency asked for; a customer with contracts in two currencies must name one, rather than have both matched at once.
import { ourLines } from '../../../addin/flows/reconcile';
import { ledgerData } from '../../../shared/calc';
import { contract, invoice, invoiceLine, payment } from '../../shared/calc/fixtures/records';

const data = ledgerData({
  contracts: [contract('C1'), contract('C2', { currency: 'USD' })],
  invoices: [invoice('I1', 'C1', '2016-02-01'), invoice('I2', 'C2', '2016-02-03')],
  invoiceLines: [invoiceLine('I1', 1, 'A', 1, '100.00'), invoiceLine('I2', 1, 'A', 1, '70.00')],
  payments: [payment('P1', 'C2', '2016-02-10', '20.00')],
});

it("our lines are the named currency's only", () => {
  expect(ourLines(data, 'K1', '2016-12-31', 'USD')).toEqual([
    { id: 'invoice:I2', ref: 'I2', date: '2016-02-03', amount: 7000 },
    { id: 'payment:P1', ref: 'P1', date: '2016-02-10', amount: -2000 },
  ]);
  expect(ourLines(data, 'K1', '2016-12-31', 'EUR')).toEqual([
    { id: 'invoice:I1', ref: 'I1', date: '2016-02-01', amount: 10000 },
  ]);
});

it('a customer in two currencies without one named is refused with a message, not matched in both', () => {
  expect(() => ourLines(data, 'K1', '2016-12-31')).toThrow(
    'Customer K1 has contracts in EUR and USD: enter one of them under Currency, then reconcile again.',
  );
});
