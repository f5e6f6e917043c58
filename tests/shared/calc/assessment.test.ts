// The salesperson's month: a worked example of every figure, and a salesperson with nothing in the month.
import { assessMonth, monthBounds } from '../../../shared/calc/assessment';
import { ledgerData } from '../../../shared/calc/index';

const data = ledgerData({
  salespeople: [
    { salespersonId: 'S1', name: 'Sam', region: 'East', commissionRate: 300 },
    { salespersonId: 'S2', name: 'Quiet', region: 'West' },
  ],
  attendance: [{ salespersonId: 'S1', month: 201611, workingDays: 22, absentDays: 1, leaveDays: 2 }],
  trips: [
    // 2016-10-30..2016-11-02: two days in November; 11-02..11-04 overlaps it on the 2nd: 2 + 2 = 4 days.
    { tripId: 'T1', salespersonId: 'S1', departOn: '2016-10-30', returnOn: '2016-11-02', destination: 'A' },
    { tripId: 'T2', salespersonId: 'S1', departOn: '2016-11-02', returnOn: '2016-11-04', destination: 'B' },
  ],
  contracts: [
    {
      contractId: 'K1',
      customerId: 'C1',
      salespersonId: 'S1',
      region: 'East',
      signedOn: '2016-11-03',
      paymentTermsDays: 30,
      status: 'active',
    },
    {
      contractId: 'K0',
      customerId: 'C1',
      salespersonId: 'S1',
      region: 'East',
      signedOn: '2016-08-01',
      paymentTermsDays: 30,
      status: 'active',
    },
  ],
  orderLines: [{ contractId: 'K1', lineNo: 1, itemCode: 'A', quantity: 10, unitPrice: 100_000 }], // 10 × 10.00
  deliveries: [
    { deliveryId: 'D1', contractId: 'K1', itemCode: 'A', quantity: 4, kind: 'delivery', date: '2016-11-10' },
  ],
  invoices: [
    { invoiceNo: 'I1', contractId: 'K1', issuedOn: '2016-11-12', dueOn: '2016-12-12' },
    { invoiceNo: 'I0', contractId: 'K0', issuedOn: '2016-09-01', dueOn: '2016-10-01' }, // 30.00 overdue by 11-30
  ],
  invoiceLines: [
    { invoiceNo: 'I1', lineNo: 1, itemCode: 'A', quantity: 4, unitPrice: 100_000 },
    { invoiceNo: 'I0', lineNo: 1, itemCode: 'A', quantity: 5, unitPrice: 100_000 },
  ],
  payments: [
    { paymentId: 'P1', contractId: 'K1', invoiceNo: 'I1', receivedOn: '2016-11-20', amount: 2_500 },
    { paymentId: 'P0', contractId: 'K0', receivedOn: '2016-11-05', amount: 2_000 },
  ],
  expensePolicies: [
    {
      policyId: 'H',
      category: 'hotel',
      effectiveFrom: '2016-01-01',
      limitPerClaim: 8_000,
      needsTrip: true,
      weekendAllowed: true,
    },
  ],
  expenses: [
    { expenseId: 'E1', salespersonId: 'S1', category: 'hotel', incurredOn: '2016-11-02', amount: 10_000 },
    { expenseId: 'E2', salespersonId: 'S1', category: 'hotel', incurredOn: '2016-11-20', amount: 3_000 },
    { expenseId: 'E0', salespersonId: 'S1', category: 'hotel', incurredOn: '2016-10-31', amount: 9_000 },
  ],
});

describe('assessMonth', () => {
  it('gives every figure of the month per salesperson', () => {
    const [s1, s2] = assessMonth(data, '2016-11');
    expect(s1).toEqual({
      salespersonId: 'S1',
      name: 'Sam',
      region: 'East',
      workingDays: 22,
      absentDays: 1,
      leaveDays: 2,
      tripDays: 4,
      contractsSigned: 1,
      contractValue: 10_000,
      delivered: 4_000,
      invoiced: 4_000,
      collected: 4_500,
      overdue: 3_000, // I0: 50.00 less P0's 20.00, 60 days past due
      expenses: 13_000, // E0 is October's
      reimbursable: 8_000, // E1 capped at 80.00, E2 outside every trip: 0
      expensesPerTripDay: 3_250,
      expenseFindings: 2,
      commission: 135, // 3 % of 25.00 + 20.00
      currency: 'EUR',
      otherCurrencies: [],
    });
    expect(s2).toMatchObject({
      salespersonId: 'S2',
      workingDays: null,
      tripDays: 0,
      expensesPerTripDay: null,
      commission: 0,
    });
  });
  it('knows month ends', () => {
    expect([monthBounds('2016-02'), monthBounds('2016-12')]).toEqual([
      { first: '2016-02-01', last: '2016-02-29' },
      { first: '2016-12-01', last: '2016-12-31' },
    ]);
  });
});

