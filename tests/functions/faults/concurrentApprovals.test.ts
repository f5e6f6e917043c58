// Fault: reviewers approving while a clerk edits the same rows, and two reviewers approving the same rows at once:
// no lost update, each version approved once, history complete, and rollups equal to a rebuild to the cent.
import type { ApprovalsResponse, HistoryResponse, PutRowsResponse, ReadRow, RowResult } from '../../../shared/api';
import { computeStatistics } from '../../../shared/calc/statistics';
import { keyOf as sharedKeyOf, type LedgerName } from '../../../shared/ledgers';
import { setConfigForTests } from '../../../functions/src/config';
import { computeRollups, type Cell } from '../../../functions/src/figures/cells';
import { registerFigureProjection } from '../../../functions/src/figures/projection';
import { readApprovedWithVersions } from '../../../functions/src/figures/rebuild';
import { approveLedgerRowsRoute } from '../../../functions/src/functions/approveLedgerRows';
import { getLedgerRowRoute } from '../../../functions/src/functions/getLedgerRow';
import { getLedgerRowHistoryRoute } from '../../../functions/src/functions/getLedgerRowHistory';
import { putLedgerRowsRoute } from '../../../functions/src/functions/putLedgerRows';
import { statsRoute } from '../../../functions/src/functions/stats';
import { readAllDayCells } from '../../../functions/src/store/rollupStore';
import { seeded, intIn } from '../../../bench/support';
import { uniqueTablePrefix } from '../../support/azurite';
import { CLERK, ledgerApi, REVIEWER, type LedgerApi } from '../../support/ledgerApi';
import { seenNow } from '../../support/seen';
import { statsWire } from '../figures/support';
import { ownAzurite, type OwnAzurite } from './support';

jest.setTimeout(120_000);

const REVIEWER2 = { id: 'rob.reviewer', roles: ['reviewer' as const] };
type Wire = Record<string, unknown>;

const CONTRACTS = 10;
/** Edit rounds per row: each a new value the clerk sends while approvals run. */
const ROUNDS = 3;

function parents(): { ledger: LedgerName; rows: Wire[] }[] {
  const contracts = Array.from({ length: CONTRACTS }, (_, c) => ({
    contractId: `C${c}`,
    customerId: `K${c % 3}`,
    salespersonId: `S${c % 2}`,
    region: c % 2 === 0 ? 'East' : 'West',
    signedOn: `2016-0${(c % 9) + 1}-10`,
  }));
  return [
    { ledger: 'customers', rows: [0, 1, 2].map((i) => ({ customerId: `K${i}`, name: `K${i}`, region: 'East' })) },
    { ledger: 'salespeople', rows: [0, 1].map((i) => ({ salespersonId: `S${i}`, name: `S${i}`, region: 'East' })) },
    { ledger: 'contracts', rows: contracts },
  ];
}

/** The rows under contention, in version 1: two order lines and one payment per contract. */
function contended(): { ledger: LedgerName; rows: Wire[] }[] {
  return [
    {
      ledger: 'orderLines',
      rows: Array.from({ length: CONTRACTS * 2 }, (_, i) => ({
        contractId: `C${Math.floor(i / 2)}`,
        lineNo: (i % 2) + 1,
        itemCode: `IT${i % 2}`,
        quantity: 2,
        unitPrice: '10.00',
      })),
    },
    {
      ledger: 'payments',
      rows: Array.from({ length: CONTRACTS }, (_, c) => ({
        paymentId: `P${c}`,
        contractId: `C${c}`,
        receivedOn: `2016-10-0${(c % 9) + 1}`,
        amount: '100.00',
      })),
    },
  ];
}

const keyOf = (ledger: LedgerName, r: Wire): string => sharedKeyOf(ledger, r);

/** A new value for round `n`: prices and amounts with odd cents, so a rollup off by one cent shows. */
function edited(ledger: LedgerName, r: Wire, n: number, random: () => number): Wire {
  const cents = `${intIn(random, 1, 99_999)}.${String(intIn(random, 0, 99)).padStart(2, '0')}`;
  return ledger === 'orderLines'
    ? { ...r, unitPrice: cents, quantity: n + 2 }
    : { ...r, amount: cents, receivedOn: `2016-11-0${n + 1}` };
}

const cellKey = (c: Cell): string => `${c.dim}|${c.date}|${c.group}`;

