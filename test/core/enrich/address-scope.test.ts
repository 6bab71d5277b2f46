import { describe, expect, it } from 'vitest';
import ipaddr from 'ipaddr.js';
import { AddressScopes, INTERNAL_CIDRS, parseCidr } from '../../../src/core/enrich/address-scope';
import { runAnalyze, textFile } from '../../helpers/engine';

describe('AddressScopes', () => {
  it('places private, link-local and ULA ranges inside; multicast, broadcast and the unspecified address apart', () => {
    const scopes = new AddressScopes();
    expect(['10.1.2.3', '192.168.1.1', 'fe80::1', 'fd00::5', '100.64.0.1'].map((ip) => scopes.scope(ip))).toEqual(Array(5).fill('internal'));
    expect(['8.8.8.8', '2001:db8::1'].map((ip) => scopes.scope(ip))).toEqual(['external', 'external']);
    expect(['224.0.0.5', 'ff02::1:ff00:3'].map((ip) => scopes.scope(ip))).toEqual(['multicast', 'multicast']);
    expect(scopes.scope('255.255.255.255')).toBe('broadcast');
    expect(['0.0.0.0', '::'].map((ip) => scopes.scope(ip))).toEqual(['unspecified', 'unspecified']);
  });

  it('adds the organisation\u2019s own public ranges to the inside', () => {
    expect(new AddressScopes([parseCidr('203.0.113.0/24')!]).scope('203.0.113.9')).toBe('internal');
  });
});

describe('the unspecified address and multicast as sources', () => {
  it('IPv6 duplicate address detection (:: to a solicited-node address) makes no group and no rule', async () => {
    const zeek = (rows: string[]): string =>
      [
        '#separator \\x09',
        '#path\tconn',
        '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tconn_state',
        '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring',
        ...rows,
      ].join('\n') + '\n';
    const dad = '1767600000.0\tC1\t::\t135\tff02::1:ff00:3\t0\ticmp\tOTH';
    const others = ['1767600001.0\tC2\t10.0.0.5\t50000\t10.0.0.9\t443\ttcp\tSF', '1767600002.0\tC3\t10.0.0.7\t50001\t10.0.0.9\t443\ttcp\tSF'];
    const withDad = (await runAnalyze({ inputs: [textFile('conn.log', zeek([dad, ...others]))] })).summary;
    const without = (await runAnalyze({ inputs: [textFile('conn.log', zeek(others))] })).summary;
    expect(withDad.inputs[0]).toMatchObject({ accepted: 3, rejected: 0 });
    expect(withDad.groups.flatMap((group) => group.members)).not.toContain('::');
    expect(withDad.groups.map((group) => group.members)).toEqual(without.groups.map((group) => group.members));
    expect(withDad.rules).toBe(without.rules);
    expect(without.rules).toBeGreaterThan(0);
  });
});

describe('INTERNAL_CIDRS', () => {
  it('names exactly the ranges scoped internal: first and last address of each are internal, the addresses just outside are not', () => {
    const scopes = new AddressScopes();
    for (const text of INTERNAL_CIDRS) {
      const cidr = parseCidr(text)!;
      const [first, last] = ipaddr.parseCIDR(text)[0].kind() === 'ipv4' ? [ipaddr.IPv4.networkAddressFromCIDR(text), ipaddr.IPv4.broadcastAddressFromCIDR(text)] : [ipaddr.IPv6.networkAddressFromCIDR(text), ipaddr.IPv6.broadcastAddressFromCIDR(text)];
      expect(scopes.scope(first.toString()), text).toBe('internal');
      expect(scopes.scope(last.toString()), text).toBe('internal');
      expect(cidr.text).toBe(text);
    }
    for (const outside of ['11.0.0.0', '9.255.255.255', '172.32.0.0', '192.169.0.0', '100.128.0.0', 'fe00::', '2001:db8::1']) expect(scopes.scope(outside), outside).toBe('external');
  });
});
