import { describe, expect, it } from 'vitest';
import { discoverGroups, discoveryFeatures } from '../../../src/core/discover/discover-groups';
import { agreedValues, keepWorkloadsTogether, splitByIdentity, workloadIdentities, workloadMembers } from '../../../src/core/discover/workloads';
import { podHost, tcp } from './pod-host';

// Pods of one Kubernetes workload (workloads.ts): one replica set, one
// group, one identity, on hand-made clusters.

const host = podHost;
const groupOf = (discovery: ReturnType<typeof discoverGroups>, ip: string): string => discovery.assignments.find((a) => a.ip === ip)!.groupId;
const together = (discovery: ReturnType<typeof discoverGroups>, ips: readonly string[]): boolean => new Set(ips.map((ip) => groupOf(discovery, ip))).size === 1;

describe('agreedValues', () => {
  it("gives a workload's pods the value most of them carry, and its unlabelled pods that value too", () => {
    const hosts = [
      host('10.0.0.1', { 'k8s:app': 'cart' }, 'shop/Deployment/cart'),
      host('10.0.0.2', { 'k8s:app': 'cart' }, 'shop/Deployment/cart'),
      host('10.0.0.3', { 'k8s:app': 'orders' }, 'shop/Deployment/cart'),
      host('10.0.0.4', {}, 'shop/Deployment/cart'),
      host('10.0.0.5', { 'k8s:app': 'orders' }),
    ];
    const values = agreedValues(hosts, ['k8s:app']);
    expect([0, 1, 2, 3].map((index) => values.get(index))).toEqual(Array(4).fill('k8s:app=cart'));
    expect(values.get(4)).toBe('k8s:app=orders');
  });

  it("breaks a tie by the value the workload's name carries, whatever the order of the pods", () => {
    const pods = [host('10.0.0.1', { 'k8s:app': 'productpage' }, 'bookinfo/Deployment/reviews-v1'), host('10.0.0.2', { 'k8s:app': 'reviews' }, 'bookinfo/Deployment/reviews-v1')];
    expect([...agreedValues(pods, ['k8s:app']).values()]).toEqual(['k8s:app=reviews', 'k8s:app=reviews']);
    expect([...agreedValues([...pods].reverse(), ['k8s:app']).values()]).toEqual(['k8s:app=reviews', 'k8s:app=reviews']);
  });

  it("drops a value the workload's own name contradicts while another workload carrying it is named after it (a copied template)", () => {
    const pods = [
      host('10.0.0.1', { 'k8s:app': 'ratings' }, 'shop/Deployment/ratings-v1'),
      host('10.0.0.2', { 'k8s:app': 'ratings' }, 'shop/Deployment/ratings-v1'),
      host('10.0.0.3', { 'k8s:app': 'ratings' }, 'shop/Deployment/productpage-v1'),
      // A value no carrier is named after stays: names are a convention, not a rule.
      host('10.0.0.4', { 'k8s:app': 'storefront' }, 'shop/Deployment/web'),
      host('10.0.0.5', { 'k8s:app': 'storefront' }, 'shop/Deployment/web-canary'),
      // A bare pod has no name to contradict anything.
      host('10.0.0.6', { 'k8s:app': 'ratings' }, 'shop/Pod/debug'),
    ];
    const values = agreedValues(pods, ['k8s:app']);
    expect([...values.entries()]).toEqual([
      [0, 'k8s:app=ratings'],
      [1, 'k8s:app=ratings'],
      [3, 'k8s:app=storefront'],
      [4, 'k8s:app=storefront'],
      [5, 'k8s:app=ratings'],
    ]);
    // The productpage pod is then known by its workload alone.
    expect(workloadIdentities(pods).get(2)).toBe('workload=shop/productpage');
  });

  it('lets no empty label value win a tie by the name (an empty text is in every name)', () => {
    const pods = [host('10.0.0.1', { 'k8s:app': '' }, 'shop/Deployment/cart'), host('10.0.0.2', { 'k8s:app': 'cart' }, 'shop/Deployment/cart')];
    expect([...agreedValues(pods, ['k8s:app']).values()]).toEqual(['k8s:app=cart', 'k8s:app=cart']);
    const reversed = [host('10.0.0.1', { 'k8s:app': 'cart' }, 'shop/Deployment/cart'), host('10.0.0.2', { 'k8s:app': '' }, 'shop/Deployment/cart')];
    expect([...agreedValues(reversed, ['k8s:app']).values()]).toEqual(['k8s:app=cart', 'k8s:app=cart']);
  });

  it("reads an identity key under each of its spellings, and names the value by the key set's own", () => {
    // An AWS tag export says "environment", "application" and "role" where the key set says env, app, tier.
    const hosts = [host('10.0.0.1', { environment: 'prod', application: 'billing', role: 'db' }), host('10.0.0.2', { env: 'prod', app: 'billing', tier: 'db' })];
    expect([...agreedValues(hosts, ['env', 'app', 'tier']).values()]).toEqual(['env=prod app=billing tier=db', 'env=prod app=billing tier=db']);
  });

  it('leaves hosts that lack a key of the set without a value', () => {
    const values = agreedValues([host('10.0.0.1', { 'k8s:app.kubernetes.io/name': 'db' })], ['k8s:app.kubernetes.io/name', 'k8s:app.kubernetes.io/instance']);
    expect(values.size).toBe(0);
  });
});

