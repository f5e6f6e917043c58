// Tests for functions/src/store/rollupStore.ts: a delta is applied once per (id, partition), its cells are stored
// grouped per day and month, and applied-delta markers are cleaned up in batches, also concurrently.
import { setConfigForTests } from '../../../functions/src/config';
import { DIMS, zeroVec, type Cell } from '../../../functions/src/figures/cells';
import { applyDelta, deleteOldMarkers, readAllDayCells, rollupTable } from '../../../functions/src/store/rollupStore';
import { useTestConfig } from '../../support/azurite';

beforeAll(() => useTestConfig());
afterAll(() => setConfigForTests(undefined));

async function markerCount(): Promise<number> {
  let n = 0;
  for (const table of ['m', 'd'] as const)
    for await (const e of (await rollupTable(table)).listEntities({ queryOptions: { select: ['RowKey'] } }))
      if (String(e.rowKey).includes('|~applied|')) n++;
  return n;
}

describe('deleteOldMarkers', () => {
  it('deletes every old marker once, keeps the cells, and two cleanups at once do not fail on each other', async () => {
    const dim = DIMS[0];
    const v = zeroVec();
    v[0] = 1;
    // 3 deltas over the 28 days of one month: the days are one partition (a month of the day table) and the month one
    // partition of the month table, so each delta leaves two markers.
    const cells: Cell[] = Array.from({ length: 28 }, (_, i) => ({
      dim,
      date: `2016-02-${String(i + 1).padStart(2, '0')}`,
      group: 'G',
      v,
    }));
    for (const id of ['d1', 'd2', 'd3']) await applyDelta({ id, cells });
    const markers = await markerCount();
    expect(markers).toBe(3 * 2);
    // Applied again (a retry or a drain of the same delta): its markers make it a no-op (the sums below stay at 3).
    await applyDelta({ id: 'd2', cells });
    expect(await markerCount()).toBe(3 * 2);
    expect(await deleteOldMarkers(60_000)).toBe(0); // none is a minute old yet
    await new Promise((r) => setTimeout(r, 5));
    const counts = await Promise.all([deleteOldMarkers(0), deleteOldMarkers(0)]);
    expect(Math.max(...counts)).toBeGreaterThan(0);
    expect(await markerCount()).toBe(0);
    expect(await deleteOldMarkers(0)).toBe(0);
    const days = await readAllDayCells();
    expect(days).toHaveLength(28);
    expect(days.every((c) => c.v[0] === 3)).toBe(true);
  });
});
