// Test support for the figure endpoints: write LedgerData through PUT as a clerk, approve as a reviewer, call figures.
import type { ReceivablesRow, RowResult, StatsRow } from '../../../shared/api';
import type { ReceivablesFigures } from '../../../shared/calc/aging';
import type { StatsFigures } from '../../../shared/calc/statistics';
import { formatMoney } from '../../../shared/money';
import { ledgerData, type LedgerData } from '../../../shared/calc';
import { keyOf, LEDGERS, toWire, type LedgerName, type LedgerRecord } from '../../../shared/ledgers';
import { approveLedgerRowsRoute } from '../../../functions/src/functions/approveLedgerRows';
import { putLedgerRowsRoute } from '../../../functions/src/functions/putLedgerRows';
import { computeRollups, type Cell } from '../../../functions/src/figures/cells';
import { readApprovedWithVersions } from '../../../functions/src/figures/rebuild';
import { readAllDayCells, readAllMonthCells } from '../../../functions/src/store/rollupStore';
import { setConfigForTests } from '../../../functions/src/config';
import { registerFigureProjection } from '../../../functions/src/figures/projection';
import { seenNow } from '../../support/seen';
import { contract, invoice, invoiceLine, orderLine } from '../../shared/calc/fixtures/records';
import { CLERK, ledgerApi, REVIEWER, type CallOptions, type LedgerApi } from '../../support/ledgerApi';

export const REVIEWER2 = { id: 'rob.reviewer', roles: ['reviewer' as const] };

/** One approved contract, invoiced in part: 10 A at 10.00 ordered (2016-11-05), 2 of them invoiced (I1, 2016-11-25). */
export function oneInvoicedContract(): LedgerData {
  return ledgerData({
    contracts: [contract('C1', { signedOn: '2016-11-05' })],
    orderLines: [orderLine('C1', 1, 'A', 10, '10.00')],
    invoices: [invoice('I1', 'C1', '2016-11-25')],
    invoiceLines: [invoiceLine('I1', 1, 'A', 2, '10.00')],
  });
}

/** PUT rows (≤ 5,000 per request); returns the results in order. */
export async function putRecords(
  api: LedgerApi,
  ledger: LedgerName,
  records: readonly LedgerRecord<LedgerName>[],
  options: CallOptions = {},
): Promise<RowResult[]> {
  const out: RowResult[] = [];
  for (let i = 0; i < records.length; i += 5000) {
    const rows = records.slice(i, i + 5000).map((r) => toWire(ledger, r));
    const res = await api.call(putLedgerRowsRoute, { params: { ledger }, body: { rows }, user: CLERK, ...options });
    if (res.status !== 200) throw new Error(`PUT ${ledger}: ${res.status} ${JSON.stringify(res.jsonBody)}`);
    out.push(...(res.jsonBody as { results: RowResult[] }).results);
  }
  return out;
}

/** Approves the rows' current versions (as a reviewer who just read them). */
export async function approveKeys(
  api: LedgerApi,
  ledger: LedgerName,
  keys: readonly string[],
  user = REVIEWER,
): Promise<void> {
  for (let i = 0; i < keys.length; i += 5000) {
    const res = await api.call(approveLedgerRowsRoute, {
      params: { ledger },
      body: { rows: await seenNow(ledger, keys.slice(i, i + 5000)) },
      user,
    });
    if (res.status !== 200) throw new Error(`approve ${ledger}: ${res.status} ${JSON.stringify(res.jsonBody)}`);
  }
}

export const keysOf = (ledger: LedgerName, records: readonly LedgerRecord<LedgerName>[]): string[] =>
  records.map((r) => keyOf(ledger, r as Record<string, unknown>));

/**
 * Writes and approves every ledger of `data`, parents first, adding the customers and salespeople that contracts name
 * (they do not change figures). Returns the records the ledger accepted, per ledger: the API refuses some records the
 * calculation fixtures contain on purpose (unknown contracts, unordered deliveries).
 */
/** Every ledger a LedgerData holds, parents first (the ledger registry's order). */
const HELD = LEDGERS.map((l) => l.name).filter((n): n is keyof LedgerData => n in ledgerData());

