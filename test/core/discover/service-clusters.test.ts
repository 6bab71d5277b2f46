import { describe, expect, it } from 'vitest';
import { serviceClusters } from '../../../src/core/discover/service-clusters';
import type { ProfileEdge } from '../../../src/core/discover/host-features';

const tcp = (client: string, server: string, port: number): ProfileEdge => ({ client, server, proto: 6, port });

describe('service clusters', () => {
  it('joins servers of one service that use it of each other and share their clients', () => {
    // Replica set m1..m3 on 27017 (m2, m3 pull from m1; m1 checks on m2), app a reads from all
    // three; a second replica set n1, n2 read by b. For m2 → m1: m1's other clients {a, m3} and
    // m2's {a}: shared 1, union 2, 0.5 ≥ 0.5.
    const edges = [
      ...['m1', 'm2', 'm3'].map((m) => tcp('a', m, 27017)),
      tcp('m2', 'm1', 27017), tcp('m3', 'm1', 27017), tcp('m1', 'm2', 27017),
      tcp('b', 'n1', 27017), tcp('b', 'n2', 27017), tcp('n2', 'n1', 27017),
    ];
    expect(Object.fromEntries(serviceClusters(edges))).toEqual({
      'm1|m2|6|27017': 'cluster {m1 +2}',
      'm2|m1|6|27017': 'cluster {m1 +2}',
      'm3|m1|6|27017': 'cluster {m1 +2}',
      'n2|n1|6|27017': 'cluster {n1 +1}',
    });
  });

  it('does not join a chain of different services on one port (a caller and what it calls share no client)', () => {
    // ingress → productpage → reviews → ratings, all on 9080: productpage's other clients {ingress},
    // reviews' {}: Jaccard 0.
    const edges = [tcp('ingress', 'productpage', 9080), tcp('productpage', 'reviews', 9080), tcp('reviews', 'ratings', 9080)];
    expect(serviceClusters(edges).size).toBe(0);
  });

  it('joins two servers that replicate over a port nobody else uses (an availability group endpoint)', () => {
    const edges = [tcp('app', 's1', 1433), tcp('app', 's2', 1433), tcp('s1', 's2', 5022), tcp('s2', 's1', 5022)];
    expect(Object.fromEntries(serviceClusters(edges))).toEqual({ 's1|s2|6|5022': 'cluster {s1 +1}', 's2|s1|6|5022': 'cluster {s1 +1}' });
  });

  it('leaves ordinary client → server edges alone, and does not join across services', () => {
    const edges = [tcp('x', 'c', 8080), tcp('c', 'd', 5432), tcp('e', 'd', 5432)];
    expect(serviceClusters(edges).size).toBe(0);
  });

  it('gives the same names in any edge order', () => {
    const edges = [tcp('z', 'm1', 1), tcp('z', 'm2', 1), tcp('z', 'm3', 1), tcp('m3', 'm2', 1), tcp('m2', 'm1', 1)];
    expect([...serviceClusters(edges)].sort()).toEqual([...serviceClusters([...edges].reverse())].sort());
    expect(new Set(serviceClusters(edges).values())).toEqual(new Set(['cluster {m1 +2}']));
  });

  it('does not join two services that call each other behind one gateway when one calls others on that port', () => {
    // compose ↔ users on one Thrift port, both called by the gateway gw (they share it as a
    // client); compose also calls text and media there, which users never calls: two services.
    const gateway = [tcp('gw', 'users', 9090), tcp('gw', 'compose', 9090), tcp('users', 'compose', 9090), tcp('compose', 'users', 9090)];
    expect(serviceClusters([...gateway, tcp('compose', 'text', 9090), tcp('compose', 'media', 9090)]).size).toBe(0);
    // Calling nothing beyond each other there: one cluster.
    expect(new Set(serviceClusters(gateway).values())).toEqual(new Set(['cluster {compose +1}']));
  });

  it('keeps a real cluster whose members use different servers of another service (each replica logging to its own syslog host)', () => {
    const edges = [
      tcp('app', 'db1', 5432), tcp('app', 'db2', 5432), tcp('db2', 'db1', 5432), tcp('db1', 'db2', 5432),
      tcp('db1', 'log1', 514), tcp('db2', 'log2', 514),
    ];
    expect(serviceClusters(edges).get('db2|db1|6|5432')).toBe('cluster {db1 +1}');
  });

  it('does not join a server that only shares the port with the cluster: a file server reading a domain controller over SMB', () => {
    // Domain controllers d1, d2 serve LDAP, Kerberos and SMB to desks w1..w4 and replicate over SMB;
    // file server f serves SMB to the same desks and reads d1's SYSVOL. On 445 f and d1 share their
    // clients, but f serves {445} where d1 serves {389, 88, 445}: a third in common, below half.
    const desks = ['w1', 'w2', 'w3', 'w4'];
    const edges = [
      ...desks.flatMap((w) => [tcp(w, 'd1', 389), tcp(w, 'd2', 389), tcp(w, 'd1', 88), tcp(w, 'd2', 88), tcp(w, 'd1', 445), tcp(w, 'd2', 445), tcp(w, 'f', 445)]),
      tcp('d2', 'd1', 445),
      tcp('f', 'd1', 445),
    ];
    const clusters = serviceClusters(edges);
    expect(clusters.get('d2|d1|6|445')).toBe('cluster {d1 +1}');
    expect(clusters.has('f|d1|6|445')).toBe(false);
  });
});

