// This generator's own seeded randomness (sfc32 seeded through cyrb128), kept
// apart from every other generator's and from the engine's: a scenario is a
// function of its name and seed alone.

function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  return [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0];
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(private readonly label: string) {
    [this.a, this.b, this.c, this.d] = cyrb128(label);
    for (let i = 0; i < 12; i++) this.float();
  }

  /** An independent stream for one part of the scenario, so that changing one part leaves the others' draws alone. */
  fork(part: string): Rng {
    return new Rng(`${this.label}/${part}`);
  }

  /** Uniform in [0, 1). */
  float(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Integer in [low, high]. */
  between(low: number, high: number): number {
    return low + Math.floor(this.float() * (high - low + 1));
  }

  uniform(low: number, high: number): number {
    return low + this.float() * (high - low);
  }

  yes(probability: number): boolean {
    return this.float() < probability;
  }

  choose<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('choose from an empty list');
    return items[Math.floor(this.float() * items.length)]!;
  }

  permute<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  /** Poisson count (Knuth below 30, a rounded normal above: exact enough for traffic volumes). */
  count(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let product = this.float();
    let n = 0;
    while (product > limit) {
      n++;
      product *= this.float();
    }
    return n;
  }

  normal(): number {
    const u = Math.max(this.float(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.float());
  }

  /** A value spread ±`spread` (relative) around `centre`, never below 1. */
  near(centre: number, spread = 0.3): number {
    return Math.max(1, Math.round(centre * (1 + spread * (2 * this.float() - 1))));
  }

  hex(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += '0123456789abcdef'[Math.floor(this.float() * 16)];
    return out;
  }

  /** Kubernetes' pod-name suffix alphabet (no vowels, no look-alikes). */
  podSuffix(length: number): string {
    const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.float() * alphabet.length)];
    return out;
  }
}
