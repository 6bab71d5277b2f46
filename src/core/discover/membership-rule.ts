import ipaddr from 'ipaddr.js';
import { compareText } from '../util/compare';
import { isPodLabelKey } from '../enrich/label-keys';
import { getOrAdd } from '../util/multimap';

/**
 * A group's membership rule: the shortest description that matches every
 * member and no other internal host, tried in order of how well it survives
 * change (a label, then an address block, then a hostname prefix); where
 * none is exact, the address blocks that hold only members (new hosts in
 * them join the group; the members stay listed); else null. Discovery
 * describes its groups with it, and the workbench describes a regrouped
 * group again with it.
 */

/** An internal host as a membership rule sees it; `ipv4` is NaN for an IPv6 address. */
export interface RuleHost {
  readonly ipv4: number;
  readonly labels: readonly { readonly key: string; readonly value: string }[];
  readonly name: string | undefined;
}

export function ruleHost(ip: string, labels: RuleHost['labels'], name: string | null | undefined): RuleHost {
  return { ipv4: ipaddr.IPv4.isValidFourPartDecimal(ip) ? ipv4Number(ip) : Number.NaN, labels, name: name ?? undefined };
}

/**
 * Where no one rule is exact, the address blocks that hold only a group's
 * members still say where its new hosts will appear: a department's desks
 * fill their own VLAN at each clinic, and a desk back from a long power-off
 * takes a new DHCP address in it. Such a rule is written "cidrs" with the
 * blocks; listed members keep their own placement.
 */
export const MEMBERSHIP_BLOCK_DEFAULTS = {
  /**
   * A block grows no larger than this IPv4 prefix: a subnet is what DHCP
   * hands addresses from, and /24 is the usual one; beyond it a block would
   * claim the unseen subnets next door, whose hosts are nobody's evidence.
   */
  blockMaxPrefixV4: 24,
  /**
   * …around runs of at least this many members (in address order, no other
   * host between them): one member says only that its own address is the
   * group's, and its unseen neighbours could be anything; two or more side
   * by side are the group's share of an address plan (a DHCP pool).
   */
  blockMinMembers: 2,
  /**
   * …or a lone member at its group's slot: the same address in at least
   * this many subnets (and in at least half of the group's subnets), the
   * store server at .20 of every shop's /24. Sites laid out from one address
   * plan give each role the same addresses, and the addresses around a
   * role's one in that plan are where its replacement is brought up; five
   * subnets, as for site copies (site-copies.ts), make a plan and not a
   * coincidence (DHCP hands out the same host number in two or three
   * subnets by chance, and the half rule keeps a role with hosts anywhere
   * in a block from claiming one address of it).
   */
  slotMinSubnets: 5,
} as const;

export type MembershipBlockOptions = { readonly [K in keyof typeof MEMBERSHIP_BLOCK_DEFAULTS]: number };

/**
 * `members` are indexes into `hosts`, which holds every internal host.
 * `anchored`: hosts that hold addresses at their own group's slot
 * (slotHosts over every group), so that no block reaches past them.
 */
export function exactMembershipRule(
  members: readonly number[],
  hosts: readonly RuleHost[],
  blocks: MembershipBlockOptions = MEMBERSHIP_BLOCK_DEFAULTS,
  anchored: ReadonlySet<number> = new Set(),
): string | null {
  if (members.length === 0) return null;
  const memberSet = new Set(members);
  const isExact = (matches: (host: RuleHost) => boolean): boolean => {
    for (let index = 0; index < hosts.length; index++) if (matches(hosts[index]!) !== memberSet.has(index)) return false;
    return true;
  };
  const first = hosts[members[0]!]!;
  for (const label of [...first.labels].sort((a, b) => compareText(a.key, b.key) || compareText(a.value, b.value))) {
    if (isExact((host) => host.labels.some((other) => other.key === label.key && other.value === label.value))) return `label ${label.key}=${label.value}`;
  }
  const cidr = coveringCidr(members.map((index) => hosts[index]!.ipv4));
  if (cidr !== null) {
    const { base, bits } = cidr;
    const size = 2 ** (32 - bits);
    if (isExact((host) => host.ipv4 >= base && host.ipv4 < base + size)) return `cidr ${ipv4Text(base)}/${bits}`;
  }
  const names = members.map((index) => hosts[index]!.name);
  if (names.every((name) => name !== undefined && name.length > 0)) {
    const prefix = commonPrefix(names as string[]);
    if (prefix.length >= 3 && isExact((host) => host.name?.startsWith(prefix) === true)) return `hostname ${prefix}*`;
  }
  const pure = memberBlocks(members, hosts, blocks, anchored);
  return pure.length === 0 ? null : `cidrs ${pure.join(' ')}`;
}

