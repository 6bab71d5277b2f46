import { describe, expect, it } from 'vitest';
import { discoveryFeatures } from '../../../src/core/discover/discover-groups';
import { DYNAMIC_RPC_SERVICE, dynamicRpcEdges } from '../../../src/core/discover/dynamic-rpc';
import { HOST_FEATURE_DEFAULTS, type ProfileEdge, type ProfileHost } from '../../../src/core/discover/host-features';
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
  const share = HOST_FEATURE_DEFAULTS.rpcEndpointMinAskedShare;

  it('takes a high TCP port for an RPC endpoint where the client also asks that server\'s mapper', () => {
    const edges = [tcp('10.0.5.1', '10.0.0.10', 135), tcp('10.0.5.1', '10.0.0.10', 49690), tcp('10.0.5.1', '10.0.0.10', 8443), tcp('10.0.5.2', '10.0.0.11', 49690)];
    const isDynamic = dynamicRpcEdges([...edges, { ...tcp('10.0.5.1', '10.0.0.10', 50000), proto: 17 }], share);
    // 8443 is below the range; the other server's mapper was never asked.
    expect(edges.map(isDynamic)).toEqual([false, true, false, false]);
    // UDP in the range is some other service.
    expect(isDynamic({ ...tcp('10.0.5.1', '10.0.0.10', 50000), proto: 17 })).toBe(false);
  });

  it('takes the port for an endpoint for every client of it once enough of them asked the mapper in the window', () => {
    // Three desks asked the controller's mapper in the window, a fourth kept the port from before.
    const asked = ['10.0.5.1', '10.0.5.2', '10.0.5.3'].flatMap((desk) => [tcp(desk, '10.0.0.10', 135), tcp(desk, '10.0.0.10', 49690)]);
    const cached = tcp('10.0.5.4', '10.0.0.10', 49690);
    expect(dynamicRpcEdges([...asked, cached], share)(cached)).toBe(true);
  });

  it('keeps a high port most of whose clients never asked the mapper as the service it is', () => {
    // A service of its own on 50051: five clients; one of them also uses the server's RPC services.
    const clients = ['10.0.7.1', '10.0.7.2', '10.0.7.3', '10.0.7.4', '10.0.7.5'];
    const edges = [...clients.map((client) => tcp(client, '10.0.0.20', 50051)), tcp('10.0.7.1', '10.0.0.20', 135)];
    const isDynamic = dynamicRpcEdges(edges, share);
    expect(clients.map((client) => isDynamic(tcp(client, '10.0.0.20', 50051)))).toEqual([true, false, false, false, false]);
  });

  it('needs the share: just below it the clients that did not ask keep the port', () => {
    // Two of five asked: 0.4, below one half.
    const clients = ['10.0.8.1', '10.0.8.2', '10.0.8.3', '10.0.8.4', '10.0.8.5'];
    const edges = [...clients.map((client) => tcp(client, '10.0.0.30', 49700)), tcp('10.0.8.1', '10.0.0.30', 135), tcp('10.0.8.2', '10.0.0.30', 135)];
    expect(dynamicRpcEdges(edges, share)(tcp('10.0.8.5', '10.0.0.30', 49700))).toBe(false);
    // A third asks: 0.6.
    expect(dynamicRpcEdges([...edges, tcp('10.0.8.3', '10.0.0.30', 135)], share)(tcp('10.0.8.5', '10.0.0.30', 49700))).toBe(true);
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

  it('name a port a member kept from before the window as the others name it', () => {
    // 10.0.6.1 asked neither mapper in the window; the other three did.
    const edges = domain((_, port) => port).filter((edge) => !(edge.client === '10.0.6.1' && edge.port === 135));
    const features = discoveryFeatures({ hosts: hostsOf(edges), edges });
    const namesOf = (ip: string): string[] => {
      const profile = features.profileOfHost[features.hosts.findIndex((host) => host.ip === ip)]!;
      return [...features.featureIds.subarray(features.featureStart[profile]!, features.featureStart[profile + 1]!)].map((id) => features.features[id]!.name);
    };
    expect(namesOf('10.0.6.1')).toContain(`uses ${DYNAMIC_RPC_SERVICE}`);
    expect(namesOf('10.0.6.1').filter((name) => /\b496\d\d\b/.test(name))).toEqual([]);
    expect(namesOf('10.0.6.1').filter((name) => name.includes(DYNAMIC_RPC_SERVICE))).toEqual(namesOf('10.0.5.1').filter((name) => name.includes(DYNAMIC_RPC_SERVICE)));
  });

  it('keep high ports that no mapper handed out as the services they are', () => {
    // The same high ports without the mapper: two servers of different services.
    const edges = domain((_, port) => port).filter((edge) => edge.port !== 135);
    const features = discoveryFeatures({ hosts: hostsOf(edges), edges });
    const profile = (ip: string) => features.profileOfHost[features.hosts.findIndex((host) => host.ip === ip)];
    expect(profile('10.0.0.10')).not.toBe(profile('10.0.0.11'));
  });
});
