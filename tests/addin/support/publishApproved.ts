// Test support: ledger rows published through the pane's Publish as a clerk and every one approved through the
// pane's Approve as a reviewer, for flow tests that read figures through the real local API.
import { approveRows } from '../../../addin/flows/approve';
import { publish } from '../../../addin/flows/publish';
import { LEDGERS, keyOf } from '../../../shared/ledgers';
import { ledgerWorkbook, type Rows } from './ledgerWorkbook';
import type { LocalApi } from './localApi';

/** Publishes and approves `rows`; returns how many rows Publish created. Throws naming a ledger not fully approved. */
export async function publishApproved(api: LocalApi, rows: Rows): Promise<number> {
  const clerk = await api.client('fiona.clerk', ['clerk', 'finance']);
  const reviewer = await api.client('rita.reviewer', ['reviewer']);
  const wb = await ledgerWorkbook(rows);
  const created = (await publish(wb, clerk)).counts.created;
  for (const def of LEDGERS) {
    const keys = (rows[def.name] ?? []).map((r) => keyOf(def.name, r));
    const approved = await approveRows(wb, reviewer, { ledger: def.name, keys }, 'rita.reviewer');
    if (approved.counts.approved !== keys.length)
      throw new Error(`${def.name}: ${approved.counts.approved} of ${keys.length} approved`);
  }
  return created;
}