describe('keepWorkloadsTogether and splitByIdentity', () => {
  const features = discoveryFeatures({
    hosts: [host('10.0.0.1', {}, 'a/Deployment/x'), host('10.0.0.2', {}, 'a/Deployment/x'), host('10.0.0.3', {}, 'a/Deployment/x'), host('10.0.0.4'), host('10.0.0.5', {}, 'a/Deployment/y')],
    edges: [tcp('10.0.0.4', '10.0.0.1', 80)],
  });

  it('lists only workloads of several hosts', () => {
    expect(workloadMembers(features.hosts)).toEqual([[0, 1, 2]]);
  });

  it("moves a workload's stray pods to the group that holds most of them, and drops groups left empty", () => {
    expect(keepWorkloadsTogether(features, [[0, 3], [1, 2], [4]])).toEqual([[3], [0, 1, 2], [4]]);
    expect(keepWorkloadsTogether(features, [[0], [1, 2, 3], [4]])).toEqual([[0, 1, 2, 3], [4]]);
  });

  it('gives a workload that no group holds most of a group of its own', () => {
    expect(keepWorkloadsTogether(features, [[0, 3], [1, 4], [2]])).toEqual([[3], [4], [0, 1, 2]]);
  });

  it('splits a group by identity and leaves the unlabelled hosts with the largest part', () => {
    const identity = (host: number): string | null => ['app=a', 'app=a', 'app=b', null, null][host]!;
    expect(splitByIdentity([[0, 1, 2, 3], [4]], identity)).toEqual([[0, 1, 3], [2], [4]]);
    expect(splitByIdentity([[0, 3, 4]], identity)).toEqual([[0, 3, 4]]);
  });

  it('with a least part, treats an identity fewer members carry as none (a lone inventory row may be wrong)', () => {
    const identity = (host: number): string | null => ['app=a', 'app=a', 'app=b', null, 'app=b'][host]!;
    // app=b twice: a part of its own; once: the host stays with the largest part.
    const record = { minPart: 2, agreedShare: 2 / 3 };
    // app=a and app=b twice each: two parts; the unlisted host, which neither claims, a part of its own.
    expect(splitByIdentity([[0, 1, 2, 3, 4]], identity, record)).toEqual([[0, 1], [2, 4], [3]]);
    // app=a two in three: the group's identity, and the lone app=b row may be wrong.
    expect(splitByIdentity([[0, 1, 2]], identity, record)).toEqual([[0, 1, 2]]);
    expect(splitByIdentity([[0, 1, 2, 3]], identity)).toEqual([[0, 1, 3], [2]]);
  });

  it('splits a group whose list files its hosts under different workloads wholesale, with no identity most of them share', () => {
    // A pump gateway, an access-control server and two jump hosts: no identity two in three carry.
    const identity = (host: number): string | null => ['app=pumps', 'app=access', 'app=jump', 'app=jump', null][host]!;
    const record = { minPart: 2, agreedShare: 2 / 3 };
    expect(splitByIdentity([[0, 1, 2, 3]], identity, record)).toEqual([[0], [1], [2, 3]]);
    // An unlisted member: only parts of two rows or more split off, and what no such part holds stays together.
    expect(splitByIdentity([[0, 1, 2, 3, 4]], identity, record)).toEqual([[0, 1, 4], [2, 3]]);
    // Two hosts filed under two applications: neither outvotes the other.
    expect(splitByIdentity([[0, 1]], identity, record)).toEqual([[0], [1]]);
    // Two in three agreeing: the third row may be wrong, and stays.
    expect(splitByIdentity([[1, 2, 3]], identity, record)).toEqual([[1, 2, 3]]);
  });

  it('parts a group whose lone rows name three workloads, each unlisted host going with the row that behaves most like it', () => {
    // Operator stations of lines 1 and 3 and an engineering workstation, one row each, and five unlisted stations.
    const identity = (host: number): string | null => ['line 1|HMI', null, 'line 3|HMI', null, 'site|EWS', null, null, null][host]!;
    // Behaviour as a position on a line: stations 1 and 5 sit by row 0, 3 and 6 by row 2, 7 by row 4.
    const position = [0, 1, 10, 11, 20, 0.5, 10.5, 19];
    const nearest = (host: number, candidates: readonly number[]): number =>
      candidates.reduce((best, candidate) => (Math.abs(position[candidate]! - position[host]!) < Math.abs(position[best]! - position[host]!) ? candidate : best));
    const record = { minPart: 2, agreedShare: 2 / 3, minMixed: 3, nearest };
    expect(splitByIdentity([[0, 1, 2, 3, 4, 5, 6, 7]], identity, record)).toEqual([[0, 1, 5], [2, 3, 6], [4, 7]]);
    // Two names: one wrong row explains them, and the group stays whole (no part of two rows).
    expect(splitByIdentity([[0, 1, 2, 3, 5]], identity, record)).toEqual([[0, 1, 2, 3, 5]]);
    // Without a way to tell behaviour apart, the rule that keeps lone rows together holds.
    expect(splitByIdentity([[0, 1, 2, 3, 4]], identity, { minPart: 2, agreedShare: 2 / 3, minMixed: 3 })).toEqual([[0, 1, 2, 3, 4]]);
  });
});

