import { compareText } from '../../core/util/compare';
import type { MapColumn, MapNode } from './group-map';

/**
 * Where each group sits: one column per tier, read left to right the way
 * traffic flows (clients, web, app, data, then the networks outside), with
 * infrastructure and the all-internal group in a band below so shared
 * services do not pull every application into one knot. Within a column
 * groups are ordered by environment then name, so one environment's groups
 * sit together. A group expanded to its hosts is taller (`heightOf`), and
 * the groups below it move down. Deterministic, and cheap enough for 500
 * nodes on the main thread (linear in the nodes).
 */
export interface Position {
  readonly x: number;
  readonly y: number;
}

export const LAYOUT = {
  columnWidth: 280,
  rowHeight: 90,
  /** Height of a group node that is not expanded; the rest of a row is the gap to the next. */
  nodeHeight: 50,
  /** Gap between the application columns and the infrastructure band below them. */
  bandGap: 140,
  /** Infrastructure groups per row of the band. */
  bandColumns: 6,
} as const;

const FLOW_ORDER: readonly MapColumn[] = ['clients', 'web', 'app', 'data', 'external'];

export function layoutMap(nodes: readonly MapNode[], heightOf: (id: string) => number = () => LAYOUT.nodeHeight): Map<string, Position> {
  const gap = LAYOUT.rowHeight - LAYOUT.nodeHeight;
  const positions = new Map<string, Position>();
  const byColumn = new Map<MapColumn, MapNode[]>();
  for (const node of nodes) {
    let list = byColumn.get(node.column);
    if (list === undefined) byColumn.set(node.column, (list = []));
    list.push(node);
  }
  const order = (a: MapNode, b: MapNode): number => compareText(a.environment ?? '\uffff', b.environment ?? '\uffff') || compareText(a.name, b.name) || compareText(a.id, b.id);
  let deepest = 0;
  FLOW_ORDER.forEach((column, index) => {
    let y = 0;
    for (const node of (byColumn.get(column) ?? []).sort(order)) {
      positions.set(node.id, { x: index * LAYOUT.columnWidth, y });
      y += heightOf(node.id) + gap;
    }
    deepest = Math.max(deepest, y);
  });
  const band = [...(byColumn.get('all-internal') ?? []), ...(byColumn.get('infrastructure') ?? []).sort(order)];
  let rowTop = deepest + LAYOUT.bandGap;
  for (let start = 0; start < band.length; start += LAYOUT.bandColumns) {
    const row = band.slice(start, start + LAYOUT.bandColumns);
    row.forEach((node, column) => positions.set(node.id, { x: column * LAYOUT.columnWidth, y: rowTop }));
    rowTop += Math.max(...row.map((node) => heightOf(node.id))) + gap;
  }
  return positions;
}
