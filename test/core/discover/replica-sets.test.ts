import { describe, expect, it } from 'vitest';
import type { ProfileEdge, ProfileHost } from '../../../src/core/discover/host-features';
import { probersOf } from '../../../src/core/discover/idle-replicas';
import { oneOffEnds, replicaSets } from '../../../src/core/discover/replica-sets';
import { ipSortKey } from '../../../src/core/net/ip';

// Replica sets across nodes: each node's kubelet probes the pods of its own
// node, so replicas placed on different nodes have different probers.

const tcp = (client: string, server: string, port: number): ProfileEdge => ({ client, server, proto: 6, port });
const hostsOf = (edges: readonly ProfileEdge[], workloads: Record<string, string> = {}): ProfileHost[] =>
  [...new Set(edges.flatMap((edge) => [edge.client, edge.server]))].map((ip) => ({ ip, sortKey: ipSortKey(ip), labels: [], ...(workloads[ip] === undefined ? {} : { workload: workloads[ip] }) }));

/**
 * Two nodes (10.244.1.0/24, 10.244.2.0/24), kubelets at .1. Each node runs
 * a Redis replica (6379), a web pod (8080) and a worker (9000); the app at
 * 10.250.0.5 uses both Redis replicas. `probed`: how many of each node's
 * pods its kubelet checks.
 */
function twoNodes(probed: number): ProfileEdge[] {
  const edges: ProfileEdge[] = [];
  for (const node of [1, 2]) {
    const pods: [string, number][] = [[`10.244.${node}.10`, 6379], [`10.244.${node}.11`, 8080], [`10.244.${node}.12`, 9000]];
    for (const [pod, port] of pods.slice(0, probed)) edges.push(tcp(`10.244.${node}.1`, pod, port));
    edges.push(tcp('10.250.0.5', `10.244.${node}.10`, 6379), tcp('10.250.0.6', `10.244.${node}.11`, 8080));
  }
  return edges;
}

describe('probersOf', () => {
  it('finds the clients that serve nothing and check several services in one /24', () => {
    expect([...probersOf(twoNodes(3))].sort()).toEqual(['10.244.1.1', '10.244.2.1']);
    expect(probersOf(twoNodes(2)).size).toBe(0);
  });

  it("finds a node's kubelet whose pods all serve one port: three servers or more of its own /24", () => {
    // Bookinfo: every service listens on 9080, so a kubelet probes one service, on every pod of its node.
    const node = (n: number, pods: number) => Array.from({ length: pods }, (_, k) => tcp(`10.244.${n}.1`, `10.244.${n}.${10 + k}`, 9080));
    expect([...probersOf([...node(1, 3), ...node(2, 4)])].sort()).toEqual(['10.244.1.1', '10.244.2.1']);
    // Two pods next to a client are an ordinary client's back end.
    expect(probersOf(node(1, 2)).size).toBe(0);
    // One port on three servers of another block is an ordinary client's too (a load balancer's health checks use several).
    expect(probersOf(node(1, 3).map((edge) => ({ ...edge, client: '10.250.0.1' }))).size).toBe(0);
  });

  it('finds none among the workstations of an office whose servers share one /24 (more clients reach it than a pair of checkers)', () => {
    const servers: [string, number][] = [['10.1.0.10', 443], ['10.1.0.11', 445], ['10.1.0.12', 1433]];
    const office = (desks: number) => Array.from({ length: desks }, (_, k) => `10.2.0.${k + 1}`).flatMap((desk) => servers.map(([server, port]) => tcp(desk, server, port)));
    expect(probersOf(office(3)).size).toBe(0);
    // A redundant pair of health checkers on one pool still are probers.
    expect([...probersOf(office(2))].sort()).toEqual(['10.2.0.1', '10.2.0.2']);
  });

  it('answers once per edge list at the default settings, and afresh for other settings or another list', () => {
    const edges = twoNodes(3);
    expect(probersOf(edges)).toBe(probersOf(edges));
    expect(probersOf([...edges])).not.toBe(probersOf(edges));
    // Settings that find no prober are not answered from what the defaults found.
    expect(probersOf(edges, { proberMinServices: 4, proberMinServersAtHome: 4 }).size).toBe(0);
    expect(probersOf(edges).size).toBe(2);
  });
});

