import { describe, expect, it } from 'vitest';
import { buildHostFeatures, type ProfileEdge, type ProfileHost } from '../../../src/core/discover/host-features';
import { joinIdleReplicas } from '../../../src/core/discover/idle-replicas';
import { ipSortKey } from '../../../src/core/net/ip';

/**
 * Three nodes, each a /24 of pods and a kubelet at .1 probing every pod of
 * its node on its port:
 *
 *   node 1: frontend F (5000), recommendation R1 (8085), its database D1 (27017)
 *   node 2: recommendation R2 (8085, no call reached it), another app's database M1 (27017), memcached C (11211)
 *   node 3: recommendation R3 (8085, idle too), app X (8086), an idle database M2 (27017)
 *
 * F calls R1, C and X; R1 calls D1; X calls M1. Prometheus P scrapes
 * 9113 on every pod.
 */
const F = '10.244.1.10';
const R1 = '10.244.1.11';
const D1 = '10.244.1.12';
const R2 = '10.244.2.11';
const M1 = '10.244.2.12';
const C = '10.244.2.13';
const R3 = '10.244.3.11';
const X = '10.244.3.12';
const M2 = '10.244.3.13';
const P = '10.244.9.9';
const pods = [F, R1, D1, R2, M1, C, R3, X, M2];
const portOf: Record<string, number> = { [F]: 5000, [R1]: 8085, [D1]: 27017, [R2]: 8085, [M1]: 27017, [C]: 11211, [R3]: 8085, [X]: 8086, [M2]: 27017 };

const e = (client: string, server: string, port: number): ProfileEdge => ({ client, server, proto: 6, port });

function estate(extra: ProfileEdge[] = []): ProfileEdge[] {
  const kubelet = (pod: string): string => pod.replace(/\.\d+$/, '.1');
  return [
    e(F, R1, 8085),
    e(F, C, 11211),
    e(F, X, 8086),
    e(R1, D1, 27017),
    e(X, M1, 27017),
    ...pods.map((pod) => e(kubelet(pod), pod, portOf[pod]!)),
    ...pods.map((pod) => e(P, pod, 9113)),
    ...extra,
  ];
}

/** Every internal host of the edges alone in its group; the result as address lists, and the notes by address. */
function joined(edges: readonly ProfileEdge[]): { groups: string[][]; notes: Map<string, string> } {
  const ips = [...new Set(edges.flatMap((edge) => [edge.client, edge.server]))];
  const hosts: ProfileHost[] = ips.map((ip) => ({ ip, sortKey: ipSortKey(ip), labels: [] }));
  const features = buildHostFeatures(hosts, edges);
  const result = joinIdleReplicas(features, edges, features.hosts.map((_, index) => [index]));
  const ip = (host: number): string => features.hosts[host]!.ip;
  return { groups: result.groups.map((members) => members.map(ip)), notes: new Map([...result.notes].map(([host, note]) => [ip(host), `${note.text} (with ${ip(note.partner)})`])) };
}
const run = (edges: readonly ProfileEdge[]): string[][] => joined(edges).groups;

const groupOf = (groups: string[][], ip: string): string[] => groups.find((members) => members.includes(ip))!;

describe('idle replicas join the one group serving their port to real clients', () => {
  it('recommendation pods only their kubelets probed join the one a real client used; an idle database on a port many serve stays alone', () => {
    const groups = run(estate());
    expect(groupOf(groups, R1)).toEqual([R1, R2, R3]);
    // 27017: D1 and M1 both serve it to real clients, so the port says nothing about M2.
    expect(groupOf(groups, M2)).toEqual([M2]);
    expect(groupOf(groups, D1)).toEqual([D1]);
    // Kubelets and Prometheus are clients: nothing joins them.
    expect(groupOf(groups, '10.244.1.1')).toEqual(['10.244.1.1']);
    expect(groups.flat().sort()).toEqual([...new Set(estate().flatMap((edge) => [edge.client, edge.server]))].sort());
    // Each joined host says why.
    expect(joined(estate()).notes).toEqual(
      new Map([
        [R2, `an idle replica: only probers used it (10.244.2.1: 3 services, all in 10.244.2.0/24), and only this group serves tcp/8085 to real clients (with ${R1})`],
        [R3, `an idle replica: only probers used it (10.244.3.1: 3 services, all in 10.244.3.0/24), and only this group serves tcp/8085 to real clients (with ${R1})`],
      ]),
    );
  });

  it('an idle pod that uses what the active replicas do not is not one of them', () => {
    const groups = run(estate([e(R3, M2, 27017)]));
    expect(groupOf(groups, R1)).toEqual([R1, R2]);
    expect(groupOf(groups, R3)).toEqual([R3]);
  });

  it('a client whose servers span several address blocks is no prober: a pod it alone uses is active', () => {
    // W uses R2, C and X (three services, two /24s): R2 now has a real client, so 8085 has two active groups and R3 joins neither.
    const W = '10.100.0.5';
    const groups = run(estate([e(W, R2, 8085), e(W, C, 11211), e(W, X, 8086)]));
    expect(groupOf(groups, R1)).toEqual([R1]);
    expect(groupOf(groups, R2)).toEqual([R2]);
    expect(groupOf(groups, R3)).toEqual([R3]);
  });

  it('a collector service (9113 scraped everywhere by one client) names no role: pods that serve nothing else stay where they are', () => {
    // (In the first case Prometheus scrapes every pod: were 9113 a role, every pod would be active and none would join.)
    // Without the kubelets, R2 and R3 serve only 9113: no port of theirs says which service they are.
    const edges = estate().filter((edge) => !edge.client.endsWith('.1'));
    const groups = run(edges);
    expect(groupOf(groups, R1)).toEqual([R1]);
    expect(groupOf(groups, R2)).toEqual([R2]);
  });

  it('gives the same groups whatever the order of the edges', () => {
    expect(run([...estate()].reverse())).toEqual(run(estate()));
  });
});

