import type { PolicyEdge } from '../policy-input';

/**
 * Replay edges by the rule cells that decide them: (client's group, server's
 * group, protocol), (server's group, protocol) for rules from every
 * internal host, and (client's group, protocol) for rules to every internal
 * host. A changed rule then names exactly the edges to judge again.
 */
export class ReplayIndex {
  private readonly byCell = new Map<string, Set<number>>();
  private readonly byTarget = new Map<string, Set<number>>();
  private readonly bySource = new Map<string, Set<number>>();
  /** group → the cells it is a side of (a renamed group's edges carry its name in their reasons). */
  private readonly cellsOfGroup = new Map<string, Set<string>>();
  private readonly cellOfEdge: string[] = [];
  private readonly targetOfEdge: string[] = [];
  private readonly sourceOfEdge: string[] = [];

  constructor(private readonly edges: readonly PolicyEdge[]) {}

  /** Files an edge under its endpoints' current groups. */
  place(edge: number, clientGroup: string, serverGroup: string): void {
    const { proto } = this.edges[edge]!;
    const cell = `${clientGroup}\t${serverGroup}\t${proto}`;
    const target = `${serverGroup}\t${proto}`;
    const source = `${clientGroup}\t${proto}`;
    this.cellOfEdge[edge] = cell;
    this.targetOfEdge[edge] = target;
    this.sourceOfEdge[edge] = source;
    add(this.byCell, cell, edge);
    add(this.byTarget, target, edge);
    add(this.bySource, source, edge);
    add(this.cellsOfGroup, clientGroup, cell);
    add(this.cellsOfGroup, serverGroup, cell);
  }

  /** Takes an edge out before its endpoints change groups. */
  unplace(edge: number): void {
    const cell = this.cellOfEdge[edge];
    if (cell === undefined) return;
    remove(this.byCell, cell, edge);
    remove(this.byTarget, this.targetOfEdge[edge]!, edge);
    remove(this.bySource, this.sourceOfEdge[edge]!, edge);
    // An emptied cell stays listed under its groups: looking it up finds no edge, which is harmless.
  }

  /** Edges a rule from `from` to `to` on `proto` can decide. */
  edgesOfRule(from: string, to: string, proto: number, allInternal: string): Iterable<number> {
    if (from === allInternal) return this.byTarget.get(`${to}\t${proto}`) ?? [];
    if (to === allInternal) return this.bySource.get(`${from}\t${proto}`) ?? [];
    return this.byCell.get(`${from}\t${to}\t${proto}`) ?? [];
  }

  /** Every edge with an endpoint in the group. */
  *edgesOfGroup(group: string): Iterable<number> {
    for (const cell of this.cellsOfGroup.get(group) ?? []) yield* this.byCell.get(cell) ?? [];
  }
}

function add<T>(map: Map<string, Set<T>>, key: string, value: T): void {
  let set = map.get(key);
  if (set === undefined) {
    set = new Set();
    map.set(key, set);
  }
  set.add(value);
}

function remove<T>(map: Map<string, Set<T>>, key: string, value: T): void {
  const set = map.get(key);
  if (set === undefined) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}
