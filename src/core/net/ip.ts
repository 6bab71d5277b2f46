import ipaddr from 'ipaddr.js';

/**
 * Canonical address text: IPv4 dotted quad, IPv6 in RFC 5952 form, IPv4-mapped
 * IPv6 folded to IPv4, zone ids dropped. Returns null for anything else.
 *
 * Flow exports repeat the same few thousand addresses millions of times, so
 * results are memoised; the cache is cleared when it grows past its bound so a
 * hostile file of unique addresses cannot exhaust memory.
 */
const CACHE_LIMIT = 200_000;
let cache = new Map<string, string | null>();

export function canonicalIp(text: string): string | null {
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  const result = parseCanonical(text);
  if (cache.size >= CACHE_LIMIT) cache = new Map();
  cache.set(text, result);
  return result;
}

function parseCanonical(text: string): string | null {
  if (text.length === 0 || text.length > 64) return null;
  if (text.includes(':')) {
    const percent = text.indexOf('%');
    const bare = percent >= 0 ? text.slice(0, percent) : text;
    if (!ipaddr.IPv6.isValid(bare)) return null;
    const address = ipaddr.IPv6.parse(bare);
    if (address.isIPv4MappedAddress()) return address.toIPv4Address().toString();
    return address.toRFC5952String();
  }
  // Strict dotted decimal: ipaddr.js would also accept "10.1" or octal forms.
  if (!ipaddr.IPv4.isValidFourPartDecimal(text)) return null;
  return ipaddr.IPv4.parse(text).toString();
}

export function isIpv6(canonical: string): boolean {
  return canonical.includes(':');
}

/** A sort key that orders IPv4 before IPv6 and each numerically. */
export function ipSortKey(canonical: string): string {
  const bytes = ipaddr.parse(canonical).toByteArray();
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return (bytes.length === 4 ? '4' : '6') + hex.padStart(32, '0');
}
