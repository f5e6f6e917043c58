// The figures' layout check that `npm start` runs: an empty store is stamped, a current one left alone, and a store
// whose index and rollups were written in another layout is rebuilt from the ledgers before figures are served.
import { ensureFiguresLayout } from '../../../functions/src/figures/layout';
import { receivablesRoute } from '../../../functions/src/functions/receivables';
import { indexTable, clearTable } from '../../../functions/src/store/contractIndex';
import { tableClient } from '../../../functions/src/store/client';
import {
  FIGURES_LAYOUT,
  readFiguresLayout,
  rollupTable,
  writeFiguresLayout,
} from '../../../functions/src/store/rollupStore';
import { expectRollupsMatchRebuild, oneInvoicedContract, useApprovedData } from './support';

const api = useApprovedData(oneInvoicedContract());

async function receivablesTotal(): Promise<string | undefined> {
  const res = await api.call(receivablesRoute, { query: { asOf: '2016-12-31', groupBy: 'contract' } });
  expect(res.status).toBe(200);
  return (res.jsonBody as { rows: { total: string }[] }).rows[0]?.total;
}

it('a store projected in another layout is rebuilt from the approved rows; then it is current', async () => {
  expect(await receivablesTotal()).toBe('20.00');
  // As an older version left it: no layout recorded, and an index and rollups this version cannot read.
  const months = await rollupTable('m');
  await clearTable(months);
  await clearTable(await rollupTable('d'));
  await clearTable(await indexTable());
  expect(await readFiguresLayout()).toBeUndefined();
  const log: string[] = [];
  expect(await ensureFiguresLayout((m) => log.push(m))).toBe('rebuilt');
  expect(log[0]).toMatch(/written in layout 1; this version reads layout 3/);
  expect(await readFiguresLayout()).toBe(FIGURES_LAYOUT);
  await expectRollupsMatchRebuild();
  expect(await receivablesTotal()).toBe('20.00');
  expect(await ensureFiguresLayout()).toBe('current');
});

it('an empty store is only stamped', async () => {
  // A store with no ledger row: the same tables under another prefix would do; here the ledgers are emptied.
  for (const name of ['customers', 'salespeople', 'contracts', 'orderLines', 'invoices', 'invoiceLines'] as const)
    await clearTable(await tableClient(name));
  await (await rollupTable('m')).deleteEntity('~meta', 'layout');
  expect(await ensureFiguresLayout()).toBe('stamped');
  expect(await readFiguresLayout()).toBe(FIGURES_LAYOUT);
  await writeFiguresLayout(); // idempotent
  expect(await ensureFiguresLayout()).toBe('current');
});
