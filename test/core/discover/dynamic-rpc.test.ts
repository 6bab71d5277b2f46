import { describe, expect, it } from 'vitest';
import { discoveryFeatures } from '../../../src/core/discover/discover-groups';
import { DYNAMIC_RPC_SERVICE, dynamicRpcEdges } from '../../../src/core/discover/dynamic-rpc';
import type { ProfileEdge, ProfileHost } from '../../../src/core/discover/host-features';
import { ipSortKey } from '../../../src/core/net/ip';

const tcp = (client: string, server: string, port: number): ProfileEdge => ({ client, server, proto: 6, port, flows: 20 });
const hostsOf = (edges: readonly ProfileEdge[]): ProfileHost[] =>
  [...new Set(edges.flatMap((e) => [e.client, e.server]))].map((ip) => ({ ip, sortKey: ipSortKey(ip), labels: [] }));

// Two domain controllers; each drew its own dynamic port for the same RPC services at boot.
const DCS: [string, number][] = [['10.0.0.10', 49690], ['10.0.0.11', 49676]];
const MEMBERS = ['10.0.5.1', '10.0.5.2', '10.0.5.3', '10.0.6.1'];
const domain = (dynamic: (dc: string, port: number) => number): ProfileEdge[] =>
  MEMBERS.flatMap((member) => DCS.flatMap(([dc, port]) => [tcp(member, dc, 88), tcp(member, dc, 389), tcp(member, dc, 135), tcp(member, dc, dynamic(dc, port))]));

describe('dynamicRpcEdges', () => {
  it('takes a high TCP port for an RPC endpoint where the client also asks that server\'s mapper', () => {
    const edges = [tcp('10.0.5.1', '10.0.0.10', 135), tcp('10.0.5.1', '10.0.0.10', 49690), tcp('10.0.5.2', '10.0.0.10', 49690), tcp('10.0.5.1', '10.0.0.10', 8443)];
    const isDynamic = dynamicRpcEdges([...edges, { ...tcp('10.0.5.1', '10.0.0.10', 50000), proto: 17 }]);
    expect(edges.map(isDynamic)).toEqual([false, true, false, false]);
    // UDP in the range is some other service.
    expect(isDynamic({ ...tcp('10.0.5.1', '10.0.0.10', 50000), proto: 17 })).toBe(false);
  });
});

describe('dynamic RPC ports in profiles', () => {
  it('make two domain controllers that drew different ports one profile', () => {
    const edges = domain((_, port) => port);
    const features = discoveryFeatures({ hosts: hostsOf(edges), edges });
    const profile = (ip: string) => features.profileOfHost[features.hosts.findIndex((host) => host.ip === ip)];
    expect(profile('10.0.0.10')).toBe(profile('10.0.0.11'));
    expect(features.features.some((feature) => feature.name === `serves ${DYNAMIC_RPC_SERVICE}`)).toBe(true);
  });

  it('keep high ports that no mapper handed out as the services they are', () => {
    // The same high ports without the mapper: two servers of different services.
    const edges = domain((_, port) => port).filter((edge) => edge.port !== 135);
    const features = discoveryFeatures({ hosts: hostsOf(edges), edges });
    const profile = (ip: string) => features.profileOfHost[features.hosts.findIndex((host) => host.ip === ip)];
    expect(profile('10.0.0.10')).not.toBe(profile('10.0.0.11'));
  });
});
