/**
 * A symmetric n × n bit matrix with a set of active slots, for the
 * nearest-neighbour chain (nearest-chain.ts): bit (i, j) says that the
 * distance of i and j may differ from 1. n²/8 bytes: 12.5 MB for 10,000
 * points, against 400 MB of distances, so it mostly stays in cache.
 */
export class PairBits {
  /** 32-bit words per row. */
  private readonly words: number;
  private readonly bits: Int32Array;
  private readonly active: Int32Array;

  constructor(n: number) {
    this.words = Math.ceil(n / 32);
    this.bits = new Int32Array(n * this.words);
    this.active = new Int32Array(this.words);
    for (let slot = 0; slot < n; slot++) this.active[slot >>> 5]! |= 1 << (slot & 31);
  }

  has(i: number, j: number): boolean {
    return (this.bits[i * this.words + (j >>> 5)]! & (1 << (j & 31))) !== 0;
  }

  set(i: number, j: number): void {
    this.bits[i * this.words + (j >>> 5)]! |= 1 << (j & 31);
    this.bits[j * this.words + (i >>> 5)]! |= 1 << (i & 31);
  }

  clear(i: number, j: number): void {
    this.bits[i * this.words + (j >>> 5)]! &= ~(1 << (j & 31));
    this.bits[j * this.words + (i >>> 5)]! &= ~(1 << (i & 31));
  }

  retire(slot: number): void {
    this.active[slot >>> 5]! &= ~(1 << (slot & 31));
  }

  /**
   * The active slots whose bit is set in row a or in row b (pass a twice
   * for one row), ascending, into out; returns how many. The rows' own
   * slots are left out.
   */
  union(a: number, b: number, out: Int32Array): number {
    return this.collect(a, b, true, out);
  }

  /** Every active slot but a and b, ascending, into out; returns how many. */
  allActive(a: number, b: number, out: Int32Array): number {
    return this.collect(a, b, false, out);
  }

  private collect(a: number, b: number, rows: boolean, out: Int32Array): number {
    const { bits, active, words } = this;
    const rowA = a * words;
    const rowB = b * words;
    let count = 0;
    for (let w = 0; w < words; w++) {
      let word = rows ? (bits[rowA + w]! | bits[rowB + w]!) & active[w]! : active[w]!;
      while (word !== 0) {
        const low = word & -word;
        const slot = w * 32 + 31 - Math.clz32(low);
        word ^= low;
        if (slot !== a && slot !== b) out[count++] = slot;
      }
    }
    return count;
  }

  /** The lowest active slot. */
  firstActive(): number {
    for (let w = 0; w < this.words; w++) {
      const word = this.active[w]!;
      if (word !== 0) return w * 32 + 31 - Math.clz32(word & -word);
    }
    return -1;
  }

  /** The lowest active slot other than `slot` whose bit in slot's row is clear, or −1. */
  lowestClear(slot: number): number {
    const { bits, active, words } = this;
    const row = slot * words;
    for (let w = 0; w < words; w++) {
      let word = active[w]! & ~bits[row + w]!;
      if (w === slot >>> 5) word &= ~(1 << (slot & 31));
      if (word !== 0) return w * 32 + 31 - Math.clz32(word & -word);
    }
    return -1;
  }
}
