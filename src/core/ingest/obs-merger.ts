import type { DoorBatch } from './door';
import { InternTable } from './interning';
import { OBS, OBS_STRIDE, ObsTable, type ObsRows } from './obs-table';

/**
 * The one place door batches from every parser (in-process or in worker
 * threads) meet: ids are translated to global ones and rows with the same
 * key are added together, so the store receives each (observer, hour,
 * conversation) once, which lets the edge SQL skip a whole aggregation level.
 * Past `maxRows` the owner drains early and uniqueness is given up.
 */
export class ObsMerger {
  readonly hosts = new InternTable();
  readonly observers = new InternTable();
  private readonly table: ObsTable;
  private readonly hostMaps = new Map<number, number[]>();
  private readonly observerMaps = new Map<number, number[]>();
  private drainedEarly = false;

  /** `expectedRows` sizes the index up front (see estimateObsRows); it still grows when exceeded. */
  constructor(
    readonly maxRows = 6_000_000,
    expectedRows = 1 << 20,
  ) {
    this.table = new ObsTable(Math.min(expectedRows, maxRows));
  }

  get size(): number {
    return this.table.size;
  }

  get full(): boolean {
    return this.table.size >= this.maxRows;
  }

  /** True while every row the store receives is the only one for its key. */
  get unique(): boolean {
    return !this.drainedEarly;
  }

  /** Adds a batch from `source` (one door; its ids are local to it). */
  merge(source: number, batch: DoorBatch): void {
    const empty = this.table.size === 0 && this.hosts.size === 0 && this.observers.size === 0;
    const hostMap = extend(this.hostMaps, source, batch.hostBase, batch.newHosts, this.hosts);
    const observerMap = extend(this.observerMaps, source, batch.observerBase, batch.newObservers, this.observers);
    // A door's whole table, arriving first: its ids become the global ones
    // (the maps are the identity), so it is adopted rather than re-hashed.
    if (empty && batch.obs.index !== undefined && batch.hostBase === 0 && batch.observerBase === 0) {
      this.table.adopt(batch.obs as typeof batch.obs & { index: Int32Array });
      return;
    }
    const { length, data } = batch.obs;
    for (let row = 0; row < length; row++) {
      const base = row * OBS_STRIDE;
      this.table.mergeRow(data, row, observerMap[data[base + OBS.observer]!]!, hostMap[data[base + OBS.lo]!]!, hostMap[data[base + OBS.hi]!]!);
    }
  }

  /** Everything merged so far. `final` is false when called early because the merger is full. */
  drain(final: boolean): ObsRows {
    if (!final && this.table.size > 0) this.drainedEarly = true;
    return this.table.drain();
  }
}

function extend(maps: Map<number, number[]>, source: number, base: number, names: readonly string[], table: InternTable): number[] {
  let map = maps.get(source);
  if (map === undefined) {
    map = [];
    maps.set(source, map);
  }
  if (map.length !== base) throw new Error(`door batch out of order: expected names from ${map.length}, got ${base}`);
  for (const name of names) map.push(table.id(name));
  return map;
}
