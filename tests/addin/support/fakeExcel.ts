// A small Excel object model built from office-addin-mock OfficeMockObjects, backed by a grid, that records syncs and payloads.
import { OfficeMockObject } from 'office-addin-mock';
import { enterValue } from '../../../addin/excel/memoryWorkbook';
import type { CellValue } from '../../../addin/excel/workbookAdapter';
import type { ExcelRun } from '../../../addin/excel/officeWorkbook';

export interface FakeSheet {
  name: string;
  grid: (CellValue[] | undefined)[];
  formats: Map<string, string>;
  fills: Map<string, string>;
  notes: Map<string, string>;
  hiddenColumns: Set<number>;
  /** Formula cells ("row,col" → R1C1 text): their value in `grid` is "" (the fake does not calculate). */
  formulas: Map<string, string>;
  /** Column widths in points set through format.columnWidth; others are 48. */
  widths: Map<number, number>;
  validation: Map<number, string>;
  /** Whole-column formats (from a row down), as the adapter sets them once per column. */
  columnFormats: Map<number, { fromRow: number; format: string }>;
  frozenRows: number;
  /** `columns`: how many columns the chart's source range spans. */
  charts: { name: string; type: string; title?: string; position?: string; columns?: number }[];
  selected?: [number, number];
  /** Rows and columns of the block selected last (a selected cell is 1 × 1). */
  selectedSize?: [number, number];
  active: boolean;
}

export interface FakeTable {
  name: string;
  sheet: string;
  top: number;
  left: number;
  /** Header + body rows. */
  rowCount: number;
  columnCount: number;
}

export interface SyncRecord {
  bytesOut: number;
  bytesIn: number;
}

type Mock = OfficeMockObject & Record<string, unknown>;
const ERRORS = new Set(['Error, property was not loaded', 'Error, context.sync() was not called']);
const isAssigned = (v: unknown): boolean => v !== undefined && !(typeof v === 'string' && ERRORS.has(v));
const json = (v: unknown): number => Buffer.byteLength(JSON.stringify(v) ?? '', 'utf8');
const cellKey = (r: number, c: number): string => `${r},${c}`;

/** "AA" → 26. */
const columnOf = (letters: string): number => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;

function parseColumnRange(a1: string): { col: number; fromRow: number; toRow: number } {
  const m = /^([A-Z]+)(\d*):([A-Z]+)(\d*)$/.exec(a1);
  if (m === null) throw new Error(`fake Excel cannot parse ${a1}`);
  const col = columnOf(m[1] as string);
  return { col, fromRow: m[2] === '' ? 0 : Number(m[2]) - 1, toRow: m[4] === '' ? 1_048_575 : Number(m[4]) - 1 };
}

/** "C5" → 0-based row 4, column 2. */
export function a1ToIndexes(address: string): { rowIndex: number; columnIndex: number } {
  const m = /^([A-Z]+)(\d+)$/.exec(address);
  if (m === null) throw new Error(`fake Excel: bad address ${address}`);
  return { rowIndex: Number(m[2]) - 1, columnIndex: columnOf(m[1] as string) };
}

export class FakeExcel {
  sheets = new Map<string, FakeSheet>();
  tables = new Map<string, FakeTable>();
  syncs: SyncRecord[] = [];
  calls: string[] = [];
  private pending: {
    mock: Mock;
    sheet: string;
    r: number;
    c: number;
    nr: number;
    nc: number;
    presetValues: unknown;
    presetFormats: unknown;
    presetFormulas: unknown;
    presetWidth: unknown;
  }[] = [];
  private loaded: { mock: Mock; prop: string }[] = [];
  private created: Mock[] = [];
  private pendingError: { code: string; message: string } | null = null;
  /** The user's selection (sheet and 0-based block), what workbook.getSelectedRange() returns. */
  selection: { sheet: string; r: number; c: number; nr: number; nc: number } | null = null;

  private blankSheet(): FakeSheet {
    return {
      name: '',
      grid: [],
      formats: new Map(),
      fills: new Map(),
      notes: new Map(),
      hiddenColumns: new Set(),
      formulas: new Map(),
      widths: new Map(),
      validation: new Map(),
      columnFormats: new Map(),
      frozenRows: 0,
      charts: [],
      active: false,
    };
  }

