import { describe, expect, it } from 'vitest';
import { AVERAGE, COMPLETE, lanceWilliams, runChain, SINGLE, WARD, WEIGHTED, type ChainMerges } from '../../../src/core/discover/nearest-chain';
import { PairBits } from '../../../src/core/discover/pair-bits';
import { Random } from '../../../src/core/util/random';

/**
 * The chain's rules followed literally, as nn-chain.ts documents them: a
 * scan of the whole row at every step, every entry updated at every merge.
 * runChain must find the same merges in the same order, bit for bit,
 * however it avoids the reads.
 */
function plainChain(n: number, condensed: Float64Array, code: number, sizes: Float64Array): ChainMerges {
  const d = condensed.slice();
  const size = sizes.slice();
  const at = (i: number, j: number): number => (i < j ? n * i - (i * (i + 1)) / 2 + j - i - 1 : n * j - (j * (j + 1)) / 2 + i - j - 1);
  const active = Array.from({ length: n }, (_, slot) => slot);
  const found = { x: new Int32Array(n - 1), y: new Int32Array(n - 1), height: new Float64Array(n - 1) };
  const chain: number[] = [];
  for (let k = 0; k < n - 1; k++) {
    if (chain.length === 0) chain.push(active[0]!);
    for (;;) {
      const top = chain[chain.length - 1]!;
      const previous = chain.length > 1 ? chain[chain.length - 2]! : -1;
      let best = previous;
      let bestDistance = previous < 0 ? Infinity : d[at(top, previous)]!;
      for (const slot of active) {
        if (slot !== top && d[at(top, slot)]! < bestDistance) {
          bestDistance = d[at(top, slot)]!;
          best = slot;
        }
      }
      if (best === previous) break;
      chain.push(best);
    }
    const p = chain.pop()!;
    const q = chain.pop()!;
    const [x, y] = p < q ? [p, q] : [q, p];
    const height = d[at(x, y)]!;
    for (const other of active) {
      if (other !== x && other !== y) d[at(other, x)] = lanceWilliams(code, d[at(other, x)]!, d[at(other, y)]!, height, size[x]!, size[y]!, size[other]!);
    }
    size[x] = size[x]! + size[y]!;
    active.splice(active.indexOf(y), 1);
    found.x[k] = x;
    found.y[k] = y;
    found.height[k] = height;
  }
  return found;
}

/** Distances as discovery's are: mostly exactly 1, the rest on a few levels, so ties are everywhere. */
function tiedMatrix(random: Random, n: number, ones: number, levels: number, top: number): Float64Array {
  return Float64Array.from({ length: (n * (n - 1)) / 2 }, () => (random.next() < ones ? 1 : (Math.floor(random.next() * levels) / levels) * top));
}

describe('nearest-neighbour chain', () => {
  it('makes the merges of the plain chain, ties and all, whatever it skips reading', () => {
    const random = new Random(7);
    const codes = [AVERAGE, COMPLETE, SINGLE, WEIGHTED, WARD];
    for (let round = 0; round < 300; round++) {
      const n = 2 + Math.floor(random.next() * 60);
      // Mostly ones (read sparsely), some denser; distances above 1 now and then.
      const condensed = tiedMatrix(random, n, round % 4 === 0 ? 0.3 : 0.9, 1 + Math.floor(random.next() * 5), round % 5 === 0 ? 2.5 : 1);
      // Whole sizes let the chain take ones for granted; fractional ones make it read everything.
      const sizes = Float64Array.from({ length: n }, () => (round % 3 === 2 ? 0.5 + random.next() * 2 : 1 + Math.floor(random.next() * 3)));
      const code = codes[round % codes.length]!;
      const expected = plainChain(n, condensed, code, sizes);
      const actual = runChain(n, condensed.slice(), code, sizes.slice(), {});
      expect([...actual.x], `round ${round}`).toEqual([...expected.x]);
      expect([...actual.y], `round ${round}`).toEqual([...expected.y]);
      expect([...actual.height], `round ${round}`).toEqual([...expected.height]);
    }
  });

  it('keeps two distances at 1 at 1 in an average-linkage merge of whole sizes', () => {
    const off: string[] = [];
    for (let a = 1; a <= 1000; a++) {
      for (let b = 1; b <= 1000; b++) if (lanceWilliams(AVERAGE, 1, 1, 0.5, a, b, 1) !== 1) off.push(`${a}, ${b}`);
    }
    expect(off).toEqual([]);
  });
});

describe('pair bits', () => {
  it('are symmetric, list the active slots of a union in order and find the lowest clear one', () => {
    const bits = new PairBits(70);
    bits.set(3, 40);
    bits.set(65, 3);
    bits.set(5, 40);
    const out = new Int32Array(70);
    expect([...out.subarray(0, bits.union(3, 3, out))]).toEqual([40, 65]);
    expect([...out.subarray(0, bits.union(40, 3, out))]).toEqual([5, 65]);
    expect(bits.has(40, 3) && bits.has(3, 65)).toBe(true);
    bits.retire(65);
    bits.clear(3, 40);
    expect(bits.union(3, 3, out)).toBe(0);
    expect(bits.lowestClear(0)).toBe(1);
    expect(bits.lowestClear(40)).toBe(0);
    for (let slot = 0; slot < 70; slot++) if (slot !== 40 && slot !== 65) bits.set(40, slot);
    expect(bits.lowestClear(40)).toBe(-1);
    expect(bits.firstActive()).toBe(0);
    expect(bits.allActive(0, 1, out)).toBe(67);
  });
});
