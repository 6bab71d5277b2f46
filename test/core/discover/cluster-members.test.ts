import { describe, expect, it } from 'vitest';
import { joinClusterMembers } from '../../../src/core/discover/cluster-members';
import type { ProfileEdge } from '../../../src/core/discover/host-features';
import { runGroupJoin, tcpEdge } from './group-join-fixture';

// Three Kafka brokers (tcp/9092 to clients, tcp/9093 among themselves) that 12 shop servers use two at a time,
// so each broker serves other clients; beside them two services on one port (8080) that only call on, and a
// broker whose cut group also holds a host that is not one (cluster-members.ts).

const tcp = tcpEdge;

const BROKERS = ['10.10.13.10', '10.10.13.11', '10.10.13.12'];
const SHOPS = Array.from({ length: 12 }, (_, k) => `10.100.${k + 1}.20`);
const ORDERS = '10.10.30.10';
const STOCK = '10.10.30.20';
const GATEWAY = '10.10.30.5';
const OTHER = '10.10.13.50';

function estate(): ProfileEdge[] {
  const edges: ProfileEdge[] = [];
  for (const a of BROKERS) for (const b of BROKERS) if (a !== b) edges.push(tcp(a, b, 9093));
  // Each shop server uses two of the three brokers (shop k skips broker k mod 3), so no two brokers serve the same shops.
  SHOPS.forEach((shop, k) => {
    for (const [i, broker] of BROKERS.entries()) if (i !== k % 3) edges.push(tcp(shop, broker, 9092));
  });
  // A gateway calls two services on 8080, and one calls the other: a chain, not a cluster.
  edges.push(tcp(GATEWAY, ORDERS, 8080), tcp(GATEWAY, STOCK, 8080), tcp(ORDERS, STOCK, 8080));
  edges.push(tcp(OTHER, BROKERS[0]!, 443));
  return edges;
}

const joined = (groups: readonly (readonly string[])[], identities: Record<string, string> = {}) => runGroupJoin(joinClusterMembers, estate(), groups, identities);

describe('joinClusterMembers', () => {
  it('joins the brokers the cut left one per group, saying which service makes them one cluster', () => {
    const { groups, notes } = joined([]);
    expect(groups).toContainEqual([...BROKERS].sort());
    expect(notes.get(BROKERS[1]!)).toBe('it and that group are one cluster on tcp/9093: their members use each other there, both ways, and share the clients');
    expect(notes.has(BROKERS[0]!)).toBe(false);
  });

  it('keeps apart two services on one port that one calls of the other', () => {
    const { groups } = joined([]);
    expect(groups).toContainEqual([ORDERS]);
    expect(groups).toContainEqual([STOCK]);
  });

  it('leaves a member whose group holds another host where it is, and joins the rest', () => {
    const { groups } = joined([[BROKERS[0]!, OTHER]]);
    expect(groups).toContainEqual([BROKERS[0]!, OTHER].sort());
    expect(groups).toContainEqual([BROKERS[1]!, BROKERS[2]!].sort());
  });

  it('never joins groups whose recorded identities differ', () => {
    const { groups } = joined([], { [BROKERS[0]!]: 'prod|kafka', [BROKERS[1]!]: 'qa|kafka' });
    expect(groups).toContainEqual([BROKERS[0]!, BROKERS[2]!].sort());
    expect(groups).toContainEqual([BROKERS[1]!]);
    // An unrecorded group joined first lends the gathered group the identity of the next, which keeps the third out.
    const later = joined([], { [BROKERS[1]!]: 'prod|kafka', [BROKERS[2]!]: 'qa|kafka' }).groups;
    expect(later).toContainEqual([BROKERS[0]!, BROKERS[1]!].sort());
    expect(later).toContainEqual([BROKERS[2]!]);
  });
});
