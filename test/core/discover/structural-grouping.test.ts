import { describe, expect, it } from 'vitest';
import { discoverGroups, discoveryFeatures, type DiscoveryInput } from '../../../src/core/discover/discover-groups';
import type { ProfileEdge, ProfileHost } from '../../../src/core/discover/host-features';
import { ProfileDistances } from '../../../src/core/discover/profile-distances';
import { replicaSets } from '../../../src/core/discover/replica-sets';

// Small hand-made estates where grouping by port and grouping by who talks
// to whom disagree. Addresses: 10.9.0.0/16 for everything, so the address
// block says nothing; no labels unless a case adds them.

const host = (ip: string, labels: Record<string, string> = {}): ProfileHost => ({
  ip,
  sortKey: ip.split('.').map((part) => part.padStart(3, '0')).join('.'),
  labels: Object.entries(labels).map(([key, value]) => ({ key, value })),
});
const tcp = (client: string, server: string, port: number): ProfileEdge => ({ client, server, proto: 6, port });

/**
 * Two applications, X and Y, both used by the same six workstations:
 * web (2 replicas, tcp/443) → app (2 replicas, tcp/8080) → database
 * (tcp/1433, the same port in both). The load balancer spread calls
 * unevenly: web replica 1 saw workstations 1–5, replica 2 saw 2–6; web 1
 * called app replica 1 only, web 2 both. So replicas share most peers but
 * not all. Everyone uses DNS.
 */
function twoApplications(): DiscoveryInput {
  const workstations = ['10.9.5.1', '10.9.5.2', '10.9.5.3', '10.9.5.4', '10.9.5.5', '10.9.5.6'];
  const edges: ProfileEdge[] = [];
  const hosts: ProfileHost[] = [host('10.9.0.53'), ...workstations.map((ip) => host(ip))];
  for (const [app, octet] of [['x', 1], ['y', 2]] as const) {
    const web = [`10.9.${octet}.11`, `10.9.${octet}.12`];
    const api = [`10.9.${octet}.21`, `10.9.${octet}.22`];
    const db = `10.9.${octet}.31`;
    hosts.push(...[...web, ...api, db].map((ip) => host(ip)));
    workstations.slice(0, 5).forEach((ws) => edges.push(tcp(ws, web[0]!, 443)));
    workstations.slice(1).forEach((ws) => edges.push(tcp(ws, web[1]!, 443)));
    edges.push(tcp(web[0]!, api[0]!, 8080), tcp(web[1]!, api[0]!, 8080), tcp(web[1]!, api[1]!, 8080));
    edges.push(tcp(api[0]!, db, 1433), tcp(api[1]!, db, 1433));
    void app;
  }
  for (const { ip } of hosts) if (ip !== '10.9.0.53') edges.push({ client: ip, server: '10.9.0.53', proto: 17, port: 53 });
  return { hosts, edges, names: new Map() };
}

const groupOf = (discovery: ReturnType<typeof discoverGroups>, ip: string): string => discovery.assignments.find((a) => a.ip === ip)!.groupId;

describe('replica sets', () => {
  it('join replicas whose peers are different replicas of one service, and nothing that only shares a port', () => {
    const input = twoApplications();
    const setOf = replicaSets(input.hosts, input.edges, new Set(), new Map());
    // Web replicas of X share 4 of 5 clients (serving cosine 0.8) and 1 of their back ends
    // (using cosine 1/√2 ≈ 0.71): mean distance ≈ (0.2 + 0.29) / 2 ≈ 0.25 ≤ 0.3.
    expect(setOf('10.9.1.11')).toBe(setOf('10.9.1.12'));
    expect(setOf('10.9.1.21')).toBe(setOf('10.9.1.22'));
    // Same port, different applications: never one set.
    expect(setOf('10.9.1.31')).not.toBe(setOf('10.9.2.31'));
    expect(setOf('10.9.1.21')).not.toBe(setOf('10.9.2.21'));
    expect(setOf('10.9.1.11')).not.toBe(setOf('10.9.2.11'));
  });

  it('name a set by its first member and size, and a host alone by its address', () => {
    const input = twoApplications();
    const setOf = replicaSets(input.hosts, input.edges, new Set(), new Map());
    expect(setOf('10.9.1.12')).toBe('{10.9.1.11 +1}');
    expect(setOf('10.9.1.31')).toBe('10.9.1.31');
    expect(setOf('192.0.2.1')).toBe('192.0.2.1');
  });
});

