import { compareText } from '../util/compare';
import type { PolicyHost } from './policy-input';
import { ALL_INTERNAL, isOpen, type PolicyRule, type PolicySettings } from './policy-model';

/**
 * Who can reach whom among internal hosts: in the flat network every host
 * reaches every other on any service; under the policy only through open
 * rules (just-in-time rules count as closed, windowed ones as open). Hosts
 * of one group reach the same hosts, so everything is computed between
 * groups and weighted by their sizes.
 */

export interface BlastRadius {
  readonly ip: string;
  /** Internal hosts reachable within `hops` hops under the policy. */
  readonly reachable: number;
}

export interface Exposure {
  /** Ordered pairs of distinct internal hosts: n·(n−1). */
  readonly flatPairs: number;
  readonly policyPairs: number;
  /** 1 − policyPairs / flatPairs. */
  readonly reduction: number;
  /** Ordered pairs reachable through an open admin-service rule. */
  readonly adminPaths: number;
  readonly blastRadius: {
    readonly hops: number;
    readonly mean: number;
    readonly max: number;
    /** The hosts whose compromise reaches most, most first (at most 10). */
    readonly top: readonly BlastRadius[];
  };
}

export const DEFAULT_BLAST_HOPS = 3;

/** A host's own group, or null when it is in none. */
export type PlaceHost = (host: PolicyHost) => string | null;

/** Group-level reachability: nodes are groups (or lone unplaced hosts) with their sizes. */
interface ReachGraph {
  readonly nodes: readonly string[];
  readonly size: ReadonlyMap<string, number>;
  readonly next: Map<string, Set<string>>;
  /** Targets every internal host reaches (rules from all internal hosts). */
  readonly universal: Set<string>;
  /** Sources that reach every internal host (rules to all internal hosts). */
  readonly reachesAll: Set<string>;
}

interface Nodes {
  readonly nodeOf: readonly string[];
  readonly size: ReadonlyMap<string, number>;
  readonly nodes: readonly string[];
}

function nodesOf(internalHosts: readonly PolicyHost[], place: PlaceHost): Nodes {
  const nodeOf: string[] = [];
  const size = new Map<string, number>();
  for (const host of internalHosts) {
    const node = place(host) ?? `host:${host.ip}`;
    nodeOf.push(node);
    size.set(node, (size.get(node) ?? 0) + 1);
  }
  return { nodeOf, size, nodes: [...size.keys()].sort(compareText) };
}

function reachGraph({ nodes, size }: Nodes, rules: readonly PolicyRule[], keep: (rule: PolicyRule) => boolean): ReachGraph {
  const next = new Map<string, Set<string>>();
  const universal = new Set<string>();
  const reachesAll = new Set<string>();
  for (const rule of rules) {
    if (!isOpen(rule) || !keep(rule)) continue;
    if (rule.to === ALL_INTERNAL) {
      if (rule.from === ALL_INTERNAL) for (const node of nodes) reachesAll.add(node);
      else if (size.has(rule.from)) reachesAll.add(rule.from);
      continue;
    }
    if (!size.has(rule.to)) continue;
    if (rule.from === ALL_INTERNAL) universal.add(rule.to);
    else if (size.has(rule.from)) {
      const targets = next.get(rule.from) ?? new Set<string>();
      targets.add(rule.to);
      next.set(rule.from, targets);
    }
  }
  return { nodes, size, next, universal, reachesAll };
}

/** Ordered host pairs the graph allows in one hop. */
function pairs(graph: ReachGraph, total: number): number {
  let count = 0;
  for (const from of graph.nodes) {
    const n = graph.size.get(from)!;
    if (graph.reachesAll.has(from)) {
      count += n * (total - 1);
      continue;
    }
    const own = graph.next.get(from);
    const add = (to: string): void => {
      const m = graph.size.get(to)!;
      count += to === from ? n * (n - 1) : n * m;
    };
    for (const to of graph.universal) add(to);
    if (own !== undefined) for (const to of own) if (!graph.universal.has(to)) add(to);
  }
  return count;
}

