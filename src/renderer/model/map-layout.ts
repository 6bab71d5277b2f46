import { compareText } from '../../core/util/compare';
import type { MapColumn, MapNode } from './group-map';

/**
 * Where each group sits: one block per tier, read left to right the way
 * traffic flows (clients, web, app, data, then the networks outside), with
 * infrastructure and the all-internal group in a band below so shared
 * services do not pull every application into one knot. Within a block,
 * groups are ordered by environment then name, so one environment's groups
 * sit together. A tier with many groups wraps into several columns, so the
 * whole map keeps about the shape of a screen (a single column of a hundred
 * groups would fit the view only as a thin strip). A group expanded to its
 * hosts is taller (`heightOf`), and the groups below it in its column move
 * down. Deterministic, and a sort and one pass over the nodes (p95 0.4 ms
 * for 500 nodes, `npm run bench:layout`), so it runs on the main thread:
 * a worker round trip would cost more than the layout.
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
  /** Gap between the application blocks and the infrastructure band below them. */
  bandGap: 140,
  /** Extra gap between two tiers' blocks, so a tier reads as one block. */
  tierGap: 120,
  /** Rows before a tier wraps into another column, at least (small maps keep one column per tier). */
  minRows: 8,
  /** The width-to-height ratio the whole map aims for: about a screen's. */
  aspect: 1.6,
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
  // Rows per column so that columns × width ≈ aspect × rows × height over all tier nodes.
  const flowing = FLOW_ORDER.reduce((sum, column) => sum + (byColumn.get(column)?.length ?? 0), 0);
  const rows = Math.max(LAYOUT.minRows, Math.ceil(Math.sqrt((flowing * LAYOUT.columnWidth) / (LAYOUT.aspect * LAYOUT.rowHeight))));
  const columnHeight = rows * LAYOUT.rowHeight;
  let x = 0;
  let deepest = 0;
  for (const column of FLOW_ORDER) {
    const list = (byColumn.get(column) ?? []).sort(order);
    if (list.length === 0) {
      x += LAYOUT.columnWidth;
      continue;
    }
    let y = 0;
    for (const node of list) {
      const height = heightOf(node.id) + gap;
      // A column is full when the next node would pass its height (a tall expanded group starts a column of its own).
      if (y > 0 && y + height > columnHeight) {
        x += LAYOUT.columnWidth;
        y = 0;
      }
      positions.set(node.id, { x, y });
      y += height;
      deepest = Math.max(deepest, y);
    }
    x += LAYOUT.columnWidth + LAYOUT.tierGap;
  }
  const band = [...(byColumn.get('all-internal') ?? []), ...(byColumn.get('infrastructure') ?? []).sort(order)];
  const bandColumns = Math.max(6, Math.round(x / LAYOUT.columnWidth));
  let rowTop = deepest + LAYOUT.bandGap;
  for (let start = 0; start < band.length; start += bandColumns) {
    const row = band.slice(start, start + bandColumns);
    row.forEach((node, column) => positions.set(node.id, { x: column * LAYOUT.columnWidth, y: rowTop }));
    rowTop += Math.max(...row.map((node) => heightOf(node.id))) + gap;
  }
  return positions;
}
