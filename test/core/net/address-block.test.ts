import { describe, expect, it } from 'vitest';
import { addressBlock, networkBlock } from '../../../src/core/net/address-block';

describe('addressBlock', () => {
  it('gives the network of a dotted quad at any prefix length', () => {
    expect(addressBlock('10.244.3.177', 24, 64)).toBe('10.244.3.0/24');
    expect(addressBlock('172.30.20.81', 16, 48)).toBe('172.30.0.0/16');
    expect(addressBlock('255.255.255.255', 32, 128)).toBe('255.255.255.255/32');
    expect(addressBlock('8.8.8.8', 0, 0)).toBe('0.0.0.0/0');
  });

  it('gives IPv6 networks in RFC 5952 form, and IPv4-mapped addresses as IPv4', () => {
    expect(addressBlock('fd00:1:2:3::10', 16, 48)).toBe('fd00:1:2::/48');
    expect(addressBlock('2001:DB8:0:0:1::1', 16, 64)).toBe('2001:db8::/64');
    expect(addressBlock('::ffff:10.1.2.3', 16, 48)).toBe('10.1.0.0/16');
  });

  it('gives null for text that is no address', () => {
    expect(addressBlock('300.1.1.1', 16, 48)).toBeNull();
    expect(addressBlock('host-1', 16, 48)).toBeNull();
    expect(addressBlock('', 16, 48)).toBeNull();
  });

  it('networkBlock names no network for link-local addresses, which every link shares', () => {
    expect(networkBlock('fe80::1004:c66a:a1bd:237f', 24, 64)).toBeNull();
    expect(networkBlock('169.254.10.20', 24, 64)).toBeNull();
    expect(networkBlock('10.250.10.21', 24, 64)).toBe('10.250.10.0/24');
    expect(networkBlock('2001:db8:0:1::5', 24, 64)).toBe('2001:db8:0:1::/64');
  });
});