  addSheet(name: string): FakeSheet {
    const s: FakeSheet = { ...this.blankSheet(), name };
    this.sheets.set(name, s);
    return s;
  }

  /** Seeds a table at A1 with headers and body rows. */
  seedTable(sheet: string, name: string, headers: string[], rows: CellValue[][]): void {
    const s = this.sheets.get(sheet) ?? this.addSheet(sheet);
    s.grid[0] = [...headers];
    rows.forEach((r, i) => (s.grid[i + 1] = r));
    this.tables.set(name, {
      name,
      sheet,
      top: 0,
      left: 0,
      rowCount: 1 + Math.max(1, rows.length),
      columnCount: headers.length,
    });
  }

  cell(sheet: string, r: number, c: number): CellValue {
    return this.sheets.get(sheet)?.grid[r]?.[c] ?? '';
  }

  get excel(): { run: ExcelRun } {
    const run = async <T>(batch: (ctx: Excel.RequestContext) => Promise<T>): Promise<T> =>
      batch(this.context() as unknown as Excel.RequestContext);
    return { run };
  }

  private mock(data: Record<string, unknown>): Mock {
    const { isNullObject, ...rest } = data;
    const m = new OfficeMockObject(rest) as Mock;
    // Office.js lets code read isNullObject after a sync without loading it; the mock would demand a load.
    if (isNullObject !== undefined) m['isNullObject'] = isNullObject;
    const load = m.load.bind(m);
    const tracked = (props: string): unknown => {
      for (const p of String(props).split(',')) this.loaded.push({ mock: m, prop: p.trim() });
      return load(props);
    };
    m.load = tracked as typeof m.load;
    this.created.push(m);
    return m;
  }

  /** The number format Excel would report for a cell: its own, else its column's, else General. */
  formatAt(s: FakeSheet, r: number, c: number): string {
    const own = s.formats.get(cellKey(r, c));
    if (own !== undefined) return own;
    const col = s.columnFormats.get(c);
    return col !== undefined && r >= col.fromRow ? col.format : 'General';
  }

  private sheetOf(name: string): FakeSheet {
    // A table that does not exist still hands out ranges until the sync fails, like Office.js.
    if (name === '') return { ...this.blankSheet() };
    const s = this.sheets.get(name);
    if (s === undefined) throw new Error(`fake Excel: no sheet ${name}`);
    return s;
  }

  private range(sheet: string, r: number, c: number, nr: number, nc: number): Mock {
    const s = this.sheetOf(sheet);
    const values: CellValue[][] = [];
    const formats: string[][] = [];
    const formulas: CellValue[][] = [];
    for (let i = 0; i < nr; i++) {
      const row = s.grid[r + i];
      values.push(Array.from({ length: nc }, (_, j) => row?.[c + j] ?? ''));
      formats.push(Array.from({ length: nc }, (_, j) => this.formatAt(s, r + i, c + j)));
      formulas.push(Array.from({ length: nc }, (_, j) => s.formulas.get(cellKey(r + i, c + j)) ?? row?.[c + j] ?? ''));
    }
    const width = s.widths.get(c) ?? 48;
    const m = this.mock({
      values,
      formulasR1C1: formulas,
      numberFormat: formats,
      rowIndex: r,
      columnIndex: c,
      rowCount: nr,
      columnCount: nc,
      columnHidden: undefined,
      format: {
        fill: {
          color: undefined,
          clear: () => {
            this.calls.push(`fill.clear ${sheet}!${r},${c}:${nr}x${nc}`);
            for (let i = 0; i < nr; i++) for (let j = 0; j < nc; j++) s.fills.delete(cellKey(r + i, c + j));
          },
        },
        autofitColumns: () => {
          this.calls.push('autofitColumns');
        },
        columnWidth: width,
      },
      dataValidation: {
        rule: undefined,
        clear: () => {
          s.validation.delete(c);
        },
      },
      getResizedRange: (dr: number, dc: number) => this.range(sheet, r, c, nr + dr, nc + dc),
      getOffsetRange: (dr: number, dc: number) => this.range(sheet, r + dr, c + dc, nr, nc),
      clear: (applyTo: string) => {
        this.calls.push(`clear ${applyTo} ${sheet}!${r},${c}:${nr}x${nc}`);
        for (let i = 0; i < nr; i++) {
          const row = s.grid[r + i];
          if (row !== undefined) for (let j = 0; j < nc; j++) row[c + j] = '';
        }
      },
      select: () => {
        s.selected = [r, c];
        s.selectedSize = [nr, nc];
      },
    });
    this.pending.push({
      mock: m,
      sheet,
      r,
      c,
      nr,
      nc,
      presetValues: m.values,
      presetFormats: m.numberFormat,
      presetFormulas: m['formulasR1C1'],
      presetWidth: width,
    });
    this.geometry.set(m, { r, c, nr, nc });
    return m;
  }

