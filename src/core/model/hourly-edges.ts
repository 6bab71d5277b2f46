import type { ObsColumnRows } from '../ingest/obs-compact';
import { TupleIndex } from '../util/tuple-index';
import type { ConversationOrientation } from './orient-conversations';
import { partitionOf } from '../util/day-partition';

// Client→server edges per hour, from oriented conversation-hours: the
// in-memory twin of edges-sql.ts's edges_hourly statement (same grouping,
// same sums, unknown times ignored, the strongest reason kept).

/** Client→server edges as columns (per hour, or over the whole window). */
export interface EdgeColumns {
  readonly length: number;
  readonly client: Uint32Array;
  readonly server: Uint32Array;
  readonly proto: Uint8Array;
  /** −1 for protocols without ports. */
  readonly port: Int32Array;
  /** 0 unknown, 1 allow, 2 deny. */
  readonly action: Uint8Array;
  readonly flows: Float64Array;
  readonly packets: Float64Array;
  readonly bytes: Float64Array;
  /** NaN when no record of the edge carried a time. */
  readonly firstMs: Float64Array;
  readonly lastMs: Float64Array;
  readonly reason: Uint8Array;
}

export interface HourlyEdgeColumns extends EdgeColumns {
  readonly hour: Int32Array;
}

/** Port (17 bits, −1 shifted to 0), protocol and action packed into one tuple component. */
export const portProtoAction = (port: number, proto: number, action: number): number => ((port + 1) << 10) | (proto << 2) | action;

/** Writes the port, protocol and action packed by portProtoAction into edge `edge` of the columns. */
export function unpackPortProtoAction(packed: number, columns: Pick<EdgeColumns, 'port' | 'proto' | 'action'>, edge: number): void {
  columns.port[edge] = (packed >> 10) - 1;
  columns.proto[edge] = (packed >> 2) & 0xff;
  columns.action[edge] = packed & 3;
}

/**
 * `rowsOf`, when given, names the rows of each batch to aggregate (a day's,
 * from dayPartitions); by default every row.
 */
export function hourlyEdges(
  batches: readonly ObsColumnRows[],
  orientation: ConversationOrientation,
  rowsOf?: readonly Int32Array[],
): HourlyEdgeColumns {
  let total = 0;
  for (let i = 0; i < batches.length; i++) total += rowsOf?.[i]!.length ?? batches[i]!.length;
  const index = new TupleIndex(Math.min(total, 1 << 20));
  let capacity = 1 << 16;
  let flows = new Float64Array(capacity);
  let packets = new Float64Array(capacity);
  let bytes = new Float64Array(capacity);
  let firstMs = new Float64Array(capacity);
  let lastMs = new Float64Array(capacity);
  let reason = new Uint8Array(capacity);
  const { serverIsHi, reason: conversationReason } = orientation;

  batches.forEach((batch, batchIndex) => {
    const conversationOfRow = orientation.conversationOfRow[batchIndex]!;
    // Columns in locals: the loop calls index.id, after which properties would be loaded again each row.
    const { hour, lo: loOf, hi: hiOf, loPort, hiPort, proto, allowN, denyN, recLH, recHL, pktsLH, pktsHL, bytesLH, bytesHL, firstMs: firstOf, lastMs: lastOf } = batch;
    const rows = rowsOf?.[batchIndex];
    const count = rows?.length ?? batch.length;
    for (let i = 0; i < count; i++) {
      const row = rows === undefined ? i : rows[i]!;
      const conversation = conversationOfRow[row]!;
      const hiServes = serverIsHi[conversation] === 1;
      const lo = loOf[row]!;
      const hi = hiOf[row]!;
      const action = denyN[row]! > 0 ? 2 : allowN[row]! > 0 ? 1 : 0;
      const port = hiServes ? hiPort[row]! : loPort[row]!;
      const edgesBefore = index.size;
      const edge = index.id(hour[row]!, hiServes ? lo : hi, hiServes ? hi : lo, portProtoAction(port, proto[row]!, action));
      if (edge === capacity) {
        capacity *= 2;
        flows = grown(flows, capacity);
        packets = grown(packets, capacity);
        bytes = grown(bytes, capacity);
        firstMs = grown(firstMs, capacity);
        lastMs = grown(lastMs, capacity);
        reason = grown(reason, capacity);
      }
      // A request and its response are one flow: the larger of the two directions' record counts.
      flows[edge]! += Math.max(recLH[row]!, recHL[row]!);
      packets[edge]! += pktsLH[row]! + pktsHL[row]!;
      bytes[edge]! += bytesLH[row]! + bytesHL[row]!;
      const first = firstOf[row]!;
      const last = lastOf[row]!;
      if (index.size > edgesBefore) {
        firstMs[edge] = first;
        lastMs[edge] = last;
        reason[edge] = conversationReason[conversation]!;
      } else {
        // An unknown time (NaN) never replaces a known one, and a known one always replaces unknown.
        const firstSoFar = firstMs[edge]!;
        const lastSoFar = lastMs[edge]!;
        if (first < firstSoFar || Number.isNaN(firstSoFar)) firstMs[edge] = first;
        if (last > lastSoFar || Number.isNaN(lastSoFar)) lastMs[edge] = last;
        if (conversationReason[conversation]! < reason[edge]!) reason[edge] = conversationReason[conversation]!;
      }
    }
  });
  return columnsOf(index, { flows, packets, bytes, firstMs, lastMs, reason });
}

