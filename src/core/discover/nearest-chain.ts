import { PairBits } from './pair-bits';

/**
 * The nearest-neighbour chain itself (nn-chain.ts has the API, the checks
 * and the tree): the same merges in the same order as a scan of the whole
 * row at every step would find, with far fewer reads.
 *
 * - Each slot's nearest neighbour is kept, so growing the chain is a
 *   lookup; a row is scanned again only when the distance its minimum sat
 *   at rose in a merge.
 * - Cosine distances between profiles are mostly exactly 1 (nothing
 *   shared), and a merge of two clusters both at 1 from k leaves k at 1
 *   (see onesSurvive). So a merge updates, and a scan reads, only the
 *   entries that may differ from 1, found through a bit matrix
 *   (pair-bits.ts): the others are at 1, the lowest of them the one a scan
 *   would pick among them. The condensed matrix keeps every distance
 *   right all along. Row i lies contiguously in it only for j > i; the
 *   entries j < i are one row apart each, a cache and TLB miss per entry,
 *   which made whole-row scans most of the clustering's time at 10,000
 *   profiles. Where ones cannot be taken for granted (Ward, sizes that
 *   are not whole numbers) every bit is set and every entry read.
 */

export const AVERAGE = 0;
export const COMPLETE = 1;
export const SINGLE = 2;
export const WEIGHTED = 3;
export const WARD = 4;

/**
 * Merges in the order the chain found them, by cluster slot (x < y). The
 * result lives in slot x.
 */
export interface ChainMerges {
  readonly x: Int32Array;
  readonly y: Int32Array;
  readonly height: Float64Array;
}

export interface ChainControl {
  readonly onProgress?: (fraction: number) => void;
  readonly signal?: AbortSignal;
}

/**
 * Determinism (all ties, and only ties, are settled by these rules):
 * the chain starts at the lowest active slot; the nearest neighbour of the
 * chain's top is the chain's previous element when that one is among the
 * nearest (this is what guarantees the chain ends), otherwise the nearest
 * with the lowest slot; a merged cluster takes the lower slot of its two.
 * `d` (the condensed matrix) is overwritten; `size` (the points' weights)
 * is updated in place.
 */
export function runChain(n: number, d: Float64Array, code: number, size: Float64Array, control: ChainControl): ChainMerges {
  const m = matrix(n, d, code, size);
  const chain = new Int32Array(n);
  const found: ChainMerges = { x: new Int32Array(n - 1), y: new Int32Array(n - 1), height: new Float64Array(n - 1) };
  const step = Math.max(1, Math.ceil((n - 1) / 100));
  let length = 0;
  for (let k = 0; k < n - 1; k++) {
    if (length === 0) chain[length++] = m.bits.firstActive();
    // Grow the chain until its top two are reciprocal nearest neighbours.
    for (;;) {
      const top = chain[length - 1]!;
      const previous = length > 1 ? chain[length - 2]! : -1;
      const next = nearestActive(m, top, previous);
      if (next === previous) break;
      chain[length++] = next;
    }
    const p = chain[length - 1]!;
    const q = chain[length - 2]!;
    length -= 2;
    const x = p < q ? p : q;
    const y = p < q ? q : p;
    const height = d[m.base[x]! + y]!;
    found.x[k] = x;
    found.y[k] = y;
    found.height[k] = height;
    updateDistances(m, code, size, x, y, height);
    size[x] = size[x]! + size[y]!;
    size[y] = 0;
    m.bits.retire(y);
    if ((k + 1) % step === 0) {
      control.onProgress?.((k + 1) / (n - 1));
      control.signal?.throwIfAborted();
    }
  }
  return found;
}

interface Matrix {
  readonly d: Float64Array;
  /** base[i] + j is the position of (i, j) for i < j. Doubles, not int32: positions pass 2³¹ at n ≈ 65,536. */
  readonly base: Float64Array;
  /** Which pairs may be at a distance other than 1 (all of them unless `ones`), and the active slots. */
  readonly bits: PairBits;
  /** Whether pairs left out of `bits` are at exactly 1 and stay there. */
  readonly ones: boolean;
  /**
   * Per active slot, the smallest distance among its pairs in `bits` and
   * the lowest slot at that distance (Infinity and −1 for none); `stale`
   * where a merge raised the distance the minimum sat at, so that the row
   * is read again when next asked.
   */
  readonly nearestValue: Float64Array;
  readonly nearestSlot: Int32Array;
  readonly stale: Uint8Array;
  /** Scratch: the slots a merge or a scan reads. */
  readonly slots: Int32Array;
}

function matrix(n: number, d: Float64Array, code: number, size: Float64Array): Matrix {
  const base = new Float64Array(n);
  for (let i = 0; i < n; i++) base[i] = n * i - (i * (i + 1)) / 2 - i - 1;
  const ones = code !== WARD && size.every((weight) => Number.isInteger(weight));
  const m: Matrix = {
    d,
    base,
    bits: new PairBits(n),
    ones,
    nearestValue: new Float64Array(n).fill(Infinity),
    nearestSlot: new Int32Array(n).fill(-1),
    stale: new Uint8Array(n),
    slots: new Int32Array(n),
  };
  // Row by row, i < j: each slot meets its pairs in ascending order, so strict < keeps the lowest.
  const { bits, nearestValue, nearestSlot } = m;
  let at = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const distance = d[at++]!;
      if (ones && distance === 1) continue;
      bits.set(i, j);
      if (distance < nearestValue[i]!) {
        nearestValue[i] = distance;
        nearestSlot[i] = j;
      }
      if (distance < nearestValue[j]!) {
        nearestValue[j] = distance;
        nearestSlot[j] = i;
      }
    }
  }
  return m;
}