  private worksheet(name: string): Mock {
    const s = this.sheetOf(name);
    return this.mock({
      name,
      isNullObject: false,
      getRangeByIndexes: (r: number, c: number, nr: number, nc: number) => this.range(name, r, c, nr, nc),
      getCell: (r: number, c: number) => this.range(name, r, c, 1, 1),
      getRange: (a1: string) => {
        const { col, fromRow, toRow } = parseColumnRange(a1);
        // Whole columns: record formats/validation lazily at sync instead of materialising a million cells.
        const m = this.mock({
          numberFormat: undefined,
          columnHidden: undefined,
          dataValidation: { rule: undefined, clear() {} },
        });
        this.columnRanges.push({ mock: m, sheet: name, col, fromRow, toRow });
        return m;
      },
      freezePanes: {
        freezeRows: (n: number) => {
          s.frozenRows = n;
        },
      },
      activate: () => {
        for (const other of this.sheets.values()) other.active = false;
        s.active = true;
      },
      tables: {
        add: (range: Mock, hasHeaders: boolean) => {
          const g = this.at(range);
          const t: FakeTable = {
            name: `Table${this.tables.size + 1}`,
            sheet: name,
            top: g.r,
            left: g.c,
            rowCount: 2,
            columnCount: g.nc,
          };
          this.calls.push(`tables.add ${name} headers=${String(hasHeaders)}`);
          const tm = this.table(t);
          this.renames.push({ mock: tm, table: t });
          return tm;
        },
      },
      charts: {
        getItemOrNullObject: (chartName: string) => {
          const found = s.charts.find((ch) => ch.name === chartName);
          return this.mock({
            name: chartName,
            isNullObject: found === undefined,
            delete: () => (s.charts = s.charts.filter((ch) => ch !== found)),
          });
        },
        add: (type: string, source: Mock, seriesBy: string) => {
          const chart = {
            name: '',
            type,
            title: '' as string | undefined,
            position: undefined as string | undefined,
            columns: this.at(source).nc,
          };
          this.calls.push(`charts.add ${type} ${seriesBy}`);
          const cm = this.mock({
            name: undefined,
            title: { text: undefined },
            setPosition: (a: string) => (chart.position = a),
          });
          this.charts.push({ mock: cm, chart, sheet: s });
          return cm;
        },
      },
      notes: {
        items: [] as unknown[],
        // Like worksheets: the collection hands over the current notes when loaded.
        load(this: { items: unknown[] }) {
          this.items = [...s.notes].map(([address, content]) => ({
            content,
            getLocation: () => ({ ...a1ToIndexes(address), load: () => undefined }),
            delete: () => s.notes.delete(address),
          }));
        },
        getItemOrNullObject: (address: string) =>
          this.mock({
            content: s.notes.get(address),
            isNullObject: !s.notes.has(address),
            delete: () => s.notes.delete(address),
          }),
        add: (address: string, text: string) => {
          this.calls.push(`notes.add ${address}`);
          s.notes.set(address, text);
        },
      },
    });
  }

  /** Where each range mock sits; the fake reads this, never the mock's (unloaded) properties. */
  private geometry = new WeakMap<object, { r: number; c: number; nr: number; nc: number }>();
  private at(range: Mock): { r: number; c: number; nr: number; nc: number } {
    const g = this.geometry.get(range);
    if (g === undefined) throw new Error('fake Excel: not a range from this fake');
    return g;
  }
  private columnRanges: { mock: Mock; sheet: string; col: number; fromRow: number; toRow: number }[] = [];
  private renames: { mock: Mock; table: FakeTable }[] = [];
  private charts: {
    mock: Mock;
    chart: { name: string; type: string; title: string | undefined; position: string | undefined; columns: number };
    sheet: FakeSheet;
  }[] = [];

