import { describe, expect, it } from 'vitest';
import { discoverGroups, discoveryFeatures, type DiscoveryInput } from '../../../src/core/discover/discover-groups';
import { identityValues, joinByIdentity } from '../../../src/core/discover/join-by-identity';
import { ProfileDistances } from '../../../src/core/discover/profile-distances';
import type { ProfileEdge, ProfileHost } from '../../../src/core/discover/host-features';

// Hand-made clusters where behaviour alone splits a workload or joins two,
// and labels of one kind or the other settle it (join-by-identity.ts).

const host = (ip: string, labels: Record<string, string> = {}): ProfileHost => ({
  ip,
  sortKey: ip.split('.').map((part) => part.padStart(3, '0')).join('.'),
  labels: Object.entries(labels).map(([key, value]) => ({ key, value })),
});
const tcp = (client: string, server: string, port: number): ProfileEdge => ({ client, server, proto: 6, port });
const groupOf = (discovery: ReturnType<typeof discoverGroups>, ip: string): string => discovery.assignments.find((a) => a.ip === ip)!.groupId;
const together = (discovery: ReturnType<typeof discoverGroups>, ips: readonly string[]): boolean => new Set(ips.map((ip) => groupOf(discovery, ip))).size === 1;

/**
 * A cluster of three nodes. Two services, web (3 pods, tcp/8080) and cache
 * (3 pods, tcp/6379); web calls cache rarely, so each web pod met one cache
 * pod. Each node's kubelet probes the pods it runs (one web, one cache).
 * A mongo database (3 pods, tcp/27017) is only ever probed. The control
 * plane calls each kubelet (tcp/10250), so the kubelets serve something and
 * are no probers (idle-replicas.ts): here placement does split replicas.
 */
function cluster(labels: (service: string) => Record<string, string>): DiscoveryInput {
  const hosts: ProfileHost[] = [];
  const edges: ProfileEdge[] = [];
  const nodes = ['10.244.1.1', '10.244.2.1', '10.244.3.1'];
  hosts.push(...nodes.map((ip) => host(ip)));
  for (let n = 0; n < 3; n++) {
    const web = `10.244.${n + 1}.10`;
    const cache = `10.244.${n + 1}.20`;
    const mongo = `10.244.${n + 1}.30`;
    hosts.push(host(web, labels('web')), host(cache, labels('cache')), host(mongo, labels('mongo')));
    edges.push(tcp(nodes[n]!, web, 8080), tcp(nodes[n]!, cache, 6379), tcp(nodes[n]!, mongo, 27017));
    edges.push(tcp(web, `10.244.${((n + 1) % 3) + 1}.20`, 6379));
    for (const user of ['203.0.113.5', '203.0.113.6', '203.0.113.7']) edges.push(tcp(user, web, 8080));
    edges.push(tcp('10.250.0.2', nodes[n]!, 10250));
  }
  return { hosts, edges, names: new Map() };
}

describe('joinByIdentity: Kubernetes app labels (operational)', () => {
  const cacheAndMongo = ['10.244.1.20', '10.244.2.20', '10.244.3.20'];
  const mongo = ['10.244.1.30', '10.244.2.30', '10.244.3.30'];

  it('rejoins replicas that serve the same port to clients met by placement or by chance', () => {
    const unlabelled = discoverGroups(cluster(() => ({})));
    expect(together(unlabelled, cacheAndMongo)).toBe(false);
    const labelled = discoverGroups(cluster((service) => ({ 'k8s:app': service })));
    expect(together(labelled, cacheAndMongo)).toBe(true);
    expect(together(labelled, mongo)).toBe(true);
    expect(groupOf(labelled, '10.244.1.20')).not.toBe(groupOf(labelled, '10.244.1.30'));
  });

  it('sends the labelled hosts of a mixed group to their workload, and leaves the unlabelled ones', () => {
    // reviews v2 (two pods, labelled) calls ratings; reviews v1 (labelled) and details
    // (unlabelled, absent from the pod list) call nothing: the same clients, the same port.
    const page = '10.244.0.5';
    const hosts = [host(page), host('10.244.0.40'), host('10.244.0.41', { 'k8s:app': 'reviews' }), host('10.244.0.42', { 'k8s:app': 'reviews' }), host('10.244.0.43', { 'k8s:app': 'reviews' }), host('10.244.0.50'), host('10.244.0.51')];
    const edges = [
      ...['10.244.0.41', '10.244.0.42', '10.244.0.43', '10.244.0.50', '10.244.0.51'].map((server) => tcp(page, server, 9080)),
      tcp('10.244.0.42', '10.244.0.40', 9080),
      tcp('10.244.0.43', '10.244.0.40', 9080),
      tcp('203.0.113.5', page, 9080),
    ];
    const discovery = discoverGroups({ hosts, edges, names: new Map() });
    expect(together(discovery, ['10.244.0.41', '10.244.0.42', '10.244.0.43'])).toBe(true);
    expect(together(discovery, ['10.244.0.50', '10.244.0.51'])).toBe(true);
    expect(groupOf(discovery, '10.244.0.41')).not.toBe(groupOf(discovery, '10.244.0.50'));
  });
});

