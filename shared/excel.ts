// Excel's A1 notation, for the add-in's ranges and the report workbooks' formulas.

/** The column letters of a 0-based column index: 0 → A, 25 → Z, 26 → AA, 702 → AAA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}