  private table(t: FakeTable): Mock {
    return this.mock({
      name: t.name,
      showTotals: false,
      isNullObject: false,
      worksheet: {},
      getRange: () => this.range(t.sheet, t.top, t.left, t.rowCount, t.columnCount),
      getHeaderRowRange: () => this.range(t.sheet, t.top, t.left, 1, t.columnCount),
      getDataBodyRange: () => this.range(t.sheet, t.top + 1, t.left, t.rowCount - 1, t.columnCount),
      resize: (range: Mock) => {
        const g = this.at(range);
        this.calls.push(`resize ${t.name} ${g.nr}x${g.nc}`);
        t.rowCount = g.nr;
        t.columnCount = g.nc;
      },
      columns: {
        add: (_i: unknown, _v: unknown, name: string) => {
          const s = this.sheetOf(t.sheet);
          const row = s.grid[t.top] ?? [];
          row[t.left + t.columnCount] = name;
          s.grid[t.top] = row;
          t.columnCount++;
        },
      },
      convertToRange: () => {
        this.tables.delete(t.name);
      },
    });
  }

  private tableMock(name: string): Mock {
    const t = this.tables.get(name);
    const m = this.table(t ?? { name, sheet: '', top: 0, left: 0, rowCount: 2, columnCount: 1 });
    // The worksheet property is a navigation: build it after the table so the closure sees the sheet.
    (m as Record<string, unknown>)['worksheet'] = t !== undefined ? this.worksheet(t.sheet) : this.mock({ name: '' });
    return m;
  }

  private context(): Record<string, unknown> {
    const sheetItems: { name: string }[] = [];
    return {
      workbook: {
        tables: {
          getItem: (name: string) => {
            if (!this.tables.has(name)) {
              this.pendingError = { code: 'ItemNotFound', message: `The requested resource doesn't exist: ${name}` };
            }
            return this.tableMock(name);
          },
          getItemOrNullObject: (name: string) => {
            if (this.tables.has(name)) return this.tableMock(name);
            return this.mock({ name: undefined, isNullObject: true });
          },
        },
        getSelectedRange: () => {
          const sel = this.selection ?? { sheet: [...this.sheets.keys()][0] ?? '', r: 0, c: 0, nr: 1, nc: 1 };
          const m = this.range(sel.sheet, sel.r, sel.c, sel.nr, sel.nc);
          (m as Record<string, unknown>)['worksheet'] = this.mock({ name: sel.sheet });
          return m;
        },
        worksheets: {
          items: sheetItems,
          // Collections load their items; hand over the current sheets (the mock has no collection model).
          load: () => {
            sheetItems.splice(0, sheetItems.length, ...[...this.sheets.keys()].map((name) => ({ name })));
          },
          getItemOrNullObject: (name: string) =>
            this.sheets.has(name) ? this.worksheet(name) : this.mock({ name: undefined, isNullObject: true }),
          add: (name: string) => {
            this.addSheet(name);
            return this.worksheet(name);
          },
        },
      },
      sync: () => this.sync(),
    };
  }

