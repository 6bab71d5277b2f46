import ipaddr from 'ipaddr.js';
import { serviceName } from '../enrich/service-names';
import { compareText } from '../util/compare';
import type { HostFeatures } from './host-features';

/**
 * Readable names, agreed labels, exact membership rules and per-host
 * reasons for groups of hosts. Everything here only describes a grouping
 * already made; nothing changes who is in which group.
 */
export const DESCRIBE_DEFAULTS = {
  /** A label names a group when at least this share of its members carry it. */
  labelAgreement: 0.8,
  /** Label keys that make up a name, in order (first key present of each set). */
  nameKeys: [['env', 'environment'], ['app', 'application'], ['tier', 'role'], ['department', 'dept'], ['namespace'], ['workload'], ['service']],
  /** Features listed in a host's reason. */
  reasonFeatures: 3,
} as const;

export interface GroupDescription {
  readonly name: string;
  /** Labels carried by at least DESCRIBE_DEFAULTS.labelAgreement of the members. */
  readonly labels: Readonly<Record<string, string>>;
  /** A rule that selects exactly these members among the internal hosts, when one exists. */
  readonly rule: string | null;
}

/** `members` and `others` are host indexes into features.hosts; `names` are host names by ip. */
export function describeGroup(features: HostFeatures, members: readonly number[], allInternal: number, names: ReadonlyMap<string, string>): GroupDescription {
  const labels = agreedLabels(features, members);
  const parts: string[] = [];
  for (const keys of DESCRIBE_DEFAULTS.nameKeys) {
    const key = keys.find((candidate) => labels[candidate] !== undefined);
    if (key !== undefined) parts.push(labels[key]!);
  }
  parts.push(mainService(features, members));
  return { name: parts.join(' · '), labels, rule: membershipRule(features, members, allInternal, names) };
}