describe('replica sets across nodes', () => {
  it('name the kubelets of every node as one set, so that replicas on different nodes match', () => {
    const edges = twoNodes(3);
    const setOf = replicaSets(hostsOf(edges), edges, new Set(), new Map());
    expect(setOf('10.244.1.1')).toBe(setOf('10.244.2.1'));
    expect(setOf('10.244.1.10')).toBe(setOf('10.244.2.10'));
    expect(setOf('10.244.1.10')).not.toBe(setOf('10.244.1.11'));
  });

  it('keep replicas apart by the node that checks them when the checker is no prober', () => {
    const edges = twoNodes(2);
    const setOf = replicaSets(hostsOf(edges), edges, new Set(), new Map());
    expect(setOf('10.244.1.10')).not.toBe(setOf('10.244.2.10'));
  });

  it("make one set of a workload's pods, whatever their peers", () => {
    const edges = [tcp('10.250.0.5', '10.244.1.20', 80), tcp('10.250.0.6', '10.244.2.20', 80)];
    const apart = replicaSets(hostsOf(edges), edges, new Set(), new Map());
    expect(apart('10.244.1.20')).not.toBe(apart('10.244.2.20'));
    const workload = 'shop/Deployment/carts';
    const together = replicaSets(hostsOf(edges, { '10.244.1.20': workload, '10.244.2.20': workload }), edges, new Set(), new Map());
    expect(together('10.244.1.20')).toBe(together('10.244.2.20'));
  });
});

describe('replica sets from steady edges', () => {
  // Two replicas of an orders service (8080) share their steady caller (the
  // front end, hundreds of calls each). A report job (9100) and an audit job
  // (9200), each calling orders once, landed on different replicas.
  const counted = (edge: ProfileEdge, flows: number): ProfileEdge => ({ ...edge, flows });
  const orders = ['10.244.1.20', '10.244.2.20'] as const;
  const edges = [
    ...orders.map((pod) => counted(tcp('10.244.3.5', pod, 8080), 400)),
    counted(tcp('10.244.4.7', orders[0], 8080), 1),
    counted(tcp('10.244.5.9', orders[1], 8080), 1),
    // Each job serves its own port to its scheduler, steadily.
    counted(tcp('10.244.6.2', '10.244.4.7', 9100), 50),
    counted(tcp('10.244.6.3', '10.244.5.9', 9200), 50),
  ];

  it('are not told apart by one-off callers', () => {
    const setOf = replicaSets(hostsOf(edges), edges, new Set(), new Map());
    expect(setOf(orders[0])).toBe(setOf(orders[1]));
    // Without counts every edge is evidence, and the one-off callers keep the replicas apart.
    const uncounted = edges.map(({ client, server, proto, port }) => ({ client, server, proto, port }));
    const apart = replicaSets(hostsOf(uncounted), uncounted, new Set(), new Map());
    expect(apart(orders[0])).not.toBe(apart(orders[1]));
  });

  it("ignore a one-off's end only where its host has steadier edges in that role", () => {
    const ignore = oneOffEnds(edges, 3);
    const oneOff = edges[2]!;
    // orders has a steady client: the one-off says nothing of whom it serves.
    expect(ignore(oneOff, 'server')).toBe(true);
    // The job calls nothing else: the call is all it uses, and it stays.
    expect(ignore(oneOff, 'client')).toBe(false);
    expect(ignore(edges[0]!, 'server')).toBe(false);
    expect(ignore(edges[0]!, 'client')).toBe(false);
  });
});
