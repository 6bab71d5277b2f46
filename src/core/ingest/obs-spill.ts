import { ObserverFold } from './fold-observers';
import { OBS, OBS_STRIDE, ObsTable, type ObsRows } from './obs-table';
import { partitionOf } from '../util/day-partition';


/**
 * Per-observer rows the merger had to hand over before every door was
 * done (it was full). They may repeat a key (the same observer, hour and
 * conversation arrived in several batches), so they cannot be folded across
 * observers yet. Kept cut by day; once every row is in, each day is merged
 * and folded on its own and its rows released, so the peak is the rows
 * themselves plus one day's tables, whatever the window's length. The
 * result is the rows the merger would have folded had it been large enough.
 */
export class ObsSpill {
  private readonly parts = new Map<number, ObsRows[]>();
  private rows = 0;

  get size(): number {
    return this.rows;
  }

  /** Takes rows (their array may be reused by no one else): copied out day by day, in row order. */
  add(rows: ObsRows): void {
    const counts = new Map<number, number>();
    const d = rows.data;
    for (let row = 0; row < rows.length; row++) {
      const part = partitionOf(d[row * OBS_STRIDE + OBS.hour]!);
      counts.set(part, (counts.get(part) ?? 0) + 1);
    }
    const chunks = new Map<number, { data: Float64Array; next: number }>();
    for (const [part, count] of counts) chunks.set(part, { data: new Float64Array(count * OBS_STRIDE), next: 0 });
    for (let row = 0; row < rows.length; row++) {
      const base = row * OBS_STRIDE;
      const chunk = chunks.get(partitionOf(d[base + OBS.hour]!))!;
      chunk.data.set(d.subarray(base, base + OBS_STRIDE), chunk.next);
      chunk.next += OBS_STRIDE;
    }
    for (const [part, chunk] of chunks) {
      let list = this.parts.get(part);
      if (list === undefined) {
        list = [];
        this.parts.set(part, list);
      }
      list.push({ length: chunk.data.length / OBS_STRIDE, data: chunk.data });
    }
    this.rows += rows.length;
  }

  /**
   * Merges every row (these and `last`, the merger's final rows) per
   * observer and folds them across observers, one day at a time in day
   * order, releasing each day's rows as it goes. Leaves the spill empty.
   */
  fold(last: ObsRows): ObsRows[] {
    this.add(last);
    const folded: ObsRows[] = [];
    for (const part of [...this.parts.keys()].sort((a, b) => a - b)) {
      const chunks = this.parts.get(part)!;
      this.parts.delete(part);
      const table = new ObsTable(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
      for (const chunk of chunks.splice(0)) {
        for (let row = 0; row < chunk.length; row++) {
          const base = row * OBS_STRIDE;
          table.mergeRow(chunk.data, row, chunk.data[base + OBS.observer]!, chunk.data[base + OBS.lo]!, chunk.data[base + OBS.hi]!);
        }
      }
      const fold = new ObserverFold(table.size);
      table.forEachRow((data, base) => fold.add(data, base));
      table.clear();
      folded.push(fold.result());
    }
    this.rows = 0;
    return folded;
  }
}
