import { INTERNAL_CIDRS, parseCidr } from '../enrich/address-scope';
import { canonicalIp, isIpv6 } from '../net/ip';
import { compareText } from '../util/compare';
import { isAnyOutsideGroup } from '../policy/external-networks';
import { matchCidrs } from '../policy/membership';
import { ALL_INTERNAL, type Policy, type PolicyGroup } from '../policy/policy-model';

/**
 * The addresses a firewall must name for a policy group, as the simulator
 * places hosts (membership.ts): its listed members, its CIDR membership
 * rule, every internal range for the all-internal group, the network of an
 * outside group. Label and hostname rules place hosts a firewall cannot see
 * by address: only the listed members are named, and the caller notes it.
 */
export interface GroupAddresses {
  /** Addresses and CIDRs, canonical, sorted, without duplicates. */
  readonly v4: readonly string[];
  readonly v6: readonly string[];
  /** A membership rule that only the listed members stand for (label, hostname prefix), as text; null when none. */
  readonly unexpressed: string | null;
}

export function groupAddresses(policy: Policy, groupId: string): GroupAddresses {
  if (groupId === ALL_INTERNAL) return split([...INTERNAL_CIDRS, ...policy.settings.internalCidrs], null);
  const group = policy.groups.find((candidate) => candidate.id === groupId);
  if (group === undefined) return { v4: [], v6: [], unexpressed: null };
  const entries = [...group.members];
  let unexpressed: string | null = null;
  // An outside group is its network; "any outside address" is the blocks its match lists (0.0.0.0/0 would take in the internal ranges).
  if (group.kind === 'external' && group.id.startsWith('ext:') && !(isAnyOutsideGroup(group.id) && group.match !== null)) entries.push(group.id.slice('ext:'.length));
  if (group.match !== null) {
    if ('cidr' in group.match || 'cidrs' in group.match) entries.push(...matchCidrs(group.match));
    else if ('label' in group.match) unexpressed = `hosts labelled ${group.match.label.key}=${group.match.label.value}`;
    else if ('hostnamePrefix' in group.match) unexpressed = `hosts named ${group.match.hostnamePrefix}*`;
  }
  return split(entries, unexpressed);
}

/** Every internal group's listed members, for per-host exports: address → group id. */
export function hostsOf(policy: Policy): Map<string, PolicyGroup> {
  const hosts = new Map<string, PolicyGroup>();
  for (const group of [...policy.groups].sort((a, b) => compareText(a.id, b.id))) {
    if (group.kind === 'external' || group.kind === 'all-internal') continue;
    for (const member of group.members) {
      const ip = canonicalIp(member);
      if (ip !== null && !hosts.has(ip)) hosts.set(ip, group);
    }
  }
  return hosts;
}

function split(entries: readonly string[], unexpressed: string | null): GroupAddresses {
  const v4 = new Set<string>();
  const v6 = new Set<string>();
  for (const entry of entries) {
    let canonical = entry.includes('/') ? (parseCidr(entry)?.text ?? null) : canonicalIp(entry);
    if (canonical === null) continue;
    // A whole-length prefix is one address: written as one, so that it and the member it covers are one element.
    if (canonical.endsWith('/32') && !canonical.includes(':')) canonical = canonical.slice(0, -3);
    if (canonical.endsWith('/128')) canonical = canonical.slice(0, -4);
    (isIpv6(canonical.split('/')[0]!) ? v6 : v4).add(canonical);
  }
  return { v4: [...v4].sort(compareText), v6: [...v6].sort(compareText), unexpressed };
}