describe('structural grouping', () => {
  it('keeps same-port databases and look-alike tiers of two applications apart, and replicas together', () => {
    const discovery = discoverGroups(twoApplications());
    for (const [a, b] of [['10.9.1.11', '10.9.1.12'], ['10.9.1.21', '10.9.1.22'], ['10.9.2.11', '10.9.2.12'], ['10.9.5.1', '10.9.5.6']]) {
      expect(groupOf(discovery, a!)).toBe(groupOf(discovery, b!));
    }
    // Grouping by port would put these together: a rule from X's app tier to the group would open Y's database.
    expect(groupOf(discovery, '10.9.1.31')).not.toBe(groupOf(discovery, '10.9.2.31'));
    expect(groupOf(discovery, '10.9.1.21')).not.toBe(groupOf(discovery, '10.9.2.21'));
    // Same clients, different back ends: one group would let X's web call Y's app tier.
    expect(groupOf(discovery, '10.9.1.11')).not.toBe(groupOf(discovery, '10.9.2.11'));
  });

  it('floors the distance by whom a host serves and uses: same clients, disjoint back ends are fully apart', () => {
    const features = discoveryFeatures(twoApplications());
    const distances = new ProfileDistances(features);
    const profile = (ip: string) => features.profileOfHost[features.hosts.findIndex((h) => h.ip === ip)]!;
    const row = new Float64Array(distances.size);
    distances.row(profile('10.9.1.11'), row);
    const strict = row[profile('10.9.2.11')]!;
    distances.row(profile('10.9.1.11'), row, 0, 'plain');
    const plain = row[profile('10.9.2.11')]!;
    // Plain cosine: the serving block (weight 1) is identical and the using block (weight 1) disjoint,
    // so about half the weight is shared; the floor of the using block makes it 1.
    expect(plain).toBeGreaterThan(0.3);
    expect(plain).toBeLessThan(0.7);
    // The using blocks share only DNS (weight ≈ 0), so their cosine is ≈ 0, and the floor is that
    // block's information: its one feature is held by 2 of 17 hosts, IDF ln(17/2) ≈ 2.14, against
    // full information at ln 10 ≈ 2.30: 2.14 / 2.30 ≈ 0.929.
    expect(strict).toBeCloseTo(Math.log(17 / 2) / Math.log(10), 3);
    // Replicas: identical once peers are named by set.
    distances.row(profile('10.9.1.11'), row);
    expect(row[profile('10.9.1.12')]!).toBe(0);
  });

  it('lets a label rejoin versions of one service that serve the same clients but call different things', () => {
    const input = twoApplications();
    // X's app replica 22 is a new version that keeps its data in a cache instead of the
    // database: what it calls is disjoint from replica 21's. Both carry app=x-api.
    const labelled = {
      ...input,
      hosts: input.hosts.map((h) => (h.ip === '10.9.1.21' || h.ip === '10.9.1.22' ? host(h.ip, { 'k8s:app': 'x-api' }) : h)).concat(host('10.9.1.41')),
      edges: [...input.edges.filter((e) => !(e.client === '10.9.1.22' && e.port === 1433)), tcp('10.9.1.22', '10.9.1.41', 6379)],
    };
    const unlabelled = { ...labelled, hosts: labelled.hosts.map((h) => (h.labels.length > 0 ? host(h.ip) : h)) };
    expect(groupOf(discoverGroups(unlabelled), '10.9.1.21')).not.toBe(groupOf(discoverGroups(unlabelled), '10.9.1.22'));
    const withLabels = discoverGroups(labelled);
    expect(groupOf(withLabels, '10.9.1.21')).toBe(groupOf(withLabels, '10.9.1.22'));
  });
});

describe('missing labels and clusters', () => {
  it('compares a labelled host with an unlabelled one on behaviour alone', () => {
    const input = twoApplications();
    const features = discoveryFeatures({ ...input, hosts: input.hosts.map((h) => (h.ip === '10.9.1.11' ? host(h.ip, { app: 'x', tier: 'web' }) : h)) });
    const distances = new ProfileDistances(features);
    const profile = (ip: string) => features.profileOfHost[features.hosts.findIndex((h) => h.ip === ip)]!;
    const row = new Float64Array(distances.size);
    distances.row(profile('10.9.1.11'), row);
    // Same behaviour as its replica; its labels alone would have put them apart.
    expect(row[profile('10.9.1.12')]!).toBeLessThan(1e-9);
  });

  it('keeps the members of a replicating database cluster together', () => {
    const input = twoApplications();
    // X's database gets a standby that pulls from it and serves X's app replicas too.
    const standby = '10.9.1.32';
    const discovery = discoverGroups({
      ...input,
      hosts: [...input.hosts, host(standby)],
      edges: [...input.edges, tcp(standby, '10.9.1.31', 1433), tcp('10.9.1.21', standby, 1433), tcp('10.9.1.22', standby, 1433), { client: standby, server: '10.9.0.53', proto: 17, port: 53 }],
    });
    expect(groupOf(discovery, standby)).toBe(groupOf(discovery, '10.9.1.31'));
    expect(groupOf(discovery, standby)).not.toBe(groupOf(discovery, '10.9.2.31'));
  });
});
