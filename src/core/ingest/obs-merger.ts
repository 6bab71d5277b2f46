import type { DoorBatch } from './door';
import { InternTable } from './interning';
import { obsColumnRows, type CompactObsRows } from './obs-compact';
import { OBS, OBS_STRIDE, type ObsRows } from './obs-table';

/**
 * Where door batches from every parser (in-process or on worker threads)
 * meet: their local host and observer ids become global ones.
 * - Per-observer rows (hours more than one door saw, or handed over before
 *   a door's end) come back translated, for the spill (obs-spill.ts), which
 *   adds them up per observer and folds them day by day once every file is
 *   read. No hashing happens here, so this thread keeps up with the parsers.
 * - Rows a door already folded (hours only it saw) just get new ids.
 */
export class ObsMerger {
  readonly hosts = new InternTable();
  readonly observers = new InternTable();
  private readonly folded: CompactObsRows[] = [];
  private readonly hostMaps = new Map<number, number[]>();
  private readonly observerMaps = new Map<number, number[]>();
  /** Hours of rows handed over before a door's last batch: their other rows must meet in the spill. */
  private readonly earlyHours = new Set<number>();

  /** The hours whose rows must stay per observer: seen by several doors, or in a batch handed over early. */
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

  /**
   * Takes a batch from `source` (one door; its ids are local to it) and
   * returns its per-observer rows in global ids (translated in place: the
   * batch's buffers are the receiver's).
   */
  merge(source: number, batch: DoorBatch): readonly ObsRows[] {
    const hostMap = extend(this.hostMaps, source, batch.hostBase, batch.newHosts, this.hosts);
    const observerMap = extend(this.observerMaps, source, batch.observerBase, batch.newObservers, this.observers);
    for (const { length, data } of batch.obs) {
      for (let base = 0; base < length * OBS_STRIDE; base += OBS_STRIDE) {
        if (!batch.final) this.earlyHours.add(data[base + OBS.hour]!);
        data[base + OBS.observer] = observerMap[data[base + OBS.observer]!]!;
        data[base + OBS.lo] = hostMap[data[base + OBS.lo]!]!;
        data[base + OBS.hi] = hostMap[data[base + OBS.hi]!]!;
      }
    }
    if (batch.folded !== undefined && batch.folded.length > 0) {
      const { lo, hi } = obsColumnRows(batch.folded);
      for (let row = 0; row < lo.length; row++) {
        lo[row] = hostMap[lo[row]!]!;
        hi[row] = hostMap[hi[row]!]!;
      }
      this.folded.push(batch.folded);
    }
    return batch.obs;
  }

  /** Rows the doors folded themselves, in global ids (hours disjoint from the per-observer ones), in compact columns. */
  takeFolded(): CompactObsRows[] {
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
