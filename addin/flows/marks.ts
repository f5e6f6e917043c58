// Marking a ledger table after a check: the add-in's old marks go, then one mark per cell whose note lists every message.
import type { CellMark, WorkbookAdapter } from '../excel/workbookAdapter';

/** Clears the table's fills and add-in notes, then sets `marks`; several marks on one cell become one note. */
export async function remark(wb: WorkbookAdapter, table: string, marks: readonly CellMark[]): Promise<void> {
  await wb.clearMarks(table);
  const merged = new Map<string, CellMark>();
  for (const m of marks) {
    const k = `${m.row}|${m.column}`;
    const prev = merged.get(k);
    merged.set(k, prev === undefined ? m : { ...prev, note: `${String(prev.note)}\n${String(m.note)}` });
  }
  if (merged.size > 0) await wb.markCells(table, [...merged.values()]);
}
