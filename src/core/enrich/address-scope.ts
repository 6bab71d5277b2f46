import ipaddr from 'ipaddr.js';
import { CidrIndex } from './cidr-index';

/**
 * How an address relates to the organisation whose traffic is analysed.
 * 'unspecified' (0.0.0.0, ::) is the source of a host that has no address
 * yet (DHCP discover, IPv6 duplicate address detection): never a host of
 * the estate, a client of a rule or a member of a group.
 */
export type AddressScope = 'internal' | 'external' | 'multicast' | 'broadcast' | 'unspecified';

/** ipaddr.js ranges that never leave an organisation's own network. */
const INTERNAL_RANGES = new Set([
  'private',
  'loopback',
  'linkLocal',
  'carrierGradeNat',
  'uniqueLocal',
]);

/**
 * The same ranges as CIDRs, for outputs that must name them (a firewall
 * rule from "every internal host"): RFC 1918, CGNAT, loopback, link-local,
 * ULA. A test checks each against INTERNAL_RANGES.
 */
export const INTERNAL_CIDRS: readonly string[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '::1/128', 'fe80::/10', 'fc00::/7'];

export interface Cidr {
  readonly text: string;
  readonly network: ipaddr.IPv4 | ipaddr.IPv6;
  readonly bits: number;
}

/** Parses "10.1.0.0/16" (host bits are cleared: "10.1.2.3/16" names 10.1.0.0/16). */
export function parseCidr(text: string): Cidr | null {
  const trimmed = text.trim();
  if (!trimmed.includes('/')) return null;
  try {
    const [address, bits] = ipaddr.parseCIDR(trimmed);
    const network = address.kind() === 'ipv4'
      ? ipaddr.IPv4.networkAddressFromCIDR(trimmed)
      : ipaddr.IPv6.networkAddressFromCIDR(trimmed);
    const canonical = network.kind() === 'ipv6' ? (network as ipaddr.IPv6).toRFC5952String() : network.toString();
    return { text: `${canonical}/${bits}`, network, bits };
  } catch {
    return null;
  }
}

/**
 * Internal vs external: RFC 1918, CGNAT, loopback, link-local and ULA
 * ranges, plus the user's own CIDRs (organisations with public address space).
 */
export class AddressScopes {
  private readonly extraInternal = new CidrIndex<true>();

  constructor(extraInternal: readonly Cidr[] = []) {
    for (const cidr of extraInternal) this.extraInternal.add(cidr, true);
  }

  scope(ip: string): AddressScope {
    const range = ipaddr.parse(ip).range();
    if (range === 'multicast') return 'multicast';
    if (range === 'broadcast') return 'broadcast';
    if (range === 'unspecified') return 'unspecified';
    if (INTERNAL_RANGES.has(range)) return 'internal';
    return this.extraInternal.match(ip).length > 0 ? 'internal' : 'external';
  }
}
