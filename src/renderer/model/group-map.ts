import type { PolicyGroupKind } from '../../core/policy/policy-model';
import type { PolicyView, RuleView } from '../../core/workbench/policy-view';
import type { AnalysisSummary } from '../../core/report/summary';
import { ENVIRONMENT_LABEL_KEYS } from '../../core/enrich/label-keys';
import { compareText } from '../../core/util/compare';
import { aggregate } from './map-aggregate';

/**
 * What the map draws: the policy's groups as nodes and, between two groups,
 * one link carrying every rule from one to the other. Built from the policy
 * and the summary alone (pure), so the same figures reach the map, the
 * tests and later the what-if diff.
 */
export type MapColumn = 'clients' | 'web' | 'app' | 'data' | 'infrastructure' | 'external' | 'all-internal';

export interface MapNode {
  readonly id: string;
  readonly name: string;
  readonly kind: PolicyGroupKind;
  readonly column: MapColumn;
  readonly hosts: number;
  /** The group's environment label when its members agree on one ("prod"), else null. */
  readonly environment: string | null;
  /** Anomalies whose source or destination is a member. */
  readonly anomalies: number;
  /** For a node that draws several groups together (map-aggregate.ts): their ids, largest first. */
  readonly aggregate?: readonly string[];
}

export interface MapLink {
  /** "from>to". */
  readonly id: string;
  readonly from: string;
  readonly to: string;
  /** The rules' services in text order ("tcp/443", "tcp/8080-8090"). */
  readonly services: readonly string[];
  readonly rules: number;
  readonly flows: number;
}

export interface GroupMap {
  readonly nodes: readonly MapNode[];
  readonly links: readonly MapLink[];
  /** Drawn out of the whole: set when the limits left groups or links out, so the page can say so. */
  readonly omitted: { readonly nodes: number; readonly links: number } | null;
  /** Set when groups are drawn together: how many groups, in how many aggregate nodes. */
  readonly aggregated: { readonly groups: number; readonly into: number } | null;
}

/**
 * What one view draws at most, the bounds issue #10 sets: beyond them a
 * map of groups is no longer readable (bench:ui measures its frame rate at
 * this size). Beyond them groups are first drawn together (outside
 * networks as one node, then the analyst's groups by traffic community:
 * map-aggregate.ts); only if that is still too many are the smallest left
 * out (the analyst's groups before outside networks, each the biggest
 * first), then the busiest links kept. The page says which happened.
 */
export const MAP_LIMITS = { nodes: 500, links: 1000 } as const;

/** What the map reads of a rule: a policy file's rules and the workbench's lean ones both have it. */
export type MapRule = Pick<RuleView, 'from' | 'to' | 'service'> & { readonly evidence: { readonly flows: number } };

export function groupMap(
  policy: Pick<PolicyView, 'groups'> & { readonly rules: readonly MapRule[] },
  summary: AnalysisSummary,
  limits: { readonly nodes: number; readonly links: number } = MAP_LIMITS,
  opened: ReadonlySet<string> = new Set(),
): GroupMap {
  const tierOf = new Map(summary.groups.map((group) => [group.id, group.tier]));
  const anomaliesOf = anomalyCounts(policy, summary);
  const groupNodes: MapNode[] = policy.groups.map((group) => ({
    id: group.id,
    name: group.name,
    kind: group.kind,
    column: columnOf(group.kind, tierOf.get(group.id)),
    // The all-internal group lists no members: it is every internal host there is.
    hosts: group.kind === 'all-internal' ? summary.enrichment.internalHosts : group.members.length,
    environment: environmentOf(group.labels),
    anomalies: anomaliesOf.get(group.id) ?? 0,
  }));
  const byPair = new Map<string, { from: string; to: string; services: Set<string>; rules: number; flows: number }>();
  for (const rule of policy.rules) {
    const id = `${rule.from}>${rule.to}`;
    let link = byPair.get(id);
    if (link === undefined) byPair.set(id, (link = { from: rule.from, to: rule.to, services: new Set(), rules: 0, flows: 0 }));
    link.services.add(rule.service);
    link.rules++;
    link.flows += rule.evidence.flows;
  }
  const groupLinks: MapLink[] = [...byPair].map(([id, link]) => ({
    id,
    from: link.from,
    to: link.to,
    services: [...link.services].sort(compareText),
    rules: link.rules,
    flows: link.flows,
  }));
  const members = new Map(policy.groups.map((group) => [group.id, group.members]));
  const together = aggregate(groupNodes, groupLinks, summary, members, limits.nodes, opened);
  const allNodes = together.nodes;
  const allLinks = together.links;
  const outside = (node: MapNode): number => (node.kind === 'external' ? 1 : 0);
  const nodes = [...allNodes].sort((a, b) => outside(a) - outside(b) || b.hosts - a.hosts || compareText(a.id, b.id)).slice(0, limits.nodes);
  const shown = new Set(nodes.map((node) => node.id));
  const drawable = allLinks.filter((link) => shown.has(link.from) && shown.has(link.to));
  const links = [...drawable].sort((a, b) => b.flows - a.flows || compareText(a.id, b.id)).slice(0, limits.links);
  const omittedNodes = allNodes.length - nodes.length;
  const omittedLinks = allLinks.length - links.length;
  return {
    nodes: nodes.sort((a, b) => compareText(a.id, b.id)),
    links: links.sort((a, b) => compareText(a.id, b.id)),
    omitted: omittedNodes === 0 && omittedLinks === 0 ? null : { nodes: omittedNodes, links: omittedLinks },
    aggregated: together.grouped === 0 ? null : { groups: together.grouped, into: together.into },
  };
}

function columnOf(kind: PolicyGroupKind, tier: string | undefined): MapColumn {
  if (kind === 'external') return 'external';
  if (kind === 'all-internal') return 'all-internal';
  if (kind === 'clients') return 'clients';
  if (kind === 'infrastructure') return 'infrastructure';
  return tier === 'web' || tier === 'app' || tier === 'data' ? tier : 'app';
}

function environmentOf(labels: Readonly<Record<string, string>>): string | null {
  for (const key of ENVIRONMENT_LABEL_KEYS) {
    const value = labels[key];
    if (value !== undefined && value !== '') return value;
  }
  return null;
}

/** Per group, the anomalies touching one of its members (each anomaly counted once per group). */
function anomalyCounts(policy: Pick<PolicyView, 'groups'>, summary: AnalysisSummary): Map<string, number> {
  const groupOfMember = new Map<string, string>();
  for (const group of policy.groups) {
    if (group.kind === 'all-internal') continue;
    for (const member of group.members) if (!groupOfMember.has(member)) groupOfMember.set(member, group.id);
  }
  const counts = new Map<string, number>();
  for (const anomaly of summary.anomalies) {
    const touched = new Set<string>();
    for (const address of [anomaly.src, anomaly.dst]) {
      const group = groupOfMember.get(address);
      if (group !== undefined) touched.add(group);
    }
    for (const group of touched) counts.set(group, (counts.get(group) ?? 0) + 1);
  }
  return counts;
}
