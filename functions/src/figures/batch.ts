// Many figure queries answered in one pass (POST /api/figures/batch): each distinct figure behind them is computed
// once, by the same services as the single endpoints (statistics, receivablesFigure, contractPerformances,
// checkListedInvoices) and their per-generation caches, and every query picks its value from it.
//
// Approved versions only: the custom functions follow what approvals make effective.

import {
  figureQuery,
  type ContractField,
  type FigureQuery,
  type FigureResult,
  type PerformanceResponse,
  type ReceivablesRow,
  type StatsGroupBy,
  type StatsRow,
} from '../../../shared/api';
import type { LedgerData } from '../../../shared/calc';
import { percentOneDecimal } from '../../../shared/calc/performance';
import { parsePeriod, type PeriodKind } from '../../../shared/dates';
import { contractPerformances } from '../functions/contractPerformance';
import { checkListedInvoices } from '../functions/invoiceCheck';
import { receivablesFigure, RECEIVABLES_LEDGERS } from '../functions/receivables';
import { readFiguresGeneration } from '../store/rollupStore';
import { approvedFigure } from './ledgerView';
import { statistics } from './statistics';

type Query<K extends FigureQuery['kind']> = Extract<FigureQuery, { kind: K }>;
type ReceivablesGroupBy = Query<'receivable'>['groupBy'];

