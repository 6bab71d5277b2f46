import { describe, expect, it } from 'vitest';
import { buildHostFeatures, type ProfileEdge, type ProfileHost } from '../../../src/core/discover/host-features';
import { partIdleMembers } from '../../../src/core/discover/idle-members';
import { atMostChance, couldMissOneMore } from '../../../src/core/discover/replica-chance';
import { ipSortKey } from '../../../src/core/net/ip';

/**
 * A cluster of three nodes (10.244.N.0/24), each kubelet (.1) probing every
 * pod of its node on the pod's port. Orders (two pods) call shipping (two
 * pods, tcp/80) all day; three queue-master pods serve tcp/80 too but only
 * their kubelets ever call them; shipping and queue-master both publish to
 * one RabbitMQ (5672); a front end (8079) runs on node 3 too. The cut put
 * shipping and queue-master in one group.
 */
const O1 = '10.244.1.20';
const O2 = '10.244.2.20';
const S1 = '10.244.1.30';
const S2 = '10.244.2.30';
const Q1 = '10.244.1.40';
const Q2 = '10.244.2.40';
const Q3 = '10.244.3.40';
const R = '10.244.3.50';
const FRONT = '10.244.3.60';

const tcp = (client: string, server: string, port: number, flows: number): ProfileEdge => ({ client, server, proto: 6, port, flows });
const kubelet = (pod: string): string => pod.replace(/\.\d+$/, '.1');

function cluster(shippingFlows: Record<string, number> = { [S1]: 100, [S2]: 100 }): ProfileEdge[] {
  const edges: ProfileEdge[] = [];
  for (const [pod, flows] of Object.entries(shippingFlows)) for (const orders of [O1, O2]) edges.push(tcp(orders, pod, 80, flows / 2));
  const ports: [string, number][] = [[O1, 8080], [O2, 8080], [S1, 80], [S2, 80], [Q1, 80], [Q2, 80], [Q3, 80], [R, 5672], [FRONT, 8079], ...Object.keys(shippingFlows).filter((pod) => ![S1, S2].includes(pod)).map((pod): [string, number] => [pod, 80])];
  for (const [pod, port] of ports) edges.push(tcp(kubelet(pod), pod, port, 150));
  for (const pod of [S1, S2, Q1, Q2, Q3, ...Object.keys(shippingFlows)]) edges.push(tcp(pod, R, 5672, 80));
  return edges;
}

/**
 * `together`: the addresses the cut put in one group; the orders pods (and
 * `callers`) are two more, every other host alone. Groups as address lists,
 * notes by address.
 */
function parted(edges: readonly ProfileEdge[], together: readonly string[], callers: readonly string[] = []): { groups: string[][]; notes: Map<string, string> } {
  const ips = [...new Set(edges.flatMap((edge) => [edge.client, edge.server]))];
  const hosts: ProfileHost[] = ips.map((ip) => ({ ip, sortKey: ipSortKey(ip), labels: [] }));
  const features = buildHostFeatures(hosts, edges);
  const index = (ip: string): number => features.hosts.findIndex((host) => host.ip === ip);
  const given = [together, [O1, O2], callers].filter((group) => group.length > 0);
  const alone = features.hosts.map((_, host) => host).filter((host) => !given.flat().includes(features.hosts[host]!.ip));
  const groups = [...given.map((group) => group.map(index).sort((a, b) => a - b)), ...alone.map((host) => [host])];
  const result = partIdleMembers(features, edges, groups);
  const ip = (host: number): string => features.hosts[host]!.ip;
  return { groups: result.groups.map((members) => members.map(ip)), notes: new Map([...result.notes].map(([host, note]) => [ip(host), note.text])) };
}

const groupOf = (groups: string[][], ip: string): string[] => groups.find((members) => members.includes(ip))!;

