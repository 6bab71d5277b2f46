import { Action, Hint, type FlowRecord } from '../flow/record';
import { InternTable } from './interning';
import { ObserverFold } from './fold-observers';
import type { CompactObsRows } from './obs-compact';
import { OBS, OBS_STRIDE, ObsTable, strongestReason, type ObsRows } from './obs-table';

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
  /**
   * Per-observer rows, to be merged with other doors' rows for the same
   * keys: in parts (an early batch hands over the table's own storage
   * rather than copy it), each part's array possibly longer than its rows.
   */
  readonly obs: readonly ObsRows[];
  /**
   * Rows already folded across observers (observer 0): in the last batch, the
   * hours no other door saw, which this door alone holds complete. Packed in
   * compact columns in the door's own thread (the receiver has one thread
   * for every door's).
   */
  readonly folded?: CompactObsRows;
  /** The door's last batch; earlier ones were handed over because it was full. */
  readonly final: boolean;
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
  private lastObserver: string | null = null;
  private recentHosts: [string, string] = ['', ''];
  private recentHostIds: [number, number] = [-1, -1];
  private lastFile = -1;
  private lastObserverId = 0;

  private capacity: number;

  /**
   * `capacity` rows at first, `capacityOnceFull` after the door first fills:
   * an input that a door holds whole is folded here, in parallel, with
   * nothing spilled; once a door has filled, the input is too large for
   * that, and smaller batches keep the door's index and rows in the CPU's
   * caches (see ingest.ts, DEFAULT_DOOR_ROWS and DEFAULT_DOOR_ROWS_ONCE_FULL).
   */
  constructor(
    capacity = 1 << 18,
    private readonly capacityOnceFull: number = capacity,
  ) {
    this.capacity = capacity;
    this.table = new ObsTable(Math.min(capacity, capacityOnceFull));
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
    const src = this.hostId(record.src);
    const dst = this.hostId(record.dst);
    // Consecutive records mostly share their observer (and parsers hand the
    // same string object for the same bytes), so one remembered id saves a lookup.
    let observer: number;
    if (record.observer === this.lastObserver && fileIndex === this.lastFile) observer = this.lastObserverId;
    else {
      observer = this.observers.id(record.observer === '' ? `file#${fileIndex}` : record.observer);
      this.lastObserver = record.observer;
      this.lastFile = fileIndex;
      this.lastObserverId = observer;
    }
    const start = record.startMs;
    const hour = start === start ? Math.floor(start / MS_PER_HOUR) : HOUR_UNKNOWN;
    const slot = srcIsLo
      ? this.table.slot(observer, hour, src, record.srcPort, dst, record.dstPort, record.proto)
      : this.table.slot(observer, hour, dst, record.dstPort, src, record.srcPort, record.proto);
    const d = this.table.segment(slot);
    const b = (slot & 0xffff) * OBS_STRIDE;
    if (srcIsLo) {
      d[b + OBS.recLH]! += 1;
      d[b + OBS.pktsLH]! += record.packets;
      d[b + OBS.bytesLH]! += record.bytes;
      d[b + OBS.pktsHL]! += record.revPackets;
      d[b + OBS.bytesHL]! += record.revBytes;
    } else {
      d[b + OBS.recHL]! += 1;
      d[b + OBS.pktsHL]! += record.packets;
      d[b + OBS.bytesHL]! += record.bytes;
      d[b + OBS.pktsLH]! += record.revPackets;
      d[b + OBS.bytesLH]! += record.revBytes;
    }
    const end = record.endMs === record.endMs ? record.endMs : start;
    if (start === start && !(d[b + OBS.firstMs]! <= start)) d[b + OBS.firstMs] = start;
    if (end === end && !(d[b + OBS.lastMs]! >= end)) d[b + OBS.lastMs] = end;
    if (record.action === Action.allow) d[b + OBS.allowN]! += 1;
    else if (record.action === Action.deny) d[b + OBS.denyN]! += 1;
    if (record.hint !== Hint.none) {
      const loOpened = (record.hint === Hint.srcIsClient) === srcIsLo;
      d[b + (loOpened ? OBS.evLo : OBS.evHi)]! += 1;
      strongestReason(d, b + (loOpened ? OBS.evLoReason : OBS.evHiReason), record.hintReason);
    }
  }

  /**
   * A host's id. Records come in request/response pairs and bursts of one
   * conversation, so the two most recent addresses answer most lookups
   * without hashing (parsers hand the same string object for the same text).
   */
  private hostId(address: string): number {
    if (address === this.recentHosts[0]) return this.recentHostIds[0];
    if (address === this.recentHosts[1]) return this.recentHostIds[1];
    const id = this.hosts.id(address);
    this.recentHosts[1] = this.recentHosts[0];
    this.recentHostIds[1] = this.recentHostIds[0];
    this.recentHosts[0] = address;
    this.recentHostIds[0] = id;
    return id;
  }

  /** The distinct hours of the rows held. */
  hours(): number[] {
    const hours = new Set<number>();
    for (let slot = 0; slot < this.table.size; slot++) hours.add(this.table.segment(slot)[(slot & 0xffff) * OBS_STRIDE + OBS.hour]!);
    return [...hours];
  }

  /** Hands over the rows held (because the door is full) and the names they use not handed over before. */
  drain(): DoorBatch {
    this.capacity = this.capacityOnceFull;
    return this.batch(this.table.takeSegments(), undefined, false);
  }

  /**
   * The last hand-over: rows of `shared` hours (seen by other doors too, or
   * already handed over in part) stay per observer for the merger; every
   * other hour this door holds complete, so it folds them itself, in its
   * own thread.
   */
  drainFinal(shared: ReadonlySet<number>): DoorBatch {
    // Straight from the table's segments: shared rows into an array of their
    // exact size, the rest into the fold; no full-size copy ever exists.
    let sharedRows = 0;
    if (shared.size > 0) this.table.forEachRow((data, base) => void (shared.has(data[base + OBS.hour]!) && sharedRows++));
    const obs = new Float64Array(sharedRows * OBS_STRIDE);
    const fold = new ObserverFold(this.table.size - sharedRows);
    let next = 0;
    this.table.forEachRow((data, base) => {
      if (shared.has(data[base + OBS.hour]!)) {
        obs.set(data.subarray(base, base + OBS_STRIDE), next);
        next += OBS_STRIDE;
      } else fold.add(data, base);
    });
    this.table.clear();
    return this.batch([{ length: sharedRows, data: obs }], fold.compactResult(), true);
  }

  private batch(obs: readonly ObsRows[], folded: CompactObsRows | undefined, final: boolean): DoorBatch {
    const batch: DoorBatch = {
      hostBase: this.hostsSent,
      newHosts: this.hosts.values.slice(this.hostsSent),
      observerBase: this.observersSent,
      newObservers: this.observers.values.slice(this.observersSent),
      obs,
      ...(folded === undefined ? {} : { folded }),
      final,
    };
    this.hostsSent = this.hosts.size;
    this.observersSent = this.observers.size;
    return batch;
  }
}
