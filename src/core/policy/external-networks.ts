import type { AddressScope } from '../enrich/address-scope';
import { parseCidr } from '../enrich/address-scope';
import { isIpv6 } from '../net/ip';
import type { PolicySettings } from './policy-model';

/**
 * Addresses outside the organisation are grouped by network: their /24
 * (IPv4) or /48 (IPv6) by default. Multicast and broadcast destinations get
 * groups of their own kind, so an SSDP announcement never reads as traffic
 * to the internet.
 */
type NetworkScope = Exclude<AddressScope, 'internal'>;

const PREFIXES: Record<NetworkScope, string> = { external: 'ext:', multicast: 'mcast:', broadcast: 'bcast:', unspecified: 'unspec:' };
const NAMES: Record<NetworkScope, string> = { external: 'outside', multicast: 'multicast', broadcast: 'broadcast', unspecified: 'unspecified' };

/** The group id of a non-internal address: "ext:198.51.100.0/24", "mcast:239.255.255.0/24". */
export function networkGroupId(ip: string, scope: NetworkScope, settings: Pick<PolicySettings, 'externalPrefixV4' | 'externalPrefixV6'>): string {
  const bits = isIpv6(ip) ? settings.externalPrefixV6 : settings.externalPrefixV4;
  const cidr = parseCidr(`${ip}/${bits}`);
  if (cidr === null) throw new Error(`not an address: ${ip}`);
  return `${PREFIXES[scope]}${cidr.text}`;
}

/** What a network group id stands for, or null for other ids. */
export function networkOfGroup(id: string): { readonly scope: NetworkScope; readonly network: string; readonly name: string } | null {
  for (const scope of Object.keys(PREFIXES) as NetworkScope[]) {
    if (id.startsWith(PREFIXES[scope])) {
      const network = id.slice(PREFIXES[scope].length);
      return { scope, network, name: `${NAMES[scope]} ${network}` };
    }
  }
  return null;
}

/** "outside address", "multicast address"… for explanations. */
export function addressNoun(scope: NetworkScope): string {
  return `${NAMES[scope]} address`;
}