/**
 * Thrift services that all listen on 9090 (DeathStarBench), each kubelet
 * probing the pods of its node. The front end F calls movie-info (MI, one
 * pod) three times in the capture and cast-info (CI, one pod) all day; MI
 * uses its MongoDB (MM), CI its own (CM). I1 and I2 are pods nobody called:
 * I1 uses MM as MI does, I2 uses CM as CI does. S1 and S2 are rarely
 * called too (twice) and use nothing of their own; I3 uses nothing either.
 */
describe('idle replicas on a port several services share', () => {
  const at = (node: number, host: number): string => `10.244.${node}.${host}`;
  const [F, MI, CI, MM, CM, I1, I2, S1, S2, I3] = [at(1, 10), at(1, 11), at(1, 12), at(2, 10), at(2, 11), at(3, 10), at(3, 11), at(2, 12), at(2, 13), at(3, 12)];
  const calls = (client: string, server: string, port: number, flows: number): ProfileEdge => ({ client, server, proto: 6, port, flows });
  const thrift = [MI, CI, I1, I2, S1, S2, I3];
  const edges: ProfileEdge[] = [
    calls(F, MI, 9090, 3),
    calls(F, CI, 9090, 400),
    calls(F, S1, 9090, 2),
    calls(F, S2, 9090, 2),
    calls(MI, MM, 27017, 50),
    calls(I1, MM, 27017, 40),
    calls(CI, CM, 27017, 300),
    calls(I2, CM, 27017, 30),
    ...thrift.map((pod) => calls(pod.replace(/\.\d+$/, '.1'), pod, 9090, 150)),
    ...[MM, CM, F].map((pod) => calls(pod.replace(/\.\d+$/, '.1'), pod, pod === F ? 8080 : 27017, 150)),
  ];
  /** `together`: hosts given as groups (every other host alone); `identities`: label identities by address. */
  const joinOn = (extra: ProfileEdge[] = [], together: readonly (readonly string[])[] = [], identities: Record<string, string> = {}) => {
    const all = [...edges, ...extra];
    const ips = [...new Set(all.flatMap((edge) => [edge.client, edge.server]))];
    const features = buildHostFeatures(ips.map((ip) => ({ ip, sortKey: ipSortKey(ip), labels: [] })), all);
    const ip = (host: number): string => features.hosts[host]!.ip;
    const indexes = features.hosts.map((_, index) => index);
    const alone = indexes.filter((index) => !together.some((members) => members.includes(ip(index))));
    const start = [...together.map((members) => indexes.filter((index) => members.includes(ip(index)))), ...alone.map((index) => [index])].sort((a, b) => a[0]! - b[0]!);
    const joinedGroups = joinIdleReplicas(features, all, start, (host) => identities[ip(host)] ?? null);
    return { groups: joinedGroups.groups.map((members) => members.map(ip)), notes: new Map([...joinedGroups.notes].map(([host, note]) => [ip(host), note.text])) };
  };
  const result = joinOn();

  it('joins an idle pod to the one rarely called service that uses its back end', () => {
    expect(groupOf(result.groups, MI)).toEqual([MI, I1]);
    expect(result.notes.get(I1)).toBe(
      'an idle replica: only probers used it (10.244.3.1: 3 servers, all in its own 10.244.3.0/24), and of the groups serving tcp/9090 to real clients only this one uses all it uses and took calls few enough to have left a replica without one',
    );
  });

  it('keeps an idle pod apart from a busy service, whose calls could not have missed a replica', () => {
    expect(groupOf(result.groups, I2)).toEqual([I2]);
    expect(groupOf(result.groups, CI)).toEqual([CI]);
  });

  it('keeps an idle pod apart that several rarely called services fit', () => {
    expect(groupOf(result.groups, I3)).toEqual([I3]);
  });

  it('keeps apart an idle group larger than the service it fits: services that took no call at all', () => {
    // Three idle pods that use MM, against one active movie-info pod.
    const I4 = at(3, 13);
    const I5 = at(3, 14);
    const more = [calls(I4, MM, 27017, 35), calls(I5, MM, 27017, 20), calls('10.244.3.1', I4, 9090, 150), calls('10.244.3.1', I5, 9090, 150)];
    expect(groupOf(joinOn(more, [[I1, I4, I5]]).groups, I1)).toEqual([I1, I4, I5]);
  });

  /**
   * Two pods of a review service (Q1, Q2) that use their database QM and took
   * `taken` calls between them, and two idle pods (J1, J2) that use QM too:
   * the cut has put each pair together.
   */
  const twoIdle = (taken: number) => {
    const [Q1, Q2, QM, J1, J2] = [at(4, 10), at(4, 11), at(4, 12), at(3, 20), at(3, 21)];
    const kubelet = (pod: string): string => pod.replace(/\.\d+$/, '.1');
    const more = [
      calls(F, Q1, 9090, Math.ceil(taken / 2)),
      calls(F, Q2, 9090, Math.floor(taken / 2)),
      ...[Q1, Q2, J1, J2].map((pod) => calls(pod, QM, 27017, 20)),
      ...[Q1, Q2, J1, J2].map((pod) => calls(kubelet(pod), pod, 9090, 150)),
      calls(kubelet(QM), QM, 27017, 150),
    ];
    const { groups, notes } = joinOn(more, [[Q1, Q2], [J1, J2]]);
    return { group: groupOf(groups, J1), note: notes.get(J1), joined: [J1, J2, Q1, Q2], apart: [J1, J2] };
  };

  it('joins two idle pods to a service whose calls could have missed them both', () => {
    // Three calls over four replicas miss a given two with a chance of (2/4)^3 = 12.5%.
    const { group, note, joined } = twoIdle(3);
    expect(group).toEqual(joined);
    expect(note).toMatch(/took calls few enough to have left 2 replicas without one$/);
  });

  it('keeps two idle pods apart from a service whose calls could have missed one more replica but not both', () => {
    // Five calls: one more replica is missed by chance with (2/3)^5 = 13%, both idle pods only with (2/4)^5 = 3%.
    const { group, apart } = twoIdle(5);
    expect(group).toEqual(apart);
  });

  it('keeps two idle pods apart that two rare services could each have left one of, though only one could have left both', () => {
    // A (two pods, 3 calls) and B (two pods, 5 calls) use nothing, as the idle J1 and J2 do. Each could have
    // left one more replica idle ((2/3)^3, (2/3)^5), only A both ((2/4)^3 = 12.5%, (2/4)^5 = 3%): the idle
    // pods look alike whatever they serve, and may be one of A's and one of B's.
    const [A1, A2, B1, B2, J1, J2] = [at(6, 10), at(6, 11), at(6, 12), at(7, 10), at(7, 11), at(7, 12)];
    const kubelet = (pod: string): string => pod.replace(/\.\d+$/, '.1');
    const more = [
      calls(F, A1, 9090, 2),
      calls(F, A2, 9090, 1),
      calls(F, B1, 9090, 3),
      calls(F, B2, 9090, 2),
      ...[A1, A2, B1, B2, J1, J2].map((pod) => calls(kubelet(pod), pod, 9090, 150)),
    ];
    const { groups } = joinOn(more, [[A1, A2], [B1, B2], [J1, J2]]);
    expect(groupOf(groups, J1)).toEqual([J1, J2]);
    // Without B's calls, A alone fits, and could have left both (B's pods, idle now too, join A as well).
    const withoutB = more.filter((edge) => edge.client !== F || (edge.server !== B1 && edge.server !== B2));
    expect(groupOf(joinOn(withoutB, [[A1, A2], [B1, B2], [J1, J2]]).groups, J1)).toEqual([A1, A2, B1, B2, J1, J2]);
  });

  it('never joins groups that labels name differently', () => {
    expect(groupOf(joinOn([], [], { [I1]: 'app=plot', [MI]: 'app=movie-info' }).groups, I1)).toEqual([I1]);
    expect(groupOf(joinOn([], [], { [I1]: 'app=movie-info', [MI]: 'app=movie-info' }).groups, I1)).toEqual([MI, I1]);
  });
});