describe('assessMonth in two currencies', () => {
  it("keeps the house currency's figures and names the other currency instead of adding it in", () => {
    const usd = ledgerData({
      ...data,
      contracts: [
        ...data.contracts,
        {
          contractId: 'KU',
          customerId: 'C2',
          salespersonId: 'S1',
          region: 'East',
          signedOn: '2016-11-07',
          paymentTermsDays: 30,
          status: 'active',
          currency: 'USD',
        },
      ],
      orderLines: [
        ...data.orderLines,
        { contractId: 'KU', lineNo: 1, itemCode: 'A', quantity: 3, unitPrice: 1_000_000 },
      ],
    });
    const [eur] = assessMonth(data, '2016-11');
    const [both] = assessMonth(usd, '2016-11');
    // The USD contract (3 × 100.00) is neither counted nor added to the EUR contract value.
    expect([both?.contractsSigned, both?.contractValue, both?.currency, both?.otherCurrencies]).toEqual([
      eur?.contractsSigned,
      eur?.contractValue,
      'EUR',
      ['USD'],
    ]);
    // With USD as the house currency, contracts without a currency are USD too: K1 (100.00) and KU (300.00).
    const [inUsd] = assessMonth(usd, '2016-11', 'USD');
    expect([inUsd?.contractsSigned, inUsd?.contractValue, inUsd?.otherCurrencies]).toEqual([2, 40_000, []]);
  });
});

describe('assessMonth: commission per currency', () => {
  const usdContract = {
    contractId: 'KU',
    customerId: 'C2',
    salespersonId: 'S1',
    region: 'East',
    signedOn: '2016-08-01',
    paymentTermsDays: 30,
    status: 'active' as const,
    currency: 'USD',
  };
  const withUsd = (extra: Parameters<typeof ledgerData>[0]) =>
    ledgerData({
      ...data,
      contracts: [...data.contracts, usdContract],
      invoices: [...data.invoices, { invoiceNo: 'IU', contractId: 'KU', issuedOn: '2016-08-01', dueOn: '2016-08-31' }],
      invoiceLines: [
        ...data.invoiceLines,
        { invoiceNo: 'IU', lineNo: 1, itemCode: 'A', quantity: 1, unitPrice: 10_000_000 },
      ],
      ...extra,
    });

  it('counts only the house currency’s payments in commission and names USD when USD is collected', () => {
    const usd = withUsd({
      payments: [...data.payments, { paymentId: 'PU', contractId: 'KU', receivedOn: '2016-11-21', amount: 50_000 }],
    });
    const [s1] = assessMonth(usd, '2016-11');
    // 3 % of EUR 25.00 + 20.00 as before; USD 500.00 would add 15.00 if currencies were added together.
    expect([s1?.commission, s1?.collected, s1?.currency, s1?.otherCurrencies]).toEqual([135, 4_500, 'EUR', ['USD']]);
    // With USD as the house currency, the USD statement is the commission: 3 % of K1 and K0's 45.00 and of 500.00.
    const [inUsd] = assessMonth(usd, '2016-11', 'USD');
    expect([inUsd?.commission, inUsd?.otherCurrencies]).toEqual([1_635, []]);
  });

  it('names a currency whose only November figure is commission (a settled USD month)', () => {
    const usd = withUsd({
      // KU's invoice was paid in full in September: no USD sales, collections or receivables in November.
      payments: [...data.payments, { paymentId: 'PU', contractId: 'KU', receivedOn: '2016-09-10', amount: 100_000 }],
      commissionSettlements: [
        { salespersonId: 'S1', month: 201611, commission: 700, settledOn: '2016-12-01', currency: 'USD' },
      ],
    });
    const [s1] = assessMonth(usd, '2016-11');
    // The USD settlement neither locks nor changes the EUR commission.
    expect([s1?.commission, s1?.otherCurrencies]).toEqual([135, ['USD']]);
    const [without] = assessMonth(withUsd({ payments: usd.payments }), '2016-11');
    expect([without?.commission, without?.otherCurrencies]).toEqual([135, []]);
  });
});