describe('approvals racing edits and each other', () => {
  let storage: OwnAzurite;
  let api: LedgerApi;
  let unregister: () => void;

  beforeAll(async () => {
    storage = await ownAzurite();
    api = ledgerApi({
      LEDGERDESK_STORAGE_CONNECTION: storage.current.connectionString,
      LEDGERDESK_TABLE_PREFIX: uniqueTablePrefix(),
    });
    // Approvals keep rollups current through the effective-version hook, as in the app.
    unregister = registerFigureProjection();
  });
  afterAll(async () => {
    unregister?.();
    await storage?.dispose();
    setConfigForTests(undefined);
  });

  const put = async (ledger: LedgerName, rows: Wire[]): Promise<RowResult[]> => {
    const res = await api.call(putLedgerRowsRoute, { params: { ledger }, body: { rows }, user: CLERK });
    expect(res.status).toBe(200);
    return (res.jsonBody as PutRowsResponse).results;
  };
  /** A reviewer reads the rows and approves the versions read (API v1.1): a row written in between answers `changed`. */
  const approve = async (ledger: LedgerName, keys: string[], user: typeof REVIEWER): Promise<ApprovalsResponse> => {
    const rows = await seenNow(ledger, keys);
    const res = await api.call(approveLedgerRowsRoute, { params: { ledger }, body: { rows }, user });
    expect(res.status).toBe(200);
    return res.jsonBody as ApprovalsResponse;
  };

  /** Stored day cells equal the rollups computed from the approved versions; statistics equal shared/calc. */
  async function expectRollupsEqualRebuild(): Promise<void> {
    const { data } = await readApprovedWithVersions();
    const want = Object.fromEntries(computeRollups(data).map((c) => [cellKey(c), c.v]));
    const got = Object.fromEntries((await readAllDayCells()).map((c) => [cellKey(c), c.v]));
    expect(got).toEqual(want);
    for (const groupBy of ['region', 'salesperson', 'customer', 'none'] as const) {
      const query = { period: 'month', from: '2016-01-01', to: '2016-12-31', groupBy } as const;
      const res = await api.call(statsRoute, { query });
      expect(res.jsonBody).toEqual({ rows: computeStatistics(data, query).map(statsWire) });
    }
  }

  it('loses no edit, approves each version once, keeps history whole, and keeps rollups equal to a rebuild', async () => {
    for (const { ledger, rows } of [...parents(), ...contended()]) {
      expect((await put(ledger, rows)).every((r) => r.status === 'created')).toBe(true);
      const res = await approve(
        ledger,
        rows.map((r) => keyOf(ledger, r)),
        REVIEWER,
      );
      expect(res.results.filter((r) => r.status !== 'approved')).toEqual([]);
    }
    await expectRollupsEqualRebuild();

    const random = seeded(7);
    // Per row: the values and version of every write the clerk saw acknowledged, in order.
    const acknowledged = new Map<string, Wire[]>();
    const etags = new Map<string, string>();
    for (const { ledger, rows } of contended())
      for (const r of rows) {
        const stored = (await api.call(getLedgerRowRoute, { params: { ledger, key: keyOf(ledger, r) } }))
          .jsonBody as ReadRow;
        etags.set(`${ledger}|${keyOf(ledger, r)}`, stored.etag);
        acknowledged.set(`${ledger}|${keyOf(ledger, r)}`, [r]);
      }
    // Every `approved` answer any reviewer got: ledger|key|version.
    const approvedAnswers: string[] = [];
    const conflictsSeen = { n: 0 };

    /** The clerk: each round edits every contended row in batches of 5, re-sending with the current etag on a
     *  conflict (as the add-in's conflict resolution does). */
    const clerk = async (): Promise<void> => {
      for (let n = 1; n <= ROUNDS; n++)
        for (const { ledger, rows } of contended())
          for (let i = 0; i < rows.length; i += 5) {
            let batch = rows.slice(i, i + 5).map((r) => edited(ledger, r, n, random));
            while (batch.length > 0) {
              const sent = batch;
              const results = await put(
                ledger,
                sent.map((r) => ({ ...r, etag: etags.get(`${ledger}|${keyOf(ledger, r)}`) })),
              );
              batch = [];
              results.forEach((res, j) => {
                const row = sent[j] as Wire;
                const id = `${ledger}|${keyOf(ledger, row)}`;
                if (res.status === 'updated') {
                  etags.set(id, res.etag as string);
                  acknowledged.get(id)?.push(row);
                } else if (res.status === 'conflict') {
                  // A reviewer approved meanwhile (new etag): take the stored row's etag and send the edit again.
                  conflictsSeen.n++;
                  etags.set(id, res.current?.etag ?? '');
                  batch.push(row);
                } else throw new Error(`unexpected ${JSON.stringify(res)}`);
              });
            }
          }
    };
    /** Two reviewers approving the same keys at the same moment, again and again until the clerk is done. */
    let clerkDone = false;
    const reviewers = async (): Promise<void> => {
      do {
        for (const { ledger, rows } of contended()) {
          const keys = rows.map((r) => keyOf(ledger, r));
          const answers = await Promise.all([approve(ledger, keys, REVIEWER), approve(ledger, keys, REVIEWER2)]);
          for (const a of answers)
            for (const r of a.results) {
              expect(['approved', 'alreadyApproved', 'changed']).toContain(r.status);
              if (r.status === 'approved') approvedAnswers.push(`${ledger}|${r.key}|${String(r.version)}`);
            }
        }
      } while (!clerkDone);
    };
    await Promise.all([clerk().finally(() => (clerkDone = true)), reviewers()]);

    // Right after the race: every edit the clerk saw acknowledged is the row's latest version, either approved or
    // pending; nothing was lost to an approval of an older version.
    const checkRows = async (allApproved: boolean): Promise<void> => {
      for (const { ledger, rows } of contended())
        for (const r of rows) {
          const key = keyOf(ledger, r);
          const last = acknowledged.get(`${ledger}|${key}`)?.at(-1) as Wire;
          const stored = (await api.call(getLedgerRowRoute, { params: { ledger, key } })).jsonBody as ReadRow;
          expect(stored).toMatchObject(last);
          if (allApproved) expect(stored.approval.status).toBe('approved');
        }
    };
    await checkRows(false);
    await expectRollupsEqualRebuild();

    // Settle: both reviewers at once approve what is still pending.
    for (const { ledger, rows } of contended()) {
      const keys = rows.map((r) => keyOf(ledger, r));
      const answers = await Promise.all([approve(ledger, keys, REVIEWER), approve(ledger, keys, REVIEWER2)]);
      // Two reviewers, one approval per key: the other hears alreadyApproved.
      keys.forEach((_k, i) => {
        const statuses = answers.map((a) => a.results[i]?.status).sort();
        expect(statuses).toEqual(['alreadyApproved', statuses.includes('approved') ? 'approved' : 'alreadyApproved']);
      });
      for (const a of answers)
        for (const r of a.results)
          if (r.status === 'approved') approvedAnswers.push(`${ledger}|${r.key}|${String(r.version)}`);
    }
    await checkRows(true);

    // Each (key, version) approved exactly once, by the answers and by the history.
    expect(approvedAnswers.length).toBeGreaterThan(0);
    expect(new Set(approvedAnswers).size).toBe(approvedAnswers.length);
    for (const { ledger, rows } of contended())
      for (const r of rows) {
        const key = keyOf(ledger, r);
        const history = (await api.call(getLedgerRowHistoryRoute, { params: { ledger, key } }))
          .jsonBody as HistoryResponse;
        const versions = history.entries.map((e) => e.version);
        expect(versions).toEqual(versions.map((_v, i) => i + 1)); // consecutive, none missing
        // Every acknowledged write is a version in the history, in order, with its values.
        const written = history.entries.filter((e) => e.action !== 'approved');
        const acks = acknowledged.get(`${ledger}|${key}`) as Wire[];
        expect(written.map((e) => e.action)).toEqual(['created', ...acks.slice(1).map(() => 'updated')]);
        written.forEach((e, i) => expect(e.row).toMatchObject(acks[i] as Wire));
        // Approvals: each names a written version, none twice, in increasing order; the last is the latest version.
        const approvedVersions = history.entries.filter((e) => e.action === 'approved').map((e) => e.approvedVersion);
        expect(new Set(approvedVersions).size).toBe(approvedVersions.length);
        expect([...approvedVersions].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(approvedVersions);
        for (const v of approvedVersions) expect(written.map((e) => e.version)).toContain(v);
        expect(approvedVersions.at(-1)).toBe(written.at(-1)?.version);
        // The answers reviewers got agree with the history.
        const answered = approvedAnswers
          .filter((a) => a.startsWith(`${ledger}|${key}|`))
          .map((a) => Number(a.split('|')[2]));
        expect(answered.sort((a, b) => a - b)).toEqual(approvedVersions.slice(1)); // version 1 was approved in setup
      }
    await expectRollupsEqualRebuild();
    // The race did happen: approvals landed between the clerk's reads and writes.
    expect(conflictsSeen.n).toBeGreaterThan(0);
  });
});
