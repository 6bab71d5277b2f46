import ipaddr from 'ipaddr.js';
import { APPLICATION_LABEL_KEYS, ENVIRONMENT_LABEL_KEYS, TIER_LABEL_KEYS } from '../enrich/label-keys';
import { compareText } from '../util/compare';
import { identifierLabelKeys } from './identifier-labels';
import { coveringCidr, exactMembershipRule, ipv4Number, ipv4Text, MEMBERSHIP_BLOCK_DEFAULTS, slotHosts, type RuleHost } from './membership-rule';
import { NamingEvidence, type GroupRole, type NamingEdge } from './group-names';
import { HOST_FEATURE_DEFAULTS, type HostFeatures } from './host-features';

export type { NamingEdge };

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
    [...APPLICATION_LABEL_KEYS, 'k8s:app.kubernetes.io/part-of'],
    ['k8s:app.kubernetes.io/name', 'k8s:app', 'k8s:k8s-app', 'k8s:name'],
    [...TIER_LABEL_KEYS, 'k8s:tier', 'k8s:app.kubernetes.io/component'],
    ['department', 'dept'],
    ['service'],
  ],
  /** Features listed in a host's reason. */
  reasonFeatures: 3,
  /** Address blocks of a group with no exact rule (membership-rule.ts). */
  ...MEMBERSHIP_BLOCK_DEFAULTS,
} as const;

export interface GroupDescription {
  readonly name: string;
  /** Labels carried by at least DESCRIBE_DEFAULTS.labelAgreement of the members. */
  readonly labels: Readonly<Record<string, string>>;
  /** A rule that selects exactly these members among the internal hosts, else the address blocks that hold only members; null when neither exists. */
  readonly rule: string | null;
}

/** What naming may use beyond the features; every field optional. */
export interface DescribeContext {
  /**
   * The grouping's client→server edges (with flow counts when known). Without
   * them the evidence is read back from the features, exact in a first round
   * and approximate in refinement rounds, whose peers are groups.
   */
  readonly edges?: readonly NamingEdge[];
  /** The protocol a sensor identified per server port, keyed "ip|proto|port" (Zeek's service). */
  readonly observedServices?: ReadonlyMap<string, string>;
}

/**
 * Describes groups of one grouping: members are host indexes into
 * features.hosts; `names` are host names by address. What every group's
 * description needs (each host's IPv4 number, who serves and uses what) is
 * computed once.
 */
export class GroupDescriber {
  private readonly ipv4: Float64Array;
  private readonly evidence: NamingEvidence;
  /** Built on the first membership rule asked for. */
  private ruleHosts: RuleHost[] | undefined;
  /** Hosts at their own group's address slot, over the grouping describeGroups was last given (membership-rule.ts, slotHosts). */
  private anchored: ReadonlySet<number> = new Set();
  /** Label keys that name single hosts (identifier-labels.ts): never what tells a group from its namesakes. */
  private readonly identifiers: Set<string>;

  constructor(
    private readonly features: HostFeatures,
    private readonly names: ReadonlyMap<string, string>,
    context: DescribeContext = {},
  ) {
    this.ipv4 = Float64Array.from(features.hosts, (host) => (ipaddr.IPv4.isValidFourPartDecimal(host.ip) ? ipv4Number(host.ip) : Number.NaN));
    this.evidence = new NamingEvidence(features, context.edges, context.observedServices);
    this.identifiers = identifierLabelKeys(features.hosts, HOST_FEATURE_DEFAULTS.identifierMinCarriers);
  }

  /**
   * One group's description. Its name is agreed labels (environment, app,
   * component, tier, department, service) and its role (the service its
   * clients use most, or what it does to others); names are made unique
   * only by describeGroups, which sees every group.
   */
  describe(members: readonly number[]): GroupDescription {
    return this.describeOne(members).description;
  }

  /** Every group of a grouping, with names told apart where two would be the same (see uniqueNames). */
  describeGroups(groups: readonly (readonly number[])[], sizeOf: (group: number) => string | null = () => null): GroupDescription[] {
    const groupOfHost = new Int32Array(this.features.hosts.length).fill(-1);
    groups.forEach((members, index) => members.forEach((host) => (groupOfHost[host] = index)));
    this.evidence.setGrouping(groupOfHost);
    // A group's address blocks stop short of another group's slot: that group's plan holds the addresses around it too.
    this.anchored = slotHosts(groups, this.hostsForRules(), DESCRIBE_DEFAULTS);
    const described = groups.map((members) => this.describeOne(members));
    const names = uniqueNames(
      described.map((entry) => entry.description.name),
      (group) => ({ ...this.qualifiers(groups, groupOfHost, described, group), size: sizeOf(group) }),
      groups.map((members) => members.reduce((least, host) => (host < least ? host : least), Infinity)),
    );
    return described.map((entry, group) => ({ ...entry.description, name: names[group]! }));
  }

  /**
   * Agreed labels, then the role: a group that serves something is named by
   * that service; one that serves nothing by its labels when it has any
   * (they say what "monitoring" or "clients of …" would guess at), else by
   * what it does to others, else by what it uses.
   */
  private describeOne(members: readonly number[]): { description: GroupDescription; role: GroupRole } {
    const labels = agreedLabels(this.features, members);
    const parts: string[] = [];
    for (const keys of DESCRIBE_DEFAULTS.nameKeys) {
      const key = keys.find((candidate) => labels[candidate] !== undefined);
      if (key !== undefined) parts.push(labels[key]!);
    }
    const role = this.evidence.role(members);
    if (parts.length === 0) parts.push(role.role ?? role.fallback);
    else if (role.serves) parts.push(role.role!);
    return { description: { name: parts.join(' · '), labels, rule: this.membershipRule(members) }, role };
  }

