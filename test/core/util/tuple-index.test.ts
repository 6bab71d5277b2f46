import { describe, expect, it } from 'vitest';
import { TupleIndex } from '../../../src/core/util/tuple-index';

describe('TupleIndex', () => {
  it('gives dense ids in first-seen order and the same id for the same tuple', () => {
    const index = new TupleIndex(4);
    expect(index.id(1, 2)).toBe(0);
    expect(index.id(2, 1)).toBe(1);
    expect(index.id(1, 2, 0, 0)).toBe(0);
    expect(index.id(1, 2, 3)).toBe(2);
    expect(index.size).toBe(3);
    expect(index.find(2, 1)).toBe(1);
    expect(index.find(9, 9)).toBe(-1);
    expect([0, 1, 2, 3].map((component) => index.key(2, component))).toEqual([1, 2, 3, 0]);
  });

  it('keeps every tuple through many growths, negative and 32-bit values included', () => {
    const index = new TupleIndex(2);
    const n = 100_000;
    let misnumbered = 0;
    for (let i = 0; i < n; i++) if (index.id(i, -i, i * 7919, 0xffffffff - i) !== i) misnumbered++;
    expect(misnumbered).toBe(0);
    expect(index.size).toBe(n);
    for (let i = 0; i < n; i += 997) {
      expect(index.find(i, -i, i * 7919, 0xffffffff - i)).toBe(i);
      // Keys are stored as int32: a uint32 component comes back as its int32 twin.
      expect(index.key(i, 3) >>> 0).toBe(0xffffffff - i);
    }
    expect(index.find(n, -n, n * 7919, 0xffffffff - n)).toBe(-1);
  });

  it('tells apart tuples that differ in one component only', () => {
    const index = new TupleIndex();
    const ids = new Set([index.id(1, 0, 0, 0), index.id(0, 1, 0, 0), index.id(0, 0, 1, 0), index.id(0, 0, 0, 1), index.id(0, 0, 0, 0)]);
    expect(ids.size).toBe(5);
  });

  it('as a pair index, numbers pairs the same way in half the room, and refuses a third component', () => {
    const pairs = new TupleIndex(2, 2);
    const n = 50_000;
    for (let i = 0; i < n; i++) expect(pairs.id(i, 0xffffffff - i)).toBe(i);
    for (let i = 0; i < n; i += 1009) {
      expect(pairs.id(i, 0xffffffff - i)).toBe(i);
      expect(pairs.find(i, 0xffffffff - i)).toBe(i);
      expect(pairs.key(i, 1) >>> 0).toBe(0xffffffff - i);
      expect(pairs.key(i, 2)).toBe(0);
    }
    expect(pairs.size).toBe(n);
    expect(pairs.find(1, 2)).toBe(-1);
    expect(() => pairs.id(1, 2, 3)).toThrow(/two components/);
  });
});
