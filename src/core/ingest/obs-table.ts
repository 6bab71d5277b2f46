/**
 * Door aggregates: one row per (observer, hour, conversation), where a
 * conversation is the unordered pair of endpoints (lo, hi) plus protocol and
 * lo is the endpoint whose canonical address text sorts first (then the
 * lower port). Counters stay split by direction so later stages can fold a
 * request and its response into one flow and take the maximum, not the sum,
 * across observers that saw the same connection.
 *
 * Rows live in one Float64Array, OBS_STRIDE numbers each (all values are
 * integers below 2^53 or times in ms, exact in a double): an update touches
 * two or three cache lines instead of one per column, and a batch moves
 * between threads as a single transferable buffer. An open-addressing index
 * over the key finds a row without building key strings.
 */
export const OBS = {
  observer: 0,
  hour: 1,
  lo: 2,
  loPort: 3,
  hi: 4,
  hiPort: 5,
  proto: 6,
  /** Records whose source was lo / hi. */
  recLH: 7,
  recHL: 8,
  pktsLH: 9,
  bytesLH: 10,
  pktsHL: 11,
  bytesHL: 12,
  /** NaN when unknown. */
  firstMs: 13,
  lastMs: 14,
  allowN: 15,
  denyN: 16,
  /** Records whose explicit evidence says lo / hi opened the connection. */
  evLo: 17,
  evHi: 18,
  /** The strongest reason (lowest DirectionReason code) behind evLo / evHi, 0 for none. */
  evLoReason: 19,
  evHiReason: 20,
} as const;
export const OBS_STRIDE = 21;
export type ObsField = keyof typeof OBS;

/** Rows as handed between threads and to the store. */
export interface ObsRows {
  readonly length: number;
  readonly data: Float64Array;
}

/** Rows per storage segment: growth adds segments and never copies rows. */
const SEGMENT_BITS = 16;
const SEGMENT_ROWS = 1 << SEGMENT_BITS;
const SEGMENT_MASK = SEGMENT_ROWS - 1;

export class ObsTable {
  private index: Int32Array;
  private segments: Float64Array[] = [];
  private used = 0;
  /** Segments kept by reset(): their rows hold old values until made again. */
  private reusedSegments = 0;

  /** `expectedRows` sizes the index up front; past it the index is rebuilt at twice the size. */
  constructor(private readonly expectedRows = 1 << 16) {
    this.index = newIndex(expectedRows);
  }

  get size(): number {
    return this.used;
  }

  /** The segment holding `slot`; its row starts at `(slot & 0xffff) * OBS_STRIDE`. */
  segment(slot: number): Float64Array {
    return this.segments[slot >>> SEGMENT_BITS]!;
  }

  /** The row for this key, created empty when new. */
  slot(observer: number, hour: number, lo: number, loPort: number, hi: number, hiPort: number, proto: number): number {
    const mask = this.index.length - 1;
    let position = keyHash(observer, hour, lo, loPort, hi, hiPort, proto) & mask;
    for (;;) {
      const slot = this.index[position]!;
      if (slot < 0) break;
      const d = this.segments[slot >>> SEGMENT_BITS]!;
      const base = (slot & SEGMENT_MASK) * OBS_STRIDE;
      if (
        d[base + 2] === lo &&
        d[base + 4] === hi &&
        d[base + 5] === hiPort &&
        d[base + 3] === loPort &&
        d[base + 1] === hour &&
        d[base] === observer &&
        d[base + 6] === proto
      ) {
        return slot;
      }
      position = (position + 1) & mask;
    }
    if (this.used * 2 >= this.index.length) {
      this.rebuildIndex(this.index.length * 2);
      return this.slot(observer, hour, lo, loPort, hi, hiPort, proto);
    }
    const slot = this.used++;
    const segment = slot >>> SEGMENT_BITS;
    if (segment === this.segments.length) this.segments.push(new Float64Array(SEGMENT_ROWS * OBS_STRIDE));
    const d = this.segments[segment]!;
    const base = (slot & SEGMENT_MASK) * OBS_STRIDE;
    if (segment < this.reusedSegments) d.fill(0, base, base + OBS_STRIDE);
    d[base] = observer;
    d[base + 1] = hour;
    d[base + 2] = lo;
    d[base + 3] = loPort;
    d[base + 4] = hi;
    d[base + 5] = hiPort;
    d[base + 6] = proto;
    d[base + OBS.firstMs] = Number.NaN;
    d[base + OBS.lastMs] = Number.NaN;
    this.index[position] = slot;
    return slot;
  }

