// Test support: wire rows written through the API as a clerk and approved as a reviewer (each row's etag from the
// write), parents first, for tests and benchmarks of figures read through the real local API.
import type { LedgerApiClient } from '../../../addin/flows/apiClient';
import { LEDGERS, type LedgerName } from '../../../shared/ledgers';

export type WireRows = Partial<Record<LedgerName, Record<string, unknown>[]>>;

/** Writes and approves every row; throws naming the first row not created or approved. */
export async function writeApproved(clerk: LedgerApiClient, reviewer: LedgerApiClient, rows: WireRows): Promise<void> {
  for (const { name } of LEDGERS) {
    const list = rows[name] ?? [];
    for (let i = 0; i < list.length; i += 5000) {
      const part = list.slice(i, i + 5000);
      const put = await clerk.putRows(name, part, `seed-${name}-${i}-${Date.now()}-${Math.random()}`);
      const bad = put.results.find((r) => r.status !== 'created' && r.status !== 'updated');
      if (bad !== undefined) throw new Error(`${name} ${String(bad.key)}: ${bad.status} ${JSON.stringify(bad.errors)}`);
      await approve(
        reviewer,
        name,
        put.results.map((r) => ({ key: r.key as string, etag: r.etag as string })),
      );
    }
  }
}

/** Approves rows named by key and etag; throws naming the first not approved. */
export async function approve(
  reviewer: LedgerApiClient,
  ledger: LedgerName,
  rows: readonly { key: string; etag: string }[],
): Promise<void> {
  const res = await reviewer.approve(ledger, rows);
  const bad = res.results.find((r) => r.status !== 'approved');
  if (bad !== undefined) throw new Error(`approve ${ledger} ${bad.key}: ${bad.status}`);
}
