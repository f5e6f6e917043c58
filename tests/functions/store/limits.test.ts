// Tests for functions/src/store/limits.ts: Azure's entity size formula, string chunking, key rules and transaction batches.
import {
  assertStorageKey,
  chunkString,
  entityProblem,
  entitySize,
  getChunked,
  MAX_BATCH_BYTES,
  MAX_BATCH_OPERATIONS,
  MAX_ENTITY_BYTES,
  putChunked,
  transactionBatches,
} from '../../../functions/src/store/limits';

describe('entitySize', () => {
  it('follows Azure: 4 + 2 × key lengths + Σ (8 + 2 × name + value)', () => {
    // 4 + 2×(1+2) + [8+2×4+(2×3+4)] + [8+2×3+8] + [8+2×1+1]
    expect(entitySize({ partitionKey: 'p', rowKey: 'rk', name: 'abc', amt: 5n, b: true })).toBe(4 + 6 + 26 + 22 + 11);
  });

  it('refuses entities over 1 MiB and strings over 32,000 characters', () => {
    const big: Record<string, unknown> = { partitionKey: 'p', rowKey: 'r' };
    for (let i = 0; i < 20; i++) big[`s${i}`] = 'x'.repeat(30_000);
    expect(entitySize(big)).toBeGreaterThan(MAX_ENTITY_BYTES);
    expect(entityProblem(big)).toMatch(/1 MiB/);
    expect(entityProblem({ partitionKey: 'p', rowKey: 'r', s: 'x'.repeat(32_001) })).toMatch(/32000/);
    expect(entityProblem({ partitionKey: 'p', rowKey: 'r', s: 'x'.repeat(32_000) })).toBeNull();
  });

  it('refuses more than 252 properties', () => {
    const wide: Record<string, unknown> = { partitionKey: 'p', rowKey: 'r' };
    for (let i = 0; i < 253; i++) wide[`p${i}`] = 1;
    expect(entityProblem(wide)).toMatch(/252/);
  });
});

describe('chunking', () => {
  it('splits long text within the string limit and reads it back', () => {
    const text = 'ab'.repeat(40_000);
    const entity: Record<string, unknown> = {};
    putChunked(entity, 'json', text);
    expect(entity.jsonN).toBe(3);
    expect((entity.json0 as string).length).toBe(32_000);
    expect(getChunked(entity, 'json')).toBe(text);
    expect(getChunked({}, 'json')).toBeUndefined();
  });

  it('never splits a surrogate pair', () => {
    const text = 'a'.repeat(31_999) + '😀' + 'b';
    const chunks = chunkString(text);
    expect(chunks[0]).toBe('a'.repeat(31_999));
    expect(chunks[1]).toBe('😀b');
    expect(chunks.join('')).toBe(text);
  });
});

describe('assertStorageKey', () => {
  it.each(['a/b', 'a\\b', 'a#b', 'a?b', 'a\u0001b', '', 'x'.repeat(513)])('refuses %j', (key) => {
    expect(() => assertStorageKey(key, 'RowKey')).toThrow(/RowKey/);
  });
  it('accepts ordinary keys', () => {
    expect(() => assertStorageKey('r|CA-2016-152156~3', 'RowKey')).not.toThrow();
  });
});

describe('transactionBatches', () => {
  const sizes = (batches: number[][]): number[] => batches.map((b) => b.length);
  const items = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

  it('keeps at most 100 operations per transaction, counting operations per item, in order', () => {
    expect(MAX_BATCH_OPERATIONS).toBe(100);
    expect(sizes(transactionBatches(items(250), () => 1))).toEqual([100, 100, 50]);
    expect(sizes(transactionBatches(items(120), () => 1, 2))).toEqual([50, 50, 20]);
    expect(transactionBatches(items(250), () => 1).flat()).toEqual(items(250));
    expect(transactionBatches([], () => 1)).toEqual([]);
  });

  it('starts a new transaction before the payload would pass 4 MiB less 64 KiB, never leaving one empty', () => {
    const mib = 1024 * 1024;
    expect(MAX_BATCH_BYTES).toBe(4 * mib);
    // 1.5 MiB each: two fit (3 MiB), a third would not.
    expect(sizes(transactionBatches(items(5), () => 1.5 * mib))).toEqual([2, 2, 1]);
    // Exactly at the limit still fits; one byte more does not.
    expect(sizes(transactionBatches([0, 1], (i) => (i === 0 ? 4 * mib - 64 * 1024 - 1 : 1)))).toEqual([2]);
    expect(sizes(transactionBatches([0, 1], (i) => (i === 0 ? 4 * mib - 64 * 1024 : 1)))).toEqual([1, 1]);
    // An item bigger than the limit goes alone.
    expect(sizes(transactionBatches(items(2), () => 5 * mib))).toEqual([1, 1]);
  });
});