/** The message of a query that does not parse: each offending argument named, as the 400s of the API do. */
function invalid(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FigureResult {
  const parts = issues.map((i) => (i.path.length > 0 ? `${i.path.map(String).join('.')} ${i.message}` : i.message));
  return { status: 'invalid', message: `${parts.join('; ')}.` };
}

/** Computes each distinct input once per batch; concurrent askers of one key share it. */
class Once<V> {
  private readonly values = new Map<string, Promise<V>>();
  get(key: string, load: () => Promise<V>): Promise<V> {
    let v = this.values.get(key);
    if (v === undefined) this.values.set(key, (v = load()));
    return v;
  }
}

/** Every group id of `groupBy` that an approved contract has: an id outside it is unknown (#N/A), inside it 0. */
function receivableGroups(groupBy: ReceivablesGroupBy): Promise<ReadonlySet<string>> {
  const field = { customer: 'customerId', contract: 'contractId', region: 'region', salesperson: 'salespersonId' }[
    groupBy
  ] as 'customerId' | 'contractId' | 'region' | 'salespersonId';
  return approvedFigure(
    RECEIVABLES_LEDGERS,
    `figuresBatch|receivableGroups|${groupBy}`,
    (data: LedgerData) => new Set(data.contracts.map((c) => c[field])),
  );
}

/**
 * Issue #13 §4: the one figure of `rows` (those of one period and group, or of one id) in `currency`, or — none named —
 * of the only currency they have. Money of two currencies is refused, never added; a count (contractsSigned) adds.
 */
function perCurrency<R extends { currency?: string }>(
  rows: readonly R[],
  currency: string | undefined,
  pick: (r: R) => string | number,
  zero: string | number,
  what: string,
): FigureResult {
  const chosen = currency === undefined ? rows : rows.filter((r) => r.currency === currency);
  if (chosen.length === 0) return { status: 'ok', value: zero, ...(currency === undefined ? {} : { currency }) };
  if (typeof zero === 'number') return { status: 'ok', value: chosen.reduce((n, r) => n + Number(pick(r)), 0) };
  if (chosen.length > 1) {
    const codes = chosen.map((r) => r.currency ?? '?');
    const list = `${codes.slice(0, -1).join(', ')} and ${codes[codes.length - 1]}`;
    return {
      status: 'invalid',
      message: `${what} is in ${list}: name the currency (amounts of different currencies are never added).`,
    };
  }
  const row = chosen[0] as R;
  return { status: 'ok', value: pick(row), ...(row.currency === undefined ? {} : { currency: row.currency }) };
}

function contractValue(perf: PerformanceResponse, field: ContractField): string | number {
  if (field !== 'fulfilledPct') return perf.totals[field];
  const ordered = perf.lines.reduce((n, l) => n + l.ordered, 0);
  const net = perf.lines.reduce((n, l) => n + l.netDelivered, 0);
  return ordered === 0 ? 0 : percentOneDecimal(net, ordered);
}

/**
 * The answers to `queries`, in order, and the figures generation stamp read before any figure (null when the store
 * has none yet): a client that keeps it and later sees another stamp knows an approval may have moved its figures.
 */
export async function answerFigureQueries(
  queries: readonly unknown[],
): Promise<{ generation: string | null; results: FigureResult[] }> {
  const stamp = readFiguresGeneration();
  stamp.catch(() => undefined); // awaited below, after the reads it guards have started
  const parsed = queries.map((q) => figureQuery.safeParse(q));
  const ok = parsed.flatMap((p) => (p.success ? [p.data] : []));

  // The contracts and invoices asked for are read together: one unit read each, one check of all invoices.
  const contractIds = ok.flatMap((q) => (q.kind === 'contract' ? [q.contractId] : []));
  const invoiceNos = [...new Set(ok.flatMap((q) => (q.kind === 'invoiceFindings' ? [q.invoiceNo] : [])))];
  const performances = contractIds.length === 0 ? undefined : contractPerformances(contractIds, false, stamp);
  const checked =
    invoiceNos.length === 0
      ? undefined
      : checkListedInvoices(invoiceNos, { priceTolerancePct: 0 }, false, stamp).then((res) => {
          const counts = new Map<string, number>();
          for (const f of res.findings) counts.set(f.invoiceNo, (counts.get(f.invoiceNo) ?? 0) + 1);
          return { counts, notFound: new Set(res.notFound) };
        });
  performances?.catch(() => undefined);
  checked?.catch(() => undefined);

  const stats = new Once<StatsRow[]>();
  const aging = new Once<ReadonlyMap<string, ReceivablesRow[]>>();
  const groups = new Once<ReadonlySet<string>>();
  const statsOf = (period: PeriodKind, from: string, to: string, groupBy: StatsGroupBy) =>
    stats.get(`${period}|${from}|${to}|${groupBy}`, () => statistics({ period, from, to, groupBy }));

  async function answer(q: FigureQuery): Promise<FigureResult> {
    switch (q.kind) {
      case 'stat': {
        const period = parsePeriod(q.period);
        const groupBy = q.group === undefined ? 'none' : (q.groupBy ?? 'region');
        const rows = await statsOf(period.kind, period.from, period.to, groupBy);
        const group = groupBy === 'none' ? null : q.group;
        const matching = rows.filter((r) => r.period === q.period && r.group === group);
        // Statistics omit rows whose measures are all zero: no row is a zero.
        const zero = q.measure === 'contractsSigned' ? 0 : '0.00';
        const what = `${q.measure} of ${q.period}${group === null ? '' : ` for ${group}`}`;
        // A money measure that is zero in one currency is not "in" it: only rows where the measure moved count.
        const moved = zero === 0 ? matching : matching.filter((r) => r[q.measure] !== '0.00');
        return perCurrency(moved, q.currency, (r) => r[q.measure], zero, what);
      }
      case 'stats':
        return { status: 'ok', rows: await statsOf(q.period, q.from, q.to, q.groupBy) };
      case 'receivable': {
        const [rows, known] = await Promise.all([
          aging.get(`${q.asOf}|${q.groupBy}`, async () => {
            const list = await receivablesFigure({ asOf: q.asOf, groupBy: q.groupBy });
            const byGroup = new Map<string, ReceivablesRow[]>();
            for (const r of list) byGroup.set(r.group, [...(byGroup.get(r.group) ?? []), r]);
            return byGroup;
          }),
          groups.get(q.groupBy, () => receivableGroups(q.groupBy)),
        ]);
        const list = rows.get(q.id);
        if (list !== undefined) {
          const moved = list.filter((r) => r[q.bucket] !== '0.00');
          return perCurrency(moved, q.currency, (r) => r[q.bucket], '0.00', `${q.bucket} of ${q.groupBy} ${q.id}`);
        }
        if (known.has(q.id)) return { status: 'ok', value: '0.00' };
        return { status: 'notFound', message: `No approved contract has ${q.groupBy} ${q.id}.` };
      }
      case 'contract': {
        const perf = (await (performances as Promise<Map<string, PerformanceResponse>>)).get(q.contractId);
        if (perf === undefined)
          return { status: 'notFound', message: `Contract ${q.contractId} does not exist (or is not approved).` };
        const value = contractValue(perf, q.field);
        // A contract has one currency: its money figures say which.
        return {
          status: 'ok',
          value,
          ...(q.field === 'fulfilledPct' || perf.currency === undefined ? {} : { currency: perf.currency }),
        };
      }
      case 'invoiceFindings': {
        const res = await (checked as NonNullable<typeof checked>);
        if (res.notFound.has(q.invoiceNo))
          return { status: 'notFound', message: `Invoice ${q.invoiceNo} does not exist (or is not approved).` };
        return { status: 'ok', value: res.counts.get(q.invoiceNo) ?? 0 };
      }
    }
  }

  const results = await Promise.all(
    parsed.map((p) => (p.success ? answer(p.data) : Promise.resolve(invalid(p.error.issues)))),
  );
  return { generation: (await stamp) ?? null, results };
}
