import { describe, expect, it } from 'vitest';
import { discoveryFeatures } from '../../../src/core/discover/discover-groups';
import { mergeRoleEquivalent } from '../../../src/core/discover/role-equivalence';
import type { ProfileEdge, ProfileHost } from '../../../src/core/discover/host-features';

// Hand-made estates where each client keeps to a few replicas of the next tier (role-equivalence.ts),
// given to the merge as the worst split: every host a group of its own.

const host = (ip: string, labels: Record<string, string> = {}): ProfileHost => ({
  ip,
  sortKey: ip.split('.').map((part) => part.padStart(3, '0')).join('.'),
  labels: Object.entries(labels).map(([key, value]) => ({ key, value })),
});
const tcp = (client: string, server: string, port: number): ProfileEdge => ({ client, server, proto: 6, port });

/** Merges singletons; `identity` gives a host's label identity. Returns the groups of more than one host. */
function merged(edges: readonly ProfileEdge[], identity: (ip: string) => string | null = () => null): string[][] {
  const ips = [...new Set(edges.flatMap((edge) => [edge.client, edge.server]))].filter((ip) => ip.startsWith('10.'));
  const features = discoveryFeatures({ hosts: ips.map((ip) => host(ip)), edges });
  const groups = features.hosts.map((_, index) => [index]);
  return mergeRoleEquivalent(features, edges, groups, (index) => identity(features.hosts[index]!.ip))
    .filter((group) => group.length > 1)
    .map((group) => group.map((index) => features.hosts[index]!.ip));
}

/**
 * Two applications, A in 10.1/16 and B in 10.2/16, alike in shape: two web replicas on 443, three app replicas
 * on 8443 (web 1 keeps to app replicas 1 and 2, web 2 to replica 3), one database on 5432 every app replica
 * uses. Desks use the web replicas (desk 3 both of A's); everyone uses DNS; a monitor scrapes every server.
 */
function twoApplications(): ProfileEdge[] {
  const edges: ProfileEdge[] = [];
  for (const app of [1, 2]) {
    const web = (n: number) => `10.${app}.0.${n}`;
    const server = (n: number) => `10.${app}.1.${n}`;
    const db = `10.${app}.2.1`;
    edges.push(tcp(web(1), server(1), 8443), tcp(web(1), server(2), 8443), tcp(web(2), server(3), 8443));
    for (const n of [1, 2, 3]) edges.push(tcp(server(n), db, 5432));
  }
  edges.push(tcp('10.50.0.1', '10.1.0.1', 443), tcp('10.50.0.2', '10.1.0.2', 443), tcp('10.50.0.3', '10.1.0.1', 443), tcp('10.50.0.3', '10.1.0.2', 443));
  edges.push(tcp('10.50.0.4', '10.2.0.1', 443), tcp('10.50.0.4', '10.2.0.2', 443), tcp('10.50.0.1', '10.2.0.2', 443));
  const everyone = [...new Set(edges.flatMap((edge) => [edge.client, edge.server]))].sort();
  for (const ip of everyone) edges.push({ client: ip, server: '10.9.0.53', proto: 17, port: 53 });
  for (const ip of everyone.filter((ip) => !ip.startsWith('10.50.'))) edges.push(tcp('10.9.0.10', ip, 9100));
  return edges;
}

