import ipaddr from 'ipaddr.js';

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * The network an address belongs to at a prefix length, as "network/bits"
 * ("10.2.0.0/16", "fd00:1::/48"), or null for text that is no address.
 * Dotted quads (nearly every address) are handled without ipaddr.js: a
 * sweep brings hundreds of thousands of them.
 */
export function addressBlock(ip: string, ipv4Bits: number, ipv6Bits: number): string | null {
  const quad = IPV4.exec(ip);
  if (quad !== null && quad.slice(1, 5).every((octet) => Number(octet) <= 255)) {
    const value = quad.slice(1, 5).reduce((acc, octet) => acc * 256 + Number(octet), 0);
    const size = 2 ** (32 - ipv4Bits);
    const network = ipv4Bits <= 0 ? 0 : Math.floor(value / size) * size;
    return `${[24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join('.')}/${ipv4Bits}`;
  }
  if (!ipaddr.isValid(ip)) return null;
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return `${ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${ipv4Bits}`).toString()}/${ipv4Bits}`;
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${ipv6Bits}`).toRFC5952String()}/${ipv6Bits}`;
}

/**
 * addressBlock, but null for a link-local address (169.254.0.0/16,
 * fe80::/10): every link carries the same link-local prefix, so such a
 * block names no VLAN, subnet or pool.
 */
export function networkBlock(ip: string, ipv4Bits: number, ipv6Bits: number): string | null {
  if (ip.startsWith('169.254.') || (ip.includes(':') && ipaddr.isValid(ip) && ipaddr.process(ip).range() === 'linkLocal')) return null;
  return addressBlock(ip, ipv4Bits, ipv6Bits);
}
