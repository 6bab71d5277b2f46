import type { PolicyView } from '../../core/workbench/policy-view';
import type { HostFact } from '../engine/protocol';
import type { GroupMap } from './group-map';

/**
 * Which groups of the map a search and the filters keep. The text matches a
 * group (id or name), a member (address, host name, a label as "key=value"
 * or its value) or a service its links carry ("tcp/443", "443"). Filters
 * narrow by environment, by service, to groups with anomalies, or to groups
 * the replay says the policy would break. Pure: the map dims what is left out.
 */
export interface MapQuery {
  readonly text: string;
  readonly environment: string | null;
  readonly service: string | null;
  readonly anomaliesOnly: boolean;
  readonly wouldBreakOnly: boolean;
}

export const NO_QUERY: MapQuery = { text: '', environment: null, service: null, anomaliesOnly: false, wouldBreakOnly: false };

export function isActive(query: MapQuery): boolean {
  return query.text.trim() !== '' || query.environment !== null || query.service !== null || query.anomaliesOnly || query.wouldBreakOnly;
}

/** The ids of the map's groups the query keeps; every group when no filter is active. */
export function matchingGroups(map: GroupMap, policy: Pick<PolicyView, 'groups'>, hosts: ReadonlyMap<string, HostFact>, wouldBreak: Readonly<Record<string, number>>, query: MapQuery): Set<string> {
  const servicesOf = new Map<string, Set<string>>();
  for (const link of map.links) {
    for (const end of [link.from, link.to]) {
      let set = servicesOf.get(end);
      if (set === undefined) servicesOf.set(end, (set = new Set()));
      for (const service of link.services) set.add(service);
    }
  }
  const membersOf = new Map(policy.groups.map((group) => [group.id, group.members]));
  const nameOf = new Map(policy.groups.map((group) => [group.id, group.name]));
  const text = query.text.trim().toLowerCase();
  const kept = new Set<string>();
  for (const node of map.nodes) {
    if (query.environment !== null && node.environment !== query.environment) continue;
    if (query.anomaliesOnly && node.anomalies === 0) continue;
    if (query.wouldBreakOnly && (wouldBreak[node.id] ?? 0) === 0) continue;
    const services = servicesOf.get(node.id) ?? new Set<string>();
    if (query.service !== null && !services.has(query.service)) continue;
    // An aggregate matches when one of its groups does.
    const inside = node.aggregate ?? [node.id];
    if (text !== '' && !groupMatches(text, node.id, node.name, inside.flatMap((id) => membersOf.get(id) ?? []), services, hosts) && !inside.some((id) => id.toLowerCase().includes(text) || (nameOf.get(id) ?? '').toLowerCase().includes(text))) continue;
    kept.add(node.id);
  }
  return kept;
}

function groupMatches(text: string, id: string, name: string, members: readonly string[], services: ReadonlySet<string>, hosts: ReadonlyMap<string, HostFact>): boolean {
  if (id.toLowerCase().includes(text) || name.toLowerCase().includes(text)) return true;
  for (const service of services) if (serviceMatches(text, service)) return true;
  for (const ip of members) {
    if (ip.includes(text)) return true;
    const host = hosts.get(ip);
    if (host === undefined) continue;
    if (host.name?.toLowerCase().includes(text) === true) return true;
    for (const label of host.labels) {
      const pair = `${label.key}=${label.value}`.toLowerCase();
      if (pair.includes(text) || label.value.toLowerCase() === text) return true;
    }
  }
  return false;
}

/** "tcp/443" matches itself, "443" matches tcp/443 and a range holding 443, "tcp" every TCP service. */
function serviceMatches(text: string, service: string): boolean {
  if (service.toLowerCase().includes(text)) return true;
  if (!/^\d{1,5}$/.test(text)) return false;
  const port = Number(text);
  const range = /\/(\d+)(?:-(\d+))?$/.exec(service);
  if (range === null) return false;
  const from = Number(range[1]);
  const to = range[2] === undefined ? from : Number(range[2]);
  return port >= from && port <= to;
}

/** Environments and services the filters offer, in text order. */
export function filterChoices(map: GroupMap): { environments: string[]; services: string[] } {
  const environments = new Set<string>();
  const services = new Set<string>();
  for (const node of map.nodes) if (node.environment !== null) environments.add(node.environment);
  for (const link of map.links) for (const service of link.services) services.add(service);
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return { environments: [...environments].sort(order), services: [...services].sort(order) };
}