function distanceOf(m: Matrix, i: number, j: number): number {
  return i < j ? m.d[m.base[i]! + j]! : m.d[m.base[j]! + i]!;
}

/** The active slot nearest to `top` by the chain's rules (see runChain). */
function nearestActive(m: Matrix, top: number, previous: number): number {
  if (m.stale[top] === 1) rescanNearest(m, top);
  let value = m.nearestValue[top]!;
  let slot = m.nearestSlot[top]!;
  // The pairs left out are at exactly 1 (a listed one never is): the lowest of them is the nearest unless a listed one is nearer.
  if (m.ones && value > 1) {
    const one = m.bits.lowestClear(top);
    if (one >= 0) {
      value = 1;
      slot = one;
    }
  }
  if (previous >= 0 && distanceOf(m, top, previous) === value) return previous;
  return slot;
}

/** A slot's nearest among its pairs in `bits`: the smallest distance, at the lowest slot. */
function rescanNearest(m: Matrix, top: number): void {
  const count = m.bits.union(top, top, m.slots);
  let best = Infinity;
  let bestSlot = -1;
  // Ascending, strict <: the lowest slot wins ties.
  for (let t = 0; t < count; t++) {
    const k = m.slots[t]!;
    const value = distanceOf(m, top, k);
    if (value < best) {
      best = value;
      bestSlot = k;
    }
  }
  m.nearestValue[top] = best;
  m.nearestSlot[top] = bestSlot;
  m.stale[top] = 0;
}

/**
 * Whether a merge of x and y keeps at 1 every slot at 1 from both. For
 * these linkages the update of two equal distances depends on nothing
 * else, and for average linkage with whole sizes a and b it is exactly 1:
 * the two weights fl(a/(a+b)) and fl(b/(a+b)) sum to within 2⁻⁵⁴ of 1 (the
 * smaller rounds no further than the midpoint its share sits below, the
 * larger to the nearest multiple of 2⁻⁵³), which rounds to 1. Checked at
 * every merge all the same.
 */
function onesSurvive(code: number, height: number, nx: number, ny: number): boolean {
  return code !== WARD && lanceWilliams(code, 1, 1, height, nx, ny, 1) === 1;
}

/**
 * Lance–Williams: the distance from every other active cluster k to x ∪ y,
 * written into x's entries (y is retired by the caller). The argument
 * order matches agnes's update call (dKI, dKJ, dIJ, ni, nj, nk) so rounding
 * matches too. Only the slots with a pair in `bits` for x or y are read
 * when ones survive; the others stay at 1, as they are. Keeps the nearest
 * neighbours exact for x and for every k whose minimum did not sit at x or
 * y and rise; those it marks stale.
 */
function updateDistances(m: Matrix, code: number, size: Float64Array, x: number, y: number, height: number): void {
  const { d, base, bits, nearestValue, nearestSlot, stale, slots } = m;
  const nx = size[x]!;
  const ny = size[y]!;
  const everyOne = !m.ones || !onesSurvive(code, height, nx, ny);
  const count = everyOne ? bits.allActive(x, y, slots) : bits.union(x, y, slots);
  let best = Infinity;
  let bestSlot = -1;
  // k ascending, so strict < leaves x's lowest nearest slot.
  for (let t = 0; t < count; t++) {
    const k = slots[t]!;
    // A pair left out of `bits` is at 1: not read (each read is likely a cache miss).
    const hadX = bits.has(x, k);
    const at = k < x ? base[k]! + x : base[x]! + k;
    const toX = everyOne || hadX ? d[at]! : 1;
    const toY = everyOne || bits.has(y, k) ? distanceOf(m, k, y) : 1;
    const distance = lanceWilliams(code, toX, toY, height, nx, ny, size[k]!);
    if (distance !== toX) d[at] = distance;
    const listed = !m.ones || distance !== 1;
    if (listed !== hadX) {
      if (listed) bits.set(x, k);
      else bits.clear(x, k);
    }
    if (listed && distance < best) {
      best = distance;
      bestSlot = k;
    }
    if (stale[k] === 1) continue;
    // k's row lost y and x's old entry, and got x's new one if listed. Its minimum sat at the lowest
    // slot at that distance: x takes it on a smaller distance, or an equal one where x is the lower slot.
    const old = nearestValue[k]!;
    const oldSlot = nearestSlot[k]!;
    const movedAway = oldSlot === x || oldSlot === y;
    if (listed && (distance < old || (distance === old && (movedAway || x < oldSlot)))) {
      nearestValue[k] = distance;
      nearestSlot[k] = x;
    } else if (movedAway) stale[k] = 1;
  }
  nearestValue[x] = best;
  nearestSlot[x] = bestSlot;
  stale[x] = 0;
}

/** ml-hclust's update functions, same expressions (see agnes.ts), dispatched by linkage code. */
export function lanceWilliams(code: number, dKI: number, dKJ: number, dIJ: number, ni: number, nj: number, nk: number): number {
  switch (code) {
    case AVERAGE:
      return (ni / (ni + nj)) * dKI + (nj / (ni + nj)) * dKJ;
    case COMPLETE:
      return Math.max(dKI, dKJ);
    case SINGLE:
      return Math.min(dKI, dKJ);
    case WEIGHTED:
      return (dKI + dKJ) / 2;
    default: {
      const total = ni + nj + nk;
      return ((ni + nk) / total) * dKI + ((nj + nk) / total) * dKJ + (-nk / total) * dIJ;
    }
  }
}