describe('joinByIdentity: inventory labels (a record, not a selector)', () => {
  // Two databases on tcp/5432, each used only by its own application's two servers,
  // filed under one identity; given to the join as groups of their own.
  const apps = ['10.1.0.1', '10.1.0.2', '10.2.0.1', '10.2.0.2'];
  const edges = [tcp('10.1.0.1', '10.1.0.9', 5432), tcp('10.1.0.2', '10.1.0.9', 5432), tcp('10.2.0.1', '10.2.0.9', 5432), tcp('10.2.0.2', '10.2.0.9', 5432)];
  const joined = (labels: Record<string, string>): string[][] => {
    const features = discoveryFeatures({ hosts: [...apps.map((ip) => host(ip)), host('10.1.0.9', labels), host('10.2.0.9', labels)], edges });
    const index = (ip: string): number => features.hosts.findIndex((h) => h.ip === ip);
    const groups = [[index('10.1.0.1'), index('10.1.0.2')], [index('10.2.0.1'), index('10.2.0.2')], [index('10.1.0.9')], [index('10.2.0.9')]];
    return joinByIdentity(features, new ProfileDistances(features), groups).map((group) => group.map((i) => features.hosts[i]!.ip));
  };

  it('keeps servers of one port and one recorded identity apart when they serve different clients', () => {
    expect(joined({ env: 'prod', app: 'crm', tier: 'db' })).toContainEqual(['10.1.0.9']);
  });

  it('joins the same two as pods of one app label: the Service balances over both', () => {
    expect(joined({ 'k8s:app': 'crm-db' })).toContainEqual(['10.1.0.9', '10.2.0.9']);
  });
});

describe('joinByIdentity: inventory labels behind sticky balancing', () => {
  // Two app servers filed under one identity, each kept by its balancer to a different web server;
  // the web servers' own labels say which application and environment they are.
  const edges = [tcp('10.5.0.1', '10.5.1.1', 8443), tcp('10.5.0.2', '10.5.1.2', 8443)];
  const joined = (webLabels: readonly [Record<string, string>, Record<string, string>]): string[][] => {
    const app = { env: 'prod', app: 'shop', tier: 'app' };
    const hosts = [host('10.5.0.1', webLabels[0]), host('10.5.0.2', webLabels[1]), host('10.5.1.1', app), host('10.5.1.2', app)];
    const features = discoveryFeatures({ hosts, edges });
    const index = (ip: string): number => features.hosts.findIndex((h) => h.ip === ip);
    const groups = [[index('10.5.0.1')], [index('10.5.0.2')], [index('10.5.1.1')], [index('10.5.1.2')]];
    const clients = new Map(edges.map((edge) => [index(edge.server), [edge.client]]));
    return joinByIdentity(features, new ProfileDistances(features), groups, identityValues(features), clients).map((group) => group.map((i) => features.hosts[i]!.ip));
  };

  it('joins servers of one recorded identity whose clients are filed under one identity too', () => {
    const web = { env: 'prod', app: 'shop', tier: 'web' };
    expect(joined([web, web])).toContainEqual(['10.5.1.1', '10.5.1.2']);
  });

  it('keeps them apart when their clients are filed under different environments (a misfiled server)', () => {
    expect(joined([{ env: 'prod', app: 'shop', tier: 'web' }, { env: 'dev', app: 'shop', tier: 'web' }])).toContainEqual(['10.5.1.2']);
  });

  it('compares unlabelled clients by address block', () => {
    expect(joined([{}, {}])).toContainEqual(['10.5.1.1', '10.5.1.2']);
    const apart = [tcp('10.5.0.1', '10.5.1.1', 8443), tcp('10.6.0.2', '10.5.1.2', 8443)];
    const app = { env: 'prod', app: 'shop', tier: 'app' };
    const features = discoveryFeatures({ hosts: [host('10.5.0.1'), host('10.6.0.2'), host('10.5.1.1', app), host('10.5.1.2', app)], edges: apart });
    const index = (ip: string): number => features.hosts.findIndex((h) => h.ip === ip);
    const groups = [[index('10.5.0.1')], [index('10.6.0.2')], [index('10.5.1.1')], [index('10.5.1.2')]];
    const clients = new Map(apart.map((edge) => [index(edge.server), [edge.client]]));
    expect(joinByIdentity(features, new ProfileDistances(features), groups, identityValues(features), clients)).toHaveLength(4);
  });
});