export async function writeAndApprove(api: LedgerApi, data: LedgerData, approve = true): Promise<LedgerData> {
  const customers = new Map(data.customers.map((c) => [c.customerId, c]));
  const salespeople = new Map(data.salespeople.map((s) => [s.salespersonId, s]));
  for (const c of data.contracts) {
    if (!customers.has(c.customerId))
      customers.set(c.customerId, { customerId: c.customerId, name: c.customerId, region: 'East' });
    if (!salespeople.has(c.salespersonId))
      salespeople.set(c.salespersonId, { salespersonId: c.salespersonId, name: c.salespersonId, region: 'East' });
  }
  const all: LedgerData = { ...data, customers: [...customers.values()], salespeople: [...salespeople.values()] };
  const accepted: Record<string, LedgerRecord<LedgerName>[]> = {};
  for (const name of HELD) {
    const records = all[name] as readonly LedgerRecord<LedgerName>[];
    const results = records.length === 0 ? [] : await putRecords(api, name, records);
    const ok = records.filter((_r, i) => results[i]?.status === 'created' || results[i]?.status === 'unchanged');
    accepted[name] = ok;
    if (approve && ok.length > 0) await approveKeys(api, name, keysOf(name, ok));
  }
  return accepted as unknown as LedgerData;
}

/** True when every record of `data` was accepted (customers and salespeople may have been added). */
export function allAccepted(data: LedgerData, accepted: LedgerData): boolean {
  return HELD.every(
    (name) => name === 'customers' || name === 'salespeople' || data[name].length === accepted[name].length,
  );
}

export function statsWire(r: StatsFigures): StatsRow {
  return {
    period: r.period,
    group: r.group,
    currency: r.currency,
    contractsSigned: r.contractsSigned,
    contractValue: formatMoney(r.contractValue),
    delivered: formatMoney(r.delivered),
    returned: formatMoney(r.returned),
    invoiced: formatMoney(r.invoiced),
    collected: formatMoney(r.collected),
    expenses: formatMoney(r.expenses),
  };
}

export function receivablesWire(r: ReceivablesFigures): ReceivablesRow {
  const f = formatMoney;
  return {
    group: r.group,
    currency: r.currency,
    current: f(r.current),
    d1_30: f(r.d1_30),
    d31_60: f(r.d31_60),
    d61_90: f(r.d61_90),
    d91_120: f(r.d91_120),
    over120: f(r.over120),
    total: f(r.total),
    unapplied: f(r.unapplied),
  };
}

export const cellKey = (c: Cell): string => `${c.dim}|${c.date}|${c.group}`;

/** Stored day cells equal a rebuild computed from the ledgers' approved rows; month cells are their sums. */
export async function expectRollupsMatchRebuild(): Promise<void> {
  const { data } = await readApprovedWithVersions();
  const want = new Map(computeRollups(data).map((c) => [cellKey(c), c.v]));
  const got = new Map((await readAllDayCells()).map((c) => [cellKey(c), c.v]));
  expect(Object.fromEntries(got)).toEqual(Object.fromEntries(want));
  const months = new Map<string, number[]>();
  for (const c of computeRollups(data)) {
    const k = `${c.dim}|${c.date.slice(0, 7)}|${c.group}`;
    const v = months.get(k) ?? c.v.map(() => 0);
    months.set(
      k,
      v.map((x, i) => x + (c.v[i] as number)),
    );
  }
  const gotMonths = new Map((await readAllMonthCells()).map((m) => [`${m.dim}|${m.month}|${m.group}`, m.v]));
  expect(Object.fromEntries(gotMonths)).toEqual(
    Object.fromEntries([...months].filter(([, v]) => v.some((x) => x !== 0))),
  );
}

/**
 * For a test file: the figures projection registered, a ledger API on its own tables, and `data` written and approved
 * before the first test; undone after the last. The API is usable inside tests and hooks (not at module level).
 */
export function useApprovedData(data: LedgerData): LedgerApi {
  let api: LedgerApi | undefined;
  let unregister = (): void => undefined;
  beforeAll(async () => {
    unregister = registerFigureProjection();
    api = ledgerApi();
    await writeAndApprove(api, data);
  });
  afterAll(() => {
    unregister();
    setConfigForTests(undefined);
  });
  const live = (): LedgerApi => {
    if (api === undefined) throw new Error('useApprovedData: the API exists once beforeAll has run');
    return api;
  };
  return {
    get config() {
      return live().config;
    },
    token: (user, roles) => live().token(user, roles),
    call: (route, options) => live().call(route, options),
  };
}