  /**
   * Adds row `row` of compact columns (global ids) into this table: the
   * per-direction counts added, the rest as combineSharedFields combines it
   * (the same rules, read from columns rather than the obs layout).
   */
  mergeColumnsRow(c: ObsColumns, row: number): void {
    const slot = this.slot(c.observer[row]!, c.hour[row]!, c.lo[row]!, c.loPort[row]!, c.hi[row]!, c.hiPort[row]!, c.proto[row]!);
    const d = this.segments[slot >>> SEGMENT_BITS]!;
    const t = (slot & SEGMENT_MASK) * OBS_STRIDE;
    d[t + OBS.recLH]! += c.recLH[row]!;
    d[t + OBS.recHL]! += c.recHL[row]!;
    d[t + OBS.pktsLH]! += c.pktsLH[row]!;
    d[t + OBS.bytesLH]! += c.bytesLH[row]!;
    d[t + OBS.pktsHL]! += c.pktsHL[row]!;
    d[t + OBS.bytesHL]! += c.bytesHL[row]!;
    const first = c.firstMs[row]!;
    const last = c.lastMs[row]!;
    if (first === first && !(d[t + OBS.firstMs]! <= first)) d[t + OBS.firstMs] = first;
    if (last === last && !(d[t + OBS.lastMs]! >= last)) d[t + OBS.lastMs] = last;
    d[t + OBS.allowN]! += c.allowN[row]!;
    d[t + OBS.denyN]! += c.denyN[row]!;
    d[t + OBS.evLo]! += c.evLo[row]!;
    d[t + OBS.evHi]! += c.evHi[row]!;
    strongestReason(d, t + OBS.evLoReason, c.evLoReason[row]!);
    strongestReason(d, t + OBS.evHiReason, c.evHiReason[row]!);
  }

  /** Visits every row in slot order: `data[base + OBS.field]`. */
  forEachRow(visit: (data: Float64Array, base: number) => void): void {
    for (let slot = 0; slot < this.used; slot++) visit(this.segments[slot >>> SEGMENT_BITS]!, (slot & SEGMENT_MASK) * OBS_STRIDE);
  }

  /** Forgets every row without copying them anywhere. */
  clear(): void {
    this.segments = [];
    this.reusedSegments = 0;
    this.index = newIndex(this.expectedRows);
    this.used = 0;
  }

  /**
   * Forgets every row but keeps the storage for the next rows: a thread
   * that folds day after day then allocates its tables once, rather than
   * leave a day's worth of freed blocks behind in its allocator each time.
   */
  reset(expectedRows: number): void {
    this.reusedSegments = this.segments.length;
    const size = newIndexSize(expectedRows);
    if (this.index.length === size) this.index.fill(-1);
    else this.index = newIndex(expectedRows);
    this.used = 0;
  }

  /**
   * Hands over every row without copying: its storage segments, each with
   * the rows it holds (a segment's array may be longer), and starts empty.
   */
  takeSegments(): ObsRows[] {
    const taken = this.usedSegments().map((data, i) => ({ length: Math.min(SEGMENT_ROWS, this.used - i * SEGMENT_ROWS), data }));
    this.clear();
    return taken;
  }

  /** The segments holding rows (after a reset, spare ones may follow). */
  private usedSegments(): Float64Array[] {
    return this.segments.slice(0, Math.ceil(this.used / SEGMENT_ROWS));
  }

