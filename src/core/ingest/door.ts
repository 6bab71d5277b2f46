import { Action, Hint, type FlowRecord } from '../flow/record';
import { InternTable } from './interning';
import { ObsTable, type ObsColumns } from './obs-table';

export const MS_PER_HOUR = 3_600_000;
/** Hour of records that carry no time. */
export const HOUR_UNKNOWN = -2147483648;

/**
 * What a door hands over: its aggregates in its own (local) ids, plus the
 * addresses and observers it has named since its previous batch, so a
 * receiver can translate ids without ever seeing a raw row.
 */
export interface DoorBatch {
  readonly hostBase: number;
  readonly newHosts: readonly string[];
  readonly observerBase: number;
  readonly newObservers: readonly string[];
  readonly obs: ObsColumns;
}

/**
 * Aggregation at the door: each accepted record is folded into its
 * (observer, hour, conversation) row as it arrives and is never kept.
 * `capacity` bounds the rows held before the owner must drain.
 */
export class DoorAggregator {
  private readonly hosts = new InternTable();
  private readonly observers = new InternTable();
  private readonly table: ObsTable;
  private hostsSent = 0;
  private observersSent = 0;

  constructor(readonly capacity = 1 << 18) {
    this.table = new ObsTable(Math.min(capacity, 1 << 16));
  }

  get size(): number {
    return this.table.size;
  }

  get full(): boolean {
    return this.table.size >= this.capacity;
  }

  add(record: FlowRecord, fileIndex: number): void {
    // Ordering ends by their canonical text (not by id) keeps a conversation's
    // lo and hi the same in every door, so merging never has to swap them.
    const srcIsLo = record.src < record.dst || (record.src === record.dst && record.srcPort <= record.dstPort);
    const src = this.hosts.id(record.src);
    const dst = this.hosts.id(record.dst);
    const observer = this.observers.id(record.observer === '' ? `file#${fileIndex}` : record.observer);
    const start = record.startMs;
    const hour = start === start ? Math.floor(start / MS_PER_HOUR) : HOUR_UNKNOWN;
    const slot = srcIsLo
      ? this.table.slot(observer, hour, src, record.srcPort, dst, record.dstPort, record.proto)
      : this.table.slot(observer, hour, dst, record.dstPort, src, record.srcPort, record.proto);
    const c = this.table.columns;
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

  /** Hands over the rows held and the names they use that were not handed over before. */
  drain(): DoorBatch {
    const batch: DoorBatch = {
      hostBase: this.hostsSent,
      newHosts: this.hosts.values.slice(this.hostsSent),
      observerBase: this.observersSent,
      newObservers: this.observers.values.slice(this.observersSent),
      obs: this.table.drain(),
    };
    this.hostsSent = this.hosts.size;
    this.observersSent = this.observers.size;
    return batch;
  }
}
