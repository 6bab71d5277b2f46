import { describe, expect, it } from 'vitest';
import { discoverGroups, type DiscoveryInput } from '../../../src/core/discover/discover-groups';
import type { ProfileEdge, ProfileHost } from '../../../src/core/discover/host-features';
import { identifierLabelKeys } from '../../../src/core/discover/identifier-labels';
import { joinStandbys } from '../../../src/core/discover/standby-replicas';
import { discoveryFeatures } from '../../../src/core/discover/discover-groups';

// What an inventory says where behaviour cannot: two look-alike services
// filed apart, a standby filed with its primary, and columns that name
// hosts rather than groups. Hand-made AWS-like estates.

const host = (ip: string, labels: Record<string, string> = {}): ProfileHost => ({
  ip,
  sortKey: ip.split('.').map((part) => part.padStart(3, '0')).join('.'),
  labels: Object.entries(labels).map(([key, value]) => ({ key, value })),
});
const tcp = (client: string, server: string, port: number): ProfileEdge => ({ client, server, proto: 6, port });
const groupOf = (discovery: ReturnType<typeof discoverGroups>, ip: string): string => discovery.assignments.find((a) => a.ip === ip)!.groupId;
const together = (discovery: ReturnType<typeof discoverGroups>, ips: readonly string[]): boolean => new Set(ips.map((ip) => groupOf(discovery, ip))).size === 1;

const filed = (app: string, role: string, extra: Record<string, string> = {}): Record<string, string> => ({ environment: 'prod', application: app, role, ...extra });

/**
 * Twelve instances (10.0.1.1–12) each poll two interface endpoint services
 * on 443, an SSM endpoint (10.0.2.1–3) and a Secrets Manager endpoint
 * (10.0.3.1–3), every instance all six: behaviour cannot tell the two
 * services apart; the inventory files them as two applications.
 */
function endpoints(labelOf: (ip: string) => Record<string, string>): DiscoveryInput {
  const instances = Array.from({ length: 12 }, (_, i) => `10.0.1.${i + 1}`);
  const ssm = ['10.0.2.1', '10.0.2.2', '10.0.2.3'];
  const secrets = ['10.0.3.1', '10.0.3.2', '10.0.3.3'];
  const edges = instances.flatMap((client) => [...ssm, ...secrets].map((server) => tcp(client, server, 443)));
  const hosts = [...instances, ...ssm, ...secrets].map((ip) => host(ip, labelOf(ip)));
  return { hosts, edges, names: new Map() };
}

describe('an inventory identity splits look-alike services', () => {
  it('parts two endpoint services that the inventory files apart, two or more rows each', () => {
    const label = (ip: string): Record<string, string> => (ip.startsWith('10.0.2.') ? filed('vpce-ssm', 'endpoint') : ip.startsWith('10.0.3.') ? filed('vpce-secrets', 'endpoint') : {});
    // The cut at two clusters (instances, endpoints) is where behaviour leaves the six endpoints together.
    const discovery = discoverGroups(endpoints(label), {}, { clusters: 2 });
    expect(together(discovery, ['10.0.2.1', '10.0.2.2', '10.0.2.3'])).toBe(true);
    expect(together(discovery, ['10.0.3.1', '10.0.3.2', '10.0.3.3'])).toBe(true);
    expect(groupOf(discovery, '10.0.2.1')).not.toBe(groupOf(discovery, '10.0.3.1'));
  });

  it("parts them too when an OT asset list files them by zone and asset type, with no environment column", () => {
    const label = (ip: string): Record<string, string> =>
      ip.startsWith('10.0.2.') ? { zone: 'Line 1 - Mixing', 'asset type': 'PLC' } : ip.startsWith('10.0.3.') ? { zone: 'Line 2 - Filling', 'asset type': 'PLC' } : {};
    const discovery = discoverGroups(endpoints(label), {}, { clusters: 2 });
    expect(together(discovery, ['10.0.2.1', '10.0.2.2', '10.0.2.3'])).toBe(true);
    expect(together(discovery, ['10.0.3.1', '10.0.3.2', '10.0.3.3'])).toBe(true);
    expect(groupOf(discovery, '10.0.2.1')).not.toBe(groupOf(discovery, '10.0.3.1'));
  });
});

/**
 * Three web instances (10.0.1.1–3) use a cache primary (10.0.4.1) on 6379
 * and a database (10.0.5.1) on 5432; the cache's replica (10.0.4.2) pulls
 * from it on 6379 and serves nothing. A load generator (10.0.9.1) only
 * calls the web tier on 8080.
 */
function cache(labels: Record<string, Record<string, string>>): DiscoveryInput {
  const webs = ['10.0.1.1', '10.0.1.2', '10.0.1.3'];
  const users = ['10.0.8.1', '10.0.8.2', '10.0.8.3'];
  const edges = [
    ...webs.flatMap((web) => [tcp(web, '10.0.4.1', 6379), tcp(web, '10.0.5.1', 5432)]),
    tcp('10.0.4.2', '10.0.4.1', 6379),
    ...webs.flatMap((web) => [...users, '10.0.9.1'].map((user) => tcp(user, web, 8080))),
  ];
  const hosts = [...new Set(edges.flatMap((edge) => [edge.client, edge.server]))].map((ip) => host(ip, labels[ip] ?? {}));
  return { hosts, edges, names: new Map() };
}

