import ipaddr from 'ipaddr.js';
import { serviceName } from '../enrich/service-names';
import { ENVIRONMENT_LABEL_KEYS } from '../enrich/label-keys';
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
  nameKeys: [
    ENVIRONMENT_LABEL_KEYS,
    ['app', 'application', 'k8s:app.kubernetes.io/part-of'],
    ['k8s:app.kubernetes.io/name', 'k8s:app', 'k8s:k8s-app', 'k8s:name'],
    ['tier', 'role', 'k8s:tier', 'k8s:app.kubernetes.io/component'],
    ['department', 'dept'],
    ['service'],
  ],
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

/**
 * Describes groups of one grouping: members are host indexes into
 * features.hosts; `names` are host names by address. What every group's
 * description needs (each host's IPv4 number) is computed once.
 */
export class GroupDescriber {
  private readonly ipv4: Float64Array;

  constructor(
    private readonly features: HostFeatures,
    private readonly names: ReadonlyMap<string, string>,
  ) {
    this.ipv4 = Float64Array.from(features.hosts, (host) => (ipaddr.IPv4.isValidFourPartDecimal(host.ip) ? ipv4Number(host.ip) : Number.NaN));
  }

  describe(members: readonly number[]): GroupDescription {
    const labels = agreedLabels(this.features, members);
    const parts: string[] = [];
    for (const keys of DESCRIBE_DEFAULTS.nameKeys) {
      const key = keys.find((candidate) => labels[candidate] !== undefined);
      if (key !== undefined) parts.push(labels[key]!);
    }
    parts.push(mainService(this.features, members));
    return { name: parts.join(' · '), labels, rule: this.membershipRule(members) };
  }

  /** How many members have each feature. */
  featureCounts(members: readonly number[]): Map<number, number> {
    const { featureStart, featureIds, profileOfHost } = this.features;
    const counts = new Map<number, number>();
    for (const host of members) {
      const profile = profileOfHost[host]!;
      for (let k = featureStart[profile]!; k < featureStart[profile + 1]!; k++) counts.set(featureIds[k]!, (counts.get(featureIds[k]!) ?? 0) + 1);
    }
    return counts;
  }

  /**
   * Why a host is in its group: the heaviest features it shares with most of
   * its group (`counts` from featureCounts), and its similarity to its group
   * against the nearest other one.
   */
  reason(host: number, counts: ReadonlyMap<number, number>, memberCount: number, similarity: HostSimilarity): string {
    const { features } = this;
    const profile = features.profileOfHost[host]!;
    const shared: { name: string; weight: number; count: number }[] = [];
    for (let k = features.featureStart[profile]!; k < features.featureStart[profile + 1]!; k++) {
      const id = features.featureIds[k]!;
      const count = counts.get(id) ?? 0;
      const feature = features.features[id]!;
      if (count > 1 && feature.weight > 0) shared.push({ name: feature.name, weight: feature.weight * count, count });
    }
    shared.sort((a, b) => b.weight - a.weight || compareText(a.name, b.name));
    const top = shared.slice(0, DESCRIBE_DEFAULTS.reasonFeatures).map((entry) => `${entry.name} (${entry.count}/${memberCount})`);
    const sharedText =
      memberCount === 1 ? 'alone in its group: no other host behaves like it' : top.length > 0 ? `shares ${top.join('; ')}` : 'shares only common traffic with its group';
    const versus =
      similarity.nearestGroup === null
        ? ''
        : memberCount === 1
          ? `; nearest other group ${similarity.nearestGroup} at similarity ${similarity.nearest.toFixed(2)}`
          : `; similarity ${similarity.own.toFixed(2)} to its group vs ${similarity.nearest.toFixed(2)} to ${similarity.nearestGroup}`;
    return sharedText + versus;
  }

  /**
   * A label, CIDR or hostname pattern that matches exactly the members among
   * all internal hosts, tried in that order.
   */
  private membershipRule(members: readonly number[]): string | null {
    const { features, names } = this;
    const allInternal = features.hosts.length;
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
    const cidr = coveringCidr(members.map((host) => this.ipv4[host]!));
    if (cidr !== null) {
      const { base, bits } = cidr;
      const size = 2 ** (32 - bits);
      if (isExact((host) => this.ipv4[host]! >= base && this.ipv4[host]! < base + size)) return `cidr ${ipv4Text(base)}/${bits}`;
    }
    const memberNames = members.map((host) => names.get(features.hosts[host]!.ip));
    if (memberNames.every((name) => name !== undefined && name.length > 0)) {
      const prefix = commonPrefix(memberNames as string[]);
      if (prefix.length >= 3 && isExact((host) => names.get(features.hosts[host]!.ip)?.startsWith(prefix) === true)) return `hostname ${prefix}*`;
    }
    return null;
  }
}

export interface HostSimilarity {
  readonly own: number;
  readonly nearest: number;
  readonly nearestGroup: string | null;
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

/** The smallest IPv4 CIDR holding every address (NaN: not IPv4), or null. */
function coveringCidr(addresses: readonly number[]): { base: number; bits: number } | null {
  if (addresses.some((address) => Number.isNaN(address))) return null;
  let low = addresses[0]!;
  let high = addresses[0]!;
  for (const address of addresses) {
    low = Math.min(low, address);
    high = Math.max(high, address);
  }
  let bits = 32;
  while (bits > 0 && Math.floor(low / 2 ** (32 - bits)) !== Math.floor(high / 2 ** (32 - bits))) bits--;
  return { base: Math.floor(low / 2 ** (32 - bits)) * 2 ** (32 - bits), bits };
}

function ipv4Number(ip: string): number {
  const octets = ipaddr.IPv4.parse(ip).octets;
  return ((octets[0]! << 24) >>> 0) + (octets[1]! << 16) + (octets[2]! << 8) + octets[3]!;
}

function ipv4Text(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

function commonPrefix(values: readonly string[]): string {
  let prefix = values[0] ?? '';
  for (const value of values) while (!value.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}
