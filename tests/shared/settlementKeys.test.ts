// A commission settlement's key: salesperson and month, and its currency when it names one (the optional key tail).
// Keys without a currency are exactly those stored before; ids may contain `~`; the house currency is refused by name.
import fc from 'fast-check';
import { houseCurrencyTailProblem, keyOf, parseRow, splitKey } from '../../shared/ledgers';
import { addressOf, bucketOf } from '../../functions/src/store/ledgerEntities';

const settlement = { salespersonId: 'S1', month: 201611, commission: '12.50', settledOn: '2016-12-01' };

describe('commission settlement keys', () => {
  it('without a currency the key is salesperson~month, as before; with one, ~currency follows', () => {
    const eur = parseRow('commissionSettlements', settlement);
    const usd = parseRow('commissionSettlements', { ...settlement, currency: 'USD' });
    expect(eur.ok && keyOf('commissionSettlements', eur.record)).toBe('S1~201611');
    expect(usd.ok && keyOf('commissionSettlements', usd.record)).toBe('S1~201611~USD');
    // A wire row from a sheet: an empty Currency cell is no currency.
    expect(keyOf('commissionSettlements', { ...settlement, currency: '' })).toBe('S1~201611');
    expect(keyOf('commissionSettlements', { ...settlement, currency: null })).toBe('S1~201611');
    // Other ledgers keyed by salesperson and month have no tail, whatever fields a row carries.
    expect(keyOf('attendance', { salespersonId: 'S1', month: 201611, currency: 'USD' })).toBe('S1~201611');
  });

  it('splitKey reads both forms, ids containing ~ included', () => {
    expect(splitKey('commissionSettlements', 'S1~201611')).toEqual({ salespersonId: 'S1', month: 201611 });
    expect(splitKey('commissionSettlements', 'S1~201611~USD')).toEqual({
      salespersonId: 'S1',
      month: 201611,
      currency: 'USD',
    });
    expect(splitKey('commissionSettlements', 'S~1~201611~USD')).toEqual({
      salespersonId: 'S~1',
      month: 201611,
      currency: 'USD',
    });
    expect(splitKey('commissionSettlements', 'S~1~201611')).toEqual({ salespersonId: 'S~1', month: 201611 });
    // A salesperson id that looks like a currency stays the salesperson.
    expect(splitKey('commissionSettlements', 'USD~201611')).toEqual({ salespersonId: 'USD', month: 201611 });
    // Not a settlement key: no month, a lower-case or four-letter tail, a tail without a month before it.
    for (const bad of ['S1', 'S1~USD', 'S1~201611~usd', 'S1~201611~USDX', '~201611~USD', 'S1~201611~'])
      expect([bad, splitKey('commissionSettlements', bad)]).toEqual([bad, null]);
    // Ledgers without a tail are unchanged: attendance takes no currency.
    expect(splitKey('attendance', 'S1~201611~USD')).toBeNull();
  });

  it('keyOf and splitKey round-trip for any id, month and currency or none', () => {
    const id = fc.stringMatching(/^[A-Za-z0-9~ -]{1,12}$/).filter((s) => !s.startsWith('~'));
    const currency = fc.option(fc.stringMatching(/^[A-Z]{3}$/), { nil: undefined });
    fc.assert(
      fc.property(id, fc.integer({ min: 190001, max: 299912 }), currency, (salespersonId, month, cur) => {
        const row = cur === undefined ? { salespersonId, month } : { salespersonId, month, currency: cur };
        expect(splitKey('commissionSettlements', keyOf('commissionSettlements', row))).toEqual(row);
      }),
      { numRuns: 500 },
    );
  });

  it('rows of each form are stored under their own key; the old form keeps its address', () => {
    expect(addressOf('commissionSettlements', 'S1~201611')).toEqual({
      partitionKey: bucketOf('S1~201611'),
      rowKey: 'r|S1~201611',
      rowId: 'S1~201611',
    });
    expect(addressOf('commissionSettlements', 'S1~201611~USD')).toEqual({
      partitionKey: bucketOf('S1~201611~USD'),
      rowKey: 'r|S1~201611~USD',
      rowId: 'S1~201611~USD',
    });
    expect(addressOf('commissionSettlements', 'S1~201611~usd')).toBeNull();
  });

  it('naming the house currency is refused, telling the clerk to leave Currency empty and the key it then has', () => {
    expect(houseCurrencyTailProblem('commissionSettlements', { ...settlement, currency: 'EUR' }, 'EUR')).toEqual({
      field: 'currency',
      message: "must be left empty for EUR, the house currency (the row's key is then S1~201611)",
    });
    expect(houseCurrencyTailProblem('commissionSettlements', { ...settlement, currency: 'USD' }, 'EUR')).toBeNull();
    expect(houseCurrencyTailProblem('commissionSettlements', settlement, 'EUR')).toBeNull();
    // With USD as the house currency, USD is the one to leave empty and EUR is named.
    expect(houseCurrencyTailProblem('commissionSettlements', { ...settlement, currency: 'USD' }, 'USD')?.field).toBe(
      'currency',
    );
    expect(houseCurrencyTailProblem('commissionSettlements', { ...settlement, currency: 'EUR' }, 'USD')).toBeNull();
    // Contracts name their currency freely (it is not part of their key).
    expect(houseCurrencyTailProblem('contracts', { contractId: 'K1', currency: 'EUR' }, 'EUR')).toBeNull();
  });
});