describe('partIdleMembers', () => {
  it('parts the pods that took none of the steady calls from the service that took them all', () => {
    const { groups, notes } = parted(cluster(), [S1, S2, Q1, Q2, Q3]);
    expect(groupOf(groups, S1)).toEqual([S1, S2]);
    expect(groupOf(groups, Q1)).toEqual([Q1, Q2, Q3]);
    expect(notes.get(Q1)).toBe(
      `parted from {${S1} +1}: it took none of their steady work (tcp/80 to {${O1} +1}, 200 connections), which replicas of one service miss with less than a 0.1% chance`,
    );
    // The kubelets' checks are no work: the queue masters took 450 of them, and still count as idle.
    expect(notes.has(S1)).toBe(false);
  });

  it('keeps a replica that took less than the others but more than a tenth of its share', () => {
    const { groups } = parted(cluster({ [S1]: 100, [S2]: 100, '10.244.3.30': 12 }), [S1, S2, '10.244.3.30']);
    expect(groupOf(groups, S1)).toEqual([S1, S2, '10.244.3.30']);
  });

  it('parts a pod that a caller reached twice beside replicas it called all day', () => {
    // Two calls of 212 where a replica's fair part is 71: another service's pod on the same port.
    const { groups, notes } = parted(cluster({ [S1]: 100, [S2]: 110, '10.244.3.30': 2 }), [S1, S2, '10.244.3.30']);
    expect(groupOf(groups, S1)).toEqual([S1, S2]);
    expect(groupOf(groups, '10.244.3.30')).toEqual(['10.244.3.30']);
    expect(notes.get('10.244.3.30')).toMatch(/^parted from \{10\.244\.1\.30 \+1\}: it took only 2 of their 212 steady connections \(tcp\/80 to/);
  });

  it('keeps an idle member that chance explains: a few calls can miss one replica in twenty', () => {
    // Twenty replicas of a service on 8088 that eight callers use; `taken` calls per replica.
    const callers = Array.from({ length: 8 }, (_, k) => `10.250.0.${k + 1}`);
    const replicas = Array.from({ length: 20 }, (_, k) => `10.244.3.${100 + k}`);
    const service = (taken: (replica: number) => number): ProfileEdge[] => [
      ...cluster(),
      ...replicas.flatMap((replica, k) => [tcp(kubelet(replica), replica, 8088, 150), ...callers.map((caller) => tcp(caller, replica, 8088, taken(k) / callers.length))]),
    ];
    // Eight idle replicas of twenty miss all 24 calls with a chance of (12/20)^24 ≈ 5e-6…
    expect(parted(service((k) => (k < 12 ? 2 : 0)), replicas, callers).groups.filter((group) => replicas.includes(group[0]!)).map((group) => group.length)).toEqual([12, 8]);
    // …one idle replica misses 38 with (19/20)^38 ≈ 0.14.
    expect(groupOf(parted(service((k) => (k < 19 ? 2 : 0)), replicas, callers).groups, '10.244.3.119')).toHaveLength(20);
  });

  it('leaves a group alone when no member serves steadily', () => {
    const edges = cluster({}).filter((edge) => edge.port !== 80 || edge.client.endsWith('.1'));
    expect(groupOf(parted(edges, [Q1, Q2, Q3]).groups, Q1)).toEqual([Q1, Q2, Q3]);
  });

  it('gives the same groups and notes whatever the order of the edges', () => {
    const forward = parted(cluster(), [S1, S2, Q1, Q2, Q3]);
    const backward = parted([...cluster()].reverse(), [S1, S2, Q1, Q2, Q3]);
    expect(backward.groups).toEqual(forward.groups);
    expect(backward.notes).toEqual(forward.notes);
  });
});

describe('atMostChance', () => {
  it('is the binomial tail', () => {
    expect(atMostChance(0, 10, 0.5)).toBeCloseTo(1 / 1024, 12);
    expect(atMostChance(1, 2, 0.5)).toBeCloseTo(0.75, 12);
    expect(atMostChance(2, 2, 0.3)).toBe(1);
    expect(atMostChance(0, 12, 0.05)).toBeCloseTo(0.95 ** 12, 12);
  });

  it('could miss one more replica only for a service called a few times', () => {
    // (3/4)^5 ≈ 0.24: five calls on three replicas can miss a fourth; (3/4)^11 ≈ 0.042 cannot, at 5%.
    expect(couldMissOneMore(5, 3, 0.05)).toBe(true);
    expect(couldMissOneMore(11, 3, 0.05)).toBe(false);
    expect(couldMissOneMore(0, 1, 0.05)).toBe(true);
  });

  it('has no chance of a bounded take from unbounded steady work', () => {
    expect(atMostChance(3, Number.POSITIVE_INFINITY, 0.5)).toBe(0);
    expect(atMostChance(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, 0.5)).toBe(1);
  });
});
