import ipaddr from 'ipaddr.js';
import { compareText } from '../util/compare';

/**
 * A group's exact membership rule: the shortest description that matches
 * every member and no other internal host, tried in order of how well it
 * survives change (a label, then an address block, then a hostname
 * prefix), or null when none is exact. Discovery describes its groups with
 * it, and the workbench describes a regrouped group again with it.
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

/** `members` are indexes into `hosts`, which holds every internal host. */
export function exactMembershipRule(members: readonly number[], hosts: readonly RuleHost[]): string | null {
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
  return null;
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
