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
    expect(merged(edges)).toEqual([]);
  });

  it('keeps two applications apart whose databases back up to one store: their servers have different users', () => {
    const edges: ProfileEdge[] = [];
    for (const app of [1, 2]) {
      edges.push(tcp(`10.${app}.0.1`, `10.${app}.1.1`, 8443), tcp(`10.${app}.1.1`, `10.${app}.2.1`, 5432), tcp(`10.${app}.2.1`, '10.9.0.20', 873));
      edges.push(tcp(`10.50.${app}.1`, `10.${app}.0.1`, 443), tcp(`10.50.${app}.2`, `10.${app}.0.1`, 443));
    }
    // One person uses both applications.
    edges.push(tcp('10.50.3.1', '10.1.0.1', 443), tcp('10.50.3.1', '10.2.0.1', 443));
    expect(merged(edges)).toEqual([]);
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
});
