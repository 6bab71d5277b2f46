import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { cidrComplement } from '../../../src/core/net/cidr-complement';

const inside = (blocks: readonly string[], ip: string): boolean => blocks.some((block) => ipaddr.parse(ip).kind() === ipaddr.parseCIDR(block)[0].kind() && ipaddr.parse(ip).match(ipaddr.parseCIDR(block)));

describe('cidrComplement', () => {
  it('covers every address but the excluded ones, with the fewest blocks, in address order', () => {
    const blocks = cidrComplement('ipv4', ['10.0.0.0/8', '192.168.0.0/16', '2001:db8::/32']);
    for (const ip of ['8.8.8.8', '11.0.0.0', '9.255.255.255', '192.167.255.255', '192.169.0.0', '255.255.255.255', '0.0.0.0']) expect(inside(blocks, ip), ip).toBe(true);
    for (const ip of ['10.0.0.0', '10.255.255.255', '192.168.1.1']) expect(inside(blocks, ip), ip).toBe(false);
    // No two blocks overlap, and no two siblings are both there (they would be one block).
    expect(blocks).toEqual([...blocks].sort((a, b) => ipaddr.parse(a.split('/')[0]!).toByteArray().join('.').localeCompare(ipaddr.parse(b.split('/')[0]!).toByteArray().join('.'), 'en', { numeric: true })));
    // Each hole costs one block per bit below its half of the space: 7 for the /8, 15 for the /16.
    expect(blocks).toHaveLength(7 + 15);
  });

  it('gives the whole family back with nothing excluded, and nothing when all is', () => {
    expect(cidrComplement('ipv4', [])).toEqual(['0.0.0.0/0']);
    expect(cidrComplement('ipv6', ['fc00::/7'])).toHaveLength(7);
    expect(cidrComplement('ipv4', ['0.0.0.0/0'])).toEqual([]);
  });
});
