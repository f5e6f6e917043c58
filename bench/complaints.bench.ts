// Complaints as figures and the customer file read whole ledgers (issue 15): GET /api/complaints reads every
// interaction (a median cannot come from rollups), the customer file filters contacts, interactions, documents,
// samples and contracts by customerId, which storage answers by reading each of those tables. This measures both
// side by side at two sizes of the interactions ledger, in one Azurite (in memory), and prints the ratios.

import { keyOf } from '../shared/ledgers';
import { customerFile } from '../functions/src/services/customerFile';
import { complaintStatistics } from '../functions/src/services/complaints';
import { approveRows } from '../functions/src/services/approvals';
import { putRows } from '../functions/src/services/putRows';
import { readRows } from '../functions/src/store/ledgerStore';
import { fmt, intIn, seeded, withAzurite } from './support';

const CUSTOMERS = 50;
const SIZES = [2_000, 20_000] as const;
const KINDS = ['call', 'email', 'meeting', 'visit', 'complaint'] as const;

async function bestAsync(runs: number, fn: () => Promise<unknown>): Promise<number> {
  await fn();
  let ms = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    ms = Math.min(ms, performance.now() - start);
  }
  return ms;
}

async function putAndApprove(ledger: 'customers' | 'interactions', rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 5_000) {
    const chunk = rows.slice(i, i + 5_000);
    await putRows(ledger, chunk, 'bench.clerk');
    const keys = chunk.map((r) => keyOf(ledger, r));
    const stored = await readRows(ledger, keys);
    await approveRows(
      ledger,
      keys.map((key) => ({ key, etag: stored.get(key)?.etag ?? '' })),
      'bench.reviewer',
    );
  }
}

function interactions(from: number, count: number, random: () => number): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (let n = from; n < from + count; n++) {
    const kind = KINDS[intIn(random, 0, KINDS.length - 1)] as (typeof KINDS)[number];
    const date = `2016-${String(intIn(random, 1, 11)).padStart(2, '0')}-${String(intIn(random, 1, 28)).padStart(2, '0')}`;
    const row: Record<string, unknown> = {
      interactionId: `I${String(n).padStart(6, '0')}`,
      customerId: `C${String(intIn(random, 1, CUSTOMERS)).padStart(3, '0')}`,
      kind,
      direction: 'in',
      date,
      subject: 'Bench',
      owner: 'bench',
    };
    if (kind === 'complaint') {
      const resolved = random() < 0.7;
      row.status = resolved ? 'resolved' : 'open';
      if (resolved) row.resolvedOn = date.slice(0, 8) + '28';
    }
    rows.push(row);
  }
  return rows;
}

export async function run(): Promise<void> {
  await withAzurite('benchcomplaints', { inMemory: true }, async () => {
    const random = seeded(15);
    const customers = Array.from({ length: CUSTOMERS }, (_v, i) => ({
      customerId: `C${String(i + 1).padStart(3, '0')}`,
      name: `Customer ${i + 1}`,
      region: ['North', 'South', 'East', 'West'][i % 4],
    }));
    await putAndApprove('customers', customers);
    const timings: { size: number; complaints: number; file: number }[] = [];
    let written = 0;
    for (const size of SIZES) {
      await putAndApprove('interactions', interactions(written, size - written, random));
      written = size;
      const query = { period: 'month', from: '2016-01-01', to: '2016-12-31', groupBy: 'region' } as const;
      const rows = await complaintStatistics(query);
      const complaints = await bestAsync(3, () => complaintStatistics(query));
      const file = await bestAsync(3, () => customerFile('C001', { asOf: '2016-12-31', interactions: 20 }));
      timings.push({ size, complaints, file });
      console.log(
        `${size} interactions: GET /api/complaints (month × region, ${rows.length} rows) ${fmt(complaints)}; ` +
          `customer file ${fmt(file)} (best of 3)`,
      );
    }
    const [small, big] = timings as [(typeof timings)[0], (typeof timings)[0]];
    console.log(
      `${big.size / small.size}× the interactions: complaints ${(big.complaints / small.complaints).toFixed(1)}× the time, ` +
        `customer file ${(big.file / small.file).toFixed(1)}× the time (both read the whole interactions table)`,
    );
  });
}
