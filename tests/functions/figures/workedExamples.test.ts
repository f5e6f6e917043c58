// The calculation fixtures' worked examples through the figure handlers, against Azurite: written as a clerk,
// approved as a reviewer, projected by the approval listener, then read back formatted.
import type { StatsRow } from '../../../shared/api';
import { computeReceivables } from '../../../shared/calc/aging';
import { checkInvoices } from '../../../shared/calc/invoiceCheck';
import { contractPerformance, type ContractPerformance } from '../../../shared/calc/performance';
import { computeStatistics } from '../../../shared/calc/statistics';
import type { LedgerData } from '../../../shared/calc';
import { formatMoney } from '../../../shared/money';
import { setConfigForTests } from '../../../functions/src/config';
import { registerFigureProjection } from '../../../functions/src/figures/projection';
import { contractPerformanceRoute } from '../../../functions/src/functions/contractPerformance';
import { invoiceCheckRoute } from '../../../functions/src/functions/invoiceCheck';
import { receivablesRoute } from '../../../functions/src/functions/receivables';
import { statsRoute } from '../../../functions/src/functions/stats';
import { agingCases } from '../../shared/calc/fixtures/aging';
import { invoiceCheckCases } from '../../shared/calc/fixtures/invoiceCheck';
import { performanceCases } from '../../shared/calc/fixtures/performance';
import { statisticsCases } from '../../shared/calc/fixtures/statistics';
import { ledgerApi } from '../../support/ledgerApi';
import { allAccepted, receivablesWire, statsWire, writeAndApprove } from './support';

let unregister: () => void;
beforeAll(() => (unregister = registerFigureProjection()));
afterAll(() => {
  unregister();
  setConfigForTests(undefined);
});

function performanceWire(p: ContractPerformance): unknown {
  const f = formatMoney;
  return {
    contractId: p.contractId,
    currency: p.currency,
    lines: p.lines.map((l) => ({ ...l, orderedAmount: f(l.orderedAmount), invoicedAmount: f(l.invoicedAmount) })),
    totals: {
      orderedAmount: f(p.totals.orderedAmount),
      deliveredAmount: f(p.totals.deliveredAmount),
      invoicedAmount: f(p.totals.invoicedAmount),
      collected: f(p.totals.collected),
      receivable: f(p.totals.receivable),
    },
  };
}

/**
 * The fixture's expectation when the API accepted all of its records; otherwise (the fixture holds records the API
 * refuses on purpose, e.g. deliveries of unordered items) shared/calc on what was accepted.
 */
function expectation<T>(data: LedgerData, accepted: LedgerData, expected: T, compute: (d: LedgerData) => T): T {
  return allAccepted(data, accepted) ? expected : compute(accepted);
}

describe('statistics', () => {
  it.each(statisticsCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const api = ledgerApi();
    const accepted = await writeAndApprove(api, c.data);
    const want = expectation(c.data, accepted, c.expected, (d) => computeStatistics(d, c.options));
    const res = await api.call(statsRoute, { query: { ...c.options } });
    expect(res.status).toBe(200);
    expect((res.jsonBody as { rows: StatsRow[] }).rows).toEqual(want.map(statsWire));
  });
});

describe('receivables', () => {
  it.each(agingCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const api = ledgerApi();
    const accepted = await writeAndApprove(api, c.data);
    const want = expectation(c.data, accepted, c.expected, (d) => computeReceivables(d, c));
    const res = await api.call(receivablesRoute, { query: { asOf: c.asOf, groupBy: c.groupBy } });
    expect(res.status).toBe(200);
    expect(res.jsonBody).toEqual({ asOf: c.asOf, rows: want.map(receivablesWire) });
  });
});

describe('contract performance', () => {
  it.each(performanceCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const api = ledgerApi();
    const accepted = await writeAndApprove(api, c.data);
    const want = expectation(c.data, accepted, c.expected, (d) => contractPerformance(d, c.contractId));
    const res = await api.call(contractPerformanceRoute, { params: { contractId: c.contractId } });
    if (want === undefined) {
      expect(res.status).toBe(404);
      expect(res.jsonBody).toMatchObject({ error: { code: 'not_found' } });
    } else {
      expect(res.status).toBe(200);
      expect(res.jsonBody).toEqual(performanceWire(want));
    }
  });
});

describe('invoice check', () => {
  it.each(invoiceCheckCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const api = ledgerApi();
    const accepted = await writeAndApprove(api, c.data);
    const want = expectation(c.data, accepted, c.expected, (d) => checkInvoices(d, c.options));
    const body: Record<string, unknown> = {};
    if (c.options.invoiceNos !== undefined) body.invoiceNos = c.options.invoiceNos;
    if (c.options.priceTolerancePct !== undefined) body.priceTolerancePct = c.options.priceTolerancePct;
    const res = await api.call(invoiceCheckRoute, { body });
    expect(res.status).toBe(200);
    expect((res.jsonBody as { findings: unknown }).findings).toEqual(want);
  });
});
