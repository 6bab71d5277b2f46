import type { AnalysisSummary } from '../../core/report/summary';
import { compareText } from '../../core/util/compare';
import type { MapColumn, MapLink, MapNode } from './group-map';

/**
 * When a map has more groups than it can draw, groups are drawn together
 * instead of being left out: first every outside network as one node, then
 * the analyst's groups by the traffic community discovery found them in
 * (Louvain over who talks to whom: groups that mostly talk to each other
 * are one community), each community one node. An aggregate the analyst
 * opens is drawn as its groups again. Links between aggregates carry the
 * sum of their groups' links. Pure and deterministic.
 */
export const AGGREGATE_PREFIX = 'agg:';
export const OUTSIDE_AGGREGATE = `${AGGREGATE_PREFIX}outside`;

export interface Aggregation {
  readonly nodes: MapNode[];
  readonly links: MapLink[];
  /** Groups drawn inside aggregates, and how many aggregate nodes hold them. */
  readonly grouped: number;
  readonly into: number;
}

export function aggregate(nodes: readonly MapNode[], links: readonly MapLink[], summary: AnalysisSummary, members: ReadonlyMap<string, readonly string[]>, limit: number, opened: ReadonlySet<string>): Aggregation {
  const home = new Map<string, string>();
  const externals = nodes.filter((node) => node.kind === 'external');
  let count = nodes.length;
  if (count > limit && externals.length > 1 && !opened.has(OUTSIDE_AGGREGATE)) {
    for (const node of externals) home.set(node.id, OUTSIDE_AGGREGATE);
    count -= externals.length - 1;
  }
  if (count > limit) {
    const communityOf = groupCommunities(summary, members);
    const byCommunity = new Map<string, MapNode[]>();
    for (const node of nodes) {
      if (node.kind === 'external' || node.kind === 'all-internal') continue;
      const key = `${AGGREGATE_PREFIX}c${communityOf(node.id)}`;
      if (opened.has(key)) continue;
      let list = byCommunity.get(key);
      if (list === undefined) byCommunity.set(key, (list = []));
      list.push(node);
    }
    for (const [key, list] of byCommunity) {
      if (list.length < 2) continue;
      for (const node of list) home.set(node.id, key);
    }
  }
  if (home.size === 0) return { nodes: [...nodes], links: [...links], grouped: 0, into: 0 };
  const inside = new Map<string, MapNode[]>();
  const drawn: MapNode[] = [];
  for (const node of nodes) {
    const key = home.get(node.id);
    if (key === undefined) {
      drawn.push(node);
      continue;
    }
    let list = inside.get(key);
    if (list === undefined) inside.set(key, (list = []));
    list.push(node);
  }
  for (const [key, list] of inside) drawn.push(aggregateNode(key, list));
  const merged = new Map<string, { from: string; to: string; services: Set<string>; rules: number; flows: number }>();
  for (const link of links) {
    const from = home.get(link.from) ?? link.from;
    const to = home.get(link.to) ?? link.to;
    // Traffic inside one aggregate is not drawn: it would be a loop on its own node.
    if (from === to && from.startsWith(AGGREGATE_PREFIX)) continue;
    const id = `${from}>${to}`;
    let entry = merged.get(id);
    if (entry === undefined) merged.set(id, (entry = { from, to, services: new Set(), rules: 0, flows: 0 }));
    for (const service of link.services) entry.services.add(service);
    entry.rules += link.rules;
    entry.flows += link.flows;
  }
  return {
    nodes: drawn,
    links: [...merged].map(([id, link]) => ({ id, from: link.from, to: link.to, services: [...link.services].sort(compareText), rules: link.rules, flows: link.flows })),
    grouped: home.size,
    into: inside.size,
  };
}

function aggregateNode(key: string, groups: readonly MapNode[]): MapNode {
  const sorted = [...groups].sort((a, b) => b.hosts - a.hosts || compareText(a.id, b.id));
  const environments = new Set(groups.map((group) => group.environment));
  const columns = new Map<MapColumn, number>();
  for (const group of groups) columns.set(group.column, (columns.get(group.column) ?? 0) + 1);
  const column = [...columns].sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]))[0]![0];
  const outside = key === OUTSIDE_AGGREGATE;
  return {
    id: key,
    name: outside ? `${groups.length} outside networks` : `${groups.length} groups around ${sorted[0]!.name}`,
    kind: outside ? 'external' : sorted[0]!.kind,
    column,
    hosts: groups.reduce((sum, group) => sum + group.hosts, 0),
    environment: environments.size === 1 ? [...environments][0]! : null,
    anomalies: groups.reduce((sum, group) => sum + group.anomalies, 0),
    aggregate: sorted.map((group) => group.id),
  };
}

/**
 * The community of each group: discovery's for a group it made, otherwise
 * (a group the analyst made) the community most of its members came from.
 * Groups discovery left out of communities (infrastructure) share one key.
 */
function groupCommunities(summary: AnalysisSummary, members: ReadonlyMap<string, readonly string[]>): (group: string) => string {
  const discovered = new Map(summary.groups.map((group) => [group.id, group.community]));
  const cache = new Map<string, string>();
  return (group) => {
    let key = cache.get(group);
    if (key !== undefined) return key;
    const votes = new Map<number, number>();
    const own = discovered.get(group);
    if (own !== undefined) votes.set(own, 1);
    else for (const ip of members.get(group) ?? []) {
      const community = discovered.get(summary.assignments[ip] ?? '');
      if (community !== undefined) votes.set(community, (votes.get(community) ?? 0) + 1);
    }
    const best = [...votes].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? -1;
    key = best < 0 ? 'shared' : String(best);
    cache.set(group, key);
    return key;
  };
}
