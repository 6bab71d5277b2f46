import { CidrIndex } from '../enrich/cidr-index';
import { parseCidr } from '../enrich/address-scope';
import { compareText } from '../util/compare';
import { networkGroupId } from './external-networks';
import { ALL_INTERNAL, type MembershipRule, type PolicyGroup, type PolicySettings } from './policy-model';
import type { PolicyHost } from './policy-input';

/** Where a host falls in a policy, and why. */
export interface Placement {
  /** The host's own group; null when no group lists or matches it. */
  readonly group: string | null;
  readonly how: 'member' | 'label' | 'cidr' | 'hostname' | 'network' | 'none';
}

/**
 * Places addresses in a policy's groups: listed members first, then the
 * groups' membership rules (label, CIDR, hostname prefix; the first group in
 * id order wins), and outside addresses by their network. Every internal
 * host also belongs to the all-internal group.
 */
export class GroupResolver {
  private readonly members = new Map<string, string>();
  private readonly ruled: { readonly id: string; readonly rule: MembershipRule }[] = [];
  private readonly cidrs = new CidrIndex<string>();
  private readonly external = new Set<string>();
  private readonly cache = new Map<string, Placement>();
  private readonly outside = new Map<string, readonly string[]>();

  constructor(groups: readonly PolicyGroup[], private readonly settings: Pick<PolicySettings, 'externalPrefixV4' | 'externalPrefixV6'>) {
    for (const group of [...groups].sort((a, b) => compareText(a.id, b.id))) {
      if (group.kind === 'all-internal') continue;
      if (group.kind === 'external') this.external.add(group.id);
      for (const member of group.members) if (!this.members.has(member)) this.members.set(member, group.id);
      if (group.match !== null && !('scope' in group.match)) {
        this.ruled.push({ id: group.id, rule: group.match });
        for (const text of matchCidrs(group.match)) {
          const cidr = parseCidr(text);
          if (cidr !== null) this.cidrs.add(cidr, group.id);
        }
      }
    }
  }

  place(host: Pick<PolicyHost, 'ip' | 'scope' | 'name' | 'labels'>): Placement {
    const cached = this.cache.get(host.ip);
    if (cached !== undefined) return cached;
    const placement = this.compute(host);
    this.cache.set(host.ip, placement);
    return placement;
  }

  /**
   * The host's group and, for internal hosts, the all-internal group. A listed
   * member of an internal group is internal whatever this replay's scope says
   * (the policy may have been made with --internal ranges given there).
   */
  groupsOf(host: Pick<PolicyHost, 'ip' | 'scope' | 'name' | 'labels'>): readonly string[] {
    const { group, how } = this.place(host);
    const internal = host.scope === 'internal' || (how === 'member' && group !== null && !this.external.has(group));
    if (!internal) return group === null ? [] : this.outsideGroups(host.ip, group);
    return group === null ? [ALL_INTERNAL] : [group, ALL_INTERNAL];
  }

  /**
   * An outside address is in every outside network the policy names that
   * holds it, its own first: a new customer of a public web shop whose /24
   * the proxy once reached is in that /24's group and in "any outside
   * address" (external-networks.ts) alike.
   */
  private outsideGroups(ip: string, own: string): readonly string[] {
    const cached = this.outside.get(ip);
    if (cached !== undefined) return cached;
    const wider = this.cidrs.match(ip).filter((id) => this.external.has(id) && id !== own).reverse();
    const groups = [own, ...new Set(wider)];
    this.outside.set(ip, groups);
    return groups;
  }

  private compute(host: Pick<PolicyHost, 'ip' | 'scope' | 'name' | 'labels'>): Placement {
    const listed = this.members.get(host.ip);
    if (listed !== undefined) return { group: listed, how: 'member' };
    if (host.scope === 'internal') {
      for (const { id, rule } of this.ruled) {
        if (this.external.has(id)) continue;
        if ('label' in rule && host.labels.some((label) => label.key === rule.label.key && label.value === rule.label.value)) return { group: id, how: 'label' };
        if ('hostnamePrefix' in rule && host.name !== null && host.name.startsWith(rule.hostnamePrefix)) return { group: id, how: 'hostname' };
        if (('cidr' in rule || 'cidrs' in rule) && this.cidrs.match(host.ip).includes(id)) return { group: id, how: 'cidr' };
      }
      return { group: null, how: 'none' };
    }
    const network = networkGroupId(host.ip, host.scope, this.settings);
    if (this.external.has(network)) return { group: network, how: 'network' };
    // A network the policy names with another prefix length still contains the address.
    const containing = this.cidrs.match(host.ip).filter((id) => this.external.has(id));
    return containing.length > 0 ? { group: containing[containing.length - 1]!, how: 'cidr' } : { group: null, how: 'none' };
  }
}

/** The address blocks a membership rule places hosts by: its CIDR, or its blocks; none for other rules. */
export function matchCidrs(match: MembershipRule | null): readonly string[] {
  if (match === null) return [];
  if ('cidr' in match) return [match.cidr];
  if ('cidrs' in match) return match.cidrs;
  return [];
}

/** Discovery's membership rule text ("label app=web", "cidr 10.1.2.0/24", "hostname web-*", "cidrs 10.1.2.0/25 10.3.2.0/24") as a structured rule. */
export function parseMembershipRule(text: string | null): MembershipRule | null {
  if (text === null) return null;
  if (text.startsWith('label ')) {
    const body = text.slice('label '.length);
    const equals = body.indexOf('=');
    return equals < 0 ? null : { label: { key: body.slice(0, equals), value: body.slice(equals + 1) } };
  }
  if (text.startsWith('cidr ')) return { cidr: text.slice('cidr '.length) };
  if (text.startsWith('cidrs ')) return { cidrs: text.slice('cidrs '.length).split(' ').filter((cidr) => cidr !== '') };
  if (text.startsWith('hostname ') && text.endsWith('*')) return { hostnamePrefix: text.slice('hostname '.length, -1) };
  return null;
}
