import { describe, expect, it } from 'vitest';
import { serviceClusters } from '../../../src/core/discover/service-clusters';
import type { ProfileEdge } from '../../../src/core/discover/host-features';

const tcp = (client: string, server: string, port: number): ProfileEdge => ({ client, server, proto: 6, port });

describe('service clusters', () => {
  it('joins servers of one service that use it of each other, and names the cluster by its first member', () => {
    // Replica set m1..m3 on 27017: m2 and m3 pull from m1, m1 checks on m2, app a reads from m1
    // and m3. A second replica set n1, n2, where n1 checks on n2. A member must serve the service
    // itself to count: a mere client of m1 is not a member.
    const edges = [tcp('a', 'm1', 27017), tcp('a', 'm3', 27017), tcp('m2', 'm1', 27017), tcp('m3', 'm1', 27017), tcp('m1', 'm2', 27017), tcp('b', 'n1', 27017), tcp('n2', 'n1', 27017), tcp('n1', 'n2', 27017)];
    const clusters = serviceClusters(edges);
    expect(Object.fromEntries(clusters)).toEqual({
      'm1|m2|6|27017': 'cluster {m1 +2}',
      'm2|m1|6|27017': 'cluster {m1 +2}',
      'm3|m1|6|27017': 'cluster {m1 +2}',
      'n1|n2|6|27017': 'cluster {n1 +1}',
      'n2|n1|6|27017': 'cluster {n1 +1}',
    });
  });

  it('leaves ordinary client → server edges alone, and does not join across services', () => {
    // c serves 8080 and uses 5432 of d: c is no server of 5432, so nothing joins.
    const edges = [tcp('x', 'c', 8080), tcp('c', 'd', 5432), tcp('e', 'd', 5432)];
    expect(serviceClusters(edges).size).toBe(0);
  });

  it('gives the same names in any edge order', () => {
    const edges = [tcp('m3', 'm2', 1), tcp('m2', 'm1', 1), tcp('z', 'm3', 1), tcp('z', 'm2', 1)];
    expect([...serviceClusters(edges)].sort()).toEqual([...serviceClusters([...edges].reverse())].sort());
    expect(new Set(serviceClusters(edges).values())).toEqual(new Set(['cluster {m1 +2}']));
  });
});
