// Tests the pure cell rules: which text is risky, what gets written, and size-bounded chunking.
import {
  chunkBySize,
  columnLetter,
  isFormulaLike,
  utf8Length,
  jsonBytes,
  textFormatOverlay,
  toExcelText,
  toWriteRow,
} from '../../../addin/excel/cells';

describe('cells', () => {
  it('spots text Excel would evaluate', () => {
    for (const s of ['=A1', '+1', '-1', '@x', '\tx', '\rx']) expect(isFormulaLike(s)).toBe(true);
    for (const s of ['a=b', ' =x', '', "'x", '1']) expect(isFormulaLike(s)).toBe(false);
  });
  it('doubles a leading apostrophe only', () => {
    expect(toExcelText("'x")).toBe("''x");
    expect(toExcelText("x'")).toBe("x'");
  });
  it('writes empty as "" and pads short rows', () => {
    expect(toWriteRow([null, 1, 'a'], 4)).toEqual(['', 1, 'a', '']);
    expect(() => toWriteRow([Number.NaN], 1)).toThrow(/Cannot write NaN/);
  });
  it('overlays "@" only on risky cells outside text columns', () => {
    expect(textFormatOverlay([['=x', '=y', 'z']], [true, false, false])).toEqual([[null, '@', null]]);
    expect(textFormatOverlay([['a', 1]], [false, false])).toBeNull();
  });
  it('chunks by JSON size and keeps order', () => {
    const rows = Array.from({ length: 100 }, (_, i) => [`row-${i}`, i]);
    const chunks = chunkBySize(rows, 200);
    expect(chunks.flatMap((c) => c.rows)).toEqual(rows);
    for (const c of chunks) expect(jsonBytes(c.rows)).toBeLessThanOrEqual(200);
    expect(chunks[1]?.start).toBe(chunks[0]?.rows.length);
  });
  it('names columns like Excel', () => {
    expect([0, 25, 26, 701, 702].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'ZZ', 'AAA']);
  });
});

describe('utf8Length', () => {
  it('counts UTF-8 bytes like Buffer does, without Buffer (the task pane has none)', () => {
    for (const t of ['', 'abc', 'é', '€', '😀', 'a\ud800b', 'Ωmega 😀 ≥ 5 €'])
      expect(utf8Length(t)).toBe(Buffer.byteLength(t, 'utf8'));
  });
});