  /**
   * What may tell a group apart from namesakes, in order of preference:
   * an agreed label not in its name, the group its clients (or servers) are
   * mostly in, its address block (and, given by describeGroups' caller, the
   * size of what it says). Each kind is used only when it tells every
   * namesake apart (uniqueNames).
   */
  private qualifiers(
    groups: readonly (readonly number[])[],
    groupOfHost: Int32Array,
    described: readonly { description: GroupDescription; role: GroupRole }[],
    group: number,
  ): Omit<Qualifiers, 'size'> {
    const labels = Object.fromEntries(Object.entries(described[group]!.description.labels).filter(([key]) => !this.identifiers.has(key)));
    const role = described[group]!.role;
    const weights = new Map<number, number>();
    for (const [host, weight] of this.evidence.peerHosts(groups[group]!, role.peers)) {
      const peerGroup = host < 0 ? -1 : groupOfHost[host]!;
      weights.set(peerGroup, (weights.get(peerGroup) ?? 0) + weight);
    }
    const main = [...weights.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
    const peer =
      main === undefined ? null : main[0] < 0 ? (role.peers === 'clients' ? 'used from outside' : 'using outside hosts') : `${role.peers === 'clients' ? 'used by' : 'using'} ${described[main[0]]!.description.name}`;
    const cidr = coveringCidr(groups[group]!.map((host) => this.ipv4[host]!));
    return { labels, peer, block: cidr === null ? null : `${ipv4Text(cidr.base)}/${cidr.bits}` };
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
   * all internal hosts, tried in that order; else the blocks that hold only
   * members.
   */
  private membershipRule(members: readonly number[]): string | null {
    return exactMembershipRule(members, this.hostsForRules(), DESCRIBE_DEFAULTS, this.anchored);
  }

  private hostsForRules(): RuleHost[] {
    return (this.ruleHosts ??= this.features.hosts.map((host, index) => ({ ipv4: this.ipv4[index]!, labels: host.labels, name: this.names.get(host.ip) })));
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

/** What may tell a group apart from namesakes (null: nothing of that kind). */
export interface Qualifiers {
  readonly labels: Readonly<Record<string, string>>;
  readonly peer: string | null;
  /** What its connections carry, for a group that message sizes parted from its namesakes ("6.7 kB per connection"). */
  readonly size?: string | null;
  readonly block: string | null;
}

/**
 * Names made unique. Groups sharing a name are told apart by the first kind
 * of evidence that differs for every one of them: an agreed label missing
 * from the name ("· site=lon"), the group their clients (or servers) are
 * mostly in ("· used by prod · billing · web"), what their connections
 * carry where message sizes parted them ("· 6.7 kB per connection"; one
 * namesake that sizes did not part keeps its name as it is), their address
 * block ("· 10.1.2.0/24"); as a last resort "#1", "#2", … in `order` (each
 * group's first member in canonical order), so the result does not depend
 * on the order groups come in.
 */
export function uniqueNames(names: readonly string[], qualifiers: (group: number) => Qualifiers, order: readonly number[]): string[] {
  const result = [...names];
  for (let pass = 0; pass < 3; pass++) {
    const byName = new Map<string, number[]>();
    result.forEach((name, group) => byName.set(name, [...(byName.get(name) ?? []), group]));
    const clashes = [...byName.values()].filter((groups) => groups.length > 1);
    if (clashes.length === 0) break;
    for (const clash of clashes) {
      const sorted = [...clash].sort((a, b) => order[a]! - order[b]! || a - b);
      const found = sorted.map((group) => qualifiers(group));
      const distinct = (texts: readonly (string | null)[]): texts is string[] => texts.every((text) => text !== null) && new Set(texts).size === texts.length;
      const keys = [...new Set(found.flatMap((entry) => Object.keys(entry.labels)))].sort(compareText);
      let suffixes: string[] | null = null;
      for (const key of keys) {
        const values = found.map((entry) => (entry.labels[key] === undefined ? null : `${key}=${entry.labels[key]}`));
        if (distinct(values) && !values.some((value, i) => result[sorted[i]!]!.split(' · ').includes(value.slice(key.length + 1)))) {
          suffixes = values;
          break;
        }
      }
      if (suffixes === null) {
        const peers = found.map((entry) => entry.peer);
        if (distinct(peers)) suffixes = peers;
      }
      if (suffixes === null) {
        // Parts of one group that message sizes split, and at most one namesake that is not such a part (kept as it is).
        const sizes = found.map((entry) => entry.size ?? null);
        const given = sizes.filter((size): size is string => size !== null);
        if (given.length >= 2 && given.length >= sizes.length - 1 && new Set(given).size === given.length) suffixes = sizes.map((size) => size ?? '');
      }
      if (suffixes === null) {
        const blocks = found.map((entry) => entry.block);
        if (distinct(blocks)) suffixes = blocks;
      }
      const chosen = suffixes ?? sorted.map((_, i) => `#${i + 1}`);
      sorted.forEach((group, i) => {
        if (chosen[i] !== '') result[group] = `${result[group]} · ${chosen[i]}`;
      });
    }
  }
  // Whatever still clashes (a qualified name equal to another group's): numbered in order.
  const seen = new Map<string, number>();
  return result.map((name, group) => ({ name, group })).sort((a, b) => order[a.group]! - order[b.group]! || a.group - b.group).reduce((out, { name, group }) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    out[group] = count === 1 ? name : `${name} #${count}`;
    return out;
  }, [...result]);
}
