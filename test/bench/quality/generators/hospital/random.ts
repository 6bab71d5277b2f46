// The hospital generator's own seeded randomness: xoshiro128** seeded
// through splitmix32 from an FNV-1a hash of a text seed. Written for this
// folder alone (no engine or sibling-generator code), so that the same
// parameters always give byte-identical files and nothing depends on
// Math.random or the clock.

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Rand {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: string) {
    const mix = splitmix32(fnv1a(seed));
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** An independent stream for one purpose: adding draws to one part of the generator moves nothing in another. */
  fork(purpose: string): Rand {
    return new Rand(`${this.next()}:${purpose}`);
  }

  private next(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.b << 9) >>> 0;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    return result;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next() / 4294967296;
  }

  /** Integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  real(lo: number, hi: number): number {
    return lo + this.float() * (hi - lo);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(list: readonly T[]): T {
    if (list.length === 0) throw new Error('hospital: pick from an empty list');
    return list[Math.floor(this.float() * list.length)]!;
  }

  /** One of `list` with the given weights. */
  weighted<T>(list: readonly (readonly [T, number])[]): T {
    const total = list.reduce((sum, [, w]) => sum + w, 0);
    let x = this.float() * total;
    for (const [item, w] of list) {
      x -= w;
      if (x < 0) return item;
    }
    return list[list.length - 1]![0];
  }

  shuffle<T>(list: readonly T[]): T[] {
    const out = [...list];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  /** Poisson count of mean `mean` (inversion below 40, a rounded normal above). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    for (let p = this.float(); p > limit; p *= this.float()) k++;
    return k;
  }

  normal(): number {
    const u = Math.max(this.float(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.float());
  }

  /** Log-normal around `typical` (its median) with log-spread `spread`. */
  around(typical: number, spread = 0.5): number {
    return typical * Math.exp(spread * this.normal());
  }

  /** An ephemeral source port as Windows (49152–65535) or Linux (32768–60999) hands them out. */
  ephemeral(windows: boolean): number {
    return windows ? this.int(49152, 65535) : this.int(32768, 60999);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
