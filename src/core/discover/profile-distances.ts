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
  /** Per profile: the squared length of its optional blocks (labels), 0 when it has none. */
  private readonly optionalSquares: Float64Array;
  /** Per profile: its first strict slot at full information (see pairDistance()), or −1. */
  private readonly fullSlot: Int8Array;
  /**
   * Scratch of one row, all zero between rows: the dot products with the
   * row's profile, in all and per strict slot; which profiles share a
   * feature with it (marked), listed in `touched` (scatter()).
   */
  private readonly dots: Float64Array;
  private readonly blockDots: Float64Array[];
  private readonly marked: Uint8Array;
  private readonly touched: Int32Array;

  constructor(private readonly profiles: HostFeatures) {
    this.size = profiles.norms.length;
    const featureCount = profiles.features.length;
    const slots = profiles.strictKinds.length;
    this.slotOfFeature = Int8Array.from(profiles.features, (feature) => profiles.strictKinds.indexOf(feature.kind));
    this.fullBlock = Float64Array.from(profiles.strictKinds, (kind) => profiles.kindWeight[kind]);
    this.dots = new Float64Array(this.size);
    this.blockDots = profiles.strictKinds.map(() => new Float64Array(this.size));
    this.marked = new Uint8Array(this.size);
    this.touched = new Int32Array(this.size);
    this.blockNorms = new Float64Array(this.size * slots);
    for (let p = 0; p < this.size; p++) {
      for (let k = profiles.featureStart[p]!; k < profiles.featureStart[p + 1]!; k++) {
        const slot = this.slotOfFeature[profiles.featureIds[k]!]!;
        if (slot >= 0) this.blockNorms[p * slots + slot]! += profiles.featureWeights[k]! ** 2;
      }
    }
    for (let k = 0; k < this.blockNorms.length; k++) this.blockNorms[k] = Math.sqrt(this.blockNorms[k]!);
    this.fullSlot = new Int8Array(this.size).fill(-1);
    for (let p = 0; p < this.size; p++) {
      for (let slot = slots - 1; slot >= 0; slot--) {
        if (Math.min(1, this.blockNorms[p * slots + slot]! / this.fullBlock[slot]!) === 1) this.fullSlot[p] = slot;
      }
    }
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
   *
   * Only the profiles that share a feature with i are worked out: for any
   * other, every measure is exactly 1 (a dot product of 0 is a cosine
   * distance of 1, a block one side lacks is 1 or left to the cosine, and
   * no strict block lies beyond 1), which is what the arithmetic of
   * pairDistance() gives for a dot product of 0 anyway.
   */
  row(i: number, out: Float64Array, from = 0, measure: 'profile' | 'plain' | FeatureKind = 'profile'): void {
    this.distancesFrom(i, from, measure, out, 0);
  }

  /**
   * The 'profile' distance of one pair, from their two feature lists
   * (both ascending), without a row: what row() gives for it, the products
   * summed over i's features in the same ascending order. For a few pairs
   * among many profiles (replica sets parted by the spread of calls), where
   * a row would cost the whole estate.
   */
  pair(i: number, j: number): number {
    if (i === j) return 0;
    const { featureStart, featureIds, featureWeights } = this.profiles;
    let a = featureStart[i]!;
    let b = featureStart[j]!;
    const aEnd = featureStart[i + 1]!;
    const bEnd = featureStart[j + 1]!;
    while (a < aEnd && b < bEnd) {
      const feature = featureIds[a]!;
      const other = featureIds[b]!;
      if (feature < other) a++;
      else if (other < feature) b++;
      else {
        const weight = featureWeights[a]!;
        // As addProducts(): a feature every host has weighs 0 and adds nothing.
        if (weight !== 0) {
          const product = weight * featureWeights[b]!;
          this.dots[j]! += product;
          const slot = this.slotOfFeature[feature]!;
          if (slot >= 0) this.blockDots[slot]![j]! += product;
        }
        a++;
        b++;
      }
    }
    const distance = this.pairDistance(i, j, 'profile', -1);
    this.dots[j] = 0;
    for (const slotDots of this.blockDots) slotDots[j] = 0;
    return distance;
  }

  /**
   * Distances from profile i to profiles [from, size) into out[shift + j].
   * A row whose features reach few profiles is worked out pair by pair
   * over those (scatter); one that reaches many, as rows of whole
   * profiles do (ports every other host also uses), is summed densely,
   * which costs less than keeping the list. Both add the same products in
   * the same order: the same doubles.
   */
  private distancesFrom(i: number, from: number, measure: 'profile' | 'plain' | FeatureKind, out: Float64Array, shift: number): void {
    const blockSlot = this.blockSlotOf(measure);
    if (this.reach(i, from) * SPARSE_ROW_SHARE < this.size - from) {
      const count = this.scatter(i, from);
      out.fill(1, shift + from, shift + this.size);
      if (i >= from) out[shift + i] = 0;
      for (let t = 0; t < count; t++) {
        const j = this.touched[t]!;
        out[shift + j] = this.pairDistance(i, j, measure, blockSlot);
      }
      this.clearScatter(count);
      return;
    }
    this.accumulate(i, from);
    // Nothing shared (no dot product) or nothing of i's full strict block shared: exactly 1, as pairDistance() would find.
    const fullSlot = measure === 'profile' ? this.fullSlot[i]! : -1;
    const shared = fullSlot >= 0 ? this.blockDots[fullSlot]! : this.dots;
    for (let j = from; j < this.size; j++) {
      out[shift + j] = shared[j] === 0 && j !== i ? 1 : this.pairDistance(i, j, measure, blockSlot);
    }
    const dots = this.dots;
    dots.fill(0, from, this.size);
    for (const slotDots of this.blockDots) slotDots.fill(0, from, this.size);
  }

  /** How many postings (profiles ≥ from) the weighted features of profile i reach: at least the profiles it shares a feature with. */
  private reach(i: number, from: number): number {
    const { featureStart, featureIds, featureWeights } = this.profiles;
    let total = 0;
    for (let k = featureStart[i]!; k < featureStart[i + 1]!; k++) {
      if (featureWeights[k]! === 0) continue;
      const feature = featureIds[k]!;
      const end = this.postingStart[feature + 1]!;
      total += end - firstAtLeast(this.postings, this.postingStart[feature]!, end, from);
    }
    return total;
  }

  private blockSlotOf(measure: 'profile' | 'plain' | FeatureKind): number {
    return measure === 'profile' || measure === 'plain' ? -1 : this.profiles.strictKinds.indexOf(measure);
  }

  /**
   * Dot products of profile i with every profile ≥ from that shares a
   * feature with it, into dots and blockDots, each sum over i's features
   * in ascending order; those profiles are listed in `touched` (their
   * number returned). clearScatter() sets the scratch back to zero.
   */
  private scatter(i: number, from: number): number {
    return this.addProducts(i, from, true);
  }

  /** scatter() without the list of profiles touched, for rows that reach most of them; the caller zeroes the scratch. */
  private accumulate(i: number, from: number): void {
    this.addProducts(i, from, false);
  }

  private addProducts(i: number, from: number, list: boolean): number {
    const { featureStart, featureIds, featureWeights } = this.profiles;
    const { dots, marked, touched, postings, postingWeights } = this;
    let count = 0;
    for (let k = featureStart[i]!; k < featureStart[i + 1]!; k++) {
      const weight = featureWeights[k]!;
      // A feature every host has weighs 0 and cannot change a dot product.
      if (weight === 0) continue;
      const feature = featureIds[k]!;
      const end = this.postingStart[feature + 1]!;
      const start = firstAtLeast(postings, this.postingStart[feature]!, end, from);
      if (list) {
        for (let at = start; at < end; at++) {
          const j = postings[at]!;
          if (marked[j] === 0) {
            marked[j] = 1;
            touched[count++] = j;
          }
        }
      }
      for (let at = start; at < end; at++) dots[postings[at]!]! += weight * postingWeights[at]!;
      const slot = this.slotOfFeature[feature]!;
      if (slot < 0) continue;
      const blockDots = this.blockDots[slot]!;
      for (let at = start; at < end; at++) blockDots[postings[at]!]! += weight * postingWeights[at]!;
    }
    return count;
  }

  private clearScatter(count: number): void {
    const { dots, marked, touched, blockDots } = this;
    for (let t = 0; t < count; t++) {
      const j = touched[t]!;
      marked[j] = 0;
      dots[j] = 0;
      for (const slotDots of blockDots) slotDots[j] = 0;
    }
  }

  /** The distance of a pair after scatter(i, …) reached j. */
  private pairDistance(i: number, j: number, measure: 'profile' | 'plain' | FeatureKind, blockSlot: number): number {
    const norms = this.profiles.norms;
    const normI = norms[i]!;
    // A block one side lacks altogether (no labels) is left out of the other side's length too.
    const optionalI = this.optionalSquares[i]!;
    const optionalJ = this.optionalSquares[j]!;
    if (measure === 'profile' && j !== i) {
      // A strict block at full information on either side that the pair
      // shares nothing of puts it at exactly 1 (strictDistance() gives
      // (1 − 0) × 1 for it, and nothing lies beyond 1): most pairs of
      // whole profiles, settled without the rest of the arithmetic.
      const slot = this.fullSlot[i]! >= 0 ? this.fullSlot[i]! : this.fullSlot[j]!;
      if (slot >= 0 && this.blockDots[slot]![j] === 0) return 1;
    }
    const scale =
      (optionalI > 0) === (optionalJ > 0) ? normI * norms[j]! : Math.sqrt(Math.max(0, normI * normI - optionalI) * Math.max(0, norms[j]! ** 2 - optionalJ));
    let distance = j === i ? 0 : scale === 0 ? 1 : 1 - this.dots[j]! / scale;
    if (j !== i && measure === 'profile') distance = Math.max(distance, this.strictDistance(i, j));
    else if (j !== i && blockSlot >= 0) distance = this.blockDistance(i, j, blockSlot) ?? distance;
    return distance < 0 ? 0 : distance > 1 ? 1 : distance;
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
   * hierarchical clustering consumes. With `into` (at least that long), it
   * is written over the start of it, so that rounds of clustering can reuse
   * one matrix's memory instead of allocating 400 MB each at 10,000
   * profiles.
   */
  condensed(control: { readonly signal?: AbortSignal; readonly onProgress?: (fraction: number) => void; readonly into?: Float64Array } = {}): Float64Array {
    const n = this.size;
    const length = (n * (n - 1)) / 2;
    const condensed = control.into !== undefined && control.into.length >= length ? control.into.subarray(0, length) : new Float64Array(length);
    const step = Math.max(1, Math.floor(n / 100));
    let offset = 0;
    for (let i = 0; i < n - 1; i++) {
      if (i % step === 0) {
        control.signal?.throwIfAborted();
        // Rows shrink as i grows: report the share of pairs done.
        control.onProgress?.(offset / Math.max(1, condensed.length));
      }
      // The pair (i, j) sits at offset + j − i − 1.
      this.distancesFrom(i, i + 1, 'profile', condensed, offset - i - 1);
      offset += n - i - 1;
    }
    return condensed;
  }
}

/** A row is worked out pair by pair while its features reach fewer than 1/SPARSE_ROW_SHARE of the profiles it covers. */
const SPARSE_ROW_SHARE = 4;

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
