// This generator's own seeded randomness: mulberry32 over an FNV-1a hash of
// a text seed, written apart from the engine (which must not be measured
// against its own random streams) and from the other generators. Streams
// are forked by purpose so that a draw added in one part of the plant never
// shifts what another part draws: the same parameters give the same bytes.

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export class Dice {
  private state: number;

  constructor(seed: string) {
    this.state = fnv1a(seed) || 0x2545f491;
    for (let i = 0; i < 6; i++) this.float();
  }

  /** A separate stream for one purpose. */
  fork(purpose: string): Dice {
    return new Dice(`${this.state}/${purpose}`);
  }

  /** Uniform in [0, 1). */
  float(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  real(lo: number, hi: number): number {
    return lo + this.float() * (hi - lo);
  }

  yes(probability: number): boolean {
    return this.float() < probability;
  }

  one<T>(list: readonly T[]): T {
    if (list.length === 0) throw new Error('one() of an empty list');
    return list[Math.floor(this.float() * list.length)]!;
  }

  shuffled<T>(list: readonly T[]): T[] {
    const out = [...list];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  /** `count` distinct items of `list` (all of them when it is shorter). */
  some<T>(list: readonly T[], count: number): T[] {
    return this.shuffled(list).slice(0, Math.max(0, count));
  }

  /** Poisson count (Knuth below 30, a rounded normal above). */
  count(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.gauss()));
    const limit = Math.exp(-mean);
    let k = 0;
    for (let p = this.float(); p > limit; p *= this.float()) k++;
    return k;
  }

  /** Exponential with the given mean. */
  exp(mean: number): number {
    return -mean * Math.log(1 - this.float());
  }

  gauss(): number {
    const u = Math.max(this.float(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.float());
  }

  /** A positive size near `typical` (log-normal, spread `spread`). */
  near(typical: number, spread = 0.3): number {
    return Math.max(1, Math.round(typical * Math.exp(spread * this.gauss())));
  }

  hex(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += '0123456789abcdef'[Math.floor(this.float() * 16)];
    return out;
  }
}
