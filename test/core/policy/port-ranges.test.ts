import { describe, expect, it } from 'vitest';
import { mergePortRanges } from '../../../src/core/policy/port-ranges';

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, k) => from + k);
const single = (port: number): { from: number; to: number; used: number[] } => ({ from: port, to: port, used: [port] });

describe('mergePortRanges', () => {
  it('keeps 7 contiguous ports as 7 single ports (below the 8-port threshold)', () => {
    expect(mergePortRanges(range(8000, 8006), 8, 0.5)).toEqual(range(8000, 8006).map(single));
  });

  it('merges 8 contiguous ports into one range', () => {
    expect(mergePortRanges(range(8000, 8007), 8, 0.5)).toEqual([{ from: 8000, to: 8007, used: range(8000, 8007) }]);
  });

  it('merges 8 ports with gaps while they fill at least half of the range', () => {
    // 8 ports in 1000–1009: 80 %.
    const ports = [1000, 1001, 1002, 1004, 1006, 1007, 1008, 1009];
    expect(mergePortRanges(ports, 8, 0.5)).toEqual([{ from: 1000, to: 1009, used: ports }]);
  });

  it('does not merge 8 ports spread at density below 0.5 (every third port)', () => {
    // 8 ports over 22 ports of range: 36 %; any sub-run of 3 or more is at most 3/7.
    const ports = range(0, 7).map((k) => 2000 + 3 * k);
    expect(mergePortRanges(ports, 8, 0.5)).toEqual(ports.map(single));
  });

  it('extends a run as far as the density allows (greedy from the lowest port)', () => {
    // 1000–1007 plus 1012 and 1013: 10 ports in 14 = 71 % ≥ 50 %, so one run to 1013.
    expect(mergePortRanges([...range(1000, 1007), 1012, 1013], 8, 0.5)).toEqual([{ from: 1000, to: 1013, used: [...range(1000, 1007), 1012, 1013] }]);
    // 1000–1007 plus 1020: 9 in 21 = 43 % < 50 %, so the run stops at 1007 and 1020 stays alone.
    expect(mergePortRanges([...range(1000, 1007), 1020], 8, 0.5)).toEqual([{ from: 1000, to: 1007, used: range(1000, 1007) }, single(1020)]);
  });

  it('handles a mixed set: lone ports on either side of a dense run', () => {
    expect(mergePortRanges([22, 9000, ...range(8000, 8009), 443], 8, 0.5)).toEqual([
      single(22),
      single(443),
      { from: 8000, to: 8009, used: range(8000, 8009) },
      single(9000),
    ]);
  });

  it('counts duplicate ports once', () => {
    // 7 distinct ports, each twice: still below 8.
    const twice = [...range(8000, 8006), ...range(8000, 8006)];
    expect(mergePortRanges(twice, 8, 0.5)).toEqual(range(8000, 8006).map(single));
    expect(mergePortRanges([...range(8000, 8007), 8003, 8003], 8, 0.5)).toEqual([{ from: 8000, to: 8007, used: range(8000, 8007) }]);
  });

  it('gives the same runs for any order of the same ports', () => {
    const ports = [22, 443, 1000, 1001, 1002, 1004, 1006, 1007, 1008, 1009, 5000, 5003];
    const expected = mergePortRanges(ports, 8, 0.5);
    expect(expected).toEqual([single(22), single(443), { from: 1000, to: 1009, used: [1000, 1001, 1002, 1004, 1006, 1007, 1008, 1009] }, single(5000), single(5003)]);
    expect(mergePortRanges([...ports].reverse(), 8, 0.5)).toEqual(expected);
    expect(mergePortRanges([5003, 1004, 22, 1009, 1000, 443, 1007, 5000, 1001, 1008, 1002, 1006], 8, 0.5)).toEqual(expected);
  });

  it('returns nothing for no ports', () => {
    expect(mergePortRanges([], 8, 0.5)).toEqual([]);
  });

  it('honours other thresholds: 3 ports at density 1', () => {
    expect(mergePortRanges([10, 11, 12, 14], 3, 1)).toEqual([{ from: 10, to: 12, used: [10, 11, 12] }, single(14)]);
  });
});
