import { describe, expect, it } from 'vitest';
import { buildHostFeatures, type ProfileEdge, type ProfileHost } from '../../../src/core/discover/host-features';
import { HostTraffic } from '../../../src/core/discover/traffic-shares';
import { ipSortKey } from '../../../src/core/net/ip';

const tcp = (client: string, server: string, port: number, flows: number): ProfileEdge => ({ client, server, proto: 6, port, flows });
const hostsOf = (edges: readonly ProfileEdge[]): ProfileHost[] => [...new Set(edges.flatMap((edge) => [edge.client, edge.server]))].map((ip) => ({ ip, sortKey: ipSortKey(ip), labels: [] }));

describe('HostTraffic', () => {
  it("gives each feature its share of the host's connections in its kind, in half-octave steps", () => {
    const traffic = new HostTraffic(1, ['usesOn'], 2);
    traffic.add(0, 'usesOn', 'uses tcp/102 on a', 63);
    traffic.add(0, 'usesOn', 'uses tcp/88 on b', 1);
    // 63/64: log2 ≈ −0.02, step 0; 1/64: log2 = −6, step −12.
    expect(traffic.shareStep(0, 'uses tcp/102 on a', 'usesOn')).toBe(0);
    expect(traffic.shareStep(0, 'uses tcp/88 on b', 'usesOn')).toBe(-12);
    // The factor is the square root of the share the step stands for: √(1/64).
    expect(traffic.multiplier(-12)).toBeCloseTo(1 / 8, 12);
    expect(traffic.multiplier(0)).toBe(1);
  });

  it('counts each kind on its own and leaves kinds it was not asked for, and labels, at step 0', () => {
    const traffic = new HostTraffic(1, ['usesOn', 'label'], 2);
    traffic.add(0, 'usesOn', 'uses tcp/443 on a', 1);
    traffic.add(0, 'usesOn', 'uses tcp/443 on b', 3);
    traffic.add(0, 'servesTo', 'serves tcp/22 to c', 1);
    traffic.add(0, 'label', 'label app=x', 1000);
    expect(traffic.shareStep(0, 'uses tcp/443 on a', 'usesOn')).toBe(-4);
    expect(traffic.shareStep(0, 'uses tcp/443 on b', 'usesOn')).toBe(Math.round(2 * Math.log2(3 / 4)));
    expect(traffic.shareStep(0, 'serves tcp/22 to c', 'servesTo')).toBe(0);
    expect(traffic.shareStep(0, 'label app=x', 'label')).toBe(0);
    // A feature that carried nothing (never added) keeps its plain weight.
    expect(traffic.shareStep(0, 'uses tcp/80 on d', 'usesOn')).toBe(0);
  });
});

describe('buildHostFeatures with traffic shares', () => {
  // Two replicas of a client that split their calls 70/30 and 66/34 between two servers.
  const edges = [tcp('10.0.0.1', '10.9.0.1', 443, 70), tcp('10.0.0.1', '10.9.0.2', 5432, 30), tcp('10.0.0.2', '10.9.0.1', 443, 66), tcp('10.0.0.2', '10.9.0.2', 5432, 34)];

  it('keeps replicas whose load differs by chance in one profile', () => {
    const features = buildHostFeatures(hostsOf(edges), edges, { trafficShareKinds: ['usesOn'] });
    const profile = (ip: string) => features.profileOfHost[features.hosts.findIndex((host) => host.ip === ip)];
    expect(profile('10.0.0.1')).toBe(profile('10.0.0.2'));
  });

  it("weighs the busier relation more in the host's profile, and gives the same profiles as plain ones without share kinds", () => {
    const shared = buildHostFeatures(hostsOf(edges), edges, { trafficShareKinds: ['usesOn'], kindWeight: { serves: 0, servesTo: 0, uses: 0, usesOn: 1, servesGroup: 0, usesGroup: 0, label: 0, network: 0 } });
    const host = shared.hosts.findIndex((h) => h.ip === '10.0.0.1');
    const p = shared.profileOfHost[host]!;
    const weightOf = (name: string) => {
      for (let k = shared.featureStart[p]!; k < shared.featureStart[p + 1]!; k++) if (shared.features[shared.featureIds[k]!]!.name === name) return shared.featureWeights[k]!;
      throw new Error(`no feature ${name}`);
    };
    expect(weightOf('uses tcp/443 on 10.9.0.1')).toBeGreaterThan(weightOf('uses tcp/5432 on 10.9.0.2'));
    const plain = buildHostFeatures(hostsOf(edges), edges);
    const none = buildHostFeatures(hostsOf(edges), edges, { trafficShareKinds: [] });
    expect(Array.from(none.featureWeights)).toEqual(Array.from(plain.featureWeights));
  });
});
