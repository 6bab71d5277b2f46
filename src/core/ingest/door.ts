import { Action, Hint, type FlowRecord } from '../flow/record';
import type { InternTable } from './interning';

export const MS_PER_HOUR = 3_600_000;
/** Hour of records that carry no time. */
export const HOUR_UNKNOWN = -2147483648;

/**
 * One row per (observer, hour, conversation). A conversation is the unordered
 * pair of endpoints (lo, hi) plus protocol, where lo is the endpoint with the
 * smaller (host id, port). Counters stay split by direction so that later
 * stages can fold request/response records into one flow and take the
 * maximum, not the sum, across observers that saw the same connection.
 */
export interface ObsBatch {
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

type Columns = { -readonly [K in keyof ObsBatch]: ObsBatch[K] };

function allocate(capacity: number): Columns {
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
    firstMs: new Float64Array(capacity),
    lastMs: new Float64Array(capacity),
    allowN: new Uint32Array(capacity),
    denyN: new Uint32Array(capacity),
    evLo: new Uint32Array(capacity),
    evHi: new Uint32Array(capacity),
    evReason: new Uint8Array(capacity),
  };
}

/**
 * Aggregation at the door: raw rows are folded as they arrive and never
 * kept. When `capacity` conversations are held, the owner drains them into the
 * store (which re-aggregates, so splitting a conversation across drains is
 * harmless).
 */
export class DoorAggregator {
  private slots = new Map<string, number>();
  private columns: Columns;
  private used = 0;

  constructor(
    private readonly hosts: InternTable,
    private readonly observers: InternTable,
    readonly capacity = 1 << 18,
  ) {
    this.columns = allocate(capacity);
  }

  get size(): number {
    return this.used;
  }

  get full(): boolean {
    return this.used >= this.capacity;
  }

  add(record: FlowRecord, fileIndex: number): void {
    const src = this.hosts.id(record.src);
    const dst = this.hosts.id(record.dst);
    const srcIsLo = src < dst || (src === dst && record.srcPort <= record.dstPort);
    const lo = srcIsLo ? src : dst;
    const hi = srcIsLo ? dst : src;
    const loPort = srcIsLo ? record.srcPort : record.dstPort;
    const hiPort = srcIsLo ? record.dstPort : record.srcPort;
    const observer = this.observers.id(record.observer === '' ? `file#${fileIndex}` : record.observer);
    const start = record.startMs;
    const hour = start === start ? Math.floor(start / MS_PER_HOUR) : HOUR_UNKNOWN;
    const key = `${observer},${hour},${lo},${loPort},${hi},${hiPort},${record.proto}`;
    const c = this.columns;
    let slot = this.slots.get(key);
    if (slot === undefined) {
      if (this.used >= this.capacity) this.grow();
      slot = this.used++;
      this.slots.set(key, slot);
      this.initSlot(slot, observer, hour, lo, loPort, hi, hiPort, record.proto);
    }
    if (srcIsLo) {
      c.recLH[slot]! += 1;
      c.pktsLH[slot]! += record.packets;
      c.bytesLH[slot]! += record.bytes;
      c.pktsHL[slot]! += record.revPackets;
      c.bytesHL[slot]! += record.revBytes;
    } else {
      c.recHL[slot]! += 1;
      c.pktsHL[slot]! += record.packets;
      c.bytesHL[slot]! += record.bytes;
      c.pktsLH[slot]! += record.revPackets;
      c.bytesLH[slot]! += record.revBytes;
    }
    const end = record.endMs === record.endMs ? record.endMs : start;
    if (start === start && !(c.firstMs[slot]! <= start)) c.firstMs[slot] = start;
    if (end === end && !(c.lastMs[slot]! >= end)) c.lastMs[slot] = end;
    if (record.action === Action.allow) c.allowN[slot]! += 1;
    else if (record.action === Action.deny) c.denyN[slot]! += 1;
    if (record.hint !== Hint.none) {
      const loOpened = (record.hint === Hint.srcIsClient) === srcIsLo;
      if (loOpened) c.evLo[slot]! += 1;
      else c.evHi[slot]! += 1;
      const previous = c.evReason[slot]!;
      if (previous === 0 || record.hintReason < previous) c.evReason[slot] = record.hintReason;
    }
  }

  /** Hands over everything held and starts empty. */
  drain(): ObsBatch {
    const length = this.used;
    const c = this.columns;
    const batch: Columns = { ...c, length };
    for (const name of Object.keys(c) as (keyof Columns)[]) {
      if (name !== 'length') (batch as Record<string, unknown>)[name] = (c[name] as Uint32Array).slice(0, length);
    }
    this.slots = new Map();
    this.columns = allocate(this.capacity);
    this.used = 0;
    return batch;
  }

  private initSlot(slot: number, observer: number, hour: number, lo: number, loPort: number, hi: number, hiPort: number, proto: number): void {
    const c = this.columns;
    c.observer[slot] = observer;
    c.hour[slot] = hour;
    c.lo[slot] = lo;
    c.loPort[slot] = loPort;
    c.hi[slot] = hi;
    c.hiPort[slot] = hiPort;
    c.proto[slot] = proto;
    c.firstMs[slot] = Number.NaN;
    c.lastMs[slot] = Number.NaN;
  }

  /** Only reached when the owner did not drain in time (one huge chunk); keeps correctness over memory bounds. */
  private grow(): void {
    const bigger = allocate(this.columns.observer.length * 2);
    for (const name of Object.keys(bigger) as (keyof Columns)[]) {
      if (name !== 'length') (bigger[name] as Uint32Array).set(this.columns[name] as Uint32Array);
    }
    this.columns = bigger;
  }
}
