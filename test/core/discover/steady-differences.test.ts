import { describe, expect, it } from 'vitest';
import { buildHostFeatures, type ProfileEdge, type ProfileHost } from '../../../src/core/discover/host-features';
import { partSteadyDifferences } from '../../../src/core/discover/steady-differences';
import { ipSortKey } from '../../../src/core/net/ip';

/**
 * A review site's front end (10.8.0.10) calls four services on 9090 all
 * day; each calls one aggregator (10.8.0.20) on 9090. Text and unique-id do
 * nothing else; user and movie-id each keep a database and a cache of their
 * own. The cut put the four services in one group.
 */
const FRONT = '10.8.0.10';
const AGGREGATOR = '10.8.0.20';
const TEXT = '10.8.1.10';
const UNIQUE = '10.8.1.11';
const USER = '10.8.1.12';
const MOVIE = '10.8.1.13';
const back = (service: string, octet: number): string => service.replace(/\.\d+$/, `.${octet}`).replace('10.8.1.', '10.8.2.');

const tcp = (client: string, server: string, port: number, flows?: number): ProfileEdge => ({ client, server, proto: 6, port, ...(flows === undefined ? {} : { flows }) });

function site(): ProfileEdge[] {
  const edges: ProfileEdge[] = [];
  for (const service of [TEXT, UNIQUE, USER, MOVIE]) edges.push(tcp(FRONT, service, 9090, 300), tcp(service, AGGREGATOR, 9090, 250));
  for (const service of [USER, MOVIE]) edges.push(tcp(service, back(service, Number(service.split('.')[3]) * 10), 27017, 90), tcp(service, back(service, Number(service.split('.')[3]) * 10 + 1), 11211, 90));
  return edges;
}

/** `together`: the addresses the cut put in one group, every other host alone. Groups as address lists, notes by address. */
function parted(edges: readonly ProfileEdge[], together: readonly (readonly string[])[], peerGroup?: (ip: string) => string): { groups: string[][]; notes: Map<string, string> } {
  const ips = [...new Set(edges.flatMap((edge) => [edge.client, edge.server]))];
  const hosts: ProfileHost[] = ips.map((ip) => ({ ip, sortKey: ipSortKey(ip), labels: [] }));
  const features = buildHostFeatures(hosts, edges, peerGroup === undefined ? {} : { peerGroup });
  const index = (ip: string): number => features.hosts.findIndex((host) => host.ip === ip);
  const alone = features.hosts.map((_, host) => host).filter((host) => !together.flat().includes(features.hosts[host]!.ip));
  const groups = [...together.map((group) => group.map(index).sort((a, b) => a - b)), ...alone.map((host) => [host])];
  // Nearest by address distance: enough to place a member that serves nothing.
  const nearest = (host: number, candidates: readonly number[]): number => candidates.reduce((best, candidate) => (Math.abs(candidate - host) < Math.abs(best - host) ? candidate : best));
  const result = partSteadyDifferences(features, edges, groups, nearest);
  const ip = (host: number): string => features.hosts[host]!.ip;
  return { groups: result.groups.map((members) => members.map(ip)), notes: new Map([...result.notes].map(([host, note]) => [ip(host), note.text])) };
}

const groupOf = (groups: string[][], ip: string): string[] => groups.find((members) => members.includes(ip))!;

