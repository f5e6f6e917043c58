// Complaints as figures (issue 15): opened, resolved and median days to resolve by period and group, from the
// approved complaints themselves. A median cannot be added up from rollups, so each request reads the whole
// interactions ledger (pages of 1,000, keeping the approved complaints only); bench/complaints.bench.ts measures it.

import type { ComplaintsQuery, ComplaintsRow } from '../../../shared/api';
import { complaintFigures } from '../../../shared/calc/customerFile';
import type { Interaction } from '../../../shared/ledgers';
import { readAllApproved } from '../figures/ledgerView';
import { readApprovedRecords } from '../store/ledgerStore';

/** The approved version of every complaint in the interactions ledger. */
export function readApprovedComplaints(): Promise<Interaction[]> {
  return readApprovedRecords('interactions', (i) => i.kind === 'complaint');
}

/** The approved customers' regions, by customerId. */
async function customerRegions(): Promise<Map<string, string>> {
  return new Map((await readApprovedRecords('customers')).map((c) => [c.customerId, c.region]));
}

/**
 * Groups: `region` is the complaint's customer's region (approved version); `salesperson` the salesperson of the
 * complaint's contract, so complaints without a contract (or whose contract has no approved version) are left out
 * of that grouping; `customer` the customerId.
 */
export async function complaintStatistics(query: ComplaintsQuery): Promise<ComplaintsRow[]> {
  const [complaints, regions, contracts] = await Promise.all([
    readApprovedComplaints(),
    query.groupBy === 'region' ? customerRegions() : undefined,
    query.groupBy === 'salesperson' ? readAllApproved(['contracts']) : undefined,
  ]);
  const salespersonOf = new Map((contracts?.contracts ?? []).map((c) => [c.contractId, c.salespersonId]));
  const groupOf = (c: Interaction): string | null => {
    if (query.groupBy === 'region') return regions?.get(c.customerId) ?? null;
    if (query.groupBy === 'salesperson')
      return c.contractId === undefined ? null : (salespersonOf.get(c.contractId) ?? null);
    return c.customerId;
  };
  return complaintFigures(complaints, {
    period: query.period,
    from: query.from,
    to: query.to,
    groupOf,
    none: query.groupBy === 'none',
  });
}
