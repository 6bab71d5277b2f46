import { describe, expect, it } from 'vitest';
import { chooseCut } from '../../../src/core/discover/choose-cut';
import { buildHostFeatures, type ProfileEdge, type ProfileHost } from '../../../src/core/discover/host-features';
import { DISCOVERY_DEFAULTS } from '../../../src/core/discover/discover-groups';
import { nnChainLinkage } from '../../../src/core/discover/nn-chain';
import { ProfileDistances } from '../../../src/core/discover/profile-distances';

const host = (ip: string, labels: Record<string, string> = {}): ProfileHost => ({
  ip,
  sortKey: ip.split('.').map((part) => part.padStart(3, '0')).join('.'),
  labels: Object.entries(labels).map(([key, value]) => ({ key, value })),
});
const edge = (client: string, server: string, port: number, proto = 6): ProfileEdge => ({ client, server, proto, port });

/** Two three-tier applications, each web tier called by its own clients, all using one DNS server. */
function twoApps(): { hosts: ProfileHost[]; edges: ProfileEdge[] } {
  const hosts: ProfileHost[] = [host('10.0.0.53')];
  const edges: ProfileEdge[] = [];
  for (const [app, net] of [['a', 1], ['b', 2]] as const) {
    const tier = (name: string, n: number) => Array.from({ length: n }, (_, i) => `10.${net}.${name === 'web' ? 1 : name === 'app' ? 2 : 3}.${10 + i}`);
    const [web, svc, db, users] = [tier('web', 3), tier('app', 3), tier('db', 2), Array.from({ length: 4 }, (_, i) => `10.${net}.9.${i + 1}`)];
    for (const ip of [...web, ...svc, ...db, ...users]) hosts.push(host(ip, { app }));
    for (const u of users) for (const w of web) edges.push(edge(u, w, 443));
    for (const w of web) for (const s of svc) edges.push(edge(w, s, 8080));
    for (const s of svc) edges.push(edge(s, db[0]!, 5432));
    edges.push(edge(db[1]!, db[0]!, 5432));
    for (const ip of [...web, ...svc, ...db, ...users]) edges.push(edge(ip, '10.0.0.53', 53, 17));
  }
  return { hosts, edges };
}

describe('host features', () => {
  it('weigh a feature every host has at zero and a rare one highest', () => {
    const hosts = [host('10.0.0.1'), host('10.0.0.2'), host('10.0.0.3')];
    const edges = [edge('10.0.0.1', '8.8.8.8', 53, 17), edge('10.0.0.2', '8.8.8.8', 53, 17), edge('10.0.0.3', '8.8.8.8', 53, 17), edge('10.0.0.1', '10.0.0.2', 5432)];
    const features = buildHostFeatures(hosts, edges);
    const weight = (name: string) => features.features.find((feature) => feature.name === name)!.weight;
    expect(weight('uses udp/53 on 8.8.8.8')).toBe(0);
    expect(weight('serves tcp/5432')).toBeCloseTo(Math.log(3), 12);
    // Remote administration counts for little: it says who manages a host, not what it does.
    const admin = buildHostFeatures(hosts, [...edges, edge('10.0.0.3', '10.0.0.2', 22)]);
    expect(admin.features.find((feature) => feature.name === 'serves tcp/22')!.weight).toBeCloseTo(0.2 * Math.log(3), 12);
  });

  it('collapse hosts with identical features into one profile, whatever the input order', () => {
    const { hosts, edges } = twoApps();
    const forward = buildHostFeatures(hosts, edges);
    const backward = buildHostFeatures([...hosts].reverse(), [...edges].reverse());
    expect(backward).toEqual(forward);
    // Replicas of a tier behave identically here: 2 apps × (web, app, db primary, db standby, users) + DNS.
    expect(forward.profileHosts).toHaveLength(11);
    expect(forward.hosts[0]!.ip).toBe('10.0.0.53');
  });

  it('take labels as features but not where the flow records placed a host (an NSG, a subnet): that explains, it does not group', () => {
    const { hosts, edges } = twoApps();
    const placed = hosts.map((entry) => ({ ...entry, labels: [...entry.labels, { key: 'azure:nsg', value: 'ZONE-NSG' }, { key: 'gcp:subnet', value: 'prod' }] }));
    const features = buildHostFeatures(placed, edges);
    expect(features.features.some((feature) => feature.name === 'label app=a')).toBe(true);
    expect(features.features.filter((feature) => feature.name.includes('azure:') || feature.name.includes('gcp:'))).toEqual([]);
    expect(features.profileHosts).toEqual(buildHostFeatures(hosts, edges).profileHosts);
  });
});

describe('profile distances', () => {
  it('are 0 for the same behaviour, symmetric, and the same in rows and the condensed matrix', () => {
    const features = buildHostFeatures(twoApps().hosts, twoApps().edges);
    const distances = new ProfileDistances(features);
    const n = distances.size;
    const condensed = distances.condensed();
    const rows = Array.from({ length: n }, (_, i) => {
      const row = new Float64Array(n);
      distances.row(i, row);
      return row;
    });
    let offset = 0;
    for (let i = 0; i < n; i++) {
      expect(rows[i]![i]).toBe(0);
      for (let j = i + 1; j < n; j++) {
        expect(rows[i]![j]).toBe(rows[j]![i]);
        expect(condensed[offset++]).toBe(rows[i]![j]);
        expect(rows[i]![j]).toBeGreaterThanOrEqual(0);
        expect(rows[i]![j]).toBeLessThanOrEqual(1);
      }
    }
  });

  it('work a pair out alone as its row does, strict and optional blocks included', () => {
    // Half the hosts labelled: optional blocks on one side only; peers by set: strict blocks.
    const { hosts, edges } = twoApps();
    const halfLabelled = hosts.map((one, index) => (index % 2 === 0 ? one : { ...one, labels: [] }));
    const features = buildHostFeatures(halfLabelled, edges, {
      peerGroup: (ip) => ip.split('.').slice(0, 3).join('.'),
      kindWeight: DISCOVERY_DEFAULTS.kindWeight,
      strictKinds: DISCOVERY_DEFAULTS.strictKinds,
      optionalKinds: DISCOVERY_DEFAULTS.optionalKinds,
    });
    const distances = new ProfileDistances(features);
    const row = new Float64Array(distances.size);
    let apart = 0;
    for (let i = 0; i < distances.size; i++) {
      distances.row(i, row);
      for (let j = 0; j < distances.size; j++) {
        expect(distances.pair(i, j)).toBe(row[j]);
        if (row[j]! > 0 && row[j]! < 1) apart++;
      }
    }
    // Pairs between 0 and 1, not only the settled extremes.
    expect(apart).toBeGreaterThan(10);
  });

  it('cut by silhouette, separate the two applications and their tiers', () => {
    const { hosts, edges } = twoApps();
    const features = buildHostFeatures(hosts, edges);
    const distances = new ProfileDistances(features);
    const sizes = Float64Array.from(features.profileHosts, (members) => members.length);
    const merges = nnChainLinkage(distances.size, distances.condensed(), 'average', { sizes });
    const cut = chooseCut(distances, merges, sizes);
    const clusterOf = (ip: string) => cut.clusterOfProfile[features.profileOfHost[features.hosts.findIndex((h) => h.ip === ip)]!]!;
    expect(clusterOf('10.1.1.10')).not.toBe(clusterOf('10.2.1.10'));
    expect(clusterOf('10.1.1.10')).not.toBe(clusterOf('10.1.2.10'));
    expect(cut.silhouette).toBeGreaterThan(0.3);
    expect(cut.criterion).toMatch(/silhouette/);
  });
});
