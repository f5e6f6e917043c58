// Statistics' rollup reads and computed receivables are kept per figures generation: asked again with nothing
// approved, they are not read or computed again; an approval, and a rollup delta applied late by the drain, are
// visible at the next request.
import { figureComputations } from '../../../functions/src/figures/ledgerView';
import { drainUnappliedDeltas, dropNextRollupApplicationForTests } from '../../../functions/src/figures/projection';
import { cellLoads } from '../../../functions/src/figures/statistics';
import { receivablesRoute } from '../../../functions/src/functions/receivables';
import { statsRoute } from '../../../functions/src/functions/stats';
import { payment } from '../../shared/calc/fixtures/records';
import { approveKeys, oneInvoicedContract, putRecords, useApprovedData } from './support';

const api = useApprovedData(oneInvoicedContract());

/** Collected in 2016 (whole months: month cells only) and in Dec 1-15 (a cut month: day cells). */
async function collected(): Promise<{ year: string | undefined; firstHalfOfDecember: string | undefined }> {
  const get = async (from: string, to: string): Promise<string | undefined> => {
    const res = await api.call(statsRoute, { query: { period: 'year', from, to, groupBy: 'none' } });
    expect(res.status).toBe(200);
    return (res.jsonBody as { rows: { collected: string }[] }).rows[0]?.collected;
  };
  return { year: await get('2016-01-01', '2016-12-31'), firstHalfOfDecember: await get('2016-12-01', '2016-12-15') };
}

async function receivable(asOf = '2016-12-31'): Promise<string | undefined> {
  const res = await api.call(receivablesRoute, { query: { asOf, groupBy: 'contract' } });
  expect(res.status).toBe(200);
  return (res.jsonBody as { rows: { total: string }[] }).rows[0]?.total;
}

it('statistics read the rollups once per range until an approval', async () => {
  expect(await collected()).toEqual({ year: '0.00', firstHalfOfDecember: undefined });
  const loads = cellLoads();
  expect(await collected()).toEqual({ year: '0.00', firstHalfOfDecember: undefined });
  expect(cellLoads()).toBe(loads);

  await putRecords(api, 'payments', [payment('P1', 'C1', '2016-12-03', '15.00')]);
  expect(await collected()).toEqual({ year: '0.00', firstHalfOfDecember: undefined }); // pending only
  expect(cellLoads()).toBe(loads);
  await approveKeys(api, 'payments', ['P1']);
  expect(await collected()).toEqual({ year: '15.00', firstHalfOfDecember: '15.00' });
  expect(cellLoads()).toBe(loads + 2);
});

it('a rollup delta applied late (by the drain) is seen by the next statistics request', async () => {
  await putRecords(api, 'payments', [payment('P2', 'C1', '2016-12-10', '1.50')]);
  dropNextRollupApplicationForTests();
  await approveKeys(api, 'payments', ['P2']);
  // The index has P2, the rollups do not yet: statistics show (and keep) what the rollups hold.
  expect(await collected()).toEqual({ year: '15.00', firstHalfOfDecember: '15.00' });
  expect(await drainUnappliedDeltas()).toBe(1);
  expect(await collected()).toEqual({ year: '16.50', firstHalfOfDecember: '16.50' });
});

it('receivables are computed once per (asOf, groupBy) until an approval', async () => {
  expect(await receivable()).toBe('3.50'); // 20.00 invoiced, 16.50 collected
  const computations = figureComputations();
  expect(await receivable()).toBe('3.50');
  expect(figureComputations()).toBe(computations);
  expect(await receivable('2016-11-30')).toBe('20.00'); // another asOf: its own computation
  expect(figureComputations()).toBe(computations + 1);

  await putRecords(api, 'payments', [payment('P3', 'C1', '2016-12-20', '1.50')]);
  await approveKeys(api, 'payments', ['P3']);
  expect(await receivable()).toBe('2.00');
  expect(figureComputations()).toBe(computations + 2);
});
