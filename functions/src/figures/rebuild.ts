// Rebuilds the contract index and the rollups from approved ledger data (`npm run rollups:rebuild`, bulk loads).
//
// The entities are computed purely from LedgerData with the same unit contributions the incremental path keeps
// (cells.ts), pre-aggregated in memory, then inserted in per-partition transactions after the old contents are
// deleted. Run it while no approvals are being made: an approval projected during a rebuild may be overwritten by the
// rebuild's older read.

import { DATA_LEDGERS, type LedgerData } from '../../../shared/calc';
import { keyOf, type LedgerName, type LedgerRecord } from '../../../shared/ledgers';
import {
  bulkWrite,
  clearTable,
  indexTable,
  pointerEntity,
  recordEntity,
  stateEntity,
  unitPartition,
  type Entity,
  type UnitKind,
} from '../store/contractIndex';
import { forEachRowPage } from '../store/ledgerStore';
import { bumpFiguresGeneration, rollupEntities, rollupTable, writeFiguresLayout } from '../store/rollupStore';
import { CellSums, unitContributions } from './cells';

/** Approved version numbers by `<ledger>|<key>`; absent ones count as 1 (bulk loads of data never versioned). */
export type VersionOf = (ledger: LedgerName, key: string) => number;

export interface Projection {
  index: Entity[];
  /** Month cell entities (table `rollups`) and day cell entities (table `rollupDays`), groups stored together. */
  rollups: { months: Entity[]; days: Entity[] };
}

/** Transactions in flight: enough to keep the store busy while this process builds the next request. */
const BULK_CONCURRENCY = 8;

const CONTRACT_LEDGERS = ['contracts', 'orderLines', 'deliveries', 'invoices', 'payments', 'creditNotes'] as const;

/** The contract index and rollup entities for approved ledger data. Pure: tests compare it with incremental results. */
export function computeProjection(data: LedgerData, versionOf: VersionOf = () => 1): Projection {
  const index: Entity[] = [];
  const add = (kind: UnitKind | 'i', unitId: string, ledger: LedgerName, record: LedgerRecord<LedgerName>): void => {
    const key = keyOf(ledger, record);
    index.push(
      recordEntity(unitPartition(kind, unitId), unitId, { ledger, key, version: versionOf(ledger, key), record }),
    );
  };
  for (const ledger of CONTRACT_LEDGERS) for (const r of data[ledger]) add('c', r.contractId, ledger, r);
  for (const inv of data.invoices)
    index.push(pointerEntity(inv.invoiceNo, inv.contractId, versionOf('invoices', inv.invoiceNo)));
  for (const l of data.invoiceLines) add('i', l.invoiceNo, 'invoiceLines', l);
  for (const s of data.salespeople) add('s', s.salespersonId, 'salespeople', s);
  for (const e of data.expenses) add('s', e.salespersonId, 'expenses', e);

  const { contracts, salespeople } = unitContributions(data);
  const sums = new CellSums();
  for (const [id, c] of contracts) {
    index.push(stateEntity(unitPartition('c', id), id, { contribution: c }));
    sums.addContribution(c, 1);
  }
  for (const [id, c] of salespeople) {
    index.push(stateEntity(unitPartition('s', id), id, { contribution: c }));
    sums.addContribution(c, 1);
  }
  return { index, rollups: rollupEntities(sums.list()) };
}

export interface RebuildReport {
  records: number;
  indexEntities: number;
  rollupEntities: number;
  deleted: number;
}

/** Replaces the contents of both tables with the projection of `data`. */
export async function writeProjection(
  data: LedgerData,
  versionOf?: VersionOf,
  progress: (message: string) => void = () => undefined,
  options: { clear?: boolean } = {},
): Promise<RebuildReport> {
  const [index, months, days] = await Promise.all([indexTable(), rollupTable('m'), rollupTable('d')]);
  let deleted = 0;
  if (options.clear !== false) {
    progress('deleting the old contract index and rollups');
    deleted = (await clearTable(index)) + (await clearTable(months)) + (await clearTable(days));
  }
  const projection = computeProjection(data, versionOf);
  const { rollups } = projection;
  // The tables are empty now (or fresh): plain inserts, no ETag read-modify-write (see bulkWrite).
  progress(`writing ${projection.index.length} contract index entities`);
  await bulkWrite(index, projection.index, { fresh: true, concurrency: BULK_CONCURRENCY });
  progress(`writing ${rollups.months.length} month and ${rollups.days.length} day rollup cells`);
  await bulkWrite(months, rollups.months, { fresh: true, concurrency: BULK_CONCURRENCY });
  await bulkWrite(days, rollups.days, { fresh: true, concurrency: BULK_CONCURRENCY });
  // After the index is written (and after a clear deleted the old stamp): cached full-index reads are stale now.
  await bumpFiguresGeneration();
  await writeFiguresLayout();
  let records = 0;
  for (const name of DATA_LEDGERS) records += data[name].length;
  return {
    records,
    indexEntities: projection.index.length,
    rollupEntities: rollups.months.length + rollups.days.length,
    deleted,
  };
}

/** Reads every ledger's approved versions (pages of ≤ 1,000) with their version numbers. */
export async function readApprovedWithVersions(
  progress: (message: string) => void = () => undefined,
): Promise<{ data: LedgerData; versions: Map<string, number> }> {
  const versions = new Map<string, number>();
  const data = {} as Record<LedgerName, LedgerRecord<LedgerName>[]>;
  for (const name of DATA_LEDGERS) {
    const kept: LedgerRecord<LedgerName>[] = [];
    let read = 0;
    await forEachRowPage(name, '', (rows) => {
      read += rows.length;
      for (const row of rows) {
        if (row.approved === undefined || row.approvedVersion === undefined) continue;
        kept.push(row.approved);
        versions.set(`${name}|${row.key}`, row.approvedVersion);
      }
    });
    progress(`${name}: ${read} rows, ${kept.length} approved`);
    data[name] = kept;
  }
  return { data: data as unknown as LedgerData, versions };
}

/** `rollups:rebuild`: recompute the contract index and rollups from the ledgers' approved versions. */
export async function rebuildFromLedgers(
  progress: (message: string) => void = () => undefined,
): Promise<RebuildReport> {
  const { data, versions } = await readApprovedWithVersions(progress);
  return writeProjection(data, (l, k) => versions.get(`${l}|${k}`) ?? 1, progress);
}
