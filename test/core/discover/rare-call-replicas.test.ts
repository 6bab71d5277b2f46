import { describe, expect, it } from 'vitest';
import { discoveryFeatures } from '../../../src/core/discover/discover-groups';
import type { ProfileEdge, ProfileHost } from '../../../src/core/discover/host-features';
import { joinRareCallReplicas } from '../../../src/core/discover/rare-call-replicas';

// Hand-made estates: two front ends (10.0.0.x) call five cart replicas (10.1.0.x) on 7070; some carts call a
// cache (10.2.0.1) on 6379; everyone uses DNS (10.9.0.53). Behaviour's split is given as the starting groups.

const host = (ip: string, labels: Record<string, string> = {}): ProfileHost => ({
  ip,
  sortKey: ip.split('.').map((part) => part.padStart(3, '0')).join('.'),
  labels: Object.entries(labels).map(([key, value]) => ({ key, value })),
});
const edge = (client: string, server: string, port: number, flows: number, proto = 6): ProfileEdge => ({ client, server, proto, port, flows });

const FRONTS = ['10.0.0.1', '10.0.0.2'];
const CARTS = ['10.1.0.1', '10.1.0.2', '10.1.0.3', '10.1.0.4', '10.1.0.5'];
const CACHE = '10.2.0.1';
const DNS = '10.9.0.53';

/** `cacheCalls`: connections to the cache per cart (0: none); `served`: connections per front end and cart. */
function estate(cacheCalls: readonly number[], served = 30): ProfileEdge[] {
  const edges: ProfileEdge[] = [];
  for (const front of FRONTS) for (const cart of CARTS) edges.push(edge(front, cart, 7070, served));
  CARTS.forEach((cart, index) => {
    if (cacheCalls[index]! > 0) edges.push(edge(cart, CACHE, 6379, cacheCalls[index]!));
  });
  for (const ip of [...FRONTS, ...CARTS, CACHE]) edges.push(edge(ip, DNS, 53, 200, 17));
  return edges;
}

function joined(edges: readonly ProfileEdge[], start: readonly (readonly string[])[], labels: Record<string, Record<string, string>> = {}): string[][] {
  const ips = [...new Set(edges.flatMap((e) => [e.client, e.server]))];
  const features = discoveryFeatures({ hosts: ips.map((ip) => host(ip, labels[ip])), edges });
  const index = (ip: string) => features.hosts.findIndex((candidate) => candidate.ip === ip);
  const identity = (member: number) => features.hosts[member]!.labels.find((label) => label.key === 'app')?.value ?? null;
  return joinRareCallReplicas(features, edges, start.map((members) => members.map(index)), identity).groups.map((members) => members.map((member) => features.hosts[member]!.ip));
}

const SPLIT = [FRONTS, CARTS.slice(0, 3), CARTS.slice(3), [CACHE], [DNS]];

