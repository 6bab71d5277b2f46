import { ObserverFold } from './fold-observers';
import { obsColumnRows, packObsRows, type CompactObsRows } from './obs-compact';
import { storeObsRows, widenObsRows, type StoredObsRows } from './obs-stored';
import { OBS, OBS_STRIDE, ObsTable, type ObsRows } from './obs-table';
import type { DayFoldedListener } from './parse-pool';
import { partitionOf } from '../util/day-partition';

/**
 * Per-observer rows that cannot be folded across observers yet: a file not
 * read so far may hold more of the same (observer, hour, conversation), so
 * folding must wait until every file is read. They may repeat a key (the
 * same key in several door batches). Kept cut by day, each chunk stored
 * narrowed in a page-backed buffer (obs-stored.ts); once every row is in,
 * each day is merged and folded on its own (foldDay), in parallel where the
 * pool has threads, and its chunks dropped: their memory goes back to the
 * system rather than stay with the allocator through the edges stage.
 * Adding costs no hashing, so the thread receiving door batches keeps up
 * with the parsers.
 */
export class ObsSpill {
  private readonly parts = new Map<number, StoredObsRows[]>();
  private rows = 0;

  get size(): number {
    return this.rows;
  }

  /** Takes rows (in global ids): copied out day by day, in row order. */
  add(rows: ObsRows): void {
    if (rows.length === 0) return;
    const d = rows.data;
    const partOfRow = new Int32Array(rows.length);
    const counts = new Map<number, number>();
    for (let row = 0; row < rows.length; row++) {
      const part = partitionOf(d[row * OBS_STRIDE + OBS.hour]!);
      partOfRow[row] = part;
      counts.set(part, (counts.get(part) ?? 0) + 1);
    }
    const picks = new Map<number, { rows: Int32Array; next: number }>();
    for (const [part, count] of counts) picks.set(part, { rows: new Int32Array(count), next: 0 });
    for (let row = 0; row < rows.length; row++) {
      const pick = picks.get(partOfRow[row]!)!;
      pick.rows[pick.next++] = row;
    }
    for (const [part, pick] of picks) {
      let list = this.parts.get(part);
      if (list === undefined) {
        list = [];
        this.parts.set(part, list);
      }
      list.push(storeObsRows(packObsRows(rows, pick.rows)));
    }
    this.rows += rows.length;
  }

  /** Every day's rows, in day order, each day's in the order they came; leaves the spill empty. */
  takeDays(): StoredObsRows[][] {
    const days = [...this.parts.keys()].sort((a, b) => a - b).map((part) => this.parts.get(part)!);
    this.parts.clear();
    this.rows = 0;
    return days;
  }
}

/**
 * One day's per-observer rows (all of them, from every batch): added up per
 * (observer, hour, conversation), then folded across observers, into a new
 * buffer of the result's size (folding never adds rows, and usually halves
 * them). Each chunk is read from a plain, widened copy (obs-stored.ts); the
 * chunks are the caller's to drop. It holds the same rows whichever thread
 * runs it; their order follows the chunks' (consumers never depend on it).
 */
export function foldDay(chunks: readonly StoredObsRows[], scratch = new FoldScratch()): CompactObsRows {
  const rows = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const { table, fold } = scratch;
  table.reset(rows);
  for (const chunk of chunks) {
    const columns = obsColumnRows(scratch.widened(chunk));
    for (let row = 0; row < columns.length; row++) table.mergeColumnsRow(columns, row);
  }
  fold.reset(table.size);
  table.forEachRow((data, base) => fold.add(data, base));
  return fold.compactResult();
}

/**
 * What foldDay works in. A thread folding many days keeps one: the tables'
 * row storage is reused day after day (see ObsTable.reset), and so is the
 * buffer chunks are copied into, rather than a day's worth of blocks
 * allocated and freed each time.
 */
export class FoldScratch {
  readonly table = new ObsTable(1);
  readonly fold = new ObserverFold(1);
  private input: ArrayBuffer | undefined;

  /** The chunk's rows widened into plain memory, in a buffer reused (and grown) from chunk to chunk. */
  widened(chunk: StoredObsRows): CompactObsRows {
    const rows = widenObsRows(chunk, this.input);
    this.input = rows.buffer;
    return rows;
  }
}

/**
 * Folds the days here, one after another, taking each out of `days` as it
 * goes so that its rows are released once folded.
 */
export function foldDaysHere(days: StoredObsRows[][], signal?: AbortSignal, onDayFolded?: DayFoldedListener): CompactObsRows[] {
  const folded: CompactObsRows[] = [];
  const scratch = new FoldScratch();
  const total = days.length;
  for (let day = days.shift(); day !== undefined; day = days.shift()) {
    signal?.throwIfAborted();
    folded.push(foldDay(day, scratch));
    onDayFolded?.(total - days.length, total);
  }
  return folded;
}
