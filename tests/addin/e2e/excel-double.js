// In-page Excel/Office test double for headless Chromium: only the Office.js subset addin/excel/officeWorkbook.ts uses.
// Served in place of https://appsforoffice.microsoft.com/lib/1/hosted/office.js. Writes apply when queued (the
// adapter never reads back within a batch before syncing), loads are resolved at context.sync().
(function () {
  'use strict';
  const state = { sheets: new Map(), tables: new Map(), syncs: 0, activeSheet: null };

  function sheet(name) {
    let s = state.sheets.get(name);
    if (!s) {
      s = {
        name,
        grid: [],
        formats: new Map(),
        columnFormats: new Map(),
        fills: new Map(),
        notes: new Map(),
        hidden: new Set(),
        // Formula cells (R1C1 text by "row,col"; the double does not calculate, their value is "") and column widths.
        formulas: new Map(),
        widths: new Map(),
        frozenRows: 0,
        charts: [],
        selected: null,
      };
      state.sheets.set(name, s);
    }
    return s;
  }
  const key = (r, c) => r + ',' + c;
  function formatAt(s, r, c) {
    const own = s.formats.get(key(r, c));
    if (own !== undefined) return own;
    const col = s.columnFormats.get(c);
    return col && r >= col.fromRow ? col.format : 'General';
  }
  // Excel's entry rules: quote prefix, literal text in "@" cells, formulas evaluated, numeric text converted.
  function enter(v, format) {
    if (typeof v !== 'string') return v;
    if (v.startsWith("'")) return v.slice(1);
    if (format === '@') return v;
    if (/^[=+\-@\t\r]/.test(v) && v.length > 1) return '#NAME?';
    if (/^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
    return v;
  }
  function colIndex(letters) {
    let n = 0;
    for (const ch of letters) n = n * 26 + ch.charCodeAt(0) - 64;
    return n - 1;
  }

  function makeContext() {
    const loads = [];
    let failure = null;
    const ctx = { workbook: null, sync: null };

    function range(s, r, c, nr, nc) {
      const rg = {
        rowIndex: r,
        columnIndex: c,
        rowCount: nr,
        columnCount: nc,
        load(props) {
          loads.push(() => {
            for (const p of String(props)
              .split(',')
              .map((x) => x.trim())) {
              if (p === 'values')
                rg._values = Array.from({ length: nr }, (_, i) =>
                  Array.from({ length: nc }, (_, j) => {
                    const row = s.grid[r + i];
                    const v = row ? row[c + j] : undefined;
                    return v === undefined || v === null ? '' : v;
                  }),
                );
              if (p === 'numberFormat')
                rg._formats = Array.from({ length: nr }, (_, i) =>
                  Array.from({ length: nc }, (_, j) => formatAt(s, r + i, c + j)),
                );
              if (p === 'formulasR1C1')
                rg._formulas = Array.from({ length: nr }, (_, i) =>
                  Array.from({ length: nc }, (_, j) => {
                    const f = s.formulas && s.formulas.get(key(r + i, c + j));
                    const row = s.grid[r + i];
                    const v = row ? row[c + j] : undefined;
                    return f !== undefined ? f : v === undefined || v === null ? '' : v;
                  }),
                );
            }
          });
          return rg;
        },
        get values() {
          return rg._values;
        },
        set values(block) {
          const b = Array.isArray(block) ? block : null;
          for (let i = 0; i < nr; i++) {
            const row = s.grid[r + i] || (s.grid[r + i] = []);
            for (let j = 0; j < nc; j++) {
              const v = b ? b[i] && b[i][j] : block;
              if (v !== null && v !== undefined) {
                if (s.formulas) s.formulas.delete(key(r + i, c + j));
                row[c + j] = enter(v, formatAt(s, r + i, c + j));
              }
            }
          }
        },
        get formulasR1C1() {
          return rg._formulas;
        },
        set formulasR1C1(block) {
          for (let i = 0; i < nr; i++) {
            const row = s.grid[r + i] || (s.grid[r + i] = []);
            for (let j = 0; j < nc; j++) {
              const v = block[i][j];
              if (typeof v === 'string' && v.startsWith('=')) {
                s.formulas.set(key(r + i, c + j), v);
                row[c + j] = '';
              } else {
                s.formulas.delete(key(r + i, c + j));
                row[c + j] = v;
              }
            }
          }
        },
        get numberFormat() {
          return rg._formats;
        },
        set numberFormat(f) {
          for (let i = 0; i < nr; i++)
            for (let j = 0; j < nc; j++) {
              const v = Array.isArray(f) ? f[i] && f[i][j] : f;
              if (typeof v === 'string') s.formats.set(key(r + i, c + j), v);
            }
        },
        set columnHidden(h) {
          for (let j = 0; j < nc; j++) h ? s.hidden.add(c + j) : s.hidden.delete(c + j);
        },
        format: {
          fill: {
            set color(v) {
              for (let i = 0; i < nr; i++) for (let j = 0; j < nc; j++) s.fills.set(key(r + i, c + j), v);
            },
            clear() {
              for (let i = 0; i < nr; i++) for (let j = 0; j < nc; j++) s.fills.delete(key(r + i, c + j));
            },
          },
          autofitColumns() {},
          load() {},
          get columnWidth() {
            return (s.widths && s.widths.get(c)) || 48;
          },
          set columnWidth(w) {
            for (let j = 0; j < nc; j++) s.widths.set(c + j, w);
          },
        },
        dataValidation: { rule: null, clear() {} },
        getResizedRange: (dr, dc) => range(s, r, c, nr + dr, nc + dc),
        getOffsetRange: (dr, dc) => range(s, r + dr, c + dc, nr, nc),
        // Like Excel's Range.clear: contents (values and formulas) go, unless only formats are cleared.
        clear(applyTo) {
          if (applyTo === 'Formats') return;
          for (let i = 0; i < nr; i++) {
            const row = s.grid[r + i];
            if (row) for (let j = 0; j < nc; j++) row[c + j] = '';
            if (s.formulas) for (let j = 0; j < nc; j++) s.formulas.delete(key(r + i, c + j));
          }
        },
        select() {
          s.selected = [r, c];
          s.selectedSize = [nr, nc];
          state.activeSheet = s.name;
        },
      };
      return rg;
    }

    function columnRange(s, a1) {
      const m = /^([A-Z]+)(\d*):([A-Z]+)(\d*)$/.exec(a1);
      if (!m) throw new Error('excel-double: unsupported address ' + a1);
      const c = colIndex(m[1]);
      const fromRow = m[2] ? Number(m[2]) - 1 : 0;
      return {
        set numberFormat(f) {
          s.columnFormats.set(c, { fromRow, format: f });
        },
        set columnHidden(h) {
          h ? s.hidden.add(c) : s.hidden.delete(c);
        },
        dataValidation: { rule: null, clear() {} },
      };
    }

    function worksheet(s) {
      const ws = {
        name: s.name,
        isNullObject: false,
        load() {
          return ws;
        },
        getRangeByIndexes: (r, c, nr, nc) => range(s, r, c, nr, nc),
        getCell: (r, c) => range(s, r, c, 1, 1),
        getRange: (a1) => columnRange(s, a1),
        freezePanes: {
          freezeRows(n) {
            s.frozenRows = n;
          },
        },
        // Print settings are kept as set (orientation and zoom), for setPrintLayout.
        pageLayout: {
          set orientation(v) {
            s.orientation = v;
          },
          get orientation() {
            return s.orientation;
          },
          set zoom(v) {
            s.zoom = { ...v };
          },
          get zoom() {
            return s.zoom;
          },
        },
        activate() {
          state.activeSheet = s.name;
        },
        tables: {
          add(rg) {
            const t = {
              name: 'Table' + (state.tables.size + 1),
              sheet: s.name,
              top: rg.rowIndex,
              left: rg.columnIndex,
              rowCount: 2,
              columnCount: rg.columnCount,
            };
            state.tables.set(t.name, t);
            const tm = table(t);
            Object.defineProperty(tm, 'name', {
              get: () => t.name,
              set: (n) => {
                state.tables.delete(t.name);
                t.name = n;
                state.tables.set(n, t);
              },
            });
            return tm;
          },
        },
        charts: {
          getItemOrNullObject(name) {
            const found = s.charts.find((ch) => ch.name === name);
            return {
              name,
              isNullObject: !found,
              load() {},
              delete() {
                s.charts = s.charts.filter((ch) => ch !== found);
              },
            };
          },
          add(type) {
            const chart = {
              name: '',
              type,
              title: { text: '' },
              position: null,
              setPosition(a) {
                chart.position = a;
              },
            };
            s.charts.push(chart);
            return chart;
          },
        },
        notes: {
          items: [],
          load() {
            this.items = [...s.notes].map(([address, content]) => {
              const m = /^([A-Z]+)(\d+)$/.exec(address);
              const columnIndex = [...m[1]].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
              return {
                content,
                getLocation: () => ({ rowIndex: Number(m[2]) - 1, columnIndex, load() {} }),
                delete: () => s.notes.delete(address),
              };
            });
          },
          getItemOrNullObject(address) {
            return {
              isNullObject: !s.notes.has(address),
              load() {},
              delete() {
                s.notes.delete(address);
              },
            };
          },
          add(address, text) {
            s.notes.set(address, text);
          },
        },
      };
      return ws;
    }

    function table(t) {
      const s = sheet(t.sheet);
      return {
        name: t.name,
        showTotals: false,
        isNullObject: false,
        load() {},
        worksheet: worksheet(s),
        getRange: () => range(s, t.top, t.left, t.rowCount, t.columnCount),
        getHeaderRowRange: () => range(s, t.top, t.left, 1, t.columnCount),
        getDataBodyRange: () => range(s, t.top + 1, t.left, t.rowCount - 1, t.columnCount),
        resize(rg) {
          t.rowCount = rg.rowCount;
          t.columnCount = rg.columnCount;
        },
        columns: {
          add(_i, _v, name) {
            const row = s.grid[t.top] || (s.grid[t.top] = []);
            row[t.left + t.columnCount] = name;
            t.columnCount++;
          },
        },
        convertToRange() {
          state.tables.delete(t.name);
        },
      };
    }

    const missing = { isNullObject: true, name: null, load() {} };
    ctx.workbook = {
      getSelectedRange() {
        const s = sheet(state.activeSheet || [...state.sheets.keys()][0] || 'Sheet1');
        const [r, c] = s.selected || [0, 0];
        const [nr, nc] = s.selectedSize || [1, 1];
        const rg = range(s, r, c, nr, nc);
        rg.worksheet = worksheet(s);
        return rg;
      },
      tables: {
        getItem(name) {
          const t = state.tables.get(name);
          if (t) return table(t);
          failure = Object.assign(new Error("The requested resource doesn't exist."), { code: 'ItemNotFound' });
          const blank = { name, sheet: '__missing__', top: 0, left: 0, rowCount: 2, columnCount: 1 };
          return table(blank);
        },
        getItemOrNullObject(name) {
          const t = state.tables.get(name);
          return t ? table(t) : missing;
        },
      },
      worksheets: {
        items: [],
        load() {
          loads.push(() => {
            ctx.workbook.worksheets.items = [...state.sheets.keys()]
              .filter((n) => n !== '__missing__')
              .map((name) => ({ name }));
          });
        },
        getItemOrNullObject(name) {
          return state.sheets.has(name) ? worksheet(sheet(name)) : missing;
        },
        getItem(name) {
          if (state.sheets.has(name)) return worksheet(sheet(name));
          failure = Object.assign(new Error("The requested resource doesn't exist."), { code: 'ItemNotFound' });
          return worksheet({ name, grid: [], formats: new Map(), columnFormats: new Map() });
        },
        add(name) {
          return worksheet(sheet(name));
        },
      },
    };
    ctx.sync = function () {
      state.syncs++;
      return new Promise((resolve, reject) =>
        setTimeout(() => {
          if (failure) {
            const f = failure;
            failure = null;
            reject(f);
            return;
          }
          for (const l of loads.splice(0)) l();
          resolve();
        }, 0),
      );
    };
    return ctx;
  }

  window.Excel = { run: (batch) => Promise.resolve().then(() => batch(makeContext())) };
  // Custom functions: a registry filled by CustomFunctions.associate, and formulas evaluated through it (evaluate).
  const customFunctions = new Map();
  const formulas = [];
  class CustomFunctionError {
    constructor(code, message) {
      this.code = code;
      this.message = message;
    }
  }
  window.CustomFunctions = {
    associate(id, fn) {
      customFunctions.set(String(id).toUpperCase(), fn);
    },
    Error: CustomFunctionError,
    ErrorCode: { invalidValue: '#VALUE!', notAvailable: '#N/A' },
  };
  // Arguments of a formula: "text" (with "" for a quote), numbers, or nothing (an omitted argument is null).
  function formulaArgs(text) {
    const args = [];
    const re = /\s*(?:"((?:[^"]|"")*)"|(-?\d+(?:\.\d+)?)|)\s*(,|$)/y;
    let m;
    while (re.lastIndex < text.length && (m = re.exec(text)) !== null) {
      args.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2] !== undefined ? Number(m[2]) : null);
      if (m[3] === '') break;
    }
    return args;
  }
  window.Office = {
    HostType: { Excel: 'Excel' },
    context: { requirements: { isSetSupported: () => true } },
    onReady(cb) {
      const info = { host: 'Excel', platform: 'OfficeOnline' };
      return new Promise((resolve) =>
        setTimeout(() => {
          if (cb) cb(info);
          resolve(info);
        }, 0),
      );
    },
  };
  // Test hooks: seed tables and inspect what the task pane did.
  window.__excelDouble = {
    state,
    seedTable(sheetName, tableName, headers, rows) {
      const s = sheet(sheetName);
      s.grid[0] = headers.slice();
      rows.forEach((r, i) => {
        s.grid[i + 1] = r.slice();
      });
      state.tables.set(tableName, {
        name: tableName,
        sheet: sheetName,
        top: 0,
        left: 0,
        rowCount: 1 + Math.max(1, rows.length),
        columnCount: headers.length,
      });
    },
    addSheet(name) {
      sheet(name);
    },
    /** Types rows into a table's body from its first row, as a user would (Excel's entry rules apply). */
    fillRows(tableName, rows) {
      const t = state.tables.get(tableName);
      const s = sheet(t.sheet);
      rows.forEach((r, i) => {
        const row = s.grid[t.top + 1 + i] || (s.grid[t.top + 1 + i] = []);
        r.forEach((v, j) => {
          if (v !== undefined) row[t.left + j] = enter(v, formatAt(s, t.top + 1 + i, t.left + j));
        });
      });
      t.rowCount = Math.max(t.rowCount, 1 + rows.length);
    },
    /** Deletes one body row of a table, as a user deleting a table row would: the rows below move up. */
    deleteRow(tableName, row) {
      const t = state.tables.get(tableName);
      const s = sheet(t.sheet);
      s.grid.splice(t.top + 1 + row, 1);
      t.rowCount -= 1;
    },
    /** Sets one body cell by header. */
    setCell(tableName, row, header, value) {
      const t = state.tables.get(tableName);
      const s = sheet(t.sheet);
      const c = s.grid[t.top].indexOf(header, t.left) - t.left; // this table's header, not one left of it
      const r = s.grid[t.top + 1 + row] || (s.grid[t.top + 1 + row] = []);
      r[t.left + c] = enter(value, formatAt(s, t.top + 1 + row, t.left + c));
    },
    /** The user adds a column to a table by typing its header beside the last one. */
    addColumn(tableName, header) {
      const t = state.tables.get(tableName);
      const s = sheet(t.sheet);
      s.grid[t.top][t.left + t.columnCount] = header;
      t.columnCount++;
    },
    /** The user types a formula (R1C1 or structured reference) into a body cell by header. */
    setFormula(tableName, row, header, formula) {
      const t = state.tables.get(tableName);
      const s = sheet(t.sheet);
      const c = s.grid[t.top].indexOf(header, t.left) - t.left; // this table's header, not one left of it
      s.formulas.set(key(t.top + 1 + row, t.left + c), formula);
      (s.grid[t.top + 1 + row] || (s.grid[t.top + 1 + row] = []))[t.left + c] = '';
    },
    /** The formula of a body cell by header, or null when it holds none. */
    formula(tableName, row, header) {
      const t = state.tables.get(tableName);
      const s = sheet(t.sheet);
      const c = s.grid[t.top].indexOf(header, t.left) - t.left; // this table's header, not one left of it
      const f = s.formulas.get(key(t.top + 1 + row, t.left + c));
      return f === undefined ? null : f;
    },
    /** The value of a body cell by header. */
    cell(tableName, row, header) {
      const t = state.tables.get(tableName);
      const s = sheet(t.sheet);
      const c = s.grid[t.top].indexOf(header, t.left) - t.left; // this table's header, not one left of it
      const r = s.grid[t.top + 1 + row];
      const v = r ? r[t.left + c] : undefined;
      return v === undefined || v === null ? '' : v;
    },
    /** The user selects a block (0-based sheet row and column) on a sheet, as with the mouse. */
    select(sheetName, row, column, rowCount, columnCount) {
      const s = sheet(sheetName);
      state.activeSheet = sheetName;
      s.selected = [row, column];
      s.selectedSize = [rowCount || 1, columnCount || 1];
    },
    selected(sheetName) {
      return { active: state.activeSheet, cell: sheet(sheetName).selected };
    },
    /** The block selected on a sheet: its top-left cell and its size in rows and columns. */
    /**
     * Enters a formula such as =LEDGERDESK.STAT("collected","2016-Q4") as Excel would: the function associated with
     * its id is called with its arguments (omitted ones null) and a streaming invocation. Returns the formula's index.
     */
    evaluate(formula) {
      const m = /^=LEDGERDESK\.([A-Z]+)\((.*)\)$/.exec(formula);
      const entry = { formula, results: [] };
      formulas.push(entry);
      const fn = m ? customFunctions.get(m[1]) : undefined;
      if (!fn) {
        entry.results.push({ error: '#NAME?' });
        return formulas.length - 1;
      }
      const args = formulaArgs(m[2]);
      while (args.length < fn.length - 1) args.push(null);
      const invocation = {
        setResult(v) {
          entry.results.push(v instanceof CustomFunctionError ? { error: v.code, message: v.message } : { value: v });
        },
        onCanceled: () => undefined,
      };
      fn(...args, invocation);
      return formulas.length - 1;
    },
    /** Every result a formula was given, in order ({value} or {error, message}). */
    results(index) {
      return formulas[index].results;
    },
    /** The ids associated with CustomFunctions.associate. */
    functionIds() {
      return [...customFunctions.keys()];
    },
    selectedBlock(sheetName) {
      const s = sheet(sheetName);
      return { active: state.activeSheet, cell: s.selected, size: s.selectedSize || null };
    },
  };
})();
