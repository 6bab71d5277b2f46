import { describe, expect, it } from 'vitest';
import { partialClientEdges } from '../../../src/core/discover/partial-clients';
import type { ProfileEdge } from '../../../src/core/discover/host-features';

const tcp = (client: string, server: string, port: number): ProfileEdge => ({ client, server, proto: 6, port });

describe('partial clients', () => {
  it('marks a node probing only the replica scheduled on it, not the callers of every replica', () => {
    // Three replicas c1..c3 on tcp/7000, called by fe1 and fe2; node n1 probes c1, n2 c2, n3 c3.
    const edges = ['c1', 'c2', 'c3'].flatMap((pod, i) => [tcp('fe1', pod, 7000), tcp('fe2', pod, 7000), tcp(`n${i + 1}`, pod, 7000)]);
    // For n1: c1's other clients {fe1, fe2}; c2's {fe1, fe2, n2}: shared 2, union 3, Jaccard 2/3 ≥ 0.5,
    // so c2 (and c3) look alike; n1 reaches 1 of 3 (0.33 < 0.5): partial. fe1 reaches 3 of 3.
    expect([...partialClientEdges(edges)].sort()).toEqual(['n1|c1|6|7000', 'n2|c2|6|7000', 'n3|c3|6|7000']);
  });

  it('keeps a client that reaches half of the look-alikes (the boundary) and marks one below it', () => {
    const pods = ['p1', 'p2', 'p3', 'p4'];
    const callers = pods.flatMap((pod) => [tcp('a', pod, 80), tcp('b', pod, 80), tcp('c', pod, 80)]);
    // x reaches 2 of the 4 look-alikes: 2/4 = 0.5, not below the threshold.
    expect(partialClientEdges([...callers, tcp('x', 'p1', 80), tcp('x', 'p2', 80)]).size).toBe(0);
    // y reaches 1 of 4: 0.25 < 0.5.
    expect([...partialClientEdges([...callers, tcp('y', 'p3', 80)])]).toEqual(['y|p3|6|80']);
  });

  it('does not take servers of two applications that share one user for look-alikes', () => {
    // Web X used by a, b, c, d; web Y by d, e, f, g. For a: X's other clients {b, c, d} against Y's
    // {d, e, f, g}: shared 1, union 6, Jaccard 0.17 < 0.5; a reaches all of its 1 look-alike set.
    const edges = [...['a', 'b', 'c', 'd'].map((ws) => tcp(ws, 'X', 443)), ...['d', 'e', 'f', 'g'].map((ws) => tcp(ws, 'Y', 443))];
    expect(partialClientEdges(edges).size).toBe(0);
  });

  it('judges each service apart and gives the same answer in any edge order', () => {
    const edges = ['c1', 'c2', 'c3'].flatMap((pod, i) => [tcp('fe1', pod, 7000), tcp('fe2', pod, 7000), tcp('fe1', pod, 7001), tcp(`n${i + 1}`, pod, 7000), tcp('mon', pod, 9100)]);
    const forward = [...partialClientEdges(edges)].sort();
    const backward = [...partialClientEdges([...edges].reverse())].sort();
    expect(forward).toEqual(backward);
    // The probe on 7000 is partial; the monitoring scrape on 9100 reaches every pod and is not.
    expect(forward).toEqual(['n1|c1|6|7000', 'n2|c2|6|7000', 'n3|c3|6|7000']);
  });

  it('does not take servers for look-alikes on one shared client: a node probing the databases of two applications', () => {
    // Database a1 (application A) and b1, b2 (application B) on tcp/27017, all on node n1, which
    // probes them. A's caller uses a1; B's caller uses b1 and b2. For A's caller, a1's other client
    // (n1) is half of b1's and b2's: Jaccard 0.5, but on one witness, so they are not a1's replicas
    // and A's caller, reaching 1 of 3, is not partial.
    const edges = [tcp('n1', 'a1', 27017), tcp('n1', 'b1', 27017), tcp('n1', 'b2', 27017), tcp('callerA', 'a1', 27017), tcp('callerB', 'b1', 27017), tcp('callerB', 'b2', 27017)];
    expect([...partialClientEdges(edges)].filter((key) => key.startsWith('caller'))).toEqual([]);
  });

  describe('a cohort of clients using the same part', () => {
    // A front end (fe1..fe3) calls catalogue (cat1..cat4) and carts (cart1) on tcp/80; the orders
    // replicas call carts and shipping (ship1, ship2) on tcp/80 too. For o1, cart1's other clients
    // {fe1..fe3, the other orders} against a catalogue pod's {fe1..fe3}: Jaccard ≥ 0.5, so the
    // four catalogue pods look like carts, and o1 reaches 3 of 7 (0.43 < 0.5).
    const frontEnd = ['fe1', 'fe2', 'fe3'].flatMap((fe) => ['cat1', 'cat2', 'cat3', 'cat4', 'cart1'].map((pod) => tcp(fe, pod, 80)));
    const orders = (replicas: readonly string[]): ProfileEdge[] => replicas.flatMap((o) => ['cart1', 'ship1', 'ship2'].map((pod) => tcp(o, pod, 80)));

    it('takes replicas of one caller that all use the same back ends at their word', () => {
      // o2 and o3 reach all of o1's targets and none of the catalogue pods it passed over.
      expect(partialClientEdges([...frontEnd, ...orders(['o1', 'o2', 'o3'])]).size).toBe(0);
    });

    it('needs two other clients for a cohort, as it needs two shared clients for a look-alike', () => {
      const twoReplicas = [...frontEnd, ...orders(['o1', 'o2'])];
      expect([...partialClientEdges(twoReplicas)].filter((key) => key.startsWith('o1|')).sort()).toEqual(['o1|cart1|6|80', 'o1|ship1|6|80', 'o1|ship2|6|80']);
      // The same holds through the option: three replicas with a cohort of three required.
      expect(partialClientEdges([...frontEnd, ...orders(['o1', 'o2', 'o3'])], { cohortMinClients: 3 }).size).toBe(9);
    });

    it('does not take front ends that missed a few pods for a cohort of a node\'s probes', () => {
      // Node n1 probes a1..a4, n2 probes b1..b5; six front ends call them all, but fe1 and fe2 missed
      // b4 and b5. For n1 (4 of 9 reached: partial), fe1 reaches all 4 of its part and 3 of the 5
      // pods it passed over: not less than half, so no cohort, and n1 stays partial. A looser test
      // ("more of the part than of the rest": 4 against 3) would count fe1 and fe2 and keep the
      // probes as evidence that groups pods by node.
      const pods = ['a1', 'a2', 'a3', 'a4', 'b1', 'b2', 'b3', 'b4', 'b5'];
      const missed = (fe: string, pod: string): boolean => (fe === 'fe1' || fe === 'fe2') && (pod === 'b4' || pod === 'b5');
      const edges = [
        ...['fe1', 'fe2', 'fe3', 'fe4', 'fe5', 'fe6'].flatMap((fe) => pods.filter((pod) => !missed(fe, pod)).map((pod) => tcp(fe, pod, 9080))),
        ...pods.map((pod) => tcp(pod.startsWith('a') ? 'n1' : 'n2', pod, 9080)),
      ];
      expect([...partialClientEdges(edges)].filter((key) => key.startsWith('n1|')).sort()).toEqual(['n1|a1|6|9080', 'n1|a2|6|9080', 'n1|a3|6|9080', 'n1|a4|6|9080']);
    });

    it('leaves probes partial: each node probes a part of its own, and the front end reaches the rest too', () => {
      // Nodes n1..n3 each probe two of six pods that fe1 and fe2 call. For n1, fe1 reaches its
      // two pods but also the four it passed over: no cohort.
      const pods = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];
      const edges = [...pods.flatMap((pod) => [tcp('fe1', pod, 8080), tcp('fe2', pod, 8080)]), ...pods.map((pod, i) => tcp(`n${Math.floor(i / 2) + 1}`, pod, 8080))];
      expect([...partialClientEdges(edges)].sort()).toEqual(pods.map((pod, i) => `n${Math.floor(i / 2) + 1}|${pod}|6|8080`).sort());
    });
  });
});
