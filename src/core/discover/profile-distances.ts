import type { FeatureKind, HostFeatures } from './host-features';

/**
 * Cosine distances between host profiles (1 − cosine similarity of their
 * IDF-weighted feature vectors: 0 for the same behaviour, 1 for nothing in
 * common). Profiles are sparse, so dot products accumulate through an
 * inverted index (feature → profiles) rather than over every pair of
 * features: a row costs the sum of its features' posting lengths.
 */
export class ProfileDistances {
  readonly size: number;
  private readonly postingStart: Int32Array;
  private readonly postings: Int32Array;
  private readonly postingWeights: Float64Array;
  /** Per feature: its strict block's slot, or −1. */
  private readonly slotOfFeature: Int8Array;
  /** Per profile and strict slot (profile × slots + slot): the block's length. */
  private readonly blockNorms: Float64Array;
  /** Per strict slot: the block's weight at full information. */
  private readonly fullBlock: Float64Array;
  /** Per strict slot: dot products of the current row. */
  private readonly blockDots: Float64Array[];
  /** Per profile: the squared length of its optional blocks (labels), 0 when it has none. */
  private readonly optionalSquares: Float64Array;

  constructor(private readonly profiles: HostFeatures) {
    this.size = profiles.norms.length;
    const featureCount = profiles.features.length;
    const slots = profiles.strictKinds.length;
    this.slotOfFeature = Int8Array.from(profiles.features, (feature) => profiles.strictKinds.indexOf(feature.kind));
    this.fullBlock = Float64Array.from(profiles.strictKinds, (kind) => profiles.kindWeight[kind]);
    this.blockDots = profiles.strictKinds.map(() => new Float64Array(this.size));
    this.blockNorms = new Float64Array(this.size * slots);
    for (let p = 0; p < this.size; p++) {
      for (let k = profiles.featureStart[p]!; k < profiles.featureStart[p + 1]!; k++) {
        const slot = this.slotOfFeature[profiles.featureIds[k]!]!;
        if (slot >= 0) this.blockNorms[p * slots + slot]! += profiles.featureWeights[k]! ** 2;
      }
    }
    for (let k = 0; k < this.blockNorms.length; k++) this.blockNorms[k] = Math.sqrt(this.blockNorms[k]!);
    this.optionalSquares = new Float64Array(this.size);
    const optional = profiles.features.map((feature) => profiles.optionalKinds.includes(feature.kind));
    for (let p = 0; p < this.size; p++) {
      for (let k = profiles.featureStart[p]!; k < profiles.featureStart[p + 1]!; k++) {
        if (optional[profiles.featureIds[k]!]) this.optionalSquares[p]! += profiles.featureWeights[k]! ** 2;
      }
    }
    this.postingStart = new Int32Array(featureCount + 1);
    for (const id of profiles.featureIds) this.postingStart[id + 1]!++;
    for (let f = 0; f < featureCount; f++) this.postingStart[f + 1]! += this.postingStart[f]!;
    const next = this.postingStart.slice(0, featureCount);
    this.postings = new Int32Array(profiles.featureIds.length);
    this.postingWeights = new Float64Array(profiles.featureIds.length);
    // Profiles in ascending order, so each posting list is sorted.
    for (let p = 0; p < this.size; p++) {
      for (let k = profiles.featureStart[p]!; k < profiles.featureStart[p + 1]!; k++) {
        const at = next[profiles.featureIds[k]!]!++;
        this.postings[at] = p;
        this.postingWeights[at] = profiles.featureWeights[k]!;
      }
    }
  }