describe('joinRareCallReplicas', () => {
  it('joins replicas that only a rare call set apart', () => {
    // Four cache calls, all on three of five hosts: (3/5)^4 = 0.13, unremarkable.
    expect(joined(estate([2, 1, 1, 0, 0]), SPLIT)).toEqual([FRONTS, CARTS, [CACHE], [DNS]]);
  });

  it('says why each host of the group that joined did, naming what set them apart and its chance', () => {
    const edges = estate([2, 1, 1, 0, 0]);
    const features = discoveryFeatures({ hosts: [...new Set(edges.flatMap((e) => [e.client, e.server]))].map((ip) => host(ip)), edges });
    const index = (ip: string) => features.hosts.findIndex((candidate) => candidate.ip === ip);
    const { notes } = joinRareCallReplicas(features, edges, SPLIT.map((members) => members.map(index)), () => null);
    expect([...notes.keys()].map((member) => features.hosts[member]!.ip).sort()).toEqual(CARTS.slice(3));
    expect(notes.get(index(CARTS[3]!))).toEqual({
      text: 'a replica apart from chance: it serves the same clients as {10.1.0.1 +2}, and what only one of them did (uses tcp/6379 on 10.2.0.1 (4 connections)) is what replicas of one service show by chance 13% of the time',
      partner: index(CARTS[0]!),
    });
  });

  it('keeps groups apart that a steady call sets apart', () => {
    // Thirty cache calls, all on three of five hosts: (3/5)^30, no chance.
    expect(joined(estate([10, 10, 10, 0, 0]), SPLIT)).toEqual([FRONTS, CARTS.slice(0, 3), CARTS.slice(3), [CACHE], [DNS]]);
  });

  it('needs steady shared work: groups that share only a few connections are no replicas', () => {
    expect(joined(estate([2, 1, 1, 0, 0], 1), SPLIT)).toHaveLength(5);
  });

  it('never joins groups that labels name differently, and joins an unlabelled group to a labelled one', () => {
    const labels = { '10.1.0.1': { app: 'cart' }, '10.1.0.4': { app: 'checkout' } };
    expect(joined(estate([2, 1, 1, 0, 0]), SPLIT, labels)).toHaveLength(5);
    expect(joined(estate([2, 1, 1, 0, 0]), SPLIT, { '10.1.0.1': { app: 'cart' } })).toEqual([FRONTS, CARTS, [CACHE], [DNS]]);
  });

  it('ignores node probes: a kubelet that checks only some of the replicas sets nothing apart', () => {
    const edges = estate([2, 1, 1, 0, 0]);
    // A kubelet (10.1.0.254) probes the pods of its node's /24: two of the carts and two other pods, on three ports.
    const kubelet = '10.1.0.254';
    for (const cart of CARTS.slice(0, 2)) edges.push(edge(kubelet, cart, 7070, 100));
    for (const port of [8080, 9090]) for (const pod of ['10.1.0.100', '10.1.0.101']) edges.push(edge(kubelet, pod, port, 100));
    const start = [...SPLIT, [kubelet], ['10.1.0.100', '10.1.0.101']];
    expect(joined(edges, start)).toContainEqual(CARTS);
    // Counted as a client, its hundred probes of two carts would have kept them apart.
    expect(joined(edges.filter((e) => e.client !== kubelet || e.port === 7070), [...SPLIT, [kubelet]])).not.toContainEqual(CARTS);
  });

  it('takes no collector service for shared work: two services scraped alike by one monitor stay apart', () => {
    // Five caches (10.2.0.x) the carts call rarely, and four idle databases (10.3.0.x); a monitor scrapes every server on 9100.
    const caches = ['10.2.0.1', '10.2.0.2', '10.2.0.3', '10.2.0.4', '10.2.0.5'];
    const databases = ['10.3.0.1', '10.3.0.2', '10.3.0.3', '10.3.0.4'];
    const edges = estate([0, 0, 0, 0, 0]).filter((e) => e.server !== DNS);
    edges.push(edge(CARTS[0]!, caches[0]!, 6379, 1), edge(CARTS[1]!, caches[2]!, 6379, 1));
    for (const server of [...CARTS, ...caches, ...databases]) edges.push(edge('10.9.0.10', server, 9100, 40));
    const start = [FRONTS, CARTS, caches, databases, ['10.9.0.10']];
    expect(joined(edges, start)).toEqual(start);
  });

  it('takes no shared work from outside users: two services the internet uses alike are no replicas', () => {
    const edges: ProfileEdge[] = [];
    for (const user of ['198.51.100.1', '198.51.100.2']) for (const server of ['10.1.0.1', '10.1.0.2', '10.3.0.1']) edges.push(edge(user, server, 443, 30));
    edges.push(edge('10.1.0.1', CACHE, 6379, 1));
    const start = [['10.1.0.1', '10.1.0.2'], [CACHE], ['10.3.0.1']];
    expect(joined(edges, start)).toEqual(start);
  });

  it('never joins listed pods with a host the pod list does not name although it was heard until the end', () => {
    // Three carts the pod list names (a Deployment), two it does not; the capture runs two days.
    const day = 86_400_000;
    const timed = (lastOfUnlisted: number): ProfileEdge[] => estate([2, 1, 1, 0, 0]).map((e) => ({ ...e, firstMs: 0, lastMs: CARTS.slice(3).includes(e.server) || CARTS.slice(3).includes(e.client) ? lastOfUnlisted : 2 * day }));
    const run = (edges: readonly ProfileEdge[]): string[][] => {
      const ips = [...new Set(edges.flatMap((e) => [e.client, e.server]))];
      const features = discoveryFeatures({ hosts: ips.map((ip) => ({ ...host(ip), ...(CARTS.slice(0, 3).includes(ip) ? { workload: 'shop/Deployment/cart' } : {}) })), edges });
      const index = (ip: string) => features.hosts.findIndex((candidate) => candidate.ip === ip);
      return joinRareCallReplicas(features, edges, SPLIT.map((members) => members.map(index)), () => null).groups.map((members) => members.map((member) => features.hosts[member]!.ip));
    };
    expect(run(timed(2 * day))).toEqual(SPLIT);
    // Silent for the last ten hours: old replicas a rollout replaced before the list was taken, which may join.
    expect(run(timed(2 * day - 10 * 3_600_000))).toEqual([FRONTS, CARTS, [CACHE], [DNS]]);
  });

  it('gives the same groups and notes whatever order the edges come in', () => {
    const edges = estate([2, 1, 1, 0, 0]);
    const shuffled = [...edges].reverse();
    expect(joined(shuffled, SPLIT)).toEqual(joined(edges, SPLIT));
  });
});
