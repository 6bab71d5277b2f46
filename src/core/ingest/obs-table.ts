/**
 * Door aggregates: one row per (observer, hour, conversation), where a
 * conversation is the unordered pair of endpoints (lo, hi) plus protocol and
 * lo is the endpoint whose canonical address text sorts first (then the
 * lower port). Counters stay split by direction so later stages can fold a
 * request and its response into one flow and take the maximum, not the sum,
 * across observers that saw the same connection.
 *
 * Columns are typed arrays; an open-addressing index over the key columns
 * finds a row without building key strings, so the hot path allocates nothing.
 */
export interface ObsColumns {
  readonly length: number;
  readonly observer: Uint32Array;
  readonly hour: Int32Array;
  readonly lo: Uint32Array;
  readonly loPort: Int32Array;
  readonly hi: Uint32Array;
  readonly hiPort: Int32Array;
  readonly proto: Uint8Array;
  /** Records whose source was lo / hi. */
  readonly recLH: Uint32Array;
  readonly recHL: Uint32Array;
  readonly pktsLH: Float64Array;
  readonly bytesLH: Float64Array;
  readonly pktsHL: Float64Array;
  readonly bytesHL: Float64Array;
  /** NaN when unknown. */
  readonly firstMs: Float64Array;
  readonly lastMs: Float64Array;
  readonly allowN: Uint32Array;
  readonly denyN: Uint32Array;
  /** Records whose explicit evidence says lo / hi opened the connection. */
  readonly evLo: Uint32Array;
  readonly evHi: Uint32Array;
  /** Strongest explicit reason seen (DirectionReason code), 0 for none. */
  readonly evReason: Uint8Array;
}

type Mutable = { -readonly [K in keyof ObsColumns]: ObsColumns[K] };
type ArrayName = Exclude<keyof ObsColumns, 'length'>;

export const OBS_ARRAY_NAMES: readonly ArrayName[] = [
  'observer', 'hour', 'lo', 'loPort', 'hi', 'hiPort', 'proto', 'recLH', 'recHL', 'pktsLH', 'bytesLH',
  'pktsHL', 'bytesHL', 'firstMs', 'lastMs', 'allowN', 'denyN', 'evLo', 'evHi', 'evReason',
];

function allocate(capacity: number): Mutable {
  return {
    length: 0,
    observer: new Uint32Array(capacity),
    hour: new Int32Array(capacity),
    lo: new Uint32Array(capacity),
    loPort: new Int32Array(capacity),
    hi: new Uint32Array(capacity),
    hiPort: new Int32Array(capacity),
    proto: new Uint8Array(capacity),
    recLH: new Uint32Array(capacity),
    recHL: new Uint32Array(capacity),
    pktsLH: new Float64Array(capacity),
    bytesLH: new Float64Array(capacity),
    pktsHL: new Float64Array(capacity),
    bytesHL: new Float64Array(capacity),
    firstMs: new Float64Array(capacity).fill(Number.NaN),
    lastMs: new Float64Array(capacity).fill(Number.NaN),
    allowN: new Uint32Array(capacity),
    denyN: new Uint32Array(capacity),
    evLo: new Uint32Array(capacity),
    evHi: new Uint32Array(capacity),
    evReason: new Uint8Array(capacity),
  };
}

export class ObsTable {
  private index: Int32Array;
  private c: Mutable;
  private used = 0;

  constructor(private readonly initialCapacity = 1 << 16) {
    this.c = allocate(initialCapacity);
    this.index = newIndex(initialCapacity);
  }

  get size(): number {
    return this.used;
  }

  /** The columns, for accumulating into a slot returned by `slot()`. */
  get columns(): ObsColumns {
    return this.c;
  }