  /**
   * Distances from profile `i` to profiles [from, size) into out[from..size).
   * The sum runs over shared features in ascending order and multiplication
   * commutes, so d(i, j) computed from either side is the same double.
   * Measures: 'profile' (the cosine distance, floored by the strict
   * blocks), 'plain' (the cosine distance alone), or a strict kind's name
   * (the cosine distance within that block alone; the plain distance for
   * two profiles that both lack it).
   */
  row(i: number, out: Float64Array, from = 0, measure: 'profile' | 'plain' | FeatureKind = 'profile'): void {
    const { featureStart, featureIds, featureWeights, norms } = this.profiles;
    out.fill(0, from, this.size);
    for (const dots of this.blockDots) dots.fill(0, from, this.size);
    for (let k = featureStart[i]!; k < featureStart[i + 1]!; k++) {
      const weight = featureWeights[k]!;
      // A feature every host has weighs 0 and cannot change a dot product.
      if (weight === 0) continue;
      const feature = featureIds[k]!;
      const end = this.postingStart[feature + 1]!;
      const start = firstAtLeast(this.postings, this.postingStart[feature]!, end, from);
      for (let at = start; at < end; at++) {
        out[this.postings[at]!]! += weight * this.postingWeights[at]!;
      }
      const slot = this.slotOfFeature[feature]!;
      if (slot < 0) continue;
      const dots = this.blockDots[slot]!;
      for (let at = start; at < end; at++) dots[this.postings[at]!]! += weight * this.postingWeights[at]!;
    }
    const normI = norms[i]!;
    const blockSlot = measure === 'profile' || measure === 'plain' ? -1 : this.profiles.strictKinds.indexOf(measure);
    for (let j = from; j < this.size; j++) {
      // A block one side lacks altogether (no labels) is left out of the other side's length too.
      const optionalI = this.optionalSquares[i]!;
      const optionalJ = this.optionalSquares[j]!;
      const scale =
        (optionalI > 0) === (optionalJ > 0) ? normI * norms[j]! : Math.sqrt(Math.max(0, normI * normI - optionalI) * Math.max(0, norms[j]! ** 2 - optionalJ));
      let distance = j === i ? 0 : scale === 0 ? 1 : 1 - out[j]! / scale;
      if (j !== i && measure === 'profile') distance = Math.max(distance, this.strictDistance(i, j));
      else if (j !== i && blockSlot >= 0) distance = this.blockDistance(i, j, blockSlot) ?? distance;
      out[j] = distance < 0 ? 0 : distance > 1 ? 1 : distance;
    }
  }

  /**
   * The largest distance within one strict block, each scaled by how much
   * that block says (its longer side against a block at full information):
   * two hosts with disjoint clients are apart, while a block that only
   * holds what every host does (DNS) cannot push anything apart.
   */
  private blockDistance(i: number, j: number, slot: number): number | null {
    const slots = this.fullBlock.length;
    const a = this.blockNorms[i * slots + slot]!;
    const b = this.blockNorms[j * slots + slot]!;
    if (a === 0 && b === 0) return null;
    return a === 0 || b === 0 ? 1 : 1 - this.blockDots[slot]![j]! / (a * b);
  }

  private strictDistance(i: number, j: number): number {
    const slots = this.fullBlock.length;
    let largest = 0;
    for (let slot = 0; slot < slots; slot++) {
      const a = this.blockNorms[i * slots + slot]!;
      const b = this.blockNorms[j * slots + slot]!;
      const longer = Math.max(a, b);
      if (longer === 0) continue;
      const cosine = a === 0 || b === 0 ? 0 : this.blockDots[slot]![j]! / (a * b);
      const distance = (1 - cosine) * Math.min(1, longer / this.fullBlock[slot]!);
      if (distance > largest) largest = distance;
    }
    return largest;
  }

  /**
   * The condensed upper triangle (row-major, i < j; n(n−1)/2 doubles) that
   * hierarchical clustering consumes.
   */
  condensed(control: { readonly signal?: AbortSignal; readonly onProgress?: (fraction: number) => void } = {}): Float64Array {
    const n = this.size;
    const condensed = new Float64Array((n * (n - 1)) / 2);
    const row = new Float64Array(n);
    const step = Math.max(1, Math.floor(n / 100));
    let offset = 0;
    for (let i = 0; i < n - 1; i++) {
      if (i % step === 0) {
        control.signal?.throwIfAborted();
        // Rows shrink as i grows: report the share of pairs done.
        control.onProgress?.(offset / Math.max(1, condensed.length));
      }
      this.row(i, row, i + 1);
      condensed.set(row.subarray(i + 1, n), offset);
      offset += n - i - 1;
    }
    return condensed;
  }
}

/** The first position in sorted[from, to) holding a value ≥ min. */
function firstAtLeast(sorted: Int32Array, from: number, to: number, min: number): number {
  if (min <= 0 || from >= to || sorted[from]! >= min) return from;
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < min) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
