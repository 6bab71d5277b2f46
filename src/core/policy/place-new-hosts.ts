import { compareText } from '../util/compare';
import type { GroupResolver } from './membership';
import type { PolicyEdge, PolicyHost } from './policy-input';
import { ALL_INTERNAL, type Policy } from './policy-model';

/**
 * Hosts the policy does not list, placed where they belong: by a group's
 * membership rule when one matches (label, hostname prefix, CIDR), otherwise
 * by behaviour, against the behaviour of each group's members in the
 * policy's evidence (cosine similarity of the services used and served).
 * Below the threshold a host stays unassigned, with its nearest group named.
 */

export const PLACEMENT_MIN_SIMILARITY = 0.5;

export interface NewHostPlacement {
  readonly ip: string;
  readonly group: string | null;
  readonly confidence: number;
  readonly nearest: string | null;
  readonly reason: string;
}

type Features = Map<string, number>;

function add(features: Features, feature: string): void {
  features.set(feature, 1);
}

/** Features of every host on some edges: "c|server group|proto|port" as a client, "s|proto|port" as a server. */
function hostFeatures(edges: Iterable<{ client: string; server: string; proto: number; port: number }>, serverGroup: (ip: string) => string | null): Map<string, Features> {
  const byHost = new Map<string, Features>();
  const of = (ip: string): Features => {
    let features = byHost.get(ip);
    if (features === undefined) {
      features = new Map();
      byHost.set(ip, features);
    }
    return features;
  };
  for (const edge of edges) {
    add(of(edge.client), `c|${serverGroup(edge.server) ?? edge.server}|${edge.proto}|${edge.port}`);
    add(of(edge.server), `s|${edge.proto}|${edge.port}`);
  }
  return byHost;
}

function cosine(a: Features, b: Features): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [feature, value] of a) {
    na += value * value;
    const other = b.get(feature);
    if (other !== undefined) dot += value * other;
  }
  for (const value of b.values()) nb += value * value;
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

export function placeNewHosts(policy: Policy, resolver: GroupResolver, edges: readonly PolicyEdge[], hosts: ReadonlyMap<string, PolicyHost>): NewHostPlacement[] {
  const listed = new Set<string>();
  const memberGroup = new Map<string, string>();
  for (const group of policy.groups) {
    if (group.kind === 'external' || group.id === ALL_INTERNAL) continue;
    for (const member of group.members) {
      listed.add(member);
      memberGroup.set(member, group.id);
    }
  }
  const fresh = [...new Set(edges.flatMap((edge) => [edge.client, edge.server]))]
    .map((ip) => hosts.get(ip))
    .filter((host): host is PolicyHost => host !== undefined && host.scope === 'internal' && !listed.has(host.ip))
    .sort((a, b) => compareText(a.sortKey, b.sortKey));
  if (fresh.length === 0) return [];

  const groupOf = (ip: string): string | null => memberGroup.get(ip) ?? resolver.place(hosts.get(ip) ?? { ip, scope: 'external', name: null, labels: [] }).group;
  // Each group's profile: the share of its members with each feature, from the policy's evidence.
  const evidence = policy.rules.flatMap((rule) => rule.evidence.edges.map((edge) => ({ client: edge.client, server: edge.server, proto: rule.proto, port: edge.port })));
  const memberFeatures = hostFeatures(evidence, groupOf);
  const profiles = new Map<string, Features>();
  const sizes = new Map<string, number>();
  for (const [ip, features] of memberFeatures) {
    const group = memberGroup.get(ip);
    if (group === undefined) continue;
    sizes.set(group, (sizes.get(group) ?? 0) + 1);
    const profile = profiles.get(group) ?? new Map<string, number>();
    for (const feature of features.keys()) profile.set(feature, (profile.get(feature) ?? 0) + 1);
    profiles.set(group, profile);
  }
  for (const [group, profile] of profiles) for (const [feature, count] of profile) profile.set(feature, count / sizes.get(group)!);
  const newFeatures = hostFeatures(edges, groupOf);
  const groupIds = [...profiles.keys()].sort(compareText);

  return fresh.map((host) => {
    const ruled = resolver.place(host);
    if (ruled.group !== null) {
      return { ip: host.ip, group: ruled.group, confidence: 1, nearest: ruled.group, reason: `matches ${ruled.group}'s membership rule (${ruled.how})` };
    }
    const features = newFeatures.get(host.ip) ?? new Map<string, number>();
    let best: string | null = null;
    let bestSimilarity = 0;
    for (const group of groupIds) {
      const similarity = cosine(features, profiles.get(group)!);
      if (similarity > bestSimilarity) {
        best = group;
        bestSimilarity = similarity;
      }
    }
    const rounded = Math.round(bestSimilarity * 1000) / 1000;
    if (best !== null && bestSimilarity >= PLACEMENT_MIN_SIMILARITY) {
      return { ip: host.ip, group: best, confidence: rounded, nearest: best, reason: `behaves like ${best} (similarity ${rounded.toFixed(2)} ≥ ${PLACEMENT_MIN_SIMILARITY})` };
    }
    return {
      ip: host.ip,
      group: null,
      confidence: rounded,
      nearest: best,
      reason: best === null ? 'shares no behaviour with any group' : `nearest group ${best} at similarity ${rounded.toFixed(2)}, below ${PLACEMENT_MIN_SIMILARITY}`,
    };
  });
}
