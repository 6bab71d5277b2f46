import { TupleIndex } from '../util/tuple-index';
import { portProtoAction, unpackPortProtoAction, type EdgeColumns, type HourlyEdgeColumns } from './hourly-edges';

/**
 * Edges over the whole window, from the hourly edges: the in-memory twin
 * of edges-sql.ts's EDGES_FROM_HOURLY_SQL (same grouping by client, server,
 * protocol, port and action; sums, earliest and latest known times, the
 * strongest reason, the hours seen). Grouping here costs a pass over the
 * hourly edges already in memory; in SQL it was a single-threaded wasm
 * aggregation over every hourly row after inserting them.
 */
export interface WholeEdgeColumns extends EdgeColumns {
  /** Distinct hours: each hourly edge is one hour of one edge. */
  readonly hours: BigInt64Array;
}

export function wholeEdges(hourly: HourlyEdgeColumns): WholeEdgeColumns {
  const n = hourly.length;
  const index = new TupleIndex(Math.min(n, 1 << 16));
  const edgeOf = new Int32Array(n);
  for (let row = 0; row < n; row++) {
    edgeOf[row] = index.id(hourly.client[row]!, hourly.server[row]!, portProtoAction(hourly.port[row]!, hourly.proto[row]!, hourly.action[row]!));
  }
  const count = index.size;
  const edges = {
    length: count,
    client: new Uint32Array(count),
    server: new Uint32Array(count),
    proto: new Uint8Array(count),
    port: new Int32Array(count),
    action: new Uint8Array(count),
    flows: new Float64Array(count),
    packets: new Float64Array(count),
    bytes: new Float64Array(count),
    firstMs: new Float64Array(count).fill(Number.NaN),
    lastMs: new Float64Array(count).fill(Number.NaN),
    reason: new Uint8Array(count).fill(255),
    hours: new BigInt64Array(count),
  };
  const hours = new Float64Array(count);
  for (let row = 0; row < n; row++) {
    const edge = edgeOf[row]!;
    // Integers below 2^53: the sums are exact in any order, as in SQL.
    edges.flows[edge]! += hourly.flows[row]!;
    edges.packets[edge]! += hourly.packets[row]!;
    edges.bytes[edge]! += hourly.bytes[row]!;
    // An unknown time (NaN) never replaces a known one, as SQL's min/max skip NULL.
    const first = hourly.firstMs[row]!;
    const last = hourly.lastMs[row]!;
    if (first < edges.firstMs[edge]! || Number.isNaN(edges.firstMs[edge]!)) edges.firstMs[edge] = first;
    if (last > edges.lastMs[edge]! || Number.isNaN(edges.lastMs[edge]!)) edges.lastMs[edge] = last;
    if (hourly.reason[row]! < edges.reason[edge]!) edges.reason[edge] = hourly.reason[row]!;
    hours[edge]!++;
  }
  for (let edge = 0; edge < count; edge++) {
    edges.client[edge] = index.key(edge, 0);
    edges.server[edge] = index.key(edge, 1);
    unpackPortProtoAction(index.key(edge, 2), edges, edge);
    edges.hours[edge] = BigInt(hours[edge]!);
  }
  return edges;
}
