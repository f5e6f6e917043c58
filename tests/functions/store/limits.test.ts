// Tests for functions/src/store/limits.ts: Azure's entity size formula, string chunking and key rules.
import {
  assertStorageKey,
  chunkString,
  entityProblem,
  entitySize,
  getChunked,
  MAX_ENTITY_BYTES,
  putChunked,
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