describe('workloadIdentities', () => {
  it("names a listed pod by its controller, one version's Deployment like another's, and a bare pod not at all", () => {
    const hosts = [
      host('10.0.0.1', {}, 'bookinfo/Deployment/reviews-v1'),
      host('10.0.0.2', {}, 'bookinfo/Deployment/reviews-v3'),
      host('10.0.0.3', {}, 'bookinfo/Deployment/details-v1'),
      host('10.0.0.4', {}, 'staging/Deployment/details-v1'),
      host('10.0.0.5', {}, 'data/StatefulSet/mongodb'),
      host('10.0.0.6', {}, 'default/Pod/debug-shell'),
      host('10.0.0.7'),
      host('10.0.0.8', {}, 'shop/Deployment/api-v2beta'),
    ];
    const identities = workloadIdentities(hosts);
    expect([...identities]).toEqual([
      [0, 'workload=bookinfo/reviews'],
      [1, 'workload=bookinfo/reviews'],
      [2, 'workload=bookinfo/details'],
      [3, 'workload=staging/details'],
      [4, 'workload=data/mongodb'],
      [7, 'workload=shop/api-v2beta'],
    ]);
  });
});

describe('discovery with workloads', () => {
  /**
   * Three front-end pods call both cart pods and both catalogue pods (load
   * balanced); each cart pod kept its connections to one Redis pod, each
   * catalogue pod to one MySQL pod (sticky). On the wire that is the shape
   * of four applications each with its own database.
   */
  function sticky(withWorkloads: boolean) {
    const frontEnds = ['10.244.1.10', '10.244.2.10', '10.244.3.10'];
    const carts = ['10.244.1.20', '10.244.2.20'];
    const redis = ['10.244.1.30', '10.244.2.30'];
    const catalogue = ['10.244.1.40', '10.244.3.40'];
    const mysql = ['10.244.1.50', '10.244.3.50'];
    const edges = [
      ...frontEnds.flatMap((frontEnd) => ['198.51.100.7', '198.51.100.8'].map((user) => tcp(user, frontEnd, 8079))),
      ...frontEnds.flatMap((frontEnd) => [...carts, ...catalogue].map((server) => tcp(frontEnd, server, 80))),
      ...[0, 1].flatMap((replica) => [tcp(carts[replica]!, redis[replica]!, 6379), tcp(catalogue[replica]!, mysql[replica]!, 3306)]),
    ];
    const listed = (ips: readonly string[], workload: string) => ips.map((ip) => host(ip, {}, withWorkloads ? workload : undefined));
    const hosts = [...frontEnds.map((ip) => host(ip)), ...listed(carts, 'shop/Deployment/carts'), ...listed(catalogue, 'shop/Deployment/catalogue'), ...redis.map((ip) => host(ip)), ...mysql.map((ip) => host(ip))];
    return { discovery: discoverGroups({ hosts, edges, names: new Map() }), carts, redis, catalogue, mysql };
  }

  it('keeps replicas with sticky connections together, and their back ends with them', () => {
    const without = sticky(false);
    for (const set of [without.carts, without.redis, without.catalogue, without.mysql]) expect(together(without.discovery, set)).toBe(false);
    const { discovery, carts, redis, catalogue, mysql } = sticky(true);
    // Only the carts and catalogues are listed: the databases join because their clients are now one replica set each.
    for (const set of [carts, redis, catalogue, mysql]) expect(together(discovery, set)).toBe(true);
    expect(new Set([carts, redis, catalogue, mysql].map((set) => groupOf(discovery, set[0]!))).size).toBe(4);
  });

  it("follows the workload's vote over a pod whose app label was copied from another service", () => {
    // productpage calls every reviews pod and the unlisted details pods alike; reviews-v1 and details call nothing.
    const page = '10.244.0.5';
    const hosts = [
      host(page),
      host('10.244.0.40'),
      host('10.244.0.41', { 'k8s:app': 'reviews' }, 'bookinfo/Deployment/reviews-v2'),
      host('10.244.0.42', { 'k8s:app': 'reviews' }, 'bookinfo/Deployment/reviews-v2'),
      host('10.244.0.43', { 'k8s:app': 'reviews' }, 'bookinfo/Deployment/reviews-v1'),
      host('10.244.0.44', { 'k8s:app': 'productpage' }, 'bookinfo/Deployment/reviews-v1'),
      host('10.244.0.50'),
      host('10.244.0.51'),
    ];
    const servers = ['10.244.0.41', '10.244.0.42', '10.244.0.43', '10.244.0.44', '10.244.0.50', '10.244.0.51'];
    const edges = [
      ...servers.map((server) => tcp(page, server, 9080)),
      tcp('10.244.0.41', '10.244.0.40', 9080),
      tcp('10.244.0.42', '10.244.0.40', 9080),
      tcp('203.0.113.5', page, 9080),
    ];
    const discovery = discoverGroups({ hosts, edges, names: new Map() });
    expect(together(discovery, ['10.244.0.41', '10.244.0.42', '10.244.0.43', '10.244.0.44'])).toBe(true);
    expect(together(discovery, ['10.244.0.50', '10.244.0.51'])).toBe(true);
    expect(groupOf(discovery, '10.244.0.43')).not.toBe(groupOf(discovery, '10.244.0.50'));
  });

  it('splits a group that behaviour formed from pods of two app labels', () => {
    // Two idle services, probed by the same kubelet on the same port: alike on the wire, two Services by their labels.
    const node = '10.244.1.1';
    const hosts = [host(node), host('10.244.1.10', { 'k8s:app': 'user' }, 'shop/Deployment/user'), host('10.244.1.11', { 'k8s:app': 'carts' }, 'shop/Deployment/carts'), host('10.244.1.12')];
    const edges = [tcp(node, '10.244.1.10', 80), tcp(node, '10.244.1.11', 80), tcp(node, '10.244.1.12', 80)];
    const discovery = discoverGroups({ hosts, edges, names: new Map() });
    expect(groupOf(discovery, '10.244.1.10')).not.toBe(groupOf(discovery, '10.244.1.11'));
    const unlabelled = discoverGroups({ hosts: hosts.map((h) => host(h.ip)), edges, names: new Map() });
    expect(together(unlabelled, ['10.244.1.10', '10.244.1.11'])).toBe(true);
  });

  it('keeps listed workloads without labels apart where the wire cannot tell them, and rejoins the versions of one', () => {
    // details and ratings pods took no call: the kubelet probed them on 9080, as it did reviews-v1 and reviews-v2.
    const node = '10.244.1.1';
    const pods: [string, string][] = [
      ['10.244.1.10', 'details-v1'],
      ['10.244.1.11', 'details-v1'],
      ['10.244.1.12', 'ratings-v1'],
      ['10.244.1.13', 'ratings-v1'],
      ['10.244.1.14', 'reviews-v1'],
      ['10.244.1.15', 'reviews-v2'],
    ];
    const hosts = [host(node), ...pods.map(([ip, workload]) => host(ip, {}, `bookinfo/Deployment/${workload}`))];
    const edges = pods.map(([ip]) => tcp(node, ip, 9080));
    const discovery = discoverGroups({ hosts, edges, names: new Map() });
    expect(together(discovery, ['10.244.1.10', '10.244.1.11'])).toBe(true);
    expect(together(discovery, ['10.244.1.12', '10.244.1.13'])).toBe(true);
    expect(together(discovery, ['10.244.1.14', '10.244.1.15'])).toBe(true);
    expect(new Set(['10.244.1.10', '10.244.1.12', '10.244.1.14'].map((ip) => groupOf(discovery, ip))).size).toBe(3);
    // Unlisted, the same pods are one look-alike group.
    const unlisted = discoverGroups({ hosts: hosts.map((h) => host(h.ip)), edges, names: new Map() });
    expect(together(unlisted, pods.map(([ip]) => ip))).toBe(true);
  });
});
