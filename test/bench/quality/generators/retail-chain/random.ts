// Seeded randomness for the retail-chain generator, written for this folder
// alone: a text seed is hashed into 128 bits (a murmur-style mix over four
// lanes) that seed an sfc32 generator. Nothing here reads Math.random or the
// clock, so the same parameters always give byte-identical files; every
// part of the model draws from its own named fork, so adding a draw to one
// part moves nothing in another.

/** Four 32-bit words from a text, each lane mixing every character. */
function hash128(text: string): [number, number, number, number] {
  let h1 = 0x6a09e667;
  let h2 = 0xbb67ae85;
  let h3 = 0x3c6ef372;
  let h4 = 0xa54ff53a;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 0x9e3779b1);
    h2 = h3 ^ Math.imul(h2 ^ k, 0x85ebca77);
    h3 = h4 ^ Math.imul(h3 ^ k, 0xc2b2ae3d);
    h4 = h1 ^ Math.imul(h4 ^ k, 0x27d4eb2f);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 0x9e3779b1);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 0x85ebca77);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 0xc2b2ae3d);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 0x27d4eb2f);
  return [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0];
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: string) {
    [this.a, this.b, this.c, this.d] = hash128(seed);
    // sfc32 wants a few rounds before its output stops echoing the seed.
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** An independent stream for one named purpose. */
  fork(purpose: string): Random {
    return new Random(`${this.uint32()}.${this.uint32()}:${purpose}`);
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer in [lo, hi], both ends included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  real(lo: number, hi: number): number {
    return lo + (hi - lo) * this.float();
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('retail-chain: pick from nothing');
    return items[Math.floor(this.float() * items.length)]!;
  }

  /** One item, drawn with the given weights. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of items) total += weight;
    let x = this.float() * total;
    for (const [item, weight] of items) {
      x -= weight;
      if (x < 0) return item;
    }
    return items[items.length - 1]![0];
  }

  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1));
      const held = out[i]!;
      out[i] = out[j]!;
      out[j] = held;
    }
    return out;
  }

  /** `count` distinct items (all of them when there are fewer). */
  sample<T>(items: readonly T[], count: number): T[] {
    return this.shuffle(items).slice(0, Math.max(0, count));
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.float());
  }

  /** Log-normal with the given median and log-spread: sizes and durations. */
  logNormal(median: number, spread = 0.6): number {
    return median * Math.exp(spread * this.normal());
  }

  /** Waiting time of a Poisson process with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.float());
  }

  /** A Poisson count (multiplication method for small means, normal approximation above 30). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const floor = Math.exp(-mean);
    let count = 0;
    let product = this.float();
    while (product > floor) {
      count++;
      product *= this.float();
    }
    return count;
  }
}
