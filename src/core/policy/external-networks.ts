import { excludeCidr } from 'cidr-tools';
import type { AddressScope } from '../enrich/address-scope';
import { INTERNAL_CIDRS, parseCidr } from '../enrich/address-scope';
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

/**
 * The group of every outside address (of one address family): what a
 * public service's clients and an open destination's servers are named by
 * (generate-rules.ts, publicMinNetworks), since the next ones will come
 * from networks no capture has seen.
 */
export function anyOutsideGroupId(ip: string): string {
  return `${PREFIXES.external}${isIpv6(ip) ? '::/0' : '0.0.0.0/0'}`;
}

/**
 * Never an outside address: the internal ranges (address-scope.ts, its
 * IPv6 loopback as part of IPv6's first /8: unspecified, loopback, mapped),
 * "this network", multicast and the reserved block.
 */
const NOT_OUTSIDE: readonly string[] = [...INTERNAL_CIDRS.filter((cidr) => cidr !== '::1/128'), '0.0.0.0/8', '224.0.0.0/4', '240.0.0.0/4', '::/8', 'ff00::/8'];

/**
 * "Any outside address" (anyOutsideGroupId) as the fewest blocks, in address
 * order, less the policy's own internal ranges: what its rules can be
 * enforced with (0.0.0.0/0 would also admit the organisation's own space).
 */
export function anyOutsideBlocks(id: string, internalCidrs: readonly string[]): string[] {
  return excludeCidr([id.endsWith('::/0') ? '::/0' : '0.0.0.0/0'], [...NOT_OUTSIDE, ...internalCidrs]);
}

/** Whether a group id is "any outside address". */
export const isAnyOutsideGroup = (id: string): boolean => id === `${PREFIXES.external}0.0.0.0/0` || id === `${PREFIXES.external}::/0`;

/** What a network group id stands for, or null for other ids. */
export function networkOfGroup(id: string): { readonly scope: NetworkScope; readonly network: string; readonly name: string } | null {
  for (const scope of Object.keys(PREFIXES) as NetworkScope[]) {
    if (id.startsWith(PREFIXES[scope])) {
      const network = id.slice(PREFIXES[scope].length);
      const any = scope === 'external' && (network === '0.0.0.0/0' || network === '::/0');
      return { scope, network, name: any ? `any outside address${network === '::/0' ? ' (IPv6)' : ''}` : `${NAMES[scope]} ${network}` };
    }
  }
  return null;
}

/** "outside address", "multicast address"… for explanations. */
export function addressNoun(scope: NetworkScope): string {
  return `${NAMES[scope]} address`;
}
