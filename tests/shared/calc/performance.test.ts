// Contract performance: worked examples, one-decimal percentages and the open-contracts list.

import { buildIndex } from '../../../shared/calc/index';
import { contractPerformance, contractsWithOpenItems, percentOneDecimal } from '../../../shared/calc/performance';
import { openItemsData, openItemsExpected, performanceCases, performanceData } from './fixtures/performance';

describe('contractPerformance worked examples', () => {
  it.each(performanceCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(contractPerformance(c.data, c.contractId)).toEqual(c.expected);
  });

  it('gives the same from the contract bundle alone, and nothing for another contract id', () => {
    const bundle = buildIndex(performanceData).bundles.get('C1');
    if (!bundle) throw new Error('no bundle');
    expect(contractPerformance(bundle, 'C1')).toEqual(performanceCases[0]?.expected);
    expect(contractPerformance(bundle, 'C2')).toBeUndefined();
  });
});

describe('percentOneDecimal', () => {
  it.each([
    [2, 3, 66.7],
    [1, 8, 12.5],
    [1, 3, 33.3],
    [1, 16, 6.3],
    [1, 2000, 0.1],
    [1, 2001, 0],
    [0, 5, 0],
    [5, 5, 100],
    [3, 2, 150],
    [-1, 8, -12.5],
    [-1, 16, -6.3],
    [-1, 2001, 0],
  ])('%i / %i → %d', (part, whole, pct) => {
    expect(percentOneDecimal(part, whole)).toBe(pct);
  });
});

describe('contractsWithOpenItems', () => {
  it('lists contracts with anything undelivered, uninvoiced or unpaid', () => {
    const open = contractsWithOpenItems(openItemsData);
    expect(open.map((p) => p.contractId)).toEqual(openItemsExpected);
    expect(open.find((p) => p.contractId === 'C4')?.totals.receivable).toBe(1000);
  });
});