/**
 * The IPv4 blocks (MEMBERSHIP_BLOCK_DEFAULTS) a group's new hosts will
 * appear in, in address order; none when a member is IPv6 or a pod (a
 * Kubernetes label: every workload's pods take addresses from their node's
 * range, so a block says nothing of which workload a new pod runs). Within each
 * subnet (the largest block allowed), every run of members that no other
 * host interrupts, in address order, holds the addresses around it: up to
 * a lone other host (a router, a printer), halfway to a run of other hosts
 * (another department's pool: a new address goes to its nearest known
 * neighbours), to the subnet's edge where there is none, and never past a
 * host of another group. A run counts from blockMinMembers hosts: fewer say
 * nothing of a pool, and are left to the member list (or, on the other
 * side, stand alone), or from one member at the group's slot (slotHosts),
 * which counts as a run of the address plan; a lone other host that holds
 * its own group's slot (`anchored`) is treated as a pool, halfway. Neither
 * side's range reaches into the other's, so no address is in two groups.
 * Each range is written as the fewest CIDR blocks.
 */
export function memberBlocks(
  members: readonly number[],
  hosts: readonly RuleHost[],
  options: MembershipBlockOptions = MEMBERSHIP_BLOCK_DEFAULTS,
  anchored: ReadonlySet<number> = new Set(),
): string[] {
  const memberSet = new Set(members);
  if (members.some((index) => Number.isNaN(hosts[index]!.ipv4) || isPod(hosts[index]!))) return [];
  const subnetSize = 2 ** (32 - options.blockMaxPrefixV4);
  const subnetOf = (address: number): number => Math.floor(address / subnetSize) * subnetSize;
  const slotted = slotMembers(members, hosts, options);
  const subnets = new Set(members.map((index) => subnetOf(hosts[index]!.ipv4)));
  // Every host in those subnets, in address order, and whether it is a member.
  const inSubnets = hosts
    .map((host, index) => ({ address: host.ipv4, member: memberSet.has(index), slot: slotted.has(index), anchor: !memberSet.has(index) && anchored.has(index) }))
    .filter((entry) => !Number.isNaN(entry.address) && subnets.has(subnetOf(entry.address)))
    .sort((a, b) => a.address - b.address || Number(b.member) - Number(a.member));
  const blocks: string[] = [];
  for (let start = 0; start < inSubnets.length; ) {
    const subnet = subnetOf(inSubnets[start]!.address);
    let end = start;
    while (end + 1 < inSubnets.length && subnetOf(inSubnets[end + 1]!.address) === subnet) end++;
    // Runs of members between other hosts within [start, end].
    for (let first = start; first <= end; ) {
      if (!inSubnets[first]!.member) {
        first++;
        continue;
      }
      let last = first;
      while (last + 1 <= end && inSubnets[last + 1]!.member) last++;
      if (last - first + 1 >= options.blockMinMembers || (first === last && inSubnets[first]!.slot)) {
        // Other hosts on each side: how many in a row (a pool of their own, or a lone router).
        let below = 0;
        while (first - below - 1 >= start && !inSubnets[first - below - 1]!.member) below++;
        let above = 0;
        while (last + above + 1 <= end && !inSubnets[last + above + 1]!.member) above++;
        const [prev, next] = [inSubnets[first - 1], inSubnets[last + 1]];
        // Halfway to a pool or to another group's slot (an address equally far from both goes to the lower one); up to a lone host.
        const halfwayBelow = below >= options.blockMinMembers || prev?.anchor === true;
        const halfwayAbove = above >= options.blockMinMembers || next?.anchor === true;
        const low = below === 0 ? subnet : halfwayBelow ? Math.floor((prev!.address + inSubnets[first]!.address) / 2) + 1 : prev!.address + 1;
        const high = above === 0 ? subnet + subnetSize - 1 : halfwayAbove ? Math.floor((inSubnets[last]!.address + next!.address) / 2) : next!.address - 1;
        blocks.push(...rangeCidrs(low, high));
      }
      first = last + 1;
    }
    start = end + 1;
  }
  return blocks;
}