function agreedLabels(features: HostFeatures, members: readonly number[]): Record<string, string> {
  const counts = new Map<string, number>();
  for (const host of members) {
    for (const label of features.hosts[host]!.labels) {
      const key = `${label.key}=${label.value}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const agreed: Record<string, string> = {};
  for (const [pair, count] of [...counts.entries()].sort((a, b) => compareText(a[0], b[0]))) {
    if (count < DESCRIBE_DEFAULTS.labelAgreement * members.length) continue;
    const at = pair.indexOf('=');
    const key = pair.slice(0, at);
    // One value per key: with an 80% threshold two values of a key cannot both pass.
    if (agreed[key] === undefined) agreed[key] = pair.slice(at + 1);
  }
  return agreed;
}

/**
 * The service that best characterises the members ("postgresql tcp/5432"):
 * served by the most members, weighted by how specific it is (every server
 * offers node-exporter to monitoring; few offer postgresql), or "clients"
 * when they serve nothing.
 */
function mainService(features: HostFeatures, members: readonly number[]): string {
  const counts = new Map<number, number>();
  for (const host of members) {
    const profile = features.profileOfHost[host]!;
    for (let k = features.featureStart[profile]!; k < features.featureStart[profile + 1]!; k++) {
      const id = features.featureIds[k]!;
      if (features.features[id]!.kind === 'serves') counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  }
  let best = -1;
  let bestScore = -1;
  // Feature ids follow name order, so ties go to the first service by name.
  for (const [id, count] of [...counts.entries()].sort((a, b) => a[0] - b[0])) {
    const score = count * features.features[id]!.weight;
    if (score > bestScore) {
      best = id;
      bestScore = score;
    }
  }
  if (best < 0) return 'clients';
  const service = features.features[best]!.name.slice('serves '.length);
  const [protoName, portText] = service.split('/');
  const known = portText === undefined ? null : serviceName(protoName === 'tcp' ? 6 : protoName === 'udp' ? 17 : -1, Number(portText));
  return known === null ? service : `${known} ${service}`;
}

/**
 * A label, CIDR or hostname pattern that matches exactly the members among
 * all internal hosts, tried in that order.
 */
function membershipRule(features: HostFeatures, members: readonly number[], allInternal: number, names: ReadonlyMap<string, string>): string | null {
  const memberSet = new Set(members);
  const isExact = (matches: (host: number) => boolean): boolean => {
    for (let host = 0; host < allInternal; host++) if (matches(host) !== memberSet.has(host)) return false;
    return true;
  };
  const first = features.hosts[members[0]!]!;
  for (const label of [...first.labels].sort((a, b) => compareText(a.key, b.key) || compareText(a.value, b.value))) {
    if (isExact((host) => features.hosts[host]!.labels.some((other) => other.key === label.key && other.value === label.value))) {
      return `label ${label.key}=${label.value}`;
    }
  }
  const cidr = coveringCidr(members.map((host) => features.hosts[host]!.ip));
  if (cidr !== null) {
    const [network, bits] = cidr;
    if (isExact((host) => insideCidr(features.hosts[host]!.ip, network, bits))) return `cidr ${network.toString()}/${bits}`;
  }
  const memberNames = members.map((host) => names.get(features.hosts[host]!.ip));
  if (memberNames.every((name) => name !== undefined && name.length > 0)) {
    const prefix = commonPrefix(memberNames as string[]);
    if (prefix.length >= 3 && isExact((host) => names.get(features.hosts[host]!.ip)?.startsWith(prefix) === true)) return `hostname ${prefix}*`;
  }
  return null;
}

/** The smallest IPv4 CIDR holding every address, or null (IPv6 or mixed). */
function coveringCidr(ips: readonly string[]): [ipaddr.IPv4, number] | null {
  if (!ips.every((ip) => ipaddr.IPv4.isValidFourPartDecimal(ip))) return null;
  const values = ips.map((ip) => ipv4Number(ip));
  let low = values[0]!;
  let high = values[0]!;
  for (const value of values) {
    low = Math.min(low, value);
    high = Math.max(high, value);
  }
  let bits = 32;
  while (bits > 0 && Math.floor(low / 2 ** (32 - bits)) !== Math.floor(high / 2 ** (32 - bits))) bits--;
  const base = Math.floor(low / 2 ** (32 - bits)) * 2 ** (32 - bits);
  return [ipaddr.IPv4.parse([base >>> 24, (base >>> 16) & 255, (base >>> 8) & 255, base & 255].join('.')), bits];
}

function ipv4Number(ip: string): number {
  const octets = ipaddr.IPv4.parse(ip).octets;
  return ((octets[0]! << 24) >>> 0) + (octets[1]! << 16) + (octets[2]! << 8) + octets[3]!;
}

function insideCidr(ip: string, network: ipaddr.IPv4, bits: number): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(ip) && ipaddr.IPv4.parse(ip).match(network, bits);
}

function commonPrefix(values: readonly string[]): string {
  let prefix = values[0] ?? '';
  for (const value of values) while (!value.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/**
 * Why a host is in its group: the heaviest features it shares with most of
 * its group, and its similarity to its group against the nearest other one.
 */
export function hostReason(
  features: HostFeatures,
  host: number,
  members: readonly number[],
  similarity: { readonly own: number; readonly nearest: number; readonly nearestGroup: string | null },
): string {
  const profile = features.profileOfHost[host]!;
  const memberProfiles = members.map((member) => features.profileOfHost[member]!);
  const shared: { name: string; weight: number; count: number }[] = [];
  for (let k = features.featureStart[profile]!; k < features.featureStart[profile + 1]!; k++) {
    const id = features.featureIds[k]!;
    let count = 0;
    for (const other of memberProfiles) if (hasFeature(features, other, id)) count++;
    const feature = features.features[id]!;
    if (count > 1 && feature.weight > 0) shared.push({ name: feature.name, weight: feature.weight * count, count });
  }
  shared.sort((a, b) => b.weight - a.weight || compareText(a.name, b.name));
  const top = shared.slice(0, DESCRIBE_DEFAULTS.reasonFeatures).map((entry) => `${entry.name} (${entry.count}/${members.length})`);
  const sharedText = members.length === 1 ? 'alone in its group: no other host behaves like it' : top.length > 0 ? `shares ${top.join('; ')}` : 'shares only common traffic with its group';
  const versus = similarity.nearestGroup === null ? '' : `; similarity ${similarity.own.toFixed(2)} to its group vs ${similarity.nearest.toFixed(2)} to ${similarity.nearestGroup}`;
  return sharedText + versus;
}

function hasFeature(features: HostFeatures, profile: number, id: number): boolean {
  let lo = features.featureStart[profile]!;
  let hi = features.featureStart[profile + 1]!;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const value = features.featureIds[mid]!;
    if (value === id) return true;
    if (value < id) lo = mid + 1;
    else hi = mid;
  }
  return false;
}