  private rebuildIndex(size: number): void {
    const index = new Int32Array(size).fill(-1);
    const mask = size - 1;
    for (let slot = 0; slot < this.used; slot++) {
      const d = this.segments[slot >>> SEGMENT_BITS]!;
      const base = (slot & SEGMENT_MASK) * OBS_STRIDE;
      let position = keyHash(d[base]!, d[base + 1]!, d[base + 2]!, d[base + 3]!, d[base + 4]!, d[base + 5]!, d[base + 6]!) & mask;
      while (index[position]! >= 0) position = (position + 1) & mask;
      index[position] = slot;
    }
    this.index = index;
  }
}

/**
 * The fields that combine the same way whether rows of one observer are
 * added or rows of several observers are folded: the earliest first time,
 * the latest last time, allow/deny and evidence counts added, the strongest
 * (lowest non-zero) reason.
 */
export function combineSharedFields(target: Float64Array, t: number, source: Float64Array, f: number): void {
  const first = source[f + OBS.firstMs]!;
  const last = source[f + OBS.lastMs]!;
  if (first === first && !(target[t + OBS.firstMs]! <= first)) target[t + OBS.firstMs] = first;
  if (last === last && !(target[t + OBS.lastMs]! >= last)) target[t + OBS.lastMs] = last;
  for (let k = OBS.allowN; k <= OBS.evHi; k++) target[t + k]! += source[f + k]!;
  strongestReason(target, t + OBS.evLoReason, source[f + OBS.evLoReason]!);
  strongestReason(target, t + OBS.evHiReason, source[f + OBS.evHiReason]!);
}

/** Keeps the stronger (lower, non-zero) of the reason at `at` and `reason`. */
export function strongestReason(target: Float64Array, at: number, reason: number): void {
  if (reason !== 0 && (target[at] === 0 || reason < target[at]!)) target[at] = reason;
}

/** The value of `field` in row `row`. */
export function obsValue(rows: ObsRows, row: number, field: ObsField): number {
  return rows.data[row * OBS_STRIDE + OBS[field]]!;
}

/** One typed array per field, in the types of their columns in DuckDB's obs table (store/tables.ts). */
export interface ObsColumns {
  readonly observer: Uint32Array;
  readonly hour: Int32Array;
  readonly lo: Uint32Array;
  readonly loPort: Int32Array;
  readonly hi: Uint32Array;
  readonly hiPort: Int32Array;
  readonly proto: Uint8Array;
  readonly recLH: Uint32Array;
  readonly recHL: Uint32Array;
  readonly pktsLH: Float64Array;
  readonly bytesLH: Float64Array;
  readonly pktsHL: Float64Array;
  readonly bytesHL: Float64Array;
  readonly firstMs: Float64Array;
  readonly lastMs: Float64Array;
  readonly allowN: Uint32Array;
  readonly denyN: Uint32Array;
  readonly evLo: Uint32Array;
  readonly evHi: Uint32Array;
  readonly evLoReason: Uint8Array;
  readonly evHiReason: Uint8Array;
}

/** Twice the slots, rounded up to a power of two: probes stay short at a load factor of at most 1/2. */
function newIndexSize(capacity: number): number {
  let size = 1;
  while (size < capacity * 2) size <<= 1;
  return size;
}

function newIndex(capacity: number): Int32Array {
  return new Int32Array(newIndexSize(capacity)).fill(-1);
}

function keyHash(observer: number, hour: number, lo: number, loPort: number, hi: number, hiPort: number, proto: number): number {
  let h = Math.imul(lo ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ hi ^ (h >>> 15), 0xc2b2ae35);
  h = Math.imul(h ^ (loPort + 1) ^ ((hiPort + 1) << 16), 0x27d4eb2f);
  h = Math.imul(h ^ hour ^ (h >>> 13), 0x165667b1);
  h = Math.imul(h ^ observer ^ (proto << 24), 0x9e3779b1);
  return (h ^ (h >>> 16)) >>> 0;
}
