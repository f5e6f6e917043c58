// Test support for ledger tests: seed rows through the PUT handler and read results and stored rows back.
import type { ApprovalsResponse, ReadRow, RowResult } from '../../shared/api';
import { approveLedgerRowsRoute } from '../../functions/src/functions/approveLedgerRows';
import { putLedgerRowsRoute } from '../../functions/src/functions/putLedgerRows';
import { getLedgerRowRoute } from '../../functions/src/functions/getLedgerRow';
import { CLERK, REVIEWER, type CallOptions, type LedgerApi } from './ledgerApi';
import { seenNow } from './seen';

export async function put(
  api: LedgerApi,
  ledger: string,
  rows: unknown[],
  options: CallOptions = {},
): Promise<RowResult[]> {
  const res = await api.call(putLedgerRowsRoute, { params: { ledger }, body: { rows }, ...options });
  if (res.status !== 200) throw new Error(`PUT ${ledger} answered ${res.status}: ${JSON.stringify(res.jsonBody)}`);
  return (res.jsonBody as { results: RowResult[] }).results;
}

/** The stored row as GET returns it, or undefined on 404. */
export async function getRow(api: LedgerApi, ledger: string, key: string): Promise<ReadRow | undefined> {
  const res = await api.call(getLedgerRowRoute, { params: { ledger, key } });
  if (res.status === 404) return undefined;
  if (res.status !== 200)
    throw new Error(`GET ${ledger}/${key} answered ${res.status}: ${JSON.stringify(res.jsonBody)}`);
  return res.jsonBody as ReadRow;
}

/** Customers, salespeople, a contract with two order lines: the parents most tests need. */
export async function seedParents(api: LedgerApi): Promise<void> {
  const ok = (results: RowResult[]): void => {
    for (const r of results)
      if (r.status !== 'created' && r.status !== 'unchanged') throw new Error(`seed failed: ${JSON.stringify(r)}`);
  };
  ok(
    await put(api, 'customers', [
      { customerId: 'CU1', name: 'Acme', region: 'East' },
      { customerId: 'CU2', name: 'Bolt', region: 'West' },
    ]),
  );
  ok(await put(api, 'salespeople', [{ salespersonId: 'SP1', name: 'Sam', region: 'East' }]));
  ok(
    await put(api, 'contracts', [
      {
        contractId: 'K1',
        customerId: 'CU1',
        salespersonId: 'SP1',
        region: 'East',
        signedOn: '2016-11-08',
        paymentTermsDays: 45,
      },
    ]),
  );
  ok(
    await put(api, 'orderLines', [
      { contractId: 'K1', lineNo: 1, itemCode: 'ITEM-A', quantity: 3, unitPrice: '10.50' },
      { contractId: 'K1', lineNo: 2, itemCode: 'ITEM-B', quantity: 1, unitPrice: '99' },
    ]),
  );
}

/** Approves what seedParents wrote, parents first (a child is approved only after its parents: API v1.1). */
export async function approveSeededParents(api: LedgerApi): Promise<void> {
  for (const [ledger, keys] of [
    ['customers', ['CU1', 'CU2']],
    ['salespeople', ['SP1']],
    ['contracts', ['K1']],
  ] as const) {
    const res = await api.call(approveLedgerRowsRoute, {
      params: { ledger },
      body: { rows: await seenNow(ledger, keys) },
      user: REVIEWER,
    });
    const statuses = (res.jsonBody as ApprovalsResponse).results.map((r) => r.status);
    if (!statuses.every((s) => s === 'approved' || s === 'alreadyApproved'))
      throw new Error(`approving seeded ${ledger} answered ${statuses.join(', ')}`);
  }
}

export { CLERK };
