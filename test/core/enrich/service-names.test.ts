import { describe, expect, it } from 'vitest';
import { icmpTypeName, isIcmpError, serviceLabel, serviceName } from '../../../src/core/enrich/service-names';

describe('service labels', () => {
  it('name ports with their well-known name unless told there is none', () => {
    expect(serviceLabel(6, 443)).toBe('https tcp/443');
    expect(serviceLabel(6, 9090, null)).toBe('tcp/9090');
    expect(serviceLabel(6, 9090, 'prometheus')).toBe('prometheus tcp/9090');
    expect(serviceLabel(17, 40000)).toBe('udp/40000');
    expect(serviceLabel(132, 5060)).toBe('sctp/5060');
    expect(serviceName(6, 3128)).toBe('http-proxy');
  });

  it('name ICMP by type and other protocols by name, never "proto2" or "icmp/11"', () => {
    expect(serviceLabel(1, 11)).toBe('ICMP time-exceeded');
    expect(serviceLabel(1, 8)).toBe('ICMP echo');
    expect(serviceLabel(1, 42)).toBe('ICMP type 42');
    expect(serviceLabel(1, -1)).toBe('ICMP');
    expect(serviceLabel(58, 128)).toBe('ICMPv6 echo');
    expect(serviceLabel(58, 3)).toBe('ICMPv6 time-exceeded');
    expect(serviceLabel(2, -1)).toBe('IGMP');
    expect(serviceLabel(47, -1)).toBe('GRE');
    expect(serviceLabel(4, -1)).toBe('IP-in-IP');
    expect(serviceLabel(253, -1)).toBe('IP protocol 253');
  });

  it('tell ICMP errors from services', () => {
    expect(icmpTypeName(1, 3)).toBe('destination-unreachable');
    expect(icmpTypeName(6, 3)).toBeNull();
    expect([isIcmpError(1, 11), isIcmpError(1, 8), isIcmpError(58, 1), isIcmpError(58, 128), isIcmpError(6, 11)]).toEqual([true, false, true, false, false]);
  });
});
