import type { DoorBatch } from './door';
import { InternTable } from './interning';
import { OBS, OBS_STRIDE, ObsTable, type ObsRows } from './obs-table';

/**
 * Where door batches from every parser (in-process or on worker threads)
 * meet, translated to global ids:
 * - per-observer rows of hours more than one door saw are added together,
 *   so each (observer, hour, conversation) is complete before observers are
 *   folded;
 * - rows a door already folded (hours only it saw) just get new ids.
 * Past `maxRows` per-observer rows the owner must drain them early into an
 * ObsSpill, which merges and folds them day by day once all are in.
 */
export class ObsMerger {
  readonly hosts = new InternTable();
  readonly observers = new InternTable();
  private readonly table: ObsTable;
  private readonly folded: ObsRows[] = [];
  private readonly hostMaps = new Map<number, number[]>();
  private readonly observerMaps = new Map<number, number[]>();
  /** Hours of rows handed over before a door's last batch: their other rows must meet here. */
  private readonly earlyHours = new Set<number>();
  private drainedEarly = false;

  /** 2M rows is ~340 MB; beyond that rows go to the spill (obs-spill.ts), which folds them day by day. */
  constructor(
    readonly maxRows = 2_000_000,
    expectedRows = 1 << 16,
  ) {
    this.table = new ObsTable(Math.min(expectedRows, maxRows));
  }

  get size(): number {
    return this.table.size;
  }

  get full(): boolean {
    return this.table.size >= this.maxRows;
  }

  /** True while no per-observer row had to leave before all were merged. */
  get unique(): boolean {
    return !this.drainedEarly;
  }

  /** The hours whose rows must be merged here: seen by several doors, or in a batch handed over early. */
  sharedHours(hoursByDoor: readonly (readonly number[])[]): Set<number> {
    const shared = new Set(this.earlyHours);
    const seen = new Set<number>();
    for (const hours of hoursByDoor) {
      for (const hour of hours) {
        if (seen.has(hour)) shared.add(hour);
        else seen.add(hour);
      }
    }
    return shared;
  }

  /** Adds a batch from `source` (one door; its ids are local to it). */
  merge(source: number, batch: DoorBatch): void {
    const hostMap = extend(this.hostMaps, source, batch.hostBase, batch.newHosts, this.hosts);
    const observerMap = extend(this.observerMaps, source, batch.observerBase, batch.newObservers, this.observers);
    const { length, data } = batch.obs;
    for (let row = 0; row < length; row++) {
      const base = row * OBS_STRIDE;
      if (!batch.final) this.earlyHours.add(data[base + OBS.hour]!);
      this.table.mergeRow(data, row, observerMap[data[base + OBS.observer]!]!, hostMap[data[base + OBS.lo]!]!, hostMap[data[base + OBS.hi]!]!);
    }
    if (batch.folded !== undefined && batch.folded.length > 0) {
      const folded = batch.folded.data;
      for (let base = 0; base < folded.length; base += OBS_STRIDE) {
        folded[base + OBS.lo] = hostMap[folded[base + OBS.lo]!]!;
        folded[base + OBS.hi] = hostMap[folded[base + OBS.hi]!]!;
      }
      this.folded.push(batch.folded);
    }
  }

  /** Per-observer rows merged so far. `final` is false when called early because the merger is full. */
  drain(final: boolean): ObsRows {
    if (!final && this.table.size > 0) this.drainedEarly = true;
    return this.table.drain();
  }

  /** Rows the doors folded themselves, in global ids (hours disjoint from the merged ones). */
  takeFolded(): ObsRows[] {
    return this.folded.splice(0);
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