  private async sync(): Promise<void> {
    const record: SyncRecord = { bytesOut: 0, bytesIn: 0 };
    this.syncs.push(record);
    if (this.pendingError !== null) {
      const e = Object.assign(new Error(this.pendingError.message), { code: this.pendingError.code });
      this.pendingError = null;
      this.reset();
      throw e;
    }
    // Writes: formats before values (the adapter's order), Excel's entry rules for each value.
    for (const p of this.pending) {
      const s = this.sheetOf(p.sheet);
      const nf: unknown = p.mock['numberFormat'];
      if (isAssigned(nf) && nf !== p.presetFormats) {
        record.bytesOut += json(nf);
        for (let i = 0; i < p.nr; i++) {
          for (let j = 0; j < p.nc; j++) {
            const f: unknown = Array.isArray(nf) ? (nf[i] as unknown[] | undefined)?.[j] : nf;
            if (typeof f === 'string') s.formats.set(cellKey(p.r + i, p.c + j), f);
          }
        }
      }
      const vals: unknown = p.mock['values'];
      if (isAssigned(vals) && vals !== p.presetValues) {
        record.bytesOut += json(vals);
        const block = vals as (string | number | boolean)[][];
        if (block.length !== p.nr || block.some((row) => row.length !== p.nc))
          throw new Error(`values shape mismatch for ${p.nr}x${p.nc}`);
        block.forEach((row, i) => {
          const target = s.grid[p.r + i] ?? [];
          row.forEach((v, j) => {
            s.formulas.delete(cellKey(p.r + i, p.c + j));
            target[p.c + j] = enterValue(v, this.formatAt(s, p.r + i, p.c + j));
          });
          s.grid[p.r + i] = target;
        });
      }
      const fr: unknown = p.mock['formulasR1C1'];
      if (isAssigned(fr) && fr !== p.presetFormulas) {
        record.bytesOut += json(fr);
        const block = fr as (string | number | boolean)[][];
        if (block.length !== p.nr || block.some((row) => row.length !== p.nc))
          throw new Error(`formulas shape mismatch for ${p.nr}x${p.nc}`);
        block.forEach((row, i) => {
          const target = s.grid[p.r + i] ?? [];
          row.forEach((v, j) => {
            const k = cellKey(p.r + i, p.c + j);
            if (typeof v === 'string' && v.startsWith('=')) {
              s.formulas.set(k, v);
              target[p.c + j] = '';
            } else {
              s.formulas.delete(k);
              target[p.c + j] = v;
            }
          });
          s.grid[p.r + i] = target;
        });
      }
      const w: unknown = (p.mock['format'] as Record<string, unknown> | undefined)?.['columnWidth'];
      if (typeof w === 'number' && w !== p.presetWidth) for (let j = 0; j < p.nc; j++) s.widths.set(p.c + j, w);
      const color = (p.mock['format'] as Record<string, Record<string, unknown>> | undefined)?.['fill']?.['color'];
      if (isAssigned(color))
        for (let i = 0; i < p.nr; i++)
          for (let j = 0; j < p.nc; j++) s.fills.set(cellKey(p.r + i, p.c + j), String(color));
      const rule = (p.mock['dataValidation'] as Record<string, unknown> | undefined)?.['rule'];
      if (isAssigned(rule)) s.validation.set(p.c, JSON.stringify(rule));
    }
    for (const cr of this.columnRanges) {
      const s = this.sheetOf(cr.sheet);
      const nf: unknown = cr.mock['numberFormat'];
      if (isAssigned(nf)) {
        record.bytesOut += json(nf);
        this.calls.push(`columnFormat ${cr.sheet} ${cr.col} ${String(nf)}`);
        // Apply to the rows that exist and remember it for rows written later (like a whole-column format).
        s.columnFormats.set(cr.col, { fromRow: cr.fromRow, format: String(nf) });
        for (const k of [...s.formats.keys()])
          if (k.endsWith(`,${cr.col}`) && Number(k.split(',')[0]) >= cr.fromRow) s.formats.delete(k);
      }
      const hidden: unknown = cr.mock['columnHidden'];
      if (hidden === true) s.hiddenColumns.add(cr.col);
      if (hidden === false) s.hiddenColumns.delete(cr.col);
      const rule = (cr.mock['dataValidation'] as Record<string, unknown>)['rule'];
      if (isAssigned(rule)) s.validation.set(cr.col, JSON.stringify(rule));
    }
    for (const rn of this.renames) {
      const name: unknown = rn.mock['name'];
      if (isAssigned(name)) rn.table.name = String(name);
      this.tables.set(rn.table.name, rn.table);
    }
    for (const ch of this.charts) {
      ch.chart.name = String(ch.mock['name']);
      ch.chart.title = String((ch.mock['title'] as Record<string, unknown>)['text']);
      ch.sheet.charts.push(ch.chart);
    }
    // Loads: the mock objects were created with the values of their moment; refresh before the mock's own sync.
    for (const m of this.created) await m.sync();
    for (const l of this.loaded) {
      const v: unknown = l.mock[l.prop];
      if (l.prop === 'values' || l.prop === 'numberFormat') record.bytesIn += json(v);
    }
    this.reset();
  }

  private reset(): void {
    this.pending = [];
    this.loaded = [];
    this.created = [];
    this.columnRanges = [];
    this.renames = [];
    this.charts = [];
  }
}
