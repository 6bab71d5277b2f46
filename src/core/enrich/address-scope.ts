import ipaddr from 'ipaddr.js';

/** How an address relates to the organisation whose traffic is analysed. */
export type AddressScope = 'internal' | 'external' | 'multicast' | 'broadcast';

/** ipaddr.js ranges that never leave an organisation's own network. */
const INTERNAL_RANGES = new Set([
  'private',
  'loopback',
  'linkLocal',
  'carrierGradeNat',
  'uniqueLocal',
  'unspecified',
]);

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

export function cidrContains(cidr: Cidr, ip: string): boolean {
  const address = ipaddr.parse(ip);
  if (address.kind() !== cidr.network.kind()) return false;
  return address.match(cidr.network, cidr.bits);
}

/**
 * Internal vs external: RFC 1918, CGNAT, loopback, link-local and ULA
 * ranges, plus the user's own CIDRs (organisations with public address space).
 */
export class AddressScopes {
  constructor(private readonly extraInternal: readonly Cidr[] = []) {}

  scope(ip: string): AddressScope {
    const address = ipaddr.parse(ip);
    const range = address.range();
    if (range === 'multicast') return 'multicast';
    if (range === 'broadcast') return 'broadcast';
    if (INTERNAL_RANGES.has(range)) return 'internal';
    for (const cidr of this.extraInternal) if (cidrContains(cidr, ip)) return 'internal';
    return 'external';
  }
}
