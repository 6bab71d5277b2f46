import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../../src/core/discover/adjusted-rand';

describe('adjustedRandIndex', () => {
  it('is 1 for the same partition under other names', () => {
    expect(adjustedRandIndex(['a', 'a', 'b', 'b', 'c'], ['x', 'x', 'y', 'y', 'z'])).toBe(1);
  });

  it('matches a value worked by hand', () => {
    // Contingency [[2,1],[0,2]]: index 2, row pairs 3+1, column pairs 1+3, n pairs 10 → (2 − 1.6) / (4 − 1.6).
    expect(adjustedRandIndex(['a', 'a', 'a', 'b', 'b'], ['x', 'x', 'y', 'y', 'y'])).toBeCloseTo(0.4 / 2.4, 12);
  });

  it('is at or below 0 for a partition unrelated to the truth', () => {
    expect(adjustedRandIndex(['a', 'a', 'b', 'b'], ['x', 'y', 'x', 'y'])).toBeLessThanOrEqual(0);
  });

  it('refuses labelings of different lengths', () => {
    expect(() => adjustedRandIndex(['a'], ['a', 'b'])).toThrow(RangeError);
  });
});
