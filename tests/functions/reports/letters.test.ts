// The letters workbook's pure parts: letter data from stored reminders, and sheet names Excel accepts.
import { letterData, lettersWorkbook } from '../../../functions/src/reports/letters';

const reminder = (reminderNo: string, customerId = 'K1') => ({
  reminderNo,
  customerId,
  currency: 'EUR',
  level: 1,
  issuedOn: '2016-04-30',
  payBy: '2016-05-10',
  status: 'issued' as const,
});

test('letterData: lines by line number, totals in cents, no letter text without a level, name falls back to the ID', () => {
  const [letter] = letterData({
    reminders: [reminder('R1', 'K9')],
    reminderLines: [
      {
        reminderNo: 'R1',
        lineNo: 2,
        invoiceNo: 'I2',
        level: 1,
        outstanding: 10_001,
        daysOverdue: 3,
        interest: 7,
        fee: 0,
      },
      {
        reminderNo: 'R1',
        lineNo: 1,
        invoiceNo: 'I1',
        level: 1,
        outstanding: 99,
        daysOverdue: 9,
        interest: 0,
        fee: 500,
      },
      { reminderNo: 'R2', lineNo: 1, invoiceNo: 'I3', level: 1, outstanding: 1, daysOverdue: 1, interest: 0, fee: 0 },
    ],
    customers: [],
    levels: [{ termsCode: 'STD', level: 1, letterText: 'Dear {customer}' }],
    dueOn: new Map([['I1', '2016-03-01']]),
  });
  expect(letter?.customerName).toBe('K9');
  expect(letter?.letter).toBe('');
  expect(letter?.lines.map((l) => [l.invoiceNo, l.dueOn])).toEqual([
    ['I1', '2016-03-01'],
    ['I2', undefined],
  ]);
  expect([letter?.outstanding, letter?.interest, letter?.fees, letter?.total]).toEqual([10_100, 7, 500, 10_607]);
});

test('sheet names: characters Excel forbids replaced, at most 31 characters, unique ignoring case', () => {
  const long = 'R-2016-04-30-A-VERY-LONG-CUSTOMER-ID';
  const letters = letterData({
    reminders: [reminder('R:1*[x]'), reminder(`${long}-EUR`), reminder(`${long}-USD`), reminder('r:1*[X]')],
    reminderLines: [],
    customers: [],
    levels: [],
    dueOn: new Map(),
  });
  const names = lettersWorkbook(letters).worksheets.map((w) => w.name);
  expect(names).toEqual(['R_1__x_', long.slice(0, 31), `${long.slice(0, 29)}~2`, 'r_1__X_~2']);
});