/** Hosts reachable within `hops` from a node (its own other members count when its group reaches itself). */
function reachWithin(graph: ReachGraph, start: string, hops: number, total: number): number {
  const reached = new Set<string>();
  let frontier = [start];
  for (let hop = 0; hop < hops && frontier.length > 0; hop++) {
    const nextFrontier: string[] = [];
    const visit = (to: string): void => {
      if (!reached.has(to)) {
        reached.add(to);
        nextFrontier.push(to);
      }
    };
    for (const node of frontier) {
      if (graph.reachesAll.has(node)) return total - 1;
      for (const to of graph.universal) visit(to);
      for (const to of graph.next.get(node) ?? []) visit(to);
    }
    frontier = nextFrontier;
  }
  let hosts = 0;
  for (const node of reached) hosts += graph.size.get(node)!;
  // The start host itself is not a target.
  return reached.has(start) ? hosts - 1 : hosts;
}

export function computeExposure(
  internalHosts: readonly PolicyHost[],
  place: PlaceHost,
  rules: Iterable<PolicyRule>,
  settings: Pick<PolicySettings, 'adminServices'>,
  hops = DEFAULT_BLAST_HOPS,
): Exposure {
  const total = internalHosts.length;
  // No hosts: 0, not 0 × −1 = −0.
  const flatPairs = total === 0 ? 0 : total * (total - 1);
  const ruleList = [...rules];
  const nodes = nodesOf(internalHosts, place);
  const graph = reachGraph(nodes, ruleList, () => true);
  const isAdmin = (rule: PolicyRule): boolean =>
    rule.ports !== null && settings.adminServices.some((service) => service.proto === rule.proto && service.port >= rule.ports!.from && service.port <= rule.ports!.to);
  const adminGraph = reachGraph(nodes, ruleList, isAdmin);
  const policyPairs = pairs(graph, total);
  const reachByNode = new Map<string, number>();
  let sum = 0;
  for (const node of nodes.nodes) {
    const reach = reachWithin(graph, node, hops, total);
    reachByNode.set(node, reach);
    sum += reach * nodes.size.get(node)!;
  }
  return {
    flatPairs,
    policyPairs,
    reduction: flatPairs === 0 ? 0 : 1 - policyPairs / flatPairs,
    adminPaths: pairs(adminGraph, total),
    blastRadius: { hops, mean: total === 0 ? 0 : sum / total, max: maxOf(reachByNode.values()), top: topReach(internalHosts, nodes, reachByNode) },
  };
}

/** The ten hosts reaching most, most first, then in canonical address order (hosts come sorted). */
function topReach(internalHosts: readonly PolicyHost[], nodes: Nodes, reachByNode: ReadonlyMap<string, number>): BlastRadius[] {
  // Hosts of one node reach alike: only the nodes that can fill the top ten need their hosts listed.
  const ranked = [...reachByNode.entries()].sort((a, b) => b[1] - a[1]);
  const wanted = new Set<string>();
  let hosts = 0;
  for (const [node, reach] of ranked) {
    if (hosts >= 10 && reach < ranked[wanted.size - 1]![1]) break;
    wanted.add(node);
    hosts += nodes.size.get(node)!;
  }
  const candidates: BlastRadius[] = [];
  internalHosts.forEach((host, index) => {
    const node = nodes.nodeOf[index]!;
    if (wanted.has(node)) candidates.push({ ip: host.ip, reachable: reachByNode.get(node)! });
  });
  // Array.prototype.sort is stable: equal reach keeps address order.
  return candidates.sort((a, b) => b.reachable - a.reachable).slice(0, 10);
}

/** The largest value, 0 for none (spreading a large collection into Math.max overflows the stack). */
function maxOf(values: Iterable<number>): number {
  let max = 0;
  for (const value of values) if (value > max) max = value;
  return max;
}
