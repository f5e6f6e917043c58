// Test support: the in-page Excel double (e2e/excel-double.js) run in a Node VM, for the adapter tests and the benchmark.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import type { ExcelRun } from '../../../addin/excel/officeWorkbook';

export interface ExcelDoubleWindow {
  Excel: { run: ExcelRun };
  __excelDouble: {
    state: { syncs: number; sheets: Map<string, { frozenRows: number; charts: { name: string }[] }> };
    addSheet(name: string): void;
  };
}

export function loadExcelDouble(): ExcelDoubleWindow {
  const sandbox: Record<string, unknown> = { setTimeout, Promise };
  sandbox['window'] = sandbox;
  vm.runInNewContext(fs.readFileSync(path.join(__dirname, '..', 'e2e', 'excel-double.js'), 'utf8'), sandbox);
  return sandbox as unknown as ExcelDoubleWindow;
}
