import type { FeatureKind } from './host-features';

/**
 * Traffic shares: how much of a host's connections, in one kind of feature
 * (what it serves to whom, what it uses of whom), each of its features
 * carries. A profile weighted by the square roots of these shares compares
 * hosts by how they spend their work: with equal IDF weights, the cosine
 * of two such profiles is the Bhattacharyya coefficient of the two hosts'
 * spreads of traffic. Replica sets ask for it (call-spread.ts): replicas
 * call the same peers in about the same proportions.
 *
 * Shares are rounded to steps (HOST_FEATURE_DEFAULTS.shareStepsPerOctave),
 * so replicas whose load differs by chance (a share of 0.30 and one of
 * 0.34) usually keep one profile.
 */

/** Kinds that describe traffic; labels and address blocks carry no connections. */
const TRAFFIC_KINDS: ReadonlySet<FeatureKind> = new Set(['serves', 'servesTo', 'uses', 'usesOn', 'servesGroup', 'usesGroup']);

export class HostTraffic {
  private readonly kinds: ReadonlySet<FeatureKind>;
  private readonly byFeature: Map<string, number>[];
  private readonly byKind: Map<FeatureKind, number>[];

  /** Shares of `kinds` (those of them that describe traffic), rounded to 1/`stepsPerOctave` of an octave. */
  constructor(hostCount: number, kinds: readonly FeatureKind[], private readonly stepsPerOctave: number) {
    this.kinds = new Set(kinds.filter((kind) => TRAFFIC_KINDS.has(kind)));
    this.byFeature = Array.from({ length: hostCount }, () => new Map<string, number>());
    this.byKind = Array.from({ length: hostCount }, () => new Map<FeatureKind, number>());
  }

  /** Counts `connections` for `host`'s feature `name` of `kind` (once per edge and feature). */
  add(host: number, kind: FeatureKind, name: string, connections: number): void {
    if (!this.kinds.has(kind)) return;
    const features = this.byFeature[host]!;
    features.set(name, (features.get(name) ?? 0) + connections);
    const kinds = this.byKind[host]!;
    kinds.set(kind, (kinds.get(kind) ?? 0) + connections);
  }

  /**
   * The feature's share of its host's connections in its kind, in steps
   * (at two steps an octave: 0 for the whole, −2 for a half, …); 0 for
   * kinds not weighed by traffic and features that carried none.
   */
  shareStep(host: number, name: string, kind: FeatureKind): number {
    const total = this.byKind[host]!.get(kind) ?? 0;
    const own = this.byFeature[host]!.get(name) ?? 0;
    if (!this.kinds.has(kind) || total <= 0 || own <= 0) return 0;
    // Steps are stored as Int8: a share below 2^(−127 / stepsPerOctave) counts as that.
    const step = Math.max(-127, Math.round(this.stepsPerOctave * Math.log2(own / total)));
    // Math.round gives −0 for a share just under 1.
    return step === 0 ? 0 : step;
  }

  /** The weight factor of a share step: the square root of the share it stands for. */
  multiplier(step: number): number {
    return 2 ** (step / (2 * this.stepsPerOctave));
  }
}