describe('partSteadyDifferences', () => {
  it('parts services that keep back ends of their own from those that keep none, and from each other', () => {
    const { groups, notes } = parted(site(), [[TEXT, UNIQUE, USER, MOVIE]]);
    expect(groupOf(groups, TEXT)).toEqual([TEXT, UNIQUE]);
    expect(groupOf(groups, USER)).toEqual([USER]);
    expect(groupOf(groups, MOVIE)).toEqual([MOVIE]);
    // Each parted service says which part it left and which of its back ends set it apart.
    expect(notes.get(USER)).toMatch(/^parted from \{10\.8\.1\.10 \+1\}: both serve the same clients, and what only one of them does \(uses tcp\/11211 on 10\.8\.2\.121 \(90 connections\); uses tcp\/27017 on 10\.8\.2\.120 \(90 connections\)\) is what replicas of one service would show by chance less than 0\.1% of the time$/);
    expect(notes.has(TEXT)).toBe(false);
  });

  it('keeps replicas together when one missed a rare call to their cache', () => {
    // Three replicas of user; the cache took 3 calls, all from the first two: (2/3)^3 ≈ 30% for replicas.
    const replicas = [USER, '10.8.1.14', '10.8.1.15'];
    const edges = replicas.flatMap((replica) => [tcp(FRONT, replica, 9090, 300), tcp(replica, back(USER, 120), 27017, 90)]);
    edges.push(tcp(USER, back(USER, 121), 11211, 2), tcp('10.8.1.14', back(USER, 121), 11211, 1));
    expect(groupOf(parted(edges, [replicas]).groups, USER)).toEqual(replicas);
    // The same difference, steady (no counts: edges without counts are steady), is another service.
    const steady = edges.map((edge) => (edge.port === 11211 ? { ...edge, flows: undefined } : edge));
    expect(groupOf(parted(steady, [replicas]).groups, '10.8.1.15')).toEqual(['10.8.1.15']);
  });

  it('never parts hosts by which of the estate’s shared servers they were set up to use', () => {
    // Both replicas send logs all day, each to one of two syslog servers that other groups use as well.
    const replicas = [USER, '10.8.1.14'];
    const edges = replicas.map((replica) => tcp(FRONT, replica, 9090, 300));
    edges.push({ client: USER, server: '10.8.9.1', proto: 17, port: 514, flows: 500 }, { client: '10.8.1.14', server: '10.8.9.2', proto: 17, port: 514, flows: 500 });
    edges.push({ client: '10.8.5.1', server: '10.8.9.1', proto: 17, port: 514, flows: 500 }, { client: '10.8.5.2', server: '10.8.9.2', proto: 17, port: 514, flows: 500 });
    expect(groupOf(parted(edges, [replicas]).groups, USER)).toEqual(replicas);
    // One replica reaches its cache on a member only the group uses, the other on one other groups use too: a pool, not two services.
    const cache = [tcp(USER, '10.8.9.3', 6379, 200), tcp('10.8.1.14', '10.8.9.4', 6379, 200), tcp('10.8.5.1', '10.8.9.4', 6379, 200)];
    expect(groupOf(parted([...edges, ...cache], [replicas]).groups, USER)).toEqual(replicas);
    // Where the other replica reaches no cache at all, the one the group alone uses sets the first apart.
    expect(groupOf(parted([...edges, cache[0]!], [replicas]).groups, USER)).toEqual([USER]);
  });

  it('never parts members by the traffic between them: a standby pulls from its primary', () => {
    // The app tier alone uses the primary and the standby (their own back ends); the standby replicates from the primary.
    const [primary, standby] = ['10.8.3.1', '10.8.3.2'];
    const edges = [tcp(USER, primary, 1433, 400), tcp(USER, standby, 1433, 300), tcp(standby, primary, 1433, 200), tcp(primary, '10.8.3.9', 1433, 50)];
    // Primary and standby each serve the app; the standby's pull is inside the group, and the primary's own
    // archive target (10.8.3.9) is its back end alone, a steady difference the model weighs.
    expect(groupOf(parted(edges, [[primary, standby]]).groups, primary)).toEqual([primary]);
    const withoutArchive = edges.slice(0, 3);
    expect(groupOf(parted(withoutArchive, [[primary, standby]]).groups, primary)).toEqual([primary, standby]);
  });

  it('keeps together members it cannot compare: they serve no one service to the same clients', () => {
    // User serves the front end, movie-id a batch host: nothing says they are replicas that differ.
    const edges = [tcp(FRONT, USER, 9090, 300), tcp('10.8.0.30', MOVIE, 9090, 300), tcp(USER, back(USER, 120), 27017, 90), tcp(MOVIE, back(MOVIE, 130), 27017, 90)];
    expect(groupOf(parted(edges, [[USER, MOVIE]]).groups, USER)).toEqual([USER, MOVIE]);
  });

  it('sends a member that serves nothing to the part of the member most like it, and says so', () => {
    const idle = '10.8.1.16';
    const edges = [...site(), tcp(idle, AGGREGATOR, 9090, 5)];
    const { groups, notes } = parted(edges, [[TEXT, UNIQUE, USER, MOVIE, idle]]);
    // The test's nearest is by address: movie-id (10.8.1.13) is the closest member that serves steadily.
    expect(groupOf(groups, idle)).toEqual([MOVIE, idle]);
    expect(notes.get(idle)).toBe('went with 10.8.1.13, the members most like it, when its group was parted by the back ends each keeps: it serves no group steadily');
    expect(groups.flat().sort()).toEqual([...new Set(site().flatMap((edge) => [edge.client, edge.server])), idle].sort());
  });

  it('keeps two sets that differ together when a third, comparable with neither, is in their group', () => {
    // A batch host's service (10.8.1.20) serves another client on another port: nothing says which side it is on.
    const batch = '10.8.1.20';
    const edges = [...site(), tcp('10.8.0.30', batch, 7000, 300)];
    const { groups } = parted(edges, [[USER, MOVIE, batch]]);
    expect(groupOf(groups, USER)).toEqual([USER, MOVIE, batch]);
  });

  it('gives the same groups and notes whatever the order of the edges', () => {
    const edges = [...site(), tcp('10.8.1.16', AGGREGATOR, 9090, 5)];
    const together = [[TEXT, UNIQUE, USER, MOVIE, '10.8.1.16']];
    const forward = parted(edges, together);
    const backward = parted([...edges].reverse(), together);
    expect(backward.groups).toEqual(forward.groups);
    expect([...backward.notes].sort()).toEqual([...forward.notes].sort());
  });

  it('names peers as the profiles do, so replicas of a back end are one back end', () => {
    // Two replicas of user, each pinned to one of two replicas of its own database.
    const replicas = [USER, '10.8.1.14'];
    const [db1, db2] = [back(USER, 120), back(USER, 122)];
    const edges = [...replicas.map((replica) => tcp(FRONT, replica, 9090, 300)), tcp(USER, db1, 27017, 90), tcp('10.8.1.14', db2, 27017, 90)];
    expect(groupOf(parted(edges, [replicas]).groups, USER)).toEqual([USER]);
    const asOne = (ip: string): string => (ip === db1 || ip === db2 ? `{${db1} +1}` : ip);
    expect(groupOf(parted(edges, [replicas], asOne).groups, USER)).toEqual(replicas);
  });

  it('keeps a replica pinned to some members of its back-end pool with one that reaches the whole pool', () => {
    // The app pool's members are named apart (the cut has not joined them yet); web 1 reaches both, web 2 kept its sessions on one.
    const [web1, web2] = [USER, '10.8.1.14'];
    const [app1, app2] = ['10.8.2.1', '10.8.2.2'];
    const edges = [tcp(FRONT, web1, 9090, 300), tcp(FRONT, web2, 9090, 300), tcp(web1, app1, 8443, 150), tcp(web1, app2, 8443, 150), tcp(web2, app2, 8443, 300)];
    expect(groupOf(parted(edges, [[web1, web2]]).groups, web1)).toEqual([web1, web2]);
    // Pinned to disjoint members, nothing says the pool is one: two services, each with a back end of its own.
    const disjoint = [tcp(FRONT, web1, 9090, 300), tcp(FRONT, web2, 9090, 300), tcp(web1, app1, 8443, 300), tcp(web2, app2, 8443, 300)];
    expect(groupOf(parted(disjoint, [[web1, web2]]).groups, web1)).toEqual([web1]);
  });

  it('counts only steady use of a back end as a difference: a few sessions to another PLC are one extra duty', () => {
    // User opens 9 connections to a back end of its own in the whole capture: fewer than ten say nothing of a role.
    const edges = [...[TEXT, UNIQUE, USER].flatMap((service) => [tcp(FRONT, service, 9090, 300), tcp(service, AGGREGATOR, 9090, 250)]), tcp(USER, back(USER, 120), 44818, 9)];
    expect(groupOf(parted(edges, [[TEXT, UNIQUE, USER]]).groups, USER)).toEqual([TEXT, UNIQUE, USER]);
    const steady = edges.map((edge) => (edge.port === 44818 ? { ...edge, flows: 10 } : edge));
    expect(groupOf(parted(steady, [[TEXT, UNIQUE, USER]]).groups, USER)).toEqual([USER]);
  });

  it('compares sets again once the ones it could not compare are united: together they may be replicas of a third', () => {
    // A serves X only and keeps cache Q; B serves Y only and keeps database P; C serves both and keeps both.
    // C differs steadily from A (P) and from B (Q); A and B share no client, so nothing compares them. United,
    // A and B serve and keep what C does: replicas, and the group stays whole.
    const [X, Y, A, B, C, P, Q] = ['10.8.5.1', '10.8.5.2', '10.8.1.21', '10.8.1.22', '10.8.1.23', '10.8.2.30', '10.8.2.31'];
    const edges = [tcp(X, A, 9090, 300), tcp(Y, B, 9090, 300), tcp(X, C, 9090, 300), tcp(Y, C, 9090, 300), tcp(A, Q, 6379, 200), tcp(B, P, 27017, 200), tcp(C, P, 27017, 200), tcp(C, Q, 6379, 200)];
    expect(groupOf(parted(edges, [[A, B, C]]).groups, A)).toEqual([A, B, C]);
    // Where C also keeps a back end neither of the others uses, it is another service to the united pair.
    const own = [...edges, tcp(C, '10.8.2.32', 5672, 200)];
    expect(groupOf(parted(own, [[A, B, C]]).groups, A)).toEqual([A, B]);
    expect(groupOf(parted(own, [[A, B, C]]).groups, C)).toEqual([C]);
  });
});
