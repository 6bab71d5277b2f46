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
    const edges = ['c1', 'c2', 'c3'].flatMap((pod, i) => [tcp('fe', pod, 7000), tcp('fe', pod, 7001), tcp(`n${i + 1}`, pod, 7000), tcp('mon', pod, 9100)]);
    const forward = [...partialClientEdges(edges)].sort();
    const backward = [...partialClientEdges([...edges].reverse())].sort();
    expect(forward).toEqual(backward);
    // The probe on 7000 is partial; the monitoring scrape on 9100 reaches every pod and is not.
    expect(forward).toEqual(['n1|c1|6|7000', 'n2|c2|6|7000', 'n3|c3|6|7000']);
  });

  it('marks every edge of clients that split the servers of three services between them (kubelets), where look-alikes cannot tell', () => {
    // Services on 7000, 8080 and 27017, two pods each, one on each node; n1 and n2 probe their own
    // pods. Each service has one rare caller that met both pods once (too few calls for the
    // look-alike rule to see replicas behind a load balancer), and one that met one pod only.
    const edges = [
      ...[7000, 8080, 27017].flatMap((port) => [tcp('n1', `a${port}`, port), tcp('n2', `b${port}`, port), tcp(`c${port}`, `a${port}`, port), tcp(`c${port}`, `b${port}`, port)]),
      tcp('x', 'a7000', 7000),
    ];
    expect([...partialClientEdges(edges)].filter((key) => !key.startsWith('n')).sort()).toEqual([]);
    expect([...partialClientEdges(edges)].filter((key) => key.startsWith('n')).sort()).toEqual([
      'n1|a27017|6|27017', 'n1|a7000|6|7000', 'n1|a8080|6|8080', 'n2|b27017|6|27017', 'n2|b7000|6|7000', 'n2|b8080|6|8080',
    ]);
    // Two services split alike are not yet a layout.
    expect([...partialClientEdges(edges.filter((edge) => edge.port !== 27017))].filter((key) => key.startsWith('n'))).toEqual([]);
  });

  it('does not take two sites\' desktops for placement clients: they use their own domain controllers but the same application', () => {
    const dcServices = [53, 88, 389];
    const edges = [
      ...dcServices.flatMap((port) => [tcp('ws-a', 'dc-a', port), tcp('ws-b', 'dc-b', port)]),
      tcp('ws-a', 'web', 443),
      tcp('ws-b', 'web', 443),
    ];
    expect(partialClientEdges(edges).size).toBe(0);
    // Without the shared application they split the controllers alike, but nothing says the
    // controllers are one kind of server (look-alikes) until a third client uses both.
    const controllersOnly = edges.filter((edge) => edge.port !== 443);
    expect(partialClientEdges(controllersOnly).size).toBe(0);
    const roaming = dcServices.flatMap((port) => [tcp('laptop', 'dc-a', port), tcp('laptop', 'dc-b', port)]);
    expect([...partialClientEdges([...controllersOnly, ...roaming])].filter((key) => key.startsWith('ws')).length).toBe(6);
  });
});
