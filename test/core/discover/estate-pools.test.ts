import { describe, expect, it } from 'vitest';
import { discoveryFeatures } from '../../../src/core/discover/discover-groups';
import { ESTATE_POOL_DEFAULTS, joinEstatePools } from '../../../src/core/discover/estate-pools';
import type { ProfileEdge, ProfileHost } from '../../../src/core/discover/host-features';

// Hand-made estates given to the join as the worst split: every host a group of its own.

const host = (ip: string): ProfileHost => ({ ip, sortKey: ip.split('.').map((part) => part.padStart(3, '0')).join('.'), labels: [] });
const tcp = (client: string, server: string, port: number): ProfileEdge => ({ client, server, proto: 6, port });
const udp = (client: string, server: string, port: number): ProfileEdge => ({ client, server, proto: 17, port });

const SYSLOG_1 = '10.0.0.50';
const SYSLOG_2 = '10.0.0.51';
const DNS = '10.0.0.53';
const DB_A = '10.1.2.1';
const DB_B = '10.2.2.1';

/**
 * Eight desks (10.9.0.1–8), two applications of three servers each using their own database on 5432
 * (both databases log to the first syslog server); every host but the syslog servers logs to one of
 * them (desks 1–4 and application A to the first, the rest to the second) and everyone uses DNS.
 * 19 groups; each syslog server serves 8 of them, 16 together.
 */
function estate(): ProfileEdge[] {
  const desks = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => `10.9.0.${n}`);
  const appA = ['10.1.1.1', '10.1.1.2', '10.1.1.3'];
  const appB = ['10.2.1.1', '10.2.1.2', '10.2.1.3'];
  const edges: ProfileEdge[] = [
    ...appA.map((server) => tcp(server, DB_A, 5432)),
    ...appB.map((server) => tcp(server, DB_B, 5432)),
    ...[...desks.slice(0, 4), ...appA].map((ip) => udp(ip, SYSLOG_1, 514)),
    ...[...desks.slice(4), ...appB].map((ip) => udp(ip, SYSLOG_2, 514)),
    udp(DB_A, SYSLOG_1, 514),
    udp(DB_B, SYSLOG_1, 514),
  ];
  const everyone = [...new Set(edges.flatMap((edge) => [edge.client, edge.server]))].sort();
  for (const ip of everyone) edges.push(udp(ip, DNS, 53));
  return edges;
}

function joined(
  edges: readonly ProfileEdge[],
  options = ESTATE_POOL_DEFAULTS,
  identity: (ip: string) => string | null = () => null,
): { groups: string[][]; notes: Map<string, string> } {
  const ips = [...new Set(edges.flatMap((edge) => [edge.client, edge.server]))];
  const features = discoveryFeatures({ hosts: ips.map(host), edges });
  const result = joinEstatePools(features, edges, features.hosts.map((_, index) => [index]), (index) => identity(features.hosts[index]!.ip), options);
  const ip = (index: number): string => features.hosts[index]!.ip;
  return {
    groups: result.groups.filter((group) => group.length > 1).map((group) => group.map(ip)),
    notes: new Map([...result.notes].map(([index, note]) => [ip(index), note.text])),
  };
}

/** The join given groups (every other host alone): sets of addresses in, pools of addresses out. */
function joinedFrom(edges: readonly ProfileEdge[], given: readonly (readonly string[])[]): string[][] {
  const ips = [...new Set(edges.flatMap((edge) => [edge.client, edge.server]))];
  const features = discoveryFeatures({ hosts: ips.map(host), edges });
  const index = new Map(features.hosts.map((entry, i) => [entry.ip, i]));
  const placed = new Set(given.flat());
  const groups = [...given.map((group) => group.map((ip) => index.get(ip)!)), ...features.hosts.flatMap((entry, i) => (placed.has(entry.ip) ? [] : [[i]]))];
  const result = joinEstatePools(features, edges, groups, () => null);
  const given_ = new Set(given.map((group) => [...group].sort().join()));
  return result.groups.map((group) => group.map((i) => features.hosts[i]!.ip).sort()).filter((group) => group.length > 1 && !given_.has(group.join()));
}

/**
 * Four departments of three desks each, and six application servers each used by a desk of its own on
 * 8080 (14 groups with the log nodes and DNS). Desk j of every department ships its logs to log node j
 * on 9200: each node takes a slice of every department, 4 of the 14 groups, far from half.
 */
function sliced(extra: (desk: string, department: number, j: number) => ProfileEdge[] = () => []): { edges: ProfileEdge[]; departments: string[][] } {
  const departments = [0, 1, 2, 3].map((d) => [0, 1, 2].map((j) => `10.9.${d}.${j + 1}`));
  const edges: ProfileEdge[] = [];
  departments.forEach((desks, d) =>
    desks.forEach((desk, j) => {
      edges.push(tcp(desk, `10.0.1.${j + 1}`, 9200), ...extra(desk, d, j));
      if (d < 2) edges.push(tcp(desk, `10.0.5.${d * 3 + j + 1}`, 8080));
    }),
  );
  for (const ip of [...new Set(edges.flatMap((edge) => [edge.client, edge.server]))]) edges.push(udp(ip, DNS, 53));
  return { edges, departments };
}