/**
 * The members at their group's slot: an address within the subnet
 * (blockMaxPrefixV4) that the group holds in at least slotMinSubnets
 * subnets and in at least half of the subnets it has members in
 * (MEMBERSHIP_BLOCK_DEFAULTS.slotMinSubnets says why).
 */
function slotMembers(members: readonly number[], hosts: readonly RuleHost[], options: MembershipBlockOptions): Set<number> {
  const subnetSize = 2 ** (32 - options.blockMaxPrefixV4);
  const subnets = new Set<number>();
  const subnetsAt = new Map<number, Set<number>>();
  for (const index of members) {
    const address = hosts[index]!.ipv4;
    if (Number.isNaN(address) || isPod(hosts[index]!)) return new Set();
    const subnet = Math.floor(address / subnetSize);
    subnets.add(subnet);
    getOrAdd(subnetsAt, address % subnetSize, () => new Set<number>()).add(subnet);
  }
  const isSlot = (offset: number): boolean => {
    const count = subnetsAt.get(offset)!.size;
    return count >= options.slotMinSubnets && 2 * count >= subnets.size;
  };
  return new Set(members.filter((index) => isSlot(hosts[index]!.ipv4 % subnetSize)));
}

/** Every host at its own group's slot (slotMembers), over a whole grouping: the `anchored` hosts of memberBlocks. */
export function slotHosts(groups: readonly (readonly number[])[], hosts: readonly RuleHost[], options: MembershipBlockOptions = MEMBERSHIP_BLOCK_DEFAULTS): Set<number> {
  const anchored = new Set<number>();
  for (const members of groups) for (const index of slotMembers(members, hosts, options)) anchored.add(index);
  return anchored;
}

/** Pods carry their labels as "k8s:…" (host-profiles.ts, the Hubble reader). */
const isPod = (host: RuleHost): boolean => host.labels.some((label) => isPodLabelKey(label.key));

/** The fewest CIDR blocks that cover [low, high] exactly. */
export function rangeCidrs(low: number, high: number): string[] {
  const cidrs: string[] = [];
  for (let address = low; address <= high; ) {
    let size = 1;
    while (address % (size * 2) === 0 && address + size * 2 - 1 <= high) size *= 2;
    cidrs.push(`${ipv4Text(address)}/${32 - Math.log2(size)}`);
    address += size;
  }
  return cidrs;
}

/** The smallest IPv4 CIDR holding every address (NaN: not IPv4), or null. */
export function coveringCidr(addresses: readonly number[]): { base: number; bits: number } | null {
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

export function ipv4Number(ip: string): number {
  const octets = ipaddr.IPv4.parse(ip).octets;
  return ((octets[0]! << 24) >>> 0) + (octets[1]! << 16) + (octets[2]! << 8) + octets[3]!;
}

export function ipv4Text(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

function commonPrefix(values: readonly string[]): string {
  let prefix = values[0] ?? '';
  for (const value of values) while (!value.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}
