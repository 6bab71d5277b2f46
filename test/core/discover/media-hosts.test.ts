import { describe, expect, it } from 'vitest';
import { discoverGroups, discoveryFeatures } from '../../../src/core/discover/discover-groups';
import type { ProfileEdge, ProfileHost } from '../../../src/core/discover/host-features';
import { partMediaMinority } from '../../../src/core/discover/media-hosts';
import { negotiatedHosts, withoutNegotiatedPorts } from '../../../src/core/discover/negotiated-ports';

// A voice gateway managed like the switches (scraped over SNMP, logging to syslog), whose only other traffic is
// media with the phones on ports each call's signalling handed out (media-hosts.ts).

const host = (ip: string): ProfileHost => ({ ip, sortKey: ip.split('.').map((part) => part.padStart(3, '0')).join('.'), labels: [] });
const udp = (client: string, server: string, port: number): ProfileEdge => ({ client, server, proto: 17, port, flows: 1 });

const GATEWAY = '10.10.45.20';
const SWITCH = (n: number): string => `10.10.90.${n}`;
const PHONE = (n: number): string => `10.20.130.${n}`;

function estate(): ProfileEdge[] {
  const edges: ProfileEdge[] = [];
  for (const device of [GATEWAY, ...[1, 2, 3, 4, 5, 6].map(SWITCH)]) edges.push(udp('10.10.10.46', device, 161), udp(device, '10.10.10.47', 514));
  let port = 16384;
  for (let p = 1; p <= 10; p++) {
    edges.push(udp(PHONE(p), '10.10.45.11', 5060));
    // Phone 10 took no call while the capture ran.
    if (p === 10) continue;
    for (let call = 0; call < 3; call++) {
      edges.push(udp(GATEWAY, PHONE(p), port), udp(PHONE(p), GATEWAY, 30000 + port));
      port += 2;
    }
  }
  return edges;
}

describe('partMediaMinority', () => {
  it('parts the gateway from the switches it otherwise looks like, and keeps a phone that took no call with the phones', () => {
    const edges = estate();
    const ips = [...new Set(edges.flatMap((edge) => [edge.client, edge.server]))];
    const features = discoveryFeatures({ hosts: ips.map(host), edges: withoutNegotiatedPorts(edges) });
    const index = (ip: string): number => features.hosts.findIndex((candidate) => candidate.ip === ip);
    const devices = [GATEWAY, ...[1, 2, 3, 4, 5, 6].map(SWITCH)].map(index).sort((a, b) => a - b);
    const phones = Array.from({ length: 10 }, (_, i) => index(PHONE(i + 1))).sort((a, b) => a - b);
    const media = negotiatedHosts(edges);
    expect(media.has(GATEWAY) && media.has(PHONE(1)) && !media.has(PHONE(10)) && !media.has(SWITCH(1))).toBe(true);
    const { groups, notes } = partMediaMinority(features, [devices, phones], media);
    expect(groups).toContainEqual([index(GATEWAY)]);
    expect(groups).toContainEqual(devices.filter((device) => device !== index(GATEWAY)));
    expect(groups).toContainEqual(phones);
    expect(notes.get(index(GATEWAY))!.text).toContain('exchanges media on ports call signalling handed out, which 6 of the 7 hosts');
    expect(notes.has(index(PHONE(10)))).toBe(false);
  });

  it('gives the gateway a group of its own in discovery, and leaves every group whole without media hosts', () => {
    const edges = estate();
    const ips = [...new Set(edges.flatMap((edge) => [edge.client, edge.server]))];
    const input = { hosts: ips.map(host), edges: withoutNegotiatedPorts(edges), names: new Map<string, string>() };
    const groupOf = (discovery: ReturnType<typeof discoverGroups>, ip: string): string => discovery.assignments.find((entry) => entry.ip === ip)!.groupId;
    const parted = discoverGroups({ ...input, mediaHosts: negotiatedHosts(edges) });
    expect(groupOf(parted, GATEWAY)).not.toBe(groupOf(parted, SWITCH(1)));
    expect(parted.assignments.find((entry) => entry.ip === GATEWAY)!.reason).toContain('exchanges media on ports call signalling handed out');
    const whole = discoverGroups(input);
    expect(groupOf(whole, GATEWAY)).toBe(groupOf(whole, SWITCH(1)));
  });
});