describe('joinEstatePools: slices of one clientele', () => {
  const nodes = ['10.0.1.1', '10.0.1.2', '10.0.1.3'];

  it('joins log nodes that each take a slice of every department, though together they serve few groups', () => {
    const { edges, departments } = sliced();
    expect(joinedFrom(edges, departments)).toEqual([nodes]);
  });

  it('keeps two services on one port apart when the same hosts use both (one node of each)', () => {
    // Every desk also polls one of three metrics gateways on 9200, chosen another way: gateway (d + j) mod 3.
    const { edges, departments } = sliced((desk, d, j) => [tcp(desk, `10.0.2.${((d + j) % 3) + 1}`, 9200)]);
    const pools = joinedFrom(edges, departments);
    expect(pools).toContainEqual(nodes);
    expect(pools).toContainEqual(['10.0.2.1', '10.0.2.2', '10.0.2.3']);
    expect(pools).toHaveLength(2);
  });

  it('keeps the nodes of two populations apart: no client group uses both', () => {
    // Six departments: 0–2 log to nodes 10.0.1.x, 3–5 to nodes 10.0.3.x (three groups per node); each
    // desk also uses an application server of its own, so that no two nodes serve half the groups.
    const departments = [0, 1, 2, 3, 4, 5].map((d) => [0, 1, 2].map((j) => `10.9.${d}.${j + 1}`));
    const edges = departments.flatMap((desks, d) => desks.flatMap((desk, j) => [tcp(desk, `10.0.${d < 3 ? 1 : 3}.${j + 1}`, 9200), tcp(desk, `10.0.5.${d * 3 + j + 1}`, 8080)]));
    const pools = joinedFrom(edges, departments);
    expect(pools).toEqual([nodes, ['10.0.3.1', '10.0.3.2', '10.0.3.3']]);
  });
});

describe('joinEstatePools', () => {
  it('joins two syslog servers that each serve part of the estate, and says why', () => {
    const { groups, notes } = joined(estate());
    expect(groups).toEqual([[SYSLOG_1, SYSLOG_2]]);
    expect(notes.get(SYSLOG_2)).toContain("one pool of the estate's udp/514 with 10.0.0.50");
    expect(notes.get(SYSLOG_2)).toContain('16 of 19 together');
  });

  it('keeps two applications\' databases apart: together they serve far less than half of the groups', () => {
    // DB_A and DB_B serve 5432 to three groups each and use the same groups (syslog 1, DNS): 6 of 19 < 9.5.
    expect(joined(estate()).groups).not.toContainEqual([DB_A, DB_B]);
    // The share is what keeps them apart: at 30% they would pass.
    expect(joined(estate(), { ...ESTATE_POOL_DEFAULTS, estateShare: 0.3 }).groups).toContainEqual([DB_A, DB_B]);
  });

  it('keeps servers apart that use different groups beyond each other', () => {
    // The second syslog server forwards to a SIEM the first does not use.
    const edges = [...estate(), tcp(SYSLOG_2, '10.0.0.60', 6514)];
    expect(joined(edges).groups).toEqual([]);
  });

  it('sets aside what the members use of each other (replication within the pool)', () => {
    const edges = [...estate(), udp(SYSLOG_2, SYSLOG_1, 514)];
    expect(joined(edges).groups).toEqual([[SYSLOG_1, SYSLOG_2]]);
  });

  it('never joins servers that labels name differently, not even through an unlabelled third', () => {
    // Three syslog servers; desk i logs to two of them, so each serves six of nine desks and any two
    // serve all nine (of 13 groups). The first is filed as logs-a, the third as logs-b, the second
    // not at all: it may join either, but the pool must not then take in the other.
    const servers = ['10.0.0.50', '10.0.0.51', '10.0.0.52'];
    const edges: ProfileEdge[] = [];
    for (let i = 0; i < 9; i++) edges.push(udp(`10.9.0.${i + 1}`, servers[i % 3]!, 514), udp(`10.9.0.${i + 1}`, servers[(i + 1) % 3]!, 514));
    for (const ip of [...new Set(edges.flatMap((edge) => [edge.client, edge.server]))]) edges.push(udp(ip, DNS, 53));
    const identity = (ip: string): string | null => (ip === '10.0.0.50' ? 'logs-a' : ip === '10.0.0.52' ? 'logs-b' : null);
    expect(joined(edges).groups).toEqual([servers]);
    expect(joined(edges, ESTATE_POOL_DEFAULTS, identity).groups).toEqual([['10.0.0.50', '10.0.0.51']]);
  });

  it('gives the same groups in any edge order', () => {
    const edges = estate();
    expect(joined([...edges].reverse()).groups).toEqual(joined(edges).groups);
  });
});
