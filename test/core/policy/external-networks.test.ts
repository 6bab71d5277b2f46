import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { anyOutsideBlocks, anyOutsideGroupId, isAnyOutsideGroup, networkOfGroup } from '../../../src/core/policy/external-networks';

const inside = (blocks: readonly string[], ip: string): boolean => blocks.some((block) => ipaddr.parse(ip).kind() === ipaddr.parseCIDR(block)[0].kind() && ipaddr.parse(ip).match(ipaddr.parseCIDR(block)));
const order = (block: string): bigint => ipaddr.parse(block.split('/')[0]!).toByteArray().reduce((value, byte) => (value << 8n) | BigInt(byte), 0n);

describe('any outside address', () => {
  it('is every outside address of its family: not the internal ranges, the --internal ones, multicast or the reserved blocks', () => {
    const v4 = anyOutsideBlocks(anyOutsideGroupId('198.51.100.7'), ['203.0.113.0/24']);
    for (const ip of ['8.8.8.8', '11.0.0.0', '9.255.255.255', '192.167.255.255', '192.169.0.0', '203.0.112.255', '203.0.114.0']) expect(inside(v4, ip), ip).toBe(true);
    for (const ip of ['10.0.0.0', '10.255.255.255', '172.16.5.5', '192.168.1.1', '100.64.0.1', '127.0.0.1', '169.254.1.1', '224.0.0.251', '255.255.255.255', '0.1.2.3', '203.0.113.5']) expect(inside(v4, ip), ip).toBe(false);
    // The fewest blocks, in address order.
    expect(v4.map(order)).toEqual([...v4.map(order)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(anyOutsideBlocks(anyOutsideGroupId('198.51.100.7'), [])).toHaveLength(51);
    const v6 = anyOutsideBlocks(anyOutsideGroupId('2001:db8::7'), []);
    expect(inside(v6, '2606:4700::1111')).toBe(true);
    for (const ip of ['::1', 'fd00::1', 'fe80::1', 'ff02::fb']) expect(inside(v6, ip), ip).toBe(false);
  });

  it('has one id per family, named as such', () => {
    expect([anyOutsideGroupId('198.51.100.7'), anyOutsideGroupId('2001:db8::7')]).toEqual(['ext:0.0.0.0/0', 'ext:::/0']);
    expect(isAnyOutsideGroup('ext:0.0.0.0/0') && isAnyOutsideGroup('ext:::/0') && !isAnyOutsideGroup('ext:198.51.100.0/24')).toBe(true);
    expect([networkOfGroup('ext:0.0.0.0/0')?.name, networkOfGroup('ext:::/0')?.name, networkOfGroup('ext:198.51.100.0/24')?.name]).toEqual(['any outside address', 'any outside address (IPv6)', 'outside 198.51.100.0/24']);
  });
});
