import { parseCidr } from '../enrich/address-scope';
import { isIpv6 } from '../net/ip';
import type { PolicySettings } from './policy-model';

/** Prefix for the ids of groups that stand for networks outside the organisation. */
export const EXTERNAL_PREFIX = 'ext:';

/** The network an outside address is grouped into: its /24 (IPv4) or /48 (IPv6) by default. */
export function externalNetwork(ip: string, settings: Pick<PolicySettings, 'externalPrefixV4' | 'externalPrefixV6'>): string {
  const bits = isIpv6(ip) ? settings.externalPrefixV6 : settings.externalPrefixV4;
  const cidr = parseCidr(`${ip}/${bits}`);
  if (cidr === null) throw new Error(`not an address: ${ip}`);
  return cidr.text;
}

export const externalGroupId = (network: string): string => `${EXTERNAL_PREFIX}${network}`;