describe('joinByIdentity: what every server shares says nothing', () => {
  // One application's two services filed under one identity (the CMDB's "app" tier): an API on 8080 that its web
  // server calls, and a pricing engine on 9090 that the API calls. A monitoring host scrapes every server on 9100
  // and a jump host reaches every server over SSH: half of each service's ports and clients are the estate's.
  const shopApp = { env: 'prod', app: 'shop', tier: 'app' };
  const hosts = [
    host('10.5.0.1', { env: 'prod', app: 'shop', tier: 'web' }),
    host('10.5.1.1', shopApp),
    host('10.5.1.2', shopApp),
    host('10.5.2.1', shopApp),
    host('10.5.3.1', { env: 'prod', app: 'shop', tier: 'db' }),
    host('10.9.0.1', { env: 'shared', app: 'prometheus', tier: 'infra' }),
    host('10.9.0.2', { env: 'shared', app: 'jump', tier: 'infra' }),
  ];
  const edges = [tcp('10.5.0.1', '10.5.1.1', 8080), tcp('10.5.0.1', '10.5.1.2', 8080), tcp('10.5.1.1', '10.5.2.1', 9090), tcp('10.5.1.2', '10.5.3.1', 5432), tcp('10.5.2.1', '10.5.3.1', 5432)];
  for (const server of ['10.5.0.1', '10.5.1.1', '10.5.1.2', '10.5.2.1', '10.5.3.1']) edges.push(tcp('10.9.0.1', server, 9100), tcp('10.9.0.2', server, 22));
  const features = discoveryFeatures({ hosts, edges });
  const index = (ip: string): number => features.hosts.findIndex((h) => h.ip === ip);
  const clients = new Map<number, string[]>();
  for (const edge of edges) clients.set(index(edge.server), [...(clients.get(index(edge.server)) ?? []), edge.client]);
  const joined = (groups: number[][]): string[][] =>
    joinByIdentity(features, new ProfileDistances(features), groups, identityValues(features), clients).map((group) => group.map((i) => features.hosts[i]!.ip));

  it('keeps two services of one recorded identity apart when only the monitoring port and the jump host are common', () => {
    const groups = [['10.5.0.1'], ['10.5.1.1', '10.5.1.2'], ['10.5.2.1'], ['10.5.3.1'], ['10.9.0.1'], ['10.9.0.2']].map((ips) => ips.map(index));
    expect(joined(groups)).toContainEqual(['10.5.2.1']);
  });

  it('still joins the API replicas that the balancer split', () => {
    const groups = [['10.5.0.1'], ['10.5.1.1'], ['10.5.1.2'], ['10.5.2.1'], ['10.5.3.1'], ['10.9.0.1'], ['10.9.0.2']].map((ips) => ips.map(index));
    expect(joined(groups)).toContainEqual(['10.5.1.1', '10.5.1.2']);
  });
});

describe('joinByIdentity: a wrong label among many', () => {
  // Four pods of one workload on tcp/8080, given to the join as two groups; one pod of the
  // first carries another workload's app label (its template was copied).
  const edges = ['10.244.0.1', '10.244.0.2', '10.244.0.3', '10.244.0.4'].map((server, k) => tcp(`10.244.1.${k + 1}`, server, 8080));
  const joined = (labels: readonly string[]): string[][] => {
    const features = discoveryFeatures({ hosts: labels.map((app, k) => host(`10.244.0.${k + 1}`, { 'k8s:app': app })), edges });
    const index = (ip: string): number => features.hosts.findIndex((h) => h.ip === ip);
    const groups = [[index('10.244.0.1'), index('10.244.0.2'), index('10.244.0.3')], [index('10.244.0.4')]];
    return joinByIdentity(features, new ProfileDistances(features), groups).map((group) => group.map((i) => features.hosts[i]!.ip));
  };

  it('keeps the identity two in three members agree on, and joins on it', () => {
    expect(joined(['api', 'api', 'cart', 'api'])).toEqual([['10.244.0.1', '10.244.0.2', '10.244.0.3', '10.244.0.4']]);
  });

  it('finds no identity in a group whose labels are split one against one', () => {
    expect(joined(['api', 'cart', 'web', 'api'])).toEqual([['10.244.0.1', '10.244.0.2', '10.244.0.3'], ['10.244.0.4']]);
  });
});