describe('mergeRoleEquivalent', () => {
  it('merges the fragments of each tier, bottom up, and never across two applications of the same shape', () => {
    expect(merged(twoApplications())).toEqual([
      ['10.1.0.1', '10.1.0.2'],
      ['10.1.1.1', '10.1.1.2', '10.1.1.3'],
      ['10.2.0.1', '10.2.0.2'],
      ['10.2.1.1', '10.2.1.2', '10.2.1.3'],
      // Desks 2 and 3 use A's web tier and DNS, nothing else: one policy grants neither anything new.
      ['10.50.0.2', '10.50.0.3'],
    ]);
  });

  it('keeps groups apart that labels name differently', () => {
    const groups = merged(twoApplications(), (ip) => (ip === '10.1.1.3' ? 'env=prod app=a tier=worker' : ip.startsWith('10.1.1.') ? 'env=prod app=a tier=app' : null));
    expect(groups).toContainEqual(['10.1.1.1', '10.1.1.2']);
    expect(groups.flat()).not.toContain('10.1.1.3');
  });

  it('keeps a service and a worker apart that use the same database on the same port when their clients do different work', () => {
    // The API (10.1.1.1) is called by the gateway, which serves users on 443; the worker (10.1.1.2) by a scheduler that serves nothing.
    const edges = [
      tcp('10.1.0.1', '10.1.1.1', 8080),
      tcp('10.1.3.1', '10.1.1.2', 8080),
      tcp('10.1.1.1', '10.1.2.1', 5432),
      tcp('10.1.1.2', '10.1.2.1', 5432),
      tcp('10.50.0.1', '10.1.0.1', 443),
      tcp('10.50.0.2', '10.1.0.1', 443),
    ];
    // The API and the worker stay apart; the two desks that use the gateway alike are one group.
    expect(merged(edges)).toEqual([['10.50.0.1', '10.50.0.2']]);
  });

  /** Groups as given (lists of addresses), merged; returns the groups of more than one given group's hosts, sorted. */
  function mergedFrom(edges: readonly ProfileEdge[], given: readonly (readonly string[])[]): string[][] {
    const ips = [...new Set(edges.flatMap((edge) => [edge.client, edge.server]))];
    const features = discoveryFeatures({ hosts: ips.map((ip) => host(ip)), edges });
    const index = (ip: string): number => features.hosts.findIndex((entry) => entry.ip === ip);
    const listed = new Set(given.flat());
    const groups = [...given.map((members) => members.map(index)), ...ips.filter((ip) => !listed.has(ip)).map((ip) => [index(ip)])];
    return mergeRoleEquivalent(features, edges, groups, () => null)
      .map((group) => group.map((member) => features.hosts[member]!.ip).sort())
      .filter((group) => group.length > 2)
      .sort((x, y) => (x[0]! < y[0]! ? -1 : 1));
  }

  it('keeps two lines of a plant apart that share only the supervisory servers polling every PLC', () => {
    // Each line's station polls its four PLCs on 502 (given as two fragments of two, as a cut leaves them); both
    // SCADA servers poll all eight and use the historian's database; every PLC takes time from the NTP appliance.
    const edges: ProfileEdge[] = [];
    const plcs = (line: number) => [1, 2, 3, 4].map((n) => `10.${line}.20.${n}`);
    for (const line of [1, 2]) {
      for (const plc of plcs(line)) {
        edges.push({ ...tcp(`10.${line}.10.1`, plc, 502), flows: 40 }, { ...tcp('10.9.0.1', plc, 502), flows: 40 }, { ...tcp('10.9.0.2', plc, 502), flows: 40 });
        edges.push({ client: plc, server: '10.9.0.123', proto: 17, port: 123, flows: 20 });
      }
    }
    edges.push(tcp('10.9.0.1', '10.9.0.5', 1433), tcp('10.9.0.2', '10.9.0.5', 1433));
    const fragments = [1, 2].flatMap((line) => [plcs(line).slice(0, 2), plcs(line).slice(2)]);
    // Each line's fragments share their station: one role. Across lines, a merged group would let each line's
    // station poll the other line's PLCs; the servers that poll every PLC say nothing of which line a PLC is in.
    expect(mergedFrom(edges, fragments)).toEqual([plcs(1), plcs(2)]);
    // A PLC of line 1 that its station does not poll (only the SCADA servers do) may join a line, never join both.
    const lone = '10.1.20.9';
    const withLone = [...edges, { ...tcp('10.9.0.1', lone, 502), flows: 40 }, { ...tcp('10.9.0.2', lone, 502), flows: 40 }, { client: lone, server: '10.9.0.123', proto: 17, port: 123, flows: 20 }];
    const groups = mergedFrom(withLone, [...fragments, [lone]]);
    expect(groups.some((group) => group.includes('10.1.20.1') && group.includes('10.2.20.1'))).toBe(false);
  });

  it('still takes the one caller of a service, spreading over every replica, for a shared client', () => {
    // Four replicas of review-storage on 9090, given as two fragments of two (each pair placed on its own node);
    // its one caller spreads over all four; another service called one replica of each pair once.
    const replicas = ['10.244.1.10', '10.244.1.11', '10.244.4.10', '10.244.4.11'];
    const edges: ProfileEdge[] = [
      ...replicas.map((replica) => ({ ...tcp('10.244.3.40', replica, 9090), flows: 30 })),
      ...replicas.map((replica) => ({ ...tcp(replica, '10.244.0.64', 11211), flows: 100 })),
      { ...tcp('10.244.2.36', '10.244.1.10', 9090), flows: 1 },
      { ...tcp('10.244.2.36', '10.244.4.10', 9090), flows: 1 },
    ];
    // Other services around, so that the caller and the cache are no estate-wide ones.
    for (let other = 10; other < 16; other++) edges.push(tcp(`10.244.${other}.1`, `10.244.${other}.2`, 8080));
    expect(mergedFrom(edges, [replicas.slice(0, 2), replicas.slice(2)])).toEqual([replicas]);
  });

  it('keeps two applications apart whose databases back up to one store: their servers have different users', () => {
    const edges: ProfileEdge[] = [];
    for (const app of [1, 2]) {
      edges.push(tcp(`10.${app}.0.1`, `10.${app}.1.1`, 8443), tcp(`10.${app}.1.1`, `10.${app}.2.1`, 5432), tcp(`10.${app}.2.1`, '10.9.0.20', 873));
      edges.push(tcp(`10.50.${app}.1`, `10.${app}.0.1`, 443), tcp(`10.50.${app}.2`, `10.${app}.0.1`, 443));
    }
    // One person uses both applications.
    edges.push(tcp('10.50.3.1', '10.1.0.1', 443), tcp('10.50.3.1', '10.2.0.1', 443));
    // No server merges; each application's two users are one group, the person using both a third.
    expect(merged(edges)).toEqual([
      ['10.50.1.1', '10.50.1.2'],
      ['10.50.2.1', '10.50.2.2'],
    ]);
  });

  it('takes no client that reaches most groups (a monitor) for a shared client', () => {
    // Two databases of different applications on one port, both using the directory: the monitor scrapes both.
    // Both ship their backups to one store; four more small applications make the estate.
    const edges = [tcp('10.1.1.1', '10.1.2.1', 1433), tcp('10.2.1.1', '10.2.2.1', 1433), tcp('10.1.2.1', '10.9.0.20', 873), tcp('10.2.2.1', '10.9.0.20', 873)];
    for (let app = 3; app <= 6; app++) edges.push(tcp(`10.${app}.1.1`, `10.${app}.2.1`, 5432));
    const servers = [...new Set(edges.map((edge) => edge.server))];
    for (const server of servers) edges.push(tcp('10.9.0.10', server, 9182));
    expect(merged(edges)).toEqual([]);
    // Without the monitor, nothing says the two databases' users are alike either.
    expect(merged(edges.filter((edge) => edge.client !== '10.9.0.10'))).toEqual([]);
  });

  it('never joins two differently labelled fragments through an unlabelled one alike to both', () => {
    // Application A's three app replicas are one role (first test). Filed: the first as the app tier,
    // the third as a worker, the second not at all: it may join either, not both.
    const identity = (ip: string): string | null => (ip === '10.1.1.1' ? 'env=prod app=a tier=app' : ip === '10.1.1.3' ? 'env=prod app=a tier=worker' : null);
    const groups = merged(twoApplications(), identity);
    expect(groups).toContainEqual(['10.1.1.1', '10.1.1.2']);
    expect(groups.some((group) => group.includes('10.1.1.3'))).toBe(false);
  });

  it("takes no node's kubelet for a shared client: a queue consumer probed beside a service stays apart from it", () => {
    // Each node (10.244.N.0/24) runs a shipping pod (80, called by orders), a queue-master pod (80, which nobody
    // calls) and a front end (8079); both shipping and queue-master publish to RabbitMQ. Each kubelet probes its pods.
    const edges: ProfileEdge[] = [];
    for (const node of [1, 2]) {
      const [shipping, queue, front] = [`10.244.${node}.10`, `10.244.${node}.11`, `10.244.${node}.12`];
      edges.push(tcp('10.244.3.20', shipping, 80), tcp(shipping, '10.244.3.50', 5672), tcp(queue, '10.244.3.50', 5672));
      edges.push(tcp(`10.244.${node}.1`, shipping, 80), tcp(`10.244.${node}.1`, queue, 80), tcp(`10.244.${node}.1`, front, 8079));
    }
    edges.push(tcp('10.244.3.1', '10.244.3.20', 8080), tcp('10.244.3.1', '10.244.3.50', 5672), tcp('10.244.3.1', '10.244.3.60', 8079));
    const groups = merged(edges);
    expect(groups.some((group) => group.includes('10.244.1.10') && group.includes('10.244.1.11'))).toBe(false);
    expect(groups.some((group) => group.includes('10.244.2.10') && group.includes('10.244.2.11'))).toBe(false);
  });

  it('merges groups that serve no one and use exactly the same services on the same groups, whatever their address', () => {
    // Phones at three sites register with one call manager; the third site's phones also use a local voicemail box.
    // Desks at two sites use the EHR web tier on 443, the second site's on 8443 as well. Everyone uses DNS.
    const edges: ProfileEdge[] = [];
    for (const site of [31, 32, 33]) for (const n of [1, 2, 3]) edges.push({ client: `10.${site}.130.${n}`, server: '10.10.45.11', proto: 17, port: 5060 });
    for (const n of [1, 2, 3]) edges.push(tcp(`10.33.130.${n}`, '10.33.0.9', 8443));
    for (const site of [31, 32]) for (const n of [1, 2]) edges.push(tcp(`10.${site}.40.${n}`, '10.10.20.11', 443));
    edges.push(tcp('10.32.40.1', '10.10.20.11', 8443), tcp('10.32.40.2', '10.10.20.11', 8443));
    const everyone = [...new Set(edges.flatMap((edge) => [edge.client, edge.server]))].sort();
    for (const ip of everyone) edges.push({ client: ip, server: '10.9.0.53', proto: 17, port: 53 });
    // Given as one group per site and kind, as a cut on address features would leave them.
    const ips = [...new Set(edges.flatMap((edge) => [edge.client, edge.server]))];
    const features = discoveryFeatures({ hosts: ips.map((ip) => host(ip)), edges });
    const bySite = new Map<string, number[]>();
    features.hosts.forEach((entry, index) => {
      const key = entry.ip.split('.').slice(0, 3).join('.');
      bySite.set(key, [...(bySite.get(key) ?? []), index]);
    });
    const groups = (identity: (ip: string) => string | null): string[][] =>
      mergeRoleEquivalent(features, edges, [...bySite.values()], (index) => identity(features.hosts[index]!.ip))
        .map((group) => group.map((index) => features.hosts[index]!.ip).sort())
        .filter((group) => group.length > 3 || group[0]!.includes('.40.'));
    // The first two sites' phones are one group; the third's use voicemail too; the desks differ by 8443.
    expect(groups(() => null)).toEqual([
      ['10.31.40.1', '10.31.40.2'],
      ['10.31.130.1', '10.31.130.2', '10.31.130.3', '10.32.130.1', '10.32.130.2', '10.32.130.3'],
      ['10.32.40.1', '10.32.40.2'],
    ]);
    // Labels that file the two sites' phones under different applications keep them apart.
    expect(groups((ip) => (ip.startsWith('10.31.130.') ? 'app=voice-a' : ip.startsWith('10.32.130.') ? 'app=voice-b' : null)).filter((group) => group.length > 3)).toEqual([]);
  });

  it('keeps groups that no application calls apart when they listen on different ports: a rule to one would open the other', () => {
    // Two services nobody called in the capture, each probed by its node on its own port, both using the order service.
    const edges: ProfileEdge[] = [];
    for (const n of [1, 2, 3]) edges.push(tcp(`10.244.1.${n}`, '10.244.9.1', 12031), tcp(`10.244.2.${n}`, '10.244.9.1', 12031));
    for (const n of [1, 2, 3]) edges.push(tcp('10.244.1.250', `10.244.1.${n}`, 12386), tcp('10.244.2.250', `10.244.2.${n}`, 16112));
    // Other services around, so that the order service is no estate-wide one.
    for (let other = 10; other < 16; other++) edges.push(tcp(`10.244.${other}.1`, `10.244.${other}.2`, 8080));
    const ips = [...new Set(edges.flatMap((edge) => [edge.client, edge.server]))];
    const features = discoveryFeatures({ hosts: ips.map((ip) => host(ip)), edges });
    const bySubnet = new Map<string, number[]>();
    features.hosts.forEach((entry, index) => {
      const key = entry.ip.endsWith('.250') || Number(entry.ip.split('.')[2]) >= 9 ? entry.ip : entry.ip.split('.').slice(0, 3).join('.');
      bySubnet.set(key, [...(bySubnet.get(key) ?? []), index]);
    });
    const groups = mergeRoleEquivalent(features, edges, [...bySubnet.values()], () => null).map((group) => group.map((index) => features.hosts[index]!.ip).sort());
    expect(groups).toContainEqual(['10.244.1.1', '10.244.1.2', '10.244.1.3']);
    expect(groups).toContainEqual(['10.244.2.1', '10.244.2.2', '10.244.2.3']);
  });

  it('compares client groups on all they use, probes included: a pod grouped with its node stays apart from its siblings', () => {
    // Service C's three pods use the order service; the first was grouped with the node that probes all three.
    const edges: ProfileEdge[] = [];
    for (const n of [1, 2, 3]) edges.push(tcp(`10.244.4.${n}`, '10.244.9.1', 12031), tcp('10.244.4.250', `10.244.4.${n}`, 12386));
    for (let other = 10; other < 16; other++) edges.push(tcp(`10.244.${other}.1`, `10.244.${other}.2`, 8080));
    const ips = [...new Set(edges.flatMap((edge) => [edge.client, edge.server]))];
    const features = discoveryFeatures({ hosts: ips.map((ip) => host(ip)), edges });
    const index = (ip: string): number => features.hosts.findIndex((entry) => entry.ip === ip);
    const given = [[index('10.244.4.250'), index('10.244.4.1')], [index('10.244.4.2'), index('10.244.4.3')], ...ips.filter((ip) => !ip.startsWith('10.244.4.')).map((ip) => [index(ip)])];
    const groups = mergeRoleEquivalent(features, edges, given, () => null).map((group) => group.map((member) => features.hosts[member]!.ip).sort());
    // Merged, the two pods would be granted the node's probes of every pod.
    expect(groups).toContainEqual(['10.244.4.2', '10.244.4.3']);
  });
});
