import { describe, expect, it } from 'vitest';
import { appendTo, groupBy } from '../../../src/core/util/multimap';

describe('multimap', () => {
  it('appends in place and groups in first-seen key order, items in input order', () => {
    const map = new Map<string, number[]>();
    appendTo(map, 'a', 1);
    const list = map.get('a');
    appendTo(map, 'a', 2, 3);
    expect(map.get('a')).toBe(list);
    expect(map.get('a')).toEqual([1, 2, 3]);
    expect([...groupBy(['b1', 'a1', 'b2'], (item) => item[0])]).toEqual([
      ['b', ['b1', 'b2']],
      ['a', ['a1']],
    ]);
  });
});