  /** The row for this key, created empty when new. */
  slot(observer: number, hour: number, lo: number, loPort: number, hi: number, hiPort: number, proto: number): number {
    const c = this.c;
    const mask = this.index.length - 1;
    let position = keyHash(observer, hour, lo, loPort, hi, hiPort, proto) & mask;
    for (;;) {
      const slot = this.index[position]!;
      if (slot < 0) break;
      if (
        c.lo[slot] === lo &&
        c.hi[slot] === hi &&
        c.hiPort[slot] === hiPort &&
        c.loPort[slot] === loPort &&
        c.hour[slot] === hour &&
        c.observer[slot] === observer &&
        c.proto[slot] === proto
      ) {
        return slot;
      }
      position = (position + 1) & mask;
    }
    if (this.used >= c.observer.length) {
      this.grow();
      return this.slot(observer, hour, lo, loPort, hi, hiPort, proto);
    }
    const slot = this.used++;
    c.observer[slot] = observer;
    c.hour[slot] = hour;
    c.lo[slot] = lo;
    c.loPort[slot] = loPort;
    c.hi[slot] = hi;
    c.hiPort[slot] = hiPort;
    c.proto[slot] = proto;
    this.index[position] = slot;
    return slot;
  }

  /** Adds another table's row (already in this table's ids) into this one. */
  mergeRow(from: ObsColumns, row: number, observer: number, lo: number, hi: number): void {
    const slot = this.slot(observer, from.hour[row]!, lo, from.loPort[row]!, hi, from.hiPort[row]!, from.proto[row]!);
    const c = this.c;
    c.recLH[slot]! += from.recLH[row]!;
    c.recHL[slot]! += from.recHL[row]!;
    c.pktsLH[slot]! += from.pktsLH[row]!;
    c.bytesLH[slot]! += from.bytesLH[row]!;
    c.pktsHL[slot]! += from.pktsHL[row]!;
    c.bytesHL[slot]! += from.bytesHL[row]!;
    const first = from.firstMs[row]!;
    const last = from.lastMs[row]!;
    if (!(c.firstMs[slot]! <= first)) c.firstMs[slot] = first === first ? first : c.firstMs[slot]!;
    if (!(c.lastMs[slot]! >= last)) c.lastMs[slot] = last === last ? last : c.lastMs[slot]!;
    c.allowN[slot]! += from.allowN[row]!;
    c.denyN[slot]! += from.denyN[row]!;
    c.evLo[slot]! += from.evLo[row]!;
    c.evHi[slot]! += from.evHi[row]!;
    const reason = from.evReason[row]!;
    if (reason !== 0 && (c.evReason[slot] === 0 || reason < c.evReason[slot]!)) c.evReason[slot] = reason;
  }

  /** Hands over every row (trimmed copies) and starts empty. */
  drain(): ObsColumns {
    const length = this.used;
    const out = { length } as Mutable;
    for (const name of OBS_ARRAY_NAMES) (out as Record<ArrayName, ArrayLike<number>>)[name] = this.c[name].slice(0, length);
    this.c = allocate(this.initialCapacity);
    this.index = newIndex(this.initialCapacity);
    this.used = 0;
    return out;
  }

  private grow(): void {
    const size = this.c.observer.length * 2;
    const bigger = allocate(size);
    for (const name of OBS_ARRAY_NAMES) (bigger[name] as Uint32Array).set(this.c[name] as Uint32Array);
    this.c = bigger;
    this.index = newIndex(size);
    const mask = this.index.length - 1;
    for (let slot = 0; slot < this.used; slot++) {
      const c = this.c;
      let position = keyHash(c.observer[slot]!, c.hour[slot]!, c.lo[slot]!, c.loPort[slot]!, c.hi[slot]!, c.hiPort[slot]!, c.proto[slot]!) & mask;
      while (this.index[position]! >= 0) position = (position + 1) & mask;
      this.index[position] = slot;
    }
  }
}

/** Twice the slots, rounded up to a power of two: probes stay short at a load factor of at most 1/2. */
function newIndex(capacity: number): Int32Array {
  let size = 1;
  while (size < capacity * 2) size <<= 1;
  return new Int32Array(size).fill(-1);
}

function keyHash(observer: number, hour: number, lo: number, loPort: number, hi: number, hiPort: number, proto: number): number {
  let h = Math.imul(lo ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ hi ^ (h >>> 15), 0xc2b2ae35);
  h = Math.imul(h ^ (loPort + 1) ^ ((hiPort + 1) << 16), 0x27d4eb2f);
  h = Math.imul(h ^ hour ^ (h >>> 13), 0x165667b1);
  h = Math.imul(h ^ observer ^ (proto << 24), 0x9e3779b1);
  return (h ^ (h >>> 16)) >>> 0;
}
