// This generator's own seeded randomness (mulberry32 over a djb2 string
// hash), written apart from the engine and from the other generators.

function djb2(text: string): number {
  let h = 5381;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 33) ^ text.charCodeAt(i)) >>> 0;
  return h;
}

export class Dice {
  private state: number;

  constructor(seed: string) {
    this.state = djb2(seed) || 0x9e3779b9;
    for (let i = 0; i < 8; i++) this.float();
  }

  /** A separate stream for one purpose, so adding draws elsewhere moves nothing here. */
  fork(purpose: string): Dice {
    return new Dice(`${this.float()}/${purpose}`);
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

  /** Poisson count (Knuth below 30, a rounded normal above). */
  count(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.gauss()));
    const limit = Math.exp(-mean);
    let k = 0;
    for (let p = this.float(); p > limit; p *= this.float()) k++;
    return k;
  }

  gauss(): number {
    const u = Math.max(this.float(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.float());
  }

  /** A size near `typical` (log-normal, spread 0.4). */
  size(typical: number): number {
    return Math.max(1, Math.round(typical * Math.exp(0.4 * this.gauss())));
  }

  hex(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += '0123456789abcdef'[Math.floor(this.float() * 16)];
    return out;
  }
}
