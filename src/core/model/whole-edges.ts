import { TupleIndex } from '../util/tuple-index';
import { portProtoAction, unpackPortProtoAction, type EdgeColumns, type HourlyEdgeColumns } from './hourly-edges';

/**
 * Edges over the whole window, from the hourly edges: the in-memory twin
 * of edges-sql.ts's EDGES_FROM_HOURLY_SQL (same grouping by client, server,
 * protocol, port and action; sums, earliest and latest known times, the
 * strongest reason, the hours seen). Hourly edges may arrive in parts (a
 * day at a time): only the whole-window edges, far fewer, are held.
 */
export interface WholeEdgeColumns extends EdgeColumns {
  /** Distinct hours: each hourly edge is one hour of one edge. */
  readonly hours: BigInt64Array;
}

export class WholeEdges {
  private readonly index = new TupleIndex(1 << 16);
  private capacity = 1 << 16;
  private flows = new Float64Array(this.capacity);
  private packets = new Float64Array(this.capacity);
  private bytes = new Float64Array(this.capacity);
  private firstMs = new Float64Array(this.capacity).fill(Number.NaN);
  private lastMs = new Float64Array(this.capacity).fill(Number.NaN);
  private reason = new Uint8Array(this.capacity).fill(255);
  private hours = new Float64Array(this.capacity);

  /** Adds hourly edges (each (hour, edge) at most once over all calls, as edges_hourly holds them). */
  add(hourly: HourlyEdgeColumns): void {
    for (let row = 0; row < hourly.length; row++) {
      const edge = this.index.id(hourly.client[row]!, hourly.server[row]!, portProtoAction(hourly.port[row]!, hourly.proto[row]!, hourly.action[row]!));
      if (edge === this.capacity) this.grow();
      // Integers below 2^53: the sums are exact in any order, as in SQL.
      this.flows[edge]! += hourly.flows[row]!;
      this.packets[edge]! += hourly.packets[row]!;
      this.bytes[edge]! += hourly.bytes[row]!;
      // An unknown time (NaN) never replaces a known one, as SQL's min/max skip NULL.
      const first = hourly.firstMs[row]!;
      const last = hourly.lastMs[row]!;
      if (first < this.firstMs[edge]! || Number.isNaN(this.firstMs[edge]!)) this.firstMs[edge] = first;
      if (last > this.lastMs[edge]! || Number.isNaN(this.lastMs[edge]!)) this.lastMs[edge] = last;
      if (hourly.reason[row]! < this.reason[edge]!) this.reason[edge] = hourly.reason[row]!;
      this.hours[edge]!++;
    }
  }

  result(): WholeEdgeColumns {
    const count = this.index.size;
    const edges = {
      length: count,
      client: new Uint32Array(count),
      server: new Uint32Array(count),
      proto: new Uint8Array(count),
      port: new Int32Array(count),
      action: new Uint8Array(count),
      flows: this.flows.slice(0, count),
      packets: this.packets.slice(0, count),
      bytes: this.bytes.slice(0, count),
      firstMs: this.firstMs.slice(0, count),
      lastMs: this.lastMs.slice(0, count),
      reason: this.reason.slice(0, count),
      hours: new BigInt64Array(count),
    };
    for (let edge = 0; edge < count; edge++) {
      edges.client[edge] = this.index.key(edge, 0);
      edges.server[edge] = this.index.key(edge, 1);
      unpackPortProtoAction(this.index.key(edge, 2), edges, edge);
      edges.hours[edge] = BigInt(this.hours[edge]!);
    }
    return edges;
  }

  /** Twice the room; new entries start as an edge with no flows, no known time and no reason yet. */
  private grow(): void {
    this.capacity *= 2;
    const grown = <T extends Float64Array | Uint8Array>(array: T, empty: number): T => {
      const bigger = new (array.constructor as new (length: number) => T)(this.capacity);
      bigger.fill(empty);
      bigger.set(array);
      return bigger;
    };
    this.flows = grown(this.flows, 0);
    this.packets = grown(this.packets, 0);
    this.bytes = grown(this.bytes, 0);
    this.firstMs = grown(this.firstMs, Number.NaN);
    this.lastMs = grown(this.lastMs, Number.NaN);
    this.reason = grown(this.reason, 255);
    this.hours = grown(this.hours, 0);
  }
}
