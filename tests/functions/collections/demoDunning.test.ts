// The demo dataset's dunning set-up: terms STD with three levels, every customer on them, one issued reminder, all
// rows valid.
import { demoDataset } from '../../../local/demo/dataset';
import { parseRow } from '../../../shared/ledgers';

describe('demo dunning set-up', () => {
  it('puts every customer on the three-level terms STD', () => {
    const { ledgers } = demoDataset({ contracts: 30 });
    expect(ledgers.reminderTerms.map((t) => t.termsCode)).toEqual(['STD']);
    expect(ledgers.reminderLevels.map((l) => [l.termsCode, l.level])).toEqual([
      ['STD', 1],
      ['STD', 2],
      ['STD', 3],
    ]);
    expect(ledgers.customers.length).toBeGreaterThan(0);
    expect(ledgers.customers.every((c) => c.reminderTermsCode === 'STD')).toBe(true);
    for (const row of ledgers.reminderLevels) expect(parseRow('reminderLevels', row).ok).toBe(true);
    expect(parseRow('reminderTerms', ledgers.reminderTerms[0]).ok).toBe(true);
    // One issued reminder, for an invoice of the dataset, of a customer of the dataset.
    expect(ledgers.reminders).toHaveLength(1);
    expect(ledgers.reminderLines).toHaveLength(1);
    const [reminder] = ledgers.reminders;
    const [line] = ledgers.reminderLines;
    expect(parseRow('reminders', reminder).ok).toBe(true);
    expect(parseRow('reminderLines', line).ok).toBe(true);
    expect(reminder?.status).toBe('issued');
    expect(ledgers.customers.some((c) => c.customerId === reminder?.customerId)).toBe(true);
    expect(ledgers.invoices.some((i) => i.invoiceNo === line?.invoiceNo)).toBe(true);
  });
});
