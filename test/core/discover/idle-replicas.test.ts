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