/**
 * The rows of every batch grouped by day, days ascending: per day, one
 * array of row numbers per batch (in row order). Costs two ints per row
 * while it runs (each row's day, then its place in its day's list). Rows
 * mostly come in runs of one day (a door reads a file, a spilled day is
 * folded, one after another), so the maps are consulted once per run, not
 * once per row; any order gives the same lists.
 */
export function dayPartitions(batches: readonly ObsColumnRows[]): { readonly day: number; readonly rowsOf: Int32Array[] }[] {
  const days = new Map<number, Int32Array[]>();
  batches.forEach((batch, batchIndex) => {
    const counts = new Map<number, number>();
    const dayOfRow = new Int32Array(batch.length);
    for (let row = 0; row < batch.length; row++) dayOfRow[row] = partitionOf(batch.hour[row]!);
    forEachDayRun(dayOfRow, (day, from, to) => counts.set(day, (counts.get(day) ?? 0) + (to - from)));
    const next = new Map<number, number>();
    for (const [day, count] of counts) {
      let perBatch = days.get(day);
      if (perBatch === undefined) {
        perBatch = batches.map(() => new Int32Array(0));
        days.set(day, perBatch);
      }
      perBatch[batchIndex] = new Int32Array(count);
      next.set(day, 0);
    }
    forEachDayRun(dayOfRow, (day, from, to) => {
      const rows = days.get(day)![batchIndex]!;
      let at = next.get(day)!;
      for (let row = from; row < to; row++) rows[at++] = row;
      next.set(day, at);
    });
  });
  return [...days.entries()].sort((a, b) => a[0] - b[0]).map(([day, rowsOf]) => ({ day, rowsOf }));
}

/** Calls `visit` once per run of consecutive rows of one day (`dayOfRow` holds each row's day). */
function forEachDayRun(dayOfRow: Int32Array, visit: (day: number, from: number, to: number) => void): void {
  let runStart = 0;
  for (let row = 1; row < dayOfRow.length; row++) {
    if (dayOfRow[row] !== dayOfRow[runStart]) {
      visit(dayOfRow[runStart]!, runStart, row);
      runStart = row;
    }
  }
  if (dayOfRow.length > 0) visit(dayOfRow[runStart]!, runStart, dayOfRow.length);
}

function grown<T extends Float64Array | Uint8Array>(array: T, capacity: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(capacity);
  bigger.set(array);
  return bigger;
}

function columnsOf(
  index: TupleIndex,
  sums: Pick<HourlyEdgeColumns, 'flows' | 'packets' | 'bytes' | 'firstMs' | 'lastMs' | 'reason'>,
): HourlyEdgeColumns {
  const n = index.size;
  const columns = {
    length: n,
    hour: new Int32Array(n),
    client: new Uint32Array(n),
    server: new Uint32Array(n),
    proto: new Uint8Array(n),
    port: new Int32Array(n),
    action: new Uint8Array(n),
    flows: sums.flows.slice(0, n),
    packets: sums.packets.slice(0, n),
    bytes: sums.bytes.slice(0, n),
    firstMs: sums.firstMs.slice(0, n),
    lastMs: sums.lastMs.slice(0, n),
    reason: sums.reason.slice(0, n),
  };
  for (let edge = 0; edge < n; edge++) {
    columns.hour[edge] = index.key(edge, 0);
    columns.client[edge] = index.key(edge, 1);
    columns.server[edge] = index.key(edge, 2);
    unpackPortProtoAction(index.key(edge, 3), columns, edge);
  }
  return columns;
}
