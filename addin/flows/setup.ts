// "Set up ledger sheets": creates one sheet and table per ledger, and repairs a damaged layout without losing rows.
import { columns, LEDGERS, type LedgerName } from '../../shared/ledgers';
import { WorkbookError, type CellValue, type TableSpec, type WorkbookAdapter } from '../excel/workbookAdapter';
import { BASE_COLUMN, BOOKKEEPING_HEADERS, ledgerTableSpec } from './layout';
import { throwIfCancelled, type ProgressFn } from './progress';

export interface SetupResult {
  ledger: LedgerName;
  table: string;
  created: boolean;
  /** Sentences saying what was repaired; empty when the layout was intact. */
  repairs: string[];
  rows: number;
}

const norm = (h: string): string => h.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Maps the expected headers to existing columns: by exact header, then by a loose match (case, spaces,
 * punctuation, or the field name itself, as in "customerId"), then an unknown header standing at the expected
 * column's position is taken as a rename.
 */
export function matchColumns(
  expected: readonly { header: string; field?: string }[],
  existing: readonly string[],
): { source: number[]; renamed: [string, string][]; unknown: number[] } {
  const used = new Set<number>();
  const source = expected.map((e) => {
    const i = existing.indexOf(e.header);
    if (i >= 0) used.add(i);
    return i;
  });
  const renamed: [string, string][] = [];
  expected.forEach((e, k) => {
    if (source[k] !== -1) return;
    const keys = [norm(e.header), ...(e.field !== undefined ? [norm(e.field)] : [])];
    const i = existing.findIndex((h, j) => !used.has(j) && keys.includes(norm(h)));
    if (i >= 0) {
      source[k] = i;
      used.add(i);
      renamed.push([existing[i] as string, e.header]);
    }
  });
  expected.forEach((e, k) => {
    if (source[k] !== -1 || k >= existing.length || used.has(k)) return;
    if (expected.some((x) => x.header === existing[k])) return;
    source[k] = k;
    used.add(k);
    renamed.push([existing[k] as string, e.header]);
  });
  const unknown = existing.map((_, j) => j).filter((j) => !used.has(j));
  return { source, renamed, unknown };
}

/** Sets up (or repairs) the given ledgers' sheets, parents first. */
export async function setupLedgerSheets(
  wb: WorkbookAdapter,
  options: { ledgers?: readonly LedgerName[]; onProgress?: ProgressFn; signal?: AbortSignal } = {},
): Promise<SetupResult[]> {
  const wanted = LEDGERS.filter((l) => options.ledgers === undefined || options.ledgers.includes(l.name));
  const results: SetupResult[] = [];
  for (const [n, def] of wanted.entries()) {
    throwIfCancelled(options.signal);
    options.onProgress?.({ phase: `Setting up ${def.title}`, done: n, total: wanted.length });
    const spec = ledgerTableSpec(def);
    let data;
    try {
      data = await wb.readTable(spec.table);
    } catch (e) {
      if (!(e instanceof WorkbookError && e.code === 'NOT_FOUND')) throw e;
      await wb.ensureTable(spec);
      results.push({ ledger: def.name, table: spec.table, created: true, repairs: [], rows: 0 });
      continue;
    }
    const expected = [
      ...columns(def.name).map((c) => ({ header: c.header, field: c.field })),
      ...BOOKKEEPING_HEADERS.map((h) => ({ header: h })),
      { header: BASE_COLUMN.name },
    ];
    const names = expected.map((e) => e.header);
    // The user's own columns, anywhere in the table, leave it intact: only the ledger's columns must be in order. A
    // table set up before base versions were kept lacks only the last one, which ensureTable appends.
    const ours = data.headers.filter((h) => names.includes(h));
    const inOrder = (list: readonly string[]): boolean =>
      ours.length === list.length && ours.every((h, i) => h === list[i]);
    const intact = inOrder(names) || inOrder(names.slice(0, -1));
    if (intact) {
      // Formats, lists, hidden columns and the frozen header may still have been changed: apply them again to the
      // ledger's columns. The user's columns, their formulas, formats and widths are not touched.
      await wb.ensureTable(spec);
      results.push({ ledger: def.name, table: spec.table, created: false, repairs: [], rows: data.rows.length });
      continue;
    }
    const { source, renamed, unknown } = matchColumns(expected, data.headers);
    const repairs: string[] = renamed.map(([from, to]) => `column "${from}" renamed back to "${to}"`);
    const missing = expected.filter((_, k) => source[k] === -1).map((e) => e.header);
    if (missing.length > 0)
      repairs.push(
        `missing ${missing.length === 1 ? 'column' : 'columns'} ${missing.map((m) => `"${m}"`).join(', ')} restored`,
      );
    const kept = unknown.map((j) => data.headers[j] as string);
    if (kept.length > 0)
      repairs.push(
        `unknown ${kept.length === 1 ? 'column' : 'columns'} ${kept.map((m) => `"${m}"`).join(', ')} kept at the end with their values`,
      );
    const ordered = source.filter((s) => s >= 0);
    if (ordered.some((s, i) => i > 0 && s < (ordered[i - 1] as number))) repairs.push('columns put back in order');
    // The table is rebuilt in the right layout with every row (and every unknown column's values) carried over.
    const rebuilt: TableSpec = {
      ...spec,
      columns: [...spec.columns, ...kept.map((name) => ({ name }))],
    };
    const rows: CellValue[][] = data.rows.map((r) => [
      ...source.map((s) => (s >= 0 ? (r[s] ?? '') : '')),
      ...unknown.map((j) => r[j] ?? ''),
    ]);
    // The user's columns keep their formulas, number formats and widths through the rebuild; the ledger's columns
    // keep their widths (their formats are the ledger's). Formulas are carried in R1C1 notation: structured
    // references (=[@Amount]*2) and references within the user's columns keep pointing where they did.
    const looks = await wb.readColumnLooks(spec.table, data.headers);
    const formulas = kept.length > 0 ? await wb.readFormulas(spec.table, kept) : [];
    await wb.writeResultsTable(rebuilt, rows);
    const lookOf = new Map(looks.map((l) => [l.name, l]));
    const carried = rebuilt.columns.flatMap((c, k) => {
      const from = k < source.length ? source[k] : unknown[k - source.length];
      const old = from !== undefined && from >= 0 ? lookOf.get(data.headers[from] as string) : undefined;
      if (old === undefined) return [];
      return [k < source.length ? { name: c.name, width: old.width } : { ...old, name: c.name }];
    });
    if (carried.length > 0) await wb.setColumnLooks(spec.table, carried);
    if (formulas.some((r) => r.some((f) => typeof f === 'string' && f.startsWith('='))))
      await wb.writeFormulas(spec.table, 0, kept, formulas.slice(0, rows.length));
    results.push({ ledger: def.name, table: spec.table, created: false, repairs, rows: rows.length });
  }
  options.onProgress?.({ phase: 'Sheets ready', done: wanted.length, total: wanted.length });
  return results;
}
