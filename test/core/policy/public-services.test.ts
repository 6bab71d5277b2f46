import { describe, expect, it } from 'vitest';
import { widenedOutsideEnds } from '../../../src/core/policy/public-services';

const edge = (client: string, server: string, port = 443) => ({ client, server, proto: 6, port });
const outside = (ip: string): boolean => !ip.startsWith('10.');
const network = (ip: string): string => ip.split('.').slice(0, 3).join('.');

describe('widenedOutsideEnds', () => {
  it('widens the clients of a host service used from enough networks and the servers of a host use reaching enough, per host and service', () => {
    const edges = [
      edge('198.51.1.7', '10.0.0.1'),
      edge('198.51.2.7', '10.0.0.1'),
      edge('198.51.3.7', '10.0.0.1'),
      // Same networks, another port of the same host: counted apart.
      edge('198.51.1.7', '10.0.0.1', 8443),
      edge('10.0.0.2', '93.1.1.1'),
      edge('10.0.0.2', '93.1.1.2'),
      edge('10.0.0.2', '93.1.2.1'),
      edge('10.0.0.3', '10.0.0.1'),
    ];
    expect([...widenedOutsideEnds(edges, outside, network, 3)]).toEqual([
      [0, 'client'],
      [1, 'client'],
      [2, 'client'],
    ]);
    // Two addresses of one network count once: the proxy's three destinations are two networks.
    expect([...widenedOutsideEnds(edges, outside, network, 2)].map(([number]) => number)).toEqual([0, 1, 2, 4, 5, 6]);
  });
});