describe('a standby joins its primary when labels say they are one', () => {
  it('joins the replica that pulls from its primary, filed alike, and says why', () => {
    const discovery = discoverGroups(cache({ '10.0.4.1': filed('shop', 'cache'), '10.0.4.2': filed('shop', 'cache') }));
    expect(together(discovery, ['10.0.4.1', '10.0.4.2'])).toBe(true);
    expect(discovery.assignments.find((a) => a.ip === '10.0.4.2')!.reason).toContain('a standby of 10.0.4.1');
  });

  it('says the same whatever the order of the edges (the replica pulls from two nodes of its primary group)', () => {
    const labels = { '10.0.4.1': filed('shop', 'cache'), '10.0.4.3': filed('shop', 'cache'), '10.0.4.2': filed('shop', 'cache') };
    const input = cache(labels);
    const edges = [...input.edges, ...['10.0.1.1', '10.0.1.2', '10.0.1.3'].map((web) => tcp(web, '10.0.4.3', 6379)), tcp('10.0.4.2', '10.0.4.3', 6379)];
    const hosts = [...input.hosts, host('10.0.4.3', labels['10.0.4.3'])];
    const reason = (list: readonly ProfileEdge[]): string => discoverGroups({ hosts, edges: list, names: new Map() }).assignments.find((a) => a.ip === '10.0.4.2')!.reason;
    expect(reason(edges)).toContain('a standby of');
    expect(reason([...edges].reverse())).toBe(reason(edges));
  });

  it('leaves it apart without labels, or with labels that differ (a lone client looks the same)', () => {
    expect(together(discoverGroups(cache({})), ['10.0.4.1', '10.0.4.2'])).toBe(false);
    expect(together(discoverGroups(cache({ '10.0.4.1': filed('shop', 'cache'), '10.0.4.2': filed('shop', 'reports') })), ['10.0.4.1', '10.0.4.2'])).toBe(false);
  });

  it('never joins a group that serves something (a replica taking reads is behaviour’s to place)', () => {
    const input = cache({ '10.0.4.1': filed('shop', 'cache'), '10.0.4.2': filed('shop', 'cache') });
    const edges = [...input.edges, tcp('10.0.1.1', '10.0.4.2', 6380)];
    const features = discoveryFeatures({ hosts: input.hosts, edges });
    const index = (ip: string): number => features.hosts.findIndex((entry) => entry.ip === ip);
    const identity = (hostIndex: number): string | null => (features.hosts[hostIndex]!.labels.length > 0 ? 'env=prod app=shop tier=cache' : null);
    const alone = features.hosts.map((_, hostIndex) => [hostIndex]);
    expect(joinStandbys(features, edges, alone, identity).groups).toContainEqual([index('10.0.4.2')]);
    expect(joinStandbys(features, input.edges, alone, identity).groups).toContainEqual([index('10.0.4.1'), index('10.0.4.2')].sort((a, b) => a - b));
  });
});

describe('inventory labels as features', () => {
  it('makes a full identity one feature beside the application, and leaves its environment and tier out', () => {
    // Alone, "environment=prod" and "role=worker" are shared by every application's workers.
    const input = {
      hosts: [host('10.0.1.1', filed('media', 'worker')), host('10.0.1.2', filed('pricing', 'worker')), host('10.0.1.3', { environment: 'prod' })],
      edges: [tcp('10.0.1.1', '10.0.9.1', 9094), tcp('10.0.1.2', '10.0.9.1', 9094), tcp('10.0.1.3', '10.0.9.1', 9094)],
    };
    const labels = discoveryFeatures(input)
      .features.map((feature) => feature.name)
      .filter((name) => name.startsWith('label '));
    expect(labels).toEqual(['label application=media', 'label application=pricing', 'label env=prod app=media tier=worker', 'label env=prod app=pricing tier=worker', 'label environment=prod']);
  });
});

describe('identifier columns', () => {
  const hosts = (count: number, key: string, value: (i: number) => string) => Array.from({ length: count }, (_, i) => host(`10.0.0.${i + 1}`, { [key]: value(i) }));

  it('names a key every one of ten or more hosts carries with its own value, and no identity key', () => {
    expect(identifierLabelKeys(hosts(10, 'instanceid', (i) => `i-${i}`), 10)).toEqual(new Set(['instanceid']));
    expect(identifierLabelKeys(hosts(9, 'instanceid', (i) => `i-${i}`), 10)).toEqual(new Set());
    expect(identifierLabelKeys(hosts(10, 'instanceid', (i) => `i-${i % 9}`), 10)).toEqual(new Set());
    // Ten single-host applications: the application label still groups (and parts) them.
    expect(identifierLabelKeys(hosts(10, 'application', (i) => `app-${i}`), 10)).toEqual(new Set());
  });

  it('keeps an instance-id column out of the profiles and out of the names', () => {
    // Twelve servers, each used by a user of its own on 8080, each with its own instance id: twelve look-alike
    // singletons that names must tell apart, by whom they serve rather than by an id.
    const servers = Array.from({ length: 12 }, (_, i) => `10.0.1.${i + 1}`);
    const edges = servers.map((server, i) => tcp(`10.0.8.${i + 1}`, server, 8080));
    const input = { hosts: [...servers.map((ip, i) => host(ip, { instanceid: `i-0${i}abc`, owner: `team-${i % 3}` })), ...servers.map((_, i) => host(`10.0.8.${i + 1}`))], edges, names: new Map<string, string>() };
    const features = discoveryFeatures(input);
    expect(features.features.map((feature) => feature.name).filter((name) => name.startsWith('label '))).toEqual(['label owner=team-0', 'label owner=team-1', 'label owner=team-2']);
    const discovery = discoverGroups(input);
    expect(discovery.groups.map((group) => group.name).join(' ')).not.toContain('instanceid');
  });
});
